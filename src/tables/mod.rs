//! Researchers' own tables: a tidy CSV in the columns of `data/facts.csv`, checked row by row as
//! the bundled build checks its data, before anything is stored; and the tables they already
//! have (a CSV or a workbook's sheet with a row per zone), read through a mapping (`wide`).

pub mod grid;
pub mod wide;

use std::collections::HashSet;
use std::sync::Arc;

use crate::fast_hash::FastMap;
use crate::model::{EntityKind, Measure, Period, Qualifier, ShareOf, Unit};
use crate::registry::Registry;
use crate::store::TableFigure;

/// A row that cannot be stored: its line in the file, the column and why.
#[derive(Debug, Clone, PartialEq)]
pub struct RowProblem {
    pub line: u64,
    pub column: &'static str,
    pub why: String,
}

impl std::fmt::Display for RowProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}, column {}: {}", self.line, self.column, self.why)
    }
}

/// The columns a tidy table must have; the others of `facts.csv` may be left out.
pub const REQUIRED_COLUMNS: [&str; 6] = ["entity", "indicator", "measure", "period", "value", "unit"];

/// Where a table's figures come from: the source given on the command line (new or stored),
/// and the sources the database already holds, which rows may name.
pub struct Sources<'a> {
    pub given: Option<&'a str>,
    pub stored: &'a HashSet<String>,
}

/// The figures of a tidy CSV, every row checked: the entity resolves (canonical, short name,
/// alias or English name), the measure, period, value, unit, qualifier and share_of read, the
/// measure takes the unit, and the row has a source. Every bad row is reported, not just the
/// first; then nothing is returned to store. (`import-csv` reads with `TidyTable::read_in_chunks`,
/// storing figures while it reads.)
pub fn read_tidy_csv(
    text: &str,
    registry: &Registry,
    sources: &Sources<'_>,
) -> Result<Vec<TableFigure>, Vec<RowProblem>> {
    let table = TidyTable::of(text)?;
    let mut figures = Vec::new();
    table.read_in_chunks(registry, sources, &mut |chunk| {
        figures.extend(chunk);
        true
    })?;
    Ok(figures)
}

/// A tidy CSV whose header has every required column: its rows are yet to be read.
pub struct TidyTable<'t> {
    body: &'t str,
    columns: TidyColumns,
}

impl<'t> TidyTable<'t> {
    /// The header of `text` read and checked.
    pub fn of(text: &'t str) -> Result<TidyTable<'t>, Vec<RowProblem>> {
        let problem = |line: u64, column: &'static str, why: String| RowProblem { line, column, why };
        let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
        let headers: Vec<String> = match reader.headers() {
            Ok(h) => h.iter().map(|c| c.trim().to_string()).collect(),
            Err(e) => return Err(vec![problem(1, "header", format!("not a CSV table: {e}"))]),
        };
        let missing: Vec<&str> = REQUIRED_COLUMNS.iter().copied().filter(|c| !headers.iter().any(|h| h == c)).collect();
        if !missing.is_empty() {
            return Err(vec![problem(
                1,
                "header",
                format!("missing column(s) {}; a tidy table has {}", missing.join(", "), REQUIRED_COLUMNS.join(", ")),
            )]);
        }
        // The reader stops between the \r and \n of a header's line end.
        let body = text.get(reader.position().byte() as usize..).unwrap_or("");
        let body = if text[..text.len() - body.len()].ends_with('\r') {
            body.strip_prefix('\n').unwrap_or(body)
        } else {
            body
        };
        Ok(TidyTable { body, columns: TidyColumns::of(&headers) })
    }

    /// About how many rows the table has (its lines; a quoted cell may hold more): enough to
    /// size a progress bar and to choose how to store the figures before they are read.
    pub fn rows_about(&self) -> usize {
        self.body.bytes().filter(|&b| b == b'\n').count()
    }

    /// Reads and checks the rows as `read_tidy_csv` does, on this thread, handing the figures
    /// to `deliver` in order, `CHUNK_FIGURES` at a time, so that they can be stored while the
    /// rest are read. After a bad row nothing more is delivered (every bad row is still
    /// reported); `deliver` returning false (the store gave up) ends the reading.
    pub fn read_in_chunks(
        &self,
        registry: &Registry,
        sources: &Sources<'_>,
        deliver: &mut dyn FnMut(Vec<TableFigure>) -> bool,
    ) -> Result<(), Vec<RowProblem>> {
        let part = read_tidy_rows(self.body, &self.columns, registry, sources, deliver);
        if !part.problems.is_empty() {
            return Err(part.problems.into_iter().map(|p| RowProblem { line: p.line + 2, ..p }).collect());
        }
        if !part.figures.is_empty() && !part.stopped {
            deliver(part.figures);
        }
        Ok(())
    }
}

/// Figures handed on at a time by `TidyTable::read_in_chunks`.
const CHUNK_FIGURES: usize = 8_192;

/// Where each column of a tidy table is.
struct TidyColumns {
    width: usize,
    entity: usize,
    indicator: usize,
    measure: usize,
    period: usize,
    value: usize,
    unit: usize,
    entity_kind: Option<usize>,
    qualifier: Option<usize>,
    share_of: Option<usize>,
    source_id: Option<usize>,
    period_text: Option<usize>,
    note: Option<usize>,
    quote: Option<usize>,
}

impl TidyColumns {
    /// The columns of `headers`, which hold every one of `REQUIRED_COLUMNS`.
    fn of(headers: &[String]) -> TidyColumns {
        let at = |name: &str| headers.iter().position(|h| h == name);
        let required = |name: &str| at(name).unwrap_or(usize::MAX);
        TidyColumns {
            width: headers.len(),
            entity: required("entity"),
            indicator: required("indicator"),
            measure: required("measure"),
            period: required("period"),
            value: required("value"),
            unit: required("unit"),
            entity_kind: at("entity_kind"),
            qualifier: at("qualifier"),
            share_of: at("share_of"),
            source_id: at("source_id"),
            period_text: at("period_text"),
            note: at("note"),
            quote: at("quote"),
        }
    }
}

/// What the rows of a tidy table gave: the figures not yet handed over, and the problems (lines
/// counted from the first after the header, 0).
struct TidyPart {
    figures: Vec<TableFigure>,
    problems: Vec<RowProblem>,
    /// `deliver` gave up before the end.
    stopped: bool,
}

/// Reads and checks the rows of a tidy table, without its header. Every `CHUNK_FIGURES`
/// figures go to `deliver` while no row was bad; the rest stay in the part. A table without a
/// quote mark is split at its commas and line ends directly: the CSV reader's records, which
/// copied every cell and checked its UTF-8 again, were a fifth of a million-row import.
fn read_tidy_rows(
    body: &str,
    columns: &TidyColumns,
    registry: &Registry,
    sources: &Sources<'_>,
    deliver: &mut dyn FnMut(Vec<TableFigure>) -> bool,
) -> TidyPart {
    let mut checker = RowChecker::new(columns, registry, sources);
    let mut stopped = false;
    if unquoted(body) {
        for_each_unquoted_row(body, &mut |line, cells| {
            checker.row(line, cells);
            stopped = !checker.hand_over(deliver);
            !stopped
        });
    } else {
        let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(body.as_bytes());
        let mut record = csv::StringRecord::new();
        // The reader counts a row's lines, not the blank ones before it: lines are counted here.
        let mut lines = LineCounter::default();
        loop {
            let line = lines.line_at(body, reader.position().byte() as usize);
            match reader.read_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    checker.problems.push(RowProblem { line, column: "row", why: format!("malformed CSV row: {e}") });
                    continue;
                }
            }
            let cells: Vec<&str> = record.iter().collect();
            checker.row(line, &cells);
            if !checker.hand_over(deliver) {
                stopped = true;
                break;
            }
        }
    }
    TidyPart { figures: checker.figures, problems: checker.problems, stopped }
}

/// The line (from 0) of the rows of a text, read in order.
#[derive(Default)]
struct LineCounter {
    /// Line feeds before `counted_to`.
    lines: u64,
    counted_to: usize,
}

impl LineCounter {
    /// The line of the row the reader reads from byte `at` on: the first after the line ends there.
    fn line_at(&mut self, text: &str, at: usize) -> u64 {
        let bytes = text.as_bytes();
        let start =
            at + bytes.get(at..).map_or(0, |rest| rest.iter().take_while(|b| matches!(b, b'\r' | b'\n')).count());
        if start > self.counted_to {
            self.lines += memchr::memchr_iter(b'\n', &bytes[self.counted_to..start]).count() as u64;
            self.counted_to = start;
        }
        self.lines
    }
}

/// Whether `body` can be split at its commas and line ends: no quote mark (a quoted cell may
/// hold either), and no carriage return but before a line feed (the CSV reader ends a row at a
/// lone one).
fn unquoted(body: &str) -> bool {
    let bytes = body.as_bytes();
    memchr::memchr(b'"', bytes).is_none()
        && memchr::memchr_iter(b'\r', bytes).all(|at| bytes.get(at + 1) == Some(&b'\n'))
}

/// Hands each row of an unquoted `body` to `each` with its line (from 0) and its cells, as the
/// CSV reader would read them: a row ends at \n or \r\n, and an empty line is no row. Stops
/// when `each` says false.
fn for_each_unquoted_row(body: &str, each: &mut dyn FnMut(u64, &[&str]) -> bool) {
    let bytes = body.as_bytes();
    let mut cells: Vec<&str> = Vec::with_capacity(16);
    let mut start = 0;
    let mut line = 0;
    let mut end_row = |cells: &mut Vec<&'_ str>| -> bool {
        let go_on = matches!(cells.as_slice(), [""]) || each(line, cells);
        cells.clear();
        line += 1;
        go_on
    };
    // Commas and line feeds are ASCII: every cell begins and ends on a character boundary.
    for at in memchr::memchr2_iter(b',', b'\n', bytes) {
        if bytes[at] == b',' {
            cells.push(&body[start..at]);
        } else {
            let end = if at > start && bytes[at - 1] == b'\r' { at - 1 } else { at };
            cells.push(&body[start..end]);
            if !end_row(&mut cells) {
                return;
            }
        }
        start = at + 1;
    }
    if start < bytes.len() || !cells.is_empty() {
        let last = &body[start..];
        cells.push(last.strip_suffix('\r').unwrap_or(last));
        end_row(&mut cells);
    }
}

/// Checks rows into figures, reading each name, period and unit once: a table repeats them row
/// after row.
struct RowChecker<'c> {
    columns: &'c TidyColumns,
    registry: &'c Registry,
    sources: &'c Sources<'c>,
    entities: Remembered<Result<(Arc<str>, EntityKind), String>>,
    periods: Remembered<Result<Period, String>>,
    units: Remembered<Result<Arc<Unit>, String>>,
    /// Indicators, period texts and source keys, shared by the rows that write them alike.
    indicators: Remembered<Arc<str>>,
    period_texts: Remembered<Arc<str>>,
    source_keys: Remembered<Arc<str>>,
    figures: Vec<TableFigure>,
    problems: Vec<RowProblem>,
}

impl<'c> RowChecker<'c> {
    fn new(columns: &'c TidyColumns, registry: &'c Registry, sources: &'c Sources<'c>) -> RowChecker<'c> {
        RowChecker {
            columns,
            registry,
            sources,
            entities: Remembered::default(),
            periods: Remembered::default(),
            units: Remembered::default(),
            indicators: Remembered::default(),
            period_texts: Remembered::default(),
            source_keys: Remembered::default(),
            figures: Vec::new(),
            problems: Vec::new(),
        }
    }

    /// Hands the figures over when a chunk is full and no row was bad; false when `deliver`
    /// gave up.
    fn hand_over(&mut self, deliver: &mut dyn FnMut(Vec<TableFigure>) -> bool) -> bool {
        !(self.figures.len() >= CHUNK_FIGURES
            && self.problems.is_empty()
            && !deliver(std::mem::take(&mut self.figures)))
    }

    /// The row on `line` (counted from the first after the header, 0), its cells as written.
    fn row(&mut self, line: u64, cells: &[&str]) {
        let problem = |line: u64, column: &'static str, why: String| RowProblem { line, column, why };
        let columns = self.columns;
        let problems = &mut self.problems;
        if cells.len() != columns.width {
            problems.push(problem(
                line,
                "row",
                format!("malformed CSV row: {} fields, where the header has {}", cells.len(), columns.width),
            ));
            return;
        }
        let cell = |at: usize| cells.get(at).map(|c| c.trim()).unwrap_or("");
        let optional = |at: Option<usize>| at.map_or("", cell);
        let before = problems.len();
        let registry = self.registry;
        let entity = self
            .entities
            .get(cell(columns.entity), |name| {
                registry.resolve(name).map(|e| (Arc::from(e.name.as_str()), e.kind)).map_err(|e| e.to_string())
            })
            .map_err(|why| problems.push(problem(line, "entity", why)))
            .ok();
        if let (Some((name, kind)), written) = (&entity, optional(columns.entity_kind))
            && let Ok(written) = written.parse::<EntityKind>()
            && written != *kind
        {
            problems.push(problem(
                line,
                "entity_kind",
                format!("{name} is a {}, not a {}", kind.as_str(), written.as_str()),
            ));
        }
        let indicator = self.indicators.get(cell(columns.indicator), shared);
        if indicator.is_empty() {
            problems.push(problem(line, "indicator", "empty".into()));
        }
        let measure = cell(columns.measure)
            .parse::<Measure>()
            .map_err(|e| problems.push(problem(line, "measure", e.to_string())))
            .ok();
        let period = self
            .periods
            .get(cell(columns.period), |p| p.parse::<Period>().map_err(|e| e.to_string()))
            .map_err(|why| problems.push(problem(line, "period", why)))
            .ok();
        let value = crate::model::parse_value(cell(columns.value))
            .map_err(|e| problems.push(problem(line, "value", e.to_string())))
            .ok();
        let unit = self
            .units
            .get(cell(columns.unit), |u| u.parse::<Unit>().map(Arc::new).map_err(|e| e.to_string()))
            .map_err(|why| problems.push(problem(line, "unit", why)))
            .ok();
        if let (Some(m), Some(u)) = (measure, &unit)
            && !m.accepts(u)
        {
            problems.push(problem(line, "unit", format!("a {m} figure cannot be in {u}")));
        }
        let qualifier = Qualifier::parse_optional(optional(columns.qualifier))
            .map_err(|e| problems.push(problem(line, "qualifier", e.to_string())))
            .ok()
            .flatten();
        let share_of = ShareOf::parse_optional(optional(columns.share_of))
            .map_err(|e| problems.push(problem(line, "share_of", e.to_string())))
            .ok()
            .flatten();
        if share_of.is_some() && measure.is_some_and(|m| m != Measure::SharePct) {
            problems.push(problem(line, "share_of", "only shares (share_pct) are of something".into()));
        }
        let sources = self.sources;
        let keys = &mut self.source_keys;
        let source = match (optional(columns.source_id), sources.given) {
            ("", Some(given)) => Some(keys.get(given, shared)),
            (named, Some(given)) if named == given => Some(keys.get(given, shared)),
            (named, _) if !named.is_empty() && sources.stored.contains(named) => Some(keys.get(named, shared)),
            ("", None) => {
                problems.push(problem(
                    line,
                    "source_id",
                    "no source: give --source-id (a figure without a source is not stored)".into(),
                ));
                None
            }
            (named, _) => {
                problems.push(problem(
                    line,
                    "source_id",
                    format!("{named:?} is neither --source-id nor a source in the database"),
                ));
                None
            }
        };
        if problems.len() > before {
            return;
        }
        let (Some((entity, _)), Some(measure), Some(period), Some(value), Some(unit), Some(source)) =
            (entity, measure, period, value, unit, source)
        else {
            return;
        };
        let text = |at: Option<usize>| Some(optional(at).to_string()).filter(|t| !t.is_empty());
        self.figures.push(TableFigure {
            entity,
            indicator,
            measure,
            period,
            period_text: self.period_texts.get(optional(columns.period_text), shared),
            value,
            unit,
            qualifier,
            share_of,
            source,
            note: text(columns.note),
            quote: text(columns.quote),
        });
    }
}

/// `text` as a shared string.
fn shared(text: &str) -> Arc<str> {
    Arc::from(text)
}

/// What was made of each text a column holds, made once: a table repeats its names, periods
/// and units row after row, most often the same as the row before, which is answered without
/// hashing.
struct Remembered<T> {
    made: FastMap<String, T>,
    last: Option<(String, T)>,
}

impl<T> Default for Remembered<T> {
    fn default() -> Self {
        Remembered { made: FastMap::default(), last: None }
    }
}

impl<T: Clone> Remembered<T> {
    /// What `make` makes of `text`, or a clone of what it made of it before.
    fn get(&mut self, text: &str, make: impl FnOnce(&str) -> T) -> T {
        if let Some((last, made)) = &self.last
            && last == text
        {
            return made.clone();
        }
        let made = match self.made.get(text) {
            Some(made) => made.clone(),
            None => {
                let made = make(text);
                self.made.insert(text.to_string(), made.clone());
                made
            }
        };
        match &mut self.last {
            Some((last, kept)) => {
                last.clear();
                last.push_str(text);
                *kept = made.clone();
            }
            None => self.last = Some((text.to_string(), made.clone())),
        }
        made
    }
}

/// Whether a file name (lower case) is one of the tables Zonescope reads: CSV, TSV, XLSX, XLS, ODS.
pub fn is_table_file(name: &str) -> bool {
    [".csv", ".tsv", ".xlsx", ".xlsm", ".xls", ".ods"].iter().any(|e| name.ends_with(e))
}

/// A table read through a mapping and made ready to store: what the window's preview and the
/// command line show, and the figures and source they store.
#[derive(Debug)]
pub struct PreparedTable {
    pub grid: grid::Grid,
    pub table: wide::WideTable,
    /// The source the figures cite: `table:<file stem>:<fingerprint>`.
    pub key: String,
    /// The file (and sheet) the figures come from.
    pub title: String,
    /// The mapping's address, or the file's name.
    pub address: String,
    pub figures: Vec<TableFigure>,
    /// What makes the import the same import again: the file's bytes and the mapping.
    pub content: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum TableError {
    #[error(transparent)]
    Grid(#[from] grid::GridError),
    #[error(transparent)]
    Mapping(#[from] wide::MappingError),
}

impl PreparedTable {
    /// Reads `bytes` (a file called `file_name`) through `mapping`. A table with problems or
    /// unknown names is still returned, to be shown: `table.ready()` says whether to store it.
    pub fn read(
        bytes: &[u8],
        file_name: &str,
        mapping: &wide::Mapping,
        registry: &Registry,
    ) -> Result<PreparedTable, TableError> {
        let grid = grid::read_grid(bytes, mapping.sheet.as_deref())?;
        let table = wide::read_wide(&grid, mapping, registry)?;
        let stem = file_name.rsplit_once('.').map_or(file_name, |(stem, _)| stem);
        let key = format!("table:{stem}:{:08x}", crate::store::fingerprint(bytes) >> 32);
        let figures = table.to_figures(&key, grid.sheet.as_deref());
        let title = match &grid.sheet {
            Some(sheet) => format!("{file_name}, sheet {sheet:?}"),
            None => file_name.to_string(),
        };
        let address = if mapping.source.address.trim().is_empty() {
            file_name.to_string()
        } else {
            mapping.source.address.clone()
        };
        let mut content = bytes.to_vec();
        content.extend_from_slice(serde_json::to_string(mapping).unwrap_or_default().as_bytes());
        Ok(PreparedTable { grid, table, key, title, address, figures, content })
    }

    /// The new source of the figures, from the mapping's publisher and date.
    pub fn source<'a>(&'a self, mapping: &'a wide::Mapping) -> crate::store::NewSource<'a> {
        crate::store::NewSource {
            key: &self.key,
            title: Some(&self.title),
            publisher: mapping.source.publisher.trim(),
            address: &self.address,
            published: Some(mapping.source.published.trim()),
            kind: Some("table"),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::registry::EntityEntry;

    fn registry() -> Registry {
        let zone = |id: i64, name: &str| EntityEntry::named(id, name, EntityKind::Zone);
        Registry::new(vec![zone(1, "重庆经济技术开发区"), zone(2, "万州经济技术开发区")])
    }

    /// The rows the CSV reader reads in `body`, each as its cells.
    fn csv_rows(body: &str) -> Vec<Vec<String>> {
        let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(body.as_bytes());
        reader.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect()
    }

    fn split_rows(body: &str) -> Vec<Vec<String>> {
        let mut rows = Vec::new();
        for_each_unquoted_row(body, &mut |_, cells| {
            rows.push(cells.iter().map(|c| c.to_string()).collect());
            true
        });
        rows
    }

    #[test]
    fn a_table_without_quotes_is_split_into_the_rows_the_csv_reader_reads() {
        for body in [
            "a,b\n\nc,d\r\ne,\n",
            "x\n",
            "a,b",
            "\r\n\r\na,b\r\n",
            ",\n,,\n",
            " a , b \n重庆经开区,外贸进出口总额,value,2023,242.3,亿元\r\n\n",
            "last,line,no,end\r",
            "",
            "\n\n",
        ] {
            if unquoted(body) {
                assert_eq!(split_rows(body), csv_rows(body), "{body:?}");
            }
        }
        assert!(!unquoted("a,\"b\nc\"\n"), "a quoted cell may hold a line end");
        assert!(!unquoted("a\rb\n"), "a lone carriage return ends a row");
        assert!(unquoted("a\r\nb\n"));
        // Stops when asked to.
        let mut seen = 0;
        for_each_unquoted_row("a\nb\nc\n", &mut |_, _| {
            seen += 1;
            seen < 2
        });
        assert_eq!(seen, 2);
    }

    #[test]
    fn bad_rows_are_named_by_their_line_in_the_file_with_or_without_quotes_and_blank_lines() {
        let registry = registry();
        let stored = HashSet::new();
        let sources = Sources { given: Some("s"), stored: &stored };
        let header = "entity,indicator,measure,period,value,unit\r\n";
        let rows = "重庆经济技术开发区,外贸进出口总额,value,2023,1,亿元\r\n\r\n未知开发区,外贸进出口总额,value,2023,1,亿元\r\n万州经济技术开发区,外贸进出口总额,value,2023,x,亿元";
        let plain = format!("{header}{rows}");
        // The same rows with a quoted cell, read by the CSV reader.
        let quoted = plain.replacen("外贸进出口总额", "\"外贸进出口总额\"", 1);
        assert!(unquoted(&plain) && !unquoted(&quoted));
        let lines = |text: &str| -> Vec<(u64, &'static str)> {
            read_tidy_csv(text, &registry, &sources).unwrap_err().iter().map(|p| (p.line, p.column)).collect()
        };
        assert_eq!(lines(&plain), lines(&quoted));
        // Lines as an editor counts them, the blank one too.
        assert_eq!(lines(&plain), [(4, "entity"), (5, "value")]);
    }

    #[test]
    fn a_large_table_is_handed_over_in_order_and_in_chunks_and_nothing_after_a_bad_row() {
        let registry = registry();
        let stored = HashSet::new();
        let sources = Sources { given: Some("s"), stored: &stored };
        let mut text = String::from("entity,indicator,measure,period,value,unit,note\n");
        let rows = 30_000;
        for n in 0..rows {
            let zone = if n % 2 == 0 { "重庆经开区" } else { "万州经开区" };
            let (period, unit, note) = match n {
                // Bad rows early and late, notes with line breaks in between.
                17 => ("2021", "亿英镑", ""),
                14_500..=15_500 => ("2021", "亿元", "\"第一行\n第二行, \"\"引号\"\"\""),
                29_000 => ("2021年", "亿元", ""),
                _ => ("2021", "亿元", ""),
            };
            text.push_str(&format!("{zone},工业总产值,value,{period},{n},{unit},{note}\n"));
        }
        let mut chunks = Vec::new();
        let read = |text: &str, chunks: &mut Vec<usize>| {
            TidyTable::of(text).unwrap().read_in_chunks(&registry, &sources, &mut |chunk| {
                chunks.push(chunk.len());
                true
            })
        };
        let problems = read(&text, &mut chunks).unwrap_err();
        assert!(chunks.is_empty(), "nothing is handed over after a bad row: {chunks:?}");
        assert_eq!(read_tidy_csv(&text, &registry, &sources).unwrap_err(), problems);
        let lines: Vec<(u64, &str)> = problems.iter().map(|p| (p.line, p.column)).collect();
        // Row n is on line n + 2 (the header is line 1), and after the 1,001 notes of two lines
        // on line n + 3 + 1,001.
        assert_eq!(lines, vec![(19, "unit"), (30_003, "period")]);
        // Without the bad rows, every figure is read once, in the file's order.
        let good: String =
            text.split_inclusive('\n').filter(|l| !l.contains("亿英镑") && !l.contains("2021年")).collect();
        read(&good, &mut chunks).unwrap();
        assert!(chunks.len() >= 3 && chunks.iter().all(|&n| n <= CHUNK_FIGURES), "{chunks:?}");
        assert_eq!(chunks.iter().sum::<usize>(), rows - 2);
        let figures = read_tidy_csv(&good, &registry, &sources).unwrap();
        assert_eq!(figures.len(), rows - 2);
        let values: Vec<f64> = figures.iter().map(|f| f.value).collect();
        assert!(values.windows(2).all(|w| w[0] < w[1]), "in order");
        assert_eq!(figures[14_500 - 1].note.as_deref(), Some("第一行\n第二行, \"引号\""));
        assert_eq!(&*figures[0].entity, "重庆经济技术开发区");
    }
}
