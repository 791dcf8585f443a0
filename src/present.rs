//! What a screen shows, built headless from observations and a view. The window and the figure
//! composer draw these and decide nothing of their own, so that a ranking on a slide is the
//! ranking in the window.
//!
//! It holds the ranking and the one row format of every file of figures; the line chart's
//! rules are `ViewSpec::line_options` and `chart::LineChart`.

use crate::chart::{self, CurrencyRate, DisplayUnit, Ranking};
use crate::model::{Observation, Period, RankingPeriod, ShareOf};
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
    /// For shares: the whole ranked, and how many entities' shares of other wholes were left
    /// out (a district's 96% is not ranked against the nation's 25%).
    pub share_of: Option<ShareOf>,
    pub other_wholes: usize,
    /// Totals and groups with a figure for the period (全国国家级经开区, 东部地区…, three zones
    /// combined): shown beside the ranking as references, never ranked against single zones.
    pub references: Vec<chart::RankedBar>,
}

impl RankingView {
    /// The ranking of one indicator and measure across entities: `periods` are all it can be
    /// ranked for, and `figures` hold at least the period chosen by `RankingPeriod::choose`
    /// (others are ignored). `None` when there is no period to rank.
    pub fn build(
        periods: Vec<RankingPeriod>,
        figures: &[Observation],
        asked: Option<Period>,
        asked_whole: Option<Option<ShareOf>>,
        rate: Option<&CurrencyRate>,
        registry: &Registry,
        english: bool,
    ) -> Option<RankingView> {
        let period = RankingPeriod::choose(&periods, asked)?;
        let of_period = || figures.iter().filter(|o| o.period == period);
        let share_of = ShareOf::choose(of_period(), asked_whole);
        let other = |o: &&Observation| o.measure == crate::model::Measure::SharePct && o.share_of != share_of;
        let other_wholes: std::collections::HashSet<&str> = of_period().filter(other).map(|o| &*o.entity).collect();
        let other_wholes = other_wholes.len();
        // Figures of other wholes are taken out of the ranking, not out of the indices bars
        // keep into `figures`: they are blanked to another period.
        let kept: Vec<Observation>;
        let figures = if other_wholes == 0 {
            figures
        } else {
            kept = figures
                .iter()
                .map(|o| if other(&o) { Observation { period: Period::Unspecified, ..o.clone() } } else { o.clone() })
                .collect();
            &kept
        };
        let mut ranking = chart::rank_in_one_unit(figures, period, rate);
        // Zones are ranked against zones; a total or a group is a reference beside them.
        let is_zone = |name: &str| registry.by_name(name).is_none_or(|e| e.kind == crate::model::EntityKind::Zone);
        let (zones, references): (Vec<chart::RankedBar>, Vec<chart::RankedBar>) =
            std::mem::take(&mut ranking.bars).into_iter().partition(|b| is_zone(&b.entity));
        ranking.bars = zones;
        let max = ranking.bars.iter().map(|b| b.value_base.abs()).fold(0.0, f64::max);
        let unit = DisplayUnit::auto(&ranking.unit_base, max, english);
        let in_catalog = |name: &str| registry.by_name(name).is_some_and(|e| e.in_catalog);
        let catalog = registry.entities.iter().filter(|e| e.in_catalog).count();
        let reported = ranking.bars.iter().filter(|b| in_catalog(&b.entity)).count();
        Some(RankingView { periods, period, ranking, unit, catalog, reported, share_of, other_wholes, references })
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
pub const FIGURE_COLUMNS: [&str; 24] = [
    "entity",
    "indicator",
    "measure",
    "share_of",
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

/// What a file of figures in English names in English: zones (by their English names, groups
/// as groups) and indicators.
pub struct EnglishNames<'a> {
    pub registry: &'a Registry,
    /// Indicator → its English name.
    pub indicators: std::collections::HashMap<String, String>,
}

/// A row of `figure_row` as an English file writes it: the entity and indicator by their
/// English names, the period as English writes it (Jan–Sep 2024), the unit in English words
/// (CNY 100 mn, 10k firms) and the publisher by its English name. The figure's own words stay:
/// its quote and note are the source's and the curator's, as written.
pub fn english_row(row: &mut [Cell], o: &Observation, names: &EnglishNames<'_>) {
    let mut put = |column: &str, text: String| {
        if let Some(i) = FIGURE_COLUMNS.iter().position(|c| *c == column) {
            row[i] = Cell::Text(text);
        }
    };
    put("entity", names.registry.label_by_name(&o.entity, crate::registry::Naming::English));
    put("indicator", names.indicators.get(&*o.indicator).cloned().unwrap_or_else(|| o.indicator.to_string()));
    put("period_text", period_label(o.period, true));
    put("unit", o.unit.parse::<crate::model::Unit>().map_or_else(|_| o.unit.to_string(), |u| u.english()));
    put("unit_base", o.unit_base.name_en().to_string());
    put("publisher", publisher_label(&o.source, true));
    put("address", english_forms(&o.address));
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
        text(o.share_of.map_or("", |w| w.as_str())),
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

/// A period as a reader says it: 2023年, 2024年1-9月, 截至2023年12月31日.
pub fn period_label(period: Period, english: bool) -> String {
    let month = crate::model::month_abbreviation;
    match period {
        Period::Year(y) => {
            if english {
                format!("{y}")
            } else {
                format!("{y}年")
            }
        }
        Period::Span { start, end } if start.year == end.year => match (english, start.month == end.month) {
            (false, true) => format!("{}年{}月", start.year, start.month),
            (false, false) => format!("{}年{}-{}月", start.year, start.month, end.month),
            (true, true) => format!("{} {}", month(start.month), start.year),
            (true, false) => format!("{}–{} {}", month(start.month), month(end.month), start.year),
        },
        Period::Span { start, end } => {
            if english {
                format!("{} {}–{} {}", month(start.month), start.year, month(end.month), end.year)
            } else {
                format!("{}年{}月至{}年{}月", start.year, start.month, end.year, end.month)
            }
        }
        Period::At(d) => {
            if english {
                format!("at {d}")
            } else {
                format!("截至{}年{}月{}日", d.year, d.month, d.day)
            }
        }
        Period::Unspecified => String::new(),
    }
}

/// The publisher as a figure in `english` names it. Publishers are stored as written in the
/// bundled sources, "新华网 (Xinhua), mirror": the Chinese name for a Chinese figure, the name in
/// brackets for an English one; anything else as stored.
pub fn publisher_label(publisher: &str, english: bool) -> String {
    let publisher = publisher.trim();
    let head_end = publisher.find([' ', '(', ',', '（', '，']).unwrap_or(publisher.len());
    let head = &publisher[..head_end];
    let has_han = head.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    if !english {
        return if has_han { head.to_string() } else { publisher.to_string() };
    }
    // "新华网 (Xinhua) Jiangsu": the bracketed name right after a Chinese one, and any word
    // that follows it before a comma.
    if has_han
        && let Some(rest) = publisher[head_end..].trim_start().strip_prefix('(')
        && let Some((inside, after)) = rest.split_once(')')
    {
        let tail = after.split(',').next().unwrap_or("").trim();
        let label = if tail.is_empty() { inside.trim().to_string() } else { format!("{} {tail}", inside.trim()) };
        return english_forms(&label);
    }
    // "中新社 (China News Service) via 世界日报 (World Journal)": every Chinese name that has
    // its English one in brackets after it is replaced by it.
    english_forms(publisher)
}

/// `text` with every Chinese name that is followed by its English form in brackets replaced by
/// that form, and book-title marks dropped: "中新社 (China News Service) via 世界日报 (World
/// Journal)" → "China News Service via World Journal". Chinese without an English form stays.
pub fn english_forms(text: &str) -> String {
    let is_han = |c: char| ('\u{3400}'..='\u{9fff}').contains(&c) || "《》·".contains(c);
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find(is_han) {
        out.push_str(&rest[..start]);
        // The name runs to the next space or bracket: 中新网重庆10月29日电 is one.
        let ends = |c: char| c.is_whitespace() || "()（），,；;".contains(c);
        let after_han = rest[start..].find(ends).map_or(rest.len(), |i| start + i);
        let han = &rest[start..after_han];
        let tail = &rest[after_han..];
        let bracketed = tail.trim_start().strip_prefix(['(', '（']).and_then(|t| {
            let (close, mark) = t.char_indices().find(|(_, c)| *c == ')' || *c == '）')?;
            let inside = t[..close].trim();
            (!inside.is_empty() && !inside.contains(is_han)).then(|| (inside, &t[close + mark.len_utf8()..]))
        });
        match bracketed {
            Some((english, after)) => {
                out.push_str(english);
                rest = after;
            }
            None => {
                out.push_str(&han.replace(['《', '》'], ""));
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The two periods the Table compares: the ones asked for when both are there; else the
/// period most entities report (the latest of those) against the same period a year before or,
/// failing that, the latest earlier period of the same shape. Only when no period has an
/// earlier one of its shape are periods of different shapes compared (the Table warns).
pub fn compared_periods(periods: &[RankingPeriod], asked: Option<(Period, Period)>) -> Option<(Period, Period)> {
    let has = |p: &Period| periods.iter().any(|x| x.period == *p);
    if let Some((start, end)) = asked.filter(|(s, e)| has(s) && has(e)) {
        return Some((start, end));
    }
    // Most entities first, then the latest.
    let mut ends: Vec<&RankingPeriod> = periods.iter().collect();
    ends.sort_by_key(|p| (std::cmp::Reverse(p.entities), std::cmp::Reverse(p.period.bounds().map(|(s, e)| (e, s)))));
    let same_shape_before = |end: &Period| {
        let shapes = end.shapes();
        let end_bounds = end.bounds()?;
        let earlier = |p: &&RankingPeriod| {
            p.period.bounds().is_some_and(|b| b.1 < end_bounds.0)
                && p.period.shapes().iter().any(|s| shapes.contains(s))
        };
        year_before(end)
            .filter(has)
            .or_else(|| periods.iter().filter(earlier).max_by_key(|p| p.period.bounds()).map(|p| p.period))
    };
    ends.iter().find_map(|end| Some((same_shape_before(&end.period)?, end.period))).or_else(|| {
        let end = RankingPeriod::choose(periods, None)?;
        let start = periods.iter().map(|p| p.period).filter(|p| *p != end).min_by_key(|p| p.bounds())?;
        Some((start, end))
    })
}

/// The same period a year earlier: 2023 for 2024, 2023-01/2023-09 for 2024-01/2024-09.
fn year_before(p: &Period) -> Option<Period> {
    match *p {
        Period::Year(y) => Some(Period::Year(y - 1)),
        _ => {
            let text = p.to_string();
            let (a, b) = text.split_once('/')?;
            let back = |s: &str| -> Option<String> {
                let (y, rest) = s.split_at_checked(4)?;
                Some(format!("{}{rest}", y.parse::<i32>().ok()? - 1))
            };
            format!("{}/{}", back(a)?, back(b)?).parse().ok()
        }
    }
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
            share_of: None,
            source: "test".into(),
            source_id: "test".into(),
            published: Some("2024-01-01".into()),
            address: "".into(),
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
            city: None,
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
    fn two_periods_of_one_shape_are_compared_by_default() {
        let period = |p: &str, entities: usize| RankingPeriod {
            period: p.parse().unwrap(),
            entities,
            zones: entities,
            text: String::new(),
        };
        let p = |s: &str| s.parse::<Period>().unwrap();
        // Jan–Sep 2024 has most entities but nothing earlier of its shape; 2022 has nothing
        // earlier either; 2023 has 2022 before it.
        let periods = [period("2024-01/2024-09", 3), period("2023", 2), period("2022", 3)];
        assert_eq!(compared_periods(&periods, None), Some((p("2022"), p("2023"))));
        // A year before is preferred to any other earlier period of the shape.
        let periods = [period("2024-01/2024-09", 3), period("2023-01/2023-09", 1), period("2022-01/2022-09", 3)];
        assert_eq!(compared_periods(&periods, None), Some((p("2023-01/2023-09"), p("2024-01/2024-09"))));
        // Else the latest earlier one of the shape.
        let periods = [period("2024", 3), period("2021", 2), period("2019", 2)];
        assert_eq!(compared_periods(&periods, None), Some((p("2021"), p("2024"))));
        // What the reader picked stays while it is there.
        assert_eq!(compared_periods(&periods, Some((p("2019"), p("2021")))), Some((p("2019"), p("2021"))));
        // No two of one shape: the earliest against the most reported.
        let periods = [period("2024-01/2024-09", 3), period("2022", 2)];
        assert_eq!(compared_periods(&periods, None), Some((p("2022"), p("2024-01/2024-09"))));
        assert_eq!(compared_periods(&periods[..1], None), None);
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
        let periods = chart::ranking_periods(&figures, |e| r.is_zone(e));
        let build = |asked| RankingView::build(periods.clone(), &figures, asked, None, None, &r, false);
        let view = build(None).unwrap();
        assert_eq!(view.period, Period::Year(2023));
        // Zones are ranked against zones; the national total stands beside them.
        assert_eq!(view.order(), ["乙经开区", "甲经开区"]);
        assert_eq!(view.references.iter().map(|b| b.entity.as_str()).collect::<Vec<_>>(), ["全国国家级经开区"]);
        assert_eq!((view.catalog, view.reported), (2, 2));
        assert_eq!(view.unit.label_zh, "亿元");
        let asked = build(Some(Period::Year(2024))).unwrap();
        assert_eq!((asked.period, asked.order()), (Period::Year(2024), vec!["甲经开区"]));
        // A period the figures do not have is not kept.
        let absent = build(Some(Period::Year(2019))).unwrap();
        assert_eq!(absent.period, Period::Year(2023));
        assert_eq!(RankingView::build(Vec::new(), &[], None, None, None, &r, false), None);
    }

    #[test]
    fn chinese_names_give_way_to_their_english_forms() {
        assert_eq!(
            english_forms("中新社 (China News Service) via 世界日报 (World Journal)"),
            "China News Service via World Journal"
        );
        assert_eq!(english_forms("《云南日报》 (Yunnan Daily) report"), "Yunnan Daily report");
        assert_eq!(english_forms("湖北日报 via 荆楚网"), "湖北日报 via 荆楚网");
        assert_eq!(english_forms("Xinhua"), "Xinhua");
        assert_eq!(english_forms("中新社（China News Service）"), "China News Service");
        assert_eq!(
            english_forms("url (mirror of 中新网10月29日电 (CNS, 29 October))"),
            "url (mirror of CNS, 29 October)"
        );
        assert_eq!(publisher_label("中新网, citing 人民日报 (People's Daily)", true), "中新网, citing People's Daily");
        assert_eq!(publisher_label("新华网 (Xinhua), mirror", true), "Xinhua");
    }

    #[test]
    fn a_ranking_opens_on_the_period_the_most_zones_report() {
        // 2023: one zone and the national total; 2022: two zones. Both have two entities, and
        // the later would win, but only zones are ranked.
        let figures = vec![
            figure("甲经开区", "2022", 300.0),
            figure("乙经开区", "2022", 500.0),
            figure("甲经开区", "2023", 350.0),
            figure("全国国家级经开区", "2023", 9000.0),
        ];
        let r = registry();
        let periods = chart::ranking_periods(&figures, |e| r.is_zone(e));
        let view = RankingView::build(periods, &figures, None, None, None, &r, false).unwrap();
        assert_eq!(view.period, Period::Year(2022));
        assert_eq!(view.order(), ["乙经开区", "甲经开区"]);
        // On a tie in zones the later period is shown.
        let figures = vec![figure("甲经开区", "2022", 300.0), figure("乙经开区", "2023", 500.0)];
        let periods = chart::ranking_periods(&figures, |e| r.is_zone(e));
        assert_eq!(RankingPeriod::choose(&periods, None), Some(Period::Year(2023)));
    }
}
