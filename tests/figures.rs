//! Exported figures: the right size, vector SVG with its text, and a footer that cites exactly
//! the sources of the points drawn.

use std::collections::BTreeSet;

use zonescope::dataset::Dataset;
use zonescope::export::{StoredFigureData, compose_figure};
use zonescope::figure::{self, ChartKind, Element, FigureSpec};
use zonescope::model::{Measure, Period, PeriodShape};
use zonescope::store::{Observation, Store};
use zonescope::view::ViewSpec;

fn bundled_store(dir: &tempfile::TempDir) -> Store {
    Store::create(&dir.path().join("z.sqlite"), &Dataset::bundled().unwrap()).unwrap()
}

fn gdp_view() -> ViewSpec {
    ViewSpec {
        entities: vec!["全国国家级经开区".into(), "苏州工业园区".into(), "北京经开区".into(), "西安经开区".into()],
        indicator: Some("地区生产总值".into()),
        measure: Some(Measure::Value),
        ..Default::default()
    }
}

/// The sources a line chart of calendar years should cite, worked out from the figures alone:
/// per zone and year the newest source is drawn.
fn newest_sources_per_point(figures: &[Observation], years: std::ops::RangeInclusive<i32>) -> BTreeSet<String> {
    // A calendar year, or a Jan–Dec span of one year.
    let year_of = |p: Period| match p {
        Period::Year(y) => Some(y),
        Period::Span { start, end } if start.month == 1 && end.month == 12 && start.year == end.year => {
            Some(start.year)
        }
        _ => None,
    };
    let mut newest: std::collections::HashMap<(String, i32), &Observation> = Default::default();
    for o in figures.iter().filter(|o| o.measure == Measure::Value) {
        let Some(y) = year_of(o.period).filter(|y| years.contains(y)) else { continue };
        let e = newest.entry((o.entity.to_string(), y)).or_insert(o);
        if o.published >= e.published {
            *e = o;
        }
    }
    newest.values().map(|o| o.source_id.to_string()).collect()
}

fn texts(figure: &figure::Figure) -> Vec<&str> {
    figure
        .elements
        .iter()
        .filter_map(|e| match e {
            Element::Text { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

#[test]
fn the_footer_cites_every_source_of_the_plotted_points_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let store = bundled_store(&dir);
    let view = ViewSpec { period_shape: Some(PeriodShape::Year), ..gdp_view() };
    let data = StoredFigureData::read(&store, &view, ChartKind::Line).unwrap();
    let figure = compose_figure(&store, &view, &FigureSpec::default()).unwrap();
    let cited: BTreeSet<String> = figure.sources.iter().map(|s| s.source_id.clone()).collect();
    let expected = newest_sources_per_point(&data.figures, 1900..=2100);
    assert!(expected.len() >= 3, "the example should draw on several sources: {expected:?}");
    assert_eq!(cited, expected);
    // Each cited source is named in the footer text.
    let footer = figure.source_lines.concat();
    assert!(footer.starts_with("来源:"), "{footer}");
    for s in &figure.sources {
        assert!(footer.contains(&s.publisher), "{} missing from {footer}", s.publisher);
        if let Some(date) = &s.published {
            assert!(footer.contains(date.as_str()), "{date} missing from {footer}");
        }
    }
    // Zoomed in on recent years, the sources of the points left out are no longer cited.
    let zoomed = ViewSpec { x_range: Some([2020.5, 2025.5]), ..view.clone() };
    let figure = compose_figure(&store, &zoomed, &FigureSpec::default()).unwrap();
    let cited: BTreeSet<String> = figure.sources.iter().map(|s| s.source_id.clone()).collect();
    assert_eq!(cited, newest_sources_per_point(&data.figures, 2021..=2025));
    assert!(cited.len() < expected.len());
}

#[test]
fn growth_computed_from_levels_cites_both_years_behind_each_point() {
    let dir = tempfile::tempdir().unwrap();
    let store = bundled_store(&dir);
    let view = ViewSpec {
        entities: vec!["全国国家级经开区".into()],
        transform: Some(zonescope::chart::Transform::ComputedGrowth),
        period_shape: Some(PeriodShape::Year),
        ..gdp_view()
    };
    let data = StoredFigureData::read(&store, &view, ChartKind::Line).unwrap();
    let figure = compose_figure(&store, &view, &FigureSpec::default()).unwrap();
    // Growth needs two successive years: those years' sources are cited, a lone year's is not.
    let levels: Vec<&Observation> = data.figures.iter().filter(|o| o.measure == Measure::Value).collect();
    let years: BTreeSet<i32> = levels
        .iter()
        .filter_map(|o| match o.period {
            Period::Year(y) => Some(y),
            _ => None,
        })
        .collect();
    let paired: BTreeSet<i32> =
        years.iter().copied().filter(|y| years.contains(&(y - 1)) || years.contains(&(y + 1))).collect();
    assert!(paired.len() >= 2 && paired.len() < years.len(), "{years:?}");
    let cited: BTreeSet<String> = figure.sources.iter().map(|s| s.source_id.clone()).collect();
    let in_years =
        |ys: &BTreeSet<i32>| newest_sources_per_point(&data.figures, *ys.first().unwrap()..=*ys.last().unwrap());
    assert_eq!(cited, in_years(&paired));
    assert!(figure.notes.concat().contains("空心点"), "computed points are hollow and the note says so");
}

#[test]
fn a_png_decodes_at_exactly_the_pixel_size_asked() {
    let dir = tempfile::tempdir().unwrap();
    let store = bundled_store(&dir);
    for (width, height, scale) in [(1920, 1080, 2), (1200, 1200, 1), (1754, 1240, 1), (640, 480, 3)] {
        let spec = FigureSpec { width, height, scale, ..Default::default() };
        let figure = compose_figure(&store, &gdp_view(), &spec).unwrap();
        let png = figure::raster::to_png(&figure).unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let mut reader = decoder.read_info().unwrap();
        assert_eq!((reader.info().width, reader.info().height), (width * scale, height * scale));
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        reader.next_frame(&mut pixels).unwrap();
        // Not blank: the plot's ink covers a real share of the picture.
        let inked = pixels.chunks_exact(4).filter(|p| p[0] < 200 || p[1] < 200 || p[2] < 200).count();
        let share = inked as f64 / (pixels.len() / 4) as f64;
        assert!(share > 0.002 && share < 0.5, "{share}");
    }
}

#[test]
fn an_svg_parses_and_keeps_title_and_sources_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let store = bundled_store(&dir);
    for english in [false, true] {
        let lang = if english { zonescope::model::Lang::En } else { zonescope::model::Lang::Zh };
        let spec = FigureSpec { lang, title: Some("经开区 GDP & <growth>".into()), ..Default::default() };
        let figure = compose_figure(&store, &gdp_view(), &spec).unwrap();
        let svg = figure::svg::to_svg(&figure);
        let doc = resvg::usvg::roxmltree::Document::parse(&svg).unwrap();
        let root = doc.root_element();
        assert_eq!(root.attribute("width"), Some("3840"));
        assert!(root.attribute("font-family").unwrap().contains("Noto Sans CJK SC"));
        let texts: Vec<String> =
            doc.descendants().filter(|n| n.has_tag_name("text")).map(|n| n.text().unwrap_or("").to_string()).collect();
        assert!(texts.iter().any(|t| t == "经开区 GDP & <growth>"), "{texts:?}");
        let source_line = &figure.source_lines[0];
        assert!(texts.contains(source_line), "{source_line} not among {texts:?}");
        assert!(source_line.starts_with(if english { "Source: " } else { "来源:" }), "{source_line}");
        // Lines are paths, not pixels.
        assert!(doc.descendants().filter(|n| n.has_tag_name("path")).count() > 5);
        assert!(!svg.contains("<image"));
        // And it draws: usvg reads it with the bundled font.
        let mut options = resvg::usvg::Options::default();
        options.fontdb_mut().load_font_data(figure::text::FONT.to_vec());
        let tree = resvg::usvg::Tree::from_str(&svg, &options).unwrap();
        assert_eq!(tree.size().width(), 3840.0);
    }
}

#[test]
fn an_english_figure_names_zones_indicator_and_publishers_in_english() {
    let dir = tempfile::tempdir().unwrap();
    let store = bundled_store(&dir);
    let spec = FigureSpec { lang: zonescope::model::Lang::En, ..Default::default() };
    let figure = compose_figure(&store, &gdp_view(), &spec).unwrap();
    assert!(figure.title.starts_with("Gross regional product"), "{}", figure.title);
    let all = texts(&figure).join("\n");
    assert!(all.contains("Suzhou Industrial Park"), "{all}");
    assert!(!all.contains("苏州工业园区"), "{all}");
    assert!(figure.sources.iter().any(|s| s.publisher == "China News Service" || s.publisher == "Xinhua"));
    assert!(figure.subtitle.contains("unit: CNY"), "{}", figure.subtitle);
}

#[test]
fn a_ranking_figure_cites_the_bars_it_draws() {
    let dir = tempfile::tempdir().unwrap();
    let store = bundled_store(&dir);
    let view = ViewSpec {
        entities: vec!["苏州工业园区".into()],
        indicator: Some("外贸进出口总额".into()),
        ranking_period: Some("2022".into()),
        ..Default::default()
    };
    let spec = FigureSpec { chart: ChartKind::Ranking, ..Default::default() };
    let figure = compose_figure(&store, &view, &spec).unwrap();
    let data = StoredFigureData::read(&store, &view, ChartKind::Ranking).unwrap();
    let ranked = &data.ranking.as_ref().unwrap().figures;
    let bars = zonescope::chart::rank(ranked, "2022".parse().unwrap());
    assert!(bars.len() >= 2);
    let expected: BTreeSet<String> = bars.iter().map(|b| ranked[b.observation].source_id.to_string()).collect();
    let cited: BTreeSet<String> = figure.sources.iter().map(|s| s.source_id.clone()).collect();
    assert_eq!(cited, expected);
    assert!(figure.title.contains("2022"), "{}", figure.title);
    let all = texts(&figure).join("\n");
    assert!(all.contains("1. "), "bars are numbered: {all}");
}

#[test]
fn a_synthetic_store_marks_its_figures() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("synthetic.sqlite");
    let spec = zonescope::synth::SynthSpec { zones: 5, indicators: 2, years: 5, monthly: false };
    let store = zonescope::synth::generate(&path, spec, |_| {}).unwrap();
    let registry = store.registry().unwrap();
    let zone = registry.entities.iter().find(|e| e.figures > 0).unwrap().name.clone();
    let indicator = store.indicators().unwrap()[0].name.clone();
    let view = ViewSpec { entities: vec![zone], indicator: Some(indicator), ..Default::default() };
    let figure = compose_figure(&store, &view, &FigureSpec::default()).unwrap();
    assert!(texts(&figure).iter().any(|t| t.contains("合成数据")), "{:?}", texts(&figure));
}

#[test]
fn zooms_beyond_reason_and_sizes_beyond_memory_are_handled() {
    let dir = tempfile::tempdir().unwrap();
    let store = bundled_store(&dir);
    // A zoom far beyond the data is held near it: the figure is made, with a sane axis.
    let wild = ViewSpec { x_range: Some([-1e300, 1e300]), ..gdp_view() };
    let figure = compose_figure(&store, &wild, &FigureSpec::default()).unwrap();
    let ticks = texts(&figure).iter().filter(|t| t.len() == 4 && t.parse::<i32>().is_ok()).count();
    assert!((2..=40).contains(&ticks), "{ticks} year ticks");
    // A zoom that shows no point is refused, naming the years.
    let empty = ViewSpec { x_range: Some([1990.0, 1995.0]), ..gdp_view() };
    let err = compose_figure(&store, &empty, &FigureSpec::default()).unwrap_err().to_string();
    assert!(err.contains("1990.0") && err.contains("1995.0"), "{err}");
    // More pixels than memory allows is refused before anything is drawn.
    let huge = FigureSpec { width: 8000, height: 8000, scale: 4, ..Default::default() };
    let err = compose_figure(&store, &gdp_view(), &huge).unwrap_err().to_string();
    assert!(err.contains("32000×32000"), "{err}");
}

#[test]
fn only_lines_that_leave_the_plot_are_cut_at_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = bundled_store(&dir);
    let clipped = |view: &ViewSpec| {
        let figure = compose_figure(&store, view, &FigureSpec::default()).unwrap();
        let lines: Vec<bool> = figure
            .elements
            .iter()
            .filter_map(|e| if let Element::Line { clipped, .. } = e { Some(*clipped) } else { None })
            .collect();
        (lines, figure::svg::to_svg(&figure).contains("clip-path"))
    };
    // Every year in view: no line leaves the plot, and no clipped layer is drawn.
    let (lines, group) = clipped(&gdp_view());
    assert!(!lines.is_empty() && lines.iter().all(|c| !c), "{lines:?}");
    assert!(!group);
    // Zoomed in on recent years: the lines running out of the plot are cut at it.
    let (lines, group) = clipped(&ViewSpec { x_range: Some([2021.5, 2022.5]), ..gdp_view() });
    assert!(lines.iter().any(|c| *c), "{lines:?}");
    assert!(group);
}

#[test]
fn a_line_chart_of_ranks_reads_downward_with_first_place_on_top() {
    let dir = tempfile::tempdir().unwrap();
    let store = bundled_store(&dir);
    let view = ViewSpec {
        entities: vec!["苏州工业园区".into(), "天津经开区".into(), "广州经开区".into()],
        indicator: Some("综合发展水平排名".into()),
        measure: Some(Measure::Rank),
        ..Default::default()
    };
    let figure = compose_figure(&store, &view, &FigureSpec::default()).unwrap();
    // The y axis's tick labels, from top to bottom of the page.
    let mut ticks: Vec<(f32, &str)> = figure
        .elements
        .iter()
        .filter_map(|e| match e {
            Element::Text { y, text, .. } if text.parse::<u32>().is_ok_and(|n| n < 100) => Some((*y, text.as_str())),
            _ => None,
        })
        .collect();
    ticks.sort_by(|a, b| a.0.total_cmp(&b.0));
    let places: Vec<u32> = ticks.iter().map(|(_, t)| t.parse().unwrap()).collect();
    assert_eq!(places.first(), Some(&1), "first place is the top tick: {places:?}");
    assert!(places.windows(2).all(|w| w[0] < w[1]), "places grow downward: {places:?}");
    assert!(!places.contains(&0), "there is no place 0");
}

#[test]
fn a_log_scale_figure_labels_its_axis_in_real_values_at_one_two_five() {
    let dir = tempfile::tempdir().unwrap();
    let store = bundled_store(&dir);
    let view = ViewSpec { log_scale: Some(true), ..gdp_view() };
    let figure = compose_figure(&store, &view, &FigureSpec::default()).unwrap();
    // Tick labels on the y axis: numbers, each 1, 2 or 5 times a power of ten.
    let labels: Vec<f64> = texts(&figure)
        .iter()
        .filter_map(|t| t.replace(',', "").parse::<f64>().ok())
        .filter(|v| !(1990.0..=2030.0).contains(v))
        .collect();
    assert!(labels.len() >= 3, "{labels:?}");
    for v in &labels {
        let mantissa = v / 10f64.powf(v.log10().floor());
        assert!([1.0, 2.0, 5.0].iter().any(|m| (mantissa - m).abs() < 1e-6), "{v} in {labels:?}");
    }
    // The linear figure of the same view has other ticks.
    let linear = compose_figure(&store, &gdp_view(), &FigureSpec::default()).unwrap();
    assert_ne!(texts(&linear), texts(&figure));
}

/// Whether a text holds a CJK character.
fn has_cjk(text: &str) -> bool {
    text.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3000}'..='\u{303F}').contains(&c))
}

#[test]
fn an_english_figure_of_a_group_names_it_as_a_group_and_holds_no_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let store = bundled_store(&dir);
    let view = ViewSpec {
        entities: vec!["长寿经开区+重庆经开区+万州经开区".into()],
        indicator: Some("外贸进出口总额".into()),
        measure: Some(Measure::Value),
        lang: Some(zonescope::model::Lang::En),
        ..Default::default()
    };
    let spec = FigureSpec { lang: zonescope::model::Lang::En, ..Default::default() };
    let figure = compose_figure(&store, &view, &spec).unwrap();
    let all = texts(&figure).join("\n");
    assert!(all.contains("Chongqing, Wanzhou and Changshou ETDZs (combined)"), "{all}");
    assert!(!all.lines().any(|l| l.trim() == "Chongqing ETDZ"), "no single zone's name alone: {all}");
    assert!(figure.title.contains("(combined)"), "{}", figure.title);
    // Title, legend, axes, notes and the footer (中新网 is cited as China News Service).
    assert!(!has_cjk(&all), "{all}");
}
