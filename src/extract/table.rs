//! Tables and ranking lists as web pages and bulletins print them: rows of cells split by `|`,
//! tabs or runs of spaces (one row a line, or a whole table flattened onto one line), and rows
//! run together (`1苏州工业园区江苏`). The header says what each column holds: the zone, a rank,
//! a year, an indicator with its unit (`实际使用外资(亿美元)`), its growth (`同比增长(%)`), a change
//! of rank (`升降`); a `单位:亿元、%` line or the caption above gives what the header leaves out.
//!
//! The prose reader hands a table the context it has reached (period, evaluation year, the
//! indicator of the caption); the table gives back its cells as figures.

use super::lexicon::{Gazetteer, INDICATORS, UNITS};
use super::number::number_at;
use super::period::{PeriodContext, period_at};
use super::text::starts_at as starts;
use crate::model::Period;

/// A cell: its text and where it is in the document (characters).
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// A table found in a text: the characters it covers, its header and its rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub start: usize,
    pub end: usize,
    pub header: Vec<Cell>,
    pub rows: Vec<Vec<Cell>>,
}

/// What a column holds, read from its header.
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    Zone,
    /// A rank; `within_province` for 省内排名, 全省排名 (a rank among the province's zones).
    Rank {
        within_province: bool,
    },
    /// A change of rank, places gained (升降, 位次变化).
    RankChange,
    /// A year: of the evaluation in a ranking table, else of the table's indicator.
    Year(i32),
    /// An indicator's level, with the unit the header gives.
    Level {
        indicator: &'static str,
        unit: Option<&'static str>,
    },
    /// The growth of the indicator before it (同比增长(%)).
    Growth,
    /// 序号, 省份, 备注…: nothing to read.
    Other,
}

/// One figure a table gives.
#[derive(Debug, Clone, PartialEq)]
pub struct TableFigure {
    pub entity: String,
    pub indicator: String,
    pub measure: &'static str,
    pub period: Period,
    pub value: f64,
    pub unit: String,
    /// The characters of the row up to the cell read.
    pub span: (usize, usize),
}

/// Splits a line into cells: by `|`, else by tabs, else by runs of two or more spaces.
fn split_line(chars: &[char], start: usize, end: usize) -> Vec<Cell> {
    let line = &chars[start..end];
    let separator: Box<dyn Fn(usize) -> usize> = if line.contains(&'|') {
        Box::new(|k| usize::from(line[k] == '|'))
    } else if line.contains(&'\t') {
        Box::new(|k| usize::from(line[k] == '\t'))
    } else {
        Box::new(|k| {
            let spaces = line[k..].iter().take_while(|c| **c == ' ').count();
            if spaces >= 2 && (k == 0 || line[k - 1] != ' ') { spaces } else { 0 }
        })
    };
    let mut cells = Vec::new();
    let mut cell_start = 0;
    let mut k = 0;
    let push = |from: usize, to: usize, cells: &mut Vec<Cell>| {
        let text: String = line[from..to].iter().collect();
        let lead = text.len() - text.trim_start().len();
        let trimmed = text.trim();
        if !trimmed.is_empty() {
            let first = from + line[from..to].iter().collect::<String>()[..lead].chars().count();
            cells.push(Cell {
                text: trimmed.to_string(),
                start: start + first,
                end: start + first + trimmed.chars().count(),
            });
        }
    };
    while k < line.len() {
        let sep = separator(k);
        if sep > 0 {
            push(cell_start, k, &mut cells);
            k += sep;
            cell_start = k;
        } else {
            k += 1;
        }
    }
    push(cell_start, line.len(), &mut cells);
    cells
}

/// A row run together: a rank, a zone's name and what follows (`1苏州工业园区江苏`).
fn split_run_together(chars: &[char], start: usize, end: usize, gazetteer: &Gazetteer) -> Option<Vec<Cell>> {
    let digits = chars[start..end].iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || digits > 3 {
        return None;
    }
    let (_, len) = gazetteer.at(chars, start + digits)?;
    let cell = |a: usize, b: usize| Cell { text: chars[a..b].iter().collect(), start: a, end: b };
    let mut cells = vec![cell(start, start + digits), cell(start + digits, start + digits + len)];
    if start + digits + len < end {
        cells.push(cell(start + digits + len, end));
    }
    Some(cells)
}

fn is_numeric(text: &str) -> bool {
    parse_value(text).is_some()
}

/// A cell's number: 1,102.5; -1.8; +3; 123.4* (a footnote mark); none for —, - or text.
pub fn parse_value(text: &str) -> Option<f64> {
    let t = text.trim().trim_end_matches(['*', '※']);
    let (sign, rest) = match t.chars().next()? {
        '-' | '−' if t.chars().count() > 1 => (-1.0, &t[t.char_indices().nth(1)?.0..]),
        '+' => (1.0, &t[1..]),
        _ => (1.0, t),
    };
    let chars: Vec<char> = rest.chars().collect();
    let n = number_at(&chars, 0)?;
    (n.len == chars.len() && chars.first().is_some_and(|c| c.is_ascii_digit())).then_some(sign * n.value)
}

/// Lines of the text: (start, end) character ranges without the newline.
fn lines(chars: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in chars.iter().enumerate() {
        if *c == '\n' {
            out.push((start, i));
            start = i + 1;
        }
    }
    out.push((start, chars.len()));
    out
}

/// Whether a cell names a zone the gazetteer knows, whole.
fn names_zone(cell: &Cell, chars: &[char], gazetteer: &Gazetteer) -> bool {
    gazetteer.at(chars, cell.start).is_some_and(|(_, len)| len == cell.end - cell.start)
}

/// Every table in the text.
pub fn find_tables(chars: &[char], gazetteer: &Gazetteer) -> Vec<Table> {
    let lines = lines(chars);
    let mut tables = Vec::new();
    let mut l = 0;
    while l < lines.len() {
        let (start, end) = lines[l];
        let cells = split_line(chars, start, end);
        // A whole table on one line: a header, then rows of as many cells.
        if chars[start..end].iter().filter(|c| **c == '|').count() >= 6 {
            let width = cells.iter().position(|c| is_numeric(&c.text) || names_zone(c, chars, gazetteer));
            if let Some(width) = width.filter(|w| *w >= 2 && cells.len() >= 2 * *w) {
                let header = cells[..width].to_vec();
                let rows = cells[width..].chunks(width).filter(|r| r.len() == width).map(<[Cell]>::to_vec).collect();
                tables.push(Table { start, end, header, rows });
                l += 1;
                continue;
            }
        }
        // Rows a line each: cells in every line, as many as the header's, some naming a zone.
        if cells.len() >= 2 {
            let width = cells.len();
            let mut rows = Vec::new();
            let mut m = l + 1;
            while m < lines.len() {
                let row = split_line(chars, lines[m].0, lines[m].1);
                if row.len() != width {
                    break;
                }
                rows.push(row);
                m += 1;
            }
            let figures = |r: &Vec<Cell>| {
                r.iter().any(|c| names_zone(c, chars, gazetteer)) && r.iter().any(|c| is_numeric(&c.text))
            };
            let zones = rows.iter().filter(|r| figures(r)).count();
            if rows.len() >= 2 && zones * 2 >= rows.len() {
                tables.push(Table { start, end: lines[m - 1].1, header: cells, rows });
                l = m;
                continue;
            }
        }
        // Rows run together under a header run together (排名国家级经开区省份).
        let mut rows = Vec::new();
        let mut m = l + 1;
        while m < lines.len() {
            match split_run_together(chars, lines[m].0, lines[m].1, gazetteer) {
                Some(row) => rows.push(row),
                None => break,
            }
            m += 1;
        }
        let header_text: String = chars[start..end].iter().collect();
        if rows.len() >= 2 && header_text.contains("排名") {
            let header = vec![
                Cell { text: "排名".into(), start, end },
                Cell { text: "开发区".into(), start, end },
                Cell { text: String::new(), start, end },
            ];
            tables.push(Table { start, end: lines[m - 1].1, header, rows });
            l = m;
            continue;
        }
        l += 1;
    }
    tables
}

/// The first indicator a text names (longest word first at each place, as the lexicon lists
/// them); the overall ranking only when nothing else is named.
fn indicator_in(text: &str) -> Option<&'static str> {
    let chars: Vec<char> = text.chars().collect();
    let named: Vec<&'static str> = (0..chars.len())
        .filter_map(|i| INDICATORS.iter().find(|(w, _)| starts(&chars, i, w)).map(|(_, n)| *n))
        .collect();
    named.iter().copied().find(|n| !n.starts_with("综合发展水平")).or(named.first().copied())
}

/// A unit named in text: 亿美元 in 实际使用外资(亿美元).
fn unit_in(text: &str) -> Option<&'static str> {
    let chars: Vec<char> = text.chars().collect();
    (0..chars.len()).find_map(|i| UNITS.iter().copied().find(|u| starts(&chars, i, u)))
}

/// Every unit `text` names, in order.
fn units_in(text: &str) -> Vec<&'static str> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match UNITS.iter().copied().find(|u| starts(&chars, i, u)) {
            Some(u) => {
                found.push(u);
                i += u.chars().count();
            }
            None => i += 1,
        }
    }
    found
}

/// What a header cell says its column holds.
pub fn column_of(header: &str, ranking_table: bool) -> Column {
    let h = header.trim();
    if h.contains("升降") || h.contains("变化") || h.contains("进退") {
        return Column::RankChange;
    }
    if h.contains("增长") || h.contains("增速") || h.contains("同比") || h.contains("增幅") {
        return Column::Growth;
    }
    if h.contains("排名") || h.contains("名次") || h.contains("位次") {
        return Column::Rank { within_province: h.contains("省内") || h.contains("全省") };
    }
    if h.contains("序号") || h.contains("省份") || h.contains("地区") || h.contains("备注") {
        return Column::Other;
    }
    if h.contains("开发区") || h.contains("经开区") || h.contains("园区") || h.contains("名称") {
        return Column::Zone;
    }
    let chars: Vec<char> = h.chars().collect();
    if let Some(p) = period_at(&chars, 0, &PeriodContext { published: None, year: None })
        && let (Period::Year(y), true) = (p.period, p.len == chars.len() || ranking_table)
    {
        return Column::Year(y);
    }
    match indicator_in(h) {
        Some(indicator) => Column::Level { indicator, unit: unit_in(h) },
        None => Column::Other,
    }
}

/// What the text says around a table: the caption's indicator and period, a unit line.
#[derive(Debug, Clone, Default)]
pub struct TableContext {
    /// The indicator the caption or the sentence before names (实际使用外资排名前8位…如下).
    pub indicator: Option<&'static str>,
    /// The caption is about the overall MOFCOM ranking (综合排名, 综合发展水平).
    pub overall_ranking: bool,
    /// The period in force where the table stands.
    pub period: Option<Period>,
    /// The period the caption names (附表：2016年…), which wins.
    pub caption_period: Option<Period>,
    /// The year of the MOFCOM evaluation the text named.
    pub evaluation: Option<Period>,
    /// Units from a 单位:亿元、% line: the first for levels.
    pub unit: Option<&'static str>,
    /// The units of that line other than %, in order: one for each column of levels, in order,
    /// when it lists several (单位：亿元，亿美元，% over 进出口总额 | 同比 | 实际使用外资 | 同比).
    pub level_units: Vec<&'static str>,
    /// The province the text is about, for a 省内排名 column.
    pub province: Option<String>,
}

impl TableContext {
    /// Reads the two lines above a table (its caption, a unit line) on top of what the prose
    /// reader knows.
    pub fn read_caption(mut self, chars: &[char], table_start: usize, context: &PeriodContext) -> TableContext {
        let above: Vec<(usize, usize)> = lines(&chars[..table_start.saturating_sub(1).min(chars.len())])
            .into_iter()
            .rev()
            .filter(|(a, b)| b > a)
            .take(2)
            .collect();
        // A unit line, then the caption; nothing above the caption.
        for (a, b) in above {
            let text: String = chars[a..b].iter().collect();
            if let Some((_, units)) = text.split_once("单位") {
                self.unit = self.unit.or(unit_in(units));
                if self.level_units.is_empty() {
                    self.level_units = units_in(units).into_iter().filter(|u| *u != "%").collect();
                }
                continue;
            }
            if text.contains("综合排名") || text.contains("综合发展水平") {
                self.overall_ranking = true;
            }
            if let Some(indicator) = indicator_in(&text).filter(|i| !i.starts_with("综合发展水平")) {
                self.indicator = self.indicator.or(Some(indicator));
            }
            for k in a..b {
                if let Some(p) = period_at(chars, k, context).filter(|p| p.explicit_year) {
                    self.caption_period = Some(p.period);
                    break;
                }
            }
            break;
        }
        self
    }
}

/// The figures a table gives, in the context around it.
pub fn read_table(table: &Table, chars: &[char], gazetteer: &Gazetteer, context: &TableContext) -> Vec<TableFigure> {
    let ranking_table = context.overall_ranking
        || table.header.iter().any(|h| matches!(column_of(&h.text, false), Column::Rank { .. }));
    let columns: Vec<Column> = table.header.iter().map(|h| column_of(&h.text, ranking_table)).collect();
    let period = context.caption_period.or(context.period).unwrap_or(Period::Unspecified);
    // A rank in a text about an evaluation is of the evaluation's year, unless the caption
    // names its own (2024年…实际使用外资前8位 is a statistics ranking of 2024).
    let rank_period = context.caption_period.or(context.evaluation).or(context.period).unwrap_or(Period::Unspecified);
    let overall = context.overall_ranking && context.indicator.is_none();
    let mut out = Vec::new();
    let last_year = columns.iter().filter_map(|c| if let Column::Year(y) = c { Some(*y) } else { None }).max();
    for row in &table.rows {
        let Some(zone_cell) = row.iter().find(|c| names_zone(c, chars, gazetteer)) else { continue };
        let Some((entity, _)) = gazetteer.at(chars, zone_cell.start) else { continue };
        let mut previous_level: Option<&'static str> = None;
        let mut levels = 0;
        for (column, cell) in columns.iter().zip(row) {
            // The unit line's units go to the columns of levels in order; past them, the first.
            let level_unit = context.level_units.get(levels).copied().or(context.unit);
            if matches!(column, Column::Level { .. }) {
                levels += 1;
            }
            let Some(value) = parse_value(&cell.text) else {
                if let Column::Level { indicator, .. } = column {
                    previous_level = Some(indicator);
                }
                continue;
            };
            let span = (row[0].start, cell.end);
            let mut figure = |indicator: &str, measure: &'static str, period: Period, value: f64, unit: &str| {
                out.push(TableFigure {
                    entity: entity.to_string(),
                    indicator: indicator.to_string(),
                    measure,
                    period,
                    value,
                    unit: unit.to_string(),
                    span,
                });
            };
            match column {
                Column::Rank { within_province } => {
                    let overall_name = match (within_province, context.province.as_deref()) {
                        (true, Some(province)) => format!("综合发展水平排名({province})"),
                        _ => "综合发展水平排名".to_string(),
                    };
                    let (indicator, p) = if overall {
                        (overall_name.as_str(), context.evaluation.unwrap_or(period))
                    } else {
                        match context.indicator.or(columns.iter().find_map(|c| match c {
                            Column::Level { indicator, .. } => Some(*indicator),
                            _ => None,
                        })) {
                            Some(i) => (i, rank_period),
                            None => continue,
                        }
                    };
                    figure(indicator, "rank", p, value, "位");
                }
                Column::Year(y) if ranking_table || context.overall_ranking => {
                    figure("综合发展水平排名", "rank", Period::Year(*y), value, "位");
                }
                Column::Year(y) => {
                    if let (Some(indicator), Some(unit)) = (context.indicator, context.unit) {
                        figure(indicator, "value", Period::Year(*y), value, unit);
                    }
                }
                Column::RankChange => {
                    let p = last_year.map(Period::Year).or(context.evaluation).unwrap_or(period);
                    figure("综合发展水平排名变化", "value", p, value, "位");
                }
                Column::Level { indicator, unit } => {
                    previous_level = Some(indicator);
                    if let Some(unit) = unit.or(level_unit).filter(|u| *u != "%") {
                        figure(indicator, "value", period, value, unit);
                    }
                }
                Column::Growth => {
                    if let Some(indicator) = previous_level.or(context.indicator) {
                        figure(indicator, "yoy_pct", period, value, "%");
                    }
                }
                Column::Zone | Column::Other => {}
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::Dataset;

    fn gazetteer() -> Gazetteer {
        Gazetteer::from_dataset(&Dataset::bundled().unwrap())
    }

    fn read(text: &str, context: TableContext) -> Vec<(String, String, &'static str, String, f64, String)> {
        let chars: Vec<char> = text.chars().collect();
        let g = gazetteer();
        let tables = find_tables(&chars, &g);
        assert_eq!(tables.len(), 1, "{tables:?}");
        let context = context.read_caption(&chars, tables[0].start, &PeriodContext { published: None, year: None });
        read_table(&tables[0], &chars, &g, &context)
            .into_iter()
            .map(|f| (f.entity, f.indicator, f.measure, f.period.notation().unwrap_or_default(), f.value, f.unit))
            .collect()
    }

    #[test]
    fn cell_values_as_tables_print_them() {
        assert_eq!(parse_value("1,102.5"), Some(1102.5));
        assert_eq!(parse_value("-1.8"), Some(-1.8));
        assert_eq!(parse_value("+17"), Some(17.0));
        assert_eq!(parse_value("123.4*"), Some(123.4));
        for empty in ["—", "-", "", "江苏", "1.2亿"] {
            assert_eq!(parse_value(empty), None, "{empty}");
        }
    }

    #[test]
    fn a_table_flattened_onto_one_line() {
        let text = "综合发展水平排名前3的国家级经开区名单如下：\n排名 | 国家级经开区 | 省份 | 1 | 苏州工业园区 | 江苏 | 2 | 广州经开区 | 广东 | 3 | 北京经开区 | 北京\n";
        let context = TableContext { evaluation: Period::year(2021), ..TableContext::default() };
        let figures = read(text, context);
        assert_eq!(figures.len(), 3);
        assert_eq!(figures[1].0, "广州经济技术开发区");
        assert_eq!(
            (figures[1].1.as_str(), figures[1].2, figures[1].3.as_str(), figures[1].4),
            ("综合发展水平排名", "rank", "2021", 2.0)
        );
    }

    #[test]
    fn space_aligned_columns_with_units_in_the_header() {
        let text = "实际使用外资排名前2位的国家级经开区如下：\n\n排名  开发区              实际使用外资(亿美元)    同比增长(%)\n1     苏州工业园区        19.84                   -6.3\n2     广州经开区          15.27                   4.9\n";
        let context = TableContext { period: Period::year(2024), ..TableContext::default() };
        let figures = read(text, context);
        let suzhou: Vec<_> =
            figures.iter().filter(|f| f.0 == "苏州工业园区").map(|f| (f.1.as_str(), f.2, f.4, f.5.as_str())).collect();
        assert_eq!(
            suzhou,
            [
                ("实际使用外资", "rank", 1.0, "位"),
                ("实际使用外资", "value", 19.84, "亿美元"),
                ("实际使用外资", "yoy_pct", -6.3, "%")
            ]
        );
    }

    #[test]
    fn tab_separated_ranks_of_two_years_and_their_change() {
        let text = "部分国家级经开区近两年综合排名情况如下：\n\n开发区\t2016年\t2017年\t升降\n大连经开区\t14\t11\t+3\n长春经开区\t31\t33\t-2\n";
        let figures = read(text, TableContext::default());
        let changchun: Vec<_> =
            figures.iter().filter(|f| f.0 == "长春经济技术开发区").map(|f| (f.1.as_str(), f.3.as_str(), f.4)).collect();
        assert_eq!(
            changchun,
            [
                ("综合发展水平排名", "2016", 31.0),
                ("综合发展水平排名", "2017", 33.0),
                ("综合发展水平排名变化", "2017", -2.0)
            ]
        );
    }

    #[test]
    fn a_unit_line_and_a_serial_number_that_is_no_rank() {
        let text = "附表：2016年部分国家级经开区进出口情况\n单位:亿元、%\n序号 | 开发区 | 进出口总额 | 同比增长\n1 | 杭州经开区 | 487.3 | 2.6\n2 | 萧山经开区 | 356.8 | —\n";
        let figures = read(text, TableContext::default());
        let got: Vec<_> = figures.iter().map(|f| (f.0.as_str(), f.2, f.3.as_str(), f.4, f.5.as_str())).collect();
        assert_eq!(
            got,
            [
                ("杭州经济技术开发区", "value", "2016", 487.3, "亿元"),
                ("杭州经济技术开发区", "yoy_pct", "2016", 2.6, "%"),
                ("萧山经济技术开发区", "value", "2016", 356.8, "亿元"),
            ]
        );
    }

    #[test]
    fn a_unit_line_of_several_units_gives_them_to_the_columns_of_levels_in_order() {
        let text = "表2　2022年部分开发区开放型经济指标\n单位：万元，万美元，%\n开发区 | 进出口总额 | 增长 | 实际使用外资 | 增长\n杭州经开区 | 4873 | 2.6 | 512 | -3.1\n萧山经开区 | 3568 | 1.2 | 230 | 4.0\n";
        let figures = read(text, TableContext::default());
        let got: Vec<_> = figures.iter().take(4).map(|f| (f.1.as_str(), f.2, f.4, f.5.as_str())).collect();
        assert_eq!(figures.len(), 8);
        assert_eq!(figures[6].5, "万美元", "the second row too");
        assert_eq!(
            got,
            [
                ("外贸进出口总额", "value", 4873.0, "万元"),
                ("外贸进出口总额", "yoy_pct", 2.6, "%"),
                ("实际使用外资", "value", 512.0, "万美元"),
                ("实际使用外资", "yoy_pct", -3.1, "%"),
            ]
        );
        // One unit for levels serves every column of levels.
        let one = text.replace("万元，万美元", "万元");
        let units: Vec<String> = read(&one, TableContext::default()).into_iter().map(|f| f.5).collect();
        assert_eq!(units, ["万元", "%", "万元", "%", "万元", "%", "万元", "%"]);
    }

    #[test]
    fn rows_run_together_under_a_caption() {
        let text = "表1 利用外资前10名\n排名国家级经开区省份\n1苏州工业园区江苏\n2广州经开区广东\n";
        let figures = read(text, TableContext { period: Period::year(2022), ..TableContext::default() });
        assert_eq!(figures.len(), 2);
        assert_eq!(
            (figures[1].0.as_str(), figures[1].1.as_str(), figures[1].4),
            ("广州经济技术开发区", "实际使用外资", 2.0)
        );
    }

    #[test]
    fn a_rank_within_the_province_beside_the_national_one() {
        let text = "全省国家级经开区综合排名情况如下：\n省内排名|开发区|全国排名|升降\n1|杭州经开区|9|+3\n2|宁波经开区|11|-1\n";
        let context =
            TableContext {
                evaluation: Period::year(2023), province: Some("浙江省".into()), ..TableContext::default()
            };
        let figures = read(text, context);
        let hangzhou: Vec<_> =
            figures.iter().filter(|f| f.0 == "杭州经济技术开发区").map(|f| (f.1.as_str(), f.4)).collect();
        assert_eq!(
            hangzhou,
            [("综合发展水平排名(浙江省)", 1.0), ("综合发展水平排名", 9.0), ("综合发展水平排名变化", 3.0)]
        );
    }

    #[test]
    fn prose_is_not_a_table() {
        let chars: Vec<char> = "2023年，重庆经开区外贸进出口总额41.3亿元。\n同比增长5.4%。\n".chars().collect();
        assert!(find_tables(&chars, &gazetteer()).is_empty());
    }
}
