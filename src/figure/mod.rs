//! A figure for a slide or a report: a title, a subtitle with the measure and unit, the chart
//! with its legend, a note line, and a footer citing every source behind the plotted points.
//!
//! A figure is composed once, as shapes and text in logical pixels, and then written as SVG
//! (`svg`) or drawn into pixels (`raster`, which draws that same SVG). The window's Export
//! dialog, its preview and `zonescope export` all go through `compose`, so the file a script
//! writes is the figure the researcher saw.

mod layout;
pub mod raster;
pub mod svg;
pub mod text;

use crate::chart::{self, LineChart};
use crate::model::{Lang, Measure, Period, PeriodShape, RankingFigures};
use crate::present::RankingView;
use crate::registry::{Naming, Registry};
use crate::store::{IndicatorEntry, Observation};
use crate::view::ViewSpec;

/// What kind of chart a figure shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ChartKind {
    /// The view's zones over time.
    #[default]
    Line,
    /// Every zone with a figure for one period, best first.
    Ranking,
}

/// A figure size a reader picks by name. Sizes are logical pixels; the scale multiplies them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SizePreset {
    pub name_zh: &'static str,
    pub name_en: &'static str,
    pub width: u32,
    pub height: u32,
}

pub const SIZE_PRESETS: [SizePreset; 4] = [
    SizePreset { name_zh: "16:9", name_en: "16:9", width: 1920, height: 1080 },
    SizePreset { name_zh: "4:3", name_en: "4:3", width: 1600, height: 1200 },
    SizePreset { name_zh: "正方形", name_en: "square", width: 1200, height: 1200 },
    // 297 × 210 mm at 150 dpi; at scale 2 it prints at 300 dpi.
    SizePreset { name_zh: "A4 横向", name_en: "A4 landscape", width: 1754, height: 1240 },
];

/// Figure sizes must stay drawable: a side from 200 to 8000 logical pixels, scale 1 to 4.
pub const SIDE_RANGE: std::ops::RangeInclusive<u32> = 200..=8000;
pub const SCALE_RANGE: std::ops::RangeInclusive<u32> = 1..=4;
/// A PNG of at most 64 million pixels (256 MB while drawn): A4 at 4× is 35 million.
pub const MAX_PIXELS: u64 = 64_000_000;

/// How a figure is made: chart, size, scale, language, title, credit.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureSpec {
    pub chart: ChartKind,
    /// Logical size; the PNG has `width × scale` by `height × scale` pixels.
    pub width: u32,
    pub height: u32,
    pub scale: u32,
    /// The language of every word on the figure.
    pub lang: Lang,
    /// The reader's title; `None` (or blank) names indicator, measure, zones and period.
    pub title: Option<String>,
    /// The small "Zonescope" credit in the corner.
    pub credit: bool,
    /// Light type on dark paper; light paper is the default.
    pub dark: bool,
}

impl Default for FigureSpec {
    fn default() -> FigureSpec {
        FigureSpec {
            chart: ChartKind::Line,
            width: 1920,
            height: 1080,
            scale: 2,
            lang: Lang::Zh,
            title: None,
            credit: true,
            dark: false,
        }
    }
}

impl FigureSpec {
    pub fn english(&self) -> bool {
        self.lang == Lang::En
    }

    /// The size of the PNG in pixels.
    pub fn pixel_size(&self) -> (u32, u32) {
        (self.width * self.scale, self.height * self.scale)
    }

    /// Checks size and scale, naming the one out of range.
    pub fn check(&self) -> Result<(), FigureError> {
        if !SIDE_RANGE.contains(&self.width) || !SIDE_RANGE.contains(&self.height) {
            return Err(FigureError::Size(self.width, self.height));
        }
        if !SCALE_RANGE.contains(&self.scale) {
            return Err(FigureError::Scale(self.scale));
        }
        let (w, h) = self.pixel_size();
        if w as u64 * h as u64 > MAX_PIXELS {
            return Err(FigureError::TooManyPixels(w, h));
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum FigureError {
    #[error("the view names no indicator")]
    NoIndicator,
    #[error("the view's zones have no figures of {0}")]
    NoFigures(String),
    #[error("none of these figures has a period that can be placed on a time axis")]
    NoTimeAxis,
    #[error(
        "no figure falls between {0:.1} and {1:.1}, the years the chart is zoomed to; zoom out or fit the chart to the data"
    )]
    NothingInRange(f64, f64),
    #[error("no period of these figures can be ranked")]
    NothingToRank,
    #[error("a figure of {0}×{1} cannot be made: each side must be 200 to 8000 pixels")]
    Size(u32, u32),
    #[error("{0}×{1} pixels is more than a figure may have (64 million); choose a smaller size or scale")]
    TooManyPixels(u32, u32),
    #[error("scale {0} is not offered: 1, 2, 3 or 4")]
    Scale(u32),
    #[error("the figure could not be drawn: {0}")]
    Draw(String),
}

/// What a figure is made from. The window has these in memory; the command line reads them
/// from the store.
pub struct FigureData<'a> {
    pub registry: &'a Registry,
    pub indicators: &'a [IndicatorEntry],
    /// The view's zones' figures of its indicator, every measure: what a line chart draws.
    pub figures: &'a [Observation],
    /// The periods of the indicator and measure and every entity's figures of the one ranked:
    /// what a ranking ranks (none for a line chart).
    pub ranking: Option<&'a RankingFigures>,
    /// The store is synthetic: the figure says so where the title is.
    pub synthetic: bool,
}

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// How a text line sits on its anchor point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

/// One thing drawn, in logical pixels, y down.
#[derive(Debug, Clone, PartialEq)]
pub enum Element {
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Rgb,
    },
    /// An open polyline; `clipped` ones are cut at the plot area.
    Line {
        points: Vec<(f32, f32)>,
        color: Rgb,
        width: f32,
        dashed: bool,
        clipped: bool,
    },
    Circle {
        x: f32,
        y: f32,
        r: f32,
        fill: Option<Rgb>,
        stroke: Rgb,
        width: f32,
    },
    /// One line of text; `y` is its baseline.
    Text {
        x: f32,
        y: f32,
        size: f32,
        color: Rgb,
        anchor: Anchor,
        text: String,
    },
}

/// A source cited in a figure's footer.
#[derive(Debug, Clone, PartialEq)]
pub struct CitedSource {
    pub source_id: String,
    /// The publisher as the figure's language names it.
    pub publisher: String,
    pub published: Option<String>,
}

impl CitedSource {
    /// `中新网,2024-10-29` or `China News Service, 2024-10-29`.
    pub fn label(&self, english: bool) -> String {
        match (&self.published, english) {
            (Some(date), false) => format!("{},{date}", self.publisher),
            (Some(date), true) => format!("{}, {date}", self.publisher),
            (None, _) => self.publisher.clone(),
        }
    }
}

/// A composed figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub width: f32,
    pub height: f32,
    pub scale: u32,
    pub english: bool,
    pub title: String,
    pub subtitle: String,
    /// The note line (derived values, qualifiers, a currency rate), as wrapped.
    pub notes: Vec<String>,
    /// "来源:…" / "Source: …", as wrapped.
    pub source_lines: Vec<String>,
    /// Every source behind the plotted points, each once.
    pub sources: Vec<CitedSource>,
    /// A ranking's entities, best first (all of them, also those beyond the rows drawn); empty
    /// for a line chart.
    pub ranked: Vec<String>,
    /// The plot area, where clipped lines are cut.
    pub plot: (f32, f32, f32, f32),
    pub elements: Vec<Element>,
}

/// Composes the figure of `view` as `spec` asks.
pub fn compose(data: &FigureData, view: &ViewSpec, spec: &FigureSpec) -> Result<Figure, FigureError> {
    spec.check()?;
    let indicator_name = view.indicator.as_deref().ok_or(FigureError::NoIndicator)?;
    let english = spec.english();
    let indicator = data.indicators.iter().find(|i| i.name == indicator_name);
    let indicator_label = match (english, indicator.and_then(|i| i.name_en.as_deref())) {
        (true, Some(en)) => en.to_string(),
        _ => indicator_name.to_string(),
    };
    let measure = view.measure.unwrap_or(Measure::Value);
    // A share says what it is of: the whole of the figures drawn (or ranked).
    let whole = match (measure, spec.chart, data.ranking) {
        (Measure::SharePct, ChartKind::Ranking, Some(r)) => {
            Some(crate::model::ShareOf::choose(r.figures.iter(), view.asked_whole()))
        }
        (Measure::SharePct, _, _) => Some(crate::model::ShareOf::choose(
            data.figures.iter().filter(|o| *o.indicator == *indicator_name),
            view.asked_whole(),
        )),
        _ => None,
    };
    let lang = if english { crate::model::Lang::En } else { crate::model::Lang::Zh };
    let measure_label = match whole {
        Some(w) => lang.share_of_label(w),
        None => lang.measure(measure).to_string(),
    };
    let words = Words {
        indicator: indicator_name,
        indicator_label,
        measure,
        whole,
        measure_label,
        naming: if english { Naming::English } else { Naming::Chinese },
        english,
    };
    let mut page = layout::Page::new(spec);
    let ranked = match spec.chart {
        ChartKind::Line => {
            compose_line(data, view, spec, &words, &mut page)?;
            Vec::new()
        }
        ChartKind::Ranking => compose_ranking(data, view, spec, &words, &mut page)?,
    };
    Ok(Figure { ranked, ..page.finish() })
}

/// What a figure calls its indicator, measure and zones.
struct Words<'a> {
    /// The indicator's canonical name, as figures carry it.
    indicator: &'a str,
    indicator_label: String,
    measure: Measure,
    /// For shares: the whole drawn; figures of other wholes are left out.
    whole: Option<Option<crate::model::ShareOf>>,
    measure_label: String,
    naming: Naming,
    english: bool,
}

/// A line chart of the view's zones over time.
fn compose_line(
    data: &FigureData,
    view: &ViewSpec,
    spec: &FigureSpec,
    words: &Words,
    page: &mut layout::Page,
) -> Result<(), FigureError> {
    let Words { indicator: indicator_name, ref indicator_label, measure, whole, ref measure_label, naming, english } =
        *words;
    let name = |entity: &str| data.registry.label_by_name(entity, naming);
    let figures: Vec<Observation> = data
        .figures
        .iter()
        .filter(|o| *o.indicator == *indicator_name && o.measure == measure)
        .filter(|o| whole.is_none_or(|w| o.share_of == w))
        .cloned()
        .collect();
    if figures.is_empty() {
        return Err(FigureError::NoFigures(indicator_label.clone()));
    }
    let levels: Vec<Observation> = data
        .figures
        .iter()
        .filter(|o| *o.indicator == *indicator_name && o.measure == Measure::Value)
        .cloned()
        .collect();
    let shapes = chart::available_shapes(&figures, measure);
    let shape = chart::chart_shape(&shapes, view.period_shape).ok_or(FigureError::NoTimeAxis)?;
    let options = ViewSpec { measure: Some(measure), ..view.clone() }.line_options(shape, english);
    let line = LineChart::build(&figures, &levels, &options, &name).ok_or(FigureError::NoTimeAxis)?;
    if line.series.iter().all(|s| s.points.is_empty()) {
        return Err(FigureError::NoTimeAxis);
    }
    let x_range = x_range(&line, view.x_range);
    let shown = |x: f64| x >= x_range.0 - 1e-9 && x <= x_range.1 + 1e-9;
    let xs: Vec<f64> = line.series.iter().flat_map(|s| &s.points).map(|p| p.x).filter(|x| shown(*x)).collect();
    if xs.is_empty() {
        let (a, b) = view.x_range.map_or(x_range, |[a, b]| (a, b));
        return Err(FigureError::NothingInRange(a, b));
    }
    let years = xs.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| (lo.min(*x), hi.max(*x)));
    let entities: Vec<String> = line.names.clone();
    let room = 0.45 * (spec.width as f32 - 2.0 * page.pad);
    let default_title = line_title(indicator_label, measure_label, &entities, years, shape, english, &|t: &str| {
        text::width(t, page.title_size()) <= room
    });
    let mut subtitle = vec![measure_label.to_string()];
    match (options.transform, english) {
        (chart::Transform::ComputedGrowth, false) => subtitle.push("同比增长(由总量计算)".into()),
        (chart::Transform::ComputedGrowth, true) => subtitle.push("growth computed from levels".into()),
        (chart::Transform::Index, _) => {
            if let Some(base) = line.series.iter().flat_map(|s| &s.points).find(|p| p.y == 100.0) {
                subtitle.push(if english {
                    format!("index, {} = 100", time_label(base.x, shape))
                } else {
                    format!("指数,{}=100", time_label(base.x, shape))
                });
            }
        }
        _ => {}
    }
    let unit = line.unit.label(english).to_string();
    subtitle.push(if english { format!("unit: {unit}") } else { format!("单位:{unit}") });
    subtitle.push(if english { shape.label_en() } else { shape.label_zh() });
    // Provenance: the observation behind every point on the figure, and those a
    // computed point stands on.
    let mut cited: Vec<&Observation> = Vec::new();
    for s in &line.series {
        for p in s.points.iter().filter(|p| shown(p.x)) {
            cited.push(&figures[p.observation]);
            cited.extend(p.computed_from.iter().map(|i| &figures[*i]));
        }
    }
    for s in &line.overlay {
        for p in s.points.iter().filter(|p| shown(p.x)) {
            cited.push(&levels[p.observation]);
            cited.extend(p.computed_from.iter().map(|i| &levels[*i]));
        }
    }
    let mut notes = Vec::new();
    let points = line.series.iter().flat_map(|s| &s.points).filter(|p| shown(p.x));
    let (mut hollow, mut ringed) = (false, false);
    for p in points {
        hollow |= p.qualified || p.derived;
        ringed |= p.disputed;
    }
    if hollow {
        notes.push(tr(
            english,
            "空心点为约数、上下限或推算值",
            "hollow markers are approximate, bounded or derived values",
        ));
    }
    if ringed {
        notes.push(tr(
            english,
            "带圈的点各来源数值不一,画出最新来源的",
            "ringed points: sources disagree, the newest is drawn",
        ));
    }
    if !line.overlay.is_empty() {
        notes.push(tr(
            english,
            "虚线为由公布总量计算的同比增速",
            "dashed lines: growth computed from published levels",
        ));
    }
    if line.left_out > 0 {
        notes.push(if english {
            match line.left_out {
                1 => "1 figure of another period shape is not drawn".to_string(),
                n => format!("{n} figures of other period shapes are not drawn"),
            }
        } else {
            format!("另有 {} 条其他期间口径的数据未画出", line.left_out)
        });
    }
    notes.extend(line.notes.iter().map(|n| n.trim_end_matches(['。', '.']).to_string()));
    page.header(data.synthetic, spec.title.as_deref(), &default_title, &subtitle.join(" · "));
    page.footer(&notes, &cited, spec.credit);
    page.line_chart(&line, x_range, shape, measure == Measure::Rank);
    Ok(())
}

/// Every entity with a figure for one period, best first; the view's zones highlighted.
/// Returns the entities ranked.
fn compose_ranking(
    data: &FigureData,
    view: &ViewSpec,
    spec: &FigureSpec,
    words: &Words,
    page: &mut layout::Page,
) -> Result<Vec<String>, FigureError> {
    let Words { ref indicator_label, measure, ref measure_label, naming, english, .. } = *words;
    let name = |entity: &str| data.registry.label_by_name(entity, naming);
    let ranked = data.ranking.ok_or(FigureError::NothingToRank)?;
    let figures = ranked.figures.as_slice();
    let asked = view.ranking_period.as_deref().and_then(|p| p.parse::<Period>().ok());
    let shown = RankingView::build(
        ranked.periods.clone(),
        figures,
        asked,
        view.asked_whole(),
        view.rate.as_ref(),
        data.registry,
        english,
    )
    .ok_or(FigureError::NothingToRank)?;
    let RankingView { period, ranking, unit, catalog, reported, references, .. } = shown;
    let bars = &ranking.bars;
    if bars.is_empty() {
        return Err(FigureError::NothingToRank);
    }
    let period_label = period_label(period, english);
    // A ranking of ranks (综合发展水平排名) is not called a ranking twice.
    let default_title = match (english, measure) {
        (true, Measure::Rank) => format!("{indicator_label}, {period_label}"),
        (true, _) => format!("{indicator_label}, {}: ranking, {period_label}", measure_label.to_lowercase()),
        (false, Measure::Rank) => format!("{indicator_label}({period_label})"),
        (false, _) => format!("{indicator_label}·{measure_label}排名({period_label})"),
    };
    let subtitle = if english {
        format!("{measure_label} · unit: {} · {period_label}", unit.label_en)
    } else {
        format!("{measure_label} · 单位:{} · {period_label}", unit.label_zh)
    };
    let shown_bars = page.ranking_rows(bars.len());
    let mut notes = Vec::new();
    if shown_bars < bars.len() {
        notes.push(if english {
            format!("top {shown_bars} of {} entities with a figure", bars.len())
        } else {
            format!("共 {} 个有数据的实体,显示前 {shown_bars} 名", bars.len())
        });
    }
    notes.push(if english {
        format!("{reported} of {catalog} national zones (2018 catalog) reported this figure")
    } else {
        format!("{catalog} 个国家级经开区(2018年目录)中有 {reported} 个有此数据")
    });
    if let (true, Some(rate)) = (ranking.converted, &view.rate) {
        notes.push(rate.note(english));
    }
    for (unit, n) in &ranking.dropped {
        let unit = chart::DisplayUnit::new(unit, 1.0);
        notes.push(if english {
            format!("{n} entities reporting in {} are left out: one axis, one unit", unit.label_en)
        } else {
            format!("另有 {n} 个实体以{}计,未画出(一个坐标轴只用一种单位)", unit.label_zh)
        });
    }
    if !references.is_empty() {
        let listed: Vec<String> = references
            .iter()
            .map(|b| {
                let o = &figures[b.observation];
                let value = match english {
                    true => chart::DisplayUnit::english_value(o.value_base, &o.unit_base),
                    false => crate::store::value_with_unit(o.value, &o.unit),
                };
                format!("{} {value}", name(&b.entity))
            })
            .collect();
        notes.push(if english {
            format!("for reference, not ranked: {}", listed.join("; "))
        } else {
            format!("参考(合计与汇总,不参与排名):{}", listed.join(";"))
        });
    }
    if bars.iter().take(shown_bars).any(|b| view.entities.contains(&b.entity)) {
        notes.push(tr(english, "橙色为所选开发区", "orange: the zones picked"));
    }
    if bars.iter().take(shown_bars).any(|b| b.disputed) {
        notes.push(tr(
            english,
            "* 另有来源给出不同数值,画出最新来源的",
            "* other sources give other values; the newest is drawn",
        ));
    }
    if bars.iter().take(shown_bars).any(|b| figures[b.observation].qualifier.is_some()) {
        notes.push(tr(
            english,
            "超、约、不足:原文为约数或上下限",
            "over, about, under: the source gives a bound or an approximation",
        ));
    }
    // The references' values are in the notes: their sources are cited too.
    let cited: Vec<&Observation> =
        bars.iter().take(shown_bars).chain(&references).map(|b| &figures[b.observation]).collect();
    page.header(data.synthetic, spec.title.as_deref(), &default_title, &subtitle);
    page.footer(&notes, &cited, spec.credit);
    let highlighted: Vec<&str> = view.entities.iter().map(String::as_str).collect();
    page.ranking(&bars[..shown_bars], figures, &unit, &name, &highlighted);
    Ok(bars.iter().map(|b| b.entity.clone()).collect())
}

pub(crate) fn tr(english: bool, zh: &str, en: &str) -> String {
    if english { en.to_string() } else { zh.to_string() }
}

/// The years the chart spans: the view's zoomed range, or the data with half a year either side.
/// A zoom reaching far beyond the data (a view file can say anything) is held to ten years
/// either side of it.
fn x_range(line: &LineChart, zoomed: Option<[f64; 2]>) -> (f64, f64) {
    let (lo, hi) = line
        .series
        .iter()
        .chain(&line.overlay)
        .flat_map(|s| &s.points)
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| (lo.min(p.x), hi.max(p.x)));
    match zoomed.filter(|[a, b]| a.is_finite() && b.is_finite() && b > a) {
        Some([a, b]) => (a.max(lo - 10.0), b.min(hi + 10.0)),
        None => (lo - 0.5, hi + 0.5),
    }
}

/// The default title of a line chart: indicator, measure, zones and years.
fn line_title(
    indicator: &str,
    measure: &str,
    entities: &[String],
    years: (f64, f64),
    shape: PeriodShape,
    english: bool,
    fits: &dyn Fn(&str) -> bool,
) -> String {
    // As many zones by name as fit in about half the title's line (three at most), the rest
    // counted.
    let separator = if english { ", " } else { "、" };
    let mut named: Vec<&str> = entities.iter().take(3).map(String::as_str).collect();
    while named.len() > 1 && !fits(&named.join(separator)) {
        named.pop();
    }
    let more = entities.len().saturating_sub(named.len());
    let (first, last) = (years.0.floor() as i64, years.1.floor() as i64);
    if english {
        let zones = match (more, named.len()) {
            (0, _) => named.join(", "),
            (_, 1) if !fits(named[0]) => format!("{} zones", entities.len()),
            _ => format!("{} and {more} more", named.join(", ")),
        };
        let span = if first == last { format!("{first}") } else { format!("{first}–{last}") };
        let shape = if shape == PeriodShape::Year { String::new() } else { format!(", {}", shape.label_en()) };
        format!("{indicator}, {}: {zones}, {span}{shape}", measure.to_lowercase())
    } else {
        let zones = match (more, named.len()) {
            (0, _) => named.join("、"),
            (_, 1) if !fits(named[0]) => format!("{}个开发区", entities.len()),
            // 等3个 needs its noun before the indicator: 等3个开发区的地区生产总值 … reads as
            // zones, not as three indicators.
            _ => format!("{}等{}个开发区", named.join("、"), entities.len()),
        };
        let span = if first == last { format!("{first}年") } else { format!("{first}–{last}年") };
        let shape = if shape == PeriodShape::Year { String::new() } else { format!(",{}", shape.label_zh()) };
        let joiner = if more > 0 { "的" } else { "" };
        format!("{zones}{joiner}{indicator}·{measure}({span}{shape})")
    }
}

pub use crate::present::period_label;

/// A tick on the time axis: 2023, 2023Q3, 2023-04.
pub(crate) fn time_label(x: f64, shape: PeriodShape) -> String {
    let months = (x * 12.0).round() as i64;
    let (year, month) = (months.div_euclid(12), months.rem_euclid(12) + 1);
    match shape {
        PeriodShape::Quarter if month != 1 || x.fract().abs() > 1e-9 => format!("{year}Q{}", (month - 1) / 3 + 1),
        _ if month == 1 => format!("{year}"),
        _ => format!("{year}-{month:02}"),
    }
}

pub use crate::present::publisher_label;

/// The sources behind `cited`, each once, oldest first.
pub(crate) fn cited_sources(cited: &[&Observation], english: bool) -> Vec<CitedSource> {
    let mut out: Vec<CitedSource> = Vec::new();
    for o in cited {
        if !out.iter().any(|s| *s.source_id == *o.source_id) {
            out.push(CitedSource {
                source_id: o.source_id.to_string(),
                publisher: publisher_label(&o.source, english),
                published: o.published.as_deref().filter(|d| !d.trim().is_empty()).map(str::to_string),
            });
        }
    }
    out.sort_by(|a, b| (&a.published, &a.publisher).cmp(&(&b.published, &b.publisher)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publishers_are_named_in_the_figures_language() {
        assert_eq!(publisher_label("中新网 (China News Service)", false), "中新网");
        assert_eq!(publisher_label("中新网 (China News Service)", true), "China News Service");
        assert_eq!(publisher_label("新华网 (Xinhua) Jiangsu", true), "Xinhua Jiangsu");
        assert_eq!(publisher_label("新华网 (Xinhua), mirror", true), "Xinhua");
        assert_eq!(publisher_label("今晚报, via 新华网天津", false), "今晚报");
        assert_eq!(publisher_label("Sichuan government-affairs post", false), "Sichuan government-affairs post");
        assert_eq!(
            publisher_label("广州市统计局 analysis (attributed), reposted", true),
            "广州市统计局 analysis (attributed), reposted"
        );
    }

    #[test]
    fn a_title_names_zones_by_rule_and_counts_the_rest() {
        let zones: Vec<String> = ["天津经开区", "苏州工业园区", "广州经开区"].iter().map(|s| s.to_string()).collect();
        let short = |t: &str| t.chars().count() <= 12;
        let title = line_title("综合发展水平排名", "排名", &zones, (2018.0, 2023.0), PeriodShape::Year, false, &short);
        assert_eq!(title, "天津经开区、苏州工业园区等3个开发区的综合发展水平排名·排名(2018–2023年)");
        let all =
            line_title("外贸进出口总额", "总量", &zones[..2], (2023.0, 2023.0), PeriodShape::Year, false, &|_| true);
        assert_eq!(all, "天津经开区、苏州工业园区外贸进出口总额·总量(2023年)");
        let en: Vec<String> =
            ["Tianjin ETDZ", "Suzhou Industrial Park", "Guangzhou ETDZ"].iter().map(|s| s.to_string()).collect();
        let title =
            line_title("GDP", "level", &en, (2006.0, 2025.0), PeriodShape::Year, true, &|t: &str| t.len() <= 40);
        assert_eq!(title, "GDP, level: Tianjin ETDZ, Suzhou Industrial Park and 1 more, 2006–2025");
    }

    #[test]
    fn periods_read_as_people_write_them() {
        let p = |s: &str| s.parse::<Period>().unwrap();
        assert_eq!(period_label(p("2023"), false), "2023年");
        assert_eq!(period_label(p("2024-01/2024-09"), false), "2024年1-9月");
        assert_eq!(period_label(p("2024-01/2024-09"), true), "Jan–Sep 2024");
        assert_eq!(period_label(p("@2023-12-31"), false), "截至2023年12月31日");
        assert_eq!(time_label(2023.0, PeriodShape::Year), "2023");
        assert_eq!(time_label(2023.5, PeriodShape::Quarter), "2023Q3");
        assert_eq!(time_label(2023.25, PeriodShape::Month), "2023-04");
    }
}
