//! The SQLite store, and the only SQL of the app: opening with care and migrating
//! (`schema.rs`), the questions the front ends ask (`read.rs`), writes (`write.rs`) with the
//! summaries they keep (`summary.rs`), and saved views (`views.rs`). Its public interface takes
//! and returns model types, never a connection or a transaction.
//!
//! Opening never writes to a file until it has been shown to be a Zonescope database of a
//! version this app understands. Every write is one transaction.

mod read;
mod schema;
mod series;
mod summary;
mod views;
mod write;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde::Serialize;

use crate::dataset::{DataError, Dataset};
use crate::model::{self, Measure};

pub use read::{RankingFigures, RankingPeriod, UnreadableFigure};
pub use schema::{APPLICATION_ID, SCHEMA_VERSION, SERIES_SINCE};
use schema::{MIGRATIONS, SUMMARIES_SINCE};
pub use write::{
    BulkWriter, FigureSink, ImportOutcome, ImportedFigure, ImportedText, NewEntity, NewObservation, NewSource,
    ObservationWriter, TableFigure, TableImportOutcome, fnv1a as fingerprint,
};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{}: the folder {} does not exist", path.display(), dir.display())]
    MissingDirectory { path: PathBuf, dir: PathBuf },
    #[error("{}: no such file", path.display())]
    NotFound { path: PathBuf },
    #[error("{}: already exists; Zonescope builds a new database only where there is no file", path.display())]
    AlreadyExists { path: PathBuf },
    #[error("{}: opened read-only (the file or its folder cannot be written), so {action} is not possible; copy the database somewhere writable to change it", path.display())]
    ReadOnly { path: PathBuf, action: &'static str },
    #[error("{}: another Zonescope is writing to this database (waited {} s); try again when it is done", path.display(), BUSY_TIMEOUT.as_secs())]
    Busy { path: PathBuf },
    #[error("{}: not a Zonescope database ({detail}); the file was left as it was", path.display())]
    Foreign { path: PathBuf, detail: String },
    #[error("{}: the database is damaged ({detail}); the file was left as it was", path.display())]
    Corrupt { path: PathBuf, detail: String },
    #[error("{}: written by a newer Zonescope (schema version {found}, this app knows up to {known}); update Zonescope to open it. The file was left as it was.", path.display())]
    TooNew { path: PathBuf, found: i64, known: i64 },
    #[error("{}: could not write the backup {} before migrating: {source}; nothing was changed", path.display(), backup.display())]
    Backup { path: PathBuf, backup: PathBuf, source: rusqlite::Error },
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{}: {source}", path.display())]
    Sqlite { path: PathBuf, source: rusqlite::Error },
    #[error("bundled data: {0}")]
    Data(#[from] DataError),
    #[error("{0}")]
    Invalid(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// SQLite's page cache for an open database: 16 MiB, enough for a view's pages (a bulk write
/// takes more for its while).
pub(crate) const CACHE_SIZE: &str = "PRAGMA cache_size = -16384;";

/// How long a write waits for another writer (another Zonescope importing into the same file)
/// before it gives up. Readers never wait: the database is in WAL mode.
pub const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// An open Zonescope database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// Opened for reading only: the file or its folder cannot be written.
    read_only: bool,
    /// Figures the queries skipped because they could not be read (`unreadable_figures`).
    unreadable: std::cell::RefCell<Vec<UnreadableFigure>>,
}

/// What `zonescope info` prints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Info {
    pub path: PathBuf,
    pub schema_version: i64,
    pub zones: i64,
    pub zones_in_catalog: i64,
    pub groups: i64,
    pub indicators: i64,
    pub sources: i64,
    pub observations: i64,
    pub synthetic: bool,
    pub created_by: Option<String>,
    /// Opened for reading only.
    pub read_only: bool,
}

/// A source and how many figures it gave.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceSummary {
    pub id: i64,
    pub key: String,
    pub title: Option<String>,
    pub publisher: String,
    pub published: Option<String>,
    pub address: String,
    pub kind: Option<String>,
    pub figures: i64,
    pub has_text: bool,
}

/// An indicator as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorEntry {
    pub id: i64,
    pub name: String,
    pub name_en: Option<String>,
    pub kind: String,
    pub figures: i64,
}

pub use crate::model::{Observation, ReviewStatus};

/// Which observations to fetch.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ObservationQuery {
    pub entities: Vec<i64>,
    pub indicator: Option<i64>,
    pub measure: Option<Measure>,
    /// Also candidates waiting for review (never rejected ones).
    pub include_candidates: bool,
}

impl Store {
    /// Opens an existing Zonescope database, migrating it (after a backup) when it is older
    /// than this app. Anything else (a missing file or folder, a read-only file, a foreign or
    /// damaged file, a newer schema) is an error naming the path, and the file is untouched.
    pub fn open(path: &Path) -> Result<Store> {
        check_directory(path)?;
        let meta = fs::metadata(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => StoreError::NotFound { path: path.into() },
            _ => StoreError::Io { path: path.into(), source: e },
        })?;
        if !meta.is_file() {
            return Err(StoreError::Foreign { path: path.into(), detail: "it is not a regular file".into() });
        }
        check_sqlite_header(path, meta.len())?;
        // Checked by hand: SQLite run as root would write to a file its owner made read-only.
        let store = if meta.permissions().readonly() {
            Store::open_read_only(path)?
        } else {
            let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            let conn = Connection::open_with_flags(path, flags).map_err(|e| classify(path, e))?;
            match Store::checked(conn, path, false) {
                // A read-only mount, or a folder where SQLite cannot keep its WAL index.
                Err(StoreError::ReadOnly { .. }) | Err(StoreError::Sqlite { .. }) if !writable_folder(path) => {
                    Store::open_read_only(path)?
                }
                Err(StoreError::ReadOnly { .. }) => Store::open_read_only(path)?,
                other => other?,
            }
        };
        Ok(store)
    }

    /// Opens `path` for reading only: with `mode=ro`, or where SQLite cannot even keep the
    /// shared-memory index a WAL database needs beside it (a read-only mount), as `immutable`.
    pub fn open_read_only(path: &Path) -> Result<Store> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let open = |query: &str| -> Result<Store> {
            let conn = Connection::open_with_flags(format!("{}?{query}", file_uri(path)), flags)
                .map_err(|e| classify(path, e))?;
            Store::checked(conn, path, true)
        };
        match open("mode=ro") {
            Ok(store) => Ok(store),
            Err(StoreError::Sqlite { .. }) | Err(StoreError::ReadOnly { .. }) => open("immutable=1"),
            Err(e) => Err(e),
        }
    }

    /// The store on `conn` once it has been shown to be a Zonescope database this app can
    /// read, migrated (after a backup) when it is older.
    fn checked(conn: Connection, path: &Path, read_only: bool) -> Result<Store> {
        let app_id: i32 =
            conn.pragma_query_value(None, "application_id", |r| r.get(0)).map_err(|e| classify(path, e))?;
        // Reading the schema makes SQLite look past the header; a damaged file fails here.
        let tables: i64 =
            conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0)).map_err(|e| classify(path, e))?;
        if app_id != APPLICATION_ID {
            let detail = if tables == 0 {
                "an empty SQLite database".to_string()
            } else {
                let things = if tables == 1 { "table or index" } else { "tables or indexes" };
                format!("an SQLite database of another program, with {tables} {things}")
            };
            return Err(StoreError::Foreign { path: path.into(), detail });
        }
        let version: i64 =
            conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(|e| classify(path, e))?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::TooNew { path: path.into(), found: version, known: SCHEMA_VERSION });
        }
        if version < 1 {
            return Err(StoreError::Corrupt { path: path.into(), detail: "it has no schema".into() });
        }
        let mut store = Store { conn, path: path.into(), read_only, unreadable: Default::default() };
        if version < SCHEMA_VERSION {
            store.writable("bringing it up to this version's schema")?;
            let backup = store.backup_before_migration(version)?;
            store.migrate(version).map_err(|e| StoreError::Invalid(format!(
                "{}: migration from schema version {version} failed ({e}); the database was left at version {version} and a backup is at {}",
                path.display(),
                backup.display()
            )))?;
        }
        store.configure()?;
        Ok(store)
    }

    /// SQLite's quick check of every page: `Ok(())`, or what is damaged.
    pub fn quick_check(&self) -> Result<()> {
        let mut stmt = self.conn.prepare("PRAGMA quick_check(20)").map_err(|e| self.err(e))?;
        let found: Vec<String> =
            stmt.query_map([], |r| r.get(0)).and_then(|rows| rows.collect()).map_err(|e| self.err(e))?;
        if found.len() == 1 && found[0] == "ok" {
            Ok(())
        } else {
            Err(StoreError::Corrupt { path: self.path.clone(), detail: found.join("; ") })
        }
    }

    /// Whether the database was opened for reading only.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Refuses `action` on a database opened read-only.
    fn writable(&self, action: &'static str) -> Result<()> {
        if self.read_only { Err(StoreError::ReadOnly { path: self.path.clone(), action }) } else { Ok(()) }
    }

    /// Builds a new database at `path` from `data`, all or nothing: it is written beside the
    /// target and moved into place only when complete.
    pub fn create(path: &Path, data: &Dataset) -> Result<Store> {
        Store::create_with(path, |bulk| write::load_dataset(bulk, data))
    }

    /// Builds a new database at `path`, letting `fill` write its content in the transaction
    /// that creates the schema. It is built in a file of its own beside `path` (no other
    /// Zonescope uses or reuses it) and put in place only if `path` is still free: a file that
    /// appeared there meanwhile is never replaced, and the work is kept under a name that says
    /// so. A failure leaves no file behind.
    pub fn create_with(path: &Path, fill: impl FnOnce(&BulkWriter<'_>) -> Result<()>) -> Result<Store> {
        check_directory(path)?;
        if path.exists() {
            return Err(StoreError::AlreadyExists { path: path.into() });
        }
        remove_abandoned_builds(path);
        let partial = partial_path(path);
        let built = (|| {
            let mut conn = Connection::open(&partial).map_err(|e| wrap(path, e))?;
            // A file that is not yet in place has nothing to protect: write it fast.
            conn.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;")
                .map_err(|e| wrap(path, e))?;
            let tx = conn.transaction().map_err(|e| wrap(path, e))?;
            tx.pragma_update(None, "application_id", APPLICATION_ID).map_err(|e| wrap(path, e))?;
            for m in MIGRATIONS {
                tx.execute_batch(m).map_err(|e| wrap(path, e))?;
            }
            tx.pragma_update(None, "user_version", SCHEMA_VERSION).map_err(|e| wrap(path, e))?;
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('created_by', ?1), ('created_at', datetime('now')), ('synthetic', '0')",
                [concat!("zonescope ", env!("CARGO_PKG_VERSION"))],
            )
            .map_err(|e| wrap(path, e))?;
            write::fill_new(&tx, path, fill)?;
            tx.commit().map_err(|e| wrap(path, e))?;
            conn.close().map_err(|(_, e)| wrap(path, e))
        })();
        if let Err(e) = built {
            let _ = fs::remove_file(&partial);
            return Err(e);
        }
        place(&partial, path)?;
        Store::open(path)
    }

    /// Opens `path`, or builds it from the bundled dataset when there is no file. A database
    /// built from an older release's bundled data is brought up to date (`refresh_bundled`).
    pub fn open_or_create(path: &Path) -> Result<Store> {
        if !path.exists() {
            return Store::create(path, &Dataset::bundled()?);
        }
        let mut store = Store::open(path)?;
        store.refresh_bundled()?;
        Ok(store)
    }

    /// Replaces the bundled part of a database built from an older release's data with this
    /// release's (new figures, corrected sources, English names), in one transaction, keeping
    /// everything the user imported, reviewed or saved. Nothing is done to a read-only or
    /// synthetic database, to one already up to date, or to one not built from the bundled data.
    /// Returns whether anything changed.
    pub fn refresh_bundled(&mut self) -> Result<bool> {
        if self.read_only || self.is_synthetic()? {
            return Ok(false);
        }
        let current = format!("{:016x}", crate::dataset::bundled_fingerprint());
        let held = self.meta(write::BUNDLED_FINGERPRINT)?;
        if held.as_deref() == Some(current.as_str()) {
            return Ok(false);
        }
        let data = Dataset::bundled()?;
        let recorded = self.meta(write::BUNDLED_ROWS)?.and_then(|r| {
            let (a, b) = r.split_once('-')?;
            Some((a.parse::<i64>().ok()?, b.parse::<i64>().ok()?))
        });
        let rows = match (held, recorded) {
            (Some(_), Some(rows)) => rows,
            // Built by a release that kept no fingerprint: its bundled figures are the first ones
            // written, all citing bundled sources, up to the first figure citing another.
            (None, _) => {
                let keys: Vec<&str> = data.sources.iter().map(|s| s.key.as_str()).collect();
                let placeholders = vec!["?"; keys.len()].join(", ");
                let bundled: Vec<i64> = self
                    .conn
                    .prepare(&format!("SELECT id FROM source WHERE key IN ({placeholders})"))
                    .and_then(|mut st| st.query_map(rusqlite::params_from_iter(&keys), |r| r.get(0))?.collect())
                    .map_err(|e| self.err(e))?;
                if bundled.is_empty() {
                    return Ok(false);
                }
                let ids = bundled.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
                let first_other: Option<i64> = self
                    .conn
                    .query_row(&format!("SELECT min(id) FROM observation WHERE source_id NOT IN ({ids})"), [], |r| {
                        r.get(0)
                    })
                    .map_err(|e| self.err(e))?;
                let last: i64 = match first_other {
                    Some(id) => id - 1,
                    None => self
                        .conn
                        .query_row("SELECT coalesce(max(id), 0) FROM observation", [], |r| r.get(0))
                        .map_err(|e| self.err(e))?,
                };
                (1, last)
            }
            (Some(_), None) => return Ok(false),
        };
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| classify(&path, e))?;
        write::refresh_dataset(&tx, &path, &data, rows).map_err(|e| classify(&path, e))?;
        tx.commit().map_err(|e| classify(&path, e))?;
        Ok(true)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn configure(&self) -> Result<()> {
        self.conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| self.err(e))?;
        // 16 MiB of page cache: the hot paths read through indexes and summaries, and the
        // window must stay small on the largest databases.
        self.conn.execute_batch("PRAGMA foreign_keys = ON;").map_err(|e| self.err(e))?;
        self.conn.execute_batch(CACHE_SIZE).map_err(|e| self.err(e))?;
        if !self.read_only {
            self.conn
                .execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;")
                .map_err(|e| self.err(e))?;
        }
        Ok(())
    }

    fn err(&self, e: rusqlite::Error) -> StoreError {
        classify(&self.path, e)
    }

    fn backup_before_migration(&self, from: i64) -> Result<PathBuf> {
        let mut backup = PathBuf::from(format!("{}.v{from}.backup", self.path.display()));
        let mut n = 1;
        while backup.exists() {
            n += 1;
            backup = PathBuf::from(format!("{}.v{from}.backup{n}", self.path.display()));
        }
        self.conn.execute("VACUUM INTO ?1", [backup.to_string_lossy()]).map_err(|e| StoreError::Backup {
            path: self.path.clone(),
            backup: backup.clone(),
            source: e,
        })?;
        Ok(backup)
    }

    /// Applies every migration after `from`, in one transaction.
    fn migrate(&mut self, from: i64) -> rusqlite::Result<()> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        for m in &MIGRATIONS[from as usize..] {
            tx.execute_batch(m)?;
        }
        if from < SUMMARIES_SINCE {
            summary::rebuild(&tx)?;
        }
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        tx.commit()
    }

    pub fn schema_version(&self) -> Result<i64> {
        self.conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(|e| self.err(e))
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(|e| self.err(e))
    }

    pub fn is_synthetic(&self) -> Result<bool> {
        Ok(self.meta("synthetic")?.as_deref() == Some("1"))
    }

    pub fn info(&self) -> Result<Info> {
        let count = |sql: &str| -> Result<i64> { self.conn.query_row(sql, [], |r| r.get(0)).map_err(|e| self.err(e)) };
        Ok(Info {
            path: self.path.clone(),
            schema_version: self.schema_version()?,
            zones: count("SELECT count(*) FROM entity WHERE kind = 'zone'")?,
            zones_in_catalog: count("SELECT count(*) FROM entity WHERE kind = 'zone' AND in_catalog")?,
            groups: count("SELECT count(*) FROM entity WHERE kind IN ('group', 'aggregate')")?,
            indicators: count("SELECT count(*) FROM indicator")?,
            sources: count("SELECT count(*) FROM source")?,
            observations: count("SELECT coalesce(sum(n), 0) FROM figure_count")?,
            synthetic: self.is_synthetic()?,
            created_by: self.meta("created_by")?,
            read_only: self.read_only,
        })
    }
}

fn wrap(path: &Path, e: rusqlite::Error) -> StoreError {
    StoreError::Sqlite { path: path.into(), source: e }
}

/// Turns SQLite's answer on a file that is not what it should be into a message a person reads.
fn classify(path: &Path, e: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode;
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => {
            StoreError::Foreign { path: path.into(), detail: "it is not an SQLite database".into() }
        }
        Some(ErrorCode::DatabaseCorrupt) => StoreError::Corrupt { path: path.into(), detail: e.to_string() },
        Some(ErrorCode::ReadOnly) | Some(ErrorCode::PermissionDenied) => {
            StoreError::ReadOnly { path: path.into(), action: "writing" }
        }
        Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => StoreError::Busy { path: path.into() },
        _ => wrap(path, e),
    }
}

/// Whether a file can be made beside `path` (SQLite keeps a WAL database's index there).
fn writable_folder(path: &Path) -> bool {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let probe = dir.join(format!(".zonescope-probe-{}", std::process::id()));
    let made = fs::File::create(&probe).is_ok();
    let _ = fs::remove_file(&probe);
    made
}

/// `path` as an SQLite `file:` URI, its `%`, `?` and `#` escaped.
fn file_uri(path: &Path) -> String {
    let mut uri = String::from("file:");
    for c in path.to_string_lossy().chars() {
        match c {
            '%' => uri.push_str("%25"),
            '?' => uri.push_str("%3f"),
            '#' => uri.push_str("%23"),
            c => uri.push(c),
        }
    }
    uri
}

fn check_directory(path: &Path) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => return Ok(()),
    };
    if dir.is_dir() { Ok(()) } else { Err(StoreError::MissingDirectory { path: path.into(), dir: dir.into() }) }
}

/// Refuses, before SQLite sees it, a file that does not start as an SQLite database does.
fn check_sqlite_header(path: &Path, len: u64) -> Result<()> {
    if len == 0 {
        return Err(StoreError::Foreign { path: path.into(), detail: "the file is empty".into() });
    }
    let mut header = [0u8; 16];
    let mut f = fs::File::open(path).map_err(|e| StoreError::Io { path: path.into(), source: e })?;
    let n = f.read(&mut header).map_err(|e| StoreError::Io { path: path.into(), source: e })?;
    if n < 16 || &header != b"SQLite format 3\0" {
        return Err(StoreError::Foreign { path: path.into(), detail: "it is not an SQLite database".into() });
    }
    if len < 512 {
        return Err(StoreError::Corrupt { path: path.into(), detail: format!("only {len} bytes long") });
    }
    Ok(())
}

/// Where the user's database lives when no `--db` is given: `zonescope.sqlite` in the OS data
/// folder (`~/.local/share/zonescope` on Linux). The folder is created when missing.
pub fn default_database_path() -> Result<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "zonescope")
        .ok_or_else(|| StoreError::Invalid("no home folder is known for this user; pass --db PATH".into()))?;
    let dir = dirs.data_dir();
    fs::create_dir_all(dir).map_err(|e| StoreError::Io { path: dir.into(), source: e })?;
    Ok(dir.join("zonescope.sqlite"))
}

/// Moves the finished `built` to `path` only if nothing is there: a hard link fails rather than
/// replace a file (where links are not supported, the check and the rename are as close as they
/// can be). When the path was taken, the work is kept beside it under a name that says so.
fn place(built: &Path, path: &Path) -> Result<()> {
    let placed = match fs::hard_link(built, path) {
        Ok(()) => {
            let _ = fs::remove_file(built);
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(e),
        Err(_) if path.exists() => Err(std::io::Error::from(std::io::ErrorKind::AlreadyExists)),
        Err(_) => fs::rename(built, path),
    };
    match placed {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let kept = PathBuf::from(format!("{}.built-while-the-path-was-taken", path.display()));
            let kept = if fs::rename(built, &kept).is_ok() { kept } else { built.to_path_buf() };
            Err(StoreError::Invalid(format!(
                "{}: a file appeared there while the database was being built, and was left as it was; the database built is at {}",
                path.display(),
                kept.display()
            )))
        }
        Err(e) => {
            let _ = fs::remove_file(built);
            Err(StoreError::Io { path: path.into(), source: e })
        }
    }
}

/// Removes what killed builds of `path` left beside it: files named as `partial_path` names them
/// whose process no longer runs (known where /proc is; elsewhere they are left).
fn remove_abandoned_builds(path: &Path) {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name().and_then(|n| n.to_str())) else { return };
    let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let file = entry.file_name();
        let Some(rest) = file.to_str().and_then(|f| f.strip_prefix(name)).and_then(|f| f.strip_prefix('.')) else {
            continue;
        };
        let Some(pid) = rest.strip_suffix(".partial").and_then(|r| r.split_once('-')).map(|(pid, _)| pid) else {
            continue;
        };
        if pid.parse::<u32>().is_ok() && !Path::new("/proc").join(pid).exists() {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// A file of this process's own beside `path`, where a new database is built: never one that
/// another Zonescope (or a killed earlier run) is using.
fn partial_path(path: &Path) -> PathBuf {
    static BUILT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = BUILT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    PathBuf::from(format!("{}.{}-{n}.partial", path.display(), std::process::id()))
}

/// Formats a number with its unit as written: `242.3亿元`, `96%`.
pub fn value_with_unit(value: f64, unit: &str) -> String {
    format!("{}{}", model::format_number(value), unit)
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::model::{Period, Unit};
    use crate::view::ViewSpec;

    /// A text with a new zone's figure waiting for review and two accepted figures of a known
    /// zone, one of them for a period nobody else reports.
    fn import_sample(store: &mut Store) {
        let unit: Unit = "亿元".parse().unwrap();
        let figure = |entity, period: &str, reviewed| ImportedFigure {
            entity,
            indicator: "外贸进出口总额",
            measure: Measure::Value,
            period: period.parse::<Period>().unwrap(),
            period_text: "",
            value: 12.5,
            unit: &unit,
            qualifier: None,
            share_of: None,
            quote: None,
            quote_span: None,
            reviewed,
        };
        let text = ImportedText {
            title: None,
            publisher: "测试".into(),
            address: String::new(),
            published: Some("2025-01-01".into()),
            full_text: "测试经开区外贸进出口总额12.5亿元。",
        };
        let figures = [
            figure("测试经开区", "2024", None),
            figure("重庆经济技术开发区", "2024", Some(true)),
            figure("重庆经济技术开发区", "1999-01/1999-05", Some(true)),
        ];
        store.import_text(&text, &figures).unwrap();
    }

    /// The kept summaries say what counting every figure says.
    fn assert_summaries_true(store: &Store) {
        let count = |sql: &str| -> BTreeMap<i64, i64> {
            let mut stmt = store.conn.prepare(sql).unwrap();
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
        };
        // Every figure: the rows, and those of the series, whose blobs hold the `n` they say.
        let mut series = store.conn.prepare("SELECT n, figures FROM series").unwrap();
        for row in series.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?))).unwrap() {
            let (n, blob) = row.unwrap();
            assert_eq!(series::Points::of(&blob).filter(|p| p.is_ok()).count() as i64, n);
        }
        let figures = "(SELECT entity_id, indicator_id, source_id, status, 1 AS n FROM observation
             UNION ALL SELECT entity_id, indicator_id, source_id, status, n FROM series)";
        let by = |column: &str| {
            count(&format!("SELECT {column}, sum(n) FROM {figures} WHERE status = 'accepted' GROUP BY 1"))
        };
        let by_entity = by("entity_id");
        for e in store.registry().unwrap().entities {
            assert_eq!(e.figures, by_entity.get(&e.id).copied().unwrap_or(0), "{}", e.name);
        }
        let by_indicator = by("indicator_id");
        for i in store.indicators().unwrap() {
            assert_eq!(i.figures, by_indicator.get(&i.id).copied().unwrap_or(0), "{}", i.name);
            assert_eq!(store.resolve_indicator(&i.name).unwrap().figures, i.figures, "{} resolved", i.name);
        }
        let by_source = by("source_id");
        for s in store.sources().unwrap() {
            assert_eq!(s.figures, by_source.get(&s.id).copied().unwrap_or(0), "{}", s.key);
        }
        let all: i64 =
            store.conn.query_row(&format!("SELECT coalesce(sum(n), 0) FROM {figures}"), [], |r| r.get(0)).unwrap();
        assert_eq!(store.info().unwrap().observations, all);
        let pairs = count(&format!("SELECT DISTINCT indicator_id, 0 FROM {figures}"));
        for indicator in pairs.keys() {
            for measure in [Measure::Value, Measure::YoyPct, Measure::Rank, Measure::SharePct] {
                let name: String = store
                    .conn
                    .query_row("SELECT name FROM indicator WHERE id = ?1", [indicator], |r| r.get(0))
                    .unwrap();
                let all = store.observations(&ObservationQuery {
                    entities: store.registry().unwrap().entities.iter().map(|e| e.id).collect(),
                    indicator: Some(*indicator),
                    measure: Some(measure),
                    include_candidates: false,
                });
                let registry = store.registry().unwrap();
                let counted: BTreeSet<(String, usize, usize)> =
                    crate::chart::ranking_periods(&all.unwrap(), |e| registry.is_zone(e))
                        .into_iter()
                        .map(|p| (p.period.to_string(), p.entities, p.zones))
                        .collect();
                let kept: BTreeSet<(String, usize, usize)> = store
                    .ranking_periods(*indicator, measure)
                    .unwrap()
                    .into_iter()
                    .map(|p| (p.period.to_string(), p.entities, p.zones))
                    .collect();
                assert_eq!(kept, counted, "{name} {measure:?}");
            }
        }
    }

    #[test]
    fn the_kept_summaries_stay_true_through_a_build_an_import_and_a_migration() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("z.sqlite");
        let mut store = Store::create(&path, &tiny_dataset()).unwrap();
        assert_summaries_true(&store);
        import_sample(&mut store);
        assert_summaries_true(&store);
        let periods =
            store.ranking_periods(store.resolve_indicator("外贸进出口总额").unwrap().id, Measure::Value).unwrap();
        assert!(periods.iter().any(|p| p.period.to_string() == "1999-01/1999-05" && p.entities == 1));

        // As version 3 left it: no summaries, the old index by indicator, no share_of.
        store
            .conn
            .execute_batch(
                "ALTER TABLE observation DROP COLUMN share_of; DROP TABLE figure_count; DROP TABLE ranking_period;
                 DROP TABLE series;
                 CREATE INDEX observation_by_source ON observation (source_id);
                 CREATE INDEX observation_by_indicator ON observation (indicator_id, measure, period_start);
                 PRAGMA user_version = 3;",
            )
            .unwrap();
        drop(store);
        let store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        assert_summaries_true(&store);

        // As version 5 left it: ranking periods that do not count their zones, and the indexes
        // by indicator and by source that versions 7 and 8 drop.
        store
            .conn
            .execute_batch(
                "ALTER TABLE ranking_period DROP COLUMN zones; DROP TABLE series;
                 CREATE INDEX observation_by_indicator ON observation (indicator_id, measure, period_end, period_start);
                 CREATE INDEX observation_by_source ON observation (source_id);
                 PRAGMA user_version = 5;",
            )
            .unwrap();
        drop(store);
        let store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        assert_summaries_true(&store);
        assert_eq!(observation_indexes(&store), ["observation_by_entity"]);
        let periods =
            store.ranking_periods(store.resolve_indicator("外贸进出口总额").unwrap().id, Measure::Value).unwrap();
        assert!(periods.iter().any(|p| p.period.to_string() == "1999-01/1999-05" && p.entities == 1 && p.zones == 1));
    }

    #[test]
    fn the_registry_without_counts_names_the_same_entities() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::create(&dir.path().join("z.sqlite"), &tiny_dataset()).unwrap();
        import_sample(&mut store);
        let (counted, names) = (store.registry().unwrap(), store.registry_without_counts().unwrap());
        let all = counted.search("");
        assert!(all.len() > 10 && all.iter().any(|e| e.figures > 0));
        assert_eq!(all.len(), names.search("").len());
        for e in all {
            let named = names.get(e.id).unwrap();
            assert_eq!(named.figures, 0);
            assert_eq!(&crate::registry::EntityEntry { figures: e.figures, ..named.clone() }, e);
        }
    }

    #[test]
    fn removing_a_source_takes_every_figure_of_it_through_the_entity_index() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::create(&dir.path().join("z.sqlite"), &tiny_dataset()).unwrap();
        let before = store.info().unwrap().observations;
        import_sample(&mut store);
        assert_eq!(store.info().unwrap().observations, before + 3);
        let key = store.sources().unwrap().into_iter().find(|s| s.publisher == "测试").unwrap().key;
        let plan: Vec<String> = store
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN SELECT entity_id FROM observation WHERE {}", write::OF_SOURCE))
            .unwrap()
            .query_map([1], |r| r.get(3))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert!(plan.iter().any(|step| step.contains("USING INDEX observation_by_entity")), "{plan:#?}");
        assert!(!plan.iter().any(|step| step.starts_with("SCAN observation")), "{plan:#?}");
        // The figure waiting for review goes too.
        assert_eq!(store.remove_source(&key, &std::collections::HashSet::new()).unwrap(), 3);
        assert_eq!(store.info().unwrap().observations, before);
        assert_summaries_true(&store);
        assert_eq!(figures_breaking_a_foreign_key(&store), 0);
    }

    /// The names of the figure table's indexes.
    fn observation_indexes(store: &Store) -> Vec<String> {
        store
            .conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'observation' ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    /// Figures (rows and series) whose entity, indicator or source is missing.
    fn figures_breaking_a_foreign_key(store: &Store) -> i64 {
        let broken = |table: &str| -> i64 {
            let sql = format!("SELECT count(*) FROM pragma_foreign_key_check('{table}')");
            store.conn.query_row(&sql, [], |r| r.get(0)).unwrap()
        };
        broken("observation") + broken("series")
    }

    fn hot_source() -> NewSource<'static> {
        NewSource { key: "hot", publisher: "测试", published: Some("2025"), ..Default::default() }
    }

    /// A table's figures of `zones` over `years`, citing `source`: zone by zone, one indicator.
    fn table_figures(zones: &[&str], years: std::ops::Range<i32>, source: &str) -> Vec<TableFigure> {
        let unit = std::sync::Arc::new("亿元".parse::<Unit>().unwrap());
        let mut figures = Vec::new();
        for (z, zone) in zones.iter().enumerate() {
            for year in years.clone() {
                figures.push(TableFigure {
                    entity: (*zone).into(),
                    indicator: "外贸进出口总额".into(),
                    measure: Measure::Value,
                    period: Period::Year(year),
                    period_text: format!("{year}年").into(),
                    value: (z * 1000) as f64 + year as f64 / 10.0,
                    unit: std::sync::Arc::clone(&unit),
                    qualifier: None,
                    share_of: None,
                    source: source.into(),
                    note: None,
                    quote: None,
                });
            }
        }
        figures
    }

    /// Accepted figures citing each source key.
    fn figures_by_source(store: &Store) -> std::collections::BTreeMap<String, i64> {
        store.sources().unwrap().into_iter().map(|s| (s.key, s.figures)).collect()
    }

    #[test]
    fn an_older_releases_bundled_data_is_replaced_and_the_users_own_is_kept() {
        let data = Dataset::bundled().unwrap();
        // With the rows recorded (this release on), and without (releases before it).
        for recorded in [true, false] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("z.sqlite");
            let mut store = Store::create(&path, &data).unwrap();
            import_sample(&mut store);
            store.save_view("mine", &crate::view::ViewSpec::default()).unwrap();
            let users =
                figures_by_source(&store).into_iter().filter(|(k, _)| k.starts_with("text-")).collect::<Vec<_>>();
            // As an older release left it: a figure fewer, a publisher as it was, no English
            // names, another fingerprint.
            store
                .conn
                .execute_batch(
                    "DELETE FROM observation WHERE id = 1;
                     UPDATE source SET publisher = '中新网' WHERE key = 'cq_3etdz_2024-10_chinanews';
                     DELETE FROM alias WHERE kind = 'en'; UPDATE entity SET name_en = NULL;
                     UPDATE meta SET value = '0' WHERE key = 'bundled_fingerprint';",
                )
                .unwrap();
            if !recorded {
                store
                    .conn
                    .execute_batch("DELETE FROM meta WHERE key IN ('bundled_fingerprint', 'bundled_rows')")
                    .unwrap();
            }
            drop(store);
            let mut store = Store::open_or_create(&path).unwrap();
            let by_source = figures_by_source(&store);
            for s in &data.sources {
                let facts = data.facts.iter().filter(|f| f.source == s.key).count() as i64;
                assert_eq!(by_source.get(&s.key), Some(&facts), "{} (recorded: {recorded})", s.key);
            }
            assert_eq!(
                by_source.into_iter().filter(|(k, _)| k.starts_with("text-")).collect::<Vec<_>>(),
                users,
                "the user's text and its figures stay"
            );
            assert!(store.sources().unwrap().iter().any(|s| s.publisher == "中新网 (China News Service)"));
            assert_eq!(store.registry().unwrap().resolve("Wanzhou ETDZ").unwrap().name, "万州经济技术开发区");
            assert_eq!(store.views().unwrap().len(), 1);
            assert_summaries_true(&store);
            assert!(!store.refresh_bundled().unwrap(), "once is enough");
        }
    }

    #[test]
    fn a_database_of_other_data_is_not_refreshed() {
        let mut data = Dataset::bundled().unwrap();
        data.fingerprint = None;
        for s in &mut data.sources {
            s.key = format!("mine-{}", s.key);
        }
        for f in &mut data.facts {
            f.source = format!("mine-{}", f.source);
        }
        data.facts.truncate(10);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("z.sqlite");
        drop(Store::create(&path, &data).unwrap());
        let mut store = Store::open_or_create(&path).unwrap();
        assert!(!store.refresh_bundled().unwrap());
        assert_eq!(store.info().unwrap().observations, 10);
    }

    #[test]
    fn a_table_as_large_as_the_database_keeps_the_summaries_true() {
        // Large enough to be written in bulk (indexes built again, summaries from a tally), with
        // periods the bundled figures already have, so both ways of summarising are taken.
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::create(&dir.path().join("z.sqlite"), &tiny_dataset()).unwrap();
        let registry = store.registry().unwrap();
        let zones: Vec<String> = registry.search("").iter().map(|e| e.name.clone()).take(100).collect();
        let unit: Unit = "亿元".parse().unwrap();
        let mut figures = Vec::new();
        for (z, zone) in zones.iter().enumerate() {
            for year in 1500..2024 {
                figures.push(TableFigure {
                    entity: zone.as_str().into(),
                    indicator: if year % 2 == 0 { "外贸进出口总额".into() } else { "新指标".into() },
                    measure: Measure::Value,
                    period: Period::Year(year),
                    period_text: "".into(),
                    value: (z * year as usize) as f64,
                    unit: std::sync::Arc::new(unit.clone()),
                    qualifier: None,
                    share_of: None,
                    source: "bulk".into(),
                    note: None,
                    quote: None,
                });
            }
        }
        assert!(figures.len() >= 50_000);
        // A bulk import that fails (its new source is there already) leaves everything as it
        // was, the connection's settings too.
        let clash = NewSource { key: "bulk", publisher: "测试", published: Some("2025"), ..Default::default() };
        let before = store.info().unwrap().observations;
        let err = store.import_table(&[clash.clone(), clash], &figures, b"bulk", &mut |_| ()).unwrap_err();
        assert!(err.to_string().contains("z.sqlite"), "{err}");
        assert_eq!(store.info().unwrap().observations, before);
        assert_normal_settings(&store);
        let source = NewSource { key: "bulk", publisher: "测试", published: Some("2025"), ..Default::default() };
        // Another process has the file open (the window, say): the import stays in the WAL,
        // and the reader goes on reading.
        let reader = Store::open(&dir.path().join("z.sqlite")).unwrap();
        let mut told = Vec::new();
        store.import_table(&[source], &figures, b"bulk", &mut |n| told.push(n)).unwrap();
        assert_eq!(reader.info().unwrap().observations, before + figures.len() as i64);
        drop(reader);
        assert!(told.len() > 2 && told.is_sorted(), "progress is reported: {told:?}");
        assert_eq!(told.last(), Some(&figures.len()), "and reaches every figure");
        assert_summaries_true(&store);
        assert_normal_settings(&store);
        // The foreign keys and CHECKs, off while the rows were written, hold for them.
        assert_eq!(figures_breaking_a_foreign_key(&store), 0);
        store.quick_check().unwrap();
        // The index is back (by entity).
        assert_eq!(observation_indexes(&store).len(), 1);
    }

    /// The figures of `zones` of the indicator the table figures are of, from source "hot".
    fn hot_figures(store: &Store, zones: &[i64]) -> Vec<Observation> {
        let indicator = store.resolve_indicator("外贸进出口总额").unwrap().id;
        let q = ObservationQuery {
            entities: zones.to_vec(),
            indicator: Some(indicator),
            measure: None,
            include_candidates: false,
        };
        store.observations(&q).unwrap().into_iter().filter(|o| &*o.source_id == "hot").collect()
    }

    #[test]
    fn a_tables_figures_are_kept_as_series_and_read_ranked_and_removed_as_rows_are() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::create(&dir.path().join("z.sqlite"), &tiny_dataset()).unwrap();
        let names = ["重庆经济技术开发区", "万州经济技术开发区"];
        let mut figures = table_figures(&names, 2020..2024, "hot");
        // In the order of a table by year: the zones alternate.
        figures.sort_by_key(|f| (f.period.bounds(), f.entity.clone()));
        let rows_before: i64 = store.conn.query_row("SELECT count(*) FROM observation", [], |r| r.get(0)).unwrap();
        store.import_table(&[hot_source()], &figures, b"series", &mut |_| ()).unwrap();
        let rows: i64 = store.conn.query_row("SELECT count(*) FROM observation", [], |r| r.get(0)).unwrap();
        let (series, held): (i64, i64) =
            store.conn.query_row("SELECT count(*), sum(n) FROM series", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        assert_eq!((rows, series, held), (rows_before, 2, 8), "one series per zone, no row");

        let registry = store.registry().unwrap();
        let zones: Vec<i64> = names.iter().map(|n| registry.resolve(n).unwrap().id).collect();
        let read = hot_figures(&store, &zones);
        let mut expected: Vec<(String, String, String, f64)> = figures
            .iter()
            .map(|f| (f.entity.to_string(), f.period.to_string(), f.period_text.to_string(), f.value))
            .collect();
        // Entity by entity (in the order of their ids), each by period.
        expected.sort_by_key(|(entity, period, ..)| (registry.resolve(entity).unwrap().id, period.clone()));
        let got: Vec<(String, String, String, f64)> =
            read.iter().map(|o| (o.entity.to_string(), o.period.to_string(), o.period_text.clone(), o.value)).collect();
        assert_eq!(got, expected);
        for o in &read {
            assert_eq!((&*o.unit, o.value_base, o.status), ("亿元", o.value * 1e8, ReviewStatus::Accepted));
            assert_eq!((&*o.source, o.published.as_deref()), ("测试", Some("2025")), "cited as a row is");
            assert!(o.id < 0, "a series' figure has an id no row has");
        }
        let ids: std::collections::HashSet<i64> = read.iter().map(|o| o.id).collect();
        assert_eq!(ids.len(), read.len());
        // Ranked with the rows of other sources.
        let indicator = store.resolve_indicator("外贸进出口总额").unwrap();
        let ranking = store.ranking_figures(&indicator, Measure::Value, "2022".parse().ok()).unwrap();
        let ranked: Vec<(String, f64)> = ranking
            .figures
            .iter()
            .filter(|o| &*o.source_id == "hot")
            .map(|o| (o.entity.to_string(), o.value))
            .collect();
        let mut hot_2022: Vec<(String, f64)> = figures
            .iter()
            .filter(|f| f.period == Period::Year(2022))
            .map(|f| (f.entity.to_string(), f.value))
            .collect();
        hot_2022.sort_by_key(|(entity, _)| registry.resolve(entity).unwrap().id);
        assert_eq!(ranked, hot_2022);
        assert_summaries_true(&store);

        assert_eq!(store.remove_source("hot", &std::collections::HashSet::new()).unwrap(), 8);
        let left: i64 = store.conn.query_row("SELECT count(*) FROM series", [], |r| r.get(0)).unwrap();
        assert_eq!(left, 0);
        assert!(hot_figures(&store, &zones).is_empty());
        assert_summaries_true(&store);
        assert_eq!(figures_breaking_a_foreign_key(&store), 0);
    }

    #[test]
    fn a_damaged_series_is_read_up_to_the_damage_and_named() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::create(&dir.path().join("z.sqlite"), &tiny_dataset()).unwrap();
        let names = ["重庆经济技术开发区", "万州经济技术开发区"];
        let figures = table_figures(&names, 2020..2024, "hot");
        store.import_table(&[hot_source()], &figures, b"damaged", &mut |_| ()).unwrap();
        let registry = store.registry().unwrap();
        let zones: Vec<i64> = names.iter().map(|n| registry.resolve(n).unwrap().id).collect();
        // As a hand edit or a damaged disk would leave them: the last figure of one series cut
        // short, a unit no one knows on the other.
        store
            .conn
            .execute(
                "UPDATE series SET figures = substr(figures, 1, length(figures) - 3) WHERE entity_id = ?1",
                [zones[0]],
            )
            .unwrap();
        store.conn.execute("UPDATE series SET unit = '???' WHERE entity_id = ?1", [zones[1]]).unwrap();
        let read = hot_figures(&store, &zones);
        let years: Vec<String> = read.iter().map(|o| format!("{} {}", o.entity, o.period)).collect();
        assert_eq!(years, ["重庆经济技术开发区 2020", "重庆经济技术开发区 2021", "重庆经济技术开发区 2022"]);
        let mut skipped = store.unreadable_figures();
        skipped.sort_by(|a, b| a.column.cmp(&b.column));
        assert_eq!(skipped.len(), 2, "{skipped:#?}");
        assert_eq!(skipped[0].column, "figures");
        assert!(skipped[0].why.contains("past the end, at byte"), "{skipped:#?}");
        // The last figure of the one, every figure of the other.
        assert_eq!((skipped[0].figures, skipped[1].figures), (1, 4), "{skipped:#?}");
        assert_eq!((skipped[1].column.as_str(), skipped[1].value.as_str()), ("unit", "\"???\""));
        assert!(skipped.iter().all(|s| s.id < 0));
        // Figures that are no blob at all (a hand edit) are skipped and named too.
        store
            .conn
            .execute("UPDATE series SET unit = '亿元', figures = 'n/a' WHERE entity_id = ?1", [zones[1]])
            .unwrap();
        assert_eq!(hot_figures(&store, &zones).len(), 3);
        let again = store.unreadable_figures();
        let no_blob = again.iter().find(|s| s.column == "figures" && s.why.contains("where figures belong"));
        assert!(no_blob.is_some(), "{again:#?}");
        // Named by their series, as a reader can find them.
        assert!(skipped[0].to_string().starts_with("figure 4 of series #"), "{}", skipped[0]);
        assert!(skipped[1].to_string().starts_with("figures 1–4 of series #"), "{}", skipped[1]);
    }

    #[test]
    fn a_query_answers_in_the_order_of_indicator_entity_measure_and_period() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::create(&dir.path().join("z.sqlite"), &tiny_dataset()).unwrap();
        let unit: Unit = "亿元".parse().unwrap();
        let pct: Unit = "%".parse().unwrap();
        // Written out of order; 2030 and 2030年1-8月 start on the same day, so the entity
        // index gives them in the order they were written.
        let written = [
            ("万州经济技术开发区", Measure::Value, "2030", &unit),
            ("重庆经济技术开发区", Measure::YoyPct, "2030-01/2030-08", &pct),
            ("重庆经济技术开发区", Measure::Value, "2030", &unit),
            ("重庆经济技术开发区", Measure::Value, "2030-01/2030-08", &unit),
            ("重庆经济技术开发区", Measure::Value, "2029", &unit),
        ];
        let figures: Vec<ImportedFigure> = written
            .iter()
            .map(|&(entity, measure, period, unit)| ImportedFigure {
                entity,
                indicator: "排序测试指标",
                measure,
                period: period.parse::<Period>().unwrap(),
                period_text: "",
                value: 1.0,
                unit,
                qualifier: None,
                share_of: None,
                quote: None,
                quote_span: None,
                reviewed: Some(true),
            })
            .collect();
        let text = ImportedText {
            title: None,
            publisher: "测试".into(),
            address: String::new(),
            published: Some("2031-01-01".into()),
            full_text: "排序",
        };
        store.import_text(&text, &figures).unwrap();
        let registry = store.registry().unwrap();
        let entities = registry.resolve_ids(&["重庆经开区".into(), "万州经开区".into()]).unwrap();
        let indicator = store.resolve_indicator("排序测试指标").unwrap().id;
        let q = ObservationQuery { entities, indicator: Some(indicator), measure: None, include_candidates: false };
        let got: Vec<(String, Measure, String)> = store
            .observations(&q)
            .unwrap()
            .into_iter()
            .map(|o| (o.entity.to_string(), o.measure, o.period.notation().unwrap()))
            .collect();
        let chongqing = registry.resolve("重庆经开区").unwrap();
        let wanzhou = registry.resolve("万州经开区").unwrap();
        let cq = |m, p: &str| (chongqing.name.clone(), m, p.to_string());
        let mut expected = vec![
            cq(Measure::Value, "2029"),
            cq(Measure::Value, "2030-01/2030-08"),
            cq(Measure::Value, "2030"),
            cq(Measure::YoyPct, "2030-01/2030-08"),
        ];
        let wz = (wanzhou.name.clone(), Measure::Value, "2030".to_string());
        // Entities in the order of their ids.
        if wanzhou.id < chongqing.id {
            expected.insert(0, wz);
        } else {
            expected.push(wz);
        }
        assert_eq!(got, expected);
    }

    /// A connection as every write but a bulk one finds it: foreign keys and CHECKs on, the WAL.
    fn assert_normal_settings(store: &Store) {
        let pragma = |name: &str| {
            store.conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get::<_, rusqlite::types::Value>(0)).unwrap()
        };
        assert_eq!(pragma("foreign_keys"), rusqlite::types::Value::Integer(1));
        assert_eq!(pragma("ignore_check_constraints"), rusqlite::types::Value::Integer(0));
        assert_eq!(pragma("journal_mode"), rusqlite::types::Value::Text("wal".into()));
        assert_eq!(pragma("cache_size"), rusqlite::types::Value::Integer(-16384));
    }

    /// Every statement the command line, the exports and the window run on their hot paths,
    /// with its parameters, as SQLite saw it.
    fn statements_of_hot_paths(store: &mut Store) -> Vec<String> {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&seen);
        store
            .conn
            .trace_v2(
                rusqlite::trace::TraceEventCodes::SQLITE_TRACE_STMT,
                Some(move |event: rusqlite::trace::TraceEvent<'_>| {
                    if let rusqlite::trace::TraceEvent::Stmt(stmt, sql) = event {
                        record.lock().unwrap().push(stmt.expanded_sql().unwrap_or_else(|| sql.to_string()));
                    }
                }),
            )
            .unwrap();
        store.info().unwrap();
        let registry = store.registry().unwrap();
        store.sources().unwrap();
        let indicator = store.resolve_indicator("外贸进出口总额").unwrap();
        let zones = registry.resolve_ids(&["重庆经开区".into(), "万州经开区".into()]).unwrap();
        for (indicator, measure, include_candidates) in
            [(None, None, false), (Some(indicator.id), None, false), (Some(indicator.id), Some(Measure::Value), true)]
        {
            store
                .observations(&ObservationQuery { entities: zones.clone(), indicator, measure, include_candidates })
                .unwrap();
        }
        let ranking = store.ranking_figures(&indicator, Measure::Value, None).unwrap();
        store.ranking_figures(&indicator, Measure::Value, ranking.periods.last().map(|p| p.period)).unwrap();
        store.source_text("none").unwrap();
        store.views().unwrap();
        import_sample(store);
        // A table kept as series, and its removal.
        let figures = table_figures(&["重庆经济技术开发区", "万州经济技术开发区"], 2020..2024, "hot");
        store.import_table(&[hot_source()], &figures, b"hot paths", &mut |_| ()).unwrap();
        store.remove_source("hot", &std::collections::HashSet::new()).unwrap();
        store
            .conn
            .trace_v2(rusqlite::trace::TraceEventCodes::empty(), None::<fn(rusqlite::trace::TraceEvent<'_>)>)
            .unwrap();
        let mut out = seen.lock().unwrap().clone();
        out.dedup();
        out
    }

    #[test]
    fn the_hot_paths_never_read_every_figure() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::create(&dir.path().join("z.sqlite"), &tiny_dataset()).unwrap();
        let statements = statements_of_hot_paths(&mut store);
        assert!(statements.len() > 15, "{statements:#?}");
        let (mut asked, mut series) = (0, 0);
        for sql in &statements {
            let verb = sql.split_whitespace().next().unwrap_or("").to_ascii_uppercase();
            if !["SELECT", "INSERT", "UPDATE", "DELETE"].contains(&verb.as_str()) {
                continue;
            }
            // The undo of an import: SQLite checks the figure rows' foreign key by reading
            // them (schema 8), a rare command, and since tables are kept as series the rows are
            // only the figures of reports and the bundled data.
            if sql.starts_with("DELETE FROM source") {
                continue;
            }
            let mut stmt = store.conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
            let plan: Vec<String> =
                stmt.query_map([], |r| r.get::<_, String>(3)).unwrap().map(Result::unwrap).collect();
            asked += sql.contains("observation") as usize;
            for step in &plan {
                // `s` is the series where a statement reads them, else a source.
                let scans = |alias: &str, table: &str| {
                    (sql.contains(&format!("{table} {alias}"))
                        && (step == &format!("SCAN {alias}") || step.starts_with(&format!("SCAN {alias} "))))
                        || step.starts_with(&format!("SCAN {table}"))
                };
                assert!(
                    !scans("o", "observation") && !scans("s", "series"),
                    "reads every figure: {step}\nin {sql}\nplan {plan:#?}"
                );
            }
            series += sql.contains("series") as usize;
        }
        assert!(asked >= 8, "{statements:#?}");
        assert!(series >= 5, "{statements:#?}");
    }

    fn tiny_dataset() -> Dataset {
        Dataset::bundled().unwrap()
    }

    /// A database as an older Zonescope left it: only the first `version` migrations.
    fn create_at_version(path: &Path, version: usize) {
        let mut conn = Connection::open(path).unwrap();
        let tx = conn.transaction().unwrap();
        tx.pragma_update(None, "application_id", APPLICATION_ID).unwrap();
        for m in &MIGRATIONS[..version] {
            tx.execute_batch(m).unwrap();
        }
        tx.pragma_update(None, "user_version", version as i64).unwrap();
        tx.execute("INSERT INTO meta (key, value) VALUES ('synthetic', '0')", []).unwrap();
        tx.commit().unwrap();
    }

    #[test]
    fn an_older_database_is_backed_up_then_migrated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.sqlite");
        create_at_version(&path, 1);
        let before = fs::read(&path).unwrap();
        let store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        let backup = dir.path().join("old.sqlite.v1.backup");
        let conn = Connection::open(&backup).unwrap();
        let v: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(v, 1, "the backup holds the database as it was");
        assert!(!before.is_empty());
        let indexes: i64 = store
            .conn
            .query_row("SELECT count(*) FROM sqlite_schema WHERE name = 'observation_by_entity'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(indexes, 1);
    }

    #[test]
    fn every_migration_applies_on_top_of_the_previous_ones() {
        for version in 1..MIGRATIONS.len() {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("db.sqlite");
            create_at_version(&path, version);
            let store = Store::open(&path).unwrap();
            assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        }
    }

    #[test]
    fn a_failing_build_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.sqlite");
        let err = Store::create_with(&path, |_| Err(StoreError::Invalid("stop".into()))).err().unwrap();
        assert!(err.to_string().contains("stop"));
        assert!(!path.exists());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0, "nothing is left beside it");
    }

    #[test]
    fn a_file_that_appears_at_the_path_during_a_build_is_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.sqlite");
        // Someone writes the path while the database is being built.
        let err = Store::create_with(&path, |_| {
            fs::write(&path, "someone else's file").unwrap();
            Ok(())
        })
        .err()
        .unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "someone else's file");
        let message = err.to_string();
        assert!(message.contains("left as it was"), "{message}");
        let kept = dir.path().join("new.sqlite.built-while-the-path-was-taken");
        assert!(message.contains(&kept.display().to_string()), "{message}");
        let store = Store::open(&kept).unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    }

    #[test]
    fn what_a_killed_build_left_is_removed_and_never_reused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("z.sqlite");
        // No process has this id (above the kernel's limit).
        let abandoned = dir.path().join("z.sqlite.4999999-0.partial");
        fs::write(&abandoned, "half a database").unwrap();
        let other = dir.path().join("notes.txt");
        fs::write(&other, "kept").unwrap();
        Store::create(&path, &tiny_dataset()).unwrap();
        assert!(!abandoned.exists());
        assert!(other.exists());
    }

    #[test]
    fn two_builds_of_one_path_use_files_of_their_own() {
        let path = Path::new("/tmp/z.sqlite");
        assert_ne!(partial_path(path), partial_path(path));
    }

    #[test]
    fn the_bundled_dataset_builds_and_every_fact_is_stored() {
        let dir = tempfile::tempdir().unwrap();
        let data = tiny_dataset();
        let store = Store::create(&dir.path().join("z.sqlite"), &data).unwrap();
        let info = store.info().unwrap();
        assert_eq!(info.observations as usize, data.facts.len());
        assert_eq!(info.sources as usize, data.sources.len());
        assert_eq!(info.zones_in_catalog, 219);
        assert!(!info.synthetic);
    }

    #[test]
    fn a_saved_view_that_cannot_be_read_says_so_instead_of_opening_empty() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::create(&dir.path().join("z.sqlite"), &tiny_dataset()).unwrap();
        store.save_view("good", &ViewSpec::default()).unwrap();
        store
            .conn
            .execute("INSERT INTO saved_view (name, spec, updated) VALUES ('bad', '{\"measure\": \"growth\"}', datetime('now'))", [])
            .unwrap();
        let views = store.views().unwrap();
        let bad = views.iter().find(|(n, _)| n == "bad").unwrap();
        let why = bad.1.as_ref().unwrap_err();
        assert!(why.contains("\"bad\"") && why.contains("cannot be read"), "{why}");
        assert!(views.iter().find(|(n, _)| n == "good").unwrap().1.is_ok());
    }

    #[test]
    fn views_are_saved_renamed_deleted_and_the_last_one_remembered() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::create(&dir.path().join("z.sqlite"), &tiny_dataset()).unwrap();
        let spec = ViewSpec { entities: vec!["重庆经济技术开发区".into()], ..Default::default() };
        store.save_view("重庆", &spec).unwrap();
        store.save_view("重庆", &ViewSpec { tab: Some(crate::view::Tab::Chart), ..spec.clone() }).unwrap();
        assert_eq!(store.views().unwrap().len(), 1);
        assert_eq!(store.views().unwrap()[0].1.as_ref().unwrap().tab, Some(crate::view::Tab::Chart));
        store.rename_view("重庆", "Chongqing").unwrap();
        assert_eq!(store.views().unwrap()[0].0, "Chongqing");
        store.save_view("other", &spec).unwrap();
        assert!(store.rename_view("other", "Chongqing").unwrap_err().to_string().contains("already exists"));
        assert!(store.rename_view("nope", "x").is_err());
        assert!(store.save_view("  ", &spec).is_err());
        store.delete_view("Chongqing").unwrap();
        assert_eq!(store.views().unwrap().len(), 1);

        assert_eq!(store.last_view().unwrap(), None);
        store.set_last_view(&spec).unwrap();
        store.set_last_view(&spec).unwrap();
        assert_eq!(store.last_view().unwrap(), Some(spec));
    }
}
