//! Figures kept as series: the figures of one zone, indicator, measure, unit and source that
//! have no quote or note of their own (a table's, a synthetic database's) are stored together,
//! in one row whose blob holds each figure's period, qualifier, values and period text.
//!
//! Why: SQLite spends about 1.5 µs on a row of the observation table (its record, the B-tree,
//! the index), so a million figures took 1.5-2 s to store however the rows were written, and a
//! view of ten zones decoded 21 columns of 3,600 rows. As series, a million figures are a few
//! thousand rows, and a view reads one row per zone. Figures with a quote (a report's, the
//! bundled data's) stay one row each: they are few, and reviewed one by one.
//!
//! A figure of a series has no row id of its own: its id (`Observation::id`, unique among the
//! figures of a database, and how views tell figures apart) is `point_id(series, index)`, a
//! negative number, so that it never meets the id of a row.

use rusqlite::{Connection, params};

use super::summary::RankingKey;
use super::write::NewObservation;
use crate::fast_hash::FastMap;
use crate::model::{Measure, Period, PeriodKind, Qualifier, ReviewStatus, ShareOf, Unit};

/// Most figures one series row holds: a zone's monthly figures of 30 years are 360, so most
/// series are one row, and no blob grows past about 150 KB.
pub(super) const MAX_POINTS: usize = 4096;

/// The id of the figure at `index` of series `series`.
pub(super) fn point_id(series: i64, index: usize) -> i64 {
    -(series * 65_536 + index as i64) - 1
}

/// The series and index of figure `id`, when it is a series' (`point_id` undone).
pub(super) fn point_of(id: i64) -> Option<(i64, usize)> {
    let k = id.checked_neg()?.checked_sub(1).filter(|k| *k >= 0)?;
    Some((k / 65_536, (k % 65_536) as usize))
}

const INSERT_SERIES: &str = "INSERT INTO series
    (entity_id, indicator_id, measure, unit, unit_base, share_of, source_id, status, n, figures)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";

/// What the figures of one series share.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct SeriesKey {
    entity_id: i64,
    indicator_id: i64,
    source_id: i64,
    measure: &'static str,
    share_of: Option<&'static str>,
    unit: Box<str>,
}

impl SeriesKey {
    fn of(o: &NewObservation<'_>) -> SeriesKey {
        SeriesKey {
            entity_id: o.entity_id,
            indicator_id: o.indicator_id,
            source_id: o.source_id,
            measure: o.measure.as_str(),
            share_of: o.share_of.map(ShareOf::as_str),
            unit: o.unit.written.as_str().into(),
        }
    }

    /// Whether `o` belongs to this series, without building its key.
    fn holds(&self, o: &NewObservation<'_>) -> bool {
        self.entity_id == o.entity_id
            && self.indicator_id == o.indicator_id
            && self.source_id == o.source_id
            && self.measure == o.measure.as_str()
            && self.share_of == o.share_of.map(ShareOf::as_str)
            && *self.unit == *o.unit.written
    }
}

/// A series being written: its unit and its figures so far.
struct OpenSeries {
    unit: Unit,
    n: usize,
    figures: Vec<u8>,
}

/// Collects figures into series as a write goes, and writes each series when it is full or the
/// write ends. Figures may come in any order: each series is kept open until the end (a table
/// ordered by year, zone after zone, still makes one series per zone).
pub(super) struct SeriesWriter {
    open: FastMap<SeriesKey, OpenSeries>,
    /// The bytes of figures the open series hold, and how many they may hold.
    open_bytes: usize,
    budget: usize,
    /// The series of the figure before: most figures follow one of their own series.
    last: Option<SeriesKey>,
}

/// Most bytes of figures kept open before the open series are written (all but the one being
/// added to): a write's memory stays bounded (a synthetic database of 14 M figures held 1.1 GB
/// when every series waited for the end), most series are written while later rows are still
/// being read rather than all at the end, and a table in any order still makes series of
/// about a hundred figures each.
const MAX_OPEN_BYTES: usize = 4 << 20;

impl Default for SeriesWriter {
    fn default() -> Self {
        SeriesWriter { open: FastMap::default(), open_bytes: 0, budget: MAX_OPEN_BYTES, last: None }
    }
}

impl SeriesWriter {
    /// Whether `o` is kept in a series: an accepted figure with no quote or note of its own,
    /// whose period and text fit a series' encoding.
    pub fn takes(o: &NewObservation<'_>) -> bool {
        o.quote.is_none()
            && o.note.is_none()
            && o.quote_span.is_none()
            && o.status == ReviewStatus::Accepted
            && o.period_text.len() <= u16::MAX as usize
            && o.period.bounds().is_none_or(|(s, e)| i32::try_from(s).is_ok() && i32::try_from(e).is_ok())
    }

    /// Adds a figure that `takes` accepted, writing its series when it is full.
    pub fn push(&mut self, conn: &Connection, o: &NewObservation<'_>) -> rusqlite::Result<()> {
        let key = match self.last.take() {
            Some(last) if last.holds(o) => last,
            _ => SeriesKey::of(o),
        };
        let open = self.open.entry(key.clone()).or_insert_with(|| OpenSeries {
            unit: o.unit.clone(),
            n: 0,
            figures: Vec::with_capacity(64 * 24),
        });
        let before = open.figures.len();
        encode(&mut open.figures, o);
        open.n += 1;
        self.open_bytes += open.figures.len() - before;
        if open.n == MAX_POINTS {
            let full = self.open.remove(&key).expect("the series just written to");
            self.open_bytes -= full.figures.len();
            write(conn, &key, &full)?;
        }
        if self.open_bytes > self.budget {
            let current = self.open.remove(&key);
            self.write_open(conn)?;
            if let Some(current) = current {
                self.open_bytes = current.figures.len();
                self.open.insert(key.clone(), current);
            }
        }
        self.last = Some(key);
        Ok(())
    }

    /// Writes every series still open.
    pub fn finish(mut self, conn: &Connection) -> rusqlite::Result<()> {
        self.write_open(conn)
    }

    /// Writes every open series, in the order of their keys, and closes them.
    fn write_open(&mut self, conn: &Connection) -> rusqlite::Result<()> {
        let mut open: Vec<(SeriesKey, OpenSeries)> = self.open.drain().collect();
        open.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        for (key, series) in &open {
            write(conn, key, series)?;
        }
        self.open_bytes = 0;
        Ok(())
    }
}

fn write(conn: &Connection, key: &SeriesKey, series: &OpenSeries) -> rusqlite::Result<()> {
    conn.prepare_cached(INSERT_SERIES)?.execute(params![
        key.entity_id,
        key.indicator_id,
        key.measure,
        &*key.unit,
        series.unit.base.name(),
        key.share_of,
        key.source_id,
        ReviewStatus::Accepted.as_str(),
        series.n as i64,
        series.figures,
    ])?;
    Ok(())
}

// A figure in a series' blob, little-endian: one byte, the period's kind (low 2 bits), whether
// it has bounds (bit 2) and the qualifier (bits 4-5); the period's first and last day (i32
// YYYYMMDD each) when it has bounds; the value as written and in base units (f64 each); the
// period as written (u16 length, UTF-8).
const HAS_BOUNDS: u8 = 0b100;

fn encode(out: &mut Vec<u8>, o: &NewObservation<'_>) {
    let kind = match o.period.kind() {
        PeriodKind::None => 0u8,
        PeriodKind::Year => 1,
        PeriodKind::Span => 2,
        PeriodKind::At => 3,
    };
    let qualifier = match o.qualifier {
        None => 0u8,
        Some(Qualifier::Over) => 1,
        Some(Qualifier::Under) => 2,
        Some(Qualifier::About) => 3,
    };
    let bounds = o.period.bounds();
    out.push(kind | if bounds.is_some() { HAS_BOUNDS } else { 0 } | qualifier << 4);
    if let Some((start, end)) = bounds {
        // `SeriesWriter::takes` let in only bounds that fit.
        out.extend_from_slice(&(start as i32).to_le_bytes());
        out.extend_from_slice(&(end as i32).to_le_bytes());
    }
    out.extend_from_slice(&o.value.to_le_bytes());
    out.extend_from_slice(&o.unit.normalise(o.value).to_le_bytes());
    out.extend_from_slice(&(o.period_text.len() as u16).to_le_bytes());
    out.extend_from_slice(o.period_text.as_bytes());
}

/// One figure of a series, as stored.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Point<'b> {
    pub kind: PeriodKind,
    /// First and last day (YYYYMMDD), for a period that has them.
    pub bounds: Option<(i64, i64)>,
    pub qualifier: Option<Qualifier>,
    pub value: f64,
    pub value_base: f64,
    pub period_text: &'b str,
}

impl Point<'_> {
    /// The figure's period, or `None` when the stored bounds do not make one of its kind.
    pub fn period(&self) -> Option<Period> {
        let (start, end) = self.bounds.unzip();
        Period::from_stored(self.kind, start, end)
    }

    /// The ranking period the figure counts for, when it has one.
    pub fn ranking_key(&self, indicator: i64, measure: Measure) -> Option<RankingKey> {
        let (start, end) = self.bounds?;
        (self.kind != PeriodKind::None).then_some(RankingKey { indicator, measure, kind: self.kind, start, end })
    }
}

/// The figures of a series' blob, in the order they were written; an error says where the blob
/// stops making sense (it was damaged, or written by something else).
pub(super) struct Points<'b> {
    blob: &'b [u8],
    at: usize,
}

impl<'b> Points<'b> {
    pub fn of(blob: &'b [u8]) -> Points<'b> {
        Points { blob, at: 0 }
    }

    fn take<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let bytes = self
            .blob
            .get(self.at..self.at + N)
            .ok_or_else(|| format!("the figures end within a figure, at byte {}", self.at))?;
        self.at += N;
        Ok(bytes.try_into().expect("N bytes"))
    }

    fn next_point(&mut self) -> Result<Point<'b>, String> {
        let [flags] = self.take::<1>()?;
        let kind = match flags & 0b11 {
            0 => PeriodKind::None,
            1 => PeriodKind::Year,
            2 => PeriodKind::Span,
            _ => PeriodKind::At,
        };
        let qualifier = match flags >> 4 {
            0 => None,
            1 => Some(Qualifier::Over),
            2 => Some(Qualifier::Under),
            3 => Some(Qualifier::About),
            other => return Err(format!("qualifier {other} at byte {}", self.at - 1)),
        };
        let bounds = match flags & HAS_BOUNDS {
            0 => None,
            _ => {
                let start = i32::from_le_bytes(self.take()?);
                let end = i32::from_le_bytes(self.take()?);
                Some((start as i64, end as i64))
            }
        };
        let value = f64::from_le_bytes(self.take()?);
        let value_base = f64::from_le_bytes(self.take()?);
        let len = u16::from_le_bytes(self.take()?) as usize;
        let text = self
            .blob
            .get(self.at..self.at + len)
            .ok_or_else(|| format!("a period text runs past the end, at byte {}", self.at))?;
        let period_text =
            std::str::from_utf8(text).map_err(|e| format!("a period text is not UTF-8 at byte {}: {e}", self.at))?;
        self.at += len;
        Ok(Point { kind, bounds, qualifier, value, value_base, period_text })
    }
}

impl<'b> Iterator for Points<'b> {
    type Item = Result<Point<'b>, String>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.at >= self.blob.len() {
            return None;
        }
        let point = self.next_point();
        if point.is_err() {
            // Nothing after a damaged figure can be read.
            self.at = self.blob.len();
        }
        Some(point)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figure<'a>(period: Period, text: &'a str, value: f64, unit: &'a Unit) -> NewObservation<'a> {
        NewObservation {
            entity_id: 1,
            indicator_id: 2,
            measure: Measure::Value,
            period,
            period_text: text,
            value,
            unit,
            qualifier: None,
            share_of: None,
            source_id: 3,
            quote: None,
            note: None,
            quote_span: None,
            status: ReviewStatus::Accepted,
        }
    }

    #[test]
    fn figures_read_back_as_written() {
        let unit: Unit = "亿元".parse().unwrap();
        let year = Period::year(2023).unwrap();
        let span = Period::from_stored(PeriodKind::Span, Some(20240101), Some(20240930)).unwrap();
        let mut with_qualifier = figure(span, "2024年1-9月", -12.5, &unit);
        with_qualifier.qualifier = Some(Qualifier::About);
        let written =
            [figure(year, "2023年", 242.3, &unit), with_qualifier, figure(Period::Unspecified, "", 0.0, &unit)];
        let mut blob = Vec::new();
        for o in &written {
            assert!(SeriesWriter::takes(o));
            encode(&mut blob, o);
        }
        let read: Vec<Point<'_>> = Points::of(&blob).collect::<Result<_, _>>().unwrap();
        assert_eq!(read.len(), 3);
        for (o, p) in written.iter().zip(&read) {
            assert_eq!(p.period(), Some(o.period));
            assert_eq!(p.period_text, o.period_text);
            assert_eq!(p.value, o.value);
            assert_eq!(p.value_base, unit.normalise(o.value));
            assert_eq!(p.qualifier, o.qualifier);
        }
        assert_eq!(read[0].ranking_key(2, Measure::Value).map(|k| (k.start, k.end)), Some((20230101, 20231231)));
        assert_eq!(read[2].ranking_key(2, Measure::Value), None);
    }

    #[test]
    fn a_damaged_blob_says_where_and_reads_no_further() {
        let unit: Unit = "亿元".parse().unwrap();
        let mut blob = Vec::new();
        encode(&mut blob, &figure(Period::year(2023).unwrap(), "2023年", 1.0, &unit));
        let whole = blob.len();
        encode(&mut blob, &figure(Period::year(2024).unwrap(), "2024年", 2.0, &unit));
        blob.truncate(whole + 5);
        let read: Vec<_> = Points::of(&blob).collect();
        assert_eq!(read.len(), 2);
        assert!(read[0].is_ok());
        assert!(read[1].as_ref().unwrap_err().contains("end within a figure"), "{:?}", read[1]);
    }

    #[test]
    fn figures_with_a_quote_note_or_review_stay_rows() {
        let unit: Unit = "亿元".parse().unwrap();
        let plain = figure(Period::year(2023).unwrap(), "2023年", 1.0, &unit);
        assert!(SeriesWriter::takes(&plain));
        assert!(!SeriesWriter::takes(&NewObservation { quote: Some("2023年…"), ..plain.clone() }));
        assert!(!SeriesWriter::takes(&NewObservation { note: Some("extracted"), ..plain.clone() }));
        assert!(!SeriesWriter::takes(&NewObservation { status: ReviewStatus::Candidate, ..plain.clone() }));
        assert!(!SeriesWriter::takes(&NewObservation { quote_span: Some((0, 4)), ..plain }));
    }

    #[test]
    fn figures_in_any_order_are_written_whole_when_the_open_series_are_full() {
        let conn = Connection::open_in_memory().unwrap();
        for m in super::super::schema::MIGRATIONS {
            conn.execute_batch(m).unwrap();
        }
        conn.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
        let unit: Unit = "亿元".parse().unwrap();
        let texts: Vec<String> = (1990..2040).map(|y| format!("{y}年")).collect();
        // Year by year, three zones each: every figure opens another zone's series.
        let mut written = Vec::new();
        for (y, text) in texts.iter().enumerate() {
            for zone in 1..=3 {
                let mut o = figure(Period::year(1990 + y as i32).unwrap(), text, y as f64 + zone as f64 / 10.0, &unit);
                o.entity_id = zone;
                written.push(o);
            }
        }
        let mut writer = SeriesWriter { budget: 600, ..SeriesWriter::default() };
        for o in &written {
            writer.push(&conn, o).unwrap();
            assert!(writer.open_bytes <= 600 + 64, "{}", writer.open_bytes);
        }
        writer.finish(&conn).unwrap();
        let mut read: Vec<(i64, String, f64)> = Vec::new();
        let mut rows = 0;
        let mut stmt = conn.prepare("SELECT entity_id, n, figures FROM series ORDER BY id").unwrap();
        let mut found = stmt.query([]).unwrap();
        while let Some(r) = found.next().unwrap() {
            rows += 1;
            let blob: Vec<u8> = r.get(2).unwrap();
            let points: Vec<Point<'_>> = Points::of(&blob).collect::<Result<_, _>>().unwrap();
            assert_eq!(points.len() as i64, r.get::<_, i64>(1).unwrap());
            read.extend(points.iter().map(|p| (r.get(0).unwrap(), p.period_text.to_string(), p.value)));
        }
        assert!(rows > 3, "the budget was reached, so series were written before the end: {rows}");
        let mut expected: Vec<(i64, String, f64)> =
            written.iter().map(|o| (o.entity_id, o.period_text.to_string(), o.value)).collect();
        let key = |f: &(i64, String, f64)| (f.0, f.1.clone());
        read.sort_by_key(key);
        expected.sort_by_key(key);
        assert_eq!(read, expected, "every figure once");
    }

    #[test]
    fn point_ids_are_negative_and_distinct() {
        let ids: std::collections::HashSet<i64> =
            (1..4).flat_map(|s| (0..MAX_POINTS).map(move |i| point_id(s, i))).collect();
        assert_eq!(ids.len(), 3 * MAX_POINTS);
        assert!(ids.iter().all(|&id| id < 0));
        assert_eq!(point_of(point_id(7, 4095)), Some((7, 4095)));
        assert_eq!(point_of(point_id(1, 0)), Some((1, 0)));
        assert_eq!(point_of(12), None, "a row's id");
        assert_eq!(point_of(i64::MIN), None);
    }
}
