//! The SQLite store: schema, migrations, opening with care, building from the bundled data,
//! and the queries the command line and the window ask.
//!
//! Opening never writes to a file until it has been shown to be a Zonescope database of a
//! version this app understands. Every write is one transaction.

use std::collections::HashMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, params};
use serde::Serialize;

use crate::dataset::{DataError, Dataset};
use crate::model::{self, EntityKind, Measure, Period, PeriodKind, Qualifier, Unit};
use crate::names;
use crate::registry::{EntityEntry, Registry};
use crate::view::ViewSpec;

/// `PRAGMA application_id` of every Zonescope database ("ZSCP").
pub const APPLICATION_ID: i32 = 0x5A53_4350;

/// Append-only: a released migration is never edited; a change is a new entry. The schema
/// version (`PRAGMA user_version`) is the number of migrations applied.
const MIGRATIONS: &[&str] = &[
    // 1: the domain.
    r#"
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE entity (
        id         INTEGER PRIMARY KEY,
        name       TEXT NOT NULL UNIQUE,
        kind       TEXT NOT NULL CHECK (kind = 'zone' OR kind = 'group' OR kind = 'aggregate'),
        short_name TEXT,
        name_en    TEXT,
        code       TEXT,
        province   TEXT,
        city       TEXT,
        level      TEXT,
        zone_type  TEXT,
        approved   TEXT,           -- 'YYYY.MM' as published
        area_ha    REAL,
        industries TEXT,
        in_catalog INTEGER NOT NULL DEFAULT 0,
        note       TEXT
    );
    CREATE TABLE alias (
        alias     TEXT NOT NULL,
        entity_id INTEGER NOT NULL REFERENCES entity (id) ON DELETE CASCADE,
        kind      TEXT NOT NULL CHECK (kind = 'short' OR kind = 'alias' OR kind = 'en'),
        PRIMARY KEY (alias, entity_id)
    );
    CREATE TABLE group_member (
        group_id  INTEGER NOT NULL REFERENCES entity (id) ON DELETE CASCADE,
        member_id INTEGER NOT NULL REFERENCES entity (id),
        position  INTEGER NOT NULL,
        PRIMARY KEY (group_id, member_id)
    );
    CREATE TABLE indicator (
        id      INTEGER PRIMARY KEY,
        name    TEXT NOT NULL UNIQUE,
        name_en TEXT,
        kind    TEXT NOT NULL CHECK (kind = 'flow' OR kind = 'stock' OR kind = 'rank')
    );
    CREATE TABLE source (
        id        INTEGER PRIMARY KEY,
        key       TEXT NOT NULL UNIQUE,
        title     TEXT,
        publisher TEXT NOT NULL,
        address   TEXT NOT NULL DEFAULT '',
        published TEXT,            -- 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY': as precise as known
        kind      TEXT,
        full_text TEXT
    );
    CREATE TABLE observation (
        id           INTEGER PRIMARY KEY,
        entity_id    INTEGER NOT NULL REFERENCES entity (id),
        indicator_id INTEGER NOT NULL REFERENCES indicator (id),
        -- CHECKs are written with OR, not IN: SQLite builds a temporary table for every IN
        -- list it evaluates, which made bulk inserts three times slower.
        measure      TEXT NOT NULL
                     CHECK (measure = 'value' OR measure = 'yoy_pct' OR measure = 'share_pct'
                            OR measure = 'rank' OR measure = 'yoy_pp' OR measure = 'avg_yoy_pct'),
        period_kind  TEXT NOT NULL
                     CHECK (period_kind = 'year' OR period_kind = 'span' OR period_kind = 'at' OR period_kind = 'none'),
        period_start INTEGER,      -- YYYYMMDD, first day covered
        period_end   INTEGER,      -- YYYYMMDD, last day covered
        period_text  TEXT NOT NULL DEFAULT '',
        value        REAL NOT NULL, -- as written, in unit
        unit         TEXT NOT NULL,
        value_base   REAL NOT NULL, -- in unit_base
        unit_base    TEXT NOT NULL,
        qualifier    TEXT CHECK (qualifier = 'over' OR qualifier = 'under' OR qualifier = 'about'),
        source_id    INTEGER NOT NULL REFERENCES source (id),
        quote        TEXT,
        quote_start  INTEGER,      -- character span of the quote in the source's full text
        quote_end    INTEGER,
        status       TEXT NOT NULL DEFAULT 'accepted'
                     CHECK (status = 'candidate' OR status = 'accepted' OR status = 'rejected'),
        derived_from TEXT,         -- how a derived value was computed, NULL when published
        note         TEXT
    );
    CREATE TABLE saved_view (
        id      INTEGER PRIMARY KEY,
        name    TEXT NOT NULL UNIQUE,
        spec    TEXT NOT NULL,     -- JSON
        created TEXT NOT NULL DEFAULT (datetime('now')),
        updated TEXT NOT NULL DEFAULT (datetime('now'))
    );
    "#,
    // 2: indexes for the questions asked every frame: one entity's figures, one source's.
    r#"
    CREATE INDEX observation_by_entity
        ON observation (entity_id, indicator_id, measure, period_start);
    CREATE INDEX observation_by_source ON observation (source_id);
    CREATE INDEX alias_by_entity ON alias (entity_id);
    "#,
    // 3: rankings ask one indicator across every entity.
    r#"
    CREATE INDEX observation_by_indicator ON observation (indicator_id, measure, period_start);
    "#,
];

/// The schema version this app writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{}: the folder {} does not exist", path.display(), dir.display())]
    MissingDirectory { path: PathBuf, dir: PathBuf },
    #[error("{}: no such file", path.display())]
    NotFound { path: PathBuf },
    #[error("{}: already exists; Zonescope builds a new database only where there is no file", path.display())]
    AlreadyExists { path: PathBuf },
    #[error("{}: the file is read-only; Zonescope needs to write to its database (copy it somewhere writable, or make it writable)", path.display())]
    ReadOnly { path: PathBuf },
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

/// An open Zonescope database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
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

/// A new observation, by ids, for bulk writing.
#[derive(Debug, Clone)]
pub struct NewObservation<'a> {
    pub entity_id: i64,
    pub indicator_id: i64,
    pub measure: Measure,
    pub period: Period,
    pub period_text: &'a str,
    pub value: f64,
    pub unit: &'a Unit,
    pub qualifier: Option<Qualifier>,
    pub source_id: i64,
    pub quote: Option<&'a str>,
    pub note: Option<&'a str>,
    /// Characters of the quote in the source's stored text.
    pub quote_span: Option<(usize, usize)>,
    pub status: ReviewStatus,
}

const INSERT_OBSERVATION: &str = "INSERT INTO observation
    (entity_id, indicator_id, measure, period_kind, period_start, period_end, period_text,
     value, unit, value_base, unit_base, qualifier, source_id, quote, note, quote_start, quote_end, status)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)";

/// Writes observations through one prepared statement, inside a transaction the caller owns.
pub struct ObservationWriter<'t> {
    stmt: rusqlite::CachedStatement<'t>,
}

impl ObservationWriter<'_> {
    pub fn insert(&mut self, o: &NewObservation<'_>) -> rusqlite::Result<()> {
        let (start, end) = o.period.bounds().unzip();
        self.stmt.execute(params![
            o.entity_id,
            o.indicator_id,
            o.measure.as_str(),
            o.period.kind().as_str(),
            start,
            end,
            o.period_text,
            o.value,
            o.unit.written,
            o.unit.normalise(o.value),
            o.unit.base.name(),
            o.qualifier.map(Qualifier::as_str),
            o.source_id,
            o.quote,
            o.note,
            o.quote_span.map(|s| s.0 as i64),
            o.quote_span.map(|s| s.1 as i64),
            o.status.as_str(),
        ])?;
        Ok(())
    }
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
        // Checked by hand: SQLite run as root would write to a file its owner made read-only.
        if meta.permissions().readonly() {
            return Err(StoreError::ReadOnly { path: path.into() });
        }
        check_sqlite_header(path, meta.len())?;

        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| classify(path, e))?;
        let app_id: i32 =
            conn.pragma_query_value(None, "application_id", |r| r.get(0)).map_err(|e| classify(path, e))?;
        // Reading the schema makes SQLite look past the header; a damaged file fails here.
        let tables: i64 =
            conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0)).map_err(|e| classify(path, e))?;
        if app_id != APPLICATION_ID {
            let detail = if tables == 0 {
                "an empty SQLite database".to_string()
            } else {
                format!("an SQLite database of another program, with {tables} tables or indexes")
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
        let mut store = Store { conn, path: path.into() };
        if version < SCHEMA_VERSION {
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

    /// Builds a new database at `path` from `data`, all or nothing: it is written beside the
    /// target and moved into place only when complete.
    pub fn create(path: &Path, data: &Dataset) -> Result<Store> {
        Store::create_with(path, |tx| load_dataset(tx, data).map_err(|e| wrap(path, e)))
    }

    /// Builds a new database at `path`, letting `fill` write its content in the transaction
    /// that creates the schema. A failure leaves no file behind.
    pub fn create_with(path: &Path, fill: impl FnOnce(&Transaction<'_>) -> Result<()>) -> Result<Store> {
        check_directory(path)?;
        if path.exists() {
            return Err(StoreError::AlreadyExists { path: path.into() });
        }
        let partial = partial_path(path);
        let _ = fs::remove_file(&partial);
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
            fill(&tx)?;
            tx.commit().map_err(|e| wrap(path, e))?;
            conn.close().map_err(|(_, e)| wrap(path, e))
        })();
        if let Err(e) = built {
            let _ = fs::remove_file(&partial);
            return Err(e);
        }
        fs::rename(&partial, path).map_err(|e| StoreError::Io { path: path.into(), source: e })?;
        Store::open(path)
    }

    /// Opens `path`, or builds it from the bundled dataset when there is no file.
    pub fn open_or_create(path: &Path) -> Result<Store> {
        if path.exists() { Store::open(path) } else { Store::create(path, &Dataset::bundled()?) }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// For code that needs SQL the store does not offer (benchmarks, tests).
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    fn configure(&self) -> Result<()> {
        self.conn
            .execute_batch("PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536;")
            .map_err(|e| self.err(e))
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
        let tx = self.conn.transaction()?;
        for m in &MIGRATIONS[from as usize..] {
            tx.execute_batch(m)?;
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
            observations: count("SELECT count(*) FROM observation")?,
            synthetic: self.is_synthetic()?,
            created_by: self.meta("created_by")?,
        })
    }

    /// Every entity with its names, members and number of accepted figures.
    pub fn registry(&self) -> Result<Registry> {
        let map = |e| self.err(e);
        let mut aliases: HashMap<i64, Vec<String>> = HashMap::new();
        for (id, alias) in
            self.id_pairs::<String>("SELECT entity_id, alias FROM alias WHERE kind != 'short' ORDER BY rowid")?
        {
            aliases.entry(id).or_default().push(alias);
        }
        let mut members: HashMap<i64, Vec<i64>> = HashMap::new();
        for (g, m) in
            self.id_pairs::<i64>("SELECT group_id, member_id FROM group_member ORDER BY group_id, position")?
        {
            members.entry(g).or_default().push(m);
        }
        let figures: HashMap<i64, i64> = self
            .id_pairs::<i64>(
                "SELECT entity_id, count(*) FROM observation WHERE status = 'accepted' GROUP BY entity_id",
            )?
            .into_iter()
            .collect();
        let mut stmt = self
            .conn
            .prepare("SELECT id, name, kind, short_name, name_en, code, province, approved, in_catalog FROM entity ORDER BY id")
            .map_err(map)?;
        let rows = stmt
            .query_map([], |r| {
                let id: i64 = r.get(0)?;
                let kind: String = r.get(2)?;
                Ok(EntityEntry {
                    id,
                    name: r.get(1)?,
                    kind: kind.parse().map_err(|e: model::ParseError| {
                        rusqlite::Error::FromSqlConversionFailure(2, rusqlite::types::Type::Text, e.into())
                    })?,
                    short_name: r.get(3)?,
                    name_en: r.get(4)?,
                    code: r.get(5)?,
                    province: r.get(6)?,
                    approved: r.get(7)?,
                    in_catalog: r.get(8)?,
                    aliases: aliases.remove(&id).unwrap_or_default(),
                    members: members.remove(&id).unwrap_or_default(),
                    figures: figures.get(&id).copied().unwrap_or(0),
                })
            })
            .map_err(map)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(map)?;
        Ok(Registry::new(rows))
    }

    /// The rows of a two-column query whose first column is an id.
    fn id_pairs<T: rusqlite::types::FromSql>(&self, sql: &str) -> Result<Vec<(i64, T)>> {
        let mut stmt = self.conn.prepare(sql).map_err(|e| self.err(e))?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).and_then(|rows| rows.collect()).map_err(|e| self.err(e))
    }

    pub fn indicators(&self) -> Result<Vec<IndicatorEntry>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT i.id, i.name, i.name_en, i.kind,
                        (SELECT count(*) FROM observation o WHERE o.indicator_id = i.id AND o.status = 'accepted')
                 FROM indicator i ORDER BY i.id",
            )
            .map_err(|e| self.err(e))?;
        stmt.query_map([], |r| {
            Ok(IndicatorEntry {
                id: r.get(0)?,
                name: r.get(1)?,
                name_en: r.get(2)?,
                kind: r.get(3)?,
                figures: r.get(4)?,
            })
        })
        .and_then(|rows| rows.collect())
        .map_err(|e| self.err(e))
    }

    /// The indicator `name` stands for: its canonical or English name exactly, else the one
    /// indicator whose names contain it.
    pub fn resolve_indicator(&self, name: &str) -> Result<IndicatorEntry> {
        let all = self.indicators()?;
        let key = names::lookup_key(name);
        let names_of = |i: &IndicatorEntry| {
            std::iter::once(names::lookup_key(&i.name)).chain(i.name_en.as_deref().map(names::lookup_key))
        };
        if let Some(exact) = all.iter().find(|i| names_of(i).any(|n| n == key)) {
            return Ok(exact.clone());
        }
        let found: Vec<&IndicatorEntry> =
            all.iter().filter(|i| !key.is_empty() && names_of(i).any(|n| n.contains(&key))).collect();
        match found.as_slice() {
            [one] => Ok((*one).clone()),
            [] => Err(StoreError::Invalid(format!(
                "no indicator is called {name:?} (`zonescope query --zone …` without --indicator lists what a zone has)"
            ))),
            many => Err(StoreError::Invalid(format!(
                "{name:?} could be any of: {}",
                many.iter().take(8).map(|i| i.name.as_str()).collect::<Vec<_>>().join(", ")
            ))),
        }
    }

    /// Observations matching `q`, with their sources, ordered by indicator, entity, measure
    /// (levels first) and period.
    pub fn observations(&self, q: &ObservationQuery) -> Result<Vec<Observation>> {
        if q.entities.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = format!("{OBSERVATION_SELECT} WHERE o.entity_id IN (");
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        for (n, id) in q.entities.iter().enumerate() {
            sql.push_str(if n == 0 { "?" } else { ", ?" });
            args.push((*id).into());
        }
        sql.push(')');
        if let Some(ind) = q.indicator {
            sql.push_str(" AND o.indicator_id = ?");
            args.push(ind.into());
        }
        if let Some(m) = q.measure {
            sql.push_str(" AND o.measure = ?");
            args.push(m.as_str().to_string().into());
        }
        sql.push_str(if q.include_candidates {
            " AND o.status IN ('accepted', 'candidate')"
        } else {
            " AND o.status = 'accepted'"
        });
        sql.push_str(" ORDER BY o.indicator_id, o.entity_id, CASE o.measure WHEN 'value' THEN 0 WHEN 'yoy_pct' THEN 1 WHEN 'share_pct' THEN 2 WHEN 'rank' THEN 3 WHEN 'yoy_pp' THEN 4 ELSE 5 END, o.period_kind = 'none', o.period_start, o.period_end, o.id");
        let mut stmt = self.conn.prepare_cached(&sql).map_err(|e| self.err(e))?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), row_to_observation).map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(|e| self.err(e))
    }

    /// Every accepted observation of one indicator and measure, across all entities: what a
    /// ranking is made from.
    pub fn observations_of_indicator(&self, indicator: i64, measure: Measure) -> Result<Vec<Observation>> {
        let sql = format!(
            "{OBSERVATION_SELECT} WHERE o.indicator_id = ?1 AND o.measure = ?2 AND o.status = 'accepted'
             ORDER BY o.period_start, o.period_end, o.entity_id, o.id"
        );
        let mut stmt = self.conn.prepare_cached(&sql).map_err(|e| self.err(e))?;
        let rows = stmt.query_map(params![indicator, measure.as_str()], row_to_observation).map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(|e| self.err(e))
    }

    /// Saves `spec` under `name`, replacing a view of that name.
    pub fn save_view(&self, name: &str, spec: &ViewSpec) -> Result<()> {
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::Invalid("a saved view needs a name".into()));
        }
        self.conn
            .execute(
                "INSERT INTO saved_view (name, spec) VALUES (?1, ?2)
                 ON CONFLICT (name) DO UPDATE SET spec = excluded.spec, updated = datetime('now')",
                params![name, spec.to_json()],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Saved views, by name. A view this version cannot read is listed with why, rather than
    /// lost or opened as an empty view.
    pub fn views(&self) -> Result<Vec<(String, std::result::Result<ViewSpec, String>)>> {
        let mut stmt = self.conn.prepare("SELECT name, spec FROM saved_view ORDER BY name").map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
            .map_err(|e| self.err(e))?;
        Ok(rows
            .into_iter()
            .map(|(name, spec)| {
                let view =
                    ViewSpec::from_json(&spec).map_err(|e| format!("the saved view {name:?} cannot be read: {e}"));
                (name, view)
            })
            .collect())
    }

    pub fn rename_view(&self, from: &str, to: &str) -> Result<()> {
        let to = to.trim();
        if to.is_empty() {
            return Err(StoreError::Invalid("a saved view needs a name".into()));
        }
        let changed = self
            .conn
            .execute("UPDATE saved_view SET name = ?2, updated = datetime('now') WHERE name = ?1", params![from, to])
            .map_err(|e| match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::ConstraintViolation) => {
                    StoreError::Invalid(format!("a view called {to:?} already exists"))
                }
                _ => self.err(e),
            })?;
        if changed == 0 {
            return Err(StoreError::Invalid(format!("no view is called {from:?}")));
        }
        Ok(())
    }

    pub fn delete_view(&self, name: &str) -> Result<()> {
        self.conn.execute("DELETE FROM saved_view WHERE name = ?1", [name]).map_err(|e| self.err(e))?;
        Ok(())
    }

    /// The view the window showed when it was last used, if any.
    pub fn last_view(&self) -> Result<Option<ViewSpec>> {
        Ok(self.meta("last_view")?.and_then(|json| ViewSpec::from_json(&json).ok()))
    }

    pub fn set_last_view(&self, spec: &ViewSpec) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO meta (key, value) VALUES ('last_view', ?1)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [spec.to_json()],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Stores a text as a source, with the figures found in it, in one transaction: each
    /// waiting for review, accepted or rejected. A text already stored (same content) adds
    /// nothing. Entities and indicators the database lacks are added (a group with its members).
    pub fn import_text(&mut self, text: &ImportedText<'_>, figures: &[ImportedFigure<'_>]) -> Result<ImportOutcome> {
        let key = format!("text-{:016x}", fnv1a(text.full_text.as_bytes()));
        let path = self.path.clone();
        let wrap = |e: rusqlite::Error| classify(&path, e);
        let tx = self.conn.transaction().map_err(wrap)?;
        let exists: bool =
            tx.query_row("SELECT count(*) FROM source WHERE key = ?1", [&key], |r| r.get::<_, i64>(0)).map_err(wrap)?
                > 0;
        if exists {
            return Ok(ImportOutcome { source_key: key, added: 0, already_stored: true });
        }
        tx.execute(
            "INSERT INTO source (key, title, publisher, address, published, kind, full_text) VALUES (?1, ?2, ?3, ?4, ?5, 'imported', ?6)",
            params![key, text.title, text.publisher, text.address, text.published, text.full_text],
        )
        .map_err(wrap)?;
        let source_id = tx.last_insert_rowid();
        let mut added = 0;
        {
            let mut writer = observation_writer(&tx).map_err(wrap)?;
            for f in figures {
                let status = match f.reviewed {
                    Some(true) => ReviewStatus::Accepted,
                    Some(false) => ReviewStatus::Rejected,
                    None => ReviewStatus::Candidate,
                };
                writer
                    .insert(&NewObservation {
                        entity_id: entity_id_or_add(&tx, f.entity).map_err(wrap)?,
                        indicator_id: indicator_id_or_add(&tx, f.indicator).map_err(wrap)?,
                        measure: f.measure,
                        period: f.period,
                        period_text: f.period_text,
                        value: f.value,
                        unit: f.unit,
                        qualifier: f.qualifier,
                        source_id,
                        quote: f.quote,
                        note: Some("extracted"),
                        quote_span: f.quote_span,
                        status,
                    })
                    .map_err(wrap)?;
                added += 1;
            }
        }
        tx.commit().map_err(wrap)?;
        Ok(ImportOutcome { source_key: key, added, already_stored: false })
    }

    /// The stored full text of a source, when there is one.
    pub fn source_text(&self, key: &str) -> Result<Option<String>> {
        self.conn
            .query_row("SELECT full_text FROM source WHERE key = ?1", [key], |r| r.get::<_, Option<String>>(0))
            .optional()
            .map(Option::flatten)
            .map_err(|e| self.err(e))
    }

    pub fn sources(&self) -> Result<Vec<SourceSummary>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT s.id, s.key, s.title, s.publisher, s.published, s.address, s.kind,
                        (SELECT count(*) FROM observation o WHERE o.source_id = s.id AND o.status = 'accepted'),
                        s.full_text IS NOT NULL
                 FROM source s ORDER BY s.published DESC, s.key",
            )
            .map_err(|e| self.err(e))?;
        stmt.query_map([], |r| {
            Ok(SourceSummary {
                id: r.get(0)?,
                key: r.get(1)?,
                title: r.get(2)?,
                publisher: r.get(3)?,
                published: r.get(4)?,
                address: r.get(5)?,
                kind: r.get(6)?,
                figures: r.get(7)?,
                has_text: r.get(8)?,
            })
        })
        .and_then(|rows| rows.collect())
        .map_err(|e| self.err(e))
    }
}

/// The columns `row_to_observation` reads, with the joins that give them.
const OBSERVATION_SELECT: &str = "SELECT o.id, e.name, i.name, o.measure, o.period_kind, o.period_start, o.period_end,
        o.period_text, o.value, o.unit, o.value_base, o.unit_base, o.qualifier,
        s.publisher, s.key, s.published, s.address, o.quote, o.quote_start, o.quote_end,
        o.status, o.derived_from, o.note
    FROM observation o
    JOIN entity e ON e.id = o.entity_id
    JOIN indicator i ON i.id = o.indicator_id
    JOIN source s ON s.id = o.source_id";

fn row_to_observation(r: &rusqlite::Row<'_>) -> rusqlite::Result<Observation> {
    let bad = |col: usize, what: String| {
        rusqlite::Error::FromSqlConversionFailure(col, rusqlite::types::Type::Text, what.into())
    };
    let measure: String = r.get(3)?;
    let measure = measure.parse::<Measure>().map_err(|e| bad(3, e.to_string()))?;
    let kind: String = r.get(4)?;
    let kind = PeriodKind::parse(&kind).ok_or_else(|| bad(4, format!("period kind {kind:?}")))?;
    let period = Period::from_stored(kind, r.get(5)?, r.get(6)?).ok_or_else(|| bad(5, "period bounds".into()))?;
    let qualifier: Option<String> = r.get(12)?;
    let qualifier =
        Qualifier::parse_optional(qualifier.as_deref().unwrap_or("")).map_err(|e| bad(12, e.to_string()))?;
    let quote_start: Option<i64> = r.get(18)?;
    let quote_end: Option<i64> = r.get(19)?;
    Ok(Observation {
        id: r.get(0)?,
        entity: r.get(1)?,
        indicator: r.get(2)?,
        measure,
        period,
        period_text: r.get(7)?,
        value: r.get(8)?,
        unit: r.get(9)?,
        value_base: r.get(10)?,
        unit_base: r.get(11)?,
        qualifier,
        source: r.get(13)?,
        source_id: r.get(14)?,
        published: r.get(15)?,
        address: r.get(16)?,
        quote: r.get(17)?,
        quote_span: quote_start.zip(quote_end),
        status: {
            let status: String = r.get(20)?;
            status.parse().map_err(|e: crate::model::ParseError| {
                rusqlite::Error::FromSqlConversionFailure(20, rusqlite::types::Type::Text, Box::new(e))
            })?
        },
        derived_from: r.get(21)?,
        note: r.get(22)?,
    })
}

/// A text to store as a source.
#[derive(Debug, Clone)]
pub struct ImportedText<'a> {
    pub title: Option<String>,
    pub publisher: String,
    pub address: String,
    pub published: Option<String>,
    pub full_text: &'a str,
}

/// A figure found in an imported text.
#[derive(Debug, Clone)]
pub struct ImportedFigure<'a> {
    pub entity: &'a str,
    pub indicator: &'a str,
    pub measure: Measure,
    pub period: Period,
    pub period_text: &'a str,
    pub value: f64,
    pub unit: &'a Unit,
    pub qualifier: Option<Qualifier>,
    pub quote: Option<&'a str>,
    /// Characters of the quote in the text.
    pub quote_span: Option<(usize, usize)>,
    /// `Some(true)` accepted, `Some(false)` rejected, `None` waiting for review.
    pub reviewed: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportOutcome {
    pub source_key: String,
    pub added: usize,
    pub already_stored: bool,
}

/// FNV-1a: a stable fingerprint of a text, so that importing it twice is noticed.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ *b as u64).wrapping_mul(0x0100_0000_01b3))
}

/// The id of the entity called `name`, added when missing: a `+`-joined name is a group of
/// its members; any other unknown name a zone proposed by extraction, to be reviewed.
fn entity_id_or_add(tx: &Transaction<'_>, name: &str) -> rusqlite::Result<i64> {
    if let Some(id) = tx.query_row("SELECT id FROM entity WHERE name = ?1", [name], |r| r.get(0)).optional()? {
        return Ok(id);
    }
    let members: Vec<&str> = name.split(crate::model::GROUP_SEPARATOR).collect();
    if members.len() > 1 {
        tx.execute("INSERT INTO entity (name, kind) VALUES (?1, 'group')", [name])?;
        let group = tx.last_insert_rowid();
        for (position, m) in members.iter().enumerate() {
            let member = entity_id_or_add(tx, m)?;
            tx.execute(
                "INSERT OR IGNORE INTO group_member (group_id, member_id, position) VALUES (?1, ?2, ?3)",
                params![group, member, position as i64],
            )?;
        }
        return Ok(group);
    }
    tx.execute(
        "INSERT INTO entity (name, kind, short_name, note) VALUES (?1, 'zone', ?2, 'proposed by extraction: not in the registry')",
        params![name, names::short_name(name)],
    )?;
    Ok(tx.last_insert_rowid())
}

fn indicator_id_or_add(tx: &Transaction<'_>, name: &str) -> rusqlite::Result<i64> {
    if let Some(id) = tx.query_row("SELECT id FROM indicator WHERE name = ?1", [name], |r| r.get(0)).optional()? {
        return Ok(id);
    }
    tx.execute(
        "INSERT INTO indicator (name, kind) VALUES (?1, ?2)",
        params![name, crate::dataset::infer_indicator_kind(name).as_str()],
    )?;
    Ok(tx.last_insert_rowid())
}

/// A prepared writer of observations for `tx`.
pub fn observation_writer<'t>(tx: &'t Transaction<'_>) -> rusqlite::Result<ObservationWriter<'t>> {
    Ok(ObservationWriter { stmt: tx.prepare_cached(INSERT_OBSERVATION)? })
}

/// Runs `fill`, which writes many observations in `tx`, with the observation indexes dropped,
/// and builds them again afterwards: one sort at the end instead of a search per row. Inside
/// the transaction, so a failure leaves the indexes as they were.
pub fn with_observation_indexes_deferred<T>(
    tx: &Transaction<'_>,
    fill: impl FnOnce() -> rusqlite::Result<T>,
) -> rusqlite::Result<T> {
    let indexes: Vec<(String, String)> = tx
        .prepare(
            "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'observation' AND sql IS NOT NULL",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (name, _) in &indexes {
        tx.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
    }
    let out = fill()?;
    for (_, sql) in &indexes {
        tx.execute_batch(sql)?;
    }
    Ok(out)
}

/// Writes the bundled dataset into a fresh schema.
fn load_dataset(tx: &Transaction<'_>, data: &Dataset) -> rusqlite::Result<()> {
    let mut entity_ids: HashMap<String, i64> = HashMap::new();
    {
        let mut stmt = tx.prepare(
            "INSERT INTO entity (name, kind, short_name, code, province, city, level, zone_type, approved, area_ha, industries, in_catalog)
             VALUES (?1, 'zone', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 1)",
        )?;
        for z in &data.zones {
            stmt.execute(params![
                z.name,
                names::short_name(&z.name),
                z.code,
                z.province,
                z.city,
                z.level,
                z.zone_type,
                z.approved,
                z.area_ha,
                z.industries
            ])?;
            entity_ids.insert(z.name.clone(), tx.last_insert_rowid());
        }
    }
    // Entities that only the facts name: zones outside the catalog, groups and their members,
    // aggregates.
    {
        let mut add_entity = tx.prepare("INSERT INTO entity (name, kind, short_name, note) VALUES (?1, ?2, ?3, ?4)")?;
        let mut add_member =
            tx.prepare("INSERT OR IGNORE INTO group_member (group_id, member_id, position) VALUES (?1, ?2, ?3)")?;
        for f in &data.facts {
            if entity_ids.contains_key(&f.entity) {
                continue;
            }
            let members = f.group_members();
            for m in &members {
                if !entity_ids.contains_key(*m) {
                    let note = format!("not in 2018 catalog; member of the group {}", f.entity);
                    add_entity.execute(params![m, EntityKind::Zone.as_str(), names::short_name(m), note])?;
                    entity_ids.insert(m.to_string(), tx.last_insert_rowid());
                }
            }
            let note = (f.entity_kind == EntityKind::Zone).then_some(f.note.as_deref()).flatten();
            let short = (f.entity_kind == EntityKind::Zone).then(|| names::short_name(&f.entity)).flatten();
            add_entity.execute(params![f.entity, f.entity_kind.as_str(), short, note])?;
            let id = tx.last_insert_rowid();
            entity_ids.insert(f.entity.clone(), id);
            for (pos, m) in members.iter().enumerate() {
                add_member.execute(params![id, entity_ids[*m], pos as i64])?;
            }
        }
    }
    {
        let mut stmt = tx.prepare("INSERT INTO alias (alias, entity_id, kind) VALUES (?1, ?2, ?3)")?;
        let mut set_en = tx.prepare("UPDATE entity SET name_en = ?2 WHERE id = ?1 AND name_en IS NULL")?;
        for a in &data.aliases {
            let Some(&id) = entity_ids.get(&a.entity) else { continue };
            stmt.execute(params![a.alias, id, a.kind.as_str()])?;
            if a.kind == crate::dataset::AliasKind::English {
                set_en.execute(params![id, a.alias])?;
            }
        }
    }
    let mut indicator_ids: HashMap<&str, i64> = HashMap::new();
    {
        let mut stmt = tx.prepare("INSERT INTO indicator (name, name_en, kind) VALUES (?1, ?2, ?3)")?;
        for i in &data.indicators {
            stmt.execute(params![i.name, i.name_en, i.kind.as_str()])?;
            indicator_ids.insert(&i.name, tx.last_insert_rowid());
        }
    }
    let mut source_ids: HashMap<&str, i64> = HashMap::new();
    {
        let mut stmt = tx.prepare(
            "INSERT INTO source (key, title, publisher, address, published, kind) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for s in &data.sources {
            stmt.execute(params![s.key, s.title, s.publisher, s.address, s.published, s.kind])?;
            source_ids.insert(&s.key, tx.last_insert_rowid());
        }
    }
    let mut writer = observation_writer(tx)?;
    for f in &data.facts {
        writer.insert(&NewObservation {
            entity_id: entity_ids[&f.entity],
            indicator_id: indicator_ids[f.indicator.as_str()],
            measure: f.measure,
            period: f.period,
            period_text: &f.period_text,
            value: f.value,
            unit: &f.unit,
            qualifier: f.qualifier,
            source_id: source_ids[f.source.as_str()],
            quote: f.quote.as_deref(),
            note: f.note.as_deref(),
            quote_span: None,
            status: ReviewStatus::Accepted,
        })?;
    }
    Ok(())
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
        Some(ErrorCode::ReadOnly) | Some(ErrorCode::PermissionDenied) => StoreError::ReadOnly { path: path.into() },
        _ => wrap(path, e),
    }
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

fn partial_path(path: &Path) -> PathBuf {
    PathBuf::from(format!("{}.partial", path.display()))
}

/// Formats a number with its unit as written: `242.3亿元`, `96%`.
pub fn value_with_unit(value: f64, unit: &str) -> String {
    format!("{}{}", model::format_number(value), unit)
}

#[cfg(test)]
mod tests {
    use super::*;

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
            .connection()
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
        assert!(!partial_path(&path).exists());
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
