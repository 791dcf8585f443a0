//! Tables as researchers keep them: one row per zone, and columns that are either periods of
//! one indicator (2019, 2020年, 2024年1-9月) or indicators of one period (进出口总额(亿元),
//! 实际使用外资(万美元)). A `Mapping` says which, and what the table does not say (the unit when
//! no header or 单位 line gives it, the measure, the source). `read_wide` turns every filled cell
//! into a figure, or a problem named by its cell; nothing is guessed silently: what is left out
//! is listed.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::grid::{Grid, column_name};
use crate::model::{Measure, Period, Qualifier, Unit};
use crate::registry::Registry;
use crate::store::TableFigure;

/// What the columns beside the zone column are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnsAre {
    /// Periods of one indicator: 2019, 2020年, 2024年1-9月.
    #[default]
    Periods,
    /// Indicators of one period: 进出口总额(亿元), 实际使用外资(万美元).
    Indicators,
}

/// The source of a table's figures: a publisher and a date are required.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TableSource {
    pub publisher: String,
    /// YYYY-MM-DD, YYYY-MM or YYYY.
    pub published: String,
    #[serde(default)]
    pub address: String,
}

/// How to read a table, kept as JSON beside it for next year's table (`--mapping`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Mapping {
    /// A workbook's sheet; the first when none.
    pub sheet: Option<String>,
    /// The column naming the zone: its letter (A, B…) or its header text; the first column
    /// with text in every data row when none.
    pub zone_column: Option<String>,
    /// How many rows of headers stand right above the first figure; found when none.
    pub header_rows: Option<usize>,
    pub columns_are: ColumnsAre,
    /// The indicator of a table whose columns are periods.
    pub indicator: Option<String>,
    /// The period of a table whose columns are indicators (2023, 2024-01/2024-09, 2024年1-9月).
    pub period: Option<String>,
    /// The unit when neither a column's header (`进出口总额(亿元)`) nor a `单位:亿元` line says it.
    pub unit: Option<String>,
    pub measure: Option<Measure>,
    pub source: TableSource,
    /// Zone names the registry does not know: the registry name each stands for, or `new`
    /// to keep it as a new zone.
    pub names: BTreeMap<String, String>,
    /// Indicator headers and the indicator each stands for (进出口总额 → 外贸进出口总额).
    pub indicators: BTreeMap<String, String>,
}

/// What `names` says to keep a name as a new zone.
pub const NEW_ZONE: &str = "new";

/// How one column beside the zone column was read.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnReading {
    pub col: usize,
    /// The header as the table writes it, its rows joined.
    pub header: String,
    /// What the column holds: a period, or an indicator; none when it is left out.
    pub period: Option<Period>,
    /// The period as the header writes it (2024年1-9月).
    pub period_text: String,
    pub indicator: Option<String>,
    pub unit: Option<Unit>,
    /// Why a column is left out.
    pub left_out: Option<LeftOut>,
}

/// Why a column or a row gives no figures, said in the reader's language.
#[derive(Debug, Clone, PartialEq)]
pub enum LeftOut {
    NoHeader,
    /// A header that names no period, in a table of periods.
    NoPeriod(String),
    NoUnit,
    /// The measure cannot be in the column's unit (a growth rate in 亿元).
    WrongUnit(Measure, String),
    /// A row without a zone's name.
    NoZone,
    /// A 合计 row: the sum of the others.
    Total(String),
    /// A row with a name and no figure: a note under the table.
    NoFigure(String),
}

impl LeftOut {
    pub fn text(&self, lang: crate::model::Lang) -> String {
        use crate::model::Lang::{En, Zh};
        match (self, lang) {
            (LeftOut::NoHeader, Zh) => "没有表头".into(),
            (LeftOut::NoHeader, En) => "no header".into(),
            (LeftOut::NoPeriod(h), Zh) => format!("“{h}”不是期间"),
            (LeftOut::NoPeriod(h), En) => format!("{h:?} is no period"),
            (LeftOut::NoUnit, Zh) => "没有单位:表头、“单位”行和映射都没有给出".into(),
            (LeftOut::NoUnit, En) => "no unit: none in its header, no 单位 line, none in the mapping".into(),
            (LeftOut::WrongUnit(m, u), Zh) => format!("{}的数据不能以{u}为单位", m.label_zh()),
            (LeftOut::WrongUnit(m, u), En) => format!("a {m} figure cannot be in {u}"),
            (LeftOut::NoZone, Zh) => "没有开发区名称".into(),
            (LeftOut::NoZone, En) => "no zone named".into(),
            (LeftOut::Total(z), Zh) => format!("{z}:各行之和,不是开发区"),
            (LeftOut::Total(z), En) => format!("{z}: a total of the rows, not a zone"),
            (LeftOut::NoFigure(z), Zh) => format!("“{z}”:这一行没有数据(注释?)"),
            (LeftOut::NoFigure(z), En) => format!("{z:?}: no figure in the row (a note?)"),
        }
    }
}

/// How one zone name resolved.
#[derive(Debug, Clone, PartialEq)]
pub enum NameReading {
    /// A registry entity (canonical name).
    Known(String),
    /// Kept as a new zone, as the mapping says.
    New,
    /// Not known: the closest registry names, best first.
    Unknown(Vec<String>),
}

/// A cell that cannot become a figure.
#[derive(Debug, Clone, PartialEq)]
pub struct CellProblem {
    pub row: usize,
    pub col: usize,
    pub why: String,
}

impl CellProblem {
    /// "row 5, column C": rows counted from 1, as a spreadsheet shows them.
    pub fn place(&self) -> String {
        format!("row {}, column {}", self.row + 1, column_name(self.col))
    }
}

impl std::fmt::Display for CellProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.place(), self.why)
    }
}

/// A filled cell read as a figure: where it is, and what it says.
#[derive(Debug, Clone, PartialEq)]
pub struct CellFigure {
    pub row: usize,
    pub col: usize,
    /// The zone as the table writes it.
    pub zone: String,
    pub indicator: String,
    pub period: Period,
    pub period_text: String,
    pub value: f64,
    pub unit: Unit,
    pub qualifier: Option<Qualifier>,
}

/// A table read through a mapping: every column, name and cell accounted for.
#[derive(Debug, Clone, PartialEq)]
pub struct WideTable {
    /// Rows of the header (first, last) and the first row of figures.
    pub header: (usize, usize),
    pub first_row: usize,
    pub zone_column: usize,
    pub measure: Measure,
    pub columns: Vec<ColumnReading>,
    /// Each zone name of the table, in order, and how it resolved.
    pub names: Vec<(String, NameReading)>,
    pub figures: Vec<CellFigure>,
    /// Cells that say no figure (empty, —, -): not zero, and not stored.
    pub empty_cells: usize,
    /// Rows left out, and why (a 合计 row, a note under the table).
    pub rows_left_out: Vec<(usize, LeftOut)>,
    pub problems: Vec<CellProblem>,
    /// What the mapping lacks or says wrong (no indicator, a unit that is none).
    pub mapping_problems: Vec<MappingError>,
}

impl WideTable {
    /// Whether everything can be stored: no problem and no unknown name.
    pub fn ready(&self) -> bool {
        self.problems.is_empty() && self.mapping_problems.is_empty() && self.unknown_names().next().is_none()
    }

    pub fn unknown_names(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.names.iter().filter_map(|(n, r)| match r {
            NameReading::Unknown(closest) => Some((n.as_str(), closest.as_slice())),
            _ => None,
        })
    }

    /// The figures to store, from `source` (a source key), each citing its cell in its note.
    /// Figures of unknown names are left out, and a mapping with problems gives none: check
    /// `ready` first.
    pub fn to_figures(&self, source: &str, sheet: Option<&str>) -> Vec<TableFigure> {
        if !self.mapping_problems.is_empty() {
            return Vec::new();
        }
        let source: std::sync::Arc<str> = source.into();
        let entity_of: BTreeMap<&str, &str> = self
            .names
            .iter()
            .filter_map(|(n, r)| match r {
                NameReading::Known(canonical) => Some((n.as_str(), canonical.as_str())),
                NameReading::New => Some((n.as_str(), n.as_str())),
                NameReading::Unknown(_) => None,
            })
            .collect();
        self.figures
            .iter()
            .filter_map(|f| {
                let entity = entity_of.get(f.zone.as_str())?;
                let cell = format!("{}{}", column_name(f.col), f.row + 1);
                Some(TableFigure {
                    entity: (*entity).into(),
                    indicator: f.indicator.as_str().into(),
                    measure: self.measure,
                    period: f.period,
                    period_text: f.period_text.as_str().into(),
                    value: f.value,
                    unit: std::sync::Arc::new(f.unit.clone()),
                    qualifier: f.qualifier,
                    share_of: None,
                    source: source.clone(),
                    note: Some(match sheet {
                        Some(s) => format!("table cell {s}!{cell}"),
                        None => format!("table cell {cell}"),
                    }),
                    quote: None,
                })
            })
            .collect()
    }
}

/// What is wrong with a mapping or its source as a whole (not a cell's problem).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MappingError {
    #[error("the mapping names no indicator (`indicator`), and the columns are periods of one")]
    NoIndicator,
    #[error("the mapping names no period (`period`), and the columns are indicators of one")]
    NoPeriod,
    #[error("the mapping's period {0:?} is not a period (2023, 2024-01/2024-09, 2024年1-9月)")]
    BadPeriod(String),
    #[error("the mapping's unit {0:?} is not a unit (亿元, 万美元, %, 家…)")]
    BadUnit(String),
    #[error("the table has no column {0:?}")]
    NoSuchColumn(String),
    #[error("no row of the table holds a zone and a number: no figures to read")]
    NoFigures,
    #[error("the source needs a publisher and a date (a figure without a source is not stored)")]
    NoSource,
    #[error("the source's date {0:?} is not YYYY-MM-DD, YYYY-MM or YYYY")]
    BadDate(String),
}

impl MappingError {
    /// The problem in the reader's language (the English is the error's own message).
    pub fn text(&self, lang: crate::model::Lang) -> String {
        use crate::model::Lang::Zh;
        match (lang, self) {
            (Zh, MappingError::NoIndicator) => "请填写指标:各列是它的各个期间。".into(),
            (Zh, MappingError::NoPeriod) => "请填写期间:各列是这一期间的各项指标。".into(),
            (Zh, MappingError::BadPeriod(t)) => format!("“{t}”不是期间 (如 2023、2024年1-9月)。"),
            (Zh, MappingError::BadUnit(t)) => format!("“{t}”不是单位 (如 亿元、万美元、%、家)。"),
            (_, other) => format!("{other}."),
        }
    }
}

/// Reads `grid` through `mapping`, resolving zone names with `registry`. A table is read even through a mapping still being filled in (the dialog shows it as the
/// reader goes): what the mapping lacks is listed in `mapping_problems`, and such a table is
/// not `ready` to store. Only a table with no figures at all, or a zone column it lacks, is an
/// error.
pub fn read_wide(grid: &Grid, mapping: &Mapping, registry: &Registry) -> Result<WideTable, MappingError> {
    let measure = mapping.measure.unwrap_or(Measure::Value);
    let mut mapping_problems = Vec::new();
    let fixed_unit = match mapping.unit.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        Some(u) => u.parse::<Unit>().map_err(|_| mapping_problems.push(MappingError::BadUnit(u.to_string()))).ok(),
        None => None,
    };
    let fixed_period = match (mapping.columns_are, mapping.period.as_deref().map(str::trim)) {
        (ColumnsAre::Indicators, None | Some("")) => {
            mapping_problems.push(MappingError::NoPeriod);
            None
        }
        (ColumnsAre::Indicators, Some(p)) => match parse_header_period(p) {
            Some(period) => Some((period, p)),
            None => {
                mapping_problems.push(MappingError::BadPeriod(p.into()));
                None
            }
        },
        _ => None,
    };
    let indicator = match (mapping.columns_are, mapping.indicator.as_deref().map(str::trim)) {
        (ColumnsAre::Periods, None | Some("")) => {
            mapping_problems.push(MappingError::NoIndicator);
            String::new()
        }
        (_, i) => i.unwrap_or("").to_string(),
    };

    let width = grid.width();
    let named_zone_column = match mapping.zone_column.as_deref().map(str::trim).filter(|z| !z.is_empty()) {
        Some(z) => Some(find_column(grid, z).ok_or_else(|| MappingError::NoSuchColumn(z.to_string()))?),
        None => None,
    };
    // The first row of figures: a name, then a number in some later column.
    let is_data_row = |row: usize, zone_col: usize| {
        !grid.cell(row, zone_col).is_empty()
            && parse_number(grid.cell(row, zone_col)).is_none()
            && parse_header_period(grid.cell(row, zone_col)).is_none()
            && (zone_col + 1..width).any(|c| matches!(read_cell(grid.cell(row, c)), CellValue::Number(..)))
            && !is_unit_line(grid, row)
    };
    // A row of years (开发区, 2022, 2023) reads like figures: it is the header when figures
    // follow it.
    let years_only = |row: usize, zone_col: usize| {
        (zone_col + 1..width).all(|c| {
            let t = grid.cell(row, c);
            t.is_empty() || parse_header_period(t).is_some()
        })
    };
    let data_rows = (0..grid.cells.len()).filter_map(|row| match named_zone_column {
        Some(z) => is_data_row(row, z).then_some((z, row)),
        None => (0..width).find(|&z| is_data_row(row, z)).map(|z| (z, row)),
    });
    let mut data_rows = data_rows.peekable();
    let (zone_column, first_row) = loop {
        let Some((z, row)) = data_rows.next() else { return Err(MappingError::NoFigures) };
        if years_only(row, z) && data_rows.peek().is_some() {
            continue;
        }
        break (z, row);
    };

    // The header: the rows right above the first figure, up to a blank row or a title line (one
    // cell of text across the table).
    let header_rows = mapping.header_rows.unwrap_or_else(|| {
        (0..first_row)
            .rev()
            .take_while(|&r| !grid.is_blank_row(r) && !is_unit_line(grid, r) && filled(grid, r) >= 2)
            .count()
    });
    let header_first = first_row.saturating_sub(header_rows);
    let headers = column_headers(grid, header_first, first_row, width);

    // A 单位 line anywhere above the figures (a title's, or the header's own).
    let table_unit = (0..first_row).find_map(|r| unit_line(grid, r));

    let mut columns = Vec::new();
    for (col, parts) in headers.iter().enumerate().skip(zone_column + 1) {
        let header = parts.concat();
        let (name, header_unit) = split_unit(&header);
        let mut reading = ColumnReading {
            col,
            header: header.clone(),
            period: None,
            period_text: String::new(),
            indicator: None,
            unit: None,
            left_out: None,
        };
        reading.unit = header_unit.or_else(|| fixed_unit.clone()).or_else(|| table_unit.clone());
        match mapping.columns_are {
            // A heading over the periods (进出口总额 over 2021, 2022…) is not part of them.
            ColumnsAre::Periods => match (0..parts.len().max(1)).find_map(|k| {
                let text = split_unit(&parts[k.min(parts.len())..].concat()).0;
                parse_header_period(&text).map(|p| (p, text))
            }) {
                Some((p, text)) => {
                    reading.period = Some(p);
                    reading.period_text = text;
                    reading.indicator = Some(indicator.clone());
                }
                None if name.is_empty() => reading.left_out = Some(LeftOut::NoHeader),
                None => reading.left_out = Some(LeftOut::NoPeriod(name.clone())),
            },
            ColumnsAre::Indicators => {
                if name.is_empty() {
                    reading.left_out = Some(LeftOut::NoHeader);
                } else {
                    let indicator = mapping.indicators.get(&name).cloned().unwrap_or(name.clone());
                    reading.indicator = Some(indicator);
                    reading.period = fixed_period.map(|(p, _)| p);
                }
            }
        }
        if reading.left_out.is_none() && reading.unit.is_none() {
            reading.left_out = Some(LeftOut::NoUnit);
        }
        if let (None, Some(u)) = (&reading.left_out, &reading.unit)
            && !measure.accepts(u)
        {
            reading.left_out = Some(LeftOut::WrongUnit(measure, u.to_string()));
        }
        columns.push(reading);
    }

    let mut table = WideTable {
        header: (header_first, first_row.saturating_sub(1)),
        first_row,
        zone_column,
        measure,
        columns,
        names: Vec::new(),
        figures: Vec::new(),
        empty_cells: 0,
        rows_left_out: Vec::new(),
        problems: Vec::new(),
        mapping_problems,
    };
    for row in first_row..grid.cells.len() {
        let zone = clean_name(grid.cell(row, zone_column));
        if zone.is_empty() {
            if !grid.is_blank_row(row) {
                table.rows_left_out.push((row, LeftOut::NoZone));
            }
            continue;
        }
        if is_total_row(&zone) && !mapping.names.contains_key(&zone) {
            table.rows_left_out.push((row, LeftOut::Total(zone.clone())));
            continue;
        }
        let numbers_in_row =
            table.columns.iter().any(|c| !matches!(read_cell(grid.cell(row, c.col)), CellValue::Empty));
        if !numbers_in_row {
            table.rows_left_out.push((row, LeftOut::NoFigure(zone.clone())));
            continue;
        }
        if !table.names.iter().any(|(n, _)| *n == zone) {
            let reading = resolve_name(&zone, mapping, registry);
            table.names.push((zone.clone(), reading));
        }
        for c in table.columns.iter().filter(|c| c.left_out.is_none()) {
            let text = grid.cell(row, c.col);
            let (value, qualifier) = match read_cell(text) {
                CellValue::Empty => {
                    table.empty_cells += 1;
                    continue;
                }
                CellValue::Number(v, q) => (v, q),
                CellValue::NotANumber => {
                    table.problems.push(CellProblem { row, col: c.col, why: format!("{text:?} is not a number") });
                    continue;
                }
            };
            let (Some(period), Some(indicator), Some(unit)) = (c.period, &c.indicator, &c.unit) else { continue };
            let period_text = match fixed_period {
                Some((_, written)) => written.to_string(),
                None => c.period_text.clone(),
            };
            table.figures.push(CellFigure {
                row,
                col: c.col,
                zone: zone.clone(),
                indicator: indicator.clone(),
                period,
                period_text,
                value,
                unit: unit.clone(),
                qualifier,
            });
        }
    }
    Ok(table)
}

/// Checks the mapping's source: a publisher and a date, as every stored source has.
pub fn check_source(source: &TableSource) -> Result<(), MappingError> {
    if source.publisher.trim().is_empty() || source.published.trim().is_empty() {
        return Err(MappingError::NoSource);
    }
    crate::model::parse_published(&source.published).map_err(|_| MappingError::BadDate(source.published.clone()))?;
    Ok(())
}

/// A column by its letter (C) or by its header text, searched in the first rows.
fn find_column(grid: &Grid, name: &str) -> Option<usize> {
    let letters = name.len() <= 3 && name.chars().all(|c| c.is_ascii_uppercase());
    if letters {
        let n = name.bytes().fold(0usize, |n, b| n * 26 + (b - b'A' + 1) as usize);
        return Some(n - 1);
    }
    (0..grid.cells.len().min(20)).find_map(|r| (0..grid.width()).find(|&c| grid.cell(r, c) == name))
}

fn filled(grid: &Grid, row: usize) -> usize {
    grid.cells.get(row).map_or(0, |r| r.iter().filter(|c| !c.trim().is_empty()).count())
}

/// Each column's header: its cells in the header rows, top to bottom. A cell left empty in an
/// upper row under a merged heading takes the heading from its left (2024年 over 1-3月 and 1-6月).
fn column_headers(grid: &Grid, first: usize, end: usize, width: usize) -> Vec<Vec<String>> {
    let mut headers = vec![Vec::new(); width];
    for row in first..end {
        let last = row + 1 == end;
        let mut carried = String::new();
        for (col, header) in headers.iter_mut().enumerate() {
            let cell = grid.cell(row, col);
            let part = if !cell.is_empty() {
                carried = cell.to_string();
                cell.to_string()
            } else if !last && col > 0 {
                carried.clone()
            } else {
                String::new()
            };
            if !part.trim().is_empty() {
                header.push(part.trim().to_string());
            }
        }
    }
    headers
}

/// Whether a row is a unit line: a cell that says 单位.
fn is_unit_line(grid: &Grid, row: usize) -> bool {
    grid.cells.get(row).is_some_and(|r| r.iter().any(|c| c.contains("单位")))
}

/// The unit a `单位:亿元` line gives.
fn unit_line(grid: &Grid, row: usize) -> Option<Unit> {
    grid.cells.get(row)?.iter().find_map(|cell| {
        let normal = crate::extract::text::normalise(cell);
        let (_, after) = normal.split_once("单位")?;
        let after = after.trim_start_matches([':', '：', ' ']);
        let word: String = after.chars().take_while(|c| !c.is_whitespace() && !"()),;".contains(*c)).collect();
        word.parse().ok()
    })
}

/// A header without its unit: `进出口总额(亿元)` → (`进出口总额`, 亿元).
fn split_unit(header: &str) -> (String, Option<Unit>) {
    let normal = crate::extract::text::normalise(header);
    if let Some(open) = normal.rfind('(') {
        let inside = normal[open + 1..].trim_end().trim_end_matches(')');
        if let Ok(unit) = inside.trim().parse::<Unit>() {
            return (normal[..open].trim().to_string(), Some(unit));
        }
    }
    (normal.trim().to_string(), None)
}

/// A period as a header writes it: 2019, 2020年, 2024年1-9月, 2023年前三季度, 2024-01/2024-09.
pub fn parse_header_period(text: &str) -> Option<Period> {
    let t = crate::extract::text::normalise(text.trim());
    let t = t.trim();
    if let Ok(y) = t.parse::<i32>() {
        return Period::year(y).filter(|_| (1949..=2100).contains(&y));
    }
    if let Ok(p) = t.parse::<Period>() {
        return (p != Period::Unspecified).then_some(p);
    }
    let chars: Vec<char> = t.chars().collect();
    let context = crate::extract::period::PeriodContext { published: None, year: None };
    let phrase = crate::extract::period::period_at(&chars, 0, &context)?;
    // The whole header is the period (a trailing 年 or 末 aside), not a phrase inside a title.
    let rest: String = chars[phrase.len..].iter().collect();
    (phrase.explicit_year && matches!(rest.trim(), "" | "年" | "累计" | "末")).then_some(phrase.period)
}

/// A zone name as written, without footnote marks and spaces: `重庆经开区*` → `重庆经开区`.
fn clean_name(text: &str) -> String {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    t.trim_end_matches(FOOTNOTE_MARKS).to_string()
}

/// Marks that point to a footnote: `123.4*`, `重庆经开区①`.
const FOOTNOTE_MARKS: &[char] =
    &['*', '※', '†', '‡', '#', '①', '②', '③', '④', '⑤', '⑥', '⑦', '⑧', '⑨', '¹', '²', '³', '⁴', '⁵'];

fn is_total_row(zone: &str) -> bool {
    matches!(zone, "合计" | "总计" | "小计" | "全部" | "汇总" | "总计(合计)")
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum CellValue {
    /// No figure: empty, —, -, …, /.
    Empty,
    Number(f64, Option<Qualifier>),
    NotANumber,
}

/// A cell's figure: thousands separators, full-width digits, footnote marks and % dropped;
/// 约 / 超 / > / < read as qualifiers; a dash or nothing is no figure, not zero.
fn read_cell(text: &str) -> CellValue {
    let t = crate::extract::text::normalise(text.trim());
    let t = t.trim().trim_end_matches(FOOTNOTE_MARKS).trim();
    if t.is_empty() || t.chars().all(|c| "-—–―…/.·".contains(c)) || matches!(t, "NA" | "N/A" | "n/a" | "无") {
        return CellValue::Empty;
    }
    let (qualifier, rest) = if let Some(r) = t.strip_prefix('约') {
        (Some(Qualifier::About), r)
    } else if let Some(r) = t.strip_prefix('超').or_else(|| t.strip_prefix('>')) {
        (Some(Qualifier::Over), r)
    } else if let Some(r) = t.strip_prefix('<') {
        (Some(Qualifier::Under), r)
    } else {
        (None, t)
    };
    match parse_number(rest.trim().trim_end_matches('%')) {
        Some(v) => CellValue::Number(v, qualifier),
        None => CellValue::NotANumber,
    }
}

/// A number with thousands separators (1,234.5 or 1 234.5); none for anything else.
fn parse_number(text: &str) -> Option<f64> {
    let digits: String = text.chars().filter(|c| !matches!(c, ',' | ' ' | '\u{a0}' | '\'')).collect();
    let ok = !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'))
        && digits.chars().any(|c| c.is_ascii_digit());
    if !ok {
        return None;
    }
    crate::model::parse_value(&digits).ok()
}

/// A zone name: the mapping's decision first, then the registry; an unknown name comes with
/// the closest registry names.
fn resolve_name(zone: &str, mapping: &Mapping, registry: &Registry) -> NameReading {
    if let Some(decided) = mapping.names.get(zone) {
        if decided == NEW_ZONE {
            return NameReading::New;
        }
        if let Ok(e) = registry.resolve(decided) {
            return NameReading::Known(e.name.clone());
        }
    }
    match registry.resolve(zone) {
        Ok(e) => NameReading::Known(e.name.clone()),
        Err(_) => NameReading::Unknown(closest_names(zone, registry, 3)),
    }
}

/// The registry names most like `name` (shared pairs of characters), best first.
pub fn closest_names(name: &str, registry: &Registry, n: usize) -> Vec<String> {
    let pairs = |s: &str| -> Vec<(char, char)> {
        let chars: Vec<char> = s.chars().filter(|c| !c.is_whitespace()).collect();
        chars.windows(2).map(|w| (w[0], w[1])).collect()
    };
    let mine = pairs(name);
    if mine.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(f64, &str)> = registry
        .search("")
        .into_iter()
        .filter_map(|e| {
            let best = e
                .all_names()
                .map(|other| {
                    let theirs = pairs(other);
                    let shared = mine.iter().filter(|p| theirs.contains(p)).count();
                    2.0 * shared as f64 / (mine.len() + theirs.len()).max(1) as f64
                })
                .fold(0.0, f64::max);
            (best >= 0.3).then_some((best, e.name.as_str()))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.into_iter().take(n).map(|(_, name)| name.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: &[&[&str]]) -> Grid {
        Grid { cells: rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect(), ..Default::default() }
    }

    #[test]
    fn headers_name_periods_as_tables_write_them() {
        let p = |s: &str| parse_header_period(s).map(|p| p.to_string());
        assert_eq!(p("2019").as_deref(), Some("2019"));
        assert_eq!(p("2020年").as_deref(), Some("2020"));
        assert_eq!(p("2024年1-9月").as_deref(), Some("2024-01/2024-09"));
        assert_eq!(p("2023年前三季度").as_deref(), Some("2023-01/2023-09"));
        assert_eq!(p("2024-01/2024-09").as_deref(), Some("2024-01/2024-09"));
        assert_eq!(p("备注"), None);
        assert_eq!(p("增速"), None);
        assert_eq!(p("35"), None);
    }

    #[test]
    fn cells_say_a_figure_no_figure_or_a_problem() {
        assert_eq!(read_cell("1,234.5"), CellValue::Number(1234.5, None));
        assert_eq!(read_cell("123.4*"), CellValue::Number(123.4, None));
        assert_eq!(read_cell("12.5%"), CellValue::Number(12.5, None));
        assert_eq!(read_cell("约30"), CellValue::Number(30.0, Some(Qualifier::About)));
        assert_eq!(read_cell("-3.2"), CellValue::Number(-3.2, None));
        for empty in ["", "—", "-", "——", "…", "/", " "] {
            assert_eq!(read_cell(empty), CellValue::Empty, "{empty:?}");
        }
        assert_eq!(read_cell("待核实"), CellValue::NotANumber);
    }

    #[test]
    fn headers_give_their_units() {
        assert_eq!(split_unit("进出口总额(亿元)").0, "进出口总额");
        assert_eq!(split_unit("实际使用外资(万美元)").1.map(|u| u.written), Some("万美元".into()));
        assert_eq!(split_unit("2023").1, None);
        let g = grid(&[&["单位:亿元"]]);
        assert_eq!(unit_line(&g, 0).map(|u| u.written), Some("亿元".into()));
        // As Chinese tables write them, with full-width brackets and colon.
        assert_eq!(split_unit("进出口总额（亿元）").0, "进出口总额");
        let g = grid(&[&["（单位：万美元）"]]);
        assert_eq!(unit_line(&g, 0).map(|u| u.written), Some("万美元".into()));
    }

    #[test]
    fn a_header_of_years_is_a_header_not_figures() {
        let registry = Registry::new(Vec::new());
        let g = grid(&[&["开发区", "2022", "2023"], &["重庆经开区", "30.1", "35.9"]]);
        let mapping =
            Mapping {
                indicator: Some("外贸进出口总额".into()), unit: Some("亿元".into()), ..Default::default()
            };
        let t = read_wide(&g, &mapping, &registry).unwrap();
        assert_eq!((t.header, t.first_row), ((0, 0), 1));
        assert_eq!(
            t.figures.iter().map(|f| (f.period.to_string(), f.value)).collect::<Vec<_>>(),
            [("2022".to_string(), 30.1), ("2023".to_string(), 35.9)]
        );
    }

    #[test]
    fn a_two_line_header_joins_a_merged_year_with_its_months() {
        let g = grid(&[&["开发区", "2024年", ""], &["", "1-3月", "1-6月"], &["重庆经开区", "10", "20"]]);
        let joined: Vec<String> = column_headers(&g, 0, 2, 3).iter().map(|p| p.concat()).collect();
        assert_eq!(joined, ["开发区", "2024年1-3月", "2024年1-6月"]);
    }
}
