//! A table as a grid of text cells, whatever file it came from: a CSV or TSV in the encodings
//! Excel writes (UTF-8 with or without BOM, UTF-16, GBK/GB18030), or one sheet of a workbook
//! (XLSX, XLS, ODS, read with calamine). Row and column numbers are the sheet's, from 0.

use std::io::Cursor;

use calamine::{Data, Reader};

/// The cells of one sheet, as text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Grid {
    pub cells: Vec<Vec<String>>,
    /// The workbook's sheets (empty for a text table) and the one read.
    pub sheets: Vec<String>,
    pub sheet: Option<String>,
    /// How the file was read: "UTF-8", "GBK/GB18030", "XLSX workbook"…
    pub read_as: String,
}

impl Grid {
    /// The cell at `row`, `col`, trimmed; empty outside the grid.
    pub fn cell(&self, row: usize, col: usize) -> &str {
        self.cells.get(row).and_then(|r| r.get(col)).map_or("", |c| c.trim())
    }

    pub fn width(&self) -> usize {
        self.cells.iter().map(Vec::len).max().unwrap_or(0)
    }

    /// Whether row `row` holds nothing.
    pub fn is_blank_row(&self, row: usize) -> bool {
        self.cells.get(row).is_none_or(|r| r.iter().all(|c| c.trim().is_empty()))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum GridError {
    #[error("not a table: {0}")]
    NotATable(String),
    #[error("the workbook has no sheet {asked:?} (its sheets: {})", sheets.join(", "))]
    NoSuchSheet { asked: String, sheets: Vec<String> },
    #[error("the workbook has no sheet")]
    NoSheet,
}

/// Column `col` as a spreadsheet names it: A, B, … Z, AA.
pub fn column_name(col: usize) -> String {
    let mut n = col + 1;
    let mut name = Vec::new();
    while n > 0 {
        name.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

/// Reads a table's bytes: a workbook when they start as one (a ZIP: XLSX or ODS; an OLE file:
/// XLS), else text. `sheet` picks a workbook's sheet by name; the first one by default.
pub fn read_grid(bytes: &[u8], sheet: Option<&str>) -> Result<Grid, GridError> {
    let is_zip = bytes.starts_with(b"PK\x03\x04");
    let is_ole = bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]);
    if is_zip || is_ole { read_workbook(bytes, sheet) } else { read_text_table(bytes) }
}

fn read_workbook(bytes: &[u8], sheet: Option<&str>) -> Result<Grid, GridError> {
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes.to_vec()))
        .map_err(|e| GridError::NotATable(format!("a ZIP or OLE file that is no workbook calamine reads ({e})")))?;
    let sheets = book.sheet_names();
    let name = match sheet {
        Some(asked) => sheets
            .iter()
            .find(|s| s.as_str() == asked)
            .cloned()
            .ok_or_else(|| GridError::NoSuchSheet { asked: asked.to_string(), sheets: sheets.clone() })?,
        None => sheets.first().cloned().ok_or(GridError::NoSheet)?,
    };
    let range = book.worksheet_range(&name).map_err(|e| GridError::NotATable(format!("sheet {name:?}: {e}")))?;
    // The range starts at its first used cell: rows and columns before it are kept empty, so
    // that numbers said to the reader are the sheet's.
    let (top, left) = range.start().map_or((0, 0), |(r, c)| (r as usize, c as usize));
    let mut cells = vec![Vec::new(); top];
    for row in range.rows() {
        let mut out = vec![String::new(); left];
        out.extend(row.iter().map(cell_text));
        cells.push(out);
    }
    let kind = if bytes.starts_with(b"PK\x03\x04") { "workbook (XLSX/ODS)" } else { "workbook (XLS)" };
    Ok(Grid { cells, sheets, sheet: Some(name), read_as: kind.to_string() })
}

/// A workbook cell as text: numbers as a person writes them (2019, not 2019.0).
fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => crate::model::format_number(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => d.to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

fn read_text_table(bytes: &[u8]) -> Result<Grid, GridError> {
    let decoded = crate::extract::text::decode(bytes).map_err(|e| GridError::NotATable(e.to_string()))?;
    let text = decoded.text.strip_prefix('\u{feff}').unwrap_or(&decoded.text);
    // Control characters other than line ends and tabs: a binary file that happened to decode.
    if text.chars().take(4096).any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return Err(GridError::NotATable("it holds control characters: a binary file, not text".into()));
    }
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delimiter = if first.matches('\t').count() > first.matches(',').count() { b'\t' } else { b',' };
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut cells = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| GridError::NotATable(format!("malformed CSV: {e}")))?;
        cells.push(record.iter().map(str::to_string).collect());
    }
    if cells.is_empty() {
        return Err(GridError::NotATable("it has no rows".into()));
    }
    let kind = if delimiter == b'\t' { "tab-separated" } else { "CSV" };
    Ok(Grid { cells, sheets: Vec::new(), sheet: None, read_as: format!("{kind}, {}", decoded.encoding) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_named_as_spreadsheets_name_them() {
        assert_eq!([0, 1, 25, 26, 27, 701, 702].map(column_name), ["A", "B", "Z", "AA", "AB", "ZZ", "AAA"]);
    }

    #[test]
    fn text_tables_in_the_encodings_excel_writes() {
        let utf8 = "开发区,2023\n重庆经开区,35.9\n".as_bytes().to_vec();
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(&utf8);
        let (gbk, _, _) = encoding_rs::GBK.encode("开发区,2023\n重庆经开区,35.9\n");
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "开发区\t2023\r\n重庆经开区\t35.9\r\n".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        for bytes in [utf8, bom, gbk.to_vec(), utf16] {
            let g = read_grid(&bytes, None).unwrap();
            assert_eq!((g.cell(0, 0), g.cell(1, 0), g.cell(1, 1)), ("开发区", "重庆经开区", "35.9"), "{}", g.read_as);
        }
    }

    #[test]
    fn a_file_that_is_no_table_says_so() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01";
        assert!(matches!(read_grid(png, None), Err(GridError::NotATable(_))));
        assert!(matches!(read_grid(b"PK\x03\x04 not really a zip", None), Err(GridError::NotATable(_))));
        assert!(matches!(read_grid(b"", None), Err(GridError::NotATable(_))));
    }
}
