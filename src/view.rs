//! A view: what the browser shows (entities, indicator, measure, period shape, tab, language,
//! theme), in a form that is saved in the database by name, remembered between runs, and read
//! from a JSON file by scripts.

use serde::{Deserialize, Serialize};

use crate::chart::{CurrencyRate, LineOptions, Transform};
use crate::model::{Lang, Measure, PeriodShape};

/// The tab a view opens on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tab {
    Chart,
    Ranking,
    Table,
    Sources,
    Review,
}

/// Light or dark paper and window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    Light,
    Dark,
}

/// The yuan a dollar can plausibly be said to be worth in a view (it has been 1.5 to 8.7).
const RATE_RANGE: (f64, f64) = (1.0, 20.0);

/// The years a view's axis and index base can name.
const YEARS: (f64, f64) = (1900.0, 2100.0);

/// A view that cannot be read: not JSON of a view, or a field with a value no view can show.
#[derive(Debug, thiserror::Error)]
pub enum ViewError {
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    #[error("{field} is {problem}")]
    Field { field: &'static str, problem: String },
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ViewSpec {
    /// Canonical names, in the order picked: names survive a rebuilt database, ids do not.
    pub entities: Vec<String>,
    pub indicator: Option<String>,
    pub measure: Option<Measure>,
    pub period_shape: Option<PeriodShape>,
    /// Levels as published, as computed growth, or as an index.
    pub transform: Option<Transform>,
    /// A rate the reader chose to convert dollars into yuan.
    pub rate: Option<CurrencyRate>,
    /// A money scale the reader chose (index into `chart::MONEY_SCALES`: 元, 万, 亿, 万亿);
    /// `None` picks the usual one.
    pub unit_scale: Option<usize>,
    /// The period an index is 100 at, as an axis position in years; `None` picks the first
    /// period every line has.
    pub index_base: Option<f64>,
    /// The period the ranking ranks, as written in the store (`2023`, `2024-01/2024-09`);
    /// `None` picks the one most zones report.
    pub ranking_period: Option<String>,
    /// Levels on a logarithmic y axis.
    pub log_scale: Option<bool>,
    /// The years the chart shows when the reader zoomed or panned it; `None` fits the data.
    pub x_range: Option<[f64; 2]>,
    /// For shares: the whole they are of (`host_district`, `host_city`, `host_province`,
    /// `nation`, `own_total`, or `unstated`); `None` picks the one most figures are of.
    pub share_of: Option<String>,
    /// `chart`, `ranking`, `table`, `sources` or `review` in JSON.
    pub tab: Option<Tab>,
    /// `zh` or `en` in JSON.
    pub lang: Option<Lang>,
    /// `light` or `dark` in JSON.
    pub theme: Option<Theme>,
}

impl ViewSpec {
    pub fn to_json(&self) -> String {
        // A struct of strings, options and plain enums always serialises.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// A view as written by `to_json` (or by hand): every field checked, so that a rate of −7
    /// yuan per dollar or a zoom to infinity is refused with the field named, never drawn.
    /// The whole the view's shares are of, as asked (`None`: not asked).
    pub fn asked_whole(&self) -> Option<Option<crate::model::ShareOf>> {
        self.share_of.as_deref().and_then(|w| crate::model::ShareOf::parse_view_name(w).ok())
    }

    pub fn from_json(text: &str) -> Result<ViewSpec, ViewError> {
        let view: ViewSpec = serde_json::from_str(text)?;
        view.check()?;
        Ok(view)
    }

    /// The fields' values are ones a view can show.
    pub fn check(&self) -> Result<(), ViewError> {
        let bad = |field: &'static str, problem: String| Err(ViewError::Field { field, problem });
        if let Some(rate) = &self.rate {
            let r = rate.cny_per_usd;
            if !(r.is_finite() && (RATE_RANGE.0..=RATE_RANGE.1).contains(&r)) {
                return bad(
                    "rate.cny_per_usd",
                    format!("{r} yuan per dollar; a rate is between {} and {}", RATE_RANGE.0, RATE_RANGE.1),
                );
            }
            if rate.basis.trim().is_empty() {
                return bad("rate.basis", "empty; a rate says what it is (such as 2023 annual average)".into());
            }
            if rate.source.trim().is_empty() {
                return bad("rate.source", "empty; a rate says where it comes from".into());
            }
        }
        if let Some(scale) = self.unit_scale.filter(|s| *s >= crate::chart::MONEY_SCALES.len()) {
            return bad("unit_scale", format!("{scale}; one of 0 (元), 1 (万), 2 (亿), 3 (万亿)"));
        }
        if let Some(base) = self.index_base.filter(|b| !(b.is_finite() && (YEARS.0..=YEARS.1).contains(b))) {
            return bad("index_base", format!("{base}; the base period is a year between {} and {}", YEARS.0, YEARS.1));
        }
        if let Some([a, b]) = self.x_range {
            let year = |v: f64| v.is_finite() && (YEARS.0..=YEARS.1).contains(&v);
            if !(year(a) && year(b) && a < b) {
                return bad(
                    "x_range",
                    format!("[{a}, {b}]; two years between {} and {}, the first before the second", YEARS.0, YEARS.1),
                );
            }
        }
        if let Some(whole) = &self.share_of
            && let Err(e) = crate::model::ShareOf::parse_view_name(whole)
        {
            return bad("share_of", format!("{whole:?}: {e}"));
        }
        if let Some(p) = &self.ranking_period
            && let Err(e) = p.parse::<crate::model::Period>()
        {
            return bad("ranking_period", format!("{p:?}: {e}"));
        }
        Ok(())
    }

    /// How the view's line chart is drawn in `shape`: one rule for the window, the figure and
    /// the data files (a transform applies to levels only; growth, shares and ranks are drawn as
    /// published).
    pub fn line_options(&self, shape: PeriodShape, english: bool) -> LineOptions {
        let measure = self.measure.unwrap_or(Measure::Value);
        let transform =
            if measure == Measure::Value { self.transform.unwrap_or_default() } else { Transform::default() };
        LineOptions {
            measure,
            shape,
            unit_scale: self.unit_scale,
            transform,
            index_base: self.index_base,
            rate: self.rate.clone(),
            english,
            log_scale: self.log_scale.unwrap_or(false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_view_round_trips_through_json() {
        let v = ViewSpec {
            entities: vec!["重庆经济技术开发区".into(), "万州经济技术开发区".into()],
            indicator: Some("外贸进出口总额".into()),
            measure: Some(Measure::SharePct),
            period_shape: Some(PeriodShape::YearToDate { end_month: 9 }),
            transform: Some(Transform::Index),
            rate: Some(CurrencyRate {
                cny_per_usd: 7.0467,
                basis: "2023 annual average".into(),
                source: "test".into(),
            }),
            unit_scale: Some(2),
            index_base: Some(2019.0),
            ranking_period: Some("2024-01/2024-09".into()),
            share_of: Some("host_district".into()),
            log_scale: Some(true),
            x_range: Some([2015.5, 2024.25]),
            tab: Some(Tab::Chart),
            lang: Some(Lang::En),
            theme: Some(Theme::Light),
        };
        assert_eq!(ViewSpec::from_json(&v.to_json()).unwrap(), v);
        // As the JSON writes them, the words scripts use.
        let json = v.to_json();
        assert!(json.contains(r#""tab": "chart""#) && json.contains(r#""lang": "en""#), "{json}");
    }

    #[test]
    fn missing_fields_take_defaults_and_bad_json_is_an_error() {
        let v = ViewSpec::from_json(r#"{"entities": ["亦庄"]}"#).unwrap();
        assert_eq!(v.entities, vec!["亦庄"]);
        assert_eq!(v.measure, None);
        assert!(ViewSpec::from_json(r#"{"measure": "growth"}"#).is_err());
        assert!(ViewSpec::from_json("not json").is_err());
        // A word that is no tab, language or theme is refused with the field named.
        let bad = ViewSpec::from_json(r#"{"tab": "charts"}"#).unwrap_err().to_string();
        assert!(bad.contains("charts"), "{bad}");
    }

    #[test]
    fn a_field_no_view_can_show_is_refused_by_name() {
        let rate =
            |r: &str| format!(r#"{{"rate": {{"cny_per_usd": {r}, "basis": "2023 average", "source": "PBoC"}}}}"#);
        for r in ["-7", "0", "1e308"] {
            let err = ViewSpec::from_json(&rate(r)).unwrap_err().to_string();
            assert!(err.starts_with("rate.cny_per_usd is"), "{r}: {err}");
        }
        assert!(ViewSpec::from_json(&rate("7.1")).is_ok());
        let no_basis = r#"{"rate": {"cny_per_usd": 7.1, "basis": " ", "source": "PBoC"}}"#;
        assert!(ViewSpec::from_json(no_basis).unwrap_err().to_string().starts_with("rate.basis"));
        let err = ViewSpec::from_json(r#"{"index_base": -5}"#).unwrap_err().to_string();
        assert!(err.starts_with("index_base is -5"), "{err}");
        let err = ViewSpec::from_json(r#"{"x_range": [2024, 2010]}"#).unwrap_err().to_string();
        assert!(err.starts_with("x_range"), "{err}");
        let err = ViewSpec::from_json(r#"{"unit_scale": 9}"#).unwrap_err().to_string();
        assert!(err.starts_with("unit_scale"), "{err}");
        let err = ViewSpec::from_json(r#"{"ranking_period": "2023-13"}"#).unwrap_err().to_string();
        assert!(err.starts_with("ranking_period"), "{err}");
    }
}
