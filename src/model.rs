//! The domain: what a figure means (see DESIGN.md).
//!
//! Periods, measures, units and qualifiers are parsed once, at the edge, into these types.
//! Everything past the edge works with the types, never with the strings.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// The language a reader reads in: the window's, a figure's, an export's labels. Zone names
/// stay Chinese, with the English name where known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    /// A measure's name in this language.
    pub fn measure(self, m: Measure) -> &'static str {
        match self {
            Lang::Zh => m.label_zh(),
            Lang::En => m.label_en(),
        }
    }

    /// A share's name with its whole: 占比(占所在行政区), "share (of the host district)".
    pub fn share_of_label(self, whole: Option<ShareOf>) -> String {
        match self {
            Lang::Zh => format!("{}({})", self.measure(Measure::SharePct), ShareOf::label(whole, self)),
            Lang::En => format!("{} ({})", self.measure(Measure::SharePct), ShareOf::label(whole, self)),
        }
    }

    /// A measure's name where a column is narrow (the review's table): English abbreviates.
    pub fn measure_short(self, m: Measure) -> &'static str {
        match (self, m) {
            (Lang::En, Measure::YoyPct) => "YoY growth",
            (Lang::En, Measure::YoyPp) => "change, pts",
            (Lang::En, Measure::AvgYoyPct) => "avg. growth",
            _ => self.measure(m),
        }
    }

    /// The text for this language.
    pub fn tr<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// A month as English texts shorten it (1 → Jan); `?` for no month.
pub fn month_abbreviation(month: u8) -> &'static str {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    MONTHS.get(usize::from(month.saturating_sub(1))).copied().filter(|_| month >= 1).unwrap_or("?")
}

/// `1600x1000` (also `1600X1000`, `1600×1000`) as width and height.
pub fn parse_width_height(text: &str) -> Option<(u32, u32)> {
    let t = text.trim().replace('×', "x");
    let (w, h) = t.split_once(['x', 'X'])?;
    Some((w.trim().parse().ok()?, h.trim().parse().ok()?))
}

/// A parse failure of one domain value, carrying the offending text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("period {0:?} is not a year (2023), a span of months (2024-01/2024-09), a date (@2024-09-30) or empty")]
    Period(String),
    #[error("period span {0:?} ends before it starts")]
    PeriodOrder(String),
    #[error("unit {0:?} is not one Zonescope knows (亿元, 万美元, %, 个百分点, 家, 位, 倍 …)")]
    Unit(String),
    #[error("measure {0:?} is not one of value, yoy_pct, share_pct, rank, yoy_pp, avg_yoy_pct")]
    Measure(String),
    #[error("qualifier {0:?} is not one of over, under, about")]
    Qualifier(String),
    #[error(
        "share_of {0:?} is not one of host_district, host_city, host_province, nation, own_total (or empty: not said)"
    )]
    ShareOf(String),
    #[error("indicator kind {0:?} is not one of flow, stock, rank")]
    IndicatorKind(String),
    #[error("entity kind {0:?} is not one of zone, group, aggregate")]
    EntityKind(String),
    #[error("value {0:?} is not a number")]
    Value(String),
    #[error("date {0:?} is not YYYY, YYYY-MM or YYYY-MM-DD")]
    Date(String),
    #[error("review status {0:?} is not one of candidate, accepted, rejected")]
    ReviewStatus(String),
}

// ---------------------------------------------------------------------------------------------
// Dates and periods

/// A calendar date. Kept small and plain: the app needs days in a month and ordering, nothing
/// of time zones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        let valid =
            (1000..=9999).contains(&year) && (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        valid.then_some(Date { year, month, day })
    }

    /// `20240930`: the form the store keeps, so that periods sort and compare as integers.
    pub fn to_ymd_number(self) -> i64 {
        self.year as i64 * 10_000 + self.month as i64 * 100 + self.day as i64
    }

    pub fn from_ymd_number(n: i64) -> Option<Date> {
        let year = i32::try_from(n / 10_000).ok()?;
        Date::new(year, ((n / 100) % 100) as u8, (n % 100) as u8)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = ParseError;
    /// Exactly `YYYY-MM-DD`.
    fn from_str(s: &str) -> Result<Date, ParseError> {
        let bad = || ParseError::Date(s.to_string());
        let mut parts = s.split('-');
        let (Some(y), Some(m), Some(d), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
            return Err(bad());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let year = parse_digits(y).ok_or_else(bad)? as i32;
        let month = parse_digits(m).ok_or_else(bad)? as u8;
        let day = parse_digits(d).ok_or_else(bad)? as u8;
        Date::new(year, month, day).ok_or_else(bad)
    }
}

/// ASCII digits only: `str::parse` would also take `+12`.
fn parse_digits(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 9 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// A month of a year, the unit spans are made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    pub year: i32,
    pub month: u8,
}

impl YearMonth {
    pub fn new(year: i32, month: u8) -> Option<YearMonth> {
        ((1000..=9999).contains(&year) && (1..=12).contains(&month)).then_some(YearMonth { year, month })
    }

    fn parse(s: &str) -> Option<YearMonth> {
        let (y, m) = s.split_once('-')?;
        if y.len() != 4 || m.len() != 2 {
            return None;
        }
        YearMonth::new(parse_digits(y)? as i32, parse_digits(m)? as u8)
    }

    pub fn first_day(self) -> Date {
        Date { year: self.year, month: self.month, day: 1 }
    }

    pub fn last_day(self) -> Date {
        Date { year: self.year, month: self.month, day: days_in_month(self.year, self.month) }
    }

    /// Months since year 0, for counting the length of a span.
    fn ordinal(self) -> i32 {
        self.year * 12 + self.month as i32 - 1
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// When a figure holds: over a calendar year, over a span of months, at a date, or unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    /// `2023`: a calendar year.
    Year(i32),
    /// `2024-01/2024-09`: months inclusive. Cumulative spans, single quarters, single months
    /// and multi-year spans (for 年均增长) are all spans.
    Span { start: YearMonth, end: YearMonth },
    /// `@2024-09-30`: a stock at a date.
    At(Date),
    /// The text gives no period: stored and shown in tables, never put on a time axis.
    Unspecified,
}

/// How a period is stored: a kind and two `YYYYMMDD` bounds (inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PeriodKind {
    Year,
    Span,
    At,
    None,
}

impl PeriodKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodKind::Year => "year",
            PeriodKind::Span => "span",
            PeriodKind::At => "at",
            PeriodKind::None => "none",
        }
    }

    pub fn parse(s: &str) -> Option<PeriodKind> {
        Some(match s {
            "year" => PeriodKind::Year,
            "span" => PeriodKind::Span,
            "at" => PeriodKind::At,
            "none" => PeriodKind::None,
            _ => return None,
        })
    }
}

impl Period {
    pub fn year(year: i32) -> Option<Period> {
        (1000..=9999).contains(&year).then_some(Period::Year(year))
    }

    /// The span from `start` to `end`, months inclusive; `None` when it runs backwards.
    pub fn span(start: YearMonth, end: YearMonth) -> Option<Period> {
        (start <= end).then_some(Period::Span { start, end })
    }

    pub fn kind(&self) -> PeriodKind {
        match self {
            Period::Year(_) => PeriodKind::Year,
            Period::Span { .. } => PeriodKind::Span,
            Period::At(_) => PeriodKind::At,
            Period::Unspecified => PeriodKind::None,
        }
    }

    /// First and last day the period covers, as `YYYYMMDD` numbers.
    pub fn bounds(&self) -> Option<(i64, i64)> {
        match *self {
            Period::Year(y) => Some((y as i64 * 10_000 + 101, y as i64 * 10_000 + 1231)),
            Period::Span { start, end } => Some((start.first_day().to_ymd_number(), end.last_day().to_ymd_number())),
            Period::At(d) => Some((d.to_ymd_number(), d.to_ymd_number())),
            Period::Unspecified => None,
        }
    }

    /// The inverse of `kind` and `bounds`, for reading the store.
    pub fn from_stored(kind: PeriodKind, start: Option<i64>, end: Option<i64>) -> Option<Period> {
        match kind {
            PeriodKind::None => Some(Period::Unspecified),
            PeriodKind::Year => Period::year(i32::try_from(start? / 10_000).ok()?),
            PeriodKind::At => Some(Period::At(Date::from_ymd_number(start?)?)),
            PeriodKind::Span => {
                let s = Date::from_ymd_number(start?)?;
                let e = Date::from_ymd_number(end?)?;
                Period::span(YearMonth::new(s.year, s.month)?, YearMonth::new(e.year, e.month)?)
            }
        }
    }

    /// Length of a span in months (a year is 12); `None` for dates and unknown periods.
    pub fn months(&self) -> Option<i32> {
        match *self {
            Period::Year(_) => Some(12),
            Period::Span { start, end } => Some(end.ordinal() - start.ordinal() + 1),
            _ => None,
        }
    }

    /// The notation of SCHEMA.md; `None` for an unspecified period (JSON null).
    pub fn notation(&self) -> Option<String> {
        match self {
            Period::Unspecified => None,
            other => Some(other.to_string()),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Year(y) => write!(f, "{y:04}"),
            Period::Span { start, end } => write!(f, "{start}/{end}"),
            Period::At(d) => write!(f, "@{d}"),
            Period::Unspecified => Ok(()),
        }
    }
}

impl FromStr for Period {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Period, ParseError> {
        let bad = || ParseError::Period(s.to_string());
        let t = s.trim();
        if t.is_empty() || t == "null" {
            return Ok(Period::Unspecified);
        }
        if let Some(date) = t.strip_prefix('@') {
            return date.parse().map(Period::At).map_err(|_| bad());
        }
        if let Some((a, b)) = t.split_once('/') {
            let start = YearMonth::parse(a).ok_or_else(bad)?;
            let end = YearMonth::parse(b).ok_or_else(bad)?;
            return Period::span(start, end).ok_or_else(|| ParseError::PeriodOrder(s.to_string()));
        }
        if t.len() == 4 {
            return parse_digits(t).and_then(|y| Period::year(y as i32)).ok_or_else(bad);
        }
        Err(bad())
    }
}

/// Which periods one line of a time chart may join (DESIGN.md, Comparability): all calendar
/// years; or Jan–N spans of successive years with the same N; or single quarters; or single
/// months; or stocks at a date. A Jan–Aug figure is never drawn as if it were a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodShape {
    /// Calendar years (a Jan–Dec span is a year).
    Year,
    /// Cumulative spans from January to `end_month` (1-8月, 前三季度, 上半年).
    YearToDate { end_month: u8 },
    /// Single quarters.
    Quarter,
    /// Single months.
    Month,
    /// Stocks at a date (截至9月底, 年末).
    Stock,
    /// Any other span, by its first month and length: a five-year plan, a half year from July.
    OtherSpan { start_month: u8, months: i32 },
}

impl PeriodShape {
    /// Distance on the time axis (in years) between neighbours of a series without a gap.
    pub fn step(self) -> Option<f64> {
        match self {
            PeriodShape::Year | PeriodShape::YearToDate { .. } => Some(1.0),
            PeriodShape::Quarter => Some(0.25),
            PeriodShape::Month => Some(1.0 / 12.0),
            PeriodShape::OtherSpan { months, .. } => Some(months.max(12) as f64 / 12.0),
            // Stocks are reported at irregular dates; no gap can be told from the dates alone.
            PeriodShape::Stock => None,
        }
    }

    pub fn label_zh(self) -> String {
        match self {
            PeriodShape::Year => "全年".into(),
            PeriodShape::YearToDate { end_month: 3 } => "一季度(1-3月)".into(),
            PeriodShape::YearToDate { end_month: 6 } => "上半年(1-6月)".into(),
            PeriodShape::YearToDate { end_month: 9 } => "前三季度(1-9月)".into(),
            PeriodShape::YearToDate { end_month: 1 } => "1月".into(),
            PeriodShape::YearToDate { end_month } => format!("1-{end_month}月"),
            PeriodShape::Quarter => "单季".into(),
            PeriodShape::Month => "单月".into(),
            PeriodShape::Stock => "时点(截至某日)".into(),
            PeriodShape::OtherSpan { start_month, months } => format!("自{start_month}月起{months}个月"),
        }
    }

    pub fn label_en(self) -> String {
        let month = month_abbreviation;
        match self {
            PeriodShape::Year => "calendar years".into(),
            PeriodShape::YearToDate { end_month: 1 } => "January".into(),
            PeriodShape::YearToDate { end_month } => format!("Jan–{}", month(end_month)),
            PeriodShape::Quarter => "single quarters".into(),
            PeriodShape::Month => "single months".into(),
            PeriodShape::Stock => "stocks at a date".into(),
            PeriodShape::OtherSpan { start_month, months } => format!("{months} months from {}", month(start_month)),
        }
    }
}

impl Period {
    /// The shapes this period can be joined in. Jan–Mar is both the first quarter and a
    /// year-to-date span; January alone is both a month and a year-to-date span.
    pub fn shapes(&self) -> Vec<PeriodShape> {
        match *self {
            Period::Year(_) => vec![PeriodShape::Year],
            Period::At(_) => vec![PeriodShape::Stock],
            Period::Unspecified => Vec::new(),
            Period::Span { start, end } => {
                let months = end.ordinal() - start.ordinal() + 1;
                let same_year = start.year == end.year;
                let mut shapes = Vec::new();
                if same_year && start.month == 1 && end.month == 12 {
                    return vec![PeriodShape::Year];
                }
                if same_year && start.month == 1 {
                    shapes.push(PeriodShape::YearToDate { end_month: end.month });
                }
                if months == 3 && same_year && start.month % 3 == 1 {
                    shapes.push(PeriodShape::Quarter);
                }
                if months == 1 {
                    shapes.push(PeriodShape::Month);
                }
                if shapes.is_empty() {
                    shapes.push(PeriodShape::OtherSpan { start_month: start.month, months });
                }
                shapes
            }
        }
    }

    /// Where the period sits on a time axis measured in years. Years and year-to-date spans
    /// sit on their year (so that 1-8月 of successive years line up with the year ticks);
    /// quarters and months at their start; stocks at their date.
    pub fn axis_position(&self, shape: PeriodShape) -> Option<f64> {
        let year_fraction = |m: u8| (m as f64 - 1.0) / 12.0;
        match (*self, shape) {
            (Period::Year(y), _) => Some(y as f64),
            (Period::Span { start, .. }, PeriodShape::Year | PeriodShape::YearToDate { .. }) => Some(start.year as f64),
            (Period::Span { start, .. }, _) => Some(start.year as f64 + year_fraction(start.month)),
            (Period::At(d), _) => Some(
                d.year as f64
                    + year_fraction(d.month)
                    + (d.day as f64 - 1.0) / (days_in_month(d.year, d.month) as f64 * 12.0),
            ),
            (Period::Unspecified, _) => None,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Measures

/// How an indicator is reported (DESIGN.md, Measures).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// A level: 242.3亿元.
    Value,
    /// 同比增长 X%; a fall is negative.
    YoyPct,
    /// 占…的 X%.
    SharePct,
    /// 第 N 位.
    Rank,
    /// A rate's change in percentage points.
    YoyPp,
    /// 年均增长 over the span of years in the period.
    AvgYoyPct,
}

impl Measure {
    pub const ALL: [Measure; 6] =
        [Measure::Value, Measure::YoyPct, Measure::SharePct, Measure::Rank, Measure::YoyPp, Measure::AvgYoyPct];

    pub fn as_str(self) -> &'static str {
        match self {
            Measure::Value => "value",
            Measure::YoyPct => "yoy_pct",
            Measure::SharePct => "share_pct",
            Measure::Rank => "rank",
            Measure::YoyPp => "yoy_pp",
            Measure::AvgYoyPct => "avg_yoy_pct",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Measure::Value => "总量",
            Measure::YoyPct => "同比增长",
            Measure::SharePct => "占比",
            Measure::Rank => "排名",
            Measure::YoyPp => "增减百分点",
            Measure::AvgYoyPct => "年均增长",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Measure::Value => "level",
            Measure::YoyPct => "year-on-year growth",
            Measure::SharePct => "share",
            Measure::Rank => "rank",
            Measure::YoyPp => "change in points",
            Measure::AvgYoyPct => "average annual growth",
        }
    }

    /// Whether a figure of this measure can carry `unit`: a growth rate in 亿元 is a data error.
    pub fn accepts(self, unit: &Unit) -> bool {
        match self {
            // 位 as a value is a change of rank: places gained (a fall is negative).
            Measure::Value => matches!(
                unit.base,
                BaseUnit::Cny
                    | BaseUnit::Usd
                    | BaseUnit::Count(_)
                    | BaseUnit::Physical(_)
                    | BaseUnit::Percent
                    | BaseUnit::Rank
            ),
            Measure::YoyPct => matches!(unit.base, BaseUnit::Percent | BaseUnit::Times),
            Measure::SharePct | Measure::AvgYoyPct => unit.base == BaseUnit::Percent,
            Measure::Rank => unit.base == BaseUnit::Rank,
            Measure::YoyPp => unit.base == BaseUnit::PercentPoint,
        }
    }
}

impl fmt::Display for Measure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Measure {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Measure, ParseError> {
        Measure::ALL.into_iter().find(|m| m.as_str() == s.trim()).ok_or_else(|| ParseError::Measure(s.to_string()))
    }
}

// ---------------------------------------------------------------------------------------------
// Units

/// What a normalised value is counted in.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum BaseUnit {
    /// 元 (renminbi).
    Cny,
    /// 美元.
    Usd,
    /// %.
    Percent,
    /// 个百分点.
    PercentPoint,
    /// 倍: 增长 X 倍.
    Times,
    /// 位/名: a position in a ranking.
    Rank,
    /// A count of things, named by its counter word (家 for firms, 个 for projects…): a count
    /// of firms and a count of projects must not be added or compared.
    Count(String),
    /// A physical quantity (吨, 平方米, 台 as a measure of output…).
    Physical(String),
    /// An index number whose base period is 100: what a view's index transform shows, never a
    /// stored figure's unit.
    Index,
}

impl BaseUnit {
    /// The unit as an English reader writes it: CNY, %, pp, firms, m².
    pub fn name_en(&self) -> &str {
        match self {
            BaseUnit::Count(w) | BaseUnit::Physical(w) => unit_word_en(w),
            other => other.name(),
        }
    }

    /// The base unit called `name` (as `name()` writes it and the store keeps it).
    pub fn from_name(name: &str) -> BaseUnit {
        match name {
            "CNY" => BaseUnit::Cny,
            "USD" => BaseUnit::Usd,
            "%" => BaseUnit::Percent,
            "pp" => BaseUnit::PercentPoint,
            "times" => BaseUnit::Times,
            "rank" => BaseUnit::Rank,
            "index" => BaseUnit::Index,
            w if COUNTERS.contains(&w) => BaseUnit::Count(w.to_string()),
            w => BaseUnit::Physical(w.to_string()),
        }
    }

    /// Yuan or dollars: scaled for display (万, 亿, 万亿) and convertible at a reader's rate.
    pub fn is_money(&self) -> bool {
        matches!(self, BaseUnit::Cny | BaseUnit::Usd)
    }

    /// The name shown as `unit_base`.
    pub fn name(&self) -> &str {
        match self {
            BaseUnit::Cny => "CNY",
            BaseUnit::Usd => "USD",
            BaseUnit::Percent => "%",
            BaseUnit::PercentPoint => "pp",
            BaseUnit::Times => "times",
            BaseUnit::Rank => "rank",
            BaseUnit::Index => "index",
            BaseUnit::Count(w) | BaseUnit::Physical(w) => w,
        }
    }
}

impl From<&str> for BaseUnit {
    fn from(name: &str) -> BaseUnit {
        BaseUnit::from_name(name)
    }
}

impl std::fmt::Display for BaseUnit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Written as its name (`CNY`), as every file of figures writes it.
impl Serialize for BaseUnit {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// A unit as written (`亿元`): a scale (1e8) times a base unit (CNY).
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// The unit in simplified, half-width form (`億元` → `亿元`, `％` → `%`).
    pub written: String,
    pub scale: f64,
    pub base: BaseUnit,
}

/// Scale prefixes, longest first so that 万亿 wins over 万.
const SCALES: [(&str, f64); 12] = [
    ("万亿", 1e12),
    ("千亿", 1e11),
    ("百亿", 1e10),
    ("十亿", 1e9),
    ("千万", 1e7),
    ("百万", 1e6),
    ("十万", 1e5),
    ("亿", 1e8),
    ("万", 1e4),
    ("千", 1e3),
    ("百", 1e2),
    ("十", 1e1),
];

/// Counter words for counts of things.
const COUNTERS: [&str; 13] = ["家", "户", "个", "项", "人", "名", "件", "座", "所", "条", "辆", "套", "批"];

/// Physical units.
const PHYSICAL: [&str; 10] = ["台", "吨", "平方米", "平方公里", "亩", "公顷", "千瓦", "千瓦时", "标箱", "部"];

/// How English writes what a counter word or physical unit counts: 家 counts firms, 户
/// registered businesses, 辆 vehicles. A word this list lacks is kept as written.
pub fn unit_word_en(word: &str) -> &str {
    match word {
        "家" => "firms",
        "户" => "businesses",
        "个" => "units",
        "项" => "projects",
        "人" | "名" => "people",
        "件" => "items",
        "座" => "buildings",
        "所" => "institutions",
        "条" => "lines",
        "辆" => "vehicles",
        "套" => "sets",
        "批" => "batches",
        "台" | "部" => "units",
        "吨" => "t",
        "平方米" => "m²",
        "平方公里" => "km²",
        "亩" => "mu",
        "公顷" => "ha",
        "千瓦" => "kW",
        "千瓦时" => "kWh",
        "标箱" => "TEU",
        other => other,
    }
}

/// Traditional and full-width forms of the characters units are written with.
fn simplify_unit_char(c: char) -> char {
    match c {
        '億' => '亿',
        '萬' => '万',
        '個' => '个',
        '項' => '项',
        '臺' => '台',
        '噸' => '吨',
        '點' => '点',
        '門' => '门',
        '輛' => '辆',
        '畝' => '亩',
        '％' => '%',
        '圓' => '元',
        _ => c,
    }
}

impl FromStr for Unit {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Unit, ParseError> {
        let written: String = s.trim().chars().map(simplify_unit_char).collect();
        let bad = || ParseError::Unit(s.to_string());
        let whole = match written.as_str() {
            "%" => Some(BaseUnit::Percent),
            "个百分点" | "百分点" => Some(BaseUnit::PercentPoint),
            "倍" => Some(BaseUnit::Times),
            "位" => Some(BaseUnit::Rank),
            _ => None,
        };
        if let Some(base) = whole {
            return Ok(Unit { written, scale: 1.0, base });
        }
        let (scale, rest) = SCALES
            .iter()
            .find_map(|&(p, f)| written.strip_prefix(p).map(|rest| (f, rest)))
            .unwrap_or((1.0, written.as_str()));
        let base = match rest {
            "元" | "人民币" | "人民币元" => BaseUnit::Cny,
            "美元" => BaseUnit::Usd,
            c if COUNTERS.contains(&c) => BaseUnit::Count(c.to_string()),
            p if PHYSICAL.contains(&p) => BaseUnit::Physical(p.to_string()),
            _ => return Err(bad()),
        };
        // A bare scale word with a currency is the only way a scale may appear; "万" alone
        // (万家 was cut to 家 above) is not a unit.
        Ok(Unit { written, scale, base })
    }
}

impl Unit {
    /// The unit as an English reader writes it: 亿元 → "CNY 100 mn", 万美元 → "USD 10k",
    /// 万家 → "10k firms", % → "%".
    pub fn english(&self) -> String {
        const WORDS: [(f64, &str); 11] = [
            (1.0, ""),
            (1e3, "thousand"),
            (1e4, "10k"),
            (1e5, "100k"),
            (1e6, "mn"),
            (1e7, "10 mn"),
            (1e8, "100 mn"),
            (1e9, "bn"),
            (1e10, "10 bn"),
            (1e11, "100 bn"),
            (1e12, "tn"),
        ];
        let scale = match WORDS.iter().find(|(scale, _)| *scale == self.scale) {
            Some((_, word)) => word.to_string(),
            None => format!("× {}", format_number(self.scale)),
        };
        match (&self.base, scale.is_empty()) {
            (_, true) => self.base.name_en().to_string(),
            (base, false) if base.is_money() => format!("{} {scale}", base.name_en()),
            (base, false) => format!("{scale} {}", base.name_en()),
        }
    }

    /// The value in base units: 242.3 亿元 → 2.423e10 CNY.
    pub fn normalise(&self, value: f64) -> f64 {
        value * self.scale
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.written)
    }
}

// ---------------------------------------------------------------------------------------------
// Qualifiers, kinds

/// 超/逾 (over), 不足 (under), 约/近/左右 (about): the number is a bound or an approximation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    Over,
    Under,
    About,
}

impl Qualifier {
    pub fn as_str(self) -> &'static str {
        match self {
            Qualifier::Over => "over",
            Qualifier::Under => "under",
            Qualifier::About => "about",
        }
    }

    /// The word a text uses for it.
    /// How a reader's language writes it before a number: 超 / "over ".
    pub fn word(self, english: bool) -> &'static str {
        match (self, english) {
            (Qualifier::Over, false) => "超",
            (Qualifier::Under, false) => "不足",
            (Qualifier::About, false) => "约",
            (Qualifier::Over, true) => "over ",
            (Qualifier::Under, true) => "under ",
            (Qualifier::About, true) => "about ",
        }
    }

    pub fn from_word(word: &str) -> Option<Qualifier> {
        Some(match word {
            "超" | "逾" | "超过" | "以上" | "突破" => Qualifier::Over,
            "不足" | "不到" | "以下" => Qualifier::Under,
            "约" | "近" | "左右" | "大约" | "将近" | "接近" => Qualifier::About,
            _ => return None,
        })
    }

    /// An optional qualifier as a database or CSV cell writes it (empty = none).
    pub fn parse_optional(s: &str) -> Result<Option<Qualifier>, ParseError> {
        match s.trim() {
            "" => Ok(None),
            "over" => Ok(Some(Qualifier::Over)),
            "under" => Ok(Some(Qualifier::Under)),
            "about" => Ok(Some(Qualifier::About)),
            _ => Err(ParseError::Qualifier(s.to_string())),
        }
    }
}

/// What a share (`share_pct`) is of, as the text says: 所在行政区/全区, 全市, 全省, 全国, or the
/// zone's own total (a sector's share of the zone's GDP). Shares of different wholes are
/// different numbers: 96% of a district's trade and 25% of the nation's are never compared.
/// A share whose text does not say is `None` ("not said"), kept apart from every known one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShareOf {
    HostDistrict,
    HostCity,
    HostProvince,
    Nation,
    OwnTotal,
}

impl ShareOf {
    pub const ALL: [ShareOf; 5] =
        [ShareOf::HostDistrict, ShareOf::HostCity, ShareOf::HostProvince, ShareOf::Nation, ShareOf::OwnTotal];

    pub fn as_str(self) -> &'static str {
        match self {
            ShareOf::HostDistrict => "host_district",
            ShareOf::HostCity => "host_city",
            ShareOf::HostProvince => "host_province",
            ShareOf::Nation => "nation",
            ShareOf::OwnTotal => "own_total",
        }
    }

    /// An optional denominator as a database or CSV cell writes it (empty = not said).
    pub fn parse_optional(s: &str) -> Result<Option<ShareOf>, ParseError> {
        match s.trim() {
            "" => Ok(None),
            t => ShareOf::ALL
                .into_iter()
                .find(|x| x.as_str() == t)
                .map(Some)
                .ok_or_else(|| ParseError::ShareOf(t.into())),
        }
    }

    /// A whole as a view file writes it: a known whole's name, or `unstated`.
    pub fn view_name(whole: Option<ShareOf>) -> &'static str {
        whole.map_or("unstated", ShareOf::as_str)
    }

    /// A whole as a view file writes it (`unstated`: shares whose text does not say).
    pub fn parse_view_name(s: &str) -> Result<Option<ShareOf>, ParseError> {
        match s.trim() {
            "unstated" => Ok(None),
            "" => Err(ParseError::ShareOf(s.into())),
            other => ShareOf::parse_optional(other),
        }
    }

    /// The whole a view of shares shows: the one asked when the figures have it, else the one
    /// the most entities' shares are of (then the most figures; a known whole before "not said"
    /// on a tie): a comparison of zones is a comparison of their shares of one kind of whole.
    /// Shares of any other whole are left out: they are other numbers.
    pub fn choose<'a>(
        shares: impl Iterator<Item = &'a Observation>,
        asked: Option<Option<ShareOf>>,
    ) -> Option<ShareOf> {
        let mut counts: Vec<(Option<ShareOf>, std::collections::HashSet<&str>, usize)> = Vec::new();
        for o in shares.filter(|o| o.measure == Measure::SharePct) {
            match counts.iter_mut().find(|(w, _, _)| *w == o.share_of) {
                Some((_, entities, n)) => {
                    entities.insert(&o.entity);
                    *n += 1;
                }
                None => counts.push((o.share_of, [&*o.entity].into(), 1)),
            }
        }
        if let Some(asked) = asked.filter(|a| counts.iter().any(|(w, _, _)| w == a)) {
            return asked;
        }
        counts.sort_by_key(|(w, entities, n)| (std::cmp::Reverse((entities.len(), *n)), w.is_none(), *w));
        counts.first().and_then(|(w, _, _)| *w)
    }

    /// "占所在行政区" / "of the host district": what a reader sees beside a share.
    pub fn label(share_of: Option<ShareOf>, lang: Lang) -> &'static str {
        match (share_of, lang) {
            (Some(ShareOf::HostDistrict), Lang::Zh) => "占所在行政区",
            (Some(ShareOf::HostCity), Lang::Zh) => "占全市",
            (Some(ShareOf::HostProvince), Lang::Zh) => "占全省",
            (Some(ShareOf::Nation), Lang::Zh) => "占全国",
            (Some(ShareOf::OwnTotal), Lang::Zh) => "占本区总量",
            (None, Lang::Zh) => "占比(口径未说明)",
            (Some(ShareOf::HostDistrict), Lang::En) => "of the host district",
            (Some(ShareOf::HostCity), Lang::En) => "of the host city",
            (Some(ShareOf::HostProvince), Lang::En) => "of the host province",
            (Some(ShareOf::Nation), Lang::En) => "of the national total",
            (Some(ShareOf::OwnTotal), Lang::En) => "of the zone's own total",
            (None, Lang::En) => "share (whole not stated)",
        }
    }
}

#[cfg(test)]
mod share_of_tests {
    use super::*;

    fn share(entity: &str, whole: Option<ShareOf>) -> Observation {
        Observation {
            id: 0,
            entity: entity.into(),
            indicator: "外贸进出口总额".into(),
            measure: Measure::SharePct,
            period: Period::Year(2023),
            period_text: String::new(),
            value: 50.0,
            unit: "%".into(),
            value_base: 50.0,
            unit_base: BaseUnit::Percent,
            qualifier: None,
            share_of: whole,
            source: "s".into(),
            source_id: "s".into(),
            published: None,
            address: "".into(),
            quote: None,
            quote_span: None,
            status: ReviewStatus::Accepted,
            derived_from: None,
            note: None,
        }
    }

    #[test]
    fn the_whole_shown_is_the_one_asked_or_the_one_most_shares_are_of() {
        let d = Some(ShareOf::HostDistrict);
        let n = Some(ShareOf::Nation);
        let shares = [share("a", d), share("b", d), share("c", n), share("d", None), share("e", None)];
        assert_eq!(ShareOf::choose(shares.iter(), None), d);
        // Entities count before figures: one entity's many national shares do not outweigh two
        // zones' shares of their districts.
        let many = [share("a", d), share("b", d), share("n", n), share("n", n), share("n", n)];
        assert_eq!(ShareOf::choose(many.iter(), None), d);
        assert_eq!(ShareOf::choose(shares.iter(), Some(n)), n);
        assert_eq!(ShareOf::choose(shares.iter(), Some(None)), None);
        // Asked for a whole no figure has: the most common one.
        assert_eq!(ShareOf::choose(shares.iter(), Some(Some(ShareOf::OwnTotal))), d);
        // A tie: a known whole before "not said".
        assert_eq!(ShareOf::choose(shares[2..].iter().take(2), None), n);
        assert_eq!(ShareOf::parse_view_name("unstated"), Ok(None));
        assert_eq!(ShareOf::parse_view_name("nation"), Ok(n));
        assert!(ShareOf::parse_view_name("planet").is_err() && ShareOf::parse_view_name("").is_err());
        assert!(ShareOf::parse_optional("planet").is_err());
    }
}

/// Whether an indicator accumulates over a period, holds at a date, or is a position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IndicatorKind {
    Flow,
    Stock,
    Rank,
}

impl IndicatorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            IndicatorKind::Flow => "flow",
            IndicatorKind::Stock => "stock",
            IndicatorKind::Rank => "rank",
        }
    }
}

impl FromStr for IndicatorKind {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<IndicatorKind, ParseError> {
        match s.trim() {
            "flow" => Ok(IndicatorKind::Flow),
            "stock" => Ok(IndicatorKind::Stock),
            "rank" => Ok(IndicatorKind::Rank),
            _ => Err(ParseError::IndicatorKind(s.to_string())),
        }
    }
}

/// A zone (in the catalog or not), a listed group of zones, or an aggregate whose members the
/// source does not list (全国国家级经开区).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntityKind {
    Zone,
    Group,
    Aggregate,
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Zone => "zone",
            EntityKind::Group => "group",
            EntityKind::Aggregate => "aggregate",
        }
    }
}

impl FromStr for EntityKind {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<EntityKind, ParseError> {
        match s.trim() {
            "zone" => Ok(EntityKind::Zone),
            "group" => Ok(EntityKind::Group),
            "aggregate" => Ok(EntityKind::Aggregate),
            _ => Err(ParseError::EntityKind(s.to_string())),
        }
    }
}

/// Members of a group written as canonical names joined by `+`.
pub const GROUP_SEPARATOR: char = '+';

/// A finite number written in ASCII (`242.3`, `-5.4`, `1e4`).
pub fn parse_value(s: &str) -> Result<f64, ParseError> {
    let t = s.trim();
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() && !t.is_empty() => Ok(v),
        _ => Err(ParseError::Value(s.to_string())),
    }
}

/// A publication date as precise as known: `2024-10-29`, `2024-10`, `2024`, or empty.
pub fn parse_published(s: &str) -> Result<Option<String>, ParseError> {
    let t = s.trim();
    let bad = || ParseError::Date(s.to_string());
    match t.len() {
        0 => Ok(None),
        4 => parse_digits(t).filter(|y| (1000..=9999).contains(y)).map(|_| Some(t.to_string())).ok_or_else(bad),
        7 => YearMonth::parse(t).map(|_| Some(t.to_string())).ok_or_else(bad),
        10 => t.parse::<Date>().map(|_| Some(t.to_string())),
        _ => Err(bad()),
    }
}

/// A number as a person reads it: no trailing `.0`, no exponent for ordinary magnitudes.
pub fn format_number(v: f64) -> String {
    if v == v.trunc() && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        let s = format!("{v}");
        if s.contains('e') { format!("{v:.6}") } else { s }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_base_unit_is_read_back_from_the_name_it_is_stored_under() {
        let english = |w: &str| w.parse::<Unit>().unwrap().english();
        assert_eq!(
            ["亿元", "万美元", "万亿元", "万家", "%", "个百分点", "位", "平方米"].map(english),
            ["CNY 100 mn", "USD 10k", "CNY tn", "10k firms", "%", "pp", "rank", "m²"]
        );
        for written in ["亿元", "万美元", "%", "个百分点", "倍", "位", "家", "吨"] {
            let unit: Unit = written.parse().unwrap();
            assert_eq!(BaseUnit::from_name(unit.base.name()), unit.base, "{written}");
        }
        assert_eq!(BaseUnit::from_name("index"), BaseUnit::Index);
        assert!(BaseUnit::Usd.is_money() && !BaseUnit::Percent.is_money());
        assert_eq!(serde_json::to_string(&BaseUnit::Cny).unwrap(), "\"CNY\"");
    }

    #[test]
    fn months_and_sizes_as_written() {
        assert_eq!((month_abbreviation(1), month_abbreviation(12), month_abbreviation(0)), ("Jan", "Dec", "?"));
        assert_eq!(parse_width_height("1600x1000"), Some((1600, 1000)));
        assert_eq!(parse_width_height(" 1920×1080 "), Some((1920, 1080)));
        assert_eq!(parse_width_height("800X600"), Some((800, 600)));
        assert_eq!(parse_width_height("16:9"), None);
        assert_eq!(parse_width_height("x600"), None);
    }

    fn ym(y: i32, m: u8) -> YearMonth {
        YearMonth::new(y, m).unwrap()
    }

    #[test]
    fn periods_parse_in_every_form_of_the_notation() {
        assert_eq!("2023".parse::<Period>().unwrap(), Period::Year(2023));
        // A cumulative span (前三季度), a single quarter, a single month, a multi-year span.
        assert_eq!("2024-01/2024-09".parse::<Period>().unwrap(), Period::Span { start: ym(2024, 1), end: ym(2024, 9) });
        assert_eq!("2024-07/2024-09".parse::<Period>().unwrap().months(), Some(3));
        assert_eq!("2024-03/2024-03".parse::<Period>().unwrap().months(), Some(1));
        assert_eq!("2021-01/2025-12".parse::<Period>().unwrap().months(), Some(60));
        assert_eq!("@2024-09-30".parse::<Period>().unwrap(), Period::At(Date::new(2024, 9, 30).unwrap()));
        assert_eq!("".parse::<Period>().unwrap(), Period::Unspecified);
        assert_eq!("null".parse::<Period>().unwrap(), Period::Unspecified);
    }

    #[test]
    fn periods_print_back_to_the_same_notation() {
        for s in ["2023", "2024-01/2024-09", "2024-07/2024-09", "@2024-02-29", "2016-01/2020-12"] {
            let p: Period = s.parse().unwrap();
            assert_eq!(p.to_string(), s);
            assert_eq!(p.notation().as_deref(), Some(s));
        }
        assert_eq!(Period::Unspecified.notation(), None);
    }

    #[test]
    fn bad_periods_are_errors_that_quote_the_text() {
        for s in [
            "23",
            "2023年",
            "2024-1/2024-9",
            "2024-00/2024-09",
            "2024-01/2024-13",
            "@2023-02-29",
            "@2024-09-31",
            "2024-09-30",
            "2024/2025",
            "+202",
            "2024-01/",
            "abcd",
            "@",
            "２０２３",
        ] {
            let err = s.parse::<Period>().unwrap_err();
            assert!(err.to_string().contains(s), "{s}: {err}");
        }
        assert_eq!("2024-09/2024-01".parse::<Period>().unwrap_err(), ParseError::PeriodOrder("2024-09/2024-01".into()));
    }

    #[test]
    fn periods_survive_the_stored_form() {
        for s in ["2023", "2024-01/2024-09", "@2024-02-29", "", "2000-02/2000-02"] {
            let p: Period = s.parse().unwrap();
            let (start, end) = p.bounds().unzip();
            assert_eq!(Period::from_stored(p.kind(), start, end), Some(p), "{s}");
        }
        assert_eq!(Period::Year(2023).bounds(), Some((20230101, 20231231)));
        assert_eq!("2024-01/2024-02".parse::<Period>().unwrap().bounds(), Some((20240101, 20240229)));
        assert_eq!("2023-01/2023-02".parse::<Period>().unwrap().bounds(), Some((20230101, 20230228)));
    }

    fn shapes(s: &str) -> Vec<PeriodShape> {
        s.parse::<Period>().unwrap().shapes()
    }

    #[test]
    fn a_jan_to_aug_span_is_never_a_year() {
        assert_eq!(shapes("2024-01/2024-08"), vec![PeriodShape::YearToDate { end_month: 8 }]);
        assert!(!shapes("2024-01/2024-08").contains(&PeriodShape::Year));
        assert_eq!(shapes("2023"), vec![PeriodShape::Year]);
        // Jan–Dec is the year itself.
        assert_eq!(shapes("2023-01/2023-12"), vec![PeriodShape::Year]);
    }

    #[test]
    fn quarters_months_stocks_and_other_spans_have_their_own_shapes() {
        assert_eq!(shapes("2024-07/2024-09"), vec![PeriodShape::Quarter]);
        assert_eq!(shapes("2024-01/2024-03"), vec![PeriodShape::YearToDate { end_month: 3 }, PeriodShape::Quarter]);
        assert_eq!(shapes("2024-03/2024-03"), vec![PeriodShape::Month]);
        assert_eq!(shapes("@2024-09-30"), vec![PeriodShape::Stock]);
        assert_eq!(shapes("2021-01/2025-12"), vec![PeriodShape::OtherSpan { start_month: 1, months: 60 }]);
        assert_eq!(shapes("2024-07/2024-12"), vec![PeriodShape::OtherSpan { start_month: 7, months: 6 }]);
        assert_eq!(shapes("2024-02/2024-04"), vec![PeriodShape::OtherSpan { start_month: 2, months: 3 }]);
        assert!(shapes("").is_empty());
    }

    #[test]
    fn axis_positions_line_up_by_shape() {
        let pos = |s: &str, shape| s.parse::<Period>().unwrap().axis_position(shape).unwrap();
        assert_eq!(pos("2023", PeriodShape::Year), 2023.0);
        assert_eq!(pos("2023-01/2023-08", PeriodShape::YearToDate { end_month: 8 }), 2023.0);
        assert_eq!(pos("2023-07/2023-09", PeriodShape::Quarter), 2023.5);
        assert_eq!(pos("2023-04/2023-04", PeriodShape::Month), 2023.25);
        assert!((pos("@2023-12-31", PeriodShape::Stock) - 2024.0).abs() < 0.01);
        assert_eq!(Period::Unspecified.axis_position(PeriodShape::Year), None);
    }

    #[test]
    fn units_parse_into_scale_and_base() {
        let cases: &[(&str, f64, BaseUnit)] = &[
            ("元", 1.0, BaseUnit::Cny),
            ("万元", 1e4, BaseUnit::Cny),
            ("亿元", 1e8, BaseUnit::Cny),
            ("万亿元", 1e12, BaseUnit::Cny),
            ("百万元", 1e6, BaseUnit::Cny),
            ("千元", 1e3, BaseUnit::Cny),
            ("人民币", 1.0, BaseUnit::Cny),
            ("美元", 1.0, BaseUnit::Usd),
            ("万美元", 1e4, BaseUnit::Usd),
            ("亿美元", 1e8, BaseUnit::Usd),
            ("%", 1.0, BaseUnit::Percent),
            ("个百分点", 1.0, BaseUnit::PercentPoint),
            ("倍", 1.0, BaseUnit::Times),
            ("位", 1.0, BaseUnit::Rank),
            ("家", 1.0, BaseUnit::Count("家".into())),
            ("万家", 1e4, BaseUnit::Count("家".into())),
            ("万户", 1e4, BaseUnit::Count("户".into())),
            ("个", 1.0, BaseUnit::Count("个".into())),
            ("项", 1.0, BaseUnit::Count("项".into())),
            ("万台", 1e4, BaseUnit::Physical("台".into())),
            ("万平方米", 1e4, BaseUnit::Physical("平方米".into())),
            ("吨", 1.0, BaseUnit::Physical("吨".into())),
        ];
        for (s, scale, base) in cases {
            let u: Unit = s.parse().unwrap_or_else(|e| panic!("{s}: {e}"));
            assert_eq!((u.scale, &u.base, u.written.as_str()), (*scale, base, *s), "{s}");
        }
    }

    #[test]
    fn traditional_and_full_width_units_are_simplified() {
        let u: Unit = "億元".parse().unwrap();
        assert_eq!((u.written.as_str(), u.scale, u.base), ("亿元", 1e8, BaseUnit::Cny));
        assert_eq!("萬美元".parse::<Unit>().unwrap().written, "万美元");
        assert_eq!("％".parse::<Unit>().unwrap().base, BaseUnit::Percent);
        assert_eq!("個百分點".parse::<Unit>().unwrap().base, BaseUnit::PercentPoint);
    }

    #[test]
    fn unknown_units_are_errors_naming_the_unit() {
        for s in ["", "万", "亿", "欧元", "亿英镑", "USD", "元元", "%%", "百分比"] {
            let err = s.parse::<Unit>().unwrap_err();
            assert_eq!(err, ParseError::Unit(s.to_string()));
        }
    }

    #[test]
    fn normalising_applies_the_scale() {
        let u: Unit = "亿元".parse().unwrap();
        assert_eq!(u.normalise(242.3), 242.3 * 1e8);
        assert_eq!("万美元".parse::<Unit>().unwrap().normalise(7102.6), 71_026_000.0);
        assert_eq!("%".parse::<Unit>().unwrap().normalise(96.0), 96.0);
    }

    #[test]
    fn measures_round_trip_and_check_their_units() {
        for m in Measure::ALL {
            assert_eq!(m.as_str().parse::<Measure>().unwrap(), m);
        }
        assert!("growth".parse::<Measure>().is_err());
        let pct: Unit = "%".parse().unwrap();
        let yuan: Unit = "亿元".parse().unwrap();
        assert!(Measure::YoyPct.accepts(&pct));
        assert!(Measure::YoyPct.accepts(&"倍".parse().unwrap()));
        assert!(!Measure::YoyPct.accepts(&yuan));
        assert!(Measure::Value.accepts(&yuan));
        assert!(Measure::Rank.accepts(&"位".parse().unwrap()));
        assert!(!Measure::Rank.accepts(&pct));
        assert!(Measure::YoyPp.accepts(&"个百分点".parse().unwrap()));
        assert!(!Measure::SharePct.accepts(&"家".parse().unwrap()));
    }

    #[test]
    fn qualifiers_from_words_and_cells() {
        for (w, q) in [
            ("超", Qualifier::Over),
            ("逾", Qualifier::Over),
            ("超过", Qualifier::Over),
            ("以上", Qualifier::Over),
            ("不足", Qualifier::Under),
            ("不到", Qualifier::Under),
            ("约", Qualifier::About),
            ("近", Qualifier::About),
            ("左右", Qualifier::About),
        ] {
            assert_eq!(Qualifier::from_word(w), Some(q), "{w}");
        }
        assert_eq!(Qualifier::from_word("增长"), None);
        assert_eq!(Qualifier::parse_optional("").unwrap(), None);
        assert_eq!(Qualifier::parse_optional("over").unwrap(), Some(Qualifier::Over));
        assert!(Qualifier::parse_optional("more").is_err());
    }

    #[test]
    fn values_and_dates() {
        assert_eq!(parse_value("242.3").unwrap(), 242.3);
        assert_eq!(parse_value("-5.4").unwrap(), -5.4);
        for bad in ["", "abc", "NaN", "inf", "1,234", "二十"] {
            assert!(parse_value(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_published("2024-10-29").unwrap().as_deref(), Some("2024-10-29"));
        assert_eq!(parse_published("2023").unwrap().as_deref(), Some("2023"));
        assert_eq!(parse_published("2023-05").unwrap().as_deref(), Some("2023-05"));
        assert_eq!(parse_published("").unwrap(), None);
        for bad in ["2024-13-01", "2024-02-30", "24-01-01", "2024/10/29", "yesterday"] {
            assert!(parse_published(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn numbers_print_as_written() {
        assert_eq!(format_number(242.3), "242.3");
        assert_eq!(format_number(96.0), "96");
        assert_eq!(format_number(-5.4), "-5.4");
        assert_eq!(format_number(2.423e10), "24230000000");
    }
}

/// Where a figure stands in review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReviewStatus {
    /// Found by the extractor, not yet checked.
    Candidate,
    Accepted,
    /// Checked and refused: kept, so that the same text read again does not propose it anew.
    Rejected,
}

impl ReviewStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewStatus::Candidate => "candidate",
            ReviewStatus::Accepted => "accepted",
            ReviewStatus::Rejected => "rejected",
        }
    }
}

impl FromStr for ReviewStatus {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<ReviewStatus, ParseError> {
        Ok(match s {
            "candidate" => ReviewStatus::Candidate,
            "accepted" => ReviewStatus::Accepted,
            "rejected" => ReviewStatus::Rejected,
            other => return Err(ParseError::ReviewStatus(other.to_string())),
        })
    }
}

/// A period a ranking can show: how many entities report it, how many of those are single
/// zones (what a ranking ranks), and how one of their figures writes it (2024年1-8月).
#[derive(Debug, Clone, PartialEq)]
pub struct RankingPeriod {
    pub period: Period,
    pub entities: usize,
    pub zones: usize,
    pub text: String,
}

impl RankingPeriod {
    /// The period a ranking shows: the one asked for when some entity reports it, else the one
    /// with the widest coverage, the latest on a tie (`periods` are latest first). Coverage is
    /// counted in zones, since only zones are ranked: a year in which five national totals and
    /// one zone report ranks one zone, and loses to a year four zones report.
    pub fn choose(periods: &[RankingPeriod], asked: Option<Period>) -> Option<Period> {
        match asked {
            Some(p) if periods.iter().any(|x| x.period == p) => Some(p),
            _ => periods.iter().rev().max_by_key(|p| (p.zones, p.entities)).map(|p| p.period),
        }
    }
}

/// What a ranking is made from: every period one indicator and measure can be ranked for,
/// and every entity's figures of the chosen one.
#[derive(Debug, Clone, PartialEq)]
pub struct RankingFigures {
    pub indicator: String,
    pub measure: Measure,
    pub periods: Vec<RankingPeriod>,
    /// The period of `figures`: the one asked for, or the default one; none when no period
    /// can be ranked.
    pub period: Option<Period>,
    pub figures: Vec<Observation>,
}

impl RankingFigures {
    /// Whether these are the figures a ranking of `indicator` and `measure` asking for
    /// `asked` shows.
    pub fn answer(&self, indicator: &str, measure: Measure, asked: Option<Period>) -> bool {
        self.indicator == indicator
            && self.measure == measure
            && (asked.is_none() || asked == self.period || RankingPeriod::choose(&self.periods, asked) == self.period)
    }
}

/// One observation with its provenance, as every output writes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Observation {
    #[serde(skip)]
    pub id: i64,
    // Names, units and sources are shared (`Arc`) by the figures of one query that repeat
    // them: a view of thousands of figures names a few of each, and a copy of each per figure
    // took a tenth of the instructions of a 10-zone query (callgrind).
    pub entity: Arc<str>,
    pub indicator: Arc<str>,
    pub measure: Measure,
    #[serde(serialize_with = "serialize_period")]
    pub period: Period,
    pub period_text: String,
    pub value: f64,
    pub unit: Arc<str>,
    pub value_base: f64,
    pub unit_base: BaseUnit,
    pub qualifier: Option<Qualifier>,
    /// What a share is of (`share_pct` figures only; `None`: not said).
    pub share_of: Option<ShareOf>,
    /// The publisher.
    pub source: Arc<str>,
    pub source_id: Arc<str>,
    pub published: Option<Arc<str>>,
    pub address: Arc<str>,
    pub quote: Option<String>,
    pub quote_span: Option<(i64, i64)>,
    /// Whether a reader accepted the figure: bundled and accepted figures are `Accepted`;
    /// extracted ones wait as `Candidate` until reviewed.
    pub status: ReviewStatus,
    pub derived_from: Option<String>,
    pub note: Option<String>,
}

fn serialize_period<S: serde::Serializer>(p: &Period, s: S) -> Result<S::Ok, S::Error> {
    match p.notation() {
        Some(n) => s.serialize_str(&n),
        None => s.serialize_none(),
    }
}
