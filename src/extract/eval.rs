//! Scoring extracted figures against hand-checked gold ones, by the rules of the corpus
//! README: a prediction matches a gold figure when document, entity, indicator, measure,
//! period, value (numerically) and unit agree; each gold figure matches once; figures whose
//! note says `new indicator`, `target`, `estimate`, `uncertain` or `not 同比` are optional.

use serde::{Deserialize, Serialize};

/// A figure in the gold format of corpus/SCHEMA.md: strings, as the corpus writes them. The
/// extractor's typed candidates are put in this form here, at the scoring edge, and for the
/// `extract` command's JSON lines.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoldFact {
    pub doc: String,
    pub entity: String,
    pub indicator: String,
    pub measure: String,
    /// `2023`, `2024-01/2024-09`, `@2024-09-30`, or null.
    pub period: Option<String>,
    #[serde(default)]
    pub period_text: String,
    pub value: f64,
    pub unit: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<String>,
    #[serde(default)]
    pub quote: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl GoldFact {
    /// A candidate of `doc` in the corpus's format.
    pub fn of(doc: &str, c: &crate::extract::Candidate) -> GoldFact {
        GoldFact {
            doc: doc.to_string(),
            entity: c.entity.clone(),
            indicator: c.indicator.clone(),
            measure: c.measure.as_str().to_string(),
            period: c.period.notation(),
            period_text: c.period_text.clone(),
            value: c.value,
            unit: c.unit.written.clone(),
            qualifier: c.qualifier.map(|q| q.as_str().to_string()),
            quote: c.quote.clone(),
            note: c.note.clone(),
        }
    }
}

const OPTIONAL_NOTES: [&str; 5] = ["new indicator", "target", "estimate", "uncertain", "not 同比"];

impl GoldFact {
    pub fn is_optional(&self) -> bool {
        self.note.as_deref().is_some_and(|n| OPTIONAL_NOTES.iter().any(|o| n.contains(o)))
    }

    fn is_new_indicator(&self) -> bool {
        self.note.as_deref().is_some_and(|n| n.contains("new indicator"))
    }

    /// Whether `p` states this figure (the indicator is not compared for a new indicator).
    pub fn matched_by(&self, p: &GoldFact) -> bool {
        self.doc == p.doc
            && self.entity == p.entity
            && (self.is_new_indicator() || self.indicator == p.indicator)
            && self.measure == p.measure
            && normalise_period(self.period.as_deref()) == normalise_period(p.period.as_deref())
            && (self.value - p.value).abs() <= 1e-9 * self.value.abs().max(1.0)
            && normalise_unit(&self.unit) == normalise_unit(&p.unit)
    }
}

/// A January-to-December span is its year (`2024-01/2024-12` = `2024`), as the corpus README
/// scores it.
fn normalise_period(p: Option<&str>) -> &str {
    let p = p.unwrap_or("");
    match p.split_once('/') {
        Some((a, b)) if a.len() == 7 && a.get(..4) == b.get(..4) && a.ends_with("-01") && b.ends_with("-12") => &p[..4],
        _ => p,
    }
}

fn normalise_unit(u: &str) -> String {
    u.chars().map(crate::extract::text::normalise_char).collect()
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Score {
    /// Predictions that matched a required gold figure.
    pub matched: usize,
    /// Predictions, less those that matched optional figures.
    pub counted_predictions: usize,
    pub required: usize,
    /// Required gold figures no prediction matched.
    pub misses: Vec<GoldFact>,
    /// Predictions that matched no gold figure.
    pub false_hits: Vec<GoldFact>,
}

impl Score {
    pub fn precision(&self) -> f64 {
        if self.counted_predictions == 0 { 1.0 } else { self.matched as f64 / self.counted_predictions as f64 }
    }

    pub fn recall(&self) -> f64 {
        if self.required == 0 { 1.0 } else { self.matched as f64 / self.required as f64 }
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) }
    }

    /// Adds another document's score.
    pub fn add(&mut self, other: Score) {
        self.matched += other.matched;
        self.counted_predictions += other.counted_predictions;
        self.required += other.required;
        self.misses.extend(other.misses);
        self.false_hits.extend(other.false_hits);
    }
}

/// Scores `predictions` against `gold` (of the same documents). Required gold figures are
/// matched first, so that an optional twin cannot take a prediction a required one needs.
pub fn score(gold: &[GoldFact], predictions: &[GoldFact]) -> Score {
    let mut used = vec![false; gold.len()];
    let mut s = Score { required: gold.iter().filter(|g| !g.is_optional()).count(), ..Score::default() };
    for p in predictions {
        let required = (0..gold.len()).find(|&i| !used[i] && !gold[i].is_optional() && gold[i].matched_by(p));
        let optional = || (0..gold.len()).find(|&i| !used[i] && gold[i].is_optional() && gold[i].matched_by(p));
        match required {
            Some(i) => {
                used[i] = true;
                s.matched += 1;
                s.counted_predictions += 1;
            }
            None => match optional() {
                Some(i) => used[i] = true,
                None => {
                    s.counted_predictions += 1;
                    s.false_hits.push(p.clone());
                }
            },
        }
    }
    s.misses = gold.iter().zip(&used).filter(|(g, u)| !**u && !g.is_optional()).map(|(g, _)| g.clone()).collect();
    s
}

/// The one field in which a missed gold figure differs from the nearest false hit of the same
/// document, so that the next gap is visible at a glance: `period`, `entity`, `indicator`,
/// `measure`, `value`, `unit`, or `not found` when no false hit differs in one field only.
pub fn miss_cause(miss: &GoldFact, false_hits: &[GoldFact]) -> &'static str {
    let fields = |p: &GoldFact| -> [(&'static str, bool); 6] {
        [
            ("entity", miss.entity == p.entity),
            ("indicator", miss.indicator == p.indicator),
            ("measure", miss.measure == p.measure),
            ("period", normalise_period(miss.period.as_deref()) == normalise_period(p.period.as_deref())),
            ("value", (miss.value - p.value).abs() <= 1e-9 * miss.value.abs().max(1.0)),
            ("unit", normalise_unit(&miss.unit) == normalise_unit(&p.unit)),
        ]
    };
    false_hits
        .iter()
        .filter(|p| p.doc == miss.doc)
        .find_map(|p| {
            let f = fields(p);
            let differing: Vec<&'static str> = f.iter().filter(|(_, same)| !same).map(|(n, _)| *n).collect();
            (differing.len() == 1).then(|| differing[0])
        })
        .unwrap_or("not found")
}

/// Misses counted by [`miss_cause`], largest first.
pub fn misses_by_cause(score: &Score) -> Vec<(&'static str, usize)> {
    let mut counts: Vec<(&'static str, usize)> = Vec::new();
    for m in &score.misses {
        let cause = miss_cause(m, &score.false_hits);
        match counts.iter_mut().find(|(c, _)| *c == cause) {
            Some((_, n)) => *n += 1,
            None => counts.push((cause, 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    counts
}

/// One text of a corpus, scored.
#[derive(Debug, Clone)]
pub struct DocScore {
    pub doc: String,
    pub encoding: &'static str,
    pub score: Score,
}

#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("{path}: {source}")]
    Io { path: std::path::PathBuf, source: std::io::Error },
    #[error("{path}: {source}")]
    Decode { path: std::path::PathBuf, source: crate::extract::text::DecodeError },
    #[error("{path}, line {line}: {source}")]
    Gold { path: std::path::PathBuf, line: usize, source: serde_json::Error },
}

/// Runs the extractor over every text of a corpus (`texts/`, `gold/` as in corpus/README.md)
/// and scores each against its gold file.
pub fn run_corpus(
    dir: &std::path::Path,
    gazetteer: &crate::extract::rules::Gazetteer,
) -> Result<Vec<DocScore>, CorpusError> {
    let texts = dir.join("texts");
    let io = |path: &std::path::Path| {
        let path = path.to_path_buf();
        move |source| CorpusError::Io { path, source }
    };
    let mut names: Vec<std::path::PathBuf> =
        std::fs::read_dir(&texts).map_err(io(&texts))?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    names.sort();
    let mut out = Vec::new();
    for path in names.into_iter().filter(|p| p.extension().is_some_and(|e| e == "txt")) {
        let bytes = std::fs::read(&path).map_err(io(&path))?;
        let decoded = crate::extract::text::decode(&bytes)
            .map_err(|source| CorpusError::Decode { path: path.clone(), source })?;
        let doc = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let stem = doc.trim_end_matches(".txt").trim_end_matches(".gbk");
        let gold_path = dir.join("gold").join(format!("{stem}.jsonl"));
        let gold_text = std::fs::read_to_string(&gold_path).map_err(io(&gold_path))?;
        let mut gold = Vec::new();
        for (n, line) in gold_text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            gold.push(serde_json::from_str::<GoldFact>(line).map_err(|source| CorpusError::Gold {
                path: gold_path.clone(),
                line: n + 1,
                source,
            })?);
        }
        let published = crate::extract::rules::find_date(&decoded.text);
        let predictions: Vec<GoldFact> = crate::extract::rules::extract(&decoded.text, published, gazetteer)
            .iter()
            .map(|c| GoldFact::of(&doc, c))
            .collect();
        out.push(DocScore { doc, encoding: decoded.encoding, score: score(&gold, &predictions) });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fact(entity: &str, value: f64, note: Option<&str>) -> GoldFact {
        GoldFact {
            doc: "d.txt".into(),
            entity: entity.into(),
            indicator: "外贸进出口总额".into(),
            measure: "value".into(),
            period: Some("2023".into()),
            period_text: "2023年".into(),
            value,
            unit: "亿元".into(),
            qualifier: None,
            quote: String::new(),
            note: note.map(str::to_string),
        }
    }

    #[test]
    fn a_perfect_extraction_scores_one() {
        let gold = vec![fact("a", 1.0, None), fact("b", 2.0, None)];
        let s = score(&gold, &gold);
        assert_eq!((s.precision(), s.recall(), s.f1()), (1.0, 1.0, 1.0));
    }

    #[test]
    fn misses_and_false_hits_count_and_are_listed() {
        let gold = vec![fact("a", 1.0, None), fact("b", 2.0, None)];
        let predictions = vec![fact("a", 1.0, None), fact("c", 3.0, None)];
        let s = score(&gold, &predictions);
        assert_eq!((s.matched, s.counted_predictions, s.required), (1, 2, 2));
        assert_eq!(s.misses[0].entity, "b");
        assert_eq!(s.false_hits[0].entity, "c");
        assert!((s.f1() - 0.5).abs() < 1e-12);
    }

    #[test]
    fn optional_figures_neither_miss_nor_count() {
        let gold = vec![fact("a", 1.0, None), fact("b", 2.0, Some("new indicator"))];
        let mut other_name = fact("b", 2.0, None);
        other_name.indicator = "签约项目数".into();
        // Missing the optional one costs nothing; finding it (under any indicator name) too.
        assert_eq!(score(&gold, &[fact("a", 1.0, None)]).f1(), 1.0);
        assert_eq!(score(&gold, &[fact("a", 1.0, None), other_name]).f1(), 1.0);
    }

    #[test]
    fn each_gold_figure_matches_once_and_units_compare_normalised() {
        let gold = vec![fact("a", 1.0, None)];
        let twice = score(&gold, &[fact("a", 1.0, None), fact("a", 1.0, None)]);
        assert_eq!((twice.matched, twice.false_hits.len()), (1, 1));
        let mut traditional = fact("a", 1.0, None);
        traditional.unit = "億元".into();
        assert_eq!(score(&gold, &[traditional]).matched, 1);
    }

    #[test]
    fn a_miss_is_put_down_to_the_one_field_that_differs() {
        let gold = vec![fact("a", 1.0, None), fact("b", 2.0, None), fact("c", 3.0, None)];
        let mut wrong_period = fact("a", 1.0, None);
        wrong_period.period = Some("2024".into());
        let wrong_twice = fact("zzz", 9.0, None);
        let s = score(&gold, &[wrong_period, fact("b", 2.5, None), wrong_twice]);
        assert_eq!(miss_cause(&s.misses[0], &s.false_hits), "period");
        assert_eq!(miss_cause(&s.misses[1], &s.false_hits), "value");
        assert_eq!(miss_cause(&s.misses[2], &s.false_hits), "not found");
        assert_eq!(misses_by_cause(&s), vec![("not found", 1), ("period", 1), ("value", 1)]);
    }

    #[test]
    fn gold_lines_parse_from_the_corpus_format() {
        let line = r#"{"doc": "dev_01.txt", "entity": "重庆经济技术开发区", "indicator": "地区生产总值", "measure": "value", "period": "2024-01/2024-09", "period_text": "今年前三季度", "value": 386.7, "unit": "亿元", "quote": "该区实现地区生产总值386.7亿元"}"#;
        let g: GoldFact = serde_json::from_str(line).unwrap();
        assert_eq!(g.period.as_deref(), Some("2024-01/2024-09"));
        let null_period = r#"{"doc": "x", "entity": "e", "indicator": "i", "measure": "value", "period": null, "value": 7, "unit": "个"}"#;
        assert_eq!(serde_json::from_str::<GoldFact>(null_period).unwrap().period, None);
    }
}
