//! Every kind of bad database file gets a clear error naming the path, and is left unchanged.

use std::fs;
use std::path::{Path, PathBuf};

use zonescope::dataset::Dataset;
use zonescope::store::{ObservationQuery, SCHEMA_VERSION, Store, StoreError};

fn bundled_db(dir: &Path) -> PathBuf {
    let path = dir.join("zonescope.sqlite");
    drop(Store::create(&path, &Dataset::bundled().unwrap()).unwrap());
    path
}

/// Opens `path`, expects an error, and checks that it names the file and that the file (and
/// its folder) are byte for byte as before.
fn refuse(path: &Path) -> StoreError {
    let dir = path.parent().unwrap();
    let listing = |d: &Path| {
        let mut names: Vec<_> = fs::read_dir(d).unwrap().map(|e| e.unwrap().file_name()).collect();
        names.sort();
        names
    };
    let before = fs::read(path).ok();
    let files_before = listing(dir);
    let err = match Store::open(path) {
        Ok(_) => panic!("{} opened", path.display()),
        Err(e) => e,
    };
    assert!(err.to_string().contains(&path.display().to_string()), "the message names the file: {err}");
    assert_eq!(fs::read(path).ok(), before, "the file is unchanged");
    assert_eq!(listing(dir), files_before, "nothing was added beside it");
    err
}

#[test]
fn a_text_file_is_not_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.sqlite");
    fs::write(&path, "重庆经开区 2023年 外贸进出口242.3亿元\n".repeat(100)).unwrap();
    let err = refuse(&path);
    assert!(matches!(err, StoreError::Foreign { .. }), "{err}");
    assert!(err.to_string().contains("not an SQLite database"), "{err}");
}

#[test]
fn an_empty_file_is_not_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.sqlite");
    fs::write(&path, b"").unwrap();
    assert!(matches!(refuse(&path), StoreError::Foreign { .. }));
}

#[test]
fn another_programs_sqlite_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.db");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);").unwrap();
    drop(conn);
    let err = refuse(&path);
    assert!(matches!(err, StoreError::Foreign { .. }), "{err}");
    assert!(err.to_string().contains("another program"), "{err}");
}

#[test]
fn a_damaged_schema_page_is_reported_as_damage() {
    let dir = tempfile::tempdir().unwrap();
    let path = bundled_db(dir.path());
    let mut bytes = fs::read(&path).unwrap();
    // Keep the 100-byte header, wreck the rest of the first page (the schema).
    for (i, b) in bytes[100..4096].iter_mut().enumerate() {
        *b = (i * 7 % 251) as u8;
    }
    fs::write(&path, &bytes).unwrap();
    let err = refuse(&path);
    assert!(matches!(err, StoreError::Corrupt { .. } | StoreError::Foreign { .. }), "{err}");
}

#[test]
fn a_truncated_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = bundled_db(dir.path());
    let bytes = fs::read(&path).unwrap();
    fs::write(&path, &bytes[..300]).unwrap();
    assert!(matches!(refuse(&path), StoreError::Corrupt { .. }));
}

#[test]
fn damaged_data_pages_give_an_error_naming_the_file_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let path = bundled_db(dir.path());
    let mut bytes = fs::read(&path).unwrap();
    let len = bytes.len();
    // Wreck every page after the schema page.
    for (i, b) in bytes[4096..len].iter_mut().enumerate() {
        *b = (i * 13 % 256) as u8;
    }
    fs::write(&path, &bytes).unwrap();
    match Store::open(&path) {
        Err(e) => assert!(e.to_string().contains(&path.display().to_string()), "{e}"),
        Ok(store) => {
            let err = store
                .registry()
                .and_then(|r| {
                    let ids = r.entities.iter().map(|e| e.id).collect();
                    store.observations(&ObservationQuery { entities: ids, ..Default::default() })
                })
                .map(|_| ())
                .expect_err("a wrecked database cannot answer");
            assert!(err.to_string().contains(&path.display().to_string()), "{err}");
        }
    }
}

/// Reads work on `store`, writes are refused with a message naming the file and what was
/// refused, and the file and its folder are byte for byte as before.
fn reads_but_never_writes(path: &Path, store: &Store) {
    assert!(store.is_read_only());
    assert!(store.info().unwrap().read_only);
    let registry = store.registry().unwrap();
    let zone = registry.resolve("重庆经开区").unwrap().id;
    let figures = store.observations(&ObservationQuery { entities: vec![zone], ..Default::default() }).unwrap();
    assert!(!figures.is_empty());
    let err = store.save_view("mine", &Default::default()).unwrap_err();
    assert!(matches!(err, StoreError::ReadOnly { .. }), "{err}");
    let message = err.to_string();
    assert!(message.contains(&path.display().to_string()) && message.contains("read-only"), "{message}");
    assert!(message.contains("saving a view"), "{message}");
    // The window's remembered view is simply not kept.
    store.set_last_view(&Default::default()).unwrap();
}

#[test]
fn a_read_only_file_opens_for_reading_and_refuses_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = bundled_db(dir.path());
    let mut perms = fs::metadata(&path).unwrap().permissions();
    perms.set_readonly(true);
    fs::set_permissions(&path, perms).unwrap();
    let before = fs::read(&path).unwrap();
    let store = Store::open(&path).unwrap();
    reads_but_never_writes(&path, &store);
    drop(store);
    assert_eq!(fs::read(&path).unwrap(), before, "the file is unchanged");
}

#[test]
fn a_database_opened_through_a_read_only_uri_reads_and_refuses_writes() {
    // As on a read-only mount: SQLite itself is told the file cannot be written (mode=ro).
    let dir = tempfile::tempdir().unwrap();
    let path = bundled_db(dir.path());
    let before = fs::read(&path).unwrap();
    let mut store = Store::open_read_only(&path).unwrap();
    reads_but_never_writes(&path, &store);
    let text = zonescope::store::ImportedText {
        title: None,
        publisher: "测试".into(),
        address: String::new(),
        published: None,
        full_text: "重庆经开区2024年外贸进出口300亿元。",
    };
    let err = store.import_text(&text, &[]).unwrap_err();
    assert!(err.to_string().contains("storing a text"), "{err}");
    drop(store);
    assert_eq!(fs::read(&path).unwrap(), before, "the file is unchanged");
}

#[test]
fn a_path_in_a_missing_folder_is_refused_for_open_and_create() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no-such-folder").join("z.sqlite");
    let err = Store::open(&path).err().unwrap();
    assert!(matches!(err, StoreError::MissingDirectory { .. }), "{err}");
    assert!(err.to_string().contains("no-such-folder"), "{err}");
    let err = Store::open_or_create(&path).err().unwrap();
    assert!(matches!(err, StoreError::MissingDirectory { .. }), "{err}");
    assert!(!dir.path().join("no-such-folder").exists());
}

#[test]
fn a_database_from_a_newer_zonescope_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = bundled_db(dir.path());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1).unwrap();
    conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    drop(conn);
    let err = refuse(&path);
    assert!(matches!(err, StoreError::TooNew { .. }), "{err}");
    assert!(err.to_string().contains("newer Zonescope"), "{err}");
}

#[test]
fn create_never_overwrites_an_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.sqlite");
    fs::write(&path, b"my own notes").unwrap();
    let err = Store::create(&path, &Dataset::bundled().unwrap()).err().unwrap();
    assert!(matches!(err, StoreError::AlreadyExists { .. }), "{err}");
    assert_eq!(fs::read(&path).unwrap(), b"my own notes");
}

#[test]
fn a_good_database_opens_again_with_everything_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = bundled_db(dir.path());
    let store = Store::open(&path).unwrap();
    let info = store.info().unwrap();
    assert_eq!(info.schema_version, SCHEMA_VERSION);
    assert_eq!(info.observations as usize, Dataset::bundled().unwrap().facts.len());
}
