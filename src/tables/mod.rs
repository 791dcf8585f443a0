//! Researchers' own tables: a tidy CSV in the columns of `data/facts.csv`, checked row by row as
//! the bundled build checks its data, before anything is stored; and the tables they already
//! have (a CSV or a workbook's sheet with a row per zone), read through a mapping (`wide`).

pub mod grid;
pub mod wide;

use std::collections::HashSet;

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
/// first; then nothing is returned to store.
pub fn read_tidy_csv(
    text: &str,
    registry: &Registry,
    sources: &Sources<'_>,
) -> Result<Vec<TableFigure>, Vec<RowProblem>> {
    let problem = |line: u64, column: &'static str, why: String| RowProblem { line, column, why };
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(text.as_bytes());
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
    let at = |name: &str| headers.iter().position(|h| h == name);
    let mut figures = Vec::new();
    let mut problems = Vec::new();
    for (k, record) in reader.records().enumerate() {
        let line = k as u64 + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(problem(line, "row", format!("malformed CSV row: {e}")));
                continue;
            }
        };
        let cell = |name: &str| at(name).and_then(|i| record.get(i)).map(str::trim).unwrap_or("");
        let before = problems.len();
        let entity = match registry.resolve(cell("entity")) {
            Ok(e) => Some(e),
            Err(e) => {
                problems.push(problem(line, "entity", e.to_string()));
                None
            }
        };
        if let (Some(e), kind) = (entity, cell("entity_kind"))
            && let Ok(kind) = kind.parse::<EntityKind>()
            && kind != e.kind
        {
            problems.push(problem(
                line,
                "entity_kind",
                format!("{} is a {}, not a {}", e.name, e.kind.as_str(), kind.as_str()),
            ));
        }
        let indicator = cell("indicator").to_string();
        if indicator.is_empty() {
            problems.push(problem(line, "indicator", "empty".into()));
        }
        let measure =
            cell("measure").parse::<Measure>().map_err(|e| problems.push(problem(line, "measure", e.to_string()))).ok();
        let period =
            cell("period").parse::<Period>().map_err(|e| problems.push(problem(line, "period", e.to_string()))).ok();
        let value = crate::model::parse_value(cell("value"))
            .map_err(|e| problems.push(problem(line, "value", e.to_string())))
            .ok();
        let unit = cell("unit").parse::<Unit>().map_err(|e| problems.push(problem(line, "unit", e.to_string()))).ok();
        if let (Some(m), Some(u)) = (measure, &unit)
            && !m.accepts(u)
        {
            problems.push(problem(line, "unit", format!("a {m} figure cannot be in {u}")));
        }
        let qualifier = Qualifier::parse_optional(cell("qualifier"))
            .map_err(|e| problems.push(problem(line, "qualifier", e.to_string())))
            .ok()
            .flatten();
        let share_of = ShareOf::parse_optional(cell("share_of"))
            .map_err(|e| problems.push(problem(line, "share_of", e.to_string())))
            .ok()
            .flatten();
        if share_of.is_some() && measure.is_some_and(|m| m != Measure::SharePct) {
            problems.push(problem(line, "share_of", "only shares (share_pct) are of something".into()));
        }
        let source = match (cell("source_id"), sources.given) {
            ("", Some(given)) => Some(given.to_string()),
            (named, Some(given)) if named == given => Some(given.to_string()),
            (named, _) if !named.is_empty() && sources.stored.contains(named) => Some(named.to_string()),
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
            continue;
        }
        let (Some(entity), Some(measure), Some(period), Some(value), Some(unit), Some(source)) =
            (entity, measure, period, value, unit, source)
        else {
            continue;
        };
        let text = |name: &str| Some(cell(name).to_string()).filter(|t| !t.is_empty());
        figures.push(TableFigure {
            entity: entity.name.clone(),
            indicator,
            measure,
            period,
            period_text: cell("period_text").to_string(),
            value,
            unit,
            qualifier,
            share_of,
            source,
            note: text("note"),
            quote: text("quote"),
        });
    }
    if problems.is_empty() { Ok(figures) } else { Err(problems) }
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
