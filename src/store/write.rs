//! Writing figures: a new database's content (the bundled data, a synthetic one), in bulk and
//! inside the transaction that creates it, and an imported text with its figures. Each write
//! keeps the summaries (`summary.rs`) in the same transaction.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;

use std::cell::RefCell;

use super::series::{Points, SeriesWriter};
use super::summary::{self, RankingKey, Tally};
use super::{Result, Store, StoreError, classify, wrap};
use crate::dataset::Dataset;
use crate::model::{EntityKind, IndicatorKind, Measure, Period, Qualifier, ReviewStatus, ShareOf, Unit};
use crate::names;

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
    /// What a share is of (shares only).
    pub share_of: Option<ShareOf>,
    pub source_id: i64,
    pub quote: Option<&'a str>,
    pub note: Option<&'a str>,
    /// Characters of the quote in the source's stored text.
    pub quote_span: Option<(usize, usize)>,
    pub status: ReviewStatus,
}

const INSERT_OBSERVATION: &str = "INSERT INTO observation
    (entity_id, indicator_id, measure, period_kind, period_start, period_end, period_text,
     value, unit, value_base, unit_base, qualifier, source_id, quote, note, quote_start, quote_end, status,
     share_of)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)";

/// Writes observations inside a write's transaction: as rows through one prepared statement,
/// or, where the write allows it, into series (`series.rs`). `finish` writes what is left.
pub struct ObservationWriter<'t> {
    conn: &'t rusqlite::Connection,
    stmt: rusqlite::CachedStatement<'t>,
    path: &'t Path,
    /// What a bulk write has written, summarised as it goes.
    tally: Option<Tally>,
    /// Figures without a quote or note of their own, collected into series; `None` where every
    /// figure is a row (a report's, the bundled data's).
    series: Option<SeriesWriter>,
}

impl ObservationWriter<'_> {
    pub fn insert(&mut self, o: &NewObservation<'_>) -> Result<()> {
        self.insert_row(o).map_err(|e| wrap(self.path, e))
    }

    /// Writes the series still open, and hands over the tally of a bulk write.
    fn finish(mut self) -> rusqlite::Result<Option<Tally>> {
        if let Some(series) = self.series.take() {
            series.finish(self.conn)?;
        }
        Ok(self.tally.take())
    }

    fn insert_row(&mut self, o: &NewObservation<'_>) -> rusqlite::Result<()> {
        if let Some(tally) = &mut self.tally {
            tally.add(o);
        }
        if let Some(series) = &mut self.series
            && SeriesWriter::takes(o)
        {
            return series.push(self.conn, o);
        }
        let (start, end) = o.period.bounds().unzip();
        // Bound one by one with their own types: binding through `params!` (a slice of
        // `dyn ToSql`) took about a quarter of a bulk import's time per row.
        let s = &mut self.stmt;
        s.raw_bind_parameter(1, o.entity_id)?;
        s.raw_bind_parameter(2, o.indicator_id)?;
        s.raw_bind_parameter(3, o.measure.as_str())?;
        s.raw_bind_parameter(4, o.period.kind().as_str())?;
        s.raw_bind_parameter(5, start)?;
        s.raw_bind_parameter(6, end)?;
        s.raw_bind_parameter(7, o.period_text)?;
        s.raw_bind_parameter(8, o.value)?;
        s.raw_bind_parameter(9, o.unit.written.as_str())?;
        s.raw_bind_parameter(10, o.unit.normalise(o.value))?;
        s.raw_bind_parameter(11, o.unit.base.name())?;
        s.raw_bind_parameter(12, o.qualifier.map(Qualifier::as_str))?;
        s.raw_bind_parameter(13, o.source_id)?;
        s.raw_bind_parameter(14, o.quote)?;
        s.raw_bind_parameter(15, o.note)?;
        s.raw_bind_parameter(16, o.quote_span.map(|s| s.0 as i64))?;
        s.raw_bind_parameter(17, o.quote_span.map(|s| s.1 as i64))?;
        s.raw_bind_parameter(18, o.status.as_str())?;
        s.raw_bind_parameter(19, o.share_of.map(ShareOf::as_str))?;
        s.raw_execute()?;
        Ok(())
    }
}

impl Store {
    /// Stores a text as a source, with the figures found in it, in one transaction: each
    /// waiting for review, accepted or rejected. A text already stored (same content) adds
    /// nothing. Entities and indicators the database lacks are added (a group with its members).
    pub fn import_text(&mut self, text: &ImportedText<'_>, figures: &[ImportedFigure<'_>]) -> Result<ImportOutcome> {
        self.writable("storing a text and its figures")?;
        let key = format!("text-{:016x}", fnv1a(text.full_text.as_bytes()));
        let path = self.path.clone();
        let wrap = |e: rusqlite::Error| classify(&path, e);
        // IMMEDIATE: the write lock is taken (waiting for another writer) before anything is
        // read, so that a reader turning writer never meets a busy database it cannot wait for.
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(wrap)?;
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
        let mut entities = BTreeSet::new();
        let mut periods = BTreeSet::new();
        {
            let mut writer = observation_writer(&tx, &path, false, false).map_err(wrap)?;
            for f in figures {
                let status = match f.reviewed {
                    Some(true) => ReviewStatus::Accepted,
                    Some(false) => ReviewStatus::Rejected,
                    None => ReviewStatus::Candidate,
                };
                let entity_id = entity_id_or_add(&tx, f.entity, NEW_FROM_TEXT).map_err(wrap)?;
                let indicator_id = indicator_id_or_add(&tx, f.indicator).map_err(wrap)?;
                entities.insert(entity_id);
                periods.extend(RankingKey::of(indicator_id, f.measure, f.period));
                writer
                    .insert_row(&NewObservation {
                        entity_id,
                        indicator_id,
                        measure: f.measure,
                        period: f.period,
                        period_text: f.period_text,
                        value: f.value,
                        unit: f.unit,
                        qualifier: f.qualifier,
                        share_of: f.share_of,
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
        summary::refresh(&tx, &entities, &periods).map_err(wrap)?;
        tx.commit().map_err(wrap)?;
        Ok(ImportOutcome { source_key: key, added, already_stored: false })
    }
}

/// A figure of a table to store, checked: names resolved, period, unit and measure parsed.
///
/// Names, period texts and units are shared (`Arc`): a table repeats them row after row, and a
/// million figures each with copies of their own took 400 MB, whose every new page the kernel
/// cleared, where shared ones take 150 MB and no allocation per row.
#[derive(Debug, Clone)]
pub struct TableFigure {
    /// Canonical name of a zone, group or aggregate the database knows.
    pub entity: Arc<str>,
    pub indicator: Arc<str>,
    pub measure: Measure,
    pub period: Period,
    pub period_text: Arc<str>,
    pub value: f64,
    pub unit: Arc<Unit>,
    pub qualifier: Option<Qualifier>,
    pub share_of: Option<ShareOf>,
    /// The key of the source it comes from: the new source of the import, or one stored.
    pub source: Arc<str>,
    pub note: Option<String>,
    pub quote: Option<String>,
}

/// What a table import stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TableImportOutcome {
    pub added: usize,
    /// The same file (same bytes) was imported before: nothing was added.
    pub already_imported: bool,
}

/// A table this large (and at least half the size of what the database holds) is written as a
/// new database is: indexes built again at the end, summaries tallied as rows are written, and
/// the connection set for it (`Store::enter_bulk_mode`).
const BULK_ROWS: usize = 50_000;

impl Store {
    /// Stores the figures of a table, with its new source if there is one, in one transaction:
    /// all or nothing. A file whose bytes (`content`) were imported before adds nothing.
    /// Figures are accepted: the table was checked by whoever made it and by the import.
    pub fn import_table(
        &mut self,
        new_sources: &[NewSource<'_>],
        figures: &[TableFigure],
        content: &[u8],
        progress: &mut dyn FnMut(usize),
    ) -> Result<TableImportOutcome> {
        let mut all = |store: &mut FigureSink<'_>| {
            figures.iter().try_for_each(&mut *store)?;
            Ok(true)
        };
        self.import_table_from(new_sources, figures.len(), &mut all, fnv1a(content), progress)
    }

    /// As `import_table`, with the figures handed over by `produce` as it reads them, so that
    /// a table is read and stored at once. `produce` gives every figure to the sink it is
    /// called with, then says whether they are to be kept: false (a bad row came late) stores
    /// nothing. `expected`, about how many figures will come, chooses how they are written;
    /// `fingerprint` is the `fnv1a` of the file's bytes.
    pub fn import_table_from(
        &mut self,
        new_sources: &[NewSource<'_>],
        expected: usize,
        produce: &mut dyn FnMut(&mut FigureSink<'_>) -> Result<bool>,
        fingerprint: u64,
        progress: &mut dyn FnMut(usize),
    ) -> Result<TableImportOutcome> {
        self.writable("importing a table of figures")?;
        let held: i64 = self
            .conn
            .query_row("SELECT coalesce(max(id), 0) FROM observation", [], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        let bulk = expected >= BULK_ROWS && expected as i64 * 2 >= held;
        if !bulk {
            return self.import_table_in_one_transaction(new_sources, produce, fingerprint, false, progress);
        }
        let mode = self.enter_bulk_mode()?;
        let outcome = self.import_table_in_one_transaction(new_sources, produce, fingerprint, true, progress);
        let left = self.leave_bulk_mode(mode);
        let outcome = outcome?;
        left?;
        Ok(outcome)
    }

    /// Sets the connection up for a write as large as the database: a larger page cache; no
    /// foreign-key or CHECK test per row, since the writer has just looked every id up in the
    /// same transaction and every value comes from a model type; and a rollback journal
    /// instead of the WAL when no other process has the file open, since a WAL would take
    /// every new page twice (into the log at commit, then into the file). Changed outside the
    /// transaction: SQLite ignores `foreign_keys` inside one.
    fn enter_bulk_mode(&mut self) -> Result<BulkMode> {
        self.conn
            .execute_batch(
                "PRAGMA foreign_keys = OFF; PRAGMA ignore_check_constraints = ON; PRAGMA cache_size = -262144;",
            )
            .map_err(|e| self.err(e))?;
        // Leaving the WAL needs the file to itself: ask once, without waiting for other
        // readers, and stay in the WAL if they are there.
        let _ = self.conn.busy_timeout(std::time::Duration::ZERO);
        let mode: Option<String> = self.conn.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0)).ok();
        self.conn.busy_timeout(super::BUSY_TIMEOUT).map_err(|e| self.err(e))?;
        Ok(BulkMode { left_wal: mode.is_some_and(|m| m.eq_ignore_ascii_case("delete")) })
    }

    fn leave_bulk_mode(&mut self, mode: BulkMode) -> Result<()> {
        let mut sql = String::from("PRAGMA foreign_keys = ON; PRAGMA ignore_check_constraints = OFF;");
        sql.push_str(super::CACHE_SIZE);
        if mode.left_wal {
            sql.push_str("PRAGMA journal_mode = WAL;");
        }
        self.conn.execute_batch(&sql).map_err(|e| self.err(e))
    }

    fn import_table_in_one_transaction(
        &mut self,
        new_sources: &[NewSource<'_>],
        produce: &mut dyn FnMut(&mut FigureSink<'_>) -> Result<bool>,
        fingerprint: u64,
        bulk: bool,
        progress: &mut dyn FnMut(usize),
    ) -> Result<TableImportOutcome> {
        let path = self.path.clone();
        let wrap = |e: rusqlite::Error| classify(&path, e);
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(wrap)?;
        let seen_key = format!("imported_table:{fingerprint:016x}");
        let seen: Option<String> = tx
            .query_row("SELECT value FROM meta WHERE key = ?1", [&seen_key], |r| r.get(0))
            .optional()
            .map_err(wrap)?;
        if seen.is_some() {
            return Ok(TableImportOutcome { added: 0, already_imported: true });
        }
        for s in new_sources {
            tx.execute(
                "INSERT INTO source (key, title, publisher, address, published, kind) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![s.key, s.title, s.publisher, s.address, s.published, s.kind],
            )
            .map_err(wrap)?;
        }
        // A bulk write drops the indexes and builds them again at the end, inside the
        // transaction: a failure leaves them as they were. Looking names up does not use them.
        let dropped = if bulk { drop_observation_indexes(&tx).map_err(wrap)? } else { Vec::new() };
        let mut entities = BTreeSet::new();
        let mut periods = BTreeSet::new();
        // Every name looked up once: a table repeats its sources, zones and indicators.
        let (mut source_ids, mut entity_ids, mut indicator_ids) = (NameIds::new(), NameIds::new(), NameIds::new());
        let mut cited: BTreeSet<Arc<str>> = BTreeSet::new();
        let mut added = 0;
        let tally;
        let keep;
        {
            // A bulk write tallies its figures as it goes; a small one counts its entities and
            // periods again afterwards.
            let mut writer = observation_writer(&tx, &path, bulk, true).map_err(wrap)?;
            let mut store = |f: &TableFigure| -> Result<()> {
                if added % 16_384 == 0 {
                    progress(added);
                }
                let source_id = source_ids
                    .get(&f.source, || tx.query_row("SELECT id FROM source WHERE key = ?1", [&*f.source], |r| r.get(0)))
                    .map_err(wrap)?;
                if source_ids.was_new {
                    cited.insert(Arc::clone(&f.source));
                }
                let entity_id =
                    entity_ids.get(&f.entity, || entity_id_or_add(&tx, &f.entity, NEW_FROM_TABLE)).map_err(wrap)?;
                let indicator_id =
                    indicator_ids.get(&f.indicator, || indicator_id_or_add(&tx, &f.indicator)).map_err(wrap)?;
                if !bulk {
                    entities.insert(entity_id);
                    periods.extend(RankingKey::of(indicator_id, f.measure, f.period));
                }
                writer
                    .insert_row(&NewObservation {
                        entity_id,
                        indicator_id,
                        measure: f.measure,
                        period: f.period,
                        period_text: &f.period_text,
                        value: f.value,
                        unit: &f.unit,
                        qualifier: f.qualifier,
                        share_of: f.share_of,
                        source_id,
                        quote: f.quote.as_deref(),
                        note: f.note.as_deref(),
                        quote_span: None,
                        status: ReviewStatus::Accepted,
                    })
                    .map_err(wrap)?;
                added += 1;
                Ok(())
            };
            keep = produce(&mut store)?;
            tally = writer.finish().map_err(wrap)?;
        }
        if !keep {
            return Err(StoreError::Invalid(format!(
                "{}: the table has rows that cannot be stored; nothing from it was stored",
                path.display()
            )));
        }
        progress(added);
        restore_indexes(&tx, &dropped).map_err(wrap)?;
        // The file is remembered with the sources its figures cite, so that removing one of
        // them (an import undone) lets the file be imported again.
        let cited: Vec<&str> = cited.iter().map(|c| &**c).collect();
        tx.execute("INSERT INTO meta (key, value) VALUES (?1, ?2)", params![seen_key, cited.join("\n")])
            .map_err(wrap)?;
        match tally {
            Some(tally) => tally.add_to(&tx).map_err(wrap)?,
            None => summary::refresh(&tx, &entities, &periods).map_err(wrap)?,
        }
        tx.commit().map_err(wrap)?;
        Ok(TableImportOutcome { added, already_imported: false })
    }
}

/// What an import is handed its figures through, one at a time (`Store::import_table_from`).
pub type FigureSink<'s> = dyn FnMut(&TableFigure) -> Result<()> + 's;

/// Ids of names (zones, indicators, sources), each looked up once; rows mostly repeat the
/// name before, which is answered by comparing pointers of the shared name, without hashing.
struct NameIds {
    ids: HashMap<Arc<str>, i64>,
    last: Option<(Arc<str>, i64)>,
    /// Whether the last `get` looked the name up.
    was_new: bool,
}

impl NameIds {
    fn new() -> NameIds {
        NameIds { ids: HashMap::new(), last: None, was_new: false }
    }

    fn get(&mut self, name: &Arc<str>, look_up: impl FnOnce() -> rusqlite::Result<i64>) -> rusqlite::Result<i64> {
        self.was_new = false;
        if let Some((last, id)) = &self.last
            && (Arc::ptr_eq(last, name) || last == name)
        {
            return Ok(*id);
        }
        let id = match self.ids.get(name) {
            Some(&id) => id,
            None => {
                let id = look_up()?;
                self.ids.insert(Arc::clone(name), id);
                self.was_new = true;
                id
            }
        };
        self.last = Some((Arc::clone(name), id));
        Ok(id)
    }
}

/// How `Store::enter_bulk_mode` left the connection.
struct BulkMode {
    /// The WAL was left for a rollback journal, and is taken again afterwards.
    left_wal: bool,
}

impl Store {
    /// Removes a source and every figure it gave, in one transaction: the undo of an import.
    /// The bundled sources stay (they are the app's data, rebuilt from `data/`); `bundled` names
    /// them. A file imported with this source may be imported again. Returns how many figures
    /// went.
    pub fn remove_source(&mut self, key: &str, bundled: &std::collections::HashSet<String>) -> Result<usize> {
        if bundled.contains(key) {
            return Err(StoreError::Invalid(format!(
                "{}: {key:?} is a source of the bundled data; only imported sources are removed",
                self.path.display()
            )));
        }
        self.writable("removing a source")?;
        let path = self.path.clone();
        let wrap = |e: rusqlite::Error| classify(&path, e);
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(wrap)?;
        let id: i64 = tx
            .query_row("SELECT id FROM source WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(wrap)?
            .ok_or_else(|| StoreError::Invalid(format!("{}: no source {key:?}", path.display())))?;
        // What the summaries must count again: the entities and ranking periods touched.
        let mut entities = BTreeSet::new();
        let mut periods = BTreeSet::new();
        {
            let mut stmt = tx
                .prepare(&format!(
                    "SELECT entity_id, indicator_id, measure, period_kind, period_start, period_end
                     FROM observation WHERE {OF_SOURCE}"
                ))
                .map_err(wrap)?;
            let mut rows = stmt.query([id]).map_err(wrap)?;
            while let Some(r) = rows.next().map_err(wrap)? {
                entities.insert(r.get::<_, i64>(0).map_err(wrap)?);
                let measure = r.get_ref(2).map_err(wrap)?.as_str().ok().and_then(|m| m.parse::<Measure>().ok());
                let kind = r.get_ref(3).map_err(wrap)?.as_str().ok().and_then(crate::model::PeriodKind::parse);
                let period =
                    kind.and_then(|k| Period::from_stored(k, r.get(4).ok().flatten(), r.get(5).ok().flatten()));
                if let (Some(measure), Some(period)) = (measure, period) {
                    periods.extend(RankingKey::of(r.get(1).map_err(wrap)?, measure, period));
                }
            }
        }
        let mut in_series = 0;
        {
            let mut stmt = tx
                .prepare("SELECT entity_id, indicator_id, measure, n, figures FROM series WHERE source_id = ?1")
                .map_err(wrap)?;
            let mut rows = stmt.query([id]).map_err(wrap)?;
            while let Some(r) = rows.next().map_err(wrap)? {
                let (entity, indicator, n): (i64, i64, i64) =
                    (r.get(0).map_err(wrap)?, r.get(1).map_err(wrap)?, r.get(3).map_err(wrap)?);
                entities.insert(entity);
                in_series += n.max(0) as usize;
                let measure = r.get_ref(2).map_err(wrap)?.as_str().ok().and_then(|m| m.parse::<Measure>().ok());
                let blob = r.get_ref(4).map_err(wrap)?.as_blob().unwrap_or_default();
                if let Some(measure) = measure {
                    periods.extend(
                        Points::of(blob).map_while(Result::ok).filter_map(|p| p.ranking_key(indicator, measure)),
                    );
                }
            }
        }
        tx.execute("DELETE FROM series WHERE source_id = ?1", [id]).map_err(wrap)?;
        let removed =
            in_series + tx.execute(&format!("DELETE FROM observation WHERE {OF_SOURCE}"), [id]).map_err(wrap)?;
        tx.execute("DELETE FROM source WHERE id = ?1", [id]).map_err(wrap)?;
        let remembered: Vec<(String, String)> = tx
            .prepare("SELECT key, value FROM meta WHERE key LIKE 'imported_table:%'")
            .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
            .map_err(wrap)?;
        for (file, cited) in remembered {
            if cited.lines().any(|k| k == key) {
                tx.execute("DELETE FROM meta WHERE key = ?1", [&file]).map_err(wrap)?;
            }
        }
        summary::refresh(&tx, &entities, &periods).map_err(wrap)?;
        tx.commit().map_err(wrap)?;
        Ok(removed)
    }
}

/// The figures of source `?1`, found through the entity index: the summaries name the zones
/// and indicators a source gave figures of (there is no index by source).
pub(super) const OF_SOURCE: &str = "source_id = ?1
    AND (entity_id, indicator_id) IN (SELECT entity_id, indicator_id FROM figure_count WHERE source_id = ?1)";

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
    /// What a share is of, where the text says.
    pub share_of: Option<ShareOf>,
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

/// A stable fingerprint of a text, so that importing it twice is noticed.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    crate::fast_hash::fnv1a(bytes.iter().copied())
}

/// Notes on entities an import adds: a name the registry does not know.
const NEW_FROM_TEXT: &str = "proposed by extraction: not in the registry";
const NEW_FROM_TABLE: &str = "added by a table import: not in the registry";

/// The id of the entity called `name`, added when missing: a `+`-joined name is a group of
/// its members; any other unknown name a zone proposed by extraction, to be reviewed.
fn entity_id_or_add(tx: &Transaction<'_>, name: &str, note: &str) -> rusqlite::Result<i64> {
    if let Some(id) = tx.query_row("SELECT id FROM entity WHERE name = ?1", [name], |r| r.get(0)).optional()? {
        return Ok(id);
    }
    let members: Vec<&str> = name.split(crate::model::GROUP_SEPARATOR).collect();
    if members.len() > 1 {
        tx.execute("INSERT INTO entity (name, kind) VALUES (?1, 'group')", [name])?;
        let group = tx.last_insert_rowid();
        for (position, m) in members.iter().enumerate() {
            let member = entity_id_or_add(tx, m, note)?;
            tx.execute(
                "INSERT OR IGNORE INTO group_member (group_id, member_id, position) VALUES (?1, ?2, ?3)",
                params![group, member, position as i64],
            )?;
        }
        return Ok(group);
    }
    tx.execute(
        "INSERT INTO entity (name, kind, short_name, note) VALUES (?1, 'zone', ?2, ?3)",
        params![name, names::short_name(name), note],
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

/// A writer of observations in `tx`; `tally` for bulk writes, which summarise as they go;
/// `series` where figures without a quote or note are kept as series.
fn observation_writer<'t>(
    tx: &'t Transaction<'_>,
    path: &'t Path,
    tally: bool,
    series: bool,
) -> rusqlite::Result<ObservationWriter<'t>> {
    Ok(ObservationWriter {
        conn: tx,
        stmt: tx.prepare_cached(INSERT_OBSERVATION)?,
        path,
        tally: tally.then(Tally::default),
        series: series.then(SeriesWriter::default),
    })
}

/// A new source, entity or indicator of a database being built.
#[derive(Debug, Clone, Default)]
pub struct NewSource<'a> {
    pub key: &'a str,
    pub title: Option<&'a str>,
    pub publisher: &'a str,
    pub address: &'a str,
    pub published: Option<&'a str>,
    pub kind: Option<&'a str>,
}

#[derive(Debug, Clone)]
pub struct NewEntity<'a> {
    pub name: &'a str,
    pub kind: EntityKind,
    pub name_en: Option<&'a str>,
    pub province: Option<&'a str>,
    pub note: Option<&'a str>,
}

/// The content of a new database, written inside the transaction that creates it
/// (`Store::create_with`): what a generator of synthetic data or a benchmark needs, in model
/// types, without SQL of its own.
pub struct BulkWriter<'t> {
    tx: &'t Transaction<'t>,
    path: &'t Path,
    tally: RefCell<Tally>,
}

impl<'t> BulkWriter<'t> {
    fn err(&self, e: rusqlite::Error) -> StoreError {
        wrap(self.path, e)
    }

    /// Marks the database as synthetic: every front end then says so.
    pub fn mark_synthetic(&self, spec: &str) -> Result<()> {
        self.tx
            .execute_batch("UPDATE meta SET value = '1' WHERE key = 'synthetic'")
            .and_then(|_| {
                self.tx.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('synthetic_spec', ?1)", [spec])
            })
            .map(drop)
            .map_err(|e| self.err(e))
    }

    pub fn add_source(&self, s: &NewSource<'_>) -> Result<i64> {
        self.tx
            .prepare_cached(
                "INSERT INTO source (key, title, publisher, address, published, kind) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )
            .and_then(|mut stmt| stmt.insert(params![s.key, s.title, s.publisher, s.address, s.published, s.kind]))
            .map_err(|e| self.err(e))
    }

    pub fn add_entity(&self, e: &NewEntity<'_>) -> Result<i64> {
        self.tx
            .prepare_cached("INSERT INTO entity (name, kind, name_en, province, note) VALUES (?1, ?2, ?3, ?4, ?5)")
            .and_then(|mut stmt| stmt.insert(params![e.name, e.kind.as_str(), e.name_en, e.province, e.note]))
            .map_err(|e| self.err(e))
    }

    pub fn add_indicator(&self, name: &str, name_en: Option<&str>, kind: IndicatorKind) -> Result<i64> {
        self.tx
            .prepare_cached("INSERT INTO indicator (name, name_en, kind) VALUES (?1, ?2, ?3)")
            .and_then(|mut stmt| stmt.insert(params![name, name_en, kind.as_str()]))
            .map_err(|e| self.err(e))
    }

    /// Lets `fill` write many observations with the observation indexes dropped, and builds
    /// them again afterwards: one sort at the end instead of a search per row. Inside the
    /// transaction, so a failure leaves the indexes as they were. CHECKs are not evaluated per
    /// row: every value comes from a model type.
    pub fn observations<T>(&self, fill: impl FnOnce(&mut ObservationWriter<'_>) -> Result<T>) -> Result<T> {
        let indexes = drop_observation_indexes(self.tx).map_err(|e| self.err(e))?;
        self.tx.execute_batch("PRAGMA ignore_check_constraints = ON").map_err(|e| self.err(e))?;
        let filled =
            observation_writer(self.tx, self.path, true, true).map_err(|e| self.err(e)).and_then(|mut writer| {
                let out = fill(&mut writer)?;
                self.tally.borrow_mut().merge(writer.finish().map_err(|e| self.err(e))?.unwrap_or_default());
                Ok(out)
            });
        self.tx.execute_batch("PRAGMA ignore_check_constraints = OFF").map_err(|e| self.err(e))?;
        let out = filled?;
        restore_indexes(self.tx, &indexes).map_err(|e| self.err(e))?;
        Ok(out)
    }
}

/// Drops the observation table's indexes, returning how to build them again: many rows are
/// written faster without them, with one sort per index at the end instead of a search per row.
/// (Keeping the entity and source indexes while writing rows in their order was slower still.)
fn drop_observation_indexes(tx: &Transaction<'_>) -> rusqlite::Result<Vec<(String, String)>> {
    let indexes: Vec<(String, String)> = tx
        .prepare(
            "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'observation' AND sql IS NOT NULL",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (name, _) in &indexes {
        tx.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
    }
    Ok(indexes)
}

fn restore_indexes(tx: &Transaction<'_>, indexes: &[(String, String)]) -> rusqlite::Result<()> {
    for (_, sql) in indexes {
        tx.execute_batch(sql)?;
    }
    Ok(())
}

/// Builds a new database's content with `fill`, and its summaries from what was written.
pub(super) fn fill_new(
    tx: &Transaction<'_>,
    path: &Path,
    fill: impl FnOnce(&BulkWriter<'_>) -> Result<()>,
) -> Result<()> {
    let bulk = BulkWriter { tx, path, tally: RefCell::new(Tally::default()) };
    fill(&bulk)?;
    bulk.tally.into_inner().write(tx).map_err(|e| wrap(path, e))
}

/// Writes the bundled dataset into a fresh schema.
pub(super) fn load_dataset(bulk: &BulkWriter<'_>, data: &Dataset) -> Result<()> {
    let (tx, path) = (bulk.tx, bulk.path);
    let tally = load_dataset_rows(tx, path, data).map_err(|e| wrap(path, e))?;
    bulk.tally.borrow_mut().merge(tally);
    Ok(())
}

/// Meta keys of a database built from the bundled data: the fingerprint of the data it holds,
/// and the ids its figures took (`first-last`), so that a newer release replaces exactly those.
pub(super) const BUNDLED_FINGERPRINT: &str = "bundled_fingerprint";
pub(super) const BUNDLED_ROWS: &str = "bundled_rows";

/// Brings the bundled part of a database up to date with `data` (a newer release's), in the
/// caller's transaction: the figures the older data gave (ids `first..=last`) are replaced;
/// zones, names, indicators and sources are updated in place (their ids kept, so that imported
/// figures keep pointing at them); the summaries are counted again. What the user imported,
/// reviewed or saved is not touched.
pub(super) fn refresh_dataset(
    tx: &Transaction<'_>,
    path: &Path,
    data: &Dataset,
    old_rows: (i64, i64),
) -> rusqlite::Result<()> {
    tx.execute("DELETE FROM observation WHERE id BETWEEN ?1 AND ?2", params![old_rows.0, old_rows.1])?;
    // Aliases and English names come only from the bundled data.
    tx.execute_batch("DELETE FROM alias; UPDATE entity SET name_en = NULL;")?;
    load_dataset_rows(tx, path, data)?;
    summary::rebuild(tx)
}

/// Writes the bundled data: into a new database, or over an older release's in an existing one
/// (every insert is an upsert by name or key, returning the row's id either way).
fn load_dataset_rows(tx: &Transaction<'_>, path: &Path, data: &Dataset) -> rusqlite::Result<Tally> {
    let mut entity_ids: HashMap<String, i64> = HashMap::new();
    {
        let mut stmt = tx.prepare(
            "INSERT INTO entity (name, kind, short_name, code, province, city, level, zone_type, approved, area_ha, industries, in_catalog)
             VALUES (?1, 'zone', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 1)
             ON CONFLICT (name) DO UPDATE SET kind = 'zone', short_name = excluded.short_name, code = excluded.code,
                province = excluded.province, city = excluded.city, level = excluded.level,
                zone_type = excluded.zone_type, approved = excluded.approved, area_ha = excluded.area_ha,
                industries = excluded.industries, in_catalog = 1
             RETURNING id",
        )?;
        for z in &data.zones {
            let id: i64 = stmt.query_row(
                params![
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
                ],
                |r| r.get(0),
            )?;
            entity_ids.insert(z.name.clone(), id);
        }
    }
    // Entities that only the facts name: zones outside the catalog, groups and their members,
    // aggregates.
    {
        // An entity the database has (from an older release, or added by an import) is kept.
        let mut add_entity = tx.prepare(
            "INSERT INTO entity (name, kind, short_name, note) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id",
        )?;
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
                    let id: i64 = add_entity
                        .query_row(params![m, EntityKind::Zone.as_str(), names::short_name(m), note], |r| r.get(0))?;
                    entity_ids.insert(m.to_string(), id);
                }
            }
            let note = (f.entity_kind == EntityKind::Zone).then_some(f.note.as_deref()).flatten();
            let short = (f.entity_kind == EntityKind::Zone).then(|| names::short_name(&f.entity)).flatten();
            let id: i64 = add_entity.query_row(params![f.entity, f.entity_kind.as_str(), short, note], |r| r.get(0))?;
            entity_ids.insert(f.entity.clone(), id);
            for (pos, m) in members.iter().enumerate() {
                add_member.execute(params![id, entity_ids[*m], pos as i64])?;
            }
        }
    }
    {
        let mut stmt = tx.prepare("INSERT OR IGNORE INTO alias (alias, entity_id, kind) VALUES (?1, ?2, ?3)")?;
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
        let mut stmt = tx.prepare(
            "INSERT INTO indicator (name, name_en, kind) VALUES (?1, ?2, ?3)
             ON CONFLICT (name) DO UPDATE SET name_en = excluded.name_en, kind = excluded.kind RETURNING id",
        )?;
        for i in &data.indicators {
            let id: i64 = stmt.query_row(params![i.name, i.name_en, i.kind.as_str()], |r| r.get(0))?;
            indicator_ids.insert(&i.name, id);
        }
    }
    let mut source_ids: HashMap<&str, i64> = HashMap::new();
    {
        let mut stmt = tx.prepare(
            "INSERT INTO source (key, title, publisher, address, published, kind) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (key) DO UPDATE SET title = excluded.title, publisher = excluded.publisher,
                address = excluded.address, published = excluded.published, kind = excluded.kind
             RETURNING id",
        )?;
        for s in &data.sources {
            let id: i64 =
                stmt.query_row(params![s.key, s.title, s.publisher, s.address, s.published, s.kind], |r| r.get(0))?;
            source_ids.insert(&s.key, id);
        }
    }
    let before: i64 = tx.query_row("SELECT coalesce(max(id), 0) FROM observation", [], |r| r.get(0))?;
    // Rows, not series: a newer release replaces the bundled figures by their ids.
    let mut writer = observation_writer(tx, path, true, false)?;
    for f in &data.facts {
        writer.insert_row(&NewObservation {
            entity_id: entity_ids[&f.entity],
            indicator_id: indicator_ids[f.indicator.as_str()],
            measure: f.measure,
            period: f.period,
            period_text: &f.period_text,
            value: f.value,
            unit: &f.unit,
            qualifier: f.qualifier,
            share_of: f.share_of,
            source_id: source_ids[f.source.as_str()],
            quote: f.quote.as_deref(),
            note: f.note.as_deref(),
            quote_span: None,
            status: ReviewStatus::Accepted,
        })?;
    }
    let tally = writer.finish()?.unwrap_or_default();
    let after: i64 = tx.query_row("SELECT coalesce(max(id), 0) FROM observation", [], |r| r.get(0))?;
    let mut remember = tx.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)")?;
    remember.execute(params![BUNDLED_ROWS, format!("{}-{after}", before + 1)])?;
    if let Some(fingerprint) = data.fingerprint {
        remember.execute(params![BUNDLED_FINGERPRINT, format!("{fingerprint:016x}")])?;
    }
    Ok(tally)
}
