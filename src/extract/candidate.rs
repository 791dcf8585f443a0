//! What the extractor proposes: a figure in the model's types (measure, period, unit,
//! qualifier), with its quote and where the quote is in the text (characters). The corpus's
//! string format (`eval::GoldFact`) is made from it at the scoring edge only.

use crate::model::{Measure, Period, Qualifier, ShareOf, Unit};

/// What a share is of, as its quote says after 占 (占所在行政区的96%, 占全市12.5%, 占全国25%);
/// `None` where it says nothing this reads, or names a whole that is none of these (占全国
/// 国家级经开区: all national zones, not the nation).
pub fn share_of_in(quote: &str) -> Option<ShareOf> {
    // Words that make the whole a set of zones, not a place: 占全国国家级经开区, 占全省5家国家级
    // 经开区总量.
    const ZONES_NOT_A_PLACE: &[&str] = &["开发区", "经开区", "国家级", "园区"];
    const WHOLES: &[(&str, ShareOf)] = &[
        ("行政区", ShareOf::HostDistrict),
        ("全区", ShareOf::HostDistrict),
        ("区", ShareOf::HostDistrict),
        ("全市", ShareOf::HostCity),
        ("市", ShareOf::HostCity),
        ("全省", ShareOf::HostProvince),
        ("省", ShareOf::HostProvince),
        ("全国", ShareOf::Nation),
    ];
    let normalised = super::text::normalise(quote);
    let at = normalised.rfind('占')?;
    let after = &normalised[at + '占'.len_utf8()..];
    // 占所在行政区, 占本市: the same wholes.
    let after = after.strip_prefix("所在").or_else(|| after.strip_prefix("本")).unwrap_or(after);
    // The words naming the whole run to 的, 比(重) or the share itself.
    let whole_words: String = after.chars().take_while(|c| !matches!(c, '的' | '比' | '%')).take(24).collect();
    if ZONES_NOT_A_PLACE.iter().any(|w| whole_words.contains(w)) {
        return None;
    }
    WHOLES.iter().find(|(w, _)| after.starts_with(w)).map(|(_, whole)| *whole)
}

impl Candidate {
    /// The figure as a text import stores it, with the reader's verdict (`None`: waiting).
    pub fn to_import(&self, reviewed: Option<bool>) -> crate::store::ImportedFigure<'_> {
        crate::store::ImportedFigure {
            entity: &self.entity,
            indicator: &self.indicator,
            measure: self.measure,
            period: self.period,
            period_text: &self.period_text,
            value: self.value,
            unit: &self.unit,
            qualifier: self.qualifier,
            share_of: self.share_of,
            quote: Some(&self.quote),
            quote_span: Some(self.quote_span),
            reviewed,
        }
    }
}

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
    /// What a share is of, where the text says (占所在行政区, 占全国 …).
    pub share_of: Option<ShareOf>,
    pub quote: String,
    /// The quote's characters in the text, end exclusive.
    pub quote_span: (usize, usize),
    /// How the figure came about when not by the extractor alone (added by the reader).
    pub note: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_share_says_what_it_is_of_after_zhan() {
        assert_eq!(share_of_in("分别占所在行政区的96%、96%、99.5%"), Some(ShareOf::HostDistrict));
        assert_eq!(share_of_in("进出口总额36.4亿元,占全区96.7%"), Some(ShareOf::HostDistrict));
        assert_eq!(share_of_in("占全市的12.5%"), Some(ShareOf::HostCity));
        assert_eq!(share_of_in("占本省三成"), Some(ShareOf::HostProvince));
        assert_eq!(share_of_in("占全國25%"), Some(ShareOf::Nation));
        // All national zones are no place; nor is a share that names no whole.
        assert_eq!(share_of_in("占全国国家级经开区的20%"), None);
        assert_eq!(share_of_in("占全省5家国家级经开区总量的45.6%"), None);
        assert_eq!(share_of_in("占比达到35%"), None);
        assert_eq!(share_of_in("同比增长5%"), None);
    }
}
