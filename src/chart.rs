//! Chart data: observations turned into comparable series, in the reader's unit. No drawing
//! here, so that the window, the exporter and the benchmarks share one set of rules.
//!
//! The rules (DESIGN.md): a line joins only one entity's figures of one indicator, one measure
//! and one period shape; nothing is drawn across a gap; a group is its own entity, never a sum
//! of its members; when several sources give the same figure, the newest is drawn and the
//! others stay visible as alternatives.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::model::{BaseUnit, Observation, RankingPeriod};
use crate::model::{Measure, Period, PeriodShape};

/// The unit an axis and a table show values in, within one currency or kind.
#[derive(Debug, Clone, PartialEq)]
pub struct DisplayUnit {
    /// Base units per display unit: 1e8 for 亿元.
    pub factor: f64,
    pub label_zh: String,
    pub label_en: String,
}

/// Scales a reader may choose for money: 元/万元/亿元/万亿元, and the English reader's
/// millions and billions. Saved views keep an index into this list, so scales are only added
/// at its end.
pub const MONEY_SCALES: [(f64, &str, &str); 6] = [
    (1.0, "", ""),
    (1e4, "万", "10k"),
    (1e8, "亿", "100 mn"),
    (1e12, "万亿", "tn"),
    (1e6, "百万", "mn"),
    (1e9, "十亿", "bn"),
];

/// The money scales a reader of each language picks from, as indices into `MONEY_SCALES`:
/// 元, 万, 亿, 万亿; CNY, mn, bn, tn.
pub fn money_scales(english: bool) -> [usize; 4] {
    if english { [0, 4, 5, 3] } else { [0, 1, 2, 3] }
}

impl DisplayUnit {
    /// `unit_base` shown at `factor`: CNY at 1e8 is 亿元 / CNY 100 mn.
    pub fn new(unit_base: &BaseUnit, factor: f64) -> DisplayUnit {
        let (zh, en) = match unit_base {
            BaseUnit::Cny => ("元", "CNY"),
            BaseUnit::Usd => ("美元", "USD"),
            BaseUnit::Percent => ("%", "%"),
            BaseUnit::PercentPoint => ("个百分点", "pp"),
            BaseUnit::Rank => ("位", "rank"),
            BaseUnit::Times => ("倍", "times"),
            BaseUnit::Index => ("指数(基期=100)", "index (base = 100)"),
            BaseUnit::Count(w) | BaseUnit::Physical(w) => (w.as_str(), crate::model::unit_word_en(w)),
        };
        let (prefix_zh, prefix_en) =
            MONEY_SCALES.iter().find(|(f, _, _)| *f == factor).map(|(_, z, e)| (*z, *e)).unwrap_or(("", ""));
        let label_en = if prefix_en.is_empty() { en.to_string() } else { format!("{en} {prefix_en}") };
        DisplayUnit { factor, label_zh: format!("{prefix_zh}{zh}"), label_en }
    }

    /// The scale a reader expects for values up to `max_abs` base units: in Chinese 亿元 for
    /// billions and 万美元 for tens of thousands; in English CNY bn and USD mn. Only money is
    /// scaled.
    pub fn auto(unit_base: &BaseUnit, max_abs: f64, english: bool) -> DisplayUnit {
        let steps: &[f64] = if english { &[1e12, 1e9, 1e6] } else { &[1e12, 1e8, 1e4] };
        let factor = match unit_base.is_money() {
            true => steps.iter().copied().find(|s| max_abs >= *s).unwrap_or(1.0),
            false => 1.0,
        };
        DisplayUnit::new(unit_base, factor)
    }

    /// A money value as an English reader writes it: "CNY 24.23 bn", "USD 71.03 mn"; other
    /// units as written.
    pub fn english_amount(value_base: f64, unit_base: &BaseUnit) -> Option<String> {
        if !unit_base.is_money() {
            return None;
        }
        let unit = DisplayUnit::auto(unit_base, value_base.abs(), true);
        let shown = crate::model::format_number((unit.show(value_base) * 100.0).round() / 100.0);
        Some(match unit.label_en.split_once(' ') {
            Some((currency, scale)) => format!("{currency} {shown} {scale}"),
            None => format!("{} {shown}", unit.label_en),
        })
    }

    /// Any value as an English reader writes it: money as `english_amount` does, "96%",
    /// "1.2 pp", "No. 3", "2.5 times", "12000 firms", "35 m²".
    pub fn english_value(value_base: f64, unit_base: &BaseUnit) -> String {
        if let Some(amount) = DisplayUnit::english_amount(value_base, unit_base) {
            return amount;
        }
        let shown = crate::model::format_number(value_base);
        match unit_base {
            BaseUnit::Percent => format!("{shown}%"),
            BaseUnit::Rank => format!("No. {shown}"),
            BaseUnit::Index => format!("{shown} (index)"),
            other => format!("{shown} {}", other.name_en()),
        }
    }

    pub fn label(&self, english: bool) -> &str {
        if english { &self.label_en } else { &self.label_zh }
    }

    pub fn show(&self, value_base: f64) -> f64 {
        value_base / self.factor
    }
}

/// One drawn point and what stands behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesPoint {
    /// Position on the time axis, in years.
    pub x: f64,
    /// The value in the series' display unit.
    pub y: f64,
    /// Index of the preferred observation in the slice the series was built from.
    pub observation: usize,
    /// Other observations of the same entity, indicator, measure and period (other sources).
    pub alternatives: Vec<usize>,
    /// Some other source gives another value: the point is ringed. Sources that agree are a
    /// confirmation, listed but not ringed.
    pub disputed: bool,
    /// A bound or an approximation (超/约) rather than an exact figure.
    pub qualified: bool,
    /// Computed, not published.
    pub derived: bool,
    /// Other observations a computed value stands on, in the same slice as `observation`: the
    /// year before for computed growth, the base period for an index.
    pub computed_from: Vec<usize>,
}

/// One entity's comparable figures, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub entity: String,
    pub shape: PeriodShape,
    pub unit_base: BaseUnit,
    pub points: Vec<SeriesPoint>,
}

impl Series {
    /// Runs of points with no gap between them: each is drawn as one line. A missing year (or
    /// quarter, or month) breaks the line; nothing is interpolated across it.
    pub fn segments(&self) -> Vec<&[SeriesPoint]> {
        let Some(step) = self.shape.step() else {
            return vec![&self.points[..]];
        };
        let mut out = Vec::new();
        let mut start = 0;
        for i in 1..self.points.len() {
            if self.points[i].x - self.points[i - 1].x > step * 1.01 {
                out.push(&self.points[start..i]);
                start = i;
            }
        }
        if start < self.points.len() {
            out.push(&self.points[start..]);
        }
        out
    }
}

/// The period shapes the figures of `measure` come in, with how many figures each.
pub fn available_shapes(observations: &[Observation], measure: Measure) -> Vec<(PeriodShape, usize)> {
    let mut counts: BTreeMap<PeriodShape, usize> = BTreeMap::new();
    for o in observations.iter().filter(|o| o.measure == measure) {
        for s in o.period.shapes() {
            *counts.entry(s).or_default() += 1;
        }
    }
    counts.into_iter().collect()
}

/// The shape a chart shows: `preferred` when the figures come in it, else the shape with the
/// most figures (on a tie the first: calendar years first).
pub fn chart_shape(shapes: &[(PeriodShape, usize)], preferred: Option<PeriodShape>) -> Option<PeriodShape> {
    match preferred {
        Some(s) if shapes.iter().any(|(x, _)| *x == s) => Some(s),
        _ => shapes.iter().rev().max_by_key(|(_, n)| *n).map(|(s, _)| *s),
    }
}

/// The series of `measure` in `shape`, one per entity (and per base unit, should an entity
/// report one indicator in two currencies), in the order the entities first appear.
///
/// Where several observations share entity and period, the one from the newest source is drawn
/// (ties: the later stored) and the rest are kept as its alternatives.
pub fn build_series(observations: &[Observation], measure: Measure, shape: PeriodShape) -> Vec<Series> {
    let mut series: Vec<Series> = Vec::new();
    // Indexes, so that large selections stay linear: (entity, base unit) → series, and
    // (series, period) → point.
    let mut series_of: HashMap<(&str, &BaseUnit), usize> = HashMap::new();
    let mut point_of: HashMap<(usize, Period), usize> = HashMap::new();
    for (i, o) in observations.iter().enumerate() {
        if o.measure != measure || !o.period.shapes().contains(&shape) {
            continue;
        }
        let Some(x) = o.period.axis_position(shape) else { continue };
        let idx = *series_of.entry((&*o.entity, &o.unit_base)).or_insert_with(|| {
            series.push(Series {
                entity: o.entity.to_string(),
                shape,
                unit_base: o.unit_base.clone(),
                points: Vec::new(),
            });
            series.len() - 1
        });
        let s = &mut series[idx];
        let point = SeriesPoint {
            x,
            y: o.value_base,
            observation: i,
            alternatives: Vec::new(),
            disputed: false,
            qualified: o.qualifier.is_some(),
            derived: o.derived_from.is_some(),
            computed_from: Vec::new(),
        };
        match point_of.get(&(idx, o.period)) {
            Some(&p) => {
                let existing = &mut s.points[p];
                let current = &observations[existing.observation];
                if o.published.as_deref().unwrap_or("") >= current.published.as_deref().unwrap_or("") {
                    let mut alternatives = std::mem::take(&mut existing.alternatives);
                    alternatives.push(existing.observation);
                    *existing = SeriesPoint { alternatives, ..point };
                } else {
                    existing.alternatives.push(i);
                }
            }
            None => {
                point_of.insert((idx, o.period), s.points.len());
                s.points.push(point);
            }
        }
    }
    for s in &mut series {
        s.points.sort_by(|a, b| a.x.total_cmp(&b.x));
        for p in &mut s.points {
            let drawn = &observations[p.observation];
            p.disputed = p.alternatives.iter().any(|&a| !same_value(&observations[a], drawn));
        }
    }
    series
}

/// Whether two figures say the same: one value in one base unit (242.3亿元 and 2423000万元 do).
pub fn same_value(a: &Observation, b: &Observation) -> bool {
    a.unit_base == b.unit_base && (a.value_base - b.value_base).abs() <= 1e-9 * a.value_base.abs().max(1.0)
}

/// Puts every series of one base unit into `unit` (values were in base units).
pub fn scale_series(series: &mut [Series], unit: &DisplayUnit) {
    for s in series {
        for p in &mut s.points {
            p.y = unit.show(p.y);
        }
    }
}

/// The display unit for a set of series: the reader's usual scale for the largest value.
pub fn auto_unit(series: &[Series], english: bool) -> Option<DisplayUnit> {
    let first = series.first()?;
    let max = series.iter().flat_map(|s| &s.points).map(|p| p.y.abs()).fold(0.0, f64::max);
    Some(DisplayUnit::auto(&first.unit_base, max, english))
}

/// Line colours, distinguishable in print and by most colour-blind readers (Okabe–Ito, then
/// darker shades of its first four for charts of more than eight lines); the window and
/// exported figures use the same.
pub const PALETTE: [[u8; 3]; 12] = [
    [0, 114, 178],
    [213, 94, 0],
    [0, 158, 115],
    [204, 121, 167],
    [230, 159, 0],
    [86, 180, 233],
    [120, 120, 120],
    [240, 228, 66],
    [0, 62, 100],
    [130, 55, 0],
    [0, 92, 66],
    [125, 60, 105],
];

/// What a line chart is asked to show, besides its figures.
#[derive(Debug, Clone, PartialEq)]
pub struct LineOptions {
    pub measure: Measure,
    pub shape: PeriodShape,
    /// A money scale the reader chose (index into `MONEY_SCALES`); `None` picks the usual one.
    pub unit_scale: Option<usize>,
    pub transform: Transform,
    /// The period an index is 100 at (axis position); `None` picks the first common one.
    pub index_base: Option<f64>,
    pub rate: Option<CurrencyRate>,
    pub english: bool,
    /// Levels on a logarithmic axis, asked for by the reader (zones differ by orders of
    /// magnitude); honoured only where every value drawn is a positive level.
    pub log_scale: bool,
}

/// A line chart of one indicator: the series drawn, the unit of the axis, and what the reader
/// must be told about it. The window draws it; the exporter composes a figure of it.
#[derive(Debug, Clone, PartialEq)]
pub struct LineChart {
    pub series: Vec<Series>,
    /// Each series' entity as the legend names it.
    pub names: Vec<String>,
    pub unit: DisplayUnit,
    /// Figures of the indicator and measure that are not on this chart (other shapes).
    pub left_out: usize,
    /// Growth computed from levels, drawn dashed beside published growth. Its points index the
    /// level figures, not the figures of the measure.
    pub overlay: Vec<Series>,
    pub overlay_names: Vec<String>,
    /// What the reader must know about this chart (lines left out, growth rates that disagree,
    /// the currency rate used).
    pub notes: Vec<String>,
    /// Periods (axis positions) an index can be based on.
    pub index_choices: Vec<f64>,
    /// Some figures are in US dollars: the reader may convert them at a rate.
    pub has_usd: bool,
    /// Each series' colour, as an index into `PALETTE` (`colour_slots`).
    pub colours: Vec<usize>,
    /// The y axis is logarithmic: values stay as published, only their positions are log10.
    pub log_scale: bool,
}

fn tr_note(english: bool, zh: &str, en: &str) -> String {
    if english { en.to_string() } else { zh.to_string() }
}

/// The ticks of a logarithmic axis from `lo` to `hi` (both above zero): 1, 2 and 5 times each
/// power of ten when few decades are shown, powers of ten when many.
pub fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    if !(lo > 0.0 && hi >= lo) {
        return Vec::new();
    }
    let (first, last) = (lo.log10().floor() as i32, hi.log10().ceil() as i32);
    let steps: &[f64] = if last - first > 4 { &[1.0] } else { &[1.0, 2.0, 5.0] };
    let mut out = Vec::new();
    for e in first..=last {
        for m in steps {
            let v = m * 10f64.powi(e);
            if v >= lo * (1.0 - 1e-9) && v <= hi * (1.0 + 1e-9) {
                out.push(v);
            }
        }
    }
    out
}

/// Each entity's colour in a chart, as an index into `PALETTE`: derived from the entity's name,
/// so that a zone keeps its colour across charts, indicators and sessions; when two entities of
/// one chart would share a colour, the later one takes the next free one.
pub fn colour_slots(entities: &[&str]) -> Vec<usize> {
    // The eight Okabe–Ito colours are preferred; their darker shades only when a chart has
    // more lines than free preferred colours.
    const PREFERRED: u64 = 8;
    let mut taken = [false; PALETTE.len()];
    entities
        .iter()
        .map(|name| {
            let hash =
                name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3));
            let preferred = (hash % PREFERRED) as usize;
            let slot =
                (0..PALETTE.len()).map(|k| (preferred + k) % PALETTE.len()).find(|&s| !taken[s]).unwrap_or(preferred);
            taken[slot] = true;
            slot
        })
        .collect()
}

impl LineChart {
    /// The chart of `figures` (one indicator and measure). `levels` are the same entities'
    /// levels of the indicator, for growth computed beside published growth; `name` gives an
    /// entity's label. `None` when nothing can be drawn.
    pub fn build(
        figures: &[Observation],
        levels: &[Observation],
        options: &LineOptions,
        name: &dyn Fn(&str) -> String,
    ) -> Option<LineChart> {
        let LineOptions { measure, shape, unit_scale, transform, index_base, ref rate, english, log_scale } = *options;
        let mut series = build_series(figures, measure, shape);
        let drawn: usize =
            series.iter().map(|s| s.points.iter().map(|p| 1 + p.alternatives.len()).sum::<usize>()).sum();
        let left_out = figures.len().saturating_sub(drawn);
        let mut notes = Vec::new();
        // Dollars become yuan only at a rate the reader chose, and the chart says which.
        let has_usd = series.iter().any(|s| s.unit_base == BaseUnit::Usd);
        if let (true, Some(rate)) = (has_usd, rate) {
            convert_usd_to_cny(&mut series, rate);
            notes.push(rate.note(english));
        }
        for (unit, n) in keep_one_unit(&mut series) {
            let unit = DisplayUnit::new(&unit, 1.0);
            notes.push(if english {
                let lines = if n == 1 { "1 line".to_string() } else { format!("{n} lines") };
                format!("{lines} in {} cannot share an axis with the others and are not drawn; a conversion rate can be set.", unit.label_en)
            } else {
                format!("另有 {n} 条线单位为{},不能与其他线共用一个纵轴,未画出;可设定汇率换算。", unit.label_zh)
            });
        }
        let mut index_choices: Vec<f64> = series.iter().flat_map(|s| s.points.iter().map(|p| p.x)).collect();
        index_choices.sort_by(f64::total_cmp);
        index_choices.dedup();
        let unit = if measure == Measure::Value && transform == Transform::ComputedGrowth {
            series = series.iter().filter_map(computed_growth).filter(|s| !s.points.is_empty()).collect();
            DisplayUnit::new(&BaseUnit::Percent, 1.0)
        } else if measure == Measure::Value && transform == Transform::Index {
            // The chosen base, else the first period every line has, else the earliest.
            let common = index_choices
                .iter()
                .copied()
                .find(|x| series.iter().all(|s| s.points.iter().any(|p| (p.x - x).abs() < 1e-9)));
            let base = index_base.or(common).or(index_choices.first().copied())?;
            let before = series.len();
            series = series.iter().filter_map(|s| index_series(s, base)).collect();
            if series.len() < before {
                let n = before - series.len();
                notes.push(if english {
                    format!("{n} lines have no figure at the base period and are not drawn.")
                } else {
                    format!("{n} 条线在基期没有数据,未画出。")
                });
            }
            DisplayUnit::new(&BaseUnit::Index, 1.0)
        } else {
            let auto = auto_unit(&series, english)?;
            // The reader's own scale, where the unit is money; otherwise the usual one.
            let unit = match (unit_scale.and_then(|i| MONEY_SCALES.get(i)), series.first()) {
                (Some((factor, _, _)), Some(first)) if first.unit_base.is_money() => {
                    DisplayUnit::new(&first.unit_base, *factor)
                }
                _ => auto,
            };
            scale_series(&mut series, &unit);
            unit
        };
        // Published growth beside growth computed from the published levels.
        let mut overlay = Vec::new();
        if measure == Measure::YoyPct {
            let level_series = build_series(levels, Measure::Value, shape);
            overlay = level_series.iter().filter_map(computed_growth).filter(|s| !s.points.is_empty()).collect();
            for (entity, x, published, computed) in growth_mismatches(&series, &overlay, 0.5) {
                let entity = name(&entity);
                notes.push(if english {
                    format!("{entity} {x:.0}: published growth {published:.1}%, computed from levels {computed:.1}%, more than 0.5 pp apart.")
                } else {
                    format!("{entity} {x:.0}:公布增速 {published:.1}%,由总量计算 {computed:.1}%,相差超过0.5个百分点。")
                });
            }
        }
        let names = series.iter().map(|s| name(&s.entity)).collect();
        let computed_label = if english { "computed from levels" } else { "由总量计算" };
        let overlay_names = overlay.iter().map(|s| format!("{} ({computed_label})", name(&s.entity))).collect();
        let colours = colour_slots(&series.iter().map(|s| s.entity.as_str()).collect::<Vec<_>>());
        // A log axis shows levels as published, all of them above zero; otherwise the chart
        // says why it is linear.
        let all_positive = series.iter().flat_map(|s| &s.points).all(|p| p.y > 0.0);
        let log_possible = measure == Measure::Value && transform == Transform::Level && all_positive;
        if log_scale && !log_possible {
            notes.push(tr_note(
                english,
                "对数刻度只用于全部为正数的总量,此图为线性刻度。",
                "A log scale is for levels above zero only; this chart is linear.",
            ));
        }
        Some(LineChart {
            log_scale: log_scale && log_possible,
            series,
            names,
            unit,
            left_out,
            overlay,
            overlay_names,
            notes,
            index_choices,
            has_usd,
            colours,
        })
    }
}

/// One entity's figures at two periods and the change between them.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodComparison {
    pub entity: String,
    pub unit_base: BaseUnit,
    pub start: Option<f64>,
    pub end: Option<f64>,
}

impl PeriodComparison {
    pub fn delta(&self) -> Option<f64> {
        Some(self.end? - self.start?)
    }

    /// Change in percent of the start; none from a zero or negative start.
    pub fn delta_pct(&self) -> Option<f64> {
        let start = self.start.filter(|s| *s > 0.0)?;
        Some((self.end? / start - 1.0) * 100.0)
    }
}

/// Each entity's figure at `start` and at `end` (base units; the newest source where several
/// give one), for entities with at least one of them. Two periods of different shapes (a year
/// and a Jan–Aug span) are the caller's choice to make, not this function's.
pub fn compare_periods(observations: &[Observation], start: Period, end: Period) -> Vec<PeriodComparison> {
    let at_start = rank(observations, start);
    let at_end = rank(observations, end);
    let mut out: Vec<PeriodComparison> = Vec::new();
    for (bars, is_start) in [(&at_start, true), (&at_end, false)] {
        for b in bars.iter() {
            let unit_base = &observations[b.observation].unit_base;
            let row = match out.iter_mut().position(|r| r.entity == b.entity && &r.unit_base == unit_base) {
                Some(i) => &mut out[i],
                None => {
                    out.push(PeriodComparison {
                        entity: b.entity.clone(),
                        unit_base: unit_base.clone(),
                        start: None,
                        end: None,
                    });
                    let last = out.len() - 1;
                    &mut out[last]
                }
            };
            if is_start {
                row.start = Some(b.value_base);
            } else {
                row.end = Some(b.value_base);
            }
        }
    }
    out
}

/// A rate the reader chose to convert US dollars into renminbi, with where it comes from. It is
/// never implicit: it is shown next to any chart and stored with any export that uses it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CurrencyRate {
    /// Yuan per US dollar.
    pub cny_per_usd: f64,
    /// What the rate is: "2023 annual average".
    pub basis: String,
    /// Where it comes from: "国家统计局".
    pub source: String,
}

impl CurrencyRate {
    pub fn note(&self, english: bool) -> String {
        let rate = format_rate(self.cny_per_usd);
        if english {
            format!("USD converted at CNY {rate} per USD ({}; source: {})", self.basis, self.source)
        } else {
            format!("美元按 1美元={rate}元 换算({};来源:{})", self.basis, self.source)
        }
    }
}

fn format_rate(r: f64) -> String {
    crate::model::format_number((r * 10_000.0).round() / 10_000.0)
}

/// Converts the series counted in USD to CNY at `rate`; their points become derived. Other
/// series are left as they are. An entity that also reports in yuan keeps one line: where both
/// give a period, the figure published in yuan is drawn and the converted one is its
/// alternative.
pub fn convert_usd_to_cny(series: &mut Vec<Series>, rate: &CurrencyRate) {
    for s in series.iter_mut().filter(|s| s.unit_base == BaseUnit::Usd) {
        s.unit_base = BaseUnit::Cny;
        for p in &mut s.points {
            p.y *= rate.cny_per_usd;
            p.derived = true;
        }
    }
    let mut merged: Vec<Series> = Vec::with_capacity(series.len());
    for s in series.drain(..) {
        let Some(into) = merged.iter_mut().find(|m| m.entity == s.entity && m.unit_base == s.unit_base) else {
            merged.push(s);
            continue;
        };
        for p in s.points {
            match into.points.iter_mut().find(|q| (q.x - p.x).abs() < 1e-9) {
                Some(q) if q.derived && !p.derived => {
                    let mut alternatives = std::mem::take(&mut q.alternatives);
                    alternatives.push(q.observation);
                    alternatives.extend(p.alternatives.iter().copied());
                    // A figure in dollars and one in yuan for one period: two reports.
                    *q = SeriesPoint { alternatives, disputed: true, ..p };
                }
                Some(q) => {
                    q.alternatives.push(p.observation);
                    q.alternatives.extend(p.alternatives);
                    q.disputed = true;
                }
                None => into.points.push(p),
            }
        }
        into.points.sort_by(|a, b| a.x.total_cmp(&b.x));
    }
    *series = merged;
}

/// Keeps the series of the base unit most of them share; one axis cannot carry yuan and
/// dollars (or yuan and firms). Returns the units of the series dropped, with how many.
pub fn keep_one_unit(series: &mut Vec<Series>) -> Vec<(BaseUnit, usize)> {
    let Some((keep, others)) = most_common_unit(series.iter().map(|s| &s.unit_base)) else {
        return Vec::new();
    };
    series.retain(|s| s.unit_base == keep);
    others
}

/// How the chart shows a series of levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Transform {
    /// The levels as published.
    #[default]
    Level,
    /// Year-on-year growth computed from two published levels, in %.
    ComputedGrowth,
    /// 100 at a chosen period.
    Index,
}

/// Year-on-year growth (%) computed from the levels of a series: each point against the point
/// one year before it. Only shapes whose neighbours are a year apart (years, Jan–N spans) give
/// 同比 this way; a point without its predecessor, or after a zero, gives nothing. The result is
/// marked derived; `observation` is the later level's.
pub fn computed_growth(levels: &Series) -> Option<Series> {
    if levels.shape.step() != Some(1.0) {
        return None;
    }
    let mut points = Vec::new();
    for pair in levels.points.windows(2) {
        let (before, after) = (&pair[0], &pair[1]);
        if (after.x - before.x - 1.0).abs() < 1e-9 && before.y != 0.0 {
            points.push(SeriesPoint {
                x: after.x,
                y: (after.y / before.y - 1.0) * 100.0,
                observation: after.observation,
                alternatives: Vec::new(),
                disputed: false,
                qualified: before.qualified || after.qualified,
                derived: true,
                computed_from: vec![before.observation],
            });
        }
    }
    Some(Series { entity: levels.entity.clone(), shape: levels.shape, unit_base: BaseUnit::Percent, points })
}

/// The series as an index: 100 at `base_x`. A series with no point there cannot be indexed to
/// it and gives `None`.
pub fn index_series(levels: &Series, base_x: f64) -> Option<Series> {
    let base_point = levels.points.iter().find(|p| (p.x - base_x).abs() < 1e-9)?;
    let (base, base_observation) = (base_point.y, base_point.observation);
    if base == 0.0 {
        return None;
    }
    let points = levels
        .points
        .iter()
        .map(|p| SeriesPoint {
            y: p.y / base * 100.0,
            derived: true,
            computed_from: if p.observation == base_observation { Vec::new() } else { vec![base_observation] },
            ..p.clone()
        })
        .collect();
    Some(Series { entity: levels.entity.clone(), shape: levels.shape, unit_base: BaseUnit::Index, points })
}

/// Where a published growth rate and one computed from levels both exist for an entity and
/// period, and differ by more than `tolerance_pp` percentage points: (entity, x, published,
/// computed). Published rates are often on a comparable basis; the difference is shown, never
/// "corrected".
pub fn growth_mismatches(published: &[Series], computed: &[Series], tolerance_pp: f64) -> Vec<(String, f64, f64, f64)> {
    let mut out = Vec::new();
    for p in published {
        let Some(c) = computed.iter().find(|c| c.entity == p.entity) else { continue };
        for pp in &p.points {
            if let Some(cp) = c.points.iter().find(|cp| (cp.x - pp.x).abs() < 1e-9)
                && (pp.y - cp.y).abs() > tolerance_pp
            {
                out.push((p.entity.clone(), pp.x, pp.y, cp.y));
            }
        }
    }
    out
}

/// One bar of a ranking: an entity's figure for the ranked period.
#[derive(Debug, Clone, PartialEq)]
pub struct RankedBar {
    pub entity: String,
    pub value_base: f64,
    /// Index of the drawn observation in the slice the ranking was made from.
    pub observation: usize,
    /// How many other sources gave a figure for the same entity and period.
    pub alternatives: usize,
    /// One of them gives another value (marked *); agreeing sources are confirmations.
    pub disputed: bool,
}

/// The periods figures can be ranked for, with how many entities, and how many zones (as
/// `is_zone` tells of an entity's name), each has; latest first. The store keeps the same
/// summary for every indicator (`Store::ranking_periods`).
pub fn ranking_periods(observations: &[Observation], is_zone: impl Fn(&str) -> bool) -> Vec<RankingPeriod> {
    let mut periods: HashMap<Period, (HashSet<&str>, &str)> = HashMap::new();
    for o in observations.iter().filter(|o| o.period != Period::Unspecified) {
        periods.entry(o.period).or_insert_with(|| (HashSet::new(), &o.period_text)).0.insert(&o.entity);
    }
    let mut out: Vec<RankingPeriod> = periods
        .into_iter()
        .map(|(period, (entities, text))| RankingPeriod {
            period,
            entities: entities.len(),
            zones: entities.iter().filter(|e| is_zone(e)).count(),
            text: text.to_string(),
        })
        .collect();
    out.sort_by_key(|p| std::cmp::Reverse(p.period.bounds().map(|(start, end)| (end, start))));
    out
}

/// One bar per entity for `period`, best first: largest value first, or for ranks (第N位) the
/// smallest. Several sources for one entity: the newest is drawn, the others counted.
pub fn rank(observations: &[Observation], period: Period) -> Vec<RankedBar> {
    let mut bars: Vec<RankedBar> = Vec::new();
    let mut bar_of: HashMap<&str, usize> = HashMap::new();
    for (i, o) in observations.iter().enumerate().filter(|(_, o)| o.period == period) {
        match bar_of.get(&*o.entity) {
            Some(&b) => {
                let bar = &mut bars[b];
                bar.alternatives += 1;
                let current = &observations[bar.observation];
                if o.published.as_deref().unwrap_or("") >= current.published.as_deref().unwrap_or("") {
                    bar.observation = i;
                    bar.value_base = o.value_base;
                }
            }
            None => {
                bar_of.insert(&o.entity, bars.len());
                bars.push(RankedBar {
                    entity: o.entity.to_string(),
                    value_base: o.value_base,
                    observation: i,
                    alternatives: 0,
                    disputed: false,
                });
            }
        }
    }
    for o in observations.iter().filter(|o| o.period == period) {
        let bar = &mut bars[bar_of[&*o.entity]];
        bar.disputed |= !same_value(o, &observations[bar.observation]);
    }
    let ascending = observations.first().is_some_and(|o| o.measure == Measure::Rank);
    bars.sort_by(
        |a, b| if ascending { a.value_base.total_cmp(&b.value_base) } else { b.value_base.total_cmp(&a.value_base) },
    );
    bars
}

/// The unit most of `units` are in (on a tie, the one that appeared last), and the others with how many
/// each; `None` when there are none.
fn most_common_unit<'a>(units: impl Iterator<Item = &'a BaseUnit>) -> Option<(BaseUnit, Vec<(BaseUnit, usize)>)> {
    let mut counts: Vec<(BaseUnit, usize)> = Vec::new();
    for u in units {
        match counts.iter_mut().find(|(x, _)| x == u) {
            Some((_, n)) => *n += 1,
            None => counts.push((u.clone(), 1)),
        }
    }
    let keep = counts.iter().max_by_key(|(_, n)| *n).map(|(u, _)| u.clone())?;
    counts.retain(|(u, _)| *u != keep);
    Some((keep, counts))
}

/// A ranking whose bars share one unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranking {
    pub bars: Vec<RankedBar>,
    /// The base unit of every bar (`CNY` once dollars were converted).
    pub unit_base: BaseUnit,
    /// Dollars were converted at the rate given.
    pub converted: bool,
    /// Bars left out because their unit differs from the others': unit and how many.
    pub dropped: Vec<(BaseUnit, usize)>,
}

/// The ranking of `period` on one axis: dollars converted at `rate` when one is given, then
/// the bars of the unit most entities report in; the rest are counted, never drawn against
/// another unit.
pub fn rank_in_one_unit(observations: &[Observation], period: Period, rate: Option<&CurrencyRate>) -> Ranking {
    let mut bars = rank(observations, period);
    let unit_of = |b: &RankedBar| observations[b.observation].unit_base.clone();
    let mut units: Vec<BaseUnit> = bars.iter().map(unit_of).collect();
    let mut converted = false;
    if let Some(rate) = rate {
        for (bar, unit) in bars.iter_mut().zip(units.iter_mut()) {
            if *unit == BaseUnit::Usd {
                bar.value_base *= rate.cny_per_usd;
                *unit = BaseUnit::Cny;
                converted = true;
            }
        }
    }
    // An empty ranking has no unit: an empty name, shown as nothing.
    let (unit_base, dropped) =
        most_common_unit(units.iter()).unwrap_or_else(|| (BaseUnit::Physical(String::new()), Vec::new()));
    let mut kept: Vec<RankedBar> =
        bars.into_iter().zip(&units).filter(|(_, u)| **u == unit_base).map(|(b, _)| b).collect();
    let ascending = observations.first().is_some_and(|o| o.measure == Measure::Rank);
    kept.sort_by(
        |a, b| {
            if ascending { a.value_base.total_cmp(&b.value_base) } else { b.value_base.total_cmp(&a.value_base) }
        },
    );
    Ranking { bars: kept, unit_base, converted, dropped }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Period, Qualifier};

    #[test]
    fn a_ranking_never_draws_dollars_against_yuan() {
        let mut qd = obs("青岛", "2023", 90e8, "x");
        qd.unit_base = BaseUnit::Usd;
        let a = obs("a", "2023", 100e8, "x");
        let b = obs("b", "2023", 300e8, "x");
        let figures = vec![qd, a, b];
        let period: Period = "2023".parse().unwrap();
        let plain = rank_in_one_unit(&figures, period, None);
        assert_eq!(plain.unit_base, BaseUnit::Cny);
        assert_eq!(plain.bars.iter().map(|b| b.entity.as_str()).collect::<Vec<_>>(), vec!["b", "a"]);
        assert_eq!(plain.dropped, vec![(BaseUnit::Usd, 1)]);
        let rate = CurrencyRate { cny_per_usd: 7.0, basis: "test".into(), source: "test".into() };
        let converted = rank_in_one_unit(&figures, period, Some(&rate));
        assert!(converted.converted && converted.dropped.is_empty());
        assert_eq!(converted.bars[0].entity, "青岛");
        assert_eq!(converted.bars[0].value_base, 630e8);
    }

    fn obs(entity: &str, period: &str, value_base: f64, published: &str) -> Observation {
        Observation {
            id: 0,
            entity: entity.into(),
            indicator: "外贸进出口总额".into(),
            measure: Measure::Value,
            period: period.parse::<Period>().unwrap(),
            period_text: String::new(),
            value: value_base / 1e8,
            unit: "亿元".into(),
            value_base,
            unit_base: "CNY".into(),
            qualifier: None,
            share_of: None,
            source: "test".into(),
            source_id: published.into(),
            published: Some(published.into()),
            address: "".into(),
            quote: None,
            quote_span: None,
            status: crate::model::ReviewStatus::Accepted,
            derived_from: None,
            note: None,
        }
    }

    #[test]
    fn a_jan_to_aug_figure_is_never_joined_to_calendar_years() {
        let o = vec![
            obs("万州", "2022", 50e8, "2023-01-01"),
            obs("万州", "2023", 55e8, "2024-01-01"),
            obs("万州", "2024-01/2024-08", 36.4e8, "2024-10-29"),
        ];
        let years = build_series(&o, Measure::Value, PeriodShape::Year);
        assert_eq!(years.len(), 1);
        assert_eq!(years[0].points.iter().map(|p| p.x).collect::<Vec<_>>(), vec![2022.0, 2023.0]);
        let ytd = build_series(&o, Measure::Value, PeriodShape::YearToDate { end_month: 8 });
        assert_eq!(ytd[0].points.len(), 1);
        assert_eq!(ytd[0].points[0].observation, 2);
        let shapes = available_shapes(&o, Measure::Value);
        assert_eq!(shapes, vec![(PeriodShape::Year, 2), (PeriodShape::YearToDate { end_month: 8 }, 1)]);
    }

    #[test]
    fn a_groups_figure_is_its_own_series_never_a_sum_of_members() {
        let group = "重庆经济技术开发区+万州经济技术开发区+长寿经济技术开发区";
        let o = vec![
            obs("重庆经济技术开发区", "2023", 100e8, "2024-10-29"),
            obs("万州经济技术开发区", "2023", 60e8, "2024-10-29"),
            obs(group, "2023", 242.3e8, "2024-10-29"),
        ];
        let series = build_series(&o, Measure::Value, PeriodShape::Year);
        assert_eq!(series.len(), 3);
        let g = series.iter().find(|s| s.entity == group).unwrap();
        assert_eq!(g.points.len(), 1);
        assert_eq!(g.points[0].y, 242.3e8);
    }

    #[test]
    fn gaps_break_the_line() {
        let o = vec![obs("a", "2019", 1.0, "2020"), obs("a", "2020", 2.0, "2021"), obs("a", "2022", 3.0, "2023")];
        let series = build_series(&o, Measure::Value, PeriodShape::Year);
        let segments = series[0].segments();
        assert_eq!(segments.len(), 2);
        assert_eq!(segments[0].len(), 2);
        assert_eq!(segments[1].len(), 1);
    }

    #[test]
    fn the_newest_source_is_drawn_and_the_other_kept_as_an_alternative() {
        let mut older = obs("全国国家级经开区", "2023", 15.7e12, "2024-02-04");
        older.source_id = "older".into();
        let newer = obs("全国国家级经开区", "2023", 14.8e12, "2024-06-18");
        let series = build_series(&[older, newer], Measure::Value, PeriodShape::Year);
        assert_eq!(series[0].points.len(), 1);
        assert_eq!(series[0].points[0].observation, 1);
        assert_eq!(series[0].points[0].alternatives, vec![0]);
        assert!(series[0].points[0].disputed, "15.7 and 14.8 trillion disagree");
    }

    #[test]
    fn a_log_axis_ticks_one_two_five_and_is_kept_for_positive_levels_only() {
        assert_eq!(log_ticks(3.0, 800.0), vec![5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0]);
        assert_eq!(log_ticks(0.5e8, 2e14).len(), 7, "powers of ten over many decades");
        assert!(log_ticks(0.0, 10.0).is_empty());
        let options = |measure: Measure| LineOptions {
            measure,
            shape: PeriodShape::Year,
            unit_scale: None,
            transform: Transform::Level,
            index_base: None,
            rate: None,
            english: false,
            log_scale: true,
        };
        let levels = [obs("a", "2022", 5e8, "2023"), obs("b", "2022", 3e11, "2023")];
        let chart = LineChart::build(&levels, &[], &options(Measure::Value), &|n| n.to_string()).unwrap();
        assert!(chart.log_scale && chart.notes.is_empty());
        let mut falling = obs("a", "2022", -3.0, "2023");
        falling.measure = Measure::YoyPct;
        falling.unit_base = BaseUnit::Percent;
        let growth = LineChart::build(&[falling], &[], &options(Measure::YoyPct), &|n| n.to_string()).unwrap();
        assert!(!growth.log_scale, "growth rates are never on a log axis");
        assert!(growth.notes.iter().any(|n| n.contains("对数刻度")));
    }

    #[test]
    fn a_zone_keeps_its_colour_whatever_else_is_charted_and_no_two_lines_share_one() {
        let alone = colour_slots(&["万州经济技术开发区"])[0];
        let with_others = colour_slots(&["重庆经济技术开发区", "长寿经济技术开发区", "万州经济技术开发区"]);
        let in_another_order = colour_slots(&["万州经济技术开发区", "天津经济技术开发区"]);
        assert_eq!(in_another_order[0], alone, "first in the list or not, the same colour");
        // Unless an earlier line took it, the zone keeps its colour among others too.
        if !with_others[..2].contains(&alone) {
            assert_eq!(with_others[2], alone);
        }
        let many: Vec<String> = (0..12).map(|k| format!("开发区{k}")).collect();
        let slots = colour_slots(&many.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(slots.iter().collect::<std::collections::BTreeSet<_>>().len(), 12, "{slots:?}");
    }

    #[test]
    fn sources_that_agree_confirm_and_only_those_that_differ_are_disputed() {
        // 天津经开区's 2019 overall rank: 3 in two papers.
        let one = obs("天津", "2019", 3.0, "2019-12-01");
        let two = obs("天津", "2019", 3.0, "2020-01-05");
        let series = build_series(&[one.clone(), two.clone()], Measure::Value, PeriodShape::Year);
        assert_eq!(series[0].points[0].alternatives.len(), 1);
        assert!(!series[0].points[0].disputed, "two sources saying 3 confirm each other");
        let bars = rank(&[one.clone(), two.clone()], Period::Year(2019));
        assert_eq!((bars[0].alternatives, bars[0].disputed), (1, false));
        let three = obs("天津", "2019", 4.0, "2020-02-01");
        let series = build_series(&[one.clone(), two.clone(), three.clone()], Measure::Value, PeriodShape::Year);
        assert!(series[0].points[0].disputed);
        assert!(rank(&[one, two, three], Period::Year(2019))[0].disputed);
    }

    #[test]
    fn qualified_and_derived_points_are_marked() {
        let mut about = obs("a", "2023", 1.0, "2024");
        about.qualifier = Some(Qualifier::About);
        let mut derived = obs("a", "2024", 2.0, "2025");
        derived.derived_from = Some("Q3 = Jan–Sep − Jan–Jun".into());
        let series = build_series(&[about, derived], Measure::Value, PeriodShape::Year);
        assert!(series[0].points[0].qualified && !series[0].points[0].derived);
        assert!(series[0].points[1].derived && !series[0].points[1].qualified);
    }

    #[test]
    fn units_take_the_scale_a_chinese_reader_expects() {
        assert_eq!(DisplayUnit::auto(&BaseUnit::from_name("CNY"), 242.3e8, false).label_zh, "亿元");
        // English readers count in millions and billions.
        assert_eq!(DisplayUnit::auto(&BaseUnit::from_name("CNY"), 242.3e8, true).label_en, "CNY bn");
        assert_eq!(DisplayUnit::auto(&BaseUnit::from_name("USD"), 7102.6e4, true).label_en, "USD mn");
        assert_eq!(DisplayUnit::new(&BaseUnit::from_name("CNY"), 1e8).label_en, "CNY 100 mn");
        let amount = |v: f64, u: &str| DisplayUnit::english_amount(v, &BaseUnit::from_name(u));
        assert_eq!(amount(242.3e8, "CNY").as_deref(), Some("CNY 24.23 bn"));
        assert_eq!(amount(10.3e12, "CNY").as_deref(), Some("CNY 10.3 tn"));
        assert_eq!(amount(7102.6e4, "USD").as_deref(), Some("USD 71.03 mn"));
        assert_eq!(amount(96.0, "%"), None);
        // Other units in English words, never a Chinese counter.
        let value = |v: f64, u: &str| DisplayUnit::english_value(v, &BaseUnit::from_name(u));
        assert_eq!(value(242.3e8, "CNY"), "CNY 24.23 bn");
        assert_eq!(value(96.0, "%"), "96%");
        assert_eq!(value(1.5, "pp"), "1.5 pp");
        assert_eq!(value(3.0, "rank"), "No. 3");
        assert_eq!(value(12000.0, "家"), "12000 firms");
        assert_eq!(DisplayUnit::auto(&BaseUnit::from_name("家"), 12000.0, true).label_en, "firms");
        assert_eq!(DisplayUnit::auto(&BaseUnit::from_name("USD"), 7102.6e4, false).label_zh, "万美元");
        assert_eq!(DisplayUnit::auto(&BaseUnit::from_name("USD"), 5e8, false).label_zh, "亿美元");
        assert_eq!(DisplayUnit::auto(&BaseUnit::from_name("CNY"), 8000e8, false).label_zh, "亿元");
        assert_eq!(DisplayUnit::auto(&BaseUnit::from_name("CNY"), 15.7e12, false).label_zh, "万亿元");
        assert_eq!(DisplayUnit::auto(&BaseUnit::from_name("CNY"), 15.7e12, true).label_en, "CNY tn");
        assert_eq!(DisplayUnit::auto(&BaseUnit::from_name("%"), 96.0, false).label_zh, "%");
        assert_eq!(DisplayUnit::new(&BaseUnit::from_name("CNY"), 1e4).show(36.4e8), 364_000.0);
        let mut s = build_series(&[obs("a", "2023", 242.3e8, "2024")], Measure::Value, PeriodShape::Year);
        let unit = auto_unit(&s, false).unwrap();
        scale_series(&mut s, &unit);
        assert!((s[0].points[0].y - 242.3).abs() < 1e-9);
    }

    #[test]
    fn rankings_take_one_period_one_bar_per_entity_best_first() {
        let o = vec![
            obs("a", "2023", 3.0, "2024-01-01"),
            obs("b", "2023", 5.0, "2024-01-01"),
            obs("b", "2023", 6.0, "2024-06-01"),
            obs("c", "2022", 9.0, "2023-01-01"),
            obs("c", "2024-01/2024-08", 1.0, "2024-10-01"),
        ];
        let periods = ranking_periods(&o, |_| true);
        assert_eq!(periods[0].period.to_string(), "2024-01/2024-08");
        assert_eq!(periods.iter().find(|p| p.period.to_string() == "2023").map(|p| p.entities), Some(2));
        assert_eq!(RankingPeriod::choose(&periods, None).map(|p| p.to_string()).as_deref(), Some("2023"));
        let bars = rank(&o, "2023".parse().unwrap());
        assert_eq!(bars.iter().map(|b| b.entity.as_str()).collect::<Vec<_>>(), vec!["b", "a"]);
        assert_eq!((bars[0].value_base, bars[0].alternatives), (6.0, 1));
        // A Jan–Aug figure is never ranked against full years.
        assert!(rank(&o, "2023".parse().unwrap()).iter().all(|b| b.entity != "c"));
    }

    #[test]
    fn ranks_are_ranked_smallest_first() {
        let mut first = obs("a", "2023", 1.0, "2024");
        first.measure = Measure::Rank;
        let mut tenth = obs("b", "2023", 10.0, "2024");
        tenth.measure = Measure::Rank;
        let bars = rank(&[tenth, first], "2023".parse().unwrap());
        assert_eq!(bars[0].entity, "a");
    }

    #[test]
    fn growth_is_computed_only_between_neighbouring_years() {
        let o = vec![
            obs("a", "2020", 100.0, "2021"),
            obs("a", "2021", 110.0, "2022"),
            obs("a", "2023", 121.0, "2024"),
            obs("a", "2024", 133.1, "2025"),
        ];
        let levels = build_series(&o, Measure::Value, PeriodShape::Year);
        let g = computed_growth(&levels[0]).unwrap();
        let xs: Vec<f64> = g.points.iter().map(|p| p.x).collect();
        assert_eq!(xs, vec![2021.0, 2024.0], "no growth across the missing 2022");
        assert!((g.points[0].y - 10.0).abs() < 1e-9);
        assert!(g.points.iter().all(|p| p.derived));
        // Quarters are not a year apart: no 同比 from them.
        let q = build_series(&[obs("a", "2024-04/2024-06", 1.0, "x")], Measure::Value, PeriodShape::Quarter);
        assert!(computed_growth(&q[0]).is_none());
    }

    #[test]
    fn an_index_is_100_at_its_base_and_needs_a_point_there() {
        let o = vec![obs("a", "2020", 50.0, "x"), obs("a", "2021", 75.0, "x")];
        let levels = build_series(&o, Measure::Value, PeriodShape::Year);
        let idx = index_series(&levels[0], 2020.0).unwrap();
        assert_eq!(idx.points.iter().map(|p| p.y).collect::<Vec<_>>(), vec![100.0, 150.0]);
        assert!(index_series(&levels[0], 2019.0).is_none());
    }

    #[test]
    fn published_and_computed_growth_differing_over_half_a_point_are_flagged() {
        let levels = build_series(
            &[obs("a", "2022", 100.0, "x"), obs("a", "2023", 110.0, "x"), obs("a", "2024", 121.0, "x")],
            Measure::Value,
            PeriodShape::Year,
        );
        let computed = vec![computed_growth(&levels[0]).unwrap()];
        let mut published = computed.clone();
        published[0].points[0].y = 10.4; // within 0.5 pp of 10
        published[0].points[1].y = 8.0; // 2 pp off
        let flagged = growth_mismatches(&published, &computed, 0.5);
        assert_eq!(flagged.len(), 1);
        assert_eq!((flagged[0].1, flagged[0].2), (2024.0, 8.0));
    }

    #[test]
    fn two_periods_compare_per_entity_with_change_and_percent() {
        let o = vec![obs("a", "2022", 100.0, "x"), obs("a", "2023", 125.0, "x"), obs("b", "2023", 50.0, "x")];
        let rows = compare_periods(&o, "2022".parse().unwrap(), "2023".parse().unwrap());
        let a = rows.iter().find(|r| r.entity == "a").unwrap();
        assert_eq!((a.start, a.end, a.delta(), a.delta_pct()), (Some(100.0), Some(125.0), Some(25.0), Some(25.0)));
        let b = rows.iter().find(|r| r.entity == "b").unwrap();
        assert_eq!((b.start, b.delta(), b.delta_pct()), (None, None, None));
    }

    #[test]
    fn dollars_are_converted_only_at_a_chosen_rate_and_never_share_an_axis_with_yuan() {
        let mut usd = obs("a", "2023", 7102.6e4, "x");
        usd.unit_base = BaseUnit::Usd;
        let cny = obs("b", "2023", 1e8, "x");
        let mut series = build_series(&[usd, cny], Measure::Value, PeriodShape::Year);
        let mut unconverted = series.clone();
        let dropped = keep_one_unit(&mut unconverted);
        assert_eq!(unconverted.len(), 1);
        assert_eq!(dropped.len(), 1);
        let rate = CurrencyRate { cny_per_usd: 7.0467, basis: "2023 annual average".into(), source: "test".into() };
        convert_usd_to_cny(&mut series, &rate);
        assert!(series.iter().all(|s| s.unit_base == BaseUnit::Cny));
        let a = series.iter().find(|s| s.entity == "a").unwrap();
        assert!((a.points[0].y - 7102.6e4 * 7.0467).abs() < 1e-3);
        assert!(a.points[0].derived);
        assert!(keep_one_unit(&mut series).is_empty());
        assert!(rate.note(false).contains("1美元=7.0467元"));
        // One zone reporting in both currencies stays one line; the yuan figure is drawn.
        let mut usd_2022 = obs("c", "2022", 100.0, "x");
        usd_2022.unit_base = BaseUnit::Usd;
        let mut usd_2023 = obs("c", "2023", 100.0, "x");
        usd_2023.unit_base = BaseUnit::Usd;
        let cny_2023 = obs("c", "2023", 800.0, "x");
        let mut both = build_series(&[usd_2022, usd_2023, cny_2023], Measure::Value, PeriodShape::Year);
        assert_eq!(both.len(), 2);
        convert_usd_to_cny(&mut both, &rate);
        assert_eq!(both.len(), 1);
        let c = &both[0];
        assert_eq!(c.points.len(), 2);
        assert_eq!((c.points[1].y, c.points[1].derived, c.points[1].observation), (800.0, false, 2));
        assert_eq!(c.points[1].alternatives, vec![1]);
        assert!(c.points[0].derived);
        assert!(rate.note(true).contains("CNY 7.0467 per USD"));
    }
}
