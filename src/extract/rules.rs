//! The extractor: a left-to-right reading of each sentence that keeps track of which zone,
//! which period and which indicator the text is talking about, and turns each number with a
//! unit into a candidate figure in that context.

use crate::model::{Date, Period, Qualifier};

use super::aggregate::{AggregateContext, aggregate_at, is_total, region_list_at};
pub use super::lexicon::Gazetteer;
use super::lexicon::{
    BACK_REFERENCES, HOST_WORDS, INDICATORS, MEASURE_CUES, TARGET_WORDS, UNITS, cue_at, indicator_at, word_at,
};
use super::number::{NumberAt, number_at};
use super::period::{PeriodContext, period_at};
use super::text::normalise;
use super::text::starts_at as starts;
use crate::places;

/// The publication date a text gives: a line that is a date (2024-10-29), or 2024年10月29日 or
/// 2024-10-29 within one of its first lines.
pub fn find_date(text: &str) -> Option<Date> {
    for line in text.lines().take(4) {
        let t = line.trim();
        if let Ok(d) = t.parse::<Date>() {
            return Some(d);
        }
        let chars: Vec<char> = normalise(t).chars().collect();
        for i in 0..chars.len() {
            let Some(y) = number_at(&chars, i).filter(|n| n.len == 4) else { continue };
            // 发布日期:2024-03-15 within a line.
            if chars.get(i + 4) == Some(&'-') {
                let iso: String = chars[i..(i + 10).min(chars.len())].iter().collect();
                if let Ok(d) = iso.parse::<Date>() {
                    return Some(d);
                }
            }
            if chars.get(i + 4) != Some(&'年') {
                continue;
            }
            let Some(m) = number_at(&chars, i + 5) else { continue };
            if chars.get(i + 5 + m.len) != Some(&'月') {
                continue;
            }
            let Some(d) = number_at(&chars, i + 6 + m.len) else { continue };
            if chars.get(i + 6 + m.len + d.len) == Some(&'日')
                && let Some(date) = Date::new(y.value as i32, m.value as u8, d.value as u8)
            {
                return Some(date);
            }
        }
    }
    dateline_date(text, current_year())
}

/// A dateline such as 中新网重庆10月29日电 gives month and day; the year is the latest year the
/// text mentions that is not after `this_year` (a report speaks of its own year and earlier
/// ones, and of targets beyond them).
pub fn dateline_date(text: &str, this_year: i32) -> Option<Date> {
    let head: Vec<char> = text.lines().take(4).collect::<Vec<_>>().join("\n").chars().collect();
    let (month, day) = (0..head.len()).find_map(|i| {
        let m = number_at(&head, i).filter(|_| i == 0 || !head[i - 1].is_ascii_digit())?;
        let after_m = i + m.len;
        if head.get(after_m) != Some(&'月') {
            return None;
        }
        let d = number_at(&head, after_m + 1)?;
        let after_d = after_m + 1 + d.len;
        (head.get(after_d) == Some(&'日') && head.get(after_d + 1) == Some(&'电'))
            .then_some((m.value as u8, d.value as u8))
    })?;
    let chars: Vec<char> = normalise(text).chars().collect();
    let year = (0..chars.len())
        .filter_map(|i| {
            let n = number_at(&chars, i).filter(|n| n.len == 4 && (i == 0 || !chars[i - 1].is_ascii_digit()))?;
            (chars.get(i + 4) == Some(&'年')).then_some(n.value as i32)
        })
        .filter(|y| (1949..=this_year).contains(y))
        .max()?;
    Date::new(year, month, day)
}

/// The current calendar year by the system clock.
fn current_year() -> i32 {
    let days =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() / 86_400).unwrap_or(0)
            as i64;
    // Civil year from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2)) as i32
}

pub use super::candidate::Candidate;

/// Reads `text` (the whole document) and proposes figures. `published` resolves 今年 and the
/// like; without it relative periods stay unresolved (no figure is given for them).
pub fn extract(text: &str, published: Option<Date>, gazetteer: &Gazetteer) -> Vec<Candidate> {
    let original: Vec<char> = text.chars().collect();
    let chars: Vec<char> = normalise(text).chars().collect();
    let mut out = Vec::new();
    let mut zone: Option<String> = None; // the zone the passage is about
    let mut listed: Vec<String> = Vec::new(); // the last list of several zones
    let mut period: Option<(Period, String)> = None;
    let mut year_context: Option<i32> = None;
    let mut sentence_start = 0;
    let is_end = |c: char| matches!(c, '。' | '!' | '?' | ';' | '\n');
    // A period stated in a paragraph's first sentence holds for the paragraph; one stated later
    // holds for its sentence (and what goes on after a ; or with 其中).
    let mut paragraph_period: Option<(Period, String)> = None;
    let mut document_period: Option<(Period, String)> = None;
    // The period the paragraph's first figures took.
    let mut figures_period: Option<(Period, String)> = None;
    let mut evaluation: Option<(Period, String)> = None;
    let mut rank_indicator: Option<&'static str> = None;
    let mut listed_period: Option<(Period, String)> = None;
    let mut last_indicator: Option<&'static str> = None;
    let mut first_in_paragraph = true;
    let mut previous_end = '\n';
    // The province a 全省 speaks of: named in the text, else the one its zones are in (a
    // bulletin on 长沙, 湘潭 and 娄底 is 湖南's).
    let province = super::aggregate::text_province(&chars).or_else(|| zones_province(&chars, gazetteer));
    let home_zone = home_zone(&chars, gazetteer);
    let mut plan: Option<(Period, String)> = None;
    let mut aliases: Vec<(Vec<char>, String)> = Vec::new();
    let mut last_zone: Option<String> = None;
    let mut named_without_figure: Option<&'static str> = None;
    let mut last_aggregate: Option<String> = None;
    let mut first_aggregate: Option<String> = None;
    let mut levelled: Vec<&'static str> = Vec::new();
    let mut target = false;
    let tables = super::table::find_tables(&chars, gazetteer);
    while sentence_start < chars.len() {
        // A table: read by the table reader with what the prose has established so far.
        if let Some(table) = tables.iter().find(|t| t.start == sentence_start) {
            let context = PeriodContext { published, year: year_context };
            let table_context = super::table::TableContext {
                indicator: None,
                overall_ranking: false,
                period: period.clone().or(document_period.clone()).map(|p| p.0),
                caption_period: None,
                evaluation: evaluation.clone().map(|p| p.0),
                unit: None,
                level_units: Vec::new(),
                province: province.clone(),
            }
            .read_caption(&chars, table.start, &context);
            let mut zones: Vec<String> = Vec::new();
            for f in super::table::read_table(table, &chars, gazetteer, &table_context) {
                if !zones.contains(&f.entity) {
                    zones.push(f.entity.clone());
                }
                out.extend(candidate(
                    &f.entity,
                    &f.indicator,
                    f.measure,
                    f.period,
                    "",
                    f.value,
                    &f.unit,
                    None,
                    original.as_slice(),
                    f.span,
                ));
            }
            // 前8位国家级经开区合计…: the zones of the table, together.
            if zones.len() > 1 {
                listed = zones;
            }
            sentence_start = table.end + 1;
            previous_end = '\n';
            continue;
        }
        let end = (sentence_start..chars.len()).find(|&i| is_end(chars[i])).unwrap_or(chars.len());
        if previous_end == '\n' {
            // A new paragraph that names no period anywhere goes on with the last one a
            // paragraph stated (a bulletin states its period once, at the top); one that names
            // a period later on is a new passage, and what comes before its period has none.
            // The period later paragraphs go on with is the one this paragraph's first figures
            // took (今年以来，面对…。1—6月，… hands on January to June), else the one it stated.
            let stated = figures_period.take().or(paragraph_period.clone());
            // A stock's date (截至去年底) is no period for the flows of later paragraphs.
            if stated.as_ref().is_some_and(|p| !matches!(p.0, Period::At(_))) {
                document_period = stated;
            }
            let paragraph_end = (sentence_start..chars.len()).find(|&i| chars[i] == '\n').unwrap_or(chars.len());
            let context = PeriodContext { published, year: year_context };
            // (A stock's date, 截至2022年末, does not start a new passage of flows; 去年同期 is
            // a comparison's base.)
            // (A period the text already speaks of, named again, is no new passage: 广安经开区
            // 上半年… in a bulletin on the first half.)
            let inherited = document_period.as_ref().map(|p| p.0);
            // Phrase by phrase: 前三季度 is one period, not 三季度 within it as well.
            let mut names_a_period = false;
            let mut i = sentence_start;
            while i < paragraph_end && !names_a_period {
                let compared = (i > 0 && matches!(chars[i - 1], '比' | '较'))
                    || starts(&chars, i, "去年同期")
                    || starts(&chars, i, "上年同期");
                match period_at(&chars, i, &context).filter(|_| !compared) {
                    Some(p) => {
                        names_a_period = !matches!(p.period, Period::At(_)) && Some(p.period) != inherited;
                        i += p.len.max(1);
                    }
                    None => i += 1,
                }
            }
            paragraph_period = if names_a_period { None } else { document_period.clone() };
            first_in_paragraph = true;
            // 排名第109位 goes on with a ranking of its own paragraph, not of one before.
            rank_indicator = None;
        }
        let continues = previous_end == ';' || starts(&chars, sentence_start, "其中");
        if previous_end != ';' {
            target = false;
        }
        if !continues {
            period = paragraph_period.clone();
        }
        let figures_before = out.len();
        let period_before = period.clone();
        read_sentence(
            &chars,
            &original,
            sentence_start,
            end,
            published,
            gazetteer,
            &mut Reading {
                last_indicator: &mut last_indicator,
                listed_period: &mut listed_period,
                rank_indicator: &mut rank_indicator,
                evaluation: &mut evaluation,
                zone: &mut zone,
                listed: &mut listed,
                period: &mut period,
                year: &mut year_context,
                province: province.as_deref(),
                home_zone: home_zone.as_deref(),
                plan: &mut plan,
                aliases: &mut aliases,
                last_zone: &mut last_zone,
                named_without_figure: &mut named_without_figure,
                levelled: &mut levelled,
                target: &mut target,
                last_aggregate: &mut last_aggregate,
                first_aggregate: &mut first_aggregate,
            },
            &mut out,
        );
        // Within a paragraph, its first sentence's period holds for what follows, and so does
        // the period of a sentence that states one and gives no figure (上半年，经济运行稳中向
        // 好。实现地区生产总值…); a period stated with figures holds for its sentence.
        let gave_figures = out.len() > figures_before;
        let stated_alone = !gave_figures && period != period_before && period.is_some();
        if (first_in_paragraph || stated_alone) && end > sentence_start {
            paragraph_period = period.clone();
            first_in_paragraph = false;
        }
        if gave_figures && figures_period.is_none() {
            figures_period = period.clone();
        }
        previous_end = chars.get(end).copied().unwrap_or('\n');
        sentence_start = end + 1;
    }
    drop_restated_thresholds(&mut out, &chars, is_end);
    out
}

/// 工业总产值1,038.4亿元,增长11.5%,首次突破千亿元大关: a threshold crossed (突破, 超过) that the
/// exact figure before it in the same sentence already passes says that figure again, and is
/// no figure of its own.
fn drop_restated_thresholds(out: &mut Vec<Candidate>, chars: &[char], is_end: impl Fn(char) -> bool) {
    let same_sentence = |from: usize, to: usize| {
        from <= to && !chars[from.min(chars.len())..to.min(chars.len())].iter().any(|&c| is_end(c))
    };
    let restated: Vec<bool> = (0..out.len())
        .map(|k| {
            let t = &out[k];
            if t.qualifier != Some(Qualifier::Over) || t.measure != crate::model::Measure::Value {
                return false;
            }
            // Figures come in the text's order: only those of the sentence, just before, are
            // looked at (a whole report's figures would make this quadratic).
            out[..k].iter().rev().take_while(|e| same_sentence(e.quote_span.1, t.quote_span.0)).any(|e| {
                e.qualifier.is_none()
                    && e.measure == t.measure
                    && e.period == t.period
                    && e.unit.base == t.unit.base
                    && e.unit.normalise(e.value) >= t.unit.normalise(t.value)
                    && e.indicator == t.indicator
                    && e.entity == t.entity
            })
        })
        .collect();
    let mut k = 0;
    out.retain(|_| {
        k += 1;
        !restated[k - 1]
    });
}

struct Reading<'a> {
    /// The indicator of the last sentence that named one.
    last_indicator: &'a mut Option<&'static str>,
    /// The period in force when `listed` was named.
    listed_period: &'a mut Option<(Period, String)>,
    /// The indicator the last rank was of.
    rank_indicator: &'a mut Option<&'static str>,
    /// The year of a MOFCOM evaluation the text named, for ranks stated without a period.
    evaluation: &'a mut Option<(Period, String)>,
    zone: &'a mut Option<String>,
    listed: &'a mut Vec<String>,
    period: &'a mut Option<(Period, String)>,
    year: &'a mut Option<i32>,
    /// The indicators the last sentence with levels gave levels of (for 其余指标分别增长…).
    levelled: &'a mut Vec<&'static str>,
    /// The sentence (and what goes on after its ;) states a plan or a target: no figures.
    target: &'a mut bool,
    /// The zone of the city the dateline or title names (本报太原4月21日电 → 太原经开区), for
    /// 经开区 alone.
    home_zone: Option<&'a str>,
    /// The five-year span the text named (“十四五”期间), for 五年来 and 五年累计.
    plan: &'a mut Option<(Period, String)>,
    /// Names the text defined (以下简称X), longest first, with what they stand for.
    aliases: &'a mut Vec<(Vec<char>, String)>,
    /// An indicator the last sentence named without giving a figure of it (a heading line).
    named_without_figure: &'a mut Option<&'static str>,
    /// The last single zone named, for 我区 after a total took the subject.
    last_zone: &'a mut Option<String>,
    /// The province the text is about, for 全省国家级经开区.
    province: Option<&'a str>,
    /// The total over zones the text introduced last (这49个国家级开发区 refers back to it).
    last_aggregate: &'a mut Option<String>,
    /// The total the text introduced first: its subject, which 国家级经开区 alone refers to.
    first_aggregate: &'a mut Option<String>,
}

impl Reading<'_> {
    /// The period a figure of `indicator` takes: a MOFCOM rank the evaluation's year when the
    /// text named one (the evaluation of 2024 scores 2023's data), anything else the period
    /// in force.
    fn period_of(&self, indicator: &str) -> (Period, String) {
        let evaluation = self.evaluation.clone().filter(|_| indicator.starts_with("综合发展水平排名"));
        evaluation.or(self.period.clone()).unwrap_or((Period::Unspecified, String::new()))
    }

    /// The period of a rank: in a text about an evaluation, its year for the overall ranking and
    /// for the single-indicator rankings it publishes (利用外资：…列全国第9位), not for a rank of
    /// a growth rate (a statistics office's).
    fn period_of_rank(&self, indicator: &str, year_in_clause: bool) -> (Period, String) {
        // A single-indicator rank whose clause names its year (2022年其实际使用外资规模居…第7位)
        // is of that year.
        let own_year = year_in_clause && !indicator.starts_with("综合发展水平排名");
        let evaluation = self.evaluation.clone().filter(|_| !indicator.contains("增速排名") && !own_year);
        evaluation.or(self.period.clone()).unwrap_or((Period::Unspecified, String::new()))
    }
}

#[allow(clippy::too_many_arguments)]
fn read_sentence(
    chars: &[char],
    original: &[char],
    start: usize,
    end: usize,
    published: Option<Date>,
    gazetteer: &Gazetteer,
    st: &mut Reading<'_>,
    out: &mut Vec<Candidate>,
) {
    // 其中第三季度完成421.3亿元: a part of what the sentence before gave. A line that opens
    // with its number (📊 地区生产总值 / 436.2亿元｜↑6.9%) gives the indicator the line before
    // named without a figure.
    let opens_with_number = (start..end)
        .find(|&k| is_cjk(chars[k]) || chars[k].is_ascii_digit())
        .is_some_and(|k| chars[k].is_ascii_digit());
    // 分季度看，一季度增长4.8%，二季度增长5.9%: the figure before, told period by period.
    let by_period = BY_PERIOD.iter().any(|w| starts(chars, start, w));
    let indicator: Option<&'static str> = if starts(chars, start, "其中") || by_period {
        *st.last_indicator
    } else if opens_with_number {
        st.named_without_figure.take()
    } else {
        None
    };
    let t = Text { chars, original, start, end, published, gazetteer };
    let mut s = Sentence::new(indicator, out.len(), start, st.zone.clone());
    let mut i = start;
    while i < end {
        if let Some(next) = read_mark(&mut s, t, st, i) {
            i = next;
            continue;
        }
        if let Some(next) = read_subject(&mut s, t, st, i) {
            i = next;
            continue;
        }
        if let Some(next) = read_period_or_word(&mut s, t, st, i) {
            i = next;
            continue;
        }
        i = read_figure(&mut s, t, st, out, i);
    }
    // 综合排名前十的国家级经开区依次为：A、B、C…: places 1, 2, 3… in the order named.
    let ranking_words = starts_any(chars, start, end, &["排名", "前十", "前10", "名单", "排序", "位次"]);
    if s.respectively && s.respectively_values.is_empty() && s.after_respectively.len() >= 2 && ranking_words && !s.host
    {
        let ranked = s
            .indicator
            .filter(|i| !i.starts_with("综合发展水平"))
            .map(str::to_string)
            .or_else(|| st.evaluation.is_some().then(|| "综合发展水平排名".to_string()));
        if let Some(ranked) = ranked {
            let (p, ptext) = st.period_of_rank(&ranked, s.year_in_clause);
            for (k, zone) in s.after_respectively.iter().enumerate() {
                let span = (s.clause_start.min(end), end);
                out.extend(candidate(zone, &ranked, "rank", p, &ptext, (k + 1) as f64, "位", None, original, span));
            }
        }
    }
    // 分别: values in the order the zones were named (in this sentence or the last list).
    if s.respectively && !s.respectively_values.is_empty() {
        let list = RespectivelyList {
            values: &s.respectively_values,
            clause_mentions: &s.clause_mentions,
            mentioned: &s.mentioned,
            clause_periods: &s.clause_periods,
            named: &s.named,
            levelled: &s.levelled,
            rated: &s.rated,
            indicator: s.indicator,
            rank: s.respectively_rank.as_deref(),
            host: s.host,
        };
        assign_respectively(&list, original, st, out);
    } else if s.mentioned.len() > 1 {
        *st.listed = s.mentioned;
        *st.listed_period = st.period.clone();
    }
    if s.indicator.is_some() {
        *st.last_indicator = s.indicator;
    }
    *st.named_without_figure = s.indicator.filter(|_| out.len() == s.figures_before);
    if !s.levelled.is_empty() {
        *st.levelled = s.levelled;
    }
    if s.proposed_subject.is_some() && *st.zone == s.proposed_subject {
        *st.zone = s.zone_before;
    }
}

/// Openings of a sentence that tells the figure of the sentence before period by period.
const BY_PERIOD: [&str; 8] =
    ["分季度看", "分季度来看", "分月看", "分月份看", "分月来看", "从季度看", "从各季度看", "分季看"];

/// The text a sentence is read from: its characters (normalised and as written), where the
/// sentence runs, the publication date and the names known.
#[derive(Clone, Copy)]
struct Text<'a> {
    chars: &'a [char],
    original: &'a [char],
    start: usize,
    end: usize,
    published: Option<Date>,
    gazetteer: &'a Gazetteer,
}

/// What a sentence has said so far, as `read_sentence` reads it left to right: its subject and
/// indicator, the zones, periods and values named in the current clause, and the 分别 list.
struct Sentence {
    indicator: Option<&'static str>,
    /// Figures found before this sentence: whether it named an indicator without a figure.
    figures_before: usize,
    host: bool,
    /// The host named as the subject (长沙市地区生产总值…排第2位), not only as the field of a rank
    /// (居全市第三): its ranks are the host's too.
    host_subject: bool,
    /// A total named in this sentence (全省6家国家级经开区合计…) is the subject of its 合计.
    aggregate_named: bool,
    mentioned: Vec<String>,
    /// The zones named in the clause where 分别 appears, with where each was named.
    clause_mentions: Vec<(usize, String)>,
    /// The periods named in the clause, for 一季度、二季度、三季度分别….
    clause_periods: Vec<(usize, (Period, String))>,
    clause_start: usize,
    respectively: bool,
    respectively_values: Vec<ListedValue>,
    /// (measure, sign)
    measure_hint: Option<(&'static str, f64)>,
    share_clause: bool,
    /// The clause names its year (2022年其…居第7位).
    year_in_clause: bool,
    /// Indicators given a level in this sentence, in order, and those given a rate too: 分别 after
    /// 实现A X亿元、B Y亿元 gives A's and B's growth.
    levelled: Vec<&'static str>,
    rated: Vec<&'static str>,
    named: Vec<&'static str>,
    /// 增速 since the last indicator: a rank that follows is a rank of the growth rate.
    growth_cue: bool,
    /// What the ranks of a 分列/分别 list rank, and where the word ended.
    respectively_rank: Option<String>,
    respectively_end: Option<usize>,
    /// Zones named after the 依次 (前十名依次为：A、B、C…): a ranking in the order named.
    after_respectively: Vec<String>,
    /// A zone outside the registry named here (郑州经开综合保税区进出口517.3亿元) is the subject of
    /// this sentence only: the passage goes on about the zone it was about, kept here.
    zone_before: Option<String>,
    proposed_subject: Option<String>,
}

impl Sentence {
    /// A sentence not yet read: its indicator so far, the figures found before it, where its
    /// first clause starts and the zone the passage was about.
    fn new(
        indicator: Option<&'static str>,
        figures_before: usize,
        start: usize,
        zone_before: Option<String>,
    ) -> Sentence {
        Sentence {
            indicator,
            figures_before,
            host: false,
            host_subject: false,
            aggregate_named: false,
            mentioned: Vec::new(),
            clause_mentions: Vec::new(),
            clause_periods: Vec::new(),
            clause_start: start,
            respectively: false,
            respectively_values: Vec::new(),
            measure_hint: None,
            share_clause: false,
            year_in_clause: false,
            levelled: Vec::new(),
            rated: Vec::new(),
            named: Vec::new(),
            growth_cue: false,
            respectively_rank: None,
            respectively_end: None,
            after_respectively: Vec::new(),
            zone_before,
            proposed_subject: None,
        }
    }
}

/// Punctuation, names the text defines and uses, and lists of zones or totals written as one
/// (西青、武清、北辰经开区; 东部、中部和西部地区): where the reading goes on, if one is at `i`.
fn read_mark(s: &mut Sentence, t: Text<'_>, st: &mut Reading<'_>, mut i: usize) -> Option<usize> {
    let Text { chars, start, gazetteer, .. } = t;
    let c = chars[i];
    if c == ',' || c == ':' || c == ';' {
        s.clause_start = i + 1;
        // 下降幅度较大，为27.4%: a clause of only 为 and its figure completes the one before.
        let completes =
            c == ',' && chars.get(i + 1) == Some(&'为') && chars.get(i + 2).is_some_and(|d| d.is_ascii_digit());
        if !completes {
            s.measure_hint = None;
        }
        s.share_clause = false;
        s.year_in_clause = false;
        if c == ';' {
            s.indicator = None;
        }
        i += 1;
        return Some(i);
    }
    if c == '占' {
        // 占全市的比重: the host is the denominator here, not the subject.
        s.share_clause = true;
    }
    // (以下简称“两区”): a name the text defines for what it just named, for the rest of it.
    if let Some((alias, len)) = alias_definition_at(chars, i) {
        // Several zones named just before it: the name is theirs together.
        let named_here: Vec<String> =
            s.clause_mentions.iter().filter(|(at, _)| *at >= s.clause_start).map(|(_, z)| z.clone()).collect();
        let entity = if named_here.len() > 1 { Some(named_here.join("+")) } else { st.zone.clone() };
        if let Some(entity) = entity.filter(|_| !s.mentioned.is_empty()) {
            st.aliases.push((alias.chars().collect(), entity));
            st.aliases.sort_by_key(|(name, _)| std::cmp::Reverse(name.len()));
        }
        i += len;
        return Some(i);
    }
    if let Some((alias, entity)) = st.aliases.iter().find(|(a, _)| chars.get(i..i + a.len()) == Some(a.as_slice())) {
        let (len, entity) = (alias.len(), entity.clone());
        if !s.share_clause {
            if !s.mentioned.contains(&entity) {
                s.mentioned.push(entity.clone());
            }
            *st.zone = Some(entity);
            s.host = false;
            s.host_subject = false;
        }
        i += len;
        return Some(i);
    }
    // 四家经开区, 三家国家级经开区: the zones just listed, when the count is theirs.
    let listed = if s.mentioned.len() > 1 { &s.mentioned } else { &*st.listed };
    // (Not after 分列: A、B、C分列前三位 are places, not the three together.)
    let counted =
        zones_counted_at(chars, i, listed.len()).filter(|_| listed.len() > 1 && !s.share_clause && !s.respectively);
    if let Some(len) = counted {
        *st.zone = Some(listed.join("+"));
        s.host = false;
        i += len;
        return Some(i);
    }
    // 西青、武清、北辰经开区: zones listed with the zone word written once, at the end.
    if let Some((zones, len)) = elliptical_zones_at(chars, i, start, gazetteer).filter(|_| !s.share_clause) {
        for z in &zones {
            if !s.mentioned.contains(z) {
                s.mentioned.push(z.clone());
            }
            if !s.respectively {
                s.clause_mentions.push((i, z.clone()));
            }
        }
        *st.zone = zones.last().cloned();
        s.host = false;
        i += len;
        return Some(i);
    }
    // 东部、中部和西部地区国家级经开区: a list of totals, for 分别 and 依次.
    if let Some((regions, len)) = region_list_at(chars, i).filter(|_| !s.share_clause) {
        for r in &regions {
            if !s.mentioned.contains(r) {
                s.mentioned.push(r.clone());
            }
            if !s.respectively {
                s.clause_mentions.push((i, r.clone()));
            }
        }
        s.host = false;
        i += len;
        return Some(i);
    }
    None
}

/// What the sentence is about, if it is named at `i`: a total, a zone of the registry or one
/// proposed, the host (全市, 广西, 南岸区), a back reference (我区), a target, 分别/依次, 合计.
fn read_subject(s: &mut Sentence, t: Text<'_>, st: &mut Reading<'_>, mut i: usize) -> Option<usize> {
    let Text { chars, start, published, gazetteer, .. } = t;
    let c = chars[i];
    let aggregate_context = AggregateContext {
        province: st.province,
        first: st.first_aggregate.as_deref(),
        last: st.last_aggregate.as_deref(),
    };
    // 居全省国家级经开区第1位, 在全国国家级经开区中: the field of a ranking, not the subject.
    // (升级为国家级经济技术开发区, 是…: what the zone is, not a new subject.)
    let scope = i > 0 && matches!(chars[i - 1], '居' | '在' | '列' | '于' | '占' | '比' | '较' | '为' | '是');
    let aggregate = aggregate_at(chars, i, aggregate_context);
    // 全省国家级经开区 in a text whose province is unknown: a total of no known entity.
    if aggregate.is_none()
        && st.province.is_none()
        && ["全省", "我省", "本省"].iter().any(|w| starts(chars, i, w))
        && let Some((_, len)) = aggregate_at(chars, i + 2, AggregateContext::default())
    {
        i += 2 + len;
        s.host = true;
        return Some(i);
    }
    if let (true, Some((_, len))) = (scope, &aggregate) {
        i += len;
        return Some(i);
    }
    if let Some((entity, _)) = aggregate.as_ref().filter(|_| !s.share_clause) {
        *st.last_aggregate = Some(entity.clone());
        if st.first_aggregate.is_none() {
            *st.first_aggregate = Some(entity.clone());
        }
    }
    // 苏州工业园综合保税区 starts like 苏州工业园(区) but is a zone of its own.
    let bonded = |len: usize| ["综合保税区", "保税区", "保税港区"].iter().any(|w| starts(chars, i + len, w));
    let known = aggregate
        .or_else(|| gazetteer.at(chars, i).map(|(e, len)| (e.to_string(), len)))
        .filter(|(_, len)| !bonded(*len));
    let proposed = if known.is_none() { new_zone_at(chars, i, start, gazetteer) } else { None };
    if let Some((entity, _)) = &proposed {
        s.proposed_subject = Some(entity.clone());
    }
    let aggregate_found = known.as_ref().is_some_and(|(e, _)| is_total(e));
    let found = known.or(proposed);
    if let Some((entity, len)) = found {
        let entity = entity.as_str();
        // 占全省国家级经开区的15.1%: the denominator, not a new subject.
        if s.share_clause {
            i += len;
            return Some(i);
        }
        if !s.mentioned.iter().any(|m| m == entity) {
            s.mentioned.push(entity.to_string());
        }
        if !s.respectively {
            if i < s.clause_start || s.clause_mentions.last().is_some_and(|(at, _)| *at < s.clause_start) {
                s.clause_mentions.clear();
            }
            s.clause_mentions.push((i, entity.to_string()));
        } else if !s.after_respectively.iter().any(|m| m == entity) {
            s.after_respectively.push(entity.to_string());
        }
        *st.zone = Some(entity.to_string());
        if !aggregate_found && !entity.contains('+') {
            *st.last_zone = Some(entity.to_string());
        }
        s.host = false;
        s.host_subject = false;
        s.aggregate_named |= aggregate_found;
        i += len;
        return Some(i);
    }
    // (自治区 alone, not the tail of 宁夏回族自治区.)
    let host_word = word_at(chars, i, HOST_WORDS).filter(|w| *w != "自治区" || i == 0 || !is_cjk(chars[i - 1]));
    if let Some(w) = host_word {
        // 比全国GDP增速高, 高于全市: the host as the base of a comparison, not the subject.
        let base = i > 0 && matches!(chars[i - 1], '比' | '较' | '于');
        s.host = !s.share_clause && !base;
        i += w.chars().count();
        return Some(i);
    }
    if let Some(w) = word_at(chars, i, BACK_REFERENCES) {
        // 经开区 alone in a report datelined 太原: the zone of the text's city. 我区, 全区 after
        // a total was named (国家级经开区考核评价中，我区位列…) are the zone again.
        let a_total = st.zone.as_deref().is_some_and(is_total);
        if (st.zone.is_none() || (a_total && w != "开发区" && w != "经开区"))
            && let Some(zone) = st.last_zone.clone().or(st.home_zone.map(str::to_string))
        {
            *st.zone = Some(zone);
        }
        s.host = false;
        i += w.chars().count();
        return Some(i);
    }
    // A province or city named as the subject (广西外贸进出口总额, 苏州市实际使用外资): the
    // host's figures follow. Zone names were read above, so this is no zone's name.
    if let Some((len, found)) = places::Places::bundled().len_at(chars, i) {
        let ends_with_district = chars[i + len - 1] == '区';
        let counted =
            number_at(chars, i + len).is_some_and(|n| matches!(chars.get(i + len + n.len), Some('家' | '个')));
        // Only as a subject: 广西外贸进出口总额, 黑龙江省增长6.1%; not 重庆跨境宝 (a firm).
        // 滨海新区）GDP, 广西 外贸: a closing bracket or a space may stand between.
        let mut k = (i + len..chars.len()).find(|&k| !matches!(chars[k], ')' | '）' | ' ')).unwrap_or(chars.len());
        // 宁夏全区, 苏州全市: the whole of that place (its 全区 is not the zone's).
        let mut subject_end = i + len;
        if let Some(w) = word_at(chars, k, &["全自治区", "全区", "全市", "全省", "全县"]) {
            k += w.chars().count();
            subject_end = k;
        }
        let subject = figures_follow(chars, k, &PeriodContext { published, year: *st.year });
        // A district too: 龙泉驿区实现地区生产总值 is the district's, not 成都经开区's.
        let district_short = found.iter().all(|p| p.level == places::Level::District) && !ends_with_district;
        if !district_short && !counted && subject {
            s.host = !s.share_clause;
            s.host_subject = s.host;
            return Some(subject_end);
        }
    }
    // A new area (国家级新区) that is no division and no zone, named as the subject: 金普新区
    // 地区生产总值增长6.2% in a report on 大连经开区 is the area's figure, not the zone's.
    let boundary = i == start || !is_cjk(chars[i - 1]);
    if let Some(len) = (2..=4).find(|&n| {
        boundary
            && chars.get(i..i + n).is_some_and(|name| name.iter().all(|c| is_cjk(*c)))
            && starts(chars, i + n, "新区")
            && !starts_any(chars, i, i + n, &["开发", "园区", "该", "本", "我", "全"])
    }) && figures_follow(chars, i + len + 2, &PeriodContext { published, year: *st.year })
    {
        s.host = !s.share_clause;
        s.host_subject = s.host;
        return Some(i + len + 2);
    }
    // A district or city named as the subject: 南岸区, 重庆市 (not inside a zone name); after
    // 居, 列 or 在 it is the field of a ranking (增速居襄阳市各县第一).
    let field = starts_any(chars, i.saturating_sub(4), i, &["居", "列", "在"]);
    if (c == '市' || c == '省' || (c == '区' && starts_any(chars, s.clause_start, i, &["所在"])))
        && !field
        && i > start
        && chars[i - 1] != '全'
        && is_cjk(chars[i - 1])
        && !chars.get(i + 1).is_some_and(|n| *n == '场' || *n == '内' || *n == '级')
    {
        // "所在的南岸区", "重庆市": the host.
        s.host = !s.share_clause;
        s.host_subject = s.host;
    }
    if let Some(w) = word_at(chars, i, TARGET_WORDS) {
        *st.target = true;
        i += w.chars().count();
        return Some(i);
    }
    if let Some(w) = word_at(chars, i, &["分别", "分列", "依次"]) {
        s.respectively = true;
        i += w.chars().count();
        s.respectively_end = Some(i);
        return Some(i);
    }
    if (starts(chars, i, "合计") || starts(chars, i, "共计")) && s.mentioned.len() > 1 {
        *st.listed = s.mentioned.clone();
        *st.listed_period = st.period.clone();
    }
    None
}

/// A period, an indicator or a measure's cue at `i`.
fn read_period_or_word(s: &mut Sentence, t: Text<'_>, st: &mut Reading<'_>, mut i: usize) -> Option<usize> {
    let Text { chars, original, start, end, published, .. } = t;
    let context = PeriodContext { published, year: *st.year };
    // 比2022年增长: the year compared against, not the period of the figure.
    // 比2022年, 较“十三五”末: the base compared against.
    let quote = usize::from(i > start && matches!(chars[i - 1], '"' | '“'));
    let comparison_base = i > start + quote && matches!(chars[i - 1 - quote], '比' | '较');
    // 五年来, 五年累计: the five-year plan the text reviews.
    if let (Some(w), Some(plan)) = (word_at(chars, i, &["五年来", "五年累计", "五年间"]), st.plan.clone()) {
        *st.period = Some(plan);
        i += w.chars().count();
        return Some(i);
    }
    // The base is passed over whole: 比1—9月 read on from 9月 would be September.
    let period = period_at(chars, i, &context);
    if let (true, Some(p)) = (comparison_base, &period) {
        i += p.len;
        return Some(i);
    }
    if let Some(p) = period
        && !(p.len == 5 && chars.get(i + 5).is_some_and(|c| c.is_ascii_digit()))
    {
        let text: String = original[i..i + p.len].iter().collect();
        if p.explicit_year {
            s.year_in_clause = true;
            if let Period::Year(y) = p.period {
                *st.year = Some(y);
                // 2024年…综合发展水平考核评价: ranks of that evaluation take its year.
                if starts_any(chars, i, end, &["考核评价", "综合发展水平"]) {
                    *st.evaluation = Some((p.period, original[i..i + p.len].iter().collect()));
                }
            }
        }
        if s.clause_periods.last().is_some_and(|(at, _)| *at < s.clause_start) {
            s.clause_periods.clear();
        }
        s.clause_periods.push((i, (p.period, text.clone())));
        if matches!(p.period, Period::Span { start, end } if end.year - start.year == 4 && start.month == 1 && end.month == 12)
        {
            *st.plan = Some((p.period, text.clone()));
        }
        *st.period = Some((p.period, text));
        i += p.len;
        return Some(i);
    }
    if let Some(name) = indicator_at(chars, i) {
        // 税收收入…占一般公共预算收入的90.3%: the indicator after 占 is the denominator.
        if s.share_clause && s.indicator.is_some() {
            i += name.0.chars().count();
            return Some(i);
        }
        s.indicator = Some(name.1);
        if !s.named.contains(&name.1) {
            s.named.push(name.1);
        }
        s.growth_cue = false;
        i += name.0.chars().count();
        return Some(i);
    }
    if let Some((word, cue)) = cue_at(chars, i) {
        // 同比+8.1% on the line after GDP突破千亿元: a rate at a sentence's start goes on
        // with the indicator of the sentence before.
        if s.indicator.is_none() && i == start && cue.is_some() && word != "第" && word != "占" {
            s.indicator = *st.last_indicator;
        }
        // 中西部地区国家级经开区实现地区生产总值…，同比增长9.7%；东部地区国家级经开区同比增长
        // 7.6% (滨海新区GDP为8,760.2亿元；TEDA约占滨海新区的31.5%): after a semicolon, another
        // subject's rate or share with no indicator of its own, and no figure before it
        // (牡丹江经开区位列第175位，较上年上升16位 is a rank's change), is of the indicator before.
        if s.indicator.is_none()
            && start > 0
            && chars[start - 1] == ';'
            && !s.mentioned.is_empty()
            && !(start..i).any(|k| chars[k].is_ascii_digit())
            && cue.is_some()
            && word != "第"
        {
            s.indicator = *st.last_indicator;
        }
        if matches!(word, "增速" | "增幅") {
            s.growth_cue = true;
        }
        if let Some(cue) = cue {
            s.measure_hint = Some(cue);
        }
        // The whole word: 负增长 must not be read again as 增长.
        if word != "第" {
            i += word.chars().count();
            return Some(i);
        }
    }
    None
}

/// A rank or share written in words at `i` (分列前三位, 首位, 三分之一, 两成): given to the
/// sentence's subject or kept for its 分别 list; where the reading goes on, if one is there.
fn read_rank_words(
    s: &mut Sentence,
    t: Text<'_>,
    st: &mut Reading<'_>,
    out: &mut Vec<Candidate>,
    mut i: usize,
) -> Option<usize> {
    let Text { chars, original, end, .. } = t;
    // A、B、C分列前三位: places 1 to N, one each, in the order named.
    let right_after_respectively = s.respectively_end.is_some_and(|e| {
        let between: String = chars[e.min(i)..i].iter().collect();
        ["", "位列", "居", "位居", "列", "排", "排名", "排在", "为"].contains(&between.as_str())
    });
    if right_after_respectively
        && chars.get(i) == Some(&'前')
        && let Some(n) = number_at(chars, i + 1).filter(|n| matches!(chars.get(i + 1 + n.len), Some('位' | '名')))
    {
        if let Some(ranked_on) = rank_indicator(chars, s.clause_start, i, s.indicator, s.growth_cue, st) {
            let next = (i + 2 + n.len).min(end);
            for rank in 1..=(n.value as usize).min(50) {
                s.respectively_values.push(ListedValue {
                    value: rank as f64,
                    unit: "位".into(),
                    measure: "rank",
                    qualifier: None,
                    span: (s.clause_start, next),
                });
            }
            s.respectively_rank = Some(ranked_on);
        }
        i += 2 + n.len;
        return Some(i);
    }
    // 首位 (居东北地区首位): the first place of a ranking.
    if starts(chars, i, "首位") {
        if let Some(ranked_on) = rank_indicator(chars, s.clause_start, i, s.indicator, s.growth_cue, st)
            && let (false, Some(entity)) = (s.host_subject, st.zone.clone())
        {
            let (p, ptext) = st.period_of_rank(&ranked_on, s.year_in_clause);
            let span = (s.clause_start, (i + 2).min(end));
            out.extend(candidate(&entity, &ranked_on, "rank", p, &ptext, 1.0, "位", None, original, span));
        }
        i += 2;
        return Some(i);
    }
    // 三分之一, 两成, 八成以上: a share written in words.
    if let Some((value, len)) = share_in_words(chars, i) {
        if let (false, Some(entity), Some(indicator)) = (s.host, st.zone.clone(), s.indicator) {
            let qualifier = qualifier_around(chars, i, i + len);
            let (p, ptext) = st.period_of(indicator);
            let span = (s.clause_start, (i + len).min(end));
            // 增长约三成 is growth written in words; 占近三分之一 a share.
            let measure = match s.measure_hint {
                Some(("yoy_pct", _)) => "yoy_pct",
                _ => "share_pct",
            };
            out.extend(candidate(&entity, indicator, measure, p, &ptext, value, "%", qualifier, original, span));
        }
        i += len;
        return Some(i);
    }
    None
}

/// A number at `i` that is a place in a ranking (第4位, 第6至第8位) or a change of place (前进4
///位): given to the sentence's subject or kept for its 分别 list; where the reading goes on.
fn read_rank_number(
    s: &mut Sentence,
    t: Text<'_>,
    st: &mut Reading<'_>,
    out: &mut Vec<Candidate>,
    i: usize,
    n: &NumberAt,
) -> Option<usize> {
    let Text { chars, original, start, end, .. } = t;
    let after = i + n.len;
    // 前进4位, 后退8位, 较上年前移6位: a change of rank, places gained (a fall negative).
    // 位, 个位次, 位次, 个名次: places.
    let places_word = ["个位次", "个名次", "位次", "名次", "位"].iter().find(|w| starts(chars, after, w));
    if let (Some(sign), Some(places_word)) = (rank_change_before(chars, i), places_word) {
        let ranked = s.indicator.or(*st.rank_indicator).unwrap_or("综合发展水平排名");
        if let (false, Some(entity), true) = (s.host_subject, st.zone.clone(), ranked.starts_with("综合发展水平排名"))
        {
            let (p, ptext) = st.period_of("综合发展水平排名变化");
            let span = (s.clause_start, (after + places_word.chars().count()).min(end));
            let value = sign * n.value;
            out.extend(candidate(
                &entity,
                "综合发展水平排名变化",
                "value",
                p,
                &ptext,
                value,
                "位",
                None,
                original,
                span,
            ));
        }
        return Some(after + places_word.chars().count());
    }
    // 第一, 第4位, 第6至第8位, 第十八名: a position in a ranking.
    let ordinal = i > start && chars[i - 1] == '第';
    // 第二产业, 第一批: an ordinal that names something else.
    let ends_a_rank = |k: usize| {
        chars.get(k).is_none_or(|c| !is_cjk(*c) || matches!(c, '位' | '名' | '和' | '及' | '与' | '、' | '至'))
    };
    if ordinal && ends_a_rank(after) {
        let last = if matches!(chars.get(after), Some('至' | '-' | '~' | '—')) && chars.get(after + 1) == Some(&'第')
        {
            number_at(chars, after + 2).map(|m| (m.value, after + 2 + m.len))
        } else {
            None
        };
        let (to, next) = last.unwrap_or((n.value, after));
        let next = next + usize::from(matches!(chars.get(next), Some('位' | '名')));
        let ranked_on = rank_indicator(chars, s.clause_start, i - 1, s.indicator, s.growth_cue, st);
        // A rank ignores host words (居全市第三, 全国第11位 name its field), not a host
        // subject or a ranking of cities (在全国城市中排名第四).
        let of_cities = starts_any(chars, s.clause_start, i, &["城市"]);
        if let (Some(ranked_on), false, false) = (ranked_on, s.host_subject, of_cities) {
            let (mut p, ptext) = st.period_of_rank(&ranked_on, s.year_in_clause);
            // 由上年的第27位: last year's place.
            if starts_any(chars, i.saturating_sub(5), i, &["上年的", "去年的", "上年第", "去年第"])
                && let Period::Year(y) = p
            {
                p = Period::Year(y - 1);
            }
            let mut rank = n.value;
            while rank <= to && rank - n.value < 50.0 {
                if s.respectively {
                    s.respectively_values.push(ListedValue {
                        value: rank,
                        unit: "位".into(),
                        measure: "rank",
                        qualifier: None,
                        span: (s.clause_start, next.min(end)),
                    });
                    s.respectively_rank = Some(ranked_on.clone());
                } else if let Some(entity) = st.zone.clone() {
                    let span = (s.clause_start, next.min(end));
                    out.extend(candidate(&entity, &ranked_on, "rank", p, &ptext, rank, "位", None, original, span));
                }
                rank += 1.0;
            }
        }
        return Some(next.max(i + 1));
    }
    None
}

/// The figure at `i`, if there is one (a rank, a share in words, a number with its unit),
/// given to the sentence's subject or kept for its 分别 list; returns where to read on.
fn read_figure(s: &mut Sentence, t: Text<'_>, st: &mut Reading<'_>, out: &mut Vec<Candidate>, mut i: usize) -> usize {
    let Text { chars, original, start, end, .. } = t;
    if let Some(next) = read_rank_words(s, t, st, out, i) {
        return next;
    }
    let Some(n) = number_at(chars, i) else {
        i += 1;
        return i;
    };
    let after = i + n.len;
    // 年产30万辆: a plant's capacity, not a figure of the zone.
    if i >= 2 && (starts(chars, i - 2, "年产") || starts(chars, i - 2, "产能")) {
        i = after.max(i + 1);
        return i;
    }
    // 1e400, A380, 0.5.1: not a number as reports write them.
    let glued = |k: Option<&char>| k.is_some_and(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '_');
    if (i > 0 && glued(chars.get(i - 1))) || chars.get(after).is_some_and(|c| c.is_ascii_alphabetic()) {
        i = (after..chars.len()).find(|&k| !glued(chars.get(k))).unwrap_or(chars.len()).max(i + 1);
        return i;
    }
    // A sign written before the number: 同比-3.2%, +8.1%.
    let written_sign = match i.checked_sub(1).map(|k| chars[k]) {
        Some('-' | '−') if i < 2 || !chars[i - 2].is_ascii_digit() => Some(-1.0),
        Some('+') => Some(1.0),
        _ => None,
    };
    if let Some(next) = read_rank_number(s, t, st, out, i, &n) {
        return next;
    }
    let ordinal = i > start && chars[i - 1] == '第';
    // 300余家, 1.2万余户: 余 (more than) inside the number's unit.
    let (unit, yu) = match unit_with_yu(chars, after) {
        Some(found) => found,
        None => {
            i = after.max(i + 1);
            return i;
        }
    };
    // Years, dates, phone numbers are not figures: a unit must follow. A Chinese numeral
    // counts before a counting word (一百零八家) or a sum of money (一百五十二亿元, 千亿元),
    // never as a lone 一 (一批, 一家); one that starts with 百 or 千 only before money
    // (千家万户 is a phrase).
    let money = matches!(unit, "万亿元" | "亿美元" | "万美元" | "亿元" | "万元");
    // 两位数 is not a rank: a rank in Chinese numerals is written 第十八位.
    let counting = matches!(unit, "家" | "个" | "项" | "户" | "辆") || (ordinal && matches!(unit, "位" | "名"));
    let starts_with_multiplier = matches!(chars[i], '百' | '千' | '佰' | '仟');
    if !chars[i].is_ascii_digit()
        && (!(money || counting) || (n.value == 1.0 && !money) || (starts_with_multiplier && !money))
    {
        i = after;
        return i;
    }
    // 提高1.2个和2.7个百分点: the first 个 is short for 个百分点.
    let elided_points = unit == "个"
        && matches!(chars.get(after + 1), Some('和' | '、' | '与' | '及'))
        && starts_any(chars, after + 1, end.min(after + 16), &["个百分点"]);
    // 2个月, 3个季度: a length of time, not a count.
    if unit == "个" && matches!(chars.get(after + 1), Some('月' | '季' | '百')) && !elided_points {
        i = after + 1;
        return i;
    }
    // 前30名, 后10位: the top or bottom of a list, not a position.
    if matches!(unit, "位" | "名") {
        i = after + 1;
        return i;
    }
    // 10亿元以上项目3个, 5000万元以上的企业: a size class of what is counted, not a sum.
    if money && let Some(class_end) = size_class_end(chars, after + unit.chars().count()) {
        i = class_end;
        return i;
    }
    let unit_len = unit.chars().count() + usize::from(yu);
    let unit = if elided_points { "个百分点" } else { unit };
    let unit_written = unit.to_string();
    let measure = measure_of(unit, s.measure_hint.map(|m| m.0));
    let sign = match (measure, written_sign) {
        (_, Some(s)) => s,
        ("yoy_pct" | "yoy_pp", None) => s.measure_hint.map_or(1.0, |m| m.1),
        _ => 1.0,
    };
    let qualifier = qualifier_around(chars, i, after + unit_len).or(yu.then_some(Qualifier::Over));
    let value = n.value * sign;
    let span = (s.clause_start, (after + unit_len).min(end));
    if s.respectively {
        s.respectively_values.push(ListedValue { value, unit: unit_written, measure, qualifier, span });
        i = after + unit_len;
        return i;
    }
    let together = starts_any(chars, s.clause_start, end, &["合计", "共计", "总计"]);
    let entity = if together && !s.aggregate_named && (s.mentioned.len() > 1 || st.listed.len() > 1) {
        // Their figure together: the group's own, and the passage goes on about the group.
        let members = if s.mentioned.len() > 1 { &s.mentioned } else { &*st.listed };
        let group = members.join("+");
        *st.zone = Some(group.clone());
        Some(group)
    } else {
        st.zone.clone()
    };
    if let (false, false, Some(entity), Some(indicator)) = (s.host, *st.target, entity, s.indicator) {
        let (p, ptext) = if indicator == "项目投资额" && one_projects_total(chars, start, i) {
            (Period::Unspecified, String::new())
        } else if let (true, Some(plan)) = (measure == "avg_yoy_pct", st.plan.clone()) {
            // 年均增长 in a review of a five-year plan: over the plan's years.
            plan
        } else {
            st.period_of(indicator)
        };
        let seen = if measure == "value" { &mut s.levelled } else { &mut s.rated };
        if !seen.contains(&indicator) {
            seen.push(indicator);
        }
        out.extend(candidate(&entity, indicator, measure, p, &ptext, value, &unit_written, qualifier, original, span));
    }
    after + unit_len
}

/// A sentence's 分别/依次 list: the values in the order written, and what they may belong to.
struct RespectivelyList<'s> {
    values: &'s [ListedValue],
    /// The zones named in the clause of the 分别, the sentence's, the periods of the clause.
    clause_mentions: &'s [(usize, String)],
    mentioned: &'s [String],
    clause_periods: &'s [(usize, (Period, String))],
    /// Indicators the sentence named, in order; those it gave levels of, and rates of.
    named: &'s [&'static str],
    levelled: &'s [&'static str],
    rated: &'s [&'static str],
    indicator: Option<&'static str>,
    /// What the ranks of the list rank.
    rank: Option<&'s str>,
    host: bool,
}

/// A value of a 分别 list: number, unit, measure, qualifier and its quote's span.
#[derive(Debug, Clone)]
struct ListedValue {
    value: f64,
    unit: String,
    measure: &'static str,
    qualifier: Option<Qualifier>,
    span: (usize, usize),
}

/// Gives each value of a 分别 list to what it belongs to: the zones named (in its clause, its
/// sentence, or the last list), else one zone's periods (一季度、二季度分别…), else one subject's
/// indicators (实现A X亿元、B Y亿元，分别增长 a%、b%).
fn assign_respectively(list: &RespectivelyList<'_>, original: &[char], st: &mut Reading<'_>, out: &mut Vec<Candidate>) {
    let in_clause: Vec<String> = list.clause_mentions.iter().map(|(_, z)| z.clone()).collect();
    let mentioned: Vec<String> = list.mentioned.to_vec();
    let listed = st.listed.clone();
    let listed_period = st.listed_period.clone();
    if list.mentioned.len() > 1 {
        *st.listed = list.mentioned.to_vec();
        *st.listed_period = st.period.clone();
    }
    let by_measure = |m: &str| list.values.iter().filter(|v| v.measure == m).collect::<Vec<_>>();
    for m in ["value", "yoy_pct", "yoy_pp", "share_pct", "avg_yoy_pct", "rank"] {
        let values = by_measure(m);
        // The zones of the 分别 clause, else of the sentence, else the last list: the first
        // that has as many zones as there are values.
        let zones = [&in_clause, &mentioned, &listed].into_iter().find(|z| z.len() == values.len() && z.len() > 1);
        // Zones referred back to (四家经开区…分别) keep the period they were listed in.
        let back_reference = zones.is_some_and(|z| std::ptr::eq(z, &listed));
        // One zone, several periods: 一季度、二季度、三季度分别完成 A、B、C.
        let periods: Vec<(Period, String)> = list.clause_periods.iter().map(|(_, p)| p.clone()).collect();
        if zones.is_none()
            && !list.host
            && periods.len() == values.len()
            && values.len() > 1
            && let (Some(zone), Some(indicator)) = (st.zone.clone(), list.indicator.or(*st.last_indicator))
        {
            for ((p, ptext), v) in periods.iter().zip(&values) {
                out.extend(candidate(&zone, indicator, m, *p, ptext, v.value, &v.unit, v.qualifier, original, v.span));
            }
        }
        // One subject, several indicators: 实现A X亿元、B Y亿元，分别增长 a%、b% (or only those
        // still without a rate: 其余指标分别增长…); or indicators named first and their values
        // after (A、B、C分别为 x、y、z，分别比上年增长 a、b、c).
        if zones.is_none() && !list.host && values.len() > 1 && periods.len() != values.len() {
            let named: Vec<&str> =
                list.named.iter().copied().filter(|i| !list.levelled.contains(i) && !list.rated.contains(i)).collect();
            let without_rate: Vec<&str> = list.levelled.iter().copied().filter(|i| !list.rated.contains(i)).collect();
            let last_levelled: Vec<&str> =
                list.levelled.iter().copied().skip(list.levelled.len().saturating_sub(values.len())).collect();
            let previous: Vec<&str> = st.levelled.iter().copied().filter(|i| !list.rated.contains(i)).collect();
            let lists = if m == "value" { vec![named] } else { vec![without_rate, last_levelled, previous, named] };
            let indicators = lists.into_iter().find(|l| l.len() == values.len());
            if let (Some(indicators), Some(zone)) = (indicators, st.zone.clone()) {
                for (indicator, v) in indicators.iter().zip(&values) {
                    let (p, ptext) = st.period_of(indicator);
                    out.extend(candidate(
                        &zone,
                        indicator,
                        m,
                        p,
                        &ptext,
                        v.value,
                        &v.unit,
                        v.qualifier,
                        original,
                        v.span,
                    ));
                }
                continue;
            }
        }
        let ranked = if m == "rank" { list.rank } else { list.indicator };
        if let (Some(zones), false) = (zones, list.host || m == "rank" && ranked.is_none())
            && let Some(indicator) = ranked
        {
            let evaluation = if m == "rank" && indicator.starts_with("综合发展水平排名") {
                st.evaluation.clone()
            } else {
                None
            };
            for (zone, v) in zones.iter().zip(values) {
                let inherited = if back_reference { listed_period.clone() } else { None };
                let (p, ptext) = evaluation
                    .clone()
                    .or(st.period.clone())
                    .or(inherited)
                    .unwrap_or((Period::Unspecified, String::new()));
                out.extend(candidate(zone, indicator, m, p, &ptext, v.value, &v.unit, v.qualifier, original, v.span));
            }
        }
    }
}

/// Endings of zone names, longest first.
const ZONE_ENDINGS: [&str; 6] =
    ["高新技术产业开发区", "经济技术开发区", "经济开发区", "综合保税区", "高新区", "经开区"];

/// The province all the catalog zones a text names are in, when they are in one.
fn zones_province(chars: &[char], gazetteer: &Gazetteer) -> Option<String> {
    let mut province: Option<&str> = None;
    let mut i = 0;
    while i < chars.len() {
        match gazetteer.at(chars, i) {
            Some((zone, len)) => {
                if let Some(p) = gazetteer.province_of(zone) {
                    if province.is_some_and(|q| q != p) {
                        return None;
                    }
                    province = Some(p);
                }
                i += len;
            }
            None => i += 1,
        }
    }
    province.map(str::to_string)
}

/// The zone of the first city or district the first lines name that has one of the registry's
/// zones named after it.
fn home_zone(chars: &[char], gazetteer: &Gazetteer) -> Option<String> {
    let head_end = super::text::head_end(chars);
    let places = places::Places::bundled();
    (0..head_end).find_map(|i| {
        let (word, _) = places.at(chars, i)?;
        let short = places::short_form(&word).unwrap_or(&word).to_string();
        let name: Vec<char> = format!("{short}经济技术开发区").chars().collect();
        gazetteer.at(&name, 0).filter(|(_, len)| *len == name.len()).map(|(zone, _)| zone.to_string())
    })
}

/// A zone the registry does not know, named the way zones are: a real place (an administrative
/// division, 花都, 昆明), at most four more characters and a zone word (花都经开区, 昆明综合保税区):
/// proposed as a new entity for review rather than dropped.
/// Whether a subject's figures start at `k`: an indicator, a measure's cue or a verb of
/// figures (实现, 完成), after a period that may stand between (龙泉驿区一季度实现…).
fn figures_follow(chars: &[char], mut k: usize, context: &PeriodContext) -> bool {
    // 南岸区同期实现…: 同期 is the period of the sentence before.
    if starts(chars, k, "同期") {
        k += 2;
    } else if let Some(p) = period_at(chars, k, context) {
        k += p.len;
    }
    INDICATORS.iter().any(|(w, _)| starts(chars, k, w))
        || MEASURE_CUES.iter().any(|(w, c)| c.is_some() && *w != "第" && *w != "占" && starts(chars, k, w))
        || ["实现", "完成", "全年", "累计"].iter().any(|w| starts(chars, k, w))
}

fn new_zone_at(chars: &[char], at: usize, sentence_start: usize, gazetteer: &Gazetteer) -> Option<(String, usize)> {
    let boundary = at == sentence_start || !is_cjk(chars[at - 1]) || matches!(chars[at - 1], '、' | '和' | '及' | '与');
    if !boundary {
        return None;
    }
    // A real place first (花都, 昆明, 西咸新区's 西咸 is none): 有人说经开区 is no zone.
    let (place_len, _) = places::Places::bundled().len_at(chars, at)?;
    let after_place = at + place_len;
    for middle in 0..=4 {
        let end = after_place + middle;
        if !chars.get(after_place..end)?.iter().all(|c| is_cjk(*c)) {
            return None;
        }
        if let Some(ending) = ZONE_ENDINGS.iter().find(|e| starts(chars, end, e)) {
            // Words before a known zone (重庆市南岸区重庆经开区) are not a zone of their own.
            if (at + 1..end).any(|k| gazetteer.at(chars, k).is_some()) {
                return None;
            }
            let len = end - at + ending.chars().count();
            return Some((chars[at..at + len].iter().collect(), len));
        }
    }
    None
}

/// What a position at `ordinal` (the 第) ranks: the indicator named in the clause, else in a
/// text about a MOFCOM evaluation the overall ranking, else the ranking the text is going on
/// with (排名第9位 after a list). A rank of a growth rate (增速居全市第三) is `<indicator>增速排名`; an
/// overall rank within a region or province (中部地区第2位, 全省第8位) names it.
fn rank_indicator(
    chars: &[char],
    clause_start: usize,
    ordinal: usize,
    indicator: Option<&'static str>,
    growth: bool,
    st: &mut Reading<'_>,
) -> Option<String> {
    let going_on = || {
        let rank_words = ["排名", "位列", "排第", "位居", "居", "列", "排在", "分列", "分别"];
        st.rank_indicator.filter(|_| starts_any(chars, ordinal.saturating_sub(4), ordinal, &rank_words))
    };
    // 入围数量居全国第一, 江苏有6家入围，数量居各省份首位: a rank of how many zones a province
    // placed, not of a zone. (高新技术企业数量居全省第一 is a zone's rank by a count.)
    let placed = (clause_start..ordinal).any(|k| {
        ["数量", "个数"].iter().any(|w| starts(chars, k, w))
            && (k == clause_start || starts_any(chars, k.saturating_sub(2), k, &["入围", "入选", "上榜", "进入"]))
    });
    if placed {
        return None;
    }
    // In a text about a MOFCOM evaluation a rank that names no indicator is of the overall
    // ranking, even after a single-indicator one (其中实际使用外资指标位居第15位。B排名第109位).
    let base = indicator.or_else(|| st.evaluation.is_some().then_some("综合发展水平排名")).or_else(going_on)?;
    *st.rank_indicator = Some(base);
    if growth && !base.starts_with("综合发展水平排名") {
        return Some(format!("{base}增速排名"));
    }
    if base == "综合发展水平排名" {
        // In the clause (居中部地区第2位, 在西部地区国家级经开区中位列第6位), or in the clause
        // before when it sets the field (在中西部地区排名中，A、B分列第2、第7位).
        let field_before = clause_start >= 4
            && chars[clause_start - 2] == '中'
            && (starts(chars, clause_start - 4, "排名") || starts(chars, clause_start - 4, "排序"));
        let before = if field_before {
            let previous_clause_end = clause_start - 1;
            (0..previous_clause_end)
                .rev()
                .find(|&k| matches!(chars[k], ',' | ':' | ';' | '。' | '\n'))
                .map_or(0, |k| k + 1)
        } else {
            clause_start
        };
        for (word, subset) in [
            ("中西部地区", "中西部地区"),
            ("东部地区", "东部地区"),
            ("中部地区", "中部地区"),
            ("西部地区", "西部地区"),
            ("东北地区", "东北地区"),
        ] {
            if starts_any(chars, before, ordinal, &[word]) {
                return Some(format!("{base}({subset})"));
            }
        }
        if let Some(province) = st.province.filter(|_| starts_any(chars, before, ordinal, &["全省", "省内"])) {
            return Some(format!("{base}({province})"));
        }
    }
    Some(base.to_string())
}

/// Whether the 总投资 before `at` is one project's (一个…项目总投资45亿元, 落地…项目,预计总投资30
/// 亿元: not a flow of the period around it) rather than the total of projects counted (签约
/// 项目二十六项，总投资超三百亿元).
fn one_projects_total(chars: &[char], sentence_start: usize, at: usize) -> bool {
    let Some(total) = (sentence_start..at).rev().find(|&k| starts(chars, k, "总投资")) else { return false };
    let Some(project) = (sentence_start..total).rev().find(|&k| starts(chars, k, "项目")) else { return false };
    // 项目二十六项, 项目46个, 项目一百零八个: a count follows the word.
    let counted = (project + 2..total.min(project + 8))
        .any(|k| number_at(chars, k).is_some_and(|n| matches!(chars.get(k + n.len), Some('个' | '项'))));
    !counted
}

/// Zones listed with their zone word written once (西青、武清、北辰经开区, 甲和乙开发区): the
/// canonical names, when every place resolves with that word, and the characters taken.
fn elliptical_zones_at(
    chars: &[char],
    at: usize,
    sentence_start: usize,
    gazetteer: &Gazetteer,
) -> Option<(Vec<String>, usize)> {
    let separator = |c: char| matches!(c, '、' | '和' | '及' | '与');
    if at > sentence_start && is_cjk(chars[at - 1]) && !separator(chars[at - 1]) {
        return None;
    }
    let mut places: Vec<(usize, usize)> = Vec::new();
    let mut i = at;
    loop {
        let from = i;
        while i < chars.len()
            && i - from < 4
            && is_cjk(chars[i])
            && !separator(chars[i])
            && !ZONE_ENDINGS.iter().any(|e| starts(chars, i, e))
            && !starts(chars, i, "开发区")
        {
            i += 1;
        }
        if i - from < 2 {
            return None;
        }
        places.push((from, i));
        match chars.get(i) {
            Some(c) if separator(*c) => i += 1,
            _ => break,
        }
    }
    if places.len() < 2 {
        return None;
    }
    let ending = ["经济技术开发区", "经开区", "开发区"].into_iter().find(|e| starts(chars, i, e))?;
    let mut zones = Vec::new();
    for (from, to) in places {
        let name: Vec<char> = chars[from..to].iter().copied().chain(ending.chars()).collect();
        let (zone, len) = gazetteer.at(&name, 0)?;
        if len != name.len() {
            return None;
        }
        zones.push(zone.to_string());
    }
    Some((zones, i + ending.chars().count() - at))
}

/// `(以下简称X)`, `（下称“X”）`, `(简称X)` at `at`: the name X and the characters the whole
/// bracket takes.
fn alias_definition_at(chars: &[char], at: usize) -> Option<(String, usize)> {
    if !matches!(chars.get(at), Some('(' | '（')) {
        return None;
    }
    let words = ["以下简称", "以下称", "下称", "简称"];
    let word = words.iter().find(|w| starts(chars, at + 1, w))?;
    let from = at + 1 + word.chars().count();
    let close = (from..chars.len().min(from + 20)).find(|&k| matches!(chars[k], ')' | '）'))?;
    let name: String = chars[from..close].iter().filter(|c| !matches!(c, '"' | '“' | '”' | '「' | '」')).collect();
    (name.chars().count() >= 2).then_some((name, close + 1 - at))
}

/// `count` zones referred to by their number: 四家经开区, 三家国家级经开区, 这三个开发区, 广西三家
/// 国家级经开区 (a place before the count is part of the phrase), 前十名 (the top of a list just
/// given). The characters taken.
fn zones_counted_at(chars: &[char], at: usize, count: usize) -> Option<usize> {
    let mut i = at;
    for word in ["上述", "这些", "这", "该"] {
        if starts(chars, i, word) {
            i += word.chars().count();
            break;
        }
    }
    if let Some((len, _)) = crate::places::Places::bundled().len_at(chars, i)
        && number_at(chars, i + len).is_some()
    {
        i += len;
    }
    // 前十名, 前8位: the top of a list just given.
    let top = chars.get(i) == Some(&'前');
    i += usize::from(top);
    let n = number_at(chars, i)?;
    // 两区合计, 三区: the zones as 区, with no zone word after.
    if !top && n.value == count as f64 && chars.get(i + n.len) == Some(&'区') && !chars[i].is_ascii_digit() {
        return Some(i + n.len + 1 - at);
    }
    let counter: &[char] = if top { &['名', '位', '强', '家'] } else { &['家', '个'] };
    if n.value != count as f64 || !chars.get(i + n.len).is_some_and(|c| counter.contains(c)) {
        return None;
    }
    i += n.len + 1;
    if top {
        // 前十名合计: the words that follow are not a zone word.
        return Some(i - at);
    }
    if starts(chars, i, "国家级") {
        i += 3;
    }
    let word = ["经济技术开发区", "经开区", "开发区", "园区"].into_iter().find(|w| starts(chars, i, w))?;
    Some(i + word.chars().count() - at)
}

/// The unit at `at`, read through a 余 (300余家, 1.2万余户, 50余亿元): the unit and whether a
/// 余 was in it.
fn unit_with_yu(chars: &[char], at: usize) -> Option<(&'static str, bool)> {
    if let Some(unit) = word_at(chars, at, UNITS) {
        return Some((unit, false));
    }
    if chars.get(at) == Some(&'余') {
        return word_at(chars, at + 1, UNITS).map(|u| (u, true));
    }
    let scale = *chars.get(at)?;
    if matches!(scale, '万' | '亿') && chars.get(at + 1) == Some(&'余') {
        let rest = word_at(chars, at + 2, UNITS)?;
        let whole = format!("{scale}{rest}");
        return UNITS.iter().copied().find(|u| *u == whole).map(|u| (u, true));
    }
    None
}

/// 前进, 上升, 提升, 前移, 进位 (+1) or 后退, 下降, 下滑, 后移 (−1) just before a number of places.
fn rank_change_before(chars: &[char], at: usize) -> Option<f64> {
    const UP: [&str; 6] = ["前进", "上升", "提升", "前移", "上移", "进位"];
    const DOWN: [&str; 5] = ["后退", "下降", "下滑", "后移", "下移"];
    let before = |w: &str| at >= 2 && starts(chars, at - 2, w);
    if UP.iter().any(|w| before(w)) {
        Some(1.0)
    } else if DOWN.iter().any(|w| before(w)) {
        Some(-1.0)
    } else {
        None
    }
}

/// A share in words: 三分之一 (33.3), 两成 (20), 八成以上 (80): (percent, characters).
fn share_in_words(chars: &[char], at: usize) -> Option<(f64, usize)> {
    if !matches!(chars.get(at), Some(c) if !c.is_ascii_digit()) {
        return None;
    }
    let whole = number_at(chars, at)?;
    let after = at + whole.len;
    if starts(chars, after, "分之") {
        let part = number_at(chars, after + 2)?;
        if whole.value <= 0.0 || part.value > whole.value {
            return None;
        }
        let percent = (part.value / whole.value * 1000.0).round() / 10.0;
        return Some((percent, whole.len + 2 + part.len));
    }
    // 两成 but not 成为, 成立, 成都: 成 ends the phrase.
    let ends = |c: Option<&char>| c.is_none_or(|c| !is_cjk(*c) || matches!(c, '以' | '左' | '多'));
    (whole.len == 1
        && (1.0..=9.0).contains(&whole.value)
        && chars.get(after) == Some(&'成')
        && ends(chars.get(after + 1)))
    .then_some((whole.value * 10.0, 2))
}

fn starts_any(chars: &[char], from: usize, to: usize, words: &[&str]) -> bool {
    (from..to).any(|i| words.iter().any(|w| starts(chars, i, w)))
}

fn is_cjk(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// Where a size class ends that starts at `at` (after a sum of money): 以上项目, 以下的企业,
/// 以上重点项目 — the projects or firms of that size, which a count follows.
fn size_class_end(chars: &[char], at: usize) -> Option<usize> {
    let bound = word_at(chars, at, &["以上", "以下"])?;
    let mut k = at + bound.chars().count();
    if chars.get(k) == Some(&'的') {
        k += 1;
    }
    let counted =
        ["项目", "企业", "工业企业", "重点项目", "重大项目", "产业项目", "工业项目", "制造业项目", "外资项目"];
    word_at(chars, k, &counted).map(|w| k + w.chars().count())
}

/// 超/逾/约/近/不足 before a number, 左右/以上 after its unit.
pub(super) fn qualifier_around(chars: &[char], number_at: usize, unit_end: usize) -> Option<Qualifier> {
    for (len, words) in
        [(2usize, ["超过", "突破", "不足", "不到", "接近"].as_slice()), (1, ["超", "逾", "约", "近"].as_slice())]
    {
        if number_at >= len {
            let before: String = chars[number_at - len..number_at].iter().collect();
            if let Some(q) = words.iter().find(|w| **w == before).and_then(|w| Qualifier::from_word(w)) {
                return Some(q);
            }
        }
    }
    if starts(chars, unit_end, "左右") {
        return Some(Qualifier::About);
    }
    if starts(chars, unit_end, "以上") {
        return Some(Qualifier::Over);
    }
    None
}

/// What a number in `unit` measures, given the cue before it (增长, 占, 提高…): a percentage is
/// growth unless a cue says share or average growth (提高 before a % is still growth; in 个百分点
/// it is a change of a rate).
pub(super) fn measure_of(unit: &str, cue: Option<&'static str>) -> &'static str {
    match unit {
        "%" => match cue.unwrap_or("yoy_pct") {
            "yoy_pp" => "yoy_pct",
            other => other,
        },
        "个百分点" => "yoy_pp",
        "倍" => "yoy_pct",
        "位" | "名" => "rank",
        _ => "value",
    }
}

/// Indicators that count what there is at a date, not what happened over a period.
fn is_stock(indicator: &str) -> bool {
    matches!(indicator, "经营主体数量" | "高新技术企业数" | "专精特新小巨人企业数")
        || indicator.ends_with("专精特新企业数")
}

/// An indicator that is a sum of money by its name (投资额, 工业总产值, 一般公共预算收入, 实际使用外资).
fn is_money_indicator(indicator: &str) -> bool {
    ["额", "产值", "总值", "收入", "外资", "利润", "税收"].iter().any(|w| indicator.ends_with(w))
}

/// An amount of money a zone makes, trades or receives in a period, not one it holds at a day
/// (a balance, assets, capital).
fn is_money_flow(indicator: &str, measure: &str, unit: &str) -> bool {
    measure == "value"
        && !is_stock(indicator)
        && (unit.ends_with('元') || unit.ends_with("美元"))
        && !["余额", "资产", "资本", "存款", "贷款"].iter().any(|w| indicator.contains(w))
}

/// A candidate in the model's types; `None` (and nothing proposed) for a measure or unit word
/// the model does not read, which the lexicon's tests rule out.
#[allow(clippy::too_many_arguments)]
fn candidate(
    entity: &str,
    indicator: &str,
    measure: &str,
    period: Period,
    period_text: &str,
    value: f64,
    unit: &str,
    qualifier: Option<Qualifier>,
    original: &[char],
    span: (usize, usize),
) -> Option<Candidate> {
    // 项目投资额…3个: a count is no sum of money; the text counts something it did not name.
    if is_money_indicator(indicator) && matches!(unit, "个" | "家" | "项" | "户" | "辆") {
        return None;
    }
    let quote: String = original[span.0.min(original.len())..span.1.min(original.len())].iter().collect();
    // A count of enterprises is a stock: in a year, or by the end of a span, it stands at the
    // period's last day (高新技术企业526家 in a report on 2024 is @2024-12-31).
    let period = match period {
        Period::Year(y) if is_stock(indicator) && measure == "value" => {
            crate::model::YearMonth::new(y, 12).map_or(period, |m| Period::At(m.last_day()))
        }
        Period::Span { end, .. } if is_stock(indicator) && measure == "value" => Period::At(end.last_day()),
        // And the other way round: the end of a year (2020年末, “十三五”末) names that year
        // for an amount of money that flows (外贸进出口总额由“十三五”末的426亿元). (A stock's
        // growth keeps its day: 比上年末增长11.2% stands at the year's end.)
        Period::At(d) if d.month == 12 && d.day == 31 && is_money_flow(indicator, measure, unit) => {
            Period::Year(d.year)
        }
        other => other,
    };
    Some(Candidate {
        entity: entity.to_string(),
        indicator: indicator.to_string(),
        measure: measure.parse().ok()?,
        period,
        period_text: period_text.to_string(),
        value: (value * 1e6).round() / 1e6,
        unit: unit.parse().ok()?,
        qualifier,
        share_of: if measure == "share_pct" { super::candidate::share_of_in(&quote) } else { None },
        quote: quote.trim().to_string(),
        quote_span: span,
        note: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::Dataset;

    fn gazetteer() -> Gazetteer {
        Gazetteer::from_dataset(&Dataset::bundled().unwrap())
    }

    #[test]
    fn a_sentence_gives_its_zone_period_indicator_and_values() {
        let text = "今年前三季度,重庆经开区外贸进出口总额同比增长5.4%,实际使用外资同比增长116.8%。";
        let c = extract(text, Date::new(2024, 10, 29), &gazetteer());
        let facts: Vec<(&str, &str, String, f64)> = c
            .iter()
            .map(|c| (c.indicator.as_str(), c.measure.as_str(), c.period.notation().unwrap_or_default(), c.value))
            .collect();
        assert_eq!(
            facts,
            vec![
                ("外贸进出口总额", "yoy_pct", "2024-01/2024-09".to_string(), 5.4),
                ("实际使用外资", "yoy_pct", "2024-01/2024-09".to_string(), 116.8)
            ]
        );
        assert!(c.iter().all(|c| c.entity == "重庆经济技术开发区"));
    }

    #[test]
    fn a_fall_is_negative_and_qualifiers_are_kept() {
        let text = "2023年,万州经开区实际使用外资超620万美元,同比下降11.3%。";
        let c = extract(text, Date::new(2024, 10, 29), &gazetteer());
        assert_eq!(c[0].qualifier, Some(Qualifier::Over));
        assert_eq!((c[1].measure.as_str(), c[1].value), ("yoy_pct", -11.3));
    }

    #[test]
    fn relative_periods_are_not_guessed_without_a_date() {
        let text = "今年前三季度,重庆经开区外贸进出口总额41.3亿元。";
        let c = extract(text, None, &gazetteer());
        assert!(c.iter().all(|c| c.period == Period::Unspecified), "{c:?}");
    }

    #[test]
    fn the_host_citys_figures_are_left_alone() {
        let text = "2023年,重庆市地区生产总值30145亿元。";
        assert!(extract(text, Date::new(2024, 1, 1), &gazetteer()).is_empty());
    }

    #[test]
    fn a_whole_province_or_a_new_area_named_as_the_subject_is_not_the_zone() {
        // Sentences of other zones and areas than any corpus text names.
        for text in [
            "2023年,重庆经开区地区生产总值增长6.1%。同期,四川全省地区生产总值增长6.0%。",
            "2023年,重庆经开区地区生产总值增长6.1%。同期,西海岸新区地区生产总值增长7.2%。",
            "2023年,重庆经开区地区生产总值增长6.1%;天府新区实现外贸进出口总额300亿元。",
            "2023年,重庆经开区地区生产总值增长6.1%。其所在的江北区同期实现地区生产总值约1800亿元。",
        ] {
            let c = extract(text, Date::new(2024, 2, 1), &gazetteer());
            let values: Vec<f64> = c.iter().map(|c| c.value).collect();
            assert_eq!(values, vec![6.1], "{text}: {c:?}");
        }
    }

    #[test]
    fn a_flow_of_money_at_a_years_end_is_of_that_year() {
        let text = "重庆经开区外贸进出口总额由2020年末的426亿元增至2023年的698.3亿元,高新技术企业由2020年末的186家增加到2023年末的438家。";
        let c = extract(text, Date::new(2024, 2, 1), &gazetteer());
        let facts: Vec<(&str, String, f64)> =
            c.iter().map(|c| (c.indicator.as_str(), c.period.notation().unwrap_or_default(), c.value)).collect();
        assert!(facts.contains(&("外贸进出口总额", "2020".into(), 426.0)), "{facts:?}");
        // A count of firms is a stock: it stays at the day.
        assert!(facts.contains(&("高新技术企业数", "@2020-12-31".into(), 186.0)), "{facts:?}");
    }

    #[test]
    fn the_period_compared_against_is_passed_over_whole() {
        let text = "1—10月,重庆经开区工业总产值同比增长6.8%,增速比1—9月提高0.5个百分点。";
        let c = extract(text, Date::new(2024, 11, 20), &gazetteer());
        assert!(c.iter().all(|c| c.period.notation().as_deref() == Some("2024-01/2024-10")), "{c:?}");
        // A two-year average beside the 同比 rate is an average annual rate.
        let text = "前三季度,重庆经开区工业总产值同比增长19.8%,两年平均增长9.6%。";
        let c = extract(text, Date::new(2021, 10, 20), &gazetteer());
        let measures: Vec<&str> = c.iter().map(|c| c.measure.as_str()).collect();
        assert_eq!(measures, vec!["yoy_pct", "avg_yoy_pct"], "{c:?}");
    }

    #[test]
    fn a_threshold_the_exact_figure_passes_says_it_again() {
        let text = "2023年,重庆经开区规模以上工业总产值1,038.4亿元,增长11.5%,首次突破千亿元大关。";
        let c = extract(text, Date::new(2024, 2, 1), &gazetteer());
        let values: Vec<f64> = c.iter().map(|c| c.value).collect();
        assert_eq!(values, vec![1038.4, 11.5], "{c:?}");
        // Alone, the threshold is what the text says: over 1000亿元.
        let text = "2023年,重庆经开区规模以上工业总产值首次突破千亿元。";
        let c = extract(text, Date::new(2024, 2, 1), &gazetteer());
        assert_eq!(c.iter().map(|c| (c.value, c.qualifier)).collect::<Vec<_>>(), vec![(1000.0, Some(Qualifier::Over))]);
        // A figure of another sentence is no restatement.
        let text = "2022年,重庆经开区规模以上工业总产值980亿元。2023年,规模以上工业总产值突破千亿元。";
        let c = extract(text, Date::new(2024, 2, 1), &gazetteer());
        assert_eq!(c.len(), 2, "{c:?}");
    }

    #[test]
    fn a_size_class_of_projects_or_firms_is_no_sum() {
        for text in [
            "2023年,重庆经开区实际使用外资5.2亿美元,其中5000万美元以上的外资项目4个。",
            "2023年,重庆经开区实际使用外资5.2亿美元,亿元以上项目12个,10亿元以上项目3个。",
        ] {
            let c = extract(text, Date::new(2024, 2, 1), &gazetteer());
            assert!(
                c.iter().all(|c| c.value != 5000.0 && c.value != 10.0),
                "{text}: {:?}",
                c.iter().map(|c| (&c.indicator, c.value)).collect::<Vec<_>>()
            );
            assert!(c.iter().any(|c| c.value == 5.2), "{c:?}");
            // The count after it is of projects the lexicon does not name, not of 实际使用外资.
            assert!(c.iter().all(|c| c.unit.written != "个"), "{c:?}");
        }
    }

    #[test]
    fn firms_of_the_province_and_above_are_a_count_of_their_own() {
        let text = "截至9月底,重庆经开区拥有省级以上专精特新企业120家、高新技术企业300家。";
        let c = extract(text, Date::new(2024, 10, 20), &gazetteer());
        let facts: Vec<(&str, f64)> = c.iter().map(|c| (c.indicator.as_str(), c.value)).collect();
        assert_eq!(facts, vec![("省级以上专精特新企业数", 120.0), ("高新技术企业数", 300.0)]);
    }

    #[test]
    fn how_many_zones_a_province_placed_is_no_zones_rank() {
        let text = "在2023年国家级经开区综合发展水平考核评价中,湖南省国家级经开区入围数量居中部各省第一,成都经开区位列第25位。";
        let c = extract(text, Date::new(2024, 2, 1), &gazetteer());
        let ranks: Vec<(&str, f64)> = c.iter().map(|c| (c.entity.as_str(), c.value)).collect();
        assert_eq!(ranks, vec![("成都经济技术开发区", 25.0)], "{c:?}");
        let text = "2023年,成都经开区高新技术企业数量居全市第一。";
        let c = extract(text, Date::new(2024, 2, 1), &gazetteer());
        assert_eq!(c.iter().map(|c| (c.measure.as_str(), c.value)).collect::<Vec<_>>(), vec![("rank", 1.0)], "{c:?}");
    }

    #[test]
    fn after_a_semicolon_another_subjects_rate_is_of_the_indicator_before() {
        let text = "2023年,重庆经开区实现外贸进出口总额350亿元,同比增长8.2%;万州经开区同比增长5.1%。";
        let c = extract(text, Date::new(2024, 2, 1), &gazetteer());
        let facts: Vec<(&str, &str, f64)> =
            c.iter().map(|c| (c.entity.as_str(), c.indicator.as_str(), c.value)).collect();
        assert!(facts.contains(&("万州经济技术开发区", "外贸进出口总额", 5.1)), "{facts:?}");
        // A share too: of the indicator before.
        let text = "2023年,两江新区外贸进出口总额为3000亿元;万州经开区约占两江新区的10.2%。";
        let c = extract(text, Date::new(2024, 2, 1), &gazetteer());
        let facts: Vec<(&str, &str, f64)> =
            c.iter().map(|c| (c.indicator.as_str(), c.measure.as_str(), c.value)).collect();
        assert_eq!(facts, vec![("外贸进出口总额", "share_pct", 10.2)], "{c:?}");
        // A rank's change after the rank is no rate of the indicator before.
        let text = "2023年,重庆经开区实现外贸进出口总额350亿元;万州经开区位列第175位,较上年上升16位。";
        let c = extract(text, Date::new(2024, 2, 1), &gazetteer());
        assert!(c.iter().all(|c| c.indicator != "外贸进出口总额" || c.value == 350.0), "{c:?}");
    }

    #[test]
    fn a_zone_outside_the_registry_is_proposed_not_dropped() {
        let text = "2024年,花都经开区实现外贸进出口总额100.5亿元。";
        let c = extract(text, Date::new(2025, 1, 1), &gazetteer());
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].entity, "花都经开区");
        // Words before a known zone are not a zone: 记者从重庆经开区 is 重庆经开区.
        let c = extract("记者从重庆经开区了解到,2024年全区外贸进出口总额41.3亿元。", None, &gazetteer());
        assert_eq!(c[0].entity, "重庆经济技术开发区");
    }

    /// Every row of the corpus's number specification (a copy in tests/spec/NUMBERS.tsv), read in
    /// a sentence that gives it a zone, a period and an indicator: the row's value, unit,
    /// qualifier and measure, or no figure.
    #[test]
    fn the_number_specification_holds() {
        let spec = include_str!("../../tests/spec/NUMBERS.tsv");
        let g = gazetteer();
        let mut failures = Vec::new();
        for row in spec.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
            let f: Vec<&str> = row.split('\t').collect();
            let (written, value, unit, qualifier, measure) = (f[0], f[1], f[2], f[3], f[4]);
            let note = f.get(5).copied().unwrap_or("");
            // A count of firms for a count, a sum of money for the rest: a count is no sum.
            let indicator = match unit {
                _ if note.contains("排名变化") => "综合排名",
                "家" | "个" | "项" | "户" | "辆" => "新增注册企业",
                _ => "外贸进出口总额",
            };
            let text = format!("2023年,重庆经开区{indicator}{written}。");
            let found = extract(&text, Date::new(2024, 1, 1), &g);
            let got: Vec<String> = found
                .iter()
                .map(|c| {
                    let q = c.qualifier.map_or("", |q| q.as_str());
                    format!("{} {} {} {}", c.value, c.unit.written, q, c.measure.as_str())
                })
                .collect();
            let expected: Vec<String> = if measure == "none" {
                Vec::new()
            } else {
                vec![format!("{} {unit} {qualifier} {measure}", value.parse::<f64>().unwrap())]
            };
            if got != expected {
                failures.push(format!("{written}: {got:?}, not {expected:?}"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn a_name_the_text_defines_stands_for_what_it_named() {
        let text = "2023年,重庆经开区、万州经开区(以下简称“两区”)外贸进出口总额分别为100亿元和50亿元。两区实际使用外资1.2亿美元。";
        let c = extract(text, Date::new(2024, 3, 1), &gazetteer());
        let last = c.last().unwrap();
        assert_eq!((last.entity.as_str(), last.value), ("重庆经济技术开发区+万州经济技术开发区", 1.2));
    }

    #[test]
    fn a_ranking_written_as_a_list_in_order() {
        let text = "商务部公布2024年国家级经开区综合发展水平考核评价结果。综合排名前三的国家级经开区依次为:苏州工业园区、广州经济技术开发区、天津经济技术开发区。";
        let c = extract(text, Date::new(2025, 1, 10), &gazetteer());
        let got: Vec<(&str, &str, f64)> =
            c.iter().map(|c| (c.entity.as_str(), c.indicator.as_str(), c.value)).collect();
        assert_eq!(
            got,
            [
                ("苏州工业园区", "综合发展水平排名", 1.0),
                ("广州经济技术开发区", "综合发展水平排名", 2.0),
                ("天津经济技术开发区", "综合发展水平排名", 3.0),
            ]
        );
        assert!(c.iter().all(|c| c.period == Period::Year(2024)));
    }

    #[test]
    fn zones_listed_with_the_zone_word_once() {
        let text = "2024年,西青、武清、北辰经开区规上工业总产值分别增长5.2%、7.9%和3.4%。";
        let c = extract(text, Date::new(2025, 2, 13), &gazetteer());
        let got: Vec<(&str, f64)> = c.iter().map(|c| (c.entity.as_str(), c.value)).collect();
        assert_eq!(got, [("西青经济技术开发区", 5.2), ("武清经济技术开发区", 7.9), ("北辰经济技术开发区", 3.4)]);
    }

    #[test]
    fn invented_zones_are_not_proposed() {
        for text in ["有人说经开区外贸进出口总额100亿元。", "今年来经开区外贸进出口总额100亿元。"]
        {
            let c = extract(text, Date::new(2024, 5, 1), &gazetteer());
            assert!(c.iter().all(|c| !c.entity.contains("经开区")), "{text}: {c:?}");
        }
        // A real place and a zone word is proposed; so is a bonded zone named after a zone.
        let c = extract("2024年,昆明综合保税区进出口总额100亿元。", None, &gazetteer());
        assert_eq!(c[0].entity, "昆明综合保税区");
    }

    #[test]
    fn a_paragraph_naming_only_the_periods_spoken_of_goes_on_with_them() {
        // 前三季度 later in the paragraph is the period already in force, not 三季度 (July to
        // September) within it: the paragraph's figures before it are of the first nine months.
        let text = "前三季度，南昌经开区实现工业增加值215.3亿元。\n\
                    利用外资方面，南昌经开区实际使用外资1.2亿美元，同比增长8.5%。前三季度新设外商投资企业15家。";
        let c = extract(text, Date::new(2024, 10, 25), &gazetteer());
        let fdi: Vec<(&str, String)> = c
            .iter()
            .filter(|c| c.indicator == "实际使用外资")
            .map(|c| (c.measure.as_str(), c.period.to_string()))
            .collect();
        assert_eq!(fdi, [("value", "2024-01/2024-09".to_string()), ("yoy_pct", "2024-01/2024-09".to_string())]);
    }

    #[test]
    fn a_clause_of_only_wei_and_its_figure_completes_the_one_before() {
        let text = "2022年，西部地区国家级经开区外贸进出口总额下降幅度较小，为2.1%；中部地区国家级经开区外贸进出口总额增幅较大，为9.8%，为近三年最高。";
        let c = extract(text, Date::new(2023, 5, 10), &gazetteer());
        let got: Vec<(&str, &str, f64)> = c.iter().map(|c| (c.entity.as_str(), c.measure.as_str(), c.value)).collect();
        assert_eq!(got, [("西部地区国家级经开区", "yoy_pct", -2.1), ("中部地区国家级经开区", "yoy_pct", 9.8)]);
    }

    #[test]
    fn a_figure_told_period_by_period_is_of_the_indicator_before() {
        // A zone and indicator of another report than the corpus's, and months as well as quarters.
        let text = "前三季度，南昌经开区实现工业增加值215.3亿元，同比增长7.9%。分季度看，一季度增长6.1%，二季度增长8.0%。\
                    1—8月，南昌经开区外贸进出口总额88.6亿元。分月看，8月增长12.5%。\
                    全区新增经营主体1200户。一季度增长3.0%。";
        let c = extract(text, Date::new(2024, 10, 25), &gazetteer());
        let got: Vec<(&str, &str, &str, String, f64)> = c
            .iter()
            .map(|c| (c.entity.as_str(), c.indicator.as_str(), c.measure.as_str(), c.period.to_string(), c.value))
            .filter(|c| c.2 == "yoy_pct")
            .collect();
        let zone = "南昌经济技术开发区";
        assert_eq!(
            got,
            [
                (zone, "工业增加值", "yoy_pct", "2024-01/2024-09".to_string(), 7.9),
                (zone, "工业增加值", "yoy_pct", "2024-01/2024-03".to_string(), 6.1),
                (zone, "工业增加值", "yoy_pct", "2024-04/2024-06".to_string(), 8.0),
                (zone, "外贸进出口总额", "yoy_pct", "2024-08/2024-08".to_string(), 12.5),
            ],
            "a growth after a sentence that does not open by periods is of no indicator: {c:#?}"
        );
    }

    #[test]
    fn a_list_of_levels_then_their_growth_respectively() {
        let text =
            "2004年,这49个国家级开发区实现国内生产总值4,321亿元、工业总产值12,870亿元,分别比上年增长31.2%和36.5%。";
        let c = extract(text, Date::new(2005, 3, 2), &gazetteer());
        let got: Vec<(&str, &str, &str, f64)> =
            c.iter().map(|c| (c.entity.as_str(), c.indicator.as_str(), c.measure.as_str(), c.value)).collect();
        assert_eq!(
            got,
            [
                ("全国国家级经开区", "地区生产总值", "value", 4321.0),
                ("全国国家级经开区", "工业总产值", "value", 12870.0),
                ("全国国家级经开区", "地区生产总值", "yoy_pct", 31.2),
                ("全国国家级经开区", "工业总产值", "yoy_pct", 36.5),
            ]
        );
    }

    #[test]
    fn indicators_named_first_and_their_values_after() {
        let text = "2023年,大同经开区地区生产总值、规模以上工业总产值、固定资产投资分别为186.4亿元、412.7亿元和133.2亿元,分别比上年增长8.9%、12.4%和下降3.5%。";
        let c = extract(text, Date::new(2024, 3, 28), &gazetteer());
        let got: Vec<(&str, &str, f64)> =
            c.iter().map(|c| (c.indicator.as_str(), c.measure.as_str(), c.value)).collect();
        assert_eq!(
            got,
            [
                ("地区生产总值", "value", 186.4),
                ("工业总产值", "value", 412.7),
                ("固定资产投资", "value", 133.2),
                ("地区生产总值", "yoy_pct", 8.9),
                ("工业总产值", "yoy_pct", 12.4),
                ("固定资产投资", "yoy_pct", -3.5),
            ]
        );
    }

    #[test]
    fn a_numbered_list_of_ranks_in_an_evaluation_text() {
        let text = "商务部公布了2024年国家级经开区综合发展水平考核评价结果。\n3.其余经开区排名:\n(1)马鞍山经开区,第69位;\n(2)滁州经开区,第84位,前进12位;";
        let c = extract(text, Date::new(2025, 2, 1), &gazetteer());
        let got: Vec<(&str, &str, Period, f64)> =
            c.iter().map(|c| (c.entity.as_str(), c.indicator.as_str(), c.period, c.value)).collect();
        let evaluation = Period::Year(2024);
        assert_eq!(
            got,
            [
                ("马鞍山经济技术开发区", "综合发展水平排名", evaluation, 69.0),
                ("滁州经济技术开发区", "综合发展水平排名", evaluation, 84.0),
                ("滁州经济技术开发区", "综合发展水平排名变化", evaluation, 12.0),
            ]
        );
    }

    #[test]
    fn ranks_listed_with_fen_lie_in_a_field_the_clause_before_names() {
        let text = "商务部公布2016年国家级经开区综合发展水平考核评价结果。在中西部地区排名中,重庆经开区、南昌经开区、南宁经开区分列第2、第7、第15位。长沙经开区排名全国第12位,较上年前进4位。";
        let c = extract(text, Date::new(2016, 12, 1), &gazetteer());
        let got: Vec<(&str, &str, f64)> =
            c.iter().map(|c| (c.entity.as_str(), c.indicator.as_str(), c.value)).collect();
        assert_eq!(
            got,
            [
                ("重庆经济技术开发区", "综合发展水平排名(中西部地区)", 2.0),
                ("南昌经济技术开发区", "综合发展水平排名(中西部地区)", 7.0),
                ("南宁经济技术开发区", "综合发展水平排名(中西部地区)", 15.0),
                ("长沙经济技术开发区", "综合发展水平排名", 12.0),
                ("长沙经济技术开发区", "综合发展水平排名变化", 4.0),
            ]
        );
        assert!(c.iter().all(|c| c.period == Period::Year(2016)));
    }

    #[test]
    fn dates_are_found_in_the_first_lines() {
        assert_eq!(find_date("address\n2024-10-25\nbody"), Date::new(2024, 10, 25));
        assert_eq!(find_date("标题\n2023年3月23日 来源:今晚报\n"), Date::new(2023, 3, 23));
        assert_eq!(find_date("no date here"), None);
        // A dateline: the year is the latest one the text names that is not in the future.
        let report = "中新网重庆10月29日电 题:…\n2023年,…2024年的目标…到2027年建成…";
        assert_eq!(dateline_date(report, 2026), Date::new(2024, 10, 29));
        assert_eq!(dateline_date("中新网重庆10月29日电 没有年份", 2026), None);
    }
}
