//! A figure for a slide or a report: a title, a subtitle with the measure and unit, the chart
//! with its legend, a note line, and a footer citing every source behind the plotted points.
//!
//! A figure is composed once, as shapes and text in logical pixels, and then written as SVG
//! (`svg`) or drawn into pixels (`raster`, which draws that same SVG). The window's Export
//! dialog, its preview and `zonescope export` all go through `compose`, so the file a script
//! writes is the figure the researcher saw.

pub mod raster;
pub mod svg;
pub mod text;

use crate::chart::{self, LineChart, LineOptions, RankedBar};
use crate::model::{self, Measure, Period, PeriodShape};
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

/// How a figure is made: chart, size, scale, language, title, credit.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureSpec {
    pub chart: ChartKind,
    /// Logical size; the PNG has `width × scale` by `height × scale` pixels.
    pub width: u32,
    pub height: u32,
    pub scale: u32,
    pub english: bool,
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
            english: false,
            title: None,
            credit: true,
            dark: false,
        }
    }
}

impl FigureSpec {
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
    #[error("no period of these figures can be ranked")]
    NothingToRank,
    #[error("a figure of {0}×{1} cannot be made: each side must be 200 to 8000 pixels")]
    Size(u32, u32),
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
    /// Every entity's figures of the indicator and measure: what a ranking ranks.
    pub ranked: &'a [Observation],
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

/// The colours of a figure's paper and type.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Colors {
    paper: Rgb,
    ink: Rgb,
    muted: Rgb,
    faint: Rgb,
    grid: Rgb,
    axis: Rgb,
    warn: Rgb,
}

const LIGHT: Colors = Colors {
    paper: Rgb(255, 255, 255),
    ink: Rgb(17, 17, 17),
    muted: Rgb(85, 85, 85),
    faint: Rgb(150, 150, 150),
    grid: Rgb(225, 225, 225),
    axis: Rgb(120, 120, 120),
    warn: Rgb(176, 0, 32),
};

/// For dark slides: the same palette of lines on near-black paper.
const DARK: Colors = Colors {
    paper: Rgb(24, 24, 27),
    ink: Rgb(240, 240, 240),
    muted: Rgb(180, 180, 180),
    faint: Rgb(120, 120, 120),
    grid: Rgb(58, 58, 62),
    axis: Rgb(140, 140, 140),
    warn: Rgb(255, 110, 110),
};

fn palette(k: usize) -> Rgb {
    let [r, g, b] = chart::PALETTE[k % chart::PALETTE.len()];
    Rgb(r, g, b)
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
    /// The plot area, where clipped lines are cut.
    pub plot: (f32, f32, f32, f32),
    pub elements: Vec<Element>,
}

/// Composes the figure of `view` as `spec` asks.
pub fn compose(data: &FigureData, view: &ViewSpec, spec: &FigureSpec) -> Result<Figure, FigureError> {
    spec.check()?;
    let indicator_name = view.indicator.as_deref().ok_or(FigureError::NoIndicator)?;
    let english = spec.english;
    let naming = if english { Naming::English } else { Naming::Chinese };
    let indicator = data.indicators.iter().find(|i| i.name == indicator_name);
    let indicator_label = match (english, indicator.and_then(|i| i.name_en.as_deref())) {
        (true, Some(en)) => en.to_string(),
        _ => indicator_name.to_string(),
    };
    let measure = view.measure.unwrap_or(Measure::Value);
    let measure_label = if english { measure.label_en() } else { measure.label_zh() };
    let mut page = Page::new(spec);
    let name = |entity: &str| data.registry.label_by_name(entity, naming);
    match spec.chart {
        ChartKind::Line => {
            let figures: Vec<Observation> = data
                .figures
                .iter()
                .filter(|o| o.indicator == indicator_name && o.measure == measure)
                .cloned()
                .collect();
            if figures.is_empty() {
                return Err(FigureError::NoFigures(indicator_label));
            }
            let levels: Vec<Observation> = data
                .figures
                .iter()
                .filter(|o| o.indicator == indicator_name && o.measure == Measure::Value)
                .cloned()
                .collect();
            let shapes = chart::available_shapes(&figures, measure);
            let shape = match view.period_shape {
                Some(s) if shapes.iter().any(|(x, _)| *x == s) => s,
                _ => shapes.iter().rev().max_by_key(|(_, n)| *n).map(|(s, _)| *s).ok_or(FigureError::NoTimeAxis)?,
            };
            let transform =
                if measure == Measure::Value { view.transform.unwrap_or_default() } else { Default::default() };
            let options = LineOptions {
                measure,
                shape,
                unit_scale: view.unit_scale,
                transform,
                index_base: view.index_base,
                rate: view.rate.clone(),
                english,
            };
            let line = LineChart::build(&figures, &levels, &options, &name).ok_or(FigureError::NoTimeAxis)?;
            if line.series.iter().all(|s| s.points.is_empty()) {
                return Err(FigureError::NoTimeAxis);
            }
            let x_range = x_range(&line, view.x_range);
            let shown = |x: f64| x >= x_range.0 - 1e-9 && x <= x_range.1 + 1e-9;
            let xs: Vec<f64> = line.series.iter().flat_map(|s| &s.points).map(|p| p.x).filter(|x| shown(*x)).collect();
            let years = xs.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| (lo.min(*x), hi.max(*x)));
            let entities: Vec<String> = line.names.clone();
            let room = 0.45 * (spec.width as f32 - 2.0 * page.pad);
            let default_title =
                line_title(&indicator_label, measure_label, &entities, years, shape, english, &|t: &str| {
                    text::width(t, page.title_size()) <= room
                });
            let mut subtitle = vec![measure_label.to_string()];
            match (transform, english) {
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
                ringed |= !p.alternatives.is_empty();
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
            page.line_chart(&line, x_range, shape);
        }
        ChartKind::Ranking => {
            let figures = data.ranked;
            let periods = chart::ranking_periods(figures);
            let period = match view.ranking_period.as_deref().and_then(|p| p.parse::<Period>().ok()) {
                Some(p) if periods.iter().any(|(x, _)| *x == p) => p,
                _ => chart::default_ranking_period(&periods).ok_or(FigureError::NothingToRank)?,
            };
            let bars = chart::rank(figures, period);
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
            let unit_base = figures[bars[0].observation].unit_base.clone();
            let max = bars.iter().map(|b| b.value_base.abs()).fold(0.0, f64::max);
            let unit = chart::DisplayUnit::auto(&unit_base, max);
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
            let catalog = data.registry.entities.iter().filter(|e| e.in_catalog).count();
            let reported = bars
                .iter()
                .filter(|b| data.registry.entities.iter().any(|e| e.name == b.entity && e.in_catalog))
                .count();
            notes.push(if english {
                format!("{reported} of {catalog} national zones (2018 catalog) reported this figure")
            } else {
                format!("{catalog} 个国家级经开区(2018年目录)中有 {reported} 个有此数据")
            });
            if bars.iter().take(shown_bars).any(|b| view.entities.contains(&b.entity)) {
                notes.push(tr(english, "橙色为所选开发区", "orange: the zones picked"));
            }
            if bars.iter().take(shown_bars).any(|b| b.alternatives > 0) {
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
            let cited: Vec<&Observation> = bars.iter().take(shown_bars).map(|b| &figures[b.observation]).collect();
            page.header(data.synthetic, spec.title.as_deref(), &default_title, &subtitle);
            page.footer(&notes, &cited, spec.credit);
            let highlighted: Vec<&str> = view.entities.iter().map(String::as_str).collect();
            page.ranking(&bars[..shown_bars], figures, &unit, &name, &highlighted);
        }
    }
    Ok(page.finish())
}

fn tr(english: bool, zh: &str, en: &str) -> String {
    if english { en.to_string() } else { zh.to_string() }
}

/// The years the chart spans: the view's zoomed range, or the data with half a year either side.
fn x_range(line: &LineChart, zoomed: Option<[f64; 2]>) -> (f64, f64) {
    if let Some([a, b]) = zoomed.filter(|[a, b]| b > a) {
        return (a, b);
    }
    let (lo, hi) = line
        .series
        .iter()
        .chain(&line.overlay)
        .flat_map(|s| &s.points)
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| (lo.min(p.x), hi.max(p.x)));
    (lo - 0.5, hi + 0.5)
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
            _ => format!("{}等{}个", named.join("、"), entities.len()),
        };
        let span = if first == last { format!("{first}年") } else { format!("{first}–{last}年") };
        let shape = if shape == PeriodShape::Year { String::new() } else { format!(",{}", shape.label_zh()) };
        format!("{zones}{indicator}·{measure}({span}{shape})")
    }
}

/// A period as a reader says it: 2023年, 2024年1-9月, 截至2023年12月31日.
pub fn period_label(period: Period, english: bool) -> String {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let month = |m: u8| MONTHS.get(m.saturating_sub(1) as usize).copied().unwrap_or("?");
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

/// A tick on the time axis: 2023, 2023Q3, 2023-04.
fn time_label(x: f64, shape: PeriodShape) -> String {
    let months = (x * 12.0).round() as i64;
    let (year, month) = (months.div_euclid(12), months.rem_euclid(12) + 1);
    match shape {
        PeriodShape::Quarter if month != 1 || x.fract().abs() > 1e-9 => format!("{year}Q{}", (month - 1) / 3 + 1),
        _ if month == 1 => format!("{year}"),
        _ => format!("{year}-{month:02}"),
    }
}

/// The publisher as a figure in `english` names it. Publishers are stored as written in the
/// bundled sources, "新华网 (Xinhua), mirror": the Chinese name for a Chinese figure, the name in
/// brackets for an English one; anything else as stored.
pub fn publisher_label(publisher: &str, english: bool) -> String {
    let publisher = publisher.trim();
    let head_end = publisher.find([' ', '(', ',', '(', ',']).unwrap_or(publisher.len());
    let head = &publisher[..head_end];
    let has_han = head.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    if !english {
        return if has_han { head.to_string() } else { publisher.to_string() };
    }
    // "新华网 (Xinhua) Jiangsu": the bracketed name right after a Chinese one, and any word
    // that follows it before a comma.
    if has_han {
        if let Some(rest) = publisher[head_end..].trim_start().strip_prefix('(') {
            if let Some((inside, after)) = rest.split_once(')') {
                let tail = after.split(',').next().unwrap_or("").trim();
                return if tail.is_empty() { inside.trim().to_string() } else { format!("{} {tail}", inside.trim()) };
            }
        }
    }
    publisher.to_string()
}

/// The sources behind `cited`, each once, oldest first.
fn cited_sources(cited: &[&Observation], english: bool) -> Vec<CitedSource> {
    let mut out: Vec<CitedSource> = Vec::new();
    for o in cited {
        if !out.iter().any(|s| s.source_id == o.source_id) {
            out.push(CitedSource {
                source_id: o.source_id.clone(),
                publisher: publisher_label(&o.source, english),
                published: o.published.clone().filter(|d| !d.trim().is_empty()),
            });
        }
    }
    out.sort_by(|a, b| (&a.published, &a.publisher).cmp(&(&b.published, &b.publisher)));
    out
}

/// Lays a figure out top to bottom: header, then footer from the bottom up, then the chart in
/// what is left.
struct Page {
    c: Colors,
    spec: FigureSpec,
    /// Logical pixels per design pixel: text and strokes grow with the figure's short side, so
    /// a figure reads the same on a projector at any preset.
    k: f32,
    pad: f32,
    top: f32,
    bottom: f32,
    title: String,
    subtitle: String,
    notes: Vec<String>,
    source_lines: Vec<String>,
    sources: Vec<CitedSource>,
    plot: (f32, f32, f32, f32),
    elements: Vec<Element>,
}

impl Page {
    fn new(spec: &FigureSpec) -> Page {
        let (w, h) = (spec.width as f32, spec.height as f32);
        let k = w.min(h) / 1080.0;
        let pad = 56.0 * k;
        let c = if spec.dark { DARK } else { LIGHT };
        let elements = vec![Element::Rect { x: 0.0, y: 0.0, w, h, fill: c.paper }];
        Page {
            c,
            spec: spec.clone(),
            k,
            pad,
            top: pad,
            bottom: h - pad * 0.75,
            title: String::new(),
            subtitle: String::new(),
            notes: Vec::new(),
            source_lines: Vec::new(),
            sources: Vec::new(),
            plot: (0.0, 0.0, 0.0, 0.0),
            elements,
        }
    }

    fn width(&self) -> f32 {
        self.spec.width as f32
    }

    fn title_size(&self) -> f32 {
        46.0 * self.k
    }

    fn text(&mut self, x: f32, y: f32, size: f32, color: Rgb, anchor: Anchor, text: impl Into<String>) {
        self.elements.push(Element::Text { x, y, size, color, anchor, text: text.into() });
    }

    fn header(&mut self, synthetic: bool, title: Option<&str>, default_title: &str, subtitle: &str) {
        let c = self.c;
        let k = self.k;
        let english = self.spec.english;
        let max_w = self.width() - 2.0 * self.pad;
        if synthetic {
            let size = 24.0 * k;
            self.top += size;
            let mark = tr(english, "合成数据,非真实数据(用于测试)", "SYNTHETIC DATA, NOT REAL (for testing)");
            self.text(self.pad, self.top, size, c.warn, Anchor::Start, mark);
            self.top += 16.0 * k;
        }
        self.title = title.map(str::trim).filter(|t| !t.is_empty()).unwrap_or(default_title).to_string();
        let size = self.title_size();
        let mut lines = text::wrap(&self.title, size, max_w);
        if lines.len() > 2 {
            let rest = lines[1..].join(if english { " " } else { "" });
            lines.truncate(1);
            lines.push(text::truncate(&rest, size, max_w));
        }
        for line in lines {
            self.top += size;
            self.text(self.pad, self.top, size, c.ink, Anchor::Start, line);
            self.top += 12.0 * k;
        }
        self.subtitle = subtitle.to_string();
        let size = 28.0 * k;
        self.top += size;
        let line = text::truncate(subtitle, size, max_w);
        self.text(self.pad, self.top, size, c.muted, Anchor::Start, line);
        self.top += 36.0 * k;
    }

    /// The credit, the sources and the notes, from the bottom up.
    fn footer(&mut self, notes: &[String], cited: &[&Observation], credit: bool) {
        let c = self.c;
        let k = self.k;
        let english = self.spec.english;
        let (left, right) = (self.pad, self.width() - self.pad);
        self.sources = cited_sources(cited, english);
        let labels: Vec<String> = self.sources.iter().map(|s| s.label(english)).collect();
        let mut unique = labels.clone();
        unique.dedup();
        let source_text =
            if english { format!("Source: {}", unique.join("; ")) } else { format!("来源:{}", unique.join(";")) };
        let note_text = if notes.is_empty() {
            String::new()
        } else if english {
            format!("Note: {}.", notes.join("; "))
        } else {
            format!("注:{}。", notes.join(";"))
        };
        let credit_text = "Zonescope";
        let credit_size = 18.0 * k;
        let credit_w = if credit { text::width(credit_text, credit_size) + 32.0 * k } else { 0.0 };
        // Every source is cited: a long list gets smaller type, never cut.
        let max_share = 0.3 * self.spec.height as f32;
        let mut size = 21.0 * k;
        let (mut source_lines, mut note_lines);
        loop {
            source_lines = text::wrap(&source_text, size, right - left - credit_w);
            note_lines =
                if note_text.is_empty() { Vec::new() } else { text::wrap(&note_text, size, right - left - credit_w) };
            let height = (source_lines.len() + note_lines.len()) as f32 * size * 1.4;
            if height <= max_share || size <= 12.0 * k {
                break;
            }
            size *= 0.9;
        }
        let line_h = size * 1.4;
        let mut y = self.bottom;
        if credit {
            self.text(right, y, credit_size, c.faint, Anchor::End, credit_text);
        }
        for line in source_lines.iter().rev() {
            self.text(left, y, size, c.muted, Anchor::Start, line.clone());
            y -= line_h;
        }
        for line in note_lines.iter().rev() {
            self.text(left, y, size, c.muted, Anchor::Start, line.clone());
            y -= line_h;
        }
        self.bottom = y - size * 0.6;
        self.notes = note_lines;
        self.source_lines = source_lines;
    }

    fn finish(self) -> Figure {
        Figure {
            width: self.spec.width as f32,
            height: self.spec.height as f32,
            scale: self.spec.scale,
            english: self.spec.english,
            title: self.title,
            subtitle: self.subtitle,
            notes: self.notes,
            source_lines: self.source_lines,
            sources: self.sources,
            plot: self.plot,
            elements: self.elements,
        }
    }

    fn line_chart(&mut self, line: &LineChart, x_range: (f64, f64), shape: PeriodShape) {
        let c = self.c;
        let k = self.k;
        let tick_size = 24.0 * k;
        let legend_size = 24.0 * k;
        // Legend on the right: a swatch and a name per line, in columns when there are many.
        let entries: Vec<(String, Rgb, bool)> = line
            .names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), palette(i), false))
            .chain(line.overlay_names.iter().zip(&line.overlay).map(|(n, s)| {
                let k = line.series.iter().position(|p| p.entity == s.entity).unwrap_or(0);
                (n.clone(), palette(k), true)
            }))
            .collect();
        let row_h = legend_size * 1.5;
        let plot_top = self.top + 8.0 * k;
        let plot_bottom = self.bottom - tick_size * 1.9;
        let rows = (((plot_bottom - plot_top) / row_h).floor() as usize).max(1);
        let columns = entries.len().div_ceil(rows).max(1);
        let swatch = 40.0 * k;
        let max_name_w = 0.28 * self.width() / columns as f32;
        let name_w = entries.iter().map(|(n, _, _)| text::width(n, legend_size)).fold(0.0, f32::max).min(max_name_w);
        let column_w = swatch + 12.0 * k + name_w + 24.0 * k;
        let legend_w = if entries.is_empty() { 0.0 } else { column_w * columns as f32 };
        // Y axis: ticks at round numbers, always including zero as the window does.
        let (mut lo, mut hi) = (0.0f64, 0.0f64);
        for p in line.series.iter().chain(&line.overlay).flat_map(|s| &s.points) {
            if p.x >= x_range.0 && p.x <= x_range.1 {
                lo = lo.min(p.y);
                hi = hi.max(p.y);
            }
        }
        if hi - lo < 1e-12 {
            hi = lo + 1.0;
        }
        let ticks = nice_ticks(lo, hi, 6);
        let (y0, y1) = (ticks[0], ticks[ticks.len() - 1]);
        let tick_labels: Vec<String> = ticks.iter().map(|v| tick_label(*v, ticks[1] - ticks[0])).collect();
        let label_w = tick_labels.iter().map(|t| text::width(t, tick_size)).fold(0.0, f32::max);
        let plot_left = self.pad + label_w + 16.0 * k;
        let plot_right = self.width() - self.pad - legend_w;
        self.plot = (plot_left, plot_top, plot_right - plot_left, plot_bottom - plot_top);
        let sx = |x: f64| plot_left + ((x - x_range.0) / (x_range.1 - x_range.0)) as f32 * (plot_right - plot_left);
        let sy = |y: f64| plot_bottom - ((y - y0) / (y1 - y0)) as f32 * (plot_bottom - plot_top);
        for (v, label) in ticks.iter().zip(&tick_labels) {
            let y = sy(*v);
            let color = if *v == 0.0 { c.axis } else { c.grid };
            let width = if *v == 0.0 { 2.0 * k } else { 1.5 * k };
            self.elements.push(Element::Line {
                points: vec![(plot_left, y), (plot_right, y)],
                color,
                width,
                dashed: false,
                clipped: false,
            });
            self.text(plot_left - 16.0 * k, y + tick_size * 0.35, tick_size, c.muted, Anchor::End, label.clone());
        }
        // X axis: years, or quarters and months when the span is short.
        let min_gap = text::width("2024Q4", tick_size) + 24.0 * k;
        let span = x_range.1 - x_range.0;
        let steps: &[f64] = match shape {
            PeriodShape::Quarter => &[0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0],
            PeriodShape::Month => &[1.0 / 12.0, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0],
            _ => &[1.0, 2.0, 5.0, 10.0, 20.0, 50.0],
        };
        let step =
            steps.iter().copied().find(|s| (plot_right - plot_left) / (span / s) as f32 >= min_gap).unwrap_or(50.0);
        let mut x = (x_range.0 / step).ceil() * step;
        while x <= x_range.1 + 1e-9 {
            let at = sx(x);
            self.elements.push(Element::Line {
                points: vec![(at, plot_bottom), (at, plot_bottom + 8.0 * k)],
                color: c.axis,
                width: 1.5 * k,
                dashed: false,
                clipped: false,
            });
            self.text(
                at,
                plot_bottom + 8.0 * k + tick_size * 1.1,
                tick_size,
                c.muted,
                Anchor::Middle,
                time_label(x, shape),
            );
            x += step;
            x = (x / step).round() * step;
        }
        self.elements.push(Element::Line {
            points: vec![(plot_left, plot_bottom), (plot_right, plot_bottom)],
            color: c.axis,
            width: 2.0 * k,
            dashed: false,
            clipped: false,
        });
        // The lines, then their markers: a line per run without gaps; markers where a reader
        // must see a point (few points, a lone point, a qualified or derived one, a dispute).
        let shown = |x: f64| x >= x_range.0 - 1e-9 && x <= x_range.1 + 1e-9;
        let lines =
            line.series.iter().enumerate().map(|(i, s)| (s, palette(i), false)).chain(line.overlay.iter().map(|s| {
                let i = line.series.iter().position(|p| p.entity == s.entity).unwrap_or(0);
                (s, palette(i), true)
            }));
        let lines: Vec<_> = lines.collect();
        for (s, color, dashed) in &lines {
            for segment in s.segments() {
                if segment.len() > 1 {
                    let points = segment.iter().map(|p| (sx(p.x), sy(p.y))).collect();
                    let width = if *dashed { 3.0 * k } else { 4.0 * k };
                    self.elements.push(Element::Line { points, color: *color, width, dashed: *dashed, clipped: true });
                }
            }
        }
        for (s, color, dashed) in &lines {
            let dense = s.points.len() > 20;
            let mut lone = vec![false; s.points.len()];
            let mut start = 0;
            for segment in s.segments() {
                if segment.len() == 1 {
                    lone[start] = true;
                }
                start += segment.len();
            }
            for (p, lone) in s.points.iter().zip(lone) {
                if !shown(p.x) {
                    continue;
                }
                let (x, y) = (sx(p.x), sy(p.y));
                if p.qualified || p.derived || *dashed {
                    let r = 7.0 * k;
                    self.elements.push(Element::Circle {
                        x,
                        y,
                        r,
                        fill: Some(c.paper),
                        stroke: *color,
                        width: 3.0 * k,
                    });
                } else if !dense || lone {
                    self.elements.push(Element::Circle {
                        x,
                        y,
                        r: 6.5 * k,
                        fill: Some(*color),
                        stroke: *color,
                        width: 0.0,
                    });
                }
                if !p.alternatives.is_empty() {
                    let r = 12.0 * k;
                    self.elements.push(Element::Circle { x, y, r, fill: None, stroke: *color, width: 2.0 * k });
                }
            }
        }
        // The legend.
        if legend_w > 0.0 {
            let left = plot_right + 32.0 * k;
            for (i, (name, color, dashed)) in entries.iter().enumerate() {
                let (column, row) = (i / rows, i % rows);
                let x = left + column as f32 * column_w;
                let y = plot_top + row as f32 * row_h + legend_size;
                let mid = y - legend_size * 0.35;
                self.elements.push(Element::Line {
                    points: vec![(x, mid), (x + swatch, mid)],
                    color: *color,
                    width: 4.0 * k,
                    dashed: *dashed,
                    clipped: false,
                });
                let name = text::truncate(name, legend_size, name_w);
                self.text(x + swatch + 12.0 * k, y, legend_size, c.ink, Anchor::Start, name);
            }
        }
    }

    /// How many ranking rows fit: at least a readable row height each, at most 25.
    fn ranking_rows(&self, bars: usize) -> usize {
        // Header and footer are not laid out yet: judge on the figure's height.
        let room = self.spec.height as f32 * 0.62;
        let fit = (room / (34.0 * self.k)).floor() as usize;
        bars.min(fit.clamp(3, 25))
    }

    fn ranking(
        &mut self,
        bars: &[RankedBar],
        figures: &[Observation],
        unit: &chart::DisplayUnit,
        name: &dyn Fn(&str) -> String,
        highlighted: &[&str],
    ) {
        let c = self.c;
        let k = self.k;
        let english = self.spec.english;
        let tick_size = 22.0 * k;
        let top = self.top + 8.0 * k;
        let bottom = self.bottom - tick_size * 1.9;
        let row_h = (bottom - top) / bars.len().max(1) as f32;
        let size = (row_h * 0.55).clamp(14.0 * k, 28.0 * k);
        let names: Vec<String> =
            bars.iter().enumerate().map(|(i, b)| format!("{}. {}", i + 1, name(&b.entity))).collect();
        let name_w = names.iter().map(|n| text::width(n, size)).fold(0.0, f32::max).min(0.32 * self.width());
        let values: Vec<String> = bars
            .iter()
            .map(|b| {
                let o = &figures[b.observation];
                let qualifier = match (o.qualifier, english) {
                    (Some(model::Qualifier::Over), false) => "超",
                    (Some(model::Qualifier::Under), false) => "不足",
                    (Some(model::Qualifier::About), false) => "约",
                    (Some(model::Qualifier::Over), true) => "over ",
                    (Some(model::Qualifier::Under), true) => "under ",
                    (Some(model::Qualifier::About), true) => "about ",
                    (None, _) => "",
                };
                let star = if b.alternatives > 0 { " *" } else { "" };
                format!("{qualifier}{}{star}", value_label(unit.show(b.value_base)))
            })
            .collect();
        let value_w = values.iter().map(|v| text::width(v, size)).fold(0.0, f32::max);
        let left = self.pad + name_w + 20.0 * k;
        let right = self.width() - self.pad - value_w - 16.0 * k;
        self.plot = (left, top, right - left, bottom - top);
        let shown: Vec<f64> = bars.iter().map(|b| unit.show(b.value_base)).collect();
        let lo = shown.iter().copied().fold(0.0, f64::min);
        let hi = shown.iter().copied().fold(0.0, f64::max);
        let ticks = nice_ticks(lo, if hi - lo < 1e-12 { lo + 1.0 } else { hi }, 6);
        let (x0, x1) = (ticks[0], ticks[ticks.len() - 1]);
        let sx = |v: f64| left + ((v - x0) / (x1 - x0)) as f32 * (right - left);
        for v in &ticks {
            let x = sx(*v);
            let color = if *v == 0.0 { c.axis } else { c.grid };
            self.elements.push(Element::Line {
                points: vec![(x, top), (x, bottom)],
                color,
                width: 1.5 * k,
                dashed: false,
                clipped: false,
            });
            let label = tick_label(*v, ticks[1] - ticks[0]);
            self.text(x, bottom + tick_size * 1.3, tick_size, c.muted, Anchor::Middle, label);
        }
        for (i, b) in bars.iter().enumerate() {
            let y = top + i as f32 * row_h;
            let mid = y + row_h / 2.0;
            let (a, z) = (sx(0.0), sx(shown[i]));
            let color = if highlighted.iter().any(|h| *h == b.entity) { palette(1) } else { palette(0) };
            // Few bars stay bar-shaped rather than slabs.
            let bar_h = (row_h * 0.68).min(56.0 * k);
            self.elements.push(Element::Rect {
                x: a.min(z),
                y: mid - bar_h / 2.0,
                w: (z - a).abs(),
                h: bar_h,
                fill: color,
            });
            let baseline = mid + size * 0.36;
            let label = text::truncate(&names[i], size, name_w);
            self.text(left - 20.0 * k, baseline, size, c.ink, Anchor::End, label);
            self.text(a.max(z) + 10.0 * k, baseline, size, c.ink, Anchor::Start, values[i].clone());
        }
    }
}

/// Round-number ticks covering `lo..=hi`, about `target` of them.
fn nice_ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    let raw = (hi - lo).max(1e-12) / target.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = magnitude
        * match raw / magnitude {
            n if n <= 1.0 => 1.0,
            n if n <= 2.0 => 2.0,
            n if n <= 2.5 => 2.5,
            n if n <= 5.0 => 5.0,
            _ => 10.0,
        };
    let first = (lo / step + 1e-9).floor() as i64;
    let last = (hi / step - 1e-9).ceil() as i64;
    (first..=last.max(first + 1)).map(|i| i as f64 * step).collect()
}

/// A tick label: as many decimals as the step needs, thousands separated.
fn tick_label(v: f64, step: f64) -> String {
    // As many decimals as it takes to write the step exactly: 2.5 needs one, 0.25 two.
    let mut decimals = 0;
    while decimals < 6 && {
        let scaled = step * 10f64.powi(decimals as i32);
        (scaled - scaled.round()).abs() > 1e-6
    } {
        decimals += 1;
    }
    group_thousands(&format!("{:.*}", decimals, if v == 0.0 { 0.0 } else { v }))
}

/// A value beside a bar: two decimals at most above 1, three significant digits below (so that
/// 0.0063 does not read as 0), trailing zeros dropped, thousands separated.
fn value_label(v: f64) -> String {
    let decimals =
        if v.abs() >= 1.0 || v == 0.0 { 2 } else { (2 - v.abs().log10().floor() as i32).clamp(2, 12) as usize };
    let text = format!("{v:.decimals$}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    group_thousands(if text == "-0" { "0" } else { text })
}

fn group_thousands(text: &str) -> String {
    let (int, frac) = text.split_once('.').map_or((text, None), |(i, f)| (i, Some(f)));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
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
    fn ticks_are_round_and_cover_the_range() {
        let t = nice_ticks(0.0, 242.3, 6);
        assert_eq!(t.first(), Some(&0.0));
        assert!(*t.last().unwrap() >= 242.3);
        assert!(t.windows(2).all(|w| ((w[1] - w[0]) - 50.0).abs() < 1e-9), "{t:?}");
        let t = nice_ticks(-3.2, 12.0, 6);
        assert!(t[0] <= -3.2 && *t.last().unwrap() >= 12.0);
        assert_eq!(tick_label(12500.0, 2500.0), "12,500");
        assert_eq!(tick_label(-0.5, 0.5), "-0.5");
        assert_eq!(tick_label(0.0, 0.25), "0.00");
        assert_eq!(tick_label(7.5, 2.5), "7.5");
        assert_eq!(value_label(1.0), "1");
        assert_eq!(value_label(242.3), "242.3");
        assert_eq!(value_label(12345.678), "12,345.68");
        assert_eq!(value_label(0.0063214), "0.00632");
        assert_eq!(value_label(0.17), "0.17");
        assert_eq!(nice_ticks(0.0, 14.8, 6), vec![0.0, 2.5, 5.0, 7.5, 10.0, 12.5, 15.0]);
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
