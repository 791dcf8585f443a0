//! A figure the reader points at: the review screen's **Add figure** turns a selected stretch of
//! text into a candidate the extractor missed. The number and unit (and a qualifier, a sign, a
//! measure cue) come from the selection; the zone, indicator and period from the selection when
//! it names them, else from what is in force at that place in the text: the figure the extractor
//! found last before it, or the zone of the text's dateline.

use crate::model::{Date, Period};

use super::lexicon::{Gazetteer, INDICATORS, MEASURE_CUES, UNITS};
use super::number::number_at;
use super::period::{PeriodContext, period_at};
use super::rules::{Candidate, measure_of, qualifier_around};
use super::text::{normalise, starts_at as starts};

/// Words between a subject and its number that are no part of an indicator's name.
const VERBS: &[&str] =
    &["实现", "完成", "达到", "达", "为", "共计", "合计", "累计", "超过", "超", "约", "近", "突破", "的"];

/// The candidate a selection (`span`, in characters of `text`) states, or `None` when it holds no
/// number with a unit. `found` is what the extractor found in the text (the review screen has
/// it already).
pub fn figure_from_selection(
    text: &str,
    published: Option<Date>,
    gazetteer: &Gazetteer,
    span: (usize, usize),
    found: &[Candidate],
) -> Option<Candidate> {
    let original: Vec<char> = text.chars().collect();
    let (a, b) = (span.0.min(span.1).min(original.len()), span.0.max(span.1).min(original.len()));
    let chars: Vec<char> = normalise(text).chars().collect();
    let selected = &chars[a..b];
    // The number and its unit: the first number in the selection that has one.
    let (at, value, unit) = (0..selected.len()).find_map(|i| {
        let n = number_at(selected, i).filter(|_| i == 0 || !selected[i - 1].is_ascii_digit())?;
        let unit = UNITS.iter().copied().find(|u| starts(selected, i + n.len, u))?;
        Some((i, n.value, unit))
    })?;
    // What is in force here: the last figure the extractor found before the selection.
    let before = found.iter().filter(|c| c.quote_span.0 < a).max_by_key(|c| c.quote_span.0);
    let mut entity = before.map(|c| c.entity.clone());
    let mut period = before.map_or(Period::Unspecified, |c| c.period);
    let mut period_text = before.map(|c| c.period_text.clone()).unwrap_or_default();
    let mut indicator: Option<String> = None;
    let mut subject_end = 0;
    let context = PeriodContext { published, year: None };
    let mut i = 0;
    while i < at {
        if let Some((zone, len)) = gazetteer.at(selected, i) {
            entity = Some(zone.to_string());
            subject_end = i + len;
            i += len;
        } else if let Some(p) = period_at(selected, i, &context) {
            period = p.period;
            period_text = original[a + i..a + i + p.len].iter().collect();
            subject_end = i + p.len;
            i += p.len;
        } else if let Some((word, name)) = INDICATORS.iter().find(|(w, _)| starts(selected, i, w)) {
            indicator = Some(name.to_string());
            i += word.chars().count();
        } else {
            i += 1;
        }
    }
    // No indicator word: the words before the number are the text's own name for it
    // (汽车产量达41.2万辆 → 汽车产量), else the indicator in force.
    let own_name = || {
        let mut words: String = selected[subject_end..at].iter().collect();
        words = words.trim_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ':' | ';')).to_string();
        // 同比增长 is how it changed, not what: no name then.
        let cues = MEASURE_CUES.iter().map(|(w, _)| *w);
        while let Some(word) = VERBS.iter().copied().chain(cues.clone()).find(|v| words.ends_with(v)) {
            words.truncate(words.len() - word.len());
        }
        (!words.is_empty()).then_some(words)
    };
    let indicator = indicator.or_else(own_name).or_else(|| before.map(|c| c.indicator.clone()))?;
    let unit_written = if matches!(unit, "名") { "位" } else { unit };
    let cue =
        (0..at).rev().find_map(|k| MEASURE_CUES.iter().find(|(w, _)| starts(selected, k, w)).and_then(|(_, c)| *c));
    let measure = measure_of(unit, cue.map(|c| c.0));
    let sign = match (measure, at.checked_sub(1).map(|k| selected[k])) {
        (_, Some('-' | '−')) => -1.0,
        ("yoy_pct" | "yoy_pp", _) => cue.map_or(1.0, |c| c.1),
        _ => 1.0,
    };
    let unit_end = at + number_at(selected, at).map_or(0, |n| n.len) + unit.chars().count();
    let qualifier = qualifier_around(selected, at, unit_end);
    let quote: String = original[a..b].iter().collect();
    Some(Candidate {
        entity: entity.unwrap_or_default(),
        indicator,
        measure: measure.parse().ok()?,
        period,
        period_text,
        value: sign * value,
        unit: unit_written.parse().ok()?,
        qualifier,
        share_of: if measure == "share_pct" { super::candidate::share_of_in(&quote) } else { None },
        quote: quote.trim().to_string(),
        quote_span: (a, b),
        note: Some("added by the reader".into()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::Dataset;

    const TEXT: &str = "2024年,武汉经开区规模以上工业总产值达2,486.3亿元。汽车产量达41.2万辆,同比增长15.8%。";

    fn pick(selection: &str) -> Option<Candidate> {
        let g = Gazetteer::from_dataset(&Dataset::bundled().unwrap());
        let found = crate::extract::rules::extract(TEXT, Date::new(2025, 1, 20), &g);
        let start = TEXT
            .chars()
            .collect::<Vec<_>>()
            .windows(selection.chars().count())
            .position(|w| w.iter().collect::<String>() == selection)?;
        let span = (start, start + selection.chars().count());
        figure_from_selection(TEXT, Date::new(2025, 1, 20), &g, span, &found)
    }

    #[test]
    fn a_figure_the_extractor_missed_takes_the_zone_and_period_in_force() {
        let c = pick("汽车产量达41.2万辆").unwrap();
        assert_eq!(c.entity, "武汉经济技术开发区");
        assert_eq!(c.period, Period::Year(2024));
        assert_eq!((c.indicator.as_str(), c.value, c.unit.written.as_str()), ("汽车产量", 41.2, "万辆"));
        assert_eq!(c.quote, "汽车产量达41.2万辆");
        let growth = pick("同比增长15.8%").unwrap();
        assert_eq!((growth.measure.as_str(), growth.value), ("yoy_pct", 15.8));
    }

    #[test]
    fn what_the_selection_names_wins() {
        let c = pick("武汉经开区规模以上工业总产值达2,486.3亿元").unwrap();
        assert_eq!((c.indicator.as_str(), c.value, c.unit.written.as_str()), ("工业总产值", 2486.3, "亿元"));
        assert_eq!(pick("汽车产量"), None, "no number, no figure");
    }
}
