//! Summaries kept beside the figures, so that what the pickers and rankings show costs what
//! the answer needs, not what the database holds: how many figures each entity, indicator and
//! source has (`figure_count`), and which periods of an indicator can be ranked and by how many
//! entities, and how many of them zones (`ranking_period`).
//!
//! Every write keeps them in its own transaction: a new database (bundled or synthetic) and a
//! migrated one are summarised whole, an import only for what it touched.

use std::collections::BTreeSet;

use rusqlite::{Connection, params};

use super::series::Points;
use super::write::NewObservation;
use crate::fast_hash::FastMap;
use crate::model::{Measure, Period, PeriodKind, ReviewStatus};

/// One period of one indicator and measure: the key of a `ranking_period` row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) struct RankingKey {
    pub indicator: i64,
    pub measure: Measure,
    pub kind: PeriodKind,
    pub start: i64,
    pub end: i64,
}

impl RankingKey {
    /// The key of a figure's period; none for a figure without one (it cannot be ranked).
    pub fn of(indicator: i64, measure: Measure, period: Period) -> Option<RankingKey> {
        let (start, end) = period.bounds()?;
        Some(RankingKey { indicator, measure, kind: period.kind(), start, end })
    }
}

/// Summarises every figure again (an older database's migration), reading each once.
pub(super) fn rebuild(conn: &Connection) -> rusqlite::Result<()> {
    let mut select = conn.prepare(
        "SELECT entity_id, indicator_id, source_id, status, measure, period_kind, period_start, period_end, period_text
         FROM observation",
    )?;
    let mut rows = select.query([])?;
    let mut tally = Tally::default();
    while let Some(r) = rows.next()? {
        // A row this version cannot read is left out of the summaries, as the queries skip it.
        let Some(status) = r.get_ref(3)?.as_str().ok().and_then(|s| s.parse::<ReviewStatus>().ok()) else {
            continue;
        };
        let indicator: i64 = r.get(1)?;
        let measure = r.get_ref(4)?.as_str().ok().and_then(|m| m.parse::<Measure>().ok());
        let kind = r.get_ref(5)?.as_str().ok().and_then(PeriodKind::parse).filter(|k| *k != PeriodKind::None);
        let (start, end): (Option<i64>, Option<i64>) = (r.get(6)?, r.get(7)?);
        let key = match (measure, kind, start, end) {
            (Some(measure), Some(kind), Some(start), Some(end)) => {
                Some(RankingKey { indicator, measure, kind, start, end })
            }
            _ => None,
        };
        let text = r.get_ref(8)?.as_str().unwrap_or("");
        tally.count(r.get(0)?, indicator, r.get(2)?, status, key, text);
    }
    let mut select = conn.prepare("SELECT entity_id, indicator_id, source_id, status, measure, figures FROM series")?;
    let mut rows = select.query([])?;
    while let Some(r) = rows.next()? {
        let Some(status) = r.get_ref(3)?.as_str().ok().and_then(|s| s.parse::<ReviewStatus>().ok()) else {
            continue;
        };
        let (entity, indicator, source): (i64, i64, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
        let measure = r.get_ref(4)?.as_str().ok().and_then(|m| m.parse::<Measure>().ok());
        let Ok(blob) = r.get_ref(5)?.as_blob() else { continue };
        // As the queries do: the figures before a damaged one count, the rest cannot be read.
        for point in Points::of(blob).map_while(Result::ok) {
            let key = measure.and_then(|m| point.ranking_key(indicator, m));
            tally.count(entity, indicator, source, status, key, point.period_text);
        }
    }
    tally.write(conn)
}

const PUT_PERIOD: &str = "INSERT OR REPLACE INTO ranking_period
    (indicator_id, measure, period_kind, period_start, period_end, entities, zones, period_text)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

/// Writes the ranking period `k`: reported by `entities` entities, `zones` of them zones, and
/// written `text` by one of its figures.
fn put_period(
    put: &mut rusqlite::Statement<'_>,
    k: &RankingKey,
    entities: usize,
    zones: usize,
    text: &str,
) -> rusqlite::Result<()> {
    put.execute(params![
        k.indicator,
        k.measure.as_str(),
        k.kind.as_str(),
        k.start,
        k.end,
        entities as i64,
        zones as i64,
        text
    ])?;
    Ok(())
}

/// The summaries of figures as they are written in bulk, so that a new database is summarised
/// without reading its figures a second time.
#[derive(Debug, Default)]
pub(super) struct Tally {
    // The fast hash: a bulk write tallies every row, and SipHash was a tenth of its row time.
    counts: FastMap<(i64, i64, i64, ReviewStatus), i64>,
    /// Per period: the entities reporting it (each once after `write` sorts them), and how
    /// the first figure writes the period.
    periods: FastMap<RankingKey, (Vec<i64>, String)>,
}

impl Tally {
    pub fn add(&mut self, o: &NewObservation<'_>) {
        let key = RankingKey::of(o.indicator_id, o.measure, o.period);
        self.count(o.entity_id, o.indicator_id, o.source_id, o.status, key, o.period_text);
    }

    /// One figure: counted, and when accepted and of a period, its entity noted for the period.
    fn count(
        &mut self,
        entity: i64,
        indicator: i64,
        source: i64,
        status: ReviewStatus,
        key: Option<RankingKey>,
        period_text: &str,
    ) {
        *self.counts.entry((entity, indicator, source, status)).or_default() += 1;
        let Some(key) = key.filter(|_| status == ReviewStatus::Accepted) else { return };
        let (entities, _) = self.periods.entry(key).or_insert_with(|| (Vec::new(), period_text.to_string()));
        // Figures come entity by entity: most repeats are caught here, the rest by `write`.
        if entities.last() != Some(&entity) {
            entities.push(entity);
        }
    }

    pub fn merge(&mut self, other: Tally) {
        for (k, n) in other.counts {
            *self.counts.entry(k).or_default() += n;
        }
        for (k, (entities, text)) in other.periods {
            self.periods.entry(k).or_insert_with(|| (Vec::new(), text)).0.extend(entities);
        }
    }

    /// Writes the summaries of a database whose every figure was tallied.
    pub fn write(self, conn: &Connection) -> rusqlite::Result<()> {
        conn.execute_batch("DELETE FROM figure_count; DELETE FROM ranking_period;")?;
        self.add_to(conn)
    }

    /// Adds what was tallied to the summaries of a database that may hold other figures:
    /// counts are added to; a ranking period new to the summaries is written from the tally,
    /// one they had is counted again through the index (its entities may overlap).
    pub fn add_to(self, conn: &Connection) -> rusqlite::Result<()> {
        let mut add_count = conn.prepare(
            "INSERT INTO figure_count (entity_id, indicator_id, source_id, status, n) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (entity_id, indicator_id, source_id, status) DO UPDATE SET n = n + excluded.n",
        )?;
        for ((entity, indicator, source, status), n) in self.counts {
            add_count.execute(params![entity, indicator, source, status.as_str(), n])?;
        }
        // Sorted, and searched: a million-figure table asks once per entity of every period,
        // and SipHashing each took a tenth of what follows the last row.
        let zones: Vec<i64> = conn
            .prepare("SELECT id FROM entity WHERE kind = 'zone' ORDER BY id")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut known = conn.prepare(
            "SELECT 1 FROM ranking_period WHERE indicator_id = ?1 AND measure = ?2 AND period_kind = ?3
               AND period_start = ?4 AND period_end = ?5",
        )?;
        let mut put = conn.prepare(PUT_PERIOD)?;
        let mut count_again = BTreeSet::new();
        for (k, (mut entities, text)) in self.periods {
            if known.exists(params![k.indicator, k.measure.as_str(), k.kind.as_str(), k.start, k.end])? {
                count_again.insert(k);
                continue;
            }
            entities.sort_unstable();
            entities.dedup();
            let in_zones = entities.iter().filter(|e| zones.binary_search(e).is_ok()).count();
            put_period(&mut put, &k, entities.len(), in_zones, &text)?;
        }
        refresh_periods(conn, &count_again)
    }
}

/// Summarises again what a write touched: the counts of `entities`, and the ranking periods
/// `periods`.
pub(super) fn refresh(
    conn: &Connection,
    entities: &BTreeSet<i64>,
    periods: &BTreeSet<RankingKey>,
) -> rusqlite::Result<()> {
    let mut clear = conn.prepare_cached("DELETE FROM figure_count WHERE entity_id = ?1")?;
    let mut count = conn.prepare_cached(
        "INSERT INTO figure_count (entity_id, indicator_id, source_id, status, n)
         SELECT entity_id, indicator_id, source_id, status, sum(n) FROM (
             SELECT entity_id, indicator_id, source_id, status, 1 AS n FROM observation WHERE entity_id = ?1
             UNION ALL
             SELECT entity_id, indicator_id, source_id, status, n FROM series WHERE entity_id = ?1)
         GROUP BY indicator_id, source_id, status",
    )?;
    for entity in entities {
        clear.execute([entity])?;
        count.execute([entity])?;
    }
    refresh_periods(conn, periods)
}

/// Counts again the entities reporting each of `keys`, asking the entity indexes once for each
/// entity with accepted figures of the indicator (the counts are kept first): a few thousand
/// searches each on the largest databases. The series of an indicator and measure are read
/// once for all of its keys.
fn refresh_periods(conn: &Connection, keys: &BTreeSet<RankingKey>) -> rusqlite::Result<()> {
    // Per key: each entity reporting it, whether it is a zone, and the least period text.
    let mut found: FastMap<RankingKey, (FastMap<i64, bool>, Option<String>)> = FastMap::default();
    let mut note = |key: RankingKey, entity: i64, zone: bool, text: &str| {
        let (entities, least) = found.entry(key).or_default();
        entities.insert(entity, zone);
        if least.as_deref().is_none_or(|l| text < l) {
            *least = Some(text.to_string());
        }
    };
    let mut rows = conn.prepare_cached(
        "SELECT o.entity_id, e.kind = 'zone', min(o.period_text)
         FROM observation o JOIN entity e ON e.id = o.entity_id
         WHERE o.entity_id IN (SELECT entity_id FROM figure_count WHERE indicator_id = ?1 AND status = 'accepted')
           AND o.indicator_id = ?1 AND o.measure = ?2 AND o.period_end = ?3 AND o.period_start = ?4
           AND o.period_kind = ?5 AND o.status = 'accepted'
         GROUP BY o.entity_id",
    )?;
    for k in keys {
        let mut found_rows = rows.query(params![k.indicator, k.measure.as_str(), k.end, k.start, k.kind.as_str()])?;
        while let Some(r) = found_rows.next()? {
            note(*k, r.get(0)?, r.get(1)?, r.get_ref(2)?.as_str().unwrap_or(""));
        }
    }
    let mut series = conn.prepare_cached(
        "SELECT s.entity_id, e.kind = 'zone', s.figures
         FROM series s JOIN entity e ON e.id = s.entity_id
         WHERE s.entity_id IN (SELECT entity_id FROM figure_count WHERE indicator_id = ?1 AND status = 'accepted')
           AND s.indicator_id = ?1 AND s.measure = ?2 AND s.status = 'accepted'",
    )?;
    let groups: BTreeSet<(i64, Measure)> = keys.iter().map(|k| (k.indicator, k.measure)).collect();
    for (indicator, measure) in groups {
        let mut found_series = series.query(params![indicator, measure.as_str()])?;
        while let Some(r) = found_series.next()? {
            let (entity, zone): (i64, bool) = (r.get(0)?, r.get(1)?);
            let Ok(blob) = r.get_ref(2)?.as_blob() else { continue };
            for point in Points::of(blob).map_while(Result::ok) {
                if let Some(key) = point.ranking_key(indicator, measure).filter(|k| keys.contains(k)) {
                    note(key, entity, zone, point.period_text);
                }
            }
        }
    }
    let mut put = conn.prepare_cached(PUT_PERIOD)?;
    let mut remove = conn.prepare_cached(
        "DELETE FROM ranking_period WHERE indicator_id = ?1 AND measure = ?2 AND period_kind = ?3
           AND period_start = ?4 AND period_end = ?5",
    )?;
    for k in keys {
        match found.remove(k) {
            None => {
                remove.execute(params![k.indicator, k.measure.as_str(), k.kind.as_str(), k.start, k.end])?;
            }
            Some((entities, text)) => {
                let zones = entities.values().filter(|zone| **zone).count();
                put_period(&mut put, k, entities.len(), zones, text.as_deref().unwrap_or_default())?;
            }
        }
    }
    Ok(())
}
