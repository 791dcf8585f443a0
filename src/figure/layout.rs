//! Where things go on a figure: header at the top, footer from the bottom up, the chart in what
//! is left; axes with round ticks; colours for light and dark paper.

use super::{Anchor, CitedSource, Element, Figure, FigureSpec, Rgb, cited_sources, text, time_label, tr};
use crate::chart::{self, LineChart, RankedBar};
use crate::model::PeriodShape;
use crate::store::Observation;

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

/// Lays a figure out top to bottom: header, then footer from the bottom up, then the chart in
/// what is left.
pub(super) struct Page {
    c: Colors,
    spec: FigureSpec,
    /// Logical pixels per design pixel: text and strokes grow with the figure's short side, so
    /// a figure reads the same on a projector at any preset.
    k: f32,
    pub(super) pad: f32,
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
    pub(super) fn new(spec: &FigureSpec) -> Page {
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

    pub(super) fn title_size(&self) -> f32 {
        46.0 * self.k
    }

    fn text(&mut self, x: f32, y: f32, size: f32, color: Rgb, anchor: Anchor, text: impl Into<String>) {
        self.elements.push(Element::Text { x, y, size, color, anchor, text: text.into() });
    }

    pub(super) fn header(&mut self, synthetic: bool, title: Option<&str>, default_title: &str, subtitle: &str) {
        let c = self.c;
        let k = self.k;
        let english = self.spec.english();
        let max_w = self.width() - 2.0 * self.pad;
        if synthetic {
            let size = 24.0 * k;
            self.top += size;
            let mark = tr(english, "合成数据,非真实数据(用于测试)", "SYNTHETIC DATA, NOT REAL (for testing)");
            self.text(self.pad, self.top, size, c.warn, Anchor::Start, mark);
            self.top += 16.0 * k;
        }
        // A title typed on several lines is one line of text, wrapped to the figure.
        let typed = title.map(|t| t.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|t| !t.is_empty());
        self.title = typed.unwrap_or_else(|| default_title.to_string());
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
    pub(super) fn footer(&mut self, notes: &[String], cited: &[&Observation], credit: bool) {
        let c = self.c;
        let k = self.k;
        let english = self.spec.english();
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
        // A list that cannot fit even in small type (hundreds of sources) names as many as fit
        // and says how many more there are; the exported CSV and XLSX list them all.
        let budget = ((max_share / (size * 1.4)).floor() as usize).max(2);
        // Notes take at most half of it.
        let note_budget = (budget / 2).max(1);
        if note_lines.len() > note_budget {
            let rest = note_lines[note_budget.saturating_sub(1)..].join(if english { " " } else { "" });
            note_lines.truncate(note_budget.saturating_sub(1));
            note_lines.push(text::truncate(&rest, size, right - left - credit_w));
        }
        let source_budget = budget.saturating_sub(note_lines.len()).max(1);
        if source_lines.len() > source_budget {
            let fit = |n: usize| {
                let more = unique.len() - n;
                let named = if english {
                    format!(
                        "Source: {}; and {more} more (all are listed in the CSV or XLSX export)",
                        unique[..n].join("; ")
                    )
                } else {
                    format!("来源:{};另有 {more} 个来源(CSV、XLSX 导出列出全部)", unique[..n].join(";"))
                };
                text::wrap(&named, size, right - left - credit_w)
            };
            // The most sources that fit, by halving.
            let (mut lo, mut hi) = (0, unique.len());
            while lo < hi {
                let mid = (lo + hi).div_ceil(2);
                if fit(mid).len() <= source_budget { lo = mid } else { hi = mid - 1 }
            }
            source_lines = fit(lo);
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

    pub(super) fn finish(self) -> Figure {
        Figure {
            width: self.spec.width as f32,
            height: self.spec.height as f32,
            scale: self.spec.scale,
            english: self.spec.english(),
            title: self.title,
            subtitle: self.subtitle,
            notes: self.notes,
            source_lines: self.source_lines,
            sources: self.sources,
            ranked: Vec::new(),
            plot: self.plot,
            elements: self.elements,
        }
    }

    /// A line chart; `ranks_down` for ranks, read downward with first place at the top.
    pub(super) fn line_chart(&mut self, line: &LineChart, x_range: (f64, f64), shape: PeriodShape, ranks_down: bool) {
        let c = self.c;
        let k = self.k;
        let tick_size = 24.0 * k;
        let legend_size = 24.0 * k;
        // Legend on the right: a swatch and a name per line, in columns when there are many.
        let entries: Vec<(String, Rgb, bool)> = line
            .names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), palette(line.colours[i]), false))
            .chain(line.overlay_names.iter().zip(&line.overlay).map(|(n, s)| {
                let k = line.series.iter().position(|p| p.entity == s.entity).map_or(0, |i| line.colours[i]);
                (n.clone(), palette(k), true)
            }))
            .collect();
        let row_h = legend_size * 1.5;
        let plot_top = self.top + 8.0 * k;
        // The plot keeps at least a fifth of the page, whatever header and footer took.
        let plot_bottom = (self.bottom - tick_size * 1.9).max(plot_top + 0.2 * self.spec.height as f32);
        let rows = (((plot_bottom - plot_top) / row_h).floor() as usize).max(1);
        // At most four columns; lines beyond them are counted in the last entry.
        const MAX_COLUMNS: usize = 4;
        let mut entries = entries;
        if entries.len() > rows * MAX_COLUMNS {
            let kept = rows * MAX_COLUMNS - 1;
            let more = entries.len() - kept;
            entries.truncate(kept);
            let label =
                if self.spec.english() { format!("… {more} more lines") } else { format!("…另有 {more} 条线") };
            entries.push((label, c.paper, false));
        }
        let columns = entries.len().div_ceil(rows).max(1);
        let swatch = 40.0 * k;
        // One column of names may take a little more, so that a group's name fits whole.
        let max_name_w = if columns == 1 { 0.36 * self.width() } else { 0.28 * self.width() / columns as f32 };
        let name_w = entries.iter().map(|(n, _, _)| text::width(n, legend_size)).fold(0.0, f32::max).min(max_name_w);
        let column_w = swatch + 12.0 * k + name_w + 24.0 * k;
        let legend_w = if entries.is_empty() { 0.0 } else { column_w * columns as f32 };
        // Y axis: ticks at round numbers, always including zero as the window does.
        let (mut lo, mut hi) = (0.0f64, 0.0f64);
        for p in line.series.iter().chain(&line.overlay).flat_map(|s| &s.points) {
            if p.x >= x_range.0 && p.x <= x_range.1 && p.y.is_finite() {
                lo = lo.min(p.y);
                hi = hi.max(p.y);
            }
        }
        if hi - lo < 1e-12 {
            hi = lo + 1.0;
        }
        let mut ticks = nice_ticks(lo, hi, 6);
        let (mut y0, mut y1) = (ticks[0], ticks[ticks.len() - 1]);
        if ranks_down {
            // First place on top, then whole places at round steps; no place 0.
            let step = (ticks[1] - ticks[0]).max(1.0).round();
            ticks = std::iter::once(1.0).chain(ticks.into_iter().filter(|t| *t > 1.0 && t.fract() == 0.0)).collect();
            if ticks.len() < 2 {
                ticks.push(1.0 + step);
            }
            (y0, y1) = (ticks[ticks.len() - 1] + 0.5, 0.5);
        }
        // A log axis: positions are log10 of the values; ticks at 1, 2, 5 × 10^n, labelled in
        // real values.
        let log = line.log_scale;
        let position = |y: f64| if log { y.log10() } else { y };
        if log {
            let positive = line.series.iter().flat_map(|s| &s.points).filter(|p| p.x >= x_range.0 && p.x <= x_range.1);
            let (min, max) = positive.fold((f64::INFINITY, 0.0f64), |(lo, hi), p| (lo.min(p.y), hi.max(p.y)));
            if min.is_finite() && min > 0.0 {
                let room = ((max.log10() - min.log10()) * 0.06).max(0.05);
                (y0, y1) = (min.log10() - room, max.log10() + room);
                ticks = chart::log_ticks(10f64.powf(y0), 10f64.powf(y1));
            }
        }
        let tick_labels: Vec<String> = if log {
            ticks.iter().map(|v| crate::model::format_number(*v)).collect()
        } else {
            ticks.iter().map(|v| tick_label(*v, (ticks[1] - ticks[0]).abs())).collect()
        };
        let label_w = tick_labels.iter().map(|t| text::width(t, tick_size)).fold(0.0, f32::max);
        let plot_left = self.pad + label_w + 16.0 * k;
        let plot_right = (self.width() - self.pad - legend_w).max(plot_left + 0.3 * self.width());
        self.plot = (plot_left, plot_top, plot_right - plot_left, plot_bottom - plot_top);
        let sx = |x: f64| plot_left + ((x - x_range.0) / (x_range.1 - x_range.0)) as f32 * (plot_right - plot_left);
        let sy = |y: f64| plot_bottom - ((position(y) - y0) / (y1 - y0)) as f32 * (plot_bottom - plot_top);
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
        // The finest step whose labels do not collide; past the list, tens of years more.
        let fits = |s: f64| (plot_right - plot_left) / (span / s) as f32 >= min_gap;
        let mut step = steps.iter().copied().find(|s| fits(*s)).unwrap_or(steps[steps.len() - 1]);
        while !fits(step) && step < 1e6 {
            step *= 10.0;
        }
        // Ticks by index, so that the loop ends whatever the range.
        let (first, last) = ((x_range.0 / step - 1e-9).ceil() as i64, (x_range.1 / step + 1e-9).floor() as i64);
        for i in first..=last.min(first + 100) {
            let x = i as f64 * step;
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
        let lines = line.series.iter().enumerate().map(|(i, s)| (s, palette(line.colours[i]), false)).chain(
            line.overlay.iter().map(|s| {
                let i = line.series.iter().position(|p| p.entity == s.entity).map_or(0, |i| line.colours[i]);
                (s, palette(i), true)
            }),
        );
        let lines: Vec<_> = lines.collect();
        for (s, color, dashed) in &lines {
            for segment in s.segments() {
                if segment.len() > 1 {
                    let points: Vec<(f32, f32)> = segment.iter().map(|p| (sx(p.x), sy(p.y))).collect();
                    let width = if *dashed { 3.0 * k } else { 4.0 * k };
                    // Only a line leaving the plot area (a zoom) is cut at it: a clipped group is
                    // drawn as a layer the size of the picture, a fifth of a 2× PNG's time.
                    let (left, top, w, h) = self.plot;
                    let inside = |&(x, y): &(f32, f32)| {
                        x >= left - 0.5 && x <= left + w + 0.5 && y >= top - 0.5 && y <= top + h + 0.5
                    };
                    let clipped = !points.iter().all(inside);
                    self.elements.push(Element::Line { points, color: *color, width, dashed: *dashed, clipped });
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
                if p.disputed {
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
    pub(super) fn ranking_rows(&self, bars: usize) -> usize {
        // Header and footer are not laid out yet: judge on the figure's height.
        let room = self.spec.height as f32 * 0.62;
        let fit = (room / (34.0 * self.k)).floor() as usize;
        bars.min(fit.clamp(3, 25))
    }

    pub(super) fn ranking(
        &mut self,
        bars: &[RankedBar],
        figures: &[Observation],
        unit: &chart::DisplayUnit,
        name: &dyn Fn(&str) -> String,
        highlighted: &[&str],
    ) {
        let c = self.c;
        let k = self.k;
        let english = self.spec.english();
        let tick_size = 22.0 * k;
        let top = self.top + 8.0 * k;
        let bottom = (self.bottom - tick_size * 1.9).max(top + 0.2 * self.spec.height as f32);
        let row_h = (bottom - top) / bars.len().max(1) as f32;
        let size = (row_h * 0.55).clamp(14.0 * k, 28.0 * k);
        let names: Vec<String> =
            bars.iter().enumerate().map(|(i, b)| format!("{}. {}", i + 1, name(&b.entity))).collect();
        let name_w = names.iter().map(|n| text::width(n, size)).fold(0.0, f32::max).min(0.32 * self.width());
        let values: Vec<String> = bars
            .iter()
            .map(|b| {
                let o = &figures[b.observation];
                let qualifier = o.qualifier.map_or("", |q| q.word(english));
                let star = if b.disputed { " *" } else { "" };
                format!("{qualifier}{}{star}", value_label(unit.show(b.value_base)))
            })
            .collect();
        let value_w = values.iter().map(|v| text::width(v, size)).fold(0.0, f32::max);
        let left = self.pad + name_w + 20.0 * k;
        let right = (self.width() - self.pad - value_w - 16.0 * k).max(left + 0.2 * self.width());
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
    if !(lo.is_finite() && hi.is_finite() && hi > lo) {
        return vec![0.0, 1.0];
    }
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

    fn cited(n: usize) -> Vec<Observation> {
        (0..n)
            .map(|i| Observation {
                id: i as i64,
                entity: "z".into(),
                indicator: "i".into(),
                measure: crate::model::Measure::Value,
                period: crate::model::Period::Year(2023),
                period_text: String::new(),
                value: 1.0,
                unit: "亿元".into(),
                value_base: 1e8,
                unit_base: crate::model::BaseUnit::Cny,
                qualifier: None,
                share_of: None,
                source: format!("报社{i:03}").into(),
                source_id: format!("s{i}").into(),
                published: Some("2024-01-01".into()),
                address: "".into(),
                quote: None,
                quote_span: None,
                status: crate::model::ReviewStatus::Accepted,
                derived_from: None,
                note: None,
            })
            .collect()
    }

    #[test]
    fn hundreds_of_sources_fit_the_footer_and_say_how_many_more() {
        let figures = cited(600);
        let refs: Vec<&Observation> = figures.iter().collect();
        let spec = FigureSpec::default();
        let mut page = Page::new(&spec);
        page.footer(&["一条注释".to_string()], &refs, true);
        // The footer keeps to the bottom 30% of the page (and its own margin).
        assert!(page.bottom >= 0.7 * 1080.0 - 60.0, "the footer reaches up to {}", page.bottom);
        let figure = page.finish();
        assert_eq!(figure.sources.len(), 600, "every source stays in the figure's list");
        let text = figure.source_lines.concat();
        let more = text.split("另有 ").nth(1).and_then(|t| t.split(' ').next()).and_then(|n| n.parse::<usize>().ok());
        let named = (0..600).filter(|i| text.contains(&format!("报社{i:03}"))).count();
        assert_eq!(named + more.expect("the footer says how many more"), 600, "{text}");
        // A few sources are all named.
        let figures = cited(5);
        let refs: Vec<&Observation> = figures.iter().collect();
        let mut page = Page::new(&spec);
        page.footer(&[], &refs, true);
        let text = page.finish().source_lines.concat();
        assert!((0..5).all(|i| text.contains(&format!("报社{i:03}"))) && !text.contains("另有"), "{text}");
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
}
