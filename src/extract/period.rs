//! Period phrases: 2023年, 今年前三季度, 1至8月, 1~9月, 1—11月, 上半年, 一季度, 第三季度,
//! 截至6月底, 年末, 全年, 目前, 去年… resolved against the publication date (DESIGN.md).

use crate::model::{Date, Period, YearMonth};

/// What a relative period is resolved against.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PeriodContext {
    /// The publication date, when known.
    pub published: Option<Date>,
    /// The year the text is talking about (an earlier 2023年 in the same passage); falls back to
    /// the publication year.
    pub year: Option<i32>,
}

impl PeriodContext {
    fn current_year(&self) -> Option<i32> {
        self.year.or(self.published.map(|d| d.year))
    }
}

/// A period phrase found in text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PeriodPhrase {
    pub period: Period,
    /// Characters the phrase takes.
    pub len: usize,
    /// The phrase names its year (2023年…) rather than leaning on the context.
    pub explicit_year: bool,
}

fn span(year: i32, from: u8, to: u8) -> Option<Period> {
    Period::span(YearMonth::new(year, from)?, YearMonth::new(year, to)?)
}

fn at_month_end(year: i32, month: u8) -> Option<Period> {
    Some(Period::At(YearMonth::new(year, month)?.last_day()))
}

use super::text::starts_at as starts;

/// A month number 1–12 at `at`, in digits or Chinese: (month, chars).
fn month_at(chars: &[char], at: usize) -> Option<(u8, usize)> {
    let n = super::number::number_at(chars, at)?;
    let m = n.value as u8;
    (n.value.fract() == 0.0 && (1..=12).contains(&m)).then_some((m, n.len))
}

const DASHES: [char; 7] = ['-', '—', '–', '~', '～', '至', '到'];

/// Spans within a year, after the year is known: 1-8月 (and 1至8月, 1~9月, 1—11月), N月,
/// 前三季度, 上半年, 下半年, 一季度 (Jan–Mar), 第三季度 / 三季度 (a single quarter), 全年, 年末,
/// 截至N月底. Returns the period and the characters used.
fn span_in_year(chars: &[char], at: usize, year: i32) -> Option<(Period, usize)> {
    let words: [(&str, Option<Period>); 14] = [
        ("前三季度", span(year, 1, 9)),
        ("前两季度", span(year, 1, 6)),
        ("上半年", span(year, 1, 6)),
        ("下半年", span(year, 7, 12)),
        ("第一季度", span(year, 1, 3)),
        ("第二季度", span(year, 4, 6)),
        ("第三季度", span(year, 7, 9)),
        ("第四季度", span(year, 10, 12)),
        ("一季度", span(year, 1, 3)),
        ("二季度", span(year, 4, 6)),
        ("三季度", span(year, 7, 9)),
        ("四季度", span(year, 10, 12)),
        ("全年", Period::year(year)),
        ("年末", Some(Period::At(YearMonth::new(year, 12)?.last_day()))),
    ];
    for (word, period) in words {
        if starts(chars, at, word) {
            return Some((period?, word.chars().count()));
        }
    }
    if starts(chars, at, "年底") {
        return Some((at_month_end(year, 12)?, 2));
    }
    if starts(chars, at, "截至") || starts(chars, at, "截止") {
        let (m, len) = month_at(chars, at + 2)?;
        let after = at + 2 + len;
        if starts(chars, after, "月底") || starts(chars, after, "月末") {
            return Some((at_month_end(year, m)?, 2 + len + 2));
        }
        // 截至12月20日: a stock at that day.
        if chars.get(after) == Some(&'月') {
            let d = super::number::number_at(chars, after + 1)?;
            if matches!(chars.get(after + 1 + d.len), Some('日' | '号')) {
                let date = Date::new(year, m, d.value as u8)?;
                return Some((Period::At(date), after + 2 + d.len - at));
            }
        }
        return None;
    }
    // 前10个月, 前4月, 首两个月: January to that month.
    if matches!(chars.get(at), Some('前' | '首')) {
        let (to, len) = month_at(chars, at + 1)?;
        let mut i = at + 1 + len;
        i += usize::from(chars.get(i) == Some(&'个'));
        return (chars.get(i) == Some(&'月')).then_some((span(year, 1, to)?, i + 1 - at));
    }
    // 1-8月, 1至8月, 1~9月, 1—11月, 一至八月, 1~3季度, or one month: 3月.
    let (from, len) = month_at(chars, at)?;
    let mut i = at + len;
    if chars.get(i).is_some_and(|c| DASHES.contains(c)) {
        let (to, len2) = month_at(chars, i + 1)?;
        i += 1 + len2;
        if chars.get(i) == Some(&'月') && from <= to {
            return Some((span(year, from, to)?, i + 1 - at + month_suffix(chars, i + 1)));
        }
        // 一至三季度, 2021年1~3季度: quarters from..to.
        if starts(chars, i, "季度") && from <= to && to <= 4 {
            return Some((span(year, from * 3 - 2, to * 3)?, i + 2 - at));
        }
        return None;
    }
    if chars.get(i) == Some(&'月') {
        if is_date(chars, at) {
            return None;
        }
        // "3月" alone names a month; "3月底" a date.
        if starts(chars, i + 1, "底") || starts(chars, i + 1, "末") {
            return Some((at_month_end(year, from)?, i + 2 - at));
        }
        return Some((span(year, from, from)?, i + 1 - at + month_suffix(chars, i + 1)));
    }
    None
}

/// Whether a month and a day start at `at`: 1月14日, 4月21日电.
fn is_date(chars: &[char], at: usize) -> bool {
    let Some((_, len)) = month_at(chars, at) else { return false };
    if chars.get(at + len) != Some(&'月') {
        return false;
    }
    super::number::number_at(chars, at + len + 1)
        .is_some_and(|d| matches!(chars.get(at + len + 1 + d.len), Some('日' | '号')))
}

/// 份 (9月份) and 当月 (11月当月) after a month: part of the phrase, nothing more.
fn month_suffix(chars: &[char], at: usize) -> usize {
    if starts(chars, at, "份") {
        1
    } else if starts(chars, at, "当月") {
        2
    } else {
        0
    }
}

/// A five-year plan: 十四五 → (2021, 2025). From the 3rd plan (1966) on they follow each other
/// without a gap; only 十X五 (the 10th to the 19th) are read, 十五 alone being a number.
fn five_year_plan(chars: &[char], at: usize) -> Option<(i32, i32, usize)> {
    let n = super::number::number_at(chars, at)?;
    if chars.get(at + n.len) != Some(&'五') || chars[at] != '十' || n.value < 10.0 || n.value > 19.0 {
        return None;
    }
    // 十四五 is the 14th five-year plan: 十四 is its number, 五 stands for 五年规划.
    let ordinal = n.value as i32;
    let start = 1966 + 5 * (ordinal - 3);
    Some((start, start + 4, n.len + 1))
}

/// The characters a period phrase can start with besides a number: it is looked for at every
/// character of a text, and most characters start none.
const PHRASE_STARTS: &str = "前上下第全年截今去本目过首\"“《";

/// The period phrase that starts at `chars[at]`, resolved with `context`.
pub fn period_at(chars: &[char], at: usize, context: &PeriodContext) -> Option<PeriodPhrase> {
    let first = *chars.get(at)?;
    if !super::number::may_start(first) && !PHRASE_STARTS.contains(first) {
        return None;
    }
    // An explicit year: 2023年, then perhaps a span of it.
    if let Some(n) = super::number::number_at(chars, at) {
        // 2012—2021年, 2016-2020年: several whole years.
        if n.len == 4
            && chars.get(at + 4).is_some_and(|c| DASHES.contains(c))
            && let Some(m) = super::number::number_at(chars, at + 5).filter(|m| m.len == 4)
        {
            let (from, to) = (n.value as i32, m.value as i32);
            if chars.get(at + 9) == Some(&'年') && (1949..=2100).contains(&from) && from < to && to <= 2100 {
                let period = Period::span(YearMonth::new(from, 1)?, YearMonth::new(to, 12)?)?;
                return Some(PeriodPhrase { period, len: 10, explicit_year: false });
            }
        }
        // 2021年至2024年, 2021至2024年, 2016年—2020年: several whole years, written with 至, 到
        // or a dash between the years (but not 2023年至2024年6月, which ends within a year).
        if n.len == 4 && n.value.fract() == 0.0 {
            let year_word = usize::from(chars.get(at + 4) == Some(&'年'));
            let link = at + 4 + year_word;
            if chars.get(link).is_some_and(|c| matches!(c, '至' | '到') || DASHES.contains(c))
                && let Some(m) =
                    super::number::number_at(chars, link + 1).filter(|m| m.len == 4 && m.value.fract() == 0.0)
                && chars.get(link + 5) == Some(&'年')
                && (year_word == 1 || !DASHES.contains(&chars[link]))
                && !chars.get(link + 6).is_some_and(|c| c.is_ascii_digit() || "末底初上下前一二三四".contains(*c))
            {
                let (from, to) = (n.value as i32, m.value as i32);
                if (1949..=2100).contains(&from) && from < to && to <= 2100 {
                    let period = Period::span(YearMonth::new(from, 1)?, YearMonth::new(to, 12)?)?;
                    return Some(PeriodPhrase { period, len: link + 6 - at, explicit_year: false });
                }
            }
        }
        if n.len == 4 && n.value.fract() == 0.0 && chars.get(at + 4) == Some(&'年') {
            let year = n.value as i32;
            if !(1949..=2100).contains(&year) {
                return None;
            }
            let rest = at + 5;
            // 2022年1月14日 is a date (a meeting's, a release's), not a period of figures.
            if is_date(chars, rest) {
                return None;
            }
            // 2023年末, 2023年底: the year's end.
            if matches!(chars.get(rest), Some('末' | '底')) {
                return Some(PeriodPhrase { period: at_month_end(year, 12)?, len: 6, explicit_year: true });
            }
            if let Some((period, len)) = span_in_year(chars, rest, year) {
                return Some(PeriodPhrase { period, len: 5 + len, explicit_year: true });
            }
            let len = if chars.get(rest) == Some(&'度') { 6 } else { 5 };
            return Some(PeriodPhrase { period: Period::year(year)?, len, explicit_year: true });
        }
    }
    // A five-year plan: "十四五"期间 (its years), "十四五"以来 (to the publication month),
    // 十三五末 (its last year's end).
    let quote = usize::from(chars.get(at).is_some_and(|c| matches!(c, '"' | '“' | '《')));
    if let Some((from, to, len)) = five_year_plan(chars, at + quote) {
        let mut i = at + quote + len;
        i += usize::from(chars.get(i).is_some_and(|c| matches!(c, '"' | '”' | '》')));
        let whole = |i| Period::span(YearMonth::new(from, 1)?, YearMonth::new(to, 12)?).map(|p| (p, i));
        let found = if starts(chars, i, "期间") || starts(chars, i, "时期") {
            whole(i + 2)
        } else if starts(chars, i, "以来") {
            let p = context.published?;
            Period::span(YearMonth::new(from, 1)?, YearMonth::new(p.year, p.month)?).map(|s| (s, i + 2))
        } else if starts(chars, i, "末") || starts(chars, i, "期末") {
            let end = i + if starts(chars, i, "末") { 1 } else { 2 };
            Some((at_month_end(to, 12)?, end))
        } else {
            None
        };
        let (period, end) = found?;
        return Some(PeriodPhrase { period, len: end - at, explicit_year: false });
    }
    // Since the year began: 今年以来, 年初以来, 本年以来 (January to the publication month).
    for word in ["今年以来", "年初以来", "本年以来", "今年年初以来", "年初至今"] {
        if starts(chars, at, word) {
            let p = context.published?;
            return Some(PeriodPhrase {
                period: span(p.year, 1, p.month)?,
                len: word.chars().count(),
                explicit_year: false,
            });
        }
    }
    // The end of last year: 截至去年底, 去年末, 上年末.
    for prefix in ["截至", "截止", ""] {
        for word in ["去年底", "去年末", "上年末", "上年底"] {
            if starts(chars, at, prefix) && starts(chars, at + prefix.chars().count(), word) {
                let year = context.published?.year - 1;
                let len = prefix.chars().count() + 3;
                return Some(PeriodPhrase { period: at_month_end(year, 12)?, len, explicit_year: false });
            }
        }
    }
    if starts(chars, at, "过去一年") {
        let year = context.published?.year - 1;
        // It names the year the passage reviews, as 2021年 would.
        return Some(PeriodPhrase { period: Period::year(year)?, len: 4, explicit_year: true });
    }
    // Relative years.
    let published_year = context.published.map(|d| d.year);
    for (word, offset) in [("今年", 0), ("去年", -1), ("上年", -1), ("前年", -2), ("本年", 0)] {
        if starts(chars, at, word) {
            let year = published_year? + offset;
            let rest = at + 2;
            if let Some((period, len)) = span_in_year(chars, rest, year) {
                return Some(PeriodPhrase { period, len: 2 + len, explicit_year: false });
            }
            return Some(PeriodPhrase { period: Period::year(year)?, len: 2, explicit_year: false });
        }
    }
    if starts(chars, at, "目前") || starts(chars, at, "截至目前") {
        let len = if starts(chars, at, "目前") { 2 } else { 4 };
        return Some(PeriodPhrase { period: Period::At(context.published?), len, explicit_year: false });
    }
    // A span of the year in context. With no year named before it, a span is the latest one
    // that has ended by publication: 全年 or 年末 in a report of February is last year's, 四季度
    // in January last year's.
    let year = context.current_year()?;
    let (period, len) = span_in_year(chars, at, year)?;
    if let (None, Some(p)) = (context.year, context.published) {
        let ends_after_publication = match period {
            Period::Span { end, .. } => end > YearMonth::new(p.year, p.month)?,
            // 全年 and 年末 are last year's only early in a year (a work report, a bulletin); later
            // they speak of this year, often as an estimate or a target.
            Period::Year(y) => y == p.year && p.month <= 3,
            Period::At(d) => d > p && (d.month != 12 || p.month <= 3),
            Period::Unspecified => false,
        };
        if ends_after_publication && let Some((earlier, _)) = span_in_year(chars, at, year - 1) {
            return Some(PeriodPhrase { period: earlier, len, explicit_year: false });
        }
    }
    Some(PeriodPhrase { period, len, explicit_year: false })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> PeriodContext {
        PeriodContext { published: Date::new(2024, 10, 29), year: None }
    }

    fn read(s: &str) -> Option<(String, usize)> {
        read_with(s, &ctx())
    }

    fn read_with(s: &str, c: &PeriodContext) -> Option<(String, usize)> {
        let chars: Vec<char> = s.chars().collect();
        period_at(&chars, 0, c).map(|p| (p.period.notation().unwrap_or_default(), p.len))
    }

    #[test]
    fn explicit_years_and_their_spans() {
        assert_eq!(read("2023年,"), Some(("2023".into(), 5)));
        assert_eq!(read("2023年1-8月"), Some(("2023-01/2023-08".into(), 9)));
        assert_eq!(read("2023年上半年"), Some(("2023-01/2023-06".into(), 8)));
        assert_eq!(read("2023年末"), Some(("@2023-12-31".into(), 6)));
        assert_eq!(read("2023年全年"), Some(("2023".into(), 7)));
        assert_eq!(read("1880年"), None);
    }

    #[test]
    fn a_run_of_whole_years_written_with_zhi_dao_or_a_dash() {
        for written in ["2021年至2024年", "2021至2024年", "2021年到2024年", "2021年—2024年", "2021—2024年"]
        {
            let len = written.chars().count();
            assert_eq!(read(&format!("{written}，年均增长5.3%")), Some(("2021-01/2024-12".into(), len)), "{written}");
        }
        // Ending within a year, or running backwards: not a run of whole years.
        assert_eq!(read("2023年至2024年6月"), Some(("2023".into(), 5)));
        assert_eq!(read("2024年至2021年"), Some(("2024".into(), 5)));
    }

    #[test]
    fn relative_years_resolve_against_the_publication_date() {
        assert_eq!(read("今年前三季度"), Some(("2024-01/2024-09".into(), 6)));
        assert_eq!(read("今年1至8月"), Some(("2024-01/2024-08".into(), 6)));
        assert_eq!(read("去年"), Some(("2023".into(), 2)));
        assert_eq!(read("去年全年"), Some(("2023".into(), 4)));
        assert_eq!(read("上年同期"), Some(("2023".into(), 2)));
        assert_eq!(read("前年"), Some(("2022".into(), 2)));
        assert_eq!(read("目前,"), Some(("@2024-10-29".into(), 2)));
        let unknown = PeriodContext { published: None, year: None };
        assert_eq!(read_with("今年", &unknown), None, "never guessed without a date");
        assert_eq!(read_with("目前", &unknown), None);
    }

    #[test]
    fn spans_of_the_year_in_context() {
        let ctx = || PeriodContext { published: Date::new(2024, 12, 29), year: None };
        let read = |s: &str| read_with(s, &ctx());
        for (text, expected) in [
            ("1-8月", "2024-01/2024-08"),
            ("1至8月", "2024-01/2024-08"),
            ("1~9月", "2024-01/2024-09"),
            ("1—11月", "2024-01/2024-11"),
            ("1到11月", "2024-01/2024-11"),
            ("前三季度", "2024-01/2024-09"),
            ("上半年", "2024-01/2024-06"),
            ("一季度", "2024-01/2024-03"),
            ("二季度", "2024-04/2024-06"),
            ("第三季度", "2024-07/2024-09"),
            ("全年", "2024"),
            ("截至6月底", "@2024-06-30"),
            ("截至11月末", "@2024-11-30"),
            ("截至12月20日", "@2024-12-20"),
            ("9月底", "@2024-09-30"),
            ("3月", "2024-03/2024-03"),
        ] {
            assert_eq!(read(text).map(|p| p.0), Some(expected.to_string()), "{text}");
        }
        // A year named earlier in the passage wins over the publication year.
        let c = PeriodContext { year: Some(2023), ..ctx() };
        // Without one, a span is the latest that has ended by publication.
        let october = PeriodContext { published: Date::new(2024, 10, 29), year: None };
        assert_eq!(read_with("1—11月", &october).map(|p| p.0).as_deref(), Some("2023-01/2023-11"));
        assert_eq!(read_with("全年", &october).map(|p| p.0).as_deref(), Some("2024"));
        assert_eq!(read_with("上半年", &c).map(|p| p.0).as_deref(), Some("2023-01/2023-06"));
    }

    /// Every row of the corpus's period specification (a copy in tests/spec/PERIODS.tsv): the
    /// phrase read at the start of a text published on the row's date gives the row's period; a
    /// comparison base gives none. A year's end read for a flow is that year (十三五末 of GDP).
    #[test]
    fn the_period_specification_holds() {
        let spec = include_str!("../../tests/spec/PERIODS.tsv");
        let mut failures = Vec::new();
        for row in spec.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
            let f: Vec<&str> = row.split('\t').collect();
            let (phrase, published, kind, expected) = (f[0], f[1], f[2], f.get(3).copied().unwrap_or(""));
            let context = PeriodContext { published: published.parse().ok(), year: None };
            let chars: Vec<char> = crate::extract::text::normalise(phrase).chars().collect();
            let found = period_at(&chars, 0, &context);
            let got = match (kind, found) {
                ("base", None) => String::new(),
                ("base", Some(p)) => format!("{:?}", p.period),
                (_, None) => "nothing".into(),
                (_, Some(p)) if p.len != chars.len() => format!("{} chars of {}", p.len, chars.len()),
                ("flow", Some(PeriodPhrase { period: Period::At(d), .. })) if d.month == 12 && d.day == 31 => {
                    d.year.to_string()
                }
                (_, Some(p)) => p.period.notation().unwrap_or_default(),
            };
            if got != expected {
                failures.push(format!("{phrase} ({published}): {got}, not {expected}"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn what_is_not_a_period() {
        for text in ["2022年1月14日", "4月21日电", "10月29日", "8-1月", "13月", "同比", "亿元", "5,230万", "季度", ""]
        {
            assert_eq!(read(text), None, "{text}");
        }
    }
}
