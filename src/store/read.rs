//! The questions the command line, the exports and the window ask of the store, each answered
//! through an index or a summary (`summary.rs`): none reads every figure (see the test of
//! their query plans below).

use std::collections::HashMap;
use std::sync::Arc;

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::series::{Point, Points, point_id, point_of};
use super::{IndicatorEntry, ObservationQuery, Result, SourceSummary, Store, StoreError};
use crate::model::{self, BaseUnit, Measure, Observation, Period, PeriodKind, Qualifier, ReviewStatus, ShareOf};
use crate::names;
use crate::registry::{EntityEntry, Registry};

impl Store {
    /// Every entity with its names, members and number of accepted figures.
    pub fn registry(&self) -> Result<Registry> {
        self.registry_counted(true)
    }

    /// Every entity with its names and members, for resolving names: the number of figures is
    /// 0 for each. Counting them reads every summary row, which on 14 M figures was a fifth of
    /// a command that shows no count.
    pub fn registry_without_counts(&self) -> Result<Registry> {
        self.registry_counted(false)
    }

    fn registry_counted(&self, counted: bool) -> Result<Registry> {
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
        let figures: HashMap<i64, i64> = match counted {
            true => self
                .id_pairs::<i64>(
                    "SELECT entity_id, sum(n) FROM figure_count WHERE status = 'accepted' GROUP BY entity_id",
                )?
                .into_iter()
                .collect(),
            false => HashMap::new(),
        };
        let mut stmt = self
            .conn
            .prepare("SELECT id, name, kind, short_name, name_en, code, province, approved, in_catalog, city FROM entity ORDER BY id")
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
                    city: r.get(9)?,
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

    /// Every indicator with its number of accepted figures.
    pub fn indicators(&self) -> Result<Vec<IndicatorEntry>> {
        self.indicator_rows(
            "SELECT i.id, i.name, i.name_en, i.kind, coalesce(c.n, 0)
             FROM indicator i
             LEFT JOIN (SELECT indicator_id, sum(n) AS n FROM figure_count WHERE status = 'accepted' GROUP BY indicator_id) c
               ON c.indicator_id = i.id
             ORDER BY i.id",
        )
    }

    /// The rows of `sql`, which selects an indicator's id, names, kind and number of figures.
    fn indicator_rows(&self, sql: &str) -> Result<Vec<IndicatorEntry>> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(|e| self.err(e))?;
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
        // Names first, and the figures counted of the one found only: counting every
        // indicator's figures read every summary row (a tenth of a command on 14 M figures).
        let all = self.indicator_rows("SELECT id, name, name_en, kind, 0 FROM indicator ORDER BY id")?;
        let counted = |entry: &IndicatorEntry| -> Result<IndicatorEntry> {
            let figures = self
                .conn
                .prepare_cached(
                    "SELECT coalesce(sum(n), 0) FROM figure_count WHERE indicator_id = ?1 AND status = 'accepted'",
                )
                .and_then(|mut stmt| stmt.query_row([entry.id], |r| r.get(0)))
                .map_err(|e| self.err(e))?;
            Ok(IndicatorEntry { figures, ..entry.clone() })
        };
        let key = names::lookup_key(name);
        let names_of = |i: &IndicatorEntry| {
            std::iter::once(names::lookup_key(&i.name)).chain(i.name_en.as_deref().map(names::lookup_key))
        };
        if let Some(exact) = all.iter().find(|i| names_of(i).any(|n| n == key)) {
            return counted(exact);
        }
        let found: Vec<&IndicatorEntry> =
            all.iter().filter(|i| !key.is_empty() && names_of(i).any(|n| n.contains(&key))).collect();
        match found.as_slice() {
            [one] => counted(one),
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
        let (filter, args) = filter_of(q, "o.", true);
        let sql = format!("{OBSERVATION_SELECT}{filter}");
        // Room for every row at once (the summaries count them): a vector that grows by
        // doubling moved every figure several times, and took a page fault per page each time.
        let expected = self.expected_rows(q)?;
        // Sorted here rather than by SQLite: its sorter copies every column of every row.
        let mut stmt = self.conn.prepare_cached(&sql).map_err(|e| self.err(e))?;
        let mut names = Names::new(&self.conn);
        let mut rows = Vec::with_capacity(expected);
        let mut keys = Vec::with_capacity(expected);
        let measure_order = |m: Measure| match m {
            Measure::Value => 0u8,
            Measure::YoyPct => 1,
            Measure::SharePct => 2,
            Measure::Rank => 3,
            Measure::YoyPp => 4,
            _ => 5,
        };
        let mut found = stmt.query(rusqlite::params_from_iter(args)).map_err(|e| self.err(e))?;
        while let Some(r) = found.next().map_err(|e| self.err(e))? {
            let (indicator, entity): (i64, i64) =
                (r.get(2).map_err(|e| self.err(e))?, r.get(1).map_err(|e| self.err(e))?);
            if let Some(o) = self.readable(r, &mut names)? {
                let bounds = o.period.bounds();
                keys.push((indicator, entity, measure_order(o.measure), bounds.is_none(), bounds, o.id));
                rows.push(o);
            }
        }
        drop(found);
        let (filter, args) = filter_of(q, "s.", true);
        let mut stmt = self.conn.prepare_cached(&format!("{SERIES_SELECT}{filter}")).map_err(|e| self.err(e))?;
        let mut found = stmt.query(rusqlite::params_from_iter(args)).map_err(|e| self.err(e))?;
        while let Some(r) = found.next().map_err(|e| self.err(e))? {
            self.series_points(
                r,
                &mut names,
                |_| true,
                |entity, indicator, o| {
                    let bounds = o.period.bounds();
                    keys.push((indicator, entity, measure_order(o.measure), bounds.is_none(), bounds, o.id));
                    rows.push(o);
                },
            )?;
        }
        // The entity index gives one indicator's rows in order but for periods that start
        // alike (2024 and 2024年1-8月): most answers need no sorting at all.
        if keys.is_sorted() {
            return Ok(rows);
        }
        let mut order: Vec<usize> = (0..rows.len()).collect();
        order.sort_unstable_by_key(|&i| keys[i]);
        permute(&mut rows, &order);
        Ok(rows)
    }

    /// How many figures `q` may find, from the summaries: an upper bound (the summaries do
    /// not count by measure), to size the answer once.
    fn expected_rows(&self, q: &ObservationQuery) -> Result<usize> {
        let (filter, args) = filter_of(q, "", false);
        let sql = format!("SELECT coalesce(sum(n), 0) FROM figure_count{filter}");
        let n: i64 = self
            .conn
            .prepare_cached(&sql)
            .and_then(|mut stmt| stmt.query_row(rusqlite::params_from_iter(args), |r| r.get(0)))
            .map_err(|e| self.err(e))?;
        // Bounded: the summaries are a hint, and a damaged one must not ask for the moon.
        Ok((n.max(0) as usize).min(1 << 20))
    }

    /// The periods of one indicator and measure that can be ranked, latest first, with how
    /// many entities, and how many zones, report each.
    pub fn ranking_periods(&self, indicator: i64, measure: Measure) -> Result<Vec<RankingPeriod>> {
        let mut stmt = self.conn.prepare_cached(RANKING_PERIODS).map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![indicator, measure.as_str()], |r| {
                let kind: String = r.get(0)?;
                Ok((PeriodKind::parse(&kind), r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<(Option<PeriodKind>, i64, i64, i64, i64, String)>>>())
            .map_err(|e| self.err(e))?;
        Ok(rows
            .into_iter()
            .filter_map(|(kind, start, end, entities, zones, text)| {
                let period = Period::from_stored(kind?, Some(start), Some(end))?;
                Some(RankingPeriod { period, entities: entities as usize, zones: zones as usize, text })
            })
            .collect())
    }

    /// What the ranking of an indicator and measure shows: the periods it can be ranked for,
    /// and every entity's figures of the one asked for (or the default one).
    pub fn ranking_figures(
        &self,
        indicator: &IndicatorEntry,
        measure: Measure,
        asked: Option<Period>,
    ) -> Result<RankingFigures> {
        let periods = self.ranking_periods(indicator.id, measure)?;
        let period = RankingPeriod::choose(&periods, asked);
        let figures = match period {
            Some(period) => self.observations_of_period(indicator.id, measure, period)?,
            None => Vec::new(),
        };
        Ok(RankingFigures { indicator: indicator.name.clone(), measure, periods, period, figures })
    }

    /// Every accepted observation of one indicator and measure for one period, across all
    /// entities: what a ranking is made from.
    pub fn observations_of_period(&self, indicator: i64, measure: Measure, period: Period) -> Result<Vec<Observation>> {
        let Some((start, end)) = period.bounds() else { return Ok(Vec::new()) };
        let mut stmt = self.conn.prepare_cached(OBSERVATIONS_OF_PERIOD).map_err(|e| self.err(e))?;
        let mut names = Names::new(&self.conn);
        let mut out = Vec::new();
        let mut found = stmt
            .query(params![indicator, measure.as_str(), end, start, period.kind().as_str()])
            .map_err(|e| self.err(e))?;
        // Ordered by entity, and by id within one, as the rows come.
        let mut keyed = Vec::new();
        while let Some(r) = found.next().map_err(|e| self.err(e))? {
            let entity: i64 = r.get(1).map_err(|e| self.err(e))?;
            if let Some(o) = self.readable(r, &mut names)? {
                keyed.push((entity, o.id));
                out.push(o);
            }
        }
        drop(found);
        let mut stmt = self.conn.prepare_cached(SERIES_OF_INDICATOR).map_err(|e| self.err(e))?;
        let mut found = stmt.query(params![indicator, measure.as_str()]).map_err(|e| self.err(e))?;
        let kind = period.kind();
        while let Some(r) = found.next().map_err(|e| self.err(e))? {
            self.series_points(
                r,
                &mut names,
                |p| p.kind == kind && p.bounds == Some((start, end)),
                |entity, _, o| {
                    keyed.push((entity, o.id));
                    out.push(o);
                },
            )?;
        }
        if !keyed.is_sorted() {
            let mut order: Vec<usize> = (0..out.len()).collect();
            order.sort_unstable_by_key(|&i| keyed[i]);
            permute(&mut out, &order);
        }
        Ok(out)
    }

    /// The figures of the series in row `r` (selected by `SERIES_SELECT`) whose stored point
    /// `wanted` keeps, handed to `each` with their entity's and indicator's ids. A series that
    /// cannot be read (a damaged blob, an unknown unit) is skipped from where it stops making
    /// sense and remembered for `unreadable_figures`, as a row is.
    fn series_points(
        &self,
        r: &rusqlite::Row<'_>,
        names: &mut Names<'_>,
        mut wanted: impl FnMut(&Point<'_>) -> bool,
        mut each: impl FnMut(i64, i64, Observation),
    ) -> Result<()> {
        let series: i64 = r.get(0).map_err(|e| self.err(e))?;
        // What is lost with a figure that cannot be read: the rest of its series.
        let n: i64 = r.get(SERIES_N).unwrap_or(0);
        let lost = |index: usize| (n - index as i64).max(1) as usize;
        let header = match SeriesHeader::of(r, names) {
            Ok(header) => header,
            Err(rusqlite::Error::FromSqlConversionFailure(col, _, why)) => {
                self.skip_as(r, point_id(series, 0), col, why.to_string(), lost(0));
                return Ok(());
            }
            Err(rusqlite::Error::InvalidColumnType(col, _, found)) => {
                self.skip_as(r, point_id(series, 0), col, format!("{found} where a value belongs"), lost(0));
                return Ok(());
            }
            Err(e) => return Err(self.err(e)),
        };
        let blob = match r.get_ref(SERIES_FIGURES).map_err(|e| self.err(e))? {
            rusqlite::types::ValueRef::Blob(blob) => blob,
            other => {
                let why = format!("{:?} where figures belong", other.data_type());
                self.skip_as(r, point_id(series, 0), SERIES_FIGURES, why, lost(0));
                return Ok(());
            }
        };
        for (index, point) in Points::of(blob).enumerate() {
            let id = point_id(series, index);
            let point = match point {
                Ok(point) => point,
                Err(why) => {
                    self.skip_as(r, id, SERIES_FIGURES, why, lost(index));
                    break;
                }
            };
            if !wanted(&point) {
                continue;
            }
            match header.observation(id, &point) {
                Ok(o) => each(header.entity_id, header.indicator_id, o),
                Err(why) => self.skip_as(r, id, SERIES_FIGURES, why, 1),
            }
        }
        Ok(())
    }

    /// The figure of row `r`, or `None` when the row cannot be read (a value that is no number
    /// or out of range, an unknown measure, unit or period): it is skipped and remembered for
    /// `unreadable_figures`, so that one bad row never hides the rest of a view.
    fn readable(&self, r: &rusqlite::Row<'_>, names: &mut Names<'_>) -> Result<Option<Observation>> {
        match row_to_observation(r, names) {
            Ok(o) => Ok(Some(o)),
            Err(rusqlite::Error::FromSqlConversionFailure(col, _, why)) => {
                self.skip(r, col, why.to_string());
                Ok(None)
            }
            Err(rusqlite::Error::InvalidColumnType(col, _, found)) => {
                self.skip(r, col, format!("{found} where a value belongs"));
                Ok(None)
            }
            Err(e) => Err(self.err(e)),
        }
    }

    fn skip(&self, r: &rusqlite::Row<'_>, col: usize, why: String) {
        self.skip_as(r, r.get(0).unwrap_or(0), col, why, 1)
    }

    /// Remembers `figures` stored figures from `id` on, in row `r`, as unreadable for what
    /// column `col` holds.
    fn skip_as(&self, r: &rusqlite::Row<'_>, id: i64, col: usize, why: String, figures: usize) {
        let column = r.as_ref().column_name(col).map(|c| c.to_string()).unwrap_or_else(|_| col.to_string());
        let value = match r.get_ref(col) {
            Ok(rusqlite::types::ValueRef::Null) => "NULL".to_string(),
            Ok(rusqlite::types::ValueRef::Integer(n)) => n.to_string(),
            Ok(rusqlite::types::ValueRef::Real(x)) => x.to_string(),
            Ok(rusqlite::types::ValueRef::Text(t)) => format!("{:?}", String::from_utf8_lossy(t)),
            Ok(rusqlite::types::ValueRef::Blob(b)) => format!("{} bytes", b.len()),
            Err(_) => String::new(),
        };
        let mut skipped = self.unreadable.borrow_mut();
        if !skipped.iter().any(|s: &UnreadableFigure| s.id == id) {
            skipped.push(UnreadableFigure { id, figures, column, value, why });
        }
    }

    /// The figures the queries since the last call skipped because they could not be read,
    /// each once.
    pub fn unreadable_figures(&self) -> Vec<UnreadableFigure> {
        std::mem::take(&mut *self.unreadable.borrow_mut())
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
                        coalesce(c.n, 0),
                        s.full_text IS NOT NULL
                 FROM source s
                 LEFT JOIN (SELECT source_id, sum(n) AS n FROM figure_count WHERE status = 'accepted' GROUP BY source_id) c
                   ON c.source_id = s.id
                 ORDER BY s.published DESC, s.key",
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

/// The columns `row_to_observation` reads (a macro, so that queries can add their conditions
/// with `concat!`). Names of entities, indicators and sources are looked up once per query
/// (`Names`), not joined on every row: a query of thousands of figures names a few of each.
macro_rules! observation_select {
    () => {
        "SELECT o.id, o.entity_id, o.indicator_id, o.measure, o.period_kind, o.period_start, o.period_end,
            o.period_text, o.value, o.unit, o.value_base, o.unit_base, o.qualifier,
            o.source_id, o.quote, o.quote_start, o.quote_end, o.status, o.derived_from, o.note, o.share_of
        FROM observation o"
    };
}

const OBSERVATION_SELECT: &str = observation_select!();

/// The columns `SeriesHeader::of` reads, and the blob of figures last.
macro_rules! series_select {
    () => {
        "SELECT s.id, s.entity_id, s.indicator_id, s.measure, s.unit, s.unit_base, s.share_of, s.source_id,
            s.status, s.n, s.figures
        FROM series s"
    };
}

const SERIES_SELECT: &str = series_select!();
/// The columns of `series_select!` holding how many figures a series has, and the figures.
const SERIES_N: usize = 9;
const SERIES_FIGURES: usize = 10;

/// The series a ranking reads its period from: every entity's of the indicator and measure.
const SERIES_OF_INDICATOR: &str = concat!(
    series_select!(),
    " WHERE s.entity_id IN (SELECT entity_id FROM figure_count WHERE indicator_id = ?1 AND status = 'accepted')
       AND s.indicator_id = ?1 AND s.measure = ?2 AND s.status = 'accepted'"
);

pub use crate::model::{RankingFigures, RankingPeriod};

const RANKING_PERIODS: &str = "SELECT period_kind, period_start, period_end, entities, zones, period_text
    FROM ranking_period WHERE indicator_id = ?1 AND measure = ?2
    ORDER BY period_end DESC, period_start DESC";

const OBSERVATIONS_OF_PERIOD: &str = concat!(
    observation_select!(),
    " WHERE o.entity_id IN (SELECT entity_id FROM figure_count WHERE indicator_id = ?1 AND status = 'accepted')
       AND o.indicator_id = ?1 AND o.measure = ?2 AND o.period_end = ?3 AND o.period_start = ?4
       AND o.period_kind = ?5 AND o.status = 'accepted'
     ORDER BY o.entity_id, o.id"
);

/// The largest value in base units a stored figure may have to be shown.
const MAX_VALUE: f64 = 1e15;

/// A stored figure that could not be read, and so was left out of what was asked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnreadableFigure {
    /// The observation's row id, or the id of the first figure of a series left out.
    pub id: i64,
    /// How many stored figures are left out: one row, or a series' figures from `id` on.
    pub figures: usize,
    pub column: String,
    /// The stored value, as SQLite holds it.
    pub value: String,
    pub why: String,
}

impl std::fmt::Display for UnreadableFigure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = (self.column.as_str(), self.value.as_str(), self.why.as_str());
        match point_of(self.id) {
            Some((series, index)) if self.figures > 1 => {
                let (first, last) = (index + 1, index + self.figures);
                write!(f, "figures {first}–{last} of series #{series} ({} = {}: {})", what.0, what.1, what.2)
            }
            Some((series, index)) => {
                write!(f, "figure {} of series #{series} ({} = {}: {})", index + 1, what.0, what.1, what.2)
            }
            None => write!(f, "figure #{} ({} = {}: {})", self.id, what.0, what.1, what.2),
        }
    }
}

/// How a source is cited on each of its figures.
struct Cited {
    publisher: Arc<str>,
    key: Arc<str>,
    published: Option<Arc<str>>,
    address: Arc<str>,
}

/// The WHERE clause of `q`, with its arguments, over a table with the columns `entity_id`,
/// `indicator_id` and `status` after `prefix` (the figures, or their counts), and `measure`
/// where `by_measure`.
fn filter_of(q: &ObservationQuery, prefix: &str, by_measure: bool) -> (String, Vec<rusqlite::types::Value>) {
    let mut sql = format!(" WHERE {prefix}entity_id IN (");
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    for (n, id) in q.entities.iter().enumerate() {
        sql.push_str(if n == 0 { "?" } else { ", ?" });
        args.push((*id).into());
    }
    sql.push(')');
    if let Some(ind) = q.indicator {
        sql.push_str(&format!(" AND {prefix}indicator_id = ?"));
        args.push(ind.into());
    }
    if let (Some(m), true) = (q.measure, by_measure) {
        sql.push_str(&format!(" AND {prefix}measure = ?"));
        args.push(m.as_str().to_string().into());
    }
    sql.push_str(&if q.include_candidates {
        format!(" AND {prefix}status IN ('accepted', 'candidate')")
    } else {
        format!(" AND {prefix}status = 'accepted'")
    });
    (sql, args)
}

/// Puts `items[order[k]]` at `k` for every `k`, in place, one cycle of the permutation at a
/// time: no second vector of figures (each a few hundred bytes) to allocate and fault in.
fn permute<T>(items: &mut [T], order: &[usize]) {
    debug_assert_eq!(items.len(), order.len());
    let mut placed = vec![false; items.len()];
    for start in 0..items.len() {
        let mut at = start;
        while !placed[at] {
            placed[at] = true;
            let from = order[at];
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

/// Values looked up by id, each loaded once; consecutive rows mostly ask for the same id, so
/// the last one is answered without hashing.
struct Lookup<T> {
    index: HashMap<i64, usize>,
    values: Vec<T>,
    last: Option<(i64, usize)>,
}

impl<T> Lookup<T> {
    fn new() -> Lookup<T> {
        Lookup { index: HashMap::new(), values: Vec::new(), last: None }
    }

    fn get(&mut self, id: i64, load: impl FnOnce() -> rusqlite::Result<T>) -> rusqlite::Result<&T> {
        // The last id first, without hashing: rows come entity by entity, from few sources.
        let i = match self.last {
            Some((last, i)) if last == id => i,
            _ => match self.index.get(&id) {
                Some(&i) => i,
                None => {
                    self.values.push(load()?);
                    self.index.insert(id, self.values.len() - 1);
                    self.values.len() - 1
                }
            },
        };
        self.last = Some((id, i));
        Ok(&self.values[i])
    }
}

/// The names of the entities, indicators and sources a query's figures refer to, each asked
/// of the database once.
struct Names<'c> {
    conn: &'c rusqlite::Connection,
    entities: Lookup<Arc<str>>,
    indicators: Lookup<Arc<str>>,
    sources: Lookup<Cited>,
    /// The units met, and whether each reads as a unit: parsed once per query, not per row.
    units: Vec<(Arc<str>, bool)>,
}

impl<'c> Names<'c> {
    fn new(conn: &'c rusqlite::Connection) -> Names<'c> {
        Names { conn, entities: Lookup::new(), indicators: Lookup::new(), sources: Lookup::new(), units: Vec::new() }
    }

    fn entity(&mut self, id: i64) -> rusqlite::Result<&Arc<str>> {
        let conn = self.conn;
        self.entities.get(id, || {
            conn.prepare_cached("SELECT name FROM entity WHERE id = ?1")?.query_row([id], |r| shared_text(r, 0))
        })
    }

    fn indicator(&mut self, id: i64) -> rusqlite::Result<&Arc<str>> {
        let conn = self.conn;
        self.indicators.get(id, || {
            conn.prepare_cached("SELECT name FROM indicator WHERE id = ?1")?.query_row([id], |r| shared_text(r, 0))
        })
    }

    /// The unit written as `written`, shared, or `None` when it reads as no unit.
    fn unit(&mut self, written: &str) -> Option<Arc<str>> {
        let (unit, known) = match self.units.iter().find(|(u, _)| **u == *written) {
            Some((unit, known)) => (Arc::clone(unit), *known),
            None => {
                let known = written.parse::<crate::model::Unit>().is_ok();
                let unit: Arc<str> = Arc::from(written);
                self.units.push((Arc::clone(&unit), known));
                (unit, known)
            }
        };
        known.then_some(unit)
    }

    fn source(&mut self, id: i64) -> rusqlite::Result<&Cited> {
        let conn = self.conn;
        self.sources.get(id, || {
            conn.prepare_cached("SELECT publisher, key, published, address FROM source WHERE id = ?1")?.query_row(
                [id],
                |r| {
                    let published: Option<String> = r.get(2)?;
                    Ok(Cited {
                        publisher: shared_text(r, 0)?,
                        key: shared_text(r, 1)?,
                        published: published.map(Arc::from),
                        address: shared_text(r, 3)?,
                    })
                },
            )
        })
    }
}

/// Column `col` of `r` as shared text.
fn shared_text(r: &rusqlite::Row<'_>, col: usize) -> rusqlite::Result<Arc<str>> {
    text_at(r, col).map(Arc::from)
}

/// Column `col` of `r` as text, or why it is none.
fn text_at<'r>(r: &'r rusqlite::Row<'_>, col: usize) -> rusqlite::Result<&'r str> {
    r.get_ref(col)?
        .as_str()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(col, rusqlite::types::Type::Text, e.into()))
}

/// Why column `col` of a row cannot be read.
fn bad(col: usize, what: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(col, rusqlite::types::Type::Text, what.into())
}

/// Why a stored value is no figure to show, if it is none. No report gives a figure beyond
/// 10^15 yuan (about a hundred times China's GDP): such a value, or an infinite one, would
/// stretch an axis to nothing and fill a file with digits.
fn unreportable(value: f64, value_base: f64) -> Option<String> {
    (!value.is_finite() || !value_base.is_finite() || value_base.abs() > MAX_VALUE)
        .then(|| format!("{value_base} is no figure a report gives"))
}

fn row_to_observation(r: &rusqlite::Row<'_>, names: &mut Names<'_>) -> rusqlite::Result<Observation> {
    let text = |col: usize| text_at(r, col);
    let measure = text(3)?.parse::<Measure>().map_err(|e| bad(3, e.to_string()))?;
    let kind = text(4)?;
    let kind = PeriodKind::parse(kind).ok_or_else(|| bad(4, format!("period kind {kind:?}")))?;
    let period = Period::from_stored(kind, r.get(5)?, r.get(6)?).ok_or_else(|| bad(5, "period bounds".into()))?;
    let qualifier: Option<String> = r.get(12)?;
    let qualifier =
        Qualifier::parse_optional(qualifier.as_deref().unwrap_or("")).map_err(|e| bad(12, e.to_string()))?;
    let status = text(17)?.parse().map_err(|e: crate::model::ParseError| bad(17, e.to_string()))?;
    let share_of: Option<String> = r.get(20)?;
    let share_of = ShareOf::parse_optional(share_of.as_deref().unwrap_or("")).map_err(|e| bad(20, e.to_string()))?;
    let value: f64 = r.get(8)?;
    let value_base: f64 = r.get(10)?;
    if let Some(why) = unreportable(value, value_base) {
        return Err(bad(10, why));
    }
    let written = text(9)?;
    let unit = names.unit(written).ok_or_else(|| bad(9, format!("{written:?} is no unit Zonescope knows")))?;
    let quote_start: Option<i64> = r.get(15)?;
    let quote_end: Option<i64> = r.get(16)?;
    let source = names.source(r.get(13)?)?;
    let (source, source_id, published, address) =
        (Arc::clone(&source.publisher), Arc::clone(&source.key), source.published.clone(), Arc::clone(&source.address));
    Ok(Observation {
        id: r.get(0)?,
        entity: Arc::clone(names.entity(r.get(1)?)?),
        indicator: Arc::clone(names.indicator(r.get(2)?)?),
        measure,
        period,
        period_text: r.get(7)?,
        value,
        unit,
        value_base,
        unit_base: BaseUnit::from_name(text(11)?),
        qualifier,
        share_of,
        source,
        source_id,
        published,
        address,
        quote: r.get(14)?,
        quote_span: quote_start.zip(quote_end),
        status,
        derived_from: r.get(18)?,
        note: r.get(19)?,
    })
}

/// What the figures of a series share, read once per series.
struct SeriesHeader {
    entity_id: i64,
    indicator_id: i64,
    entity: Arc<str>,
    indicator: Arc<str>,
    measure: Measure,
    unit: Arc<str>,
    unit_base: BaseUnit,
    share_of: Option<ShareOf>,
    status: ReviewStatus,
    source: Arc<str>,
    source_id: Arc<str>,
    published: Option<Arc<str>>,
    address: Arc<str>,
}

impl SeriesHeader {
    fn of(r: &rusqlite::Row<'_>, names: &mut Names<'_>) -> rusqlite::Result<SeriesHeader> {
        let measure = text_at(r, 3)?.parse::<Measure>().map_err(|e| bad(3, e.to_string()))?;
        let unit = names.unit(text_at(r, 4)?).ok_or_else(|| bad(4, "no unit Zonescope knows".into()))?;
        let share_of: Option<String> = r.get(6)?;
        let share_of = ShareOf::parse_optional(share_of.as_deref().unwrap_or("")).map_err(|e| bad(6, e.to_string()))?;
        let status = text_at(r, 8)?.parse().map_err(|e: crate::model::ParseError| bad(8, e.to_string()))?;
        let (entity_id, indicator_id): (i64, i64) = (r.get(1)?, r.get(2)?);
        let source = names.source(r.get(7)?)?;
        let (source, source_id, published, address) = (
            Arc::clone(&source.publisher),
            Arc::clone(&source.key),
            source.published.clone(),
            Arc::clone(&source.address),
        );
        Ok(SeriesHeader {
            entity_id,
            indicator_id,
            entity: Arc::clone(names.entity(entity_id)?),
            indicator: Arc::clone(names.indicator(indicator_id)?),
            measure,
            unit,
            unit_base: BaseUnit::from_name(text_at(r, 5)?),
            share_of,
            status,
            source,
            source_id,
            published,
            address,
        })
    }

    /// The figure `id` of the series, or why it cannot be shown.
    fn observation(&self, id: i64, p: &Point<'_>) -> Result<Observation, String> {
        let period = p.period().ok_or_else(|| format!("period bounds {:?} of kind {}", p.bounds, p.kind.as_str()))?;
        if let Some(why) = unreportable(p.value, p.value_base) {
            return Err(why);
        }
        Ok(Observation {
            id,
            entity: Arc::clone(&self.entity),
            indicator: Arc::clone(&self.indicator),
            measure: self.measure,
            period,
            period_text: p.period_text.to_string(),
            value: p.value,
            unit: Arc::clone(&self.unit),
            value_base: p.value_base,
            unit_base: self.unit_base.clone(),
            qualifier: p.qualifier,
            share_of: self.share_of,
            source: Arc::clone(&self.source),
            source_id: Arc::clone(&self.source_id),
            published: self.published.clone(),
            address: Arc::clone(&self.address),
            quote: None,
            quote_span: None,
            status: self.status,
            derived_from: None,
            note: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::permute;

    #[test]
    fn a_permutation_is_applied_in_place() {
        let order = [3, 0, 4, 1, 2, 5];
        let mut items = ['a', 'b', 'c', 'd', 'e', 'f'];
        permute(&mut items, &order);
        assert_eq!(items, ['d', 'a', 'e', 'b', 'c', 'f']);
        // Every permutation of four items.
        let base = [10, 20, 30, 40];
        for a in 0..4 {
            for b in 0..4 {
                for c in 0..4 {
                    for d in 0..4 {
                        let order = [a, b, c, d];
                        if (0..4).any(|i| !order.contains(&i)) {
                            continue;
                        }
                        let mut items = base;
                        permute(&mut items, &order);
                        assert_eq!(items, order.map(|i| base[i]), "{order:?}");
                    }
                }
            }
        }
    }
}
