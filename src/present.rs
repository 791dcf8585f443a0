//! What a screen shows, built headless from observations and a view. The window and the figure
//! composer draw these and decide nothing of their own, so that a ranking on a slide is the
//! ranking in the window.
//!
//! It holds the ranking and the one row format of every file of figures; the line chart's
//! rules are `ViewSpec::line_options` and `chart::LineChart`.

use crate::chart::{self, CurrencyRate, DisplayUnit, Ranking};
use crate::model::{Observation, Period, RankingPeriod};
use crate::registry::Registry;
use crate::view::ViewSpec;

/// A ranking as every front end shows it: the period ranked (the one asked for when the
/// figures have it, else the one most entities report), one bar per entity on one axis, in the
/// unit the bars share, and how many catalog zones it covers.
#[derive(Debug, Clone, PartialEq)]
pub struct RankingView {
    /// Periods the figures can be ranked for, latest first, with how many entities report each.
    pub periods: Vec<RankingPeriod>,
    pub period: Period,
    pub ranking: Ranking,
    /// The display unit of the bars (亿元, 万美元…), picked for the largest.
    pub unit: DisplayUnit,
    /// Catalog zones in all, and how many of the bars are catalog zones.
    pub catalog: usize,
    pub reported: usize,
}

impl RankingView {
    /// The ranking of one indicator and measure across entities: `periods` are all it can be
    /// ranked for, and `figures` hold at least the period chosen by `RankingPeriod::choose`
    /// (others are ignored). `None` when there is no period to rank.
    pub fn build(
        periods: Vec<RankingPeriod>,
        figures: &[Observation],
        asked: Option<Period>,
        rate: Option<&CurrencyRate>,
        registry: &Registry,
    ) -> Option<RankingView> {
        let period = RankingPeriod::choose(&periods, asked)?;
        let ranking = chart::rank_in_one_unit(figures, period, rate);
        let max = ranking.bars.iter().map(|b| b.value_base.abs()).fold(0.0, f64::max);
        let unit = DisplayUnit::auto(&ranking.unit_base, max);
        let in_catalog = |name: &str| registry.by_name(name).is_some_and(|e| e.in_catalog);
        let catalog = registry.entities.iter().filter(|e| e.in_catalog).count();
        let reported = ranking.bars.iter().filter(|b| in_catalog(&b.entity)).count();
        Some(RankingView { periods, period, ranking, unit, catalog, reported })
    }

    /// What each bar shows, best first: its value in the display unit, and that unit's label in
    /// the language asked for (the `shown_value`/`shown_unit` of a file of figures).
    pub fn shown(&self, english: bool) -> Vec<Option<(f64, String)>> {
        let label = self.unit.label(english).to_string();
        self.ranking.bars.iter().map(|b| Some((self.unit.show(b.value_base), label.clone()))).collect()
    }

    /// The entities ranked, best first.
    pub fn order(&self) -> Vec<&str> {
        self.ranking.bars.iter().map(|b| b.entity.as_str()).collect()
    }
}

/// The columns of every file of figures (CSV and XLSX exports, `query --format csv`, the
/// Table's TSV), in this order: the figure as published, its provenance, its review status, and
/// what the view did to it (empty where there is no view).
pub const FIGURE_COLUMNS: [&str; 23] = [
    "entity",
    "indicator",
    "measure",
    "period",
    "period_text",
    "value",
    "unit",
    "value_base",
    "unit_base",
    "qualifier",
    "publisher",
    "published",
    "address",
    "quote",
    "source_id",
    "note",
    "status",
    "transform",
    "rate_cny_per_usd",
    "rate_basis",
    "rate_source",
    "shown_value",
    "shown_unit",
];

/// A cell of a row of figures: spreadsheets keep numbers as numbers.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
}

impl Cell {
    /// The cell as text files write it (numbers without trailing zeros).
    pub fn text(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Number(n) => crate::model::format_number(*n),
        }
    }
}

/// One figure as a row of `FIGURE_COLUMNS`: with the view's transform and rate and the value
/// its chart shows (`shown`) when there is a view.
pub fn figure_row(o: &Observation, view: Option<&ViewSpec>, shown: Option<&(f64, String)>) -> Vec<Cell> {
    let text = |s: &str| Cell::Text(s.to_string());
    let transform = view.map_or("", |v| match v.transform.unwrap_or_default() {
        crate::chart::Transform::Level => "level",
        crate::chart::Transform::ComputedGrowth => "growth computed from levels",
        crate::chart::Transform::Index => "index",
    });
    let rate = view.and_then(|v| v.rate.as_ref());
    vec![
        text(&o.entity),
        text(&o.indicator),
        text(o.measure.as_str()),
        text(&o.period.to_string()),
        text(&o.period_text),
        Cell::Number(o.value),
        text(&o.unit),
        Cell::Number(o.value_base),
        text(o.unit_base.name()),
        text(o.qualifier.map(|q| q.as_str()).unwrap_or("")),
        text(&o.source),
        text(o.published.as_deref().unwrap_or("")),
        text(&o.address),
        text(o.quote.as_deref().unwrap_or("")),
        text(&o.source_id),
        text(o.note.as_deref().unwrap_or("")),
        text(o.status.as_str()),
        text(transform),
        rate.map_or(text(""), |r| Cell::Number(r.cny_per_usd)),
        text(rate.map_or("", |r| r.basis.as_str())),
        text(rate.map_or("", |r| r.source.as_str())),
        shown.map_or(text(""), |(v, _)| Cell::Number(*v)),
        text(shown.map_or("", |(_, u)| u.as_str())),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EntityKind, Measure, ReviewStatus};
    use crate::registry::EntityEntry;

    fn figure(entity: &str, period: &str, value: f64) -> Observation {
        Observation {
            id: 0,
            entity: entity.into(),
            indicator: "外贸进出口总额".into(),
            measure: Measure::Value,
            period: period.parse().unwrap(),
            period_text: String::new(),
            value,
            unit: "亿元".into(),
            value_base: value * 1e8,
            unit_base: "CNY".into(),
            qualifier: None,
            source: "test".into(),
            source_id: "test".into(),
            published: Some("2024-01-01".into()),
            address: String::new(),
            quote: None,
            quote_span: None,
            status: ReviewStatus::Accepted,
            derived_from: None,
            note: None,
        }
    }

    fn registry() -> Registry {
        let entity = |id: i64, name: &str, in_catalog: bool| EntityEntry {
            id,
            name: name.into(),
            kind: if in_catalog { EntityKind::Zone } else { EntityKind::Aggregate },
            short_name: None,
            name_en: None,
            code: None,
            province: None,
            approved: None,
            in_catalog,
            aliases: Vec::new(),
            members: Vec::new(),
            figures: 0,
        };
        Registry::new(vec![
            entity(1, "甲经开区", true),
            entity(2, "乙经开区", true),
            entity(3, "全国国家级经开区", false),
        ])
    }

    #[test]
    fn the_period_most_report_unless_another_is_asked_for_and_there() {
        let figures = vec![
            figure("甲经开区", "2023", 300.0),
            figure("乙经开区", "2023", 500.0),
            figure("甲经开区", "2024", 350.0),
            figure("全国国家级经开区", "2023", 9000.0),
        ];
        let r = registry();
        let periods = chart::ranking_periods(&figures);
        let build = |asked| RankingView::build(periods.clone(), &figures, asked, None, &r);
        let view = build(None).unwrap();
        assert_eq!(view.period, Period::Year(2023));
        assert_eq!(view.order(), ["全国国家级经开区", "乙经开区", "甲经开区"]);
        assert_eq!((view.catalog, view.reported), (2, 2));
        assert_eq!(view.unit.label_zh, "亿元");
        let asked = build(Some(Period::Year(2024))).unwrap();
        assert_eq!((asked.period, asked.order()), (Period::Year(2024), vec!["甲经开区"]));
        // A period the figures do not have is not kept.
        let absent = build(Some(Period::Year(2019))).unwrap();
        assert_eq!(absent.period, Period::Year(2023));
        assert_eq!(RankingView::build(Vec::new(), &[], None, None, &r), None);
    }
}
