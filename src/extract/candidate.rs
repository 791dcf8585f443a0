//! What the extractor proposes: a figure in the model's types (measure, period, unit,
//! qualifier), with its quote and where the quote is in the text (characters). The corpus's
//! string format (`eval::GoldFact`) is made from it at the scoring edge only.

use crate::model::{Measure, Period, Qualifier, Unit};

#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// A canonical name, a `+`-joined group, a total (全国国家级经开区) or a zone the registry does
    /// not know (proposed for review).
    pub entity: String,
    /// A canonical indicator, or the text's own name for one (汽车产量).
    pub indicator: String,
    pub measure: Measure,
    pub period: Period,
    /// The text's words for the period (今年前三季度), empty when it gives none.
    pub period_text: String,
    /// As written, in `unit` (242.3 in 亿元).
    pub value: f64,
    pub unit: Unit,
    pub qualifier: Option<Qualifier>,
    pub quote: String,
    /// The quote's characters in the text, end exclusive.
    pub quote_span: (usize, usize),
    /// How the figure came about when not by the extractor alone (added by the reader).
    pub note: Option<String>,
}
