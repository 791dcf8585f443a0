//! The central tabs: Chart, Table, Sources.

use eframe::egui::{self, Color32, RichText};
use egui_extras::{Column, TableBuilder};
use egui_plot::{Legend, Line, Plot, PlotPoints, Points};

use super::{Command, Lang, ZonescopeApp};
use crate::chart::{self, Series};
use crate::model::{PeriodShape, Qualifier, format_number};
use crate::present::RankingView;
use crate::store::Observation;

/// The chart palette (`chart::PALETTE`) as egui colours.
const PALETTE: [Color32; chart::PALETTE.len()] = {
    let mut out = [Color32::BLACK; chart::PALETTE.len()];
    let mut i = 0;
    while i < out.len() {
        let [r, g, b] = chart::PALETTE[i];
        out[i] = Color32::from_rgb(r, g, b);
        i += 1;
    }
    out
};

fn shape_label(lang: Lang, s: PeriodShape) -> String {
    match lang {
        Lang::Zh => s.label_zh(),
        Lang::En => s.label_en(),
    }
}

fn qualifier_word(lang: Lang, q: Option<Qualifier>) -> &'static str {
    q.map_or("", |q| q.word(lang == Lang::En))
}

/// A period in a menu: 2024年1-9月 · 今年前三季度 (4); "Jan–Sep 2024 (4)" in English (the
/// source's Chinese words would mean nothing there).
fn period_menu_label(lang: Lang, p: crate::model::Period, text: &str, entities: usize) -> String {
    let label = crate::figure::period_label(p, lang == Lang::En);
    match lang {
        Lang::Zh if !text.is_empty() && text != label => format!("{label} · {text} ({entities})"),
        _ => format!("{label} ({entities})"),
    }
}

/// A figure's value as the reader's language writes it: 超242.3亿元; "over CNY 24.23 bn",
/// "12000 firms" (English words for every unit).
fn written_value(lang: Lang, o: &Observation) -> String {
    match lang {
        Lang::En => format!(
            "{}{}",
            qualifier_word(lang, o.qualifier),
            chart::DisplayUnit::english_value(o.value_base, &o.unit_base)
        ),
        Lang::Zh => format!("{}{}{}", qualifier_word(lang, o.qualifier), format_number(o.value), o.unit),
    }
}

/// A figure's value with what it measures, when it is not a level: 同比增长8.5%, 排名第1位, a
/// share of what; "year-on-year growth: 8.5%", "No. 17". A bare 8.5% reads as a level.
fn measured_value(lang: Lang, o: &Observation) -> String {
    use crate::model::{Measure, ShareOf};
    let value = written_value(lang, o);
    match (o.measure, lang) {
        (Measure::Value, _) => value,
        (Measure::SharePct, Lang::Zh) => format!("{}{value}", ShareOf::label(o.share_of, lang)),
        (Measure::SharePct, Lang::En) => format!("{value} {}", ShareOf::label(o.share_of, lang)),
        (Measure::Rank, Lang::Zh) => format!("排名第{value}"),
        // "No. 17" says it is a rank.
        (Measure::Rank, Lang::En) => value,
        (Measure::YoyPp, Lang::Zh) => format!("增减{value}"),
        (m, Lang::Zh) => format!("{}{value}", m.label_zh()),
        (m, Lang::En) => format!("{}: {value}", m.label_en()),
    }
}

pub fn chart_ui(app: &mut ZonescopeApp, ui: &mut egui::Ui) {
    let lang = app.lang;
    let Some(indicator) = app.indicator.clone() else {
        ui.label(lang.tr("从左侧选择开发区和指标。", "Pick zones and an indicator on the left."));
        return;
    };
    let shapes = app.view_data().shapes.clone();
    let mut picked_shape = None;
    ui.horizontal_wrapped(|ui| {
        ui.label(lang.tr("期间口径:", "Period shape:"));
        for (s, n) in &shapes {
            if ui.selectable_label(app.shape == Some(*s), format!("{} ({n})", shape_label(lang, *s))).clicked() {
                picked_shape = Some(*s);
            }
        }
    });
    if let Some(s) = picked_shape {
        app.apply(Command::PickShape(s));
    }
    let Some(shape) = app.shape.filter(|s| shapes.iter().any(|(x, _)| x == s)) else {
        ui.label(
            lang.tr(
                "这些数据没有可以放在时间轴上的期间。",
                "None of these figures has a period to place on a time axis.",
            ),
        );
        return;
    };
    if app.measure == crate::model::Measure::Value {
        let mut transform = app.transform;
        ui.horizontal(|ui| {
            ui.label(lang.tr("显示为:", "Show as:"));
            ui.selectable_value(&mut transform, chart::Transform::Level, lang.tr("总量", "levels"));
            ui.selectable_value(
                &mut transform,
                chart::Transform::ComputedGrowth,
                lang.tr("同比增长(由总量计算)", "growth computed from levels"),
            );
            ui.selectable_value(
                &mut transform,
                chart::Transform::Index,
                lang.tr("指数(基期=100)", "index (base = 100)"),
            );
            if transform == chart::Transform::Level {
                ui.separator();
                let mut log = app.log_scale;
                ui.checkbox(&mut log, lang.tr("对数刻度", "Log scale")).on_hover_text(lang.tr(
                    "开发区之间相差几个数量级时,按倍数比较;刻度仍标实际数值",
                    "For zones orders of magnitude apart: compares ratios; the axis is labelled in real values",
                ));
                if log != app.log_scale {
                    app.apply(Command::SetLogScale(log));
                }
            }
        });
        if transform != app.transform {
            app.apply(Command::SetTransform(transform));
        }
    }
    let Some(model) = app.take_chart_model(shape) else { return };
    let Some(model) = chart_controls(app, ui, model) else { return };
    chart_heading(app, ui, &model, &indicator, shape);
    chart_plot(app, ui, model, &indicator, shape);
}

/// The chart's controls for the view's levels: index base, dollar rate, money unit. A change
/// puts the chart back to be built again, and gives `None`.
fn chart_controls(app: &mut ZonescopeApp, ui: &mut egui::Ui, model: chart::LineChart) -> Option<chart::LineChart> {
    let lang = app.lang;
    if app.measure == crate::model::Measure::Value && app.transform == chart::Transform::Index {
        let mut base = app.index_base;
        ui.horizontal(|ui| {
            ui.label(lang.tr("基期:", "Base period:"));
            ui.selectable_value(&mut base, None, lang.tr("首个共同期", "first common period"));
            for x in model.index_choices.iter().take(40) {
                ui.selectable_value(&mut base, Some(*x), format!("{x:.0}"));
            }
        });
        if base != app.index_base {
            app.apply(Command::SetIndexBase(base));
            app.chart_model = Some(model);
            ui.ctx().request_repaint();
            return None;
        }
    }
    if model.has_usd || app.rate_enabled {
        let mut input = app.rate_input.clone();
        let mut enabled = app.rate_enabled;
        ui.horizontal(|ui| {
            ui.checkbox(&mut enabled, lang.tr("美元换算为人民币:", "Convert USD to CNY:"));
            // The rate box is named by what it holds, for screen readers.
            let per = ui.label(lang.tr("汇率(元/美元)", "Rate (CNY per USD)"));
            ui.add_enabled(
                enabled,
                egui::DragValue::new(&mut input.cny_per_usd).speed(0.001).range(1.0..=20.0).max_decimals(4),
            )
            .labelled_by(per.id);
            ui.add_enabled(
                enabled,
                egui::TextEdit::singleline(&mut input.basis)
                    .hint_text(lang.tr("口径,如2023年年均汇率", "basis, e.g. 2023 annual average"))
                    .desired_width(200.0),
            );
            ui.add_enabled(
                enabled,
                egui::TextEdit::singleline(&mut input.source).hint_text(lang.tr("来源", "source")).desired_width(160.0),
            );
            if enabled && app.rate().is_none() {
                ui.label(
                    RichText::new(
                        lang.tr("填写汇率、口径和来源后生效", "takes effect once rate, basis and source are filled in"),
                    )
                    .weak(),
                );
            }
        });
        if input != app.rate_input || enabled != app.rate_enabled {
            app.apply(Command::SetRate { enabled, rate: input });
            app.chart_model = Some(model);
            ui.ctx().request_repaint();
            return None;
        }
    }
    if let Some(base) = model.series.first().map(|s| s.unit_base.clone()).filter(|u| u.is_money()) {
        let mut scale = app.unit_scale;
        ui.horizontal(|ui| {
            ui.label(lang.tr("单位:", "Unit:"));
            ui.selectable_value(&mut scale, None, lang.tr("自动", "auto"));
            for i in chart::money_scales(lang == Lang::En) {
                let factor = chart::MONEY_SCALES[i].0;
                ui.selectable_value(
                    &mut scale,
                    Some(i),
                    chart::DisplayUnit::new(&base, factor).label(lang == Lang::En).to_string(),
                );
            }
        });
        if scale != app.unit_scale {
            app.apply(Command::SetUnitScale(scale));
            app.chart_model = Some(model);
            ui.ctx().request_repaint(); // drawn in the new unit next frame
            return None;
        }
    }
    Some(model)
}

/// What the chart shows, and what it leaves out.
fn chart_heading(app: &ZonescopeApp, ui: &mut egui::Ui, model: &chart::LineChart, indicator: &str, shape: PeriodShape) {
    let lang = app.lang;
    let measure_label = match (app.measure, &app.view_data) {
        (crate::model::Measure::SharePct, Some(d)) => lang.share_of_label(d.whole),
        _ => lang.measure(app.measure).to_string(),
    };
    let shown_as = match (app.measure, app.transform) {
        (crate::model::Measure::Value, chart::Transform::ComputedGrowth) => {
            lang.tr(" · 同比增长(由总量计算)", " · growth computed from levels")
        }
        (crate::model::Measure::Value, chart::Transform::Index) => lang.tr(" · 指数", " · index"),
        _ => "",
    };
    ui.heading(format!(
        "{} · {}{shown_as} · {}",
        app.indicator_label(indicator),
        measure_label,
        shape_label(lang, shape)
    ));
    let left_out = model.left_out;
    if left_out > 0 {
        ui.label(
            RichText::new(match lang {
                Lang::Zh => format!(
                    "另有 {left_out} 条数据的期间口径不同(如1-8月与全年),不能在同一条线上比较,未画出;见表格。"
                ),
                Lang::En if left_out == 1 => "1 figure of another period shape (such as Jan–Aug against full years) cannot be compared on one line and is not drawn; see the Table.".to_string(),
                Lang::En => format!(
                    "{left_out} figures of other period shapes (such as Jan–Aug against full years) cannot be compared on one line and are not drawn; see the Table."
                ),
            })
            .weak(),
        );
    }
    for note in &model.notes {
        ui.label(RichText::new(note).color(ui.visuals().warn_fg_color));
    }
}

/// The plot: a line per entity, hover and click for a point's source, zoom kept with the view.
fn chart_plot(
    app: &mut ZonescopeApp,
    ui: &mut egui::Ui,
    mut model: chart::LineChart,
    indicator: &str,
    shape: PeriodShape,
) {
    let lang = app.lang;
    // Ranks read downward: 1 at the top. egui_plot has no reversed axis, so ranks are drawn
    // as negative numbers and labelled without the sign; the model is put back as it was.
    let ranks_down = app.measure == crate::model::Measure::Rank;
    if ranks_down {
        map_y(&mut model, |y| -y);
    }
    // A log axis: positions are log10 of the values, labels the values themselves.
    let log_scale = model.log_scale;
    if log_scale {
        map_y(&mut model, f64::log10);
    }
    // A plot per selection: the zoom of one selection does not carry over to the next, and a
    // new selection forgets the zoomed years unless a view being opened brings its own.
    let plot_key = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (&app.selected, &indicator, app.measure.as_str(), format!("{shape:?}")).hash(&mut h);
        h.finish()
    };
    if app.chart_plot_key != Some(plot_key) {
        if app.pending_x_range.is_none() {
            app.chart_x_range = None;
        }
        app.chart_plot_key = Some(plot_key);
    }
    let pending_x_range = app.pending_x_range.take();
    // The Chinese names, for an English hover.
    let app_names_zh: Vec<String> = model.series.iter().map(|s| app.entity_label_zh(&s.entity)).collect();
    let figures = &app.view_data().figures;
    // What hovering over a point says: entity, period as written, value, source. Made for the
    // one point hovered, not for all of them.
    let hover_text = |position: &egui_plot::PlotPoint| -> Option<String> {
        let near = |p: &chart::SeriesPoint| (p.x - position.x).abs() < 1e-9 && (p.y - position.y).abs() < 1e-9;
        if let Some((k, p)) =
            model.overlay.iter().enumerate().find_map(|(k, s)| s.points.iter().find(|p| near(p)).map(|p| (k, p)))
        {
            return Some(format!("{}\n{:.0}\n{:.1}%", model.overlay_names[k], p.x, p.y));
        }
        let (s, p) = model.series.iter().enumerate().find_map(|(k, s)| {
            s.points.iter().find(|p| (p.x - position.x).abs() < 1e-9 && (p.y - position.y).abs() < 1e-9).map(|p| (k, p))
        })?;
        let o = &figures[p.observation];
        let whole = match o.measure {
            crate::model::Measure::SharePct => format!(" {}", crate::model::ShareOf::label(o.share_of, lang)),
            _ => String::new(),
        };
        let name = match lang {
            Lang::En => format!("{} ({})", model.names[s], app_names_zh[s]),
            Lang::Zh => model.names[s].clone(),
        };
        let period = match lang {
            Lang::En => crate::figure::period_label(o.period, true),
            Lang::Zh => format!("{} ({})", o.period_text, o.period),
        };
        let mut text = format!(
            "{}\n{period}\n{}{whole}\n{} {}",
            name,
            written_value(lang, o),
            crate::figure::publisher_label(&o.source, lang == Lang::En),
            o.published.as_deref().unwrap_or("")
        );
        if p.derived {
            text.push_str(&format!("\n{}{}", lang.tr("推算:", "derived: "), o.derived_from.as_deref().unwrap_or("")));
        }
        for alt in &p.alternatives {
            let a = &figures[*alt];
            let agrees = chart::same_value(a, o);
            text.push_str(&format!(
                "\n{}{} ({} {})",
                if agrees {
                    lang.tr("另一来源印证:", "confirmed by: ")
                } else {
                    lang.tr("另一来源:", "other source: ")
                },
                written_value(lang, a),
                a.source,
                a.published.as_deref().unwrap_or("")
            ));
        }
        Some(text)
    };
    let unit_label = model.unit.label(lang == Lang::En).to_string();
    let (x_min, x_max) = model
        .series
        .iter()
        .flat_map(|s| &s.points)
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| (lo.min(p.x), hi.max(p.x)));
    // A point a year (years, Jan–N spans) is read against years only: quarter and month ticks
    // between them would name periods no point is for.
    let within_years =
        matches!(shape, PeriodShape::Quarter | PeriodShape::Month | PeriodShape::Stock | PeriodShape::OtherSpan { .. });
    let mut plot = Plot::new(("chart", plot_key))
        .height(ui.available_height() - 28.0)
        // Top left: series usually rise, and the latest points sit top right.
        .legend(Legend::default().position(egui_plot::Corner::LeftTop))
        .y_axis_label(unit_label);
    // The y range fits the data: levels from zero (never below it unless a value is), a
    // little room above the highest point; ranks from first place down to the last.
    let (y_lo, y_hi) = model
        .series
        .iter()
        .chain(&model.overlay)
        .flat_map(|s| &s.points)
        .filter(|p| p.y.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| (lo.min(p.y), hi.max(p.y)));
    plot = if log_scale && y_lo.is_finite() {
        let room = ((y_hi - y_lo) * 0.06).max(0.05);
        plot.default_y_bounds(y_lo - room, y_hi + room)
            .y_grid_spacer(|input| {
                let (lo, hi) = input.bounds;
                chart::log_ticks(10f64.powf(lo), 10f64.powf(hi))
                    .into_iter()
                    .map(|v| egui_plot::GridMark { value: v.log10(), step_size: 1.0 })
                    .collect()
            })
            .y_axis_formatter(|mark, _| {
                // 10^log10(20) is 20.000000000000004: labels keep four significant digits.
                let v = 10f64.powf(mark.value);
                let scale = 10f64.powi(3 - v.log10().floor() as i32);
                format_number((v * scale).round() / scale)
            })
    } else if ranks_down {
        // First place at the top; whole places only.
        let (bottom, top) = if y_lo.is_finite() { (y_lo - 0.5, y_hi.max(-1.0) + 0.5) } else { (-10.5, -0.5) };
        plot.default_y_bounds(bottom, top).y_axis_formatter(|mark, _| {
            let place = -mark.value;
            if place >= 1.0 && (place - place.round()).abs() < 1e-9 { format!("{place:.0}") } else { String::new() }
        })
    } else if y_lo.is_finite() {
        // Levels are read against zero.
        let (lo, hi) = (y_lo.min(0.0), y_hi.max(0.0));
        let room = if hi > lo { (hi - lo) * 0.06 } else { 1.0 };
        plot.default_y_bounds(if lo < 0.0 { lo - room } else { 0.0 }, hi + room)
    } else {
        plot.include_y(0.0)
    };
    let response = plot
        // A lone point gets a year either side.
        .include_x(x_min - 0.5)
        .include_x(x_max + 0.5)
        .x_grid_spacer(move |input| time_grid(input, within_years))
        .x_axis_formatter(move |mark, _| time_label(lang, mark))
        .label_formatter(|pos| match pos {
            egui_plot::HoverPosition::NearDataPoint { position, .. } => hover_text(position),
            _ => None,
        })
        .show(ui, |plot_ui| {
            if let Some([from, to]) = pending_x_range {
                plot_ui.set_plot_bounds_x(from..=to);
            }
            for (k, s) in model.series.iter().enumerate() {
                draw_series(plot_ui, s, &model.names[k], PALETTE[model.colours[k] % PALETTE.len()]);
            }
            for (k, s) in model.overlay.iter().enumerate() {
                // Same colour as the entity's published line, dashed.
                let colour = model.series.iter().position(|p| p.entity == s.entity).map_or(k, |i| model.colours[i]);
                let colour = PALETTE[colour % PALETTE.len()];
                for segment in s.segments() {
                    let points: Vec<[f64; 2]> = segment.iter().map(|p| [p.x, p.y]).collect();
                    plot_ui.line(
                        Line::new(model.overlay_names[k].clone(), PlotPoints::from(points.clone()))
                            .color(colour)
                            .style(egui_plot::LineStyle::dashed_loose()),
                    );
                    plot_ui.points(
                        Points::new(model.overlay_names[k].clone(), PlotPoints::from(points))
                            .color(colour)
                            .radius(5.0)
                            .filled(false),
                    );
                }
            }
        });
    // Remember the years shown once the reader has zoomed or panned (the view keeps them);
    // a double click fits the data again, and forgets them.
    let r = &response.response;
    let moved = r.dragged()
        || (r.hovered() && ui.input(|i| i.smooth_scroll_delta != egui::Vec2::ZERO || i.zoom_delta() != 1.0));
    let new_x_range = if r.double_clicked() {
        Some(None)
    } else if moved {
        let bounds = response.transform.bounds();
        let round = |v: f64| (v * 100.0).round() / 100.0;
        Some(Some([round(bounds.min()[0]), round(bounds.max()[0])]))
    } else {
        None
    };
    ui.label(
        RichText::new(lang.tr(
            "空心点:约数、上下限或推算值;带圈的点:各来源数值不一,画出最新来源的。点击数据点查看来源。",
            "Hollow markers: approximate, bounded or derived values. Ringed: sources disagree, the newest is drawn. Click a point to see its source.",
        ))
        .weak(),
    );
    let mut clicked = None;
    if response.response.clicked()
        && let Some(pointer) = response.response.interact_pointer_pos()
    {
        clicked = model
            .series
            .iter()
            .flat_map(|s| &s.points)
            .map(|p| {
                let at = response.transform.position_from_point(&egui_plot::PlotPoint::new(p.x, p.y));
                (p, at.distance(pointer))
            })
            .filter(|(_, d)| *d < 12.0)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(p, _)| figures[p.observation].id);
    }
    if log_scale {
        map_y(&mut model, |y| 10f64.powf(y));
    }
    if ranks_down {
        map_y(&mut model, |y| -y);
    }
    app.chart_model = Some(model);
    if let Some(range) = new_x_range {
        app.apply(Command::SetXRange(range));
    }
    if let Some(id) = clicked {
        app.apply(Command::ShowSourceOf(id));
    }
}

/// Grid lines on a time axis in years: years (every 2, 5 or 10 when zoomed out), then, for
/// charts of quarters, months or dates (`within_years`), quarters and months when zoomed in.
fn time_grid(input: egui_plot::GridInput, within_years: bool) -> Vec<egui_plot::GridMark> {
    let (min, max) = input.bounds;
    let span = (max - min).max(1e-6);
    let mut marks = Vec::new();
    let mut add = |step: f64, keep: &dyn Fn(i64) -> bool| {
        let (first, last) = ((min / step).ceil() as i64, (max / step).floor() as i64);
        if last - first > 400 {
            return;
        }
        for k in first..=last {
            if keep(k) {
                marks.push(egui_plot::GridMark { value: k as f64 * step, step_size: step });
            }
        }
    };
    let year_step = match span {
        s if s > 60.0 => 10.0,
        s if s > 25.0 => 5.0,
        s if s > 12.0 => 2.0,
        _ => 1.0,
    };
    add(year_step, &|_| true);
    if !within_years {
        return marks;
    }
    if span <= 6.0 {
        add(0.25, &|k| k % 4 != 0);
    }
    if span <= 1.5 {
        add(1.0 / 12.0, &|k| k % 3 != 0);
    }
    marks
}

/// A time-axis label: the year, a quarter (Q2 / 二季度) or a month (5月 / May).
fn time_label(lang: Lang, mark: egui_plot::GridMark) -> String {
    let year = mark.value.floor();
    let month = ((mark.value - year) * 12.0).round() as i64; // 0-based
    if month == 0 || month == 12 {
        format!("{:.0}", mark.value.round())
    } else if (mark.step_size - 0.25).abs() < 1e-9 {
        let q = month / 3 + 1;
        match lang {
            Lang::Zh => ["", "一季度", "二季度", "三季度", "四季度"].get(q as usize).copied().unwrap_or("").to_string(),
            Lang::En => format!("Q{q}"),
        }
    } else {
        match lang {
            Lang::Zh => format!("{}月", month + 1),
            Lang::En => crate::model::month_abbreviation(month as u8 + 1).to_string(),
        }
    }
}

/// Moves every point of a chart on the y axis (negated for ranks, log10 for a log axis), and
/// back after drawing.
fn map_y(model: &mut chart::LineChart, f: impl Fn(f64) -> f64) {
    for p in model.series.iter_mut().chain(model.overlay.iter_mut()).flat_map(|s| s.points.iter_mut()) {
        p.y = f(p.y);
    }
}

/// Above this many points a line carries no markers but for isolated, approximate, derived or
/// disputed points: thousands of dots hide the line and cost a frame.
const MARKERS_UP_TO: usize = 60;

fn draw_series(plot_ui: &mut egui_plot::PlotUi<'_>, s: &Series, name: &str, color: Color32) {
    for segment in s.segments() {
        if segment.len() > 1 {
            let points: Vec<[f64; 2]> = segment.iter().map(|p| [p.x, p.y]).collect();
            plot_ui.line(Line::new(name.to_string(), PlotPoints::from(points)).color(color).width(2.0));
        }
    }
    let dense = s.points.len() > MARKERS_UP_TO;
    let isolated: Vec<bool> = {
        let mut flags = vec![false; s.points.len()];
        let mut start = 0;
        for segment in s.segments() {
            if segment.len() == 1 {
                flags[start] = true;
            }
            start += segment.len();
        }
        flags
    };
    let exact: Vec<[f64; 2]> = s
        .points
        .iter()
        .zip(&isolated)
        .filter(|(p, lone)| !p.qualified && !p.derived && (!dense || **lone))
        .map(|(p, _)| [p.x, p.y])
        .collect();
    let marked: Vec<[f64; 2]> = s.points.iter().filter(|p| p.qualified || p.derived).map(|p| [p.x, p.y]).collect();
    plot_ui.points(Points::new(name.to_string(), PlotPoints::from(exact)).color(color).radius(4.0).filled(true));
    if !marked.is_empty() {
        plot_ui.points(Points::new(name.to_string(), PlotPoints::from(marked)).color(color).radius(6.0).filled(false));
    }
    // A ring around a point whose sources disagree: the table shows every value.
    let disputed: Vec<[f64; 2]> = s.points.iter().filter(|p| p.disputed).map(|p| [p.x, p.y]).collect();
    if !disputed.is_empty() {
        plot_ui
            .points(Points::new(name.to_string(), PlotPoints::from(disputed)).color(color).radius(9.0).filled(false));
    }
}

pub fn ranking_ui(app: &mut ZonescopeApp, ui: &mut egui::Ui) {
    let lang = app.lang;
    let Some(indicator) = app.indicator.clone() else {
        ui.label(lang.tr("从左侧选择开发区和指标。", "Pick zones and an indicator on the left."));
        return;
    };
    if app.ranking_figures().is_none() {
        ui.spinner();
        return;
    }
    let heading = format!("{} · {}", app.indicator_label(&indicator), lang.measure(app.measure));
    let rate = app.rate();
    let Some(shown) = app.ranking_view() else {
        ui.label(lang.tr("这些数据没有期间,无法排名。", "These figures have no period to rank."));
        return;
    };
    let RankingView {
        ref periods,
        period,
        ref ranking,
        ref unit,
        catalog,
        reported,
        share_of,
        other_wholes,
        ref references,
    } = *shown;
    let mut picked = period;
    let label = |p: &crate::model::Period| {
        let found = periods.iter().find(|x| x.period == *p);
        // The count is of zones: what the ranking ranks, and what picks its first period.
        let (text, n) = found.map_or(("", 0), |x| (x.text.as_str(), x.zones));
        period_menu_label(lang, *p, text, n)
    };
    ui.horizontal(|ui| period_picker(ui, "ranking-period", lang.tr("期间:", "Period:"), periods, &mut picked, &label));
    // A new period is asked of the worker on the next frame.
    if app.ranking_period != Some(picked) {
        app.apply(Command::PickRankingPeriod(picked));
    }
    let bars = &ranking.bars;
    let heading = match app.measure {
        crate::model::Measure::SharePct => {
            format!("{} · {}", app.indicator_label(&indicator), lang.share_of_label(share_of))
        }
        _ => heading,
    };
    ui.heading(format!("{heading} · {}", crate::figure::period_label(period, lang == Lang::En)));
    if other_wholes > 0 {
        ui.label(RichText::new(match lang {
            Lang::Zh => format!("另有 {other_wholes} 个实体的占比口径不同,未列入(不同口径的占比不能相比;可在上方换口径)。"),
            Lang::En => format!("{other_wholes} entities whose shares are of another whole are left out (shares of different wholes do not compare; pick the whole above)."),
        }).color(ui.visuals().warn_fg_color));
    }
    if let (true, Some(rate)) = (ranking.converted, &rate) {
        ui.label(RichText::new(rate.note(lang == Lang::En)).color(ui.visuals().warn_fg_color));
    }
    for (unit, n) in &ranking.dropped {
        let unit = chart::DisplayUnit::new(unit, 1.0);
        ui.label(RichText::new(match lang {
            Lang::Zh => format!("另有 {n} 个实体以{}计,未画出(一个坐标轴只用一种单位;可在图表页设定汇率)。", unit.label_zh),
            Lang::En => format!("{n} entities reporting in {} are left out: one axis, one unit (a conversion rate can be set on the Chart tab).", unit.label_en),
        }).color(ui.visuals().warn_fg_color));
    }
    let outside = bars.len() - reported;
    ui.label(match (lang, outside) {
        (Lang::Zh, 0) => format!("{catalog} 个国家级经开区中有 {reported} 个有此数据。"),
        (Lang::Zh, _) => format!("{catalog} 个国家级经开区中有 {reported} 个有此数据;另有 {outside} 个目录外开发区。"),
        (Lang::En, 0) => format!("{reported} of {catalog} national zones reported."),
        (Lang::En, _) => {
            format!("{reported} of {catalog} national zones reported; {outside} zones outside the catalog.")
        }
    });
    if !references.is_empty() {
        // Totals and groups are read beside the ranking, not ranked: a national total is no
        // competitor of one zone, and its bar would flatten every other.
        let figures = app.ranking.as_ref().map(|r| r.figures.as_slice()).unwrap_or(&[]);
        let listed: Vec<String> = references
            .iter()
            .filter_map(|b| {
                figures
                    .get(b.observation)
                    .map(|o| format!("{} {}", app.entity_label_by_name(&b.entity), written_value(lang, o)))
            })
            .collect();
        ui.label(
            RichText::new(format!(
                "{}{}",
                lang.tr("参考(合计与汇总,不参与排名):", "For reference (totals and groups, not ranked): "),
                listed.join(" · ")
            ))
            .strong(),
        );
    }
    if bars.iter().any(|b| b.disputed) {
        ui.label(
            RichText::new(
                lang.tr("* 另有来源给出不同数值,见表格。", "* other sources give other values: see the Table."),
            )
            .weak(),
        );
    }
    ui.label(
        RichText::new(match lang {
            Lang::Zh => format!("单位:{}(条长);数值按原文", unit.label_zh),
            Lang::En => format!("Bars in {}; values as published", unit.label_en),
        })
        .weak(),
    );
    ranking_rows(app, ui, ranking, unit);
}

/// The bars of a ranking, one row each, best first. Only the rows in sight are laid out, so a
/// ranking of thousands of zones costs a frame what thirty rows cost, and every label stays
/// legible: a row per entity, never labels squeezed onto one axis.
fn ranking_rows(app: &ZonescopeApp, ui: &mut egui::Ui, ranking: &chart::Ranking, unit: &chart::DisplayUnit) {
    let lang = app.lang;
    let Some(figures) = app.ranking.as_ref().map(|r| r.figures.as_slice()) else { return };
    let bars = &ranking.bars;
    let max = bars.iter().map(|b| unit.show(b.value_base).abs()).fold(0.0, f64::max);
    let row_height = (ui.text_style_height(&egui::TextStyle::Body) + 8.0).max(22.0);
    let rank_width = 48.0;
    let name_width = (ui.available_width() * 0.32).clamp(140.0, 340.0);
    let value_width = 150.0;
    let text_color = ui.visuals().text_color();
    let font = egui::TextStyle::Body.resolve(ui.style());
    egui::ScrollArea::vertical().auto_shrink([false, false]).show_rows(ui, row_height, bars.len(), |ui, rows| {
        for i in rows {
            let b = &bars[i];
            let (rect, response) =
                ui.allocate_exact_size(egui::vec2(ui.available_width(), row_height), egui::Sense::hover());
            let o = &figures[b.observation];
            let name = app.entity_label_by_name(&b.entity);
            let value = format!("{}{}", written_value(lang, o), if b.disputed { " *" } else { "" });
            let selected = app
                .selected
                .iter()
                .any(|id| app.registry.as_ref().and_then(|r| r.get(*id)).is_some_and(|e| e.name == b.entity));
            let painter = ui.painter_at(rect);
            if response.hovered() {
                painter.rect_filled(rect, 2.0, ui.visuals().faint_bg_color);
            }
            let y = rect.center().y;
            painter.text(
                egui::pos2(rect.left() + rank_width - 8.0, y),
                egui::Align2::RIGHT_CENTER,
                (i + 1).to_string(),
                font.clone(),
                text_color,
            );
            let name_rect = egui::Rect::from_min_size(
                egui::pos2(rect.left() + rank_width, rect.top()),
                egui::vec2(name_width - 8.0, row_height),
            );
            let galley = ui.painter().layout(name.clone(), font.clone(), text_color, f32::INFINITY);
            let shown_name = if galley.size().x > name_rect.width() {
                shorten_to(ui, &name, &font, name_rect.width())
            } else {
                name.clone()
            };
            ui.painter_at(name_rect).text(
                egui::pos2(name_rect.left(), y),
                egui::Align2::LEFT_CENTER,
                shown_name,
                font.clone(),
                text_color,
            );
            let bar_left = rect.left() + rank_width + name_width;
            let bar_span = (rect.right() - value_width - bar_left).max(10.0);
            let length = if max > 0.0 { (unit.show(b.value_base).abs() / max) as f32 * bar_span } else { 0.0 };
            let bar = egui::Rect::from_min_size(
                egui::pos2(bar_left, rect.top() + 4.0),
                egui::vec2(length.max(1.0), row_height - 8.0),
            );
            painter.rect_filled(bar, 1.0, if selected { PALETTE[1] } else { PALETTE[0] });
            painter.text(egui::pos2(bar.right() + 6.0, y), egui::Align2::LEFT_CENTER, &value, font.clone(), text_color);
            let described = format!("{} {name} {value}", i + 1);
            response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &described));
            response.on_hover_ui(|ui| {
                ui.label(format!("{} · {}", b.entity, written_value(lang, o)));
                ui.label(format!("{} {}", o.source, o.published.as_deref().unwrap_or("")));
                if let Some(q) = &o.quote {
                    ui.label(RichText::new(q).italics());
                }
            });
        }
    });
}

/// `text` cut to fit `width`, ending in "…".
fn shorten_to(ui: &egui::Ui, text: &str, font: &egui::FontId, width: f32) -> String {
    let chars: Vec<char> = text.chars().collect();
    let fits = |n: usize| {
        let candidate: String = chars[..n].iter().collect::<String>() + "…";
        ui.painter().layout_no_wrap(candidate, font.clone(), Color32::WHITE).size().x <= width
    };
    let (mut lo, mut hi) = (0, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if fits(mid) { lo = mid } else { hi = mid - 1 }
    }
    chars[..lo].iter().collect::<String>() + "…"
}

pub fn table_ui(app_mut: &mut ZonescopeApp, ui: &mut egui::Ui) {
    let lang = app_mut.lang;
    if app_mut.figures().is_empty() {
        ui.label(lang.tr("从左侧选择开发区。", "Pick zones on the left."));
        return;
    }
    let mut compare = app_mut.table_compare;
    ui.horizontal(|ui| {
        ui.selectable_value(&mut compare, false, lang.tr("数据表", "Figures"));
        ui.selectable_value(&mut compare, true, lang.tr("两期对比", "Compare two periods"));
    });
    if compare != app_mut.table_compare {
        app_mut.apply(Command::CompareTwoPeriods(compare));
    }
    if compare {
        comparison_table(app_mut, ui);
        return;
    }
    let mut all_indicators = app_mut.table_all_indicators;
    let mut sort = app_mut.table_sort;
    let mut picked_rows = std::mem::take(&mut app_mut.table_rows);
    let order = app_mut.table_order(all_indicators, sort);
    let app = &*app_mut;
    let source: &[Observation] = match (&app.view_data, all_indicators) {
        (Some(d), false) => &d.figures,
        _ => app.figures(),
    };
    let rows = order.len();
    ui.horizontal(|ui| {
        ui.checkbox(&mut all_indicators, lang.tr("显示所有指标", "All indicators")).on_hover_text(lang.tr(
            "不勾选时,表格只列出上方所选的指标和度量,与图表一致",
            "Unticked, the Table lists the indicator and measure picked above, as the Chart does",
        ));
        ui.label(format!("{rows} {}", lang.tr("条数据", "figures")));
        let copy = if picked_rows.is_empty() {
            lang.tr("复制为TSV", "Copy as TSV").to_string()
        } else {
            format!("{} ({})", lang.tr("复制所选为TSV", "Copy selected as TSV"), picked_rows.len())
        };
        if ui.button(copy).clicked() {
            let chosen =
                order.iter().map(|&i| &source[i]).filter(|o| picked_rows.is_empty() || picked_rows.contains(&o.id));
            ui.ctx().copy_text(to_tsv(chosen));
        }
        if !picked_rows.is_empty() && ui.button(lang.tr("取消选择", "Clear selection")).clicked() {
            picked_rows.clear();
        }
        ui.label(
            RichText::new(lang.tr("点击列标题排序,点击行选择", "Click a column title to sort, a row to select it"))
                .weak(),
        );
    });
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    let headers = [
        lang.tr("开发区", "Entity"),
        lang.tr("指标", "Indicator"),
        lang.tr("度量", "Measure"),
        lang.tr("期间", "Period"),
        lang.tr("原文期间", "As written"),
        lang.tr("数值", "Value"),
        lang.tr("来源", "Source"),
        lang.tr("日期", "Date"),
        lang.tr("引文", "Quote"),
    ];
    let mut clicked_rows = Vec::new();
    // Columns are sized to what they hold when the rows change: egui keeps a table's widths
    // under its id, so the id changes with the rows (widths fitted to one zone's figures would
    // cut the next one's names).
    let widths_key = (&app.selected, app.generation, &app.indicator, app.measure, all_indicators, lang);
    TableBuilder::new(ui)
        .id_salt(egui::IdSalt::new(widths_key))
        .striped(true)
        .sense(egui::Sense::click())
        // Columns take the width of their longest entry (measured when the rows change); only
        // the quote, last, is cut to what is left (its full text is in the Sources tab).
        .column(Column::auto().at_least(90.0).resizable(true))
        .column(Column::auto().at_least(110.0).resizable(true))
        .column(Column::auto().at_least(60.0))
        .column(Column::auto().at_least(110.0))
        .column(Column::auto().at_least(80.0))
        .column(Column::auto().at_least(80.0))
        .column(Column::auto().at_least(90.0).resizable(true))
        .column(Column::auto().at_least(80.0))
        .column(Column::remainder().clip(true))
        .header(row_height, |mut header| {
            for (column, title) in headers.into_iter().enumerate() {
                header.col(|ui| {
                    let arrow = match sort {
                        Some((c, true)) if c == column => " ▼",
                        Some((c, false)) if c == column => " ▲",
                        _ => "",
                    };
                    if ui
                        .add(egui::Button::new(RichText::new(format!("{title}{arrow}")).strong()).frame(false))
                        .clicked()
                    {
                        sort = match sort {
                            Some((c, false)) if c == column => Some((column, true)),
                            Some((c, true)) if c == column => None,
                            _ => Some((column, false)),
                        };
                    }
                });
            }
        })
        .body(|body| {
            body.rows(row_height, rows, |mut row| {
                let o = &source[order[row.index()]];
                row.set_selected(picked_rows.contains(&o.id));
                let measure = match o.measure {
                    crate::model::Measure::SharePct => {
                        format!("{} · {}", lang.measure(o.measure), crate::model::ShareOf::label(o.share_of, lang))
                    }
                    m => lang.measure(m).to_string(),
                };
                let cells = [
                    app.entity_label_by_name(&o.entity),
                    app.indicator_label(&o.indicator),
                    measure,
                    // English reads "Jan–Aug 2024"; Chinese keeps the exact notation beside the
                    // source's own words in the next column.
                    match lang {
                        Lang::En if o.period != crate::model::Period::Unspecified => {
                            crate::figure::period_label(o.period, true)
                        }
                        _ => o.period.notation().unwrap_or_else(|| "—".into()),
                    },
                    o.period_text.clone(),
                    written_value(lang, o),
                ];
                for cell in cells {
                    row.col(|ui| {
                        ui.label(cell);
                    });
                }
                row.col(|ui| {
                    // The publisher as the reader's language names it (中新网; China News
                    // Service); the full entry, key and address on hover.
                    ui.label(crate::figure::publisher_label(&o.source, lang == Lang::En))
                        .on_hover_text(format!("{}\n{}\n{}", o.source, o.source_id, o.address));
                });
                row.col(|ui| {
                    ui.label(o.published.as_deref().unwrap_or("—"));
                });
                row.col(|ui| {
                    let r = ui.label(o.quote.as_deref().unwrap_or(""));
                    if let Some(note) = &o.note {
                        r.on_hover_text(note);
                    }
                });
                if row.response().clicked() {
                    clicked_rows.push(o.id);
                }
            });
        });
    for id in clicked_rows {
        if !picked_rows.remove(&id) {
            picked_rows.insert(id);
        }
    }
    if all_indicators != app_mut.table_all_indicators {
        app_mut.apply(Command::ShowAllIndicators(all_indicators));
    }
    if sort != app_mut.table_sort {
        app_mut.apply(Command::SortTable(sort));
    }
    app_mut.table_rows = picked_rows;
}

/// The Table in two-period mode: each entity's figure at a start and an end period, the change
/// and the change in percent.
fn comparison_table(app: &mut ZonescopeApp, ui: &mut egui::Ui) {
    let lang = app.lang;
    let figures = app.view_data().figures.clone();
    let periods = match app.registry.as_ref() {
        Some(r) => chart::ranking_periods(&figures, |e| r.is_zone(e)),
        None => chart::ranking_periods(&figures, |_| false),
    };
    if periods.len() < 2 {
        ui.label(lang.tr(
            "所选指标和度量的数据不足两个期间。",
            "The chosen indicator and measure have figures for fewer than two periods.",
        ));
        return;
    }
    let asked = app.compare_start.zip(app.compare_end);
    let Some((start, end)) = crate::present::compared_periods(&periods, asked) else { return };
    let (mut new_start, mut new_end) = (start, end);
    let label = |p: &crate::model::Period| {
        let text = figures.iter().find(|o| o.period == *p).map(|o| o.period_text.as_str()).unwrap_or("");
        let n = periods.iter().find(|x| x.period == *p).map_or(0, |x| x.entities);
        period_menu_label(lang, *p, text, n)
    };
    ui.horizontal(|ui| {
        period_picker(ui, "compare-start", lang.tr("起:", "From:"), &periods, &mut new_start, &label);
        period_picker(ui, "compare-end", lang.tr("止:", "To:"), &periods, &mut new_end, &label);
    });
    if (Some(new_start), Some(new_end)) != (app.compare_start, app.compare_end) {
        app.apply(Command::PickComparedPeriods { start: new_start, end: new_end });
    }
    if start.shapes() != end.shapes() {
        ui.label(RichText::new(lang.tr(
            "注意:两个期间口径不同(如1-8月与全年),差值不是同口径的变化。",
            "Note: the two periods differ in shape (such as Jan–Aug against a full year); the change is not like for like.",
        )).color(ui.visuals().warn_fg_color));
    }
    let rows = chart::compare_periods(&figures, start, end);
    let max = rows.iter().flat_map(|r| [r.start, r.end]).flatten().map(f64::abs).fold(0.0, f64::max);
    let none = crate::model::BaseUnit::Physical(String::new());
    let unit = chart::DisplayUnit::auto(rows.first().map_or(&none, |r| &r.unit_base), max, lang == Lang::En);
    let u = unit.label(lang == Lang::En).to_string();
    let show = |v: Option<f64>| {
        v.map(|v| format_number((unit.show(v) * 100.0).round() / 100.0).to_string()).unwrap_or_else(|| "—".into())
    };
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    let headers = [
        lang.tr("开发区", "Entity").to_string(),
        format!("{} ({u})", label(&start)),
        format!("{} ({u})", label(&end)),
        format!("Δ ({u})"),
        "Δ%".to_string(),
    ];
    TableBuilder::new(ui)
        .striped(true)
        .column(Column::auto().at_least(160.0).clip(true).resizable(true))
        .columns(Column::auto().at_least(130.0), 4)
        .header(row_height, |mut header| {
            for title in &headers {
                header.col(|ui| {
                    ui.strong(title);
                });
            }
        })
        .body(|body| {
            body.rows(row_height, rows.len(), |mut row| {
                let r = &rows[row.index()];
                let cells = [
                    app.entity_label_by_name(&r.entity),
                    show(r.start),
                    show(r.end),
                    show(r.delta()),
                    r.delta_pct().map(|p| format!("{p:.1}%")).unwrap_or_else(|| "—".into()),
                ];
                for cell in cells {
                    row.col(|ui| {
                        ui.label(cell);
                    });
                }
            });
        });
}

/// A labelled drop-down of periods.
fn period_picker(
    ui: &mut egui::Ui,
    id: &str,
    title: &str,
    periods: &[crate::model::RankingPeriod],
    value: &mut crate::model::Period,
    label: &dyn Fn(&crate::model::Period) -> String,
) {
    let title = ui.label(title);
    egui::ComboBox::from_id_salt(id)
        .width(240.0)
        .selected_text(label(value))
        .show_ui(ui, |ui| {
            for p in periods {
                ui.selectable_value(value, p.period, label(&p.period));
            }
        })
        .response
        .labelled_by(title.id);
}

/// Orders two figures by a column of the Table.
pub(super) fn compare_by_column(column: usize, a: &Observation, b: &Observation) -> std::cmp::Ordering {
    match column {
        0 => a.entity.cmp(&b.entity),
        1 => a.indicator.cmp(&b.indicator),
        2 => a.measure.cmp(&b.measure),
        3 | 4 => a.period.bounds().map(|(s, e)| (e, s)).cmp(&b.period.bounds().map(|(s, e)| (e, s))),
        5 => a.value_base.total_cmp(&b.value_base),
        6 => a.source.cmp(&b.source),
        7 => a.published.cmp(&b.published),
        _ => a.quote.cmp(&b.quote),
    }
}

/// The rows as tab-separated values with a header, in the columns every file of figures has
/// (`present::FIGURE_COLUMNS`), for a spreadsheet.
pub fn to_tsv<'a>(rows: impl IntoIterator<Item = &'a Observation>) -> String {
    let clean = |s: String| s.replace(['\t', '\n', '\r'], " ");
    let mut out = crate::present::FIGURE_COLUMNS.join("\t");
    out.push('\n');
    for o in rows {
        let fields: Vec<String> = crate::present::figure_row(o, None, None).iter().map(|c| clean(c.text())).collect();
        out.push_str(&fields.join("\t"));
        out.push('\n');
    }
    out
}

/// Where a quote stands in a source's text, as a byte range: its stored character span when
/// that span really holds the quote, else the first place the quote occurs.
pub fn quote_range(text: &str, quote: &str, span: Option<(i64, i64)>) -> Option<std::ops::Range<usize>> {
    if quote.is_empty() {
        return None;
    }
    if let Some((start, end)) = span {
        let byte = |chars: i64| -> Option<usize> {
            let chars = usize::try_from(chars).ok()?;
            text.char_indices().map(|(b, _)| b).chain(std::iter::once(text.len())).nth(chars)
        };
        if let (Some(a), Some(b)) = (byte(start), byte(end))
            && a <= b
            && text.get(a..b) == Some(quote)
        {
            return Some(a..b);
        }
    }
    text.find(quote).map(|a| a..a + quote.len())
}

/// The focused figure's source text, its quote highlighted; or why there is none.
fn source_text_panel(app: &mut ZonescopeApp, ui: &mut egui::Ui) {
    let lang = app.lang;
    let Some(o) = app.focused.and_then(|id| app.figures().iter().find(|o| o.id == id)).cloned() else { return };
    ui.strong(format!(
        "{} · {} {}",
        lang.tr("原文", "Text of the source"),
        o.source,
        o.published.as_deref().unwrap_or("")
    ));
    let answer = app.source_text(&o.source_id).map(|t| t.map(str::to_string));
    let scroll = app.scroll_to_focused;
    match answer {
        None => {
            ui.spinner();
        }
        Some(None) => {
            ui.label(
                RichText::new(lang.tr(
                    "此来源的原文未保存,只保存了出处与引文。",
                    "The text of this source is not stored: only its citation and the quote.",
                ))
                .weak(),
            );
        }
        Some(Some(text)) => {
            let text = text.as_str();
            let mut job = egui::text::LayoutJob::default();
            let body = egui::TextFormat { color: ui.visuals().text_color(), ..Default::default() };
            let highlight = egui::TextFormat {
                background: Color32::from_rgb(255, 230, 120),
                color: Color32::BLACK,
                ..Default::default()
            };
            let range = o.quote.as_deref().and_then(|q| quote_range(text, q, o.quote_span));
            let found = range.is_some();
            match range {
                Some(r) => {
                    job.append(&text[..r.start], 0.0, body.clone());
                    job.append(&text[r.clone()], 0.0, highlight);
                    job.append(&text[r.end..], 0.0, body);
                }
                None => job.append(text, 0.0, body),
            }
            job.wrap.max_width = ui.available_width();
            egui::ScrollArea::vertical().id_salt("source-text").max_height(260.0).show(ui, |ui| {
                let r = ui.label(job);
                if found && scroll {
                    r.scroll_to_me(Some(egui::Align::Center));
                }
            });
        }
    }
    ui.separator();
}

pub fn sources_ui(app_mut: &mut ZonescopeApp, ui: &mut egui::Ui) {
    source_text_panel(app_mut, ui);
    let lang = app_mut.lang;
    let mut scroll = app_mut.scroll_to_focused;
    if app_mut.figures().is_empty() {
        ui.label(lang.tr("从左侧选择开发区。", "Pick zones on the left."));
        return;
    }
    let groups = app_mut.figures_by_source();
    let mut heights = std::mem::take(&mut app_mut.row_heights_sources);
    let app = &*app_mut;
    let figures = app.figures();
    ui.label(format!("{} {}", groups.len(), lang.tr("个来源", "sources")));
    let one_line = ui.text_style_height(&egui::TextStyle::Body) + 8.0;
    let mut removal: Option<Removal> = None;
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        for of_source in groups.iter() {
            let first = &figures[of_source[0]];
            ui.add_space(6.0);
            ui.horizontal_wrapped(|ui| {
                ui.strong(&*first.source);
                ui.label(first.published.as_deref().unwrap_or(lang.tr("日期不详", "date unknown")));
                // An import (a text or a table) can be undone; the bundled sources stay.
                if !crate::dataset::bundled_source_keys().contains(&*first.source_id) {
                    if app.removing_source.as_deref() == Some(&*first.source_id) {
                        ui.colored_label(
                            ui.visuals().warn_fg_color,
                            lang.tr("删除这个来源及其全部数据?", "Remove this source and all its figures?"),
                        );
                        if ui.button(lang.tr("删除", "Remove")).clicked() {
                            removal = Some(Removal::Confirm(first.source_id.to_string()));
                        }
                        if ui.button(lang.tr("取消", "Cancel")).clicked() {
                            removal = Some(Removal::Cancel);
                        }
                    } else if ui
                        .small_button(lang.tr("撤销这次导入…", "Undo this import…"))
                        .on_hover_text(lang.tr(
                            "删除这个导入的来源及其全部数据",
                            "Remove this imported source and every figure it gave",
                        ))
                        .clicked()
                    {
                        removal = Some(Removal::Ask(first.source_id.to_string()));
                    }
                }
            });
            if first.address.starts_with("http") {
                let url = first.address.split_whitespace().next().unwrap_or(&first.address);
                ui.hyperlink_to(&*first.address, url);
            } else if !first.address.is_empty() {
                ui.label(&*first.address);
            }
            // Figures out of sight take their place without being laid out, in one stretch of
            // space: a source of thousands of figures costs a frame what the rows in sight cost.
            let gap = ui.spacing().item_spacing.y;
            let mut skipped = 0.0;
            for &i in of_source {
                let o = &figures[i];
                let focused = app.focused == Some(o.id);
                let height = heights.get(&o.id).copied().unwrap_or(one_line);
                let top = ui.cursor().min + egui::vec2(0.0, skipped);
                let next = egui::Rect::from_min_size(top, egui::vec2(ui.available_width(), height));
                if !ui.is_rect_visible(next) && !(focused && scroll) {
                    skipped += height + gap;
                    continue;
                }
                if skipped > 0.0 {
                    ui.add_space(skipped);
                    skipped = 0.0;
                }
                let frame = if focused {
                    egui::Frame::new().fill(ui.visuals().selection.bg_fill).inner_margin(4.0).corner_radius(4.0)
                } else {
                    egui::Frame::new().inner_margin(4.0)
                };
                let r = frame.show(ui, |ui| {
                    // The period as the reader's language says it, then as the text wrote it;
                    // a share says of what.
                    let period = match (lang, o.period) {
                        (_, crate::model::Period::Unspecified) => {
                            lang.tr("期间未说明", "period not stated").to_string()
                        }
                        (Lang::En, p) => crate::figure::period_label(p, true),
                        (Lang::Zh, p) => p.to_string(),
                    };
                    let value = measured_value(lang, o);
                    ui.label(format!(
                        "{} · {} · {} {period} · {value}",
                        app.entity_label_by_name(&o.entity),
                        app.indicator_label(&o.indicator),
                        o.period_text,
                    ));
                    if let Some(q) = &o.quote {
                        ui.label(RichText::new(format!("“{q}”")).italics());
                    }
                });
                heights.insert(o.id, r.response.rect.height());
                if focused && scroll {
                    r.response.scroll_to_me(Some(egui::Align::Center));
                    scroll = false;
                }
            }
            if skipped > 0.0 {
                ui.add_space(skipped);
            }
            ui.separator();
        }
    });
    app_mut.row_heights_sources = heights;
    app_mut.scroll_to_focused = scroll;
    match removal {
        Some(Removal::Ask(key)) => app_mut.removing_source = Some(key),
        Some(Removal::Cancel) => app_mut.removing_source = None,
        Some(Removal::Confirm(key)) => app_mut.request(super::worker::Request::RemoveSource(key)),
        None => {}
    }
}

/// What the reader asked of an imported source in the Sources tab.
enum Removal {
    /// "Undo this import…": ask for the confirmation.
    Ask(String),
    Confirm(String),
    Cancel,
}

#[cfg(test)]
mod tests {
    use super::{Lang, quote_range, time_grid, time_label};

    #[test]
    fn the_time_axis_shows_years_then_quarters_then_months_as_it_zooms_in() {
        let grid = |min: f64, max: f64, within_years: bool| {
            time_grid(egui_plot::GridInput { bounds: (min, max), base_step_size: 0.01 }, within_years)
        };
        let marks = |min: f64, max: f64| grid(min, max, true);
        // A chart of a point a year has year ticks only, however far it is zoomed in.
        assert!(grid(2022.0, 2024.0, false).iter().all(|m| m.step_size == 1.0));
        let wide = marks(1990.0, 2025.0);
        assert!(wide.iter().all(|m| m.step_size == 5.0), "every five years over 35 years");
        let quarters = marks(2022.0, 2025.0);
        assert!(quarters.iter().any(|m| m.step_size == 0.25));
        assert!(!quarters.iter().any(|m| m.step_size < 0.25));
        let months = marks(2024.0, 2025.0);
        assert!(months.iter().any(|m| m.step_size < 0.25));
        let label = |value: f64, step_size: f64| time_label(Lang::Zh, egui_plot::GridMark { value, step_size });
        assert_eq!(label(2024.0, 1.0), "2024");
        assert_eq!(label(2024.5, 0.25), "三季度");
        assert_eq!(label(2024.0 + 4.0 / 12.0, 1.0 / 12.0), "5月");
        assert_eq!(time_label(Lang::En, egui_plot::GridMark { value: 2024.25, step_size: 0.25 }), "Q2");
    }

    #[test]
    fn a_quote_is_found_by_its_span_or_by_search() {
        let text = "中新网重庆10月29日电 2023年,重庆经开区外贸进出口242.3亿元。";
        let quote = "外贸进出口242.3亿元";
        let start_chars = text
            .chars()
            .take_while(|_| true)
            .collect::<String>()
            .find(quote)
            .map(|b| text[..b].chars().count())
            .unwrap();
        let span = Some((start_chars as i64, (start_chars + quote.chars().count()) as i64));
        let r = quote_range(text, quote, span).unwrap();
        assert_eq!(&text[r], quote);
        // A wrong span falls back to searching; a quote not in the text gives nothing.
        let r = quote_range(text, quote, Some((0, 3))).unwrap();
        assert_eq!(&text[r], quote);
        assert_eq!(quote_range(text, "不在文中", None), None);
        assert_eq!(quote_range(text, "", None), None);
        assert_eq!(quote_range(text, quote, Some((-5, 999))).map(|r| &text[r]), Some(quote));
    }
}
