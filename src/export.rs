//! Data out: the figures a view shows, with their provenance, as CSV. Used by the window and by
//! `zonescope export`, so that a script gets exactly what the researcher saw.

use std::io::Write;

use crate::figure::{self, ChartKind, Figure, FigureData, FigureError, FigureSpec};
use crate::model::{Measure, RankingFigures};
use crate::present::{Cell, EnglishNames, RankingView, figure_row};
use crate::store::{Observation, ObservationQuery, Store, StoreError};
use crate::view::ViewSpec;

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Resolve(#[from] crate::registry::ResolveError),
    #[error("the view names no zone")]
    NoEntities,
    #[error("the view names no indicator")]
    NoIndicator,
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{path}: {source}")]
    Csv { path: String, source: csv::Error },
    #[error("{path}: {source}")]
    Xlsx { path: String, source: rust_xlsxwriter::XlsxError },
    #[error(transparent)]
    Figure(#[from] FigureError),
    #[error("{0}: a figure is written as .png or .svg")]
    FigureFormat(String),
}

/// The figures of a view: its entities' accepted figures of its indicator and measure, as the
/// Table shows them.
pub fn view_figures(store: &Store, view: &ViewSpec) -> Result<Vec<Observation>, ExportError> {
    if view.entities.is_empty() {
        return Err(ExportError::NoEntities);
    }
    let entities = store.registry_without_counts()?.resolve_ids(&view.entities)?;
    let indicator = view.indicator.as_deref().ok_or(ExportError::NoIndicator)?;
    let indicator = store.resolve_indicator(indicator)?;
    let mut figures = store.observations(&ObservationQuery {
        entities,
        indicator: Some(indicator.id),
        measure: Some(view.measure.unwrap_or(Measure::Value)),
        include_candidates: false,
    })?;
    // Shares of one whole only: a district's 96% and the nation's 25% are other numbers.
    let whole = crate::model::ShareOf::choose(figures.iter(), view.asked_whole());
    figures.retain(|o| o.measure != Measure::SharePct || o.share_of == whole);
    Ok(figures)
}

/// The ranking a view shows (its indicator, measure, period and rate), read from the store as
/// the window and the figure composer read it, with the figure behind each bar, best first.
pub fn view_ranking(store: &Store, view: &ViewSpec) -> Result<(RankingView, Vec<Observation>), ExportError> {
    let indicator = view.indicator.as_deref().ok_or(ExportError::NoIndicator)?;
    let indicator = store.resolve_indicator(indicator)?;
    let asked = view.ranking_period.as_deref().and_then(|p| p.parse().ok());
    let figures = store.ranking_figures(&indicator, view.measure.unwrap_or(Measure::Value), asked)?;
    let registry = store.registry_without_counts()?;
    let ranking = RankingView::build(
        figures.periods.clone(),
        &figures.figures,
        asked,
        view.asked_whole(),
        view.rate.as_ref(),
        &registry,
        view.lang == Some(crate::model::Lang::En),
    )
    .ok_or(ExportError::Figure(FigureError::NothingToRank))?;
    let ranked = ranking.ranking.bars.iter().map(|b| figures.figures[b.observation].clone()).collect();
    Ok((ranking, ranked))
}

/// What a file of the view's figures holds: for a ranking view, the ranked figures best first
/// with the bar each shows; else the view's zones' figures with the value their chart shows.
fn figures_of_view(
    store: &Store,
    view: &ViewSpec,
) -> Result<(Vec<Observation>, Vec<Option<(f64, String)>>), ExportError> {
    if view.tab == Some(crate::view::Tab::Ranking) {
        let (ranking, figures) = view_ranking(store, view)?;
        return Ok((figures, ranking.shown(view.lang == Some(crate::model::Lang::En))));
    }
    let figures = view_figures(store, view)?;
    let shown = shown_values(&figures, view);
    Ok((figures, shown))
}

/// The columns of an export (one row format for every file of figures: `present::FIGURE_COLUMNS`).
pub use crate::present::FIGURE_COLUMNS as CSV_COLUMNS;

/// What the view's chart shows for each figure: the value after any rate, transform and display
/// scale, in the chart's unit in the view's language (`亿元` or `CNY 100 mn`, `%`,
/// `指数(基期=100)`); `None` for a figure the chart does not draw (another period shape, outside
/// the zoomed years, another source for the same point).
pub fn shown_values(figures: &[Observation], view: &ViewSpec) -> Vec<Option<(f64, String)>> {
    let mut shown = vec![None; figures.len()];
    let measure = view.measure.unwrap_or(Measure::Value);
    let english = view.lang == Some(crate::model::Lang::En);
    let shapes = crate::chart::available_shapes(figures, measure);
    let Some(shape) = crate::chart::chart_shape(&shapes, view.period_shape) else { return shown };
    let options = view.line_options(shape, english);
    let Some(line) = crate::chart::LineChart::build(figures, &[], &options, &|n| n.to_string()) else { return shown };
    // As the figure reads a zoom: only a forward range of real numbers counts.
    let zoom = view.x_range.filter(|[a, b]| a.is_finite() && b.is_finite() && b > a);
    let in_range = |x: f64| zoom.is_none_or(|[a, b]| x >= a - 1e-9 && x <= b + 1e-9);
    for p in line.series.iter().flat_map(|s| &s.points).filter(|p| in_range(p.x)) {
        if let Some(slot) = shown.get_mut(p.observation) {
            *slot = Some((p.y, line.unit.label(english).to_string()));
        }
    }
    shown
}

/// A figure's row in a file of the view, in English when `english` names are given.
fn view_row(
    o: &Observation,
    view: &ViewSpec,
    shown: Option<&(f64, String)>,
    english: Option<&EnglishNames<'_>>,
) -> Vec<Cell> {
    let mut row = figure_row(o, Some(view), shown);
    if let Some(names) = english {
        crate::present::english_row(&mut row, o, names);
    }
    row
}

/// What an English view's files name in English; none for a Chinese view.
fn english_names<'a>(
    store: &Store,
    view: &ViewSpec,
    registry: &'a crate::registry::Registry,
) -> Result<Option<EnglishNames<'a>>, ExportError> {
    if view.lang != Some(crate::model::Lang::En) {
        return Ok(None);
    }
    let indicators = store.indicators()?.into_iter().filter_map(|i| Some((i.name, i.name_en?))).collect();
    Ok(Some(EnglishNames { registry, indicators }))
}

/// Writes `figures` as CSV, each row with its provenance and the view's transform and rate;
/// in English where `english` names are given.
pub fn write_csv(
    out: impl Write,
    figures: &[Observation],
    shown: &[Option<(f64, String)>],
    view: &ViewSpec,
    english: Option<&EnglishNames<'_>>,
) -> Result<(), csv::Error> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(CSV_COLUMNS)?;
    for (o, shown) in figures.iter().zip(shown) {
        let row: Vec<String> = view_row(o, view, shown.as_ref(), english).iter().map(Cell::text).collect();
        w.write_record(&row)?;
    }
    w.flush()?;
    Ok(())
}

/// Writes the view's figures to `path` as CSV (for a ranking view, the ranking best first);
/// returns how many.
pub fn export_csv(store: &Store, view: &ViewSpec, path: &std::path::Path) -> Result<usize, ExportError> {
    let (figures, shown) = figures_of_view(store, view)?;
    let registry = store.registry_without_counts()?;
    let english = english_names(store, view, &registry)?;
    let mut bytes = Vec::new();
    write_csv(&mut bytes, &figures, &shown, view, english.as_ref())
        .map_err(|source| ExportError::Csv { path: path.display().to_string(), source })?;
    write_whole(path, &bytes)?;
    Ok(figures.len())
}

/// Writes the view's figures to `path` as an Excel workbook: a sheet of figures with their
/// provenance, and a sheet of the sources behind them. Returns how many figures.
pub fn export_xlsx(store: &Store, view: &ViewSpec, path: &std::path::Path) -> Result<usize, ExportError> {
    let (figures, shown_values) = figures_of_view(store, view)?;
    let registry = store.registry_without_counts()?;
    let english = english_names(store, view, &registry)?;
    let shown = path.display().to_string();
    let wrap = |source| ExportError::Xlsx { path: shown.clone(), source };
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("figures").map_err(wrap)?;
    for (c, title) in CSV_COLUMNS.iter().enumerate() {
        sheet.write_string(0, c as u16, *title).map_err(wrap)?;
    }
    for (r, (o, shown)) in figures.iter().zip(&shown_values).enumerate() {
        for (c, cell) in view_row(o, view, shown.as_ref(), english.as_ref()).into_iter().enumerate() {
            let (row, col) = (r as u32 + 1, c as u16);
            match cell {
                Cell::Text(t) => sheet.write_string(row, col, t).map_err(wrap)?,
                Cell::Number(n) => sheet.write_number(row, col, n).map_err(wrap)?,
            };
        }
    }
    let sources = book.add_worksheet();
    sources.set_name("sources").map_err(wrap)?;
    for (c, title) in ["source_id", "publisher", "published", "address", "figures"].iter().enumerate() {
        sources.write_string(0, c as u16, *title).map_err(wrap)?;
    }
    let mut listed: Vec<(&Observation, usize)> = Vec::new();
    for o in &figures {
        match listed.iter_mut().find(|(s, _)| s.source_id == o.source_id) {
            Some((_, n)) => *n += 1,
            None => listed.push((o, 1)),
        }
    }
    for (r, (o, n)) in listed.iter().enumerate() {
        let row = r as u32 + 1;
        sources.write_string(row, 0, &*o.source_id).map_err(wrap)?;
        let publisher = match english {
            Some(_) => crate::present::publisher_label(&o.source, true),
            None => o.source.to_string(),
        };
        sources.write_string(row, 1, &publisher).map_err(wrap)?;
        sources.write_string(row, 2, o.published.as_deref().unwrap_or("")).map_err(wrap)?;
        sources.write_string(row, 3, &*o.address).map_err(wrap)?;
        sources.write_number(row, 4, *n as f64).map_err(wrap)?;
    }
    let bytes = book.save_to_buffer().map_err(wrap)?;
    write_whole(path, &bytes)?;
    Ok(figures.len())
}

/// What a figure of a view is made from, read from the store.
pub struct StoredFigureData {
    pub registry: crate::registry::Registry,
    pub indicators: Vec<crate::store::IndicatorEntry>,
    pub figures: Vec<Observation>,
    pub ranking: Option<RankingFigures>,
    pub synthetic: bool,
}

impl StoredFigureData {
    /// Reads the view's zones' figures of its indicator (every measure), and for a ranking
    /// every entity's figures of the indicator and measure.
    pub fn read(store: &Store, view: &ViewSpec, chart: ChartKind) -> Result<StoredFigureData, ExportError> {
        let registry = store.registry_without_counts()?;
        let indicator = view.indicator.as_deref().ok_or(ExportError::NoIndicator)?;
        let indicator = store.resolve_indicator(indicator)?;
        let entities = registry.resolve_ids(&view.entities)?;
        let figures = if entities.is_empty() {
            Vec::new()
        } else {
            store.observations(&ObservationQuery {
                entities,
                indicator: Some(indicator.id),
                measure: None,
                include_candidates: false,
            })?
        };
        if chart == ChartKind::Line && view.entities.is_empty() {
            return Err(ExportError::NoEntities);
        }
        let ranking = match chart {
            ChartKind::Ranking => {
                let asked = view.ranking_period.as_deref().and_then(|p| p.parse().ok());
                Some(store.ranking_figures(&indicator, view.measure.unwrap_or(Measure::Value), asked)?)
            }
            ChartKind::Line => None,
        };
        let synthetic = store.is_synthetic()?;
        Ok(StoredFigureData { registry, indicators: store.indicators()?, figures, ranking, synthetic })
    }

    pub fn as_data(&self) -> FigureData<'_> {
        FigureData {
            registry: &self.registry,
            indicators: &self.indicators,
            figures: &self.figures,
            ranking: self.ranking.as_ref(),
            synthetic: self.synthetic,
        }
    }
}

/// The figure of `view` as `spec` asks, from the store. The view's indicator is resolved like
/// any name (aliases, English) and stored under its canonical name.
pub fn compose_figure(store: &Store, view: &ViewSpec, spec: &FigureSpec) -> Result<Figure, ExportError> {
    let data = StoredFigureData::read(store, view, spec.chart)?;
    let mut view = view.clone();
    if let Some(name) = &view.indicator {
        view.indicator = Some(store.resolve_indicator(name)?.name);
    }
    view.entities =
        view.entities.iter().filter_map(|n| data.registry.resolve(n).ok().map(|e| e.name.clone())).collect();
    Ok(figure::compose(&data.as_data(), &view, spec)?)
}

/// Writes `figure` to `path` as PNG or SVG, by its extension. The file appears whole or not at
/// all: it is written beside its place and moved there.
pub fn write_figure(figure: &Figure, path: &std::path::Path) -> Result<(), ExportError> {
    let shown = path.display().to_string();
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    let bytes = match ext.as_str() {
        "png" => figure::raster::to_png(figure)?,
        "svg" => figure::svg::to_svg(figure).into_bytes(),
        _ => return Err(ExportError::FigureFormat(shown)),
    };
    write_whole(path, &bytes)
}

/// Writes `bytes` to a temporary file beside `path`, then renames it into place.
pub fn write_whole(path: &std::path::Path, bytes: &[u8]) -> Result<(), ExportError> {
    let shown = path.display().to_string();
    let io = |source| ExportError::Io { path: shown.clone(), source };
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let partial = path.with_file_name(format!(".{name}.partial"));
    if let Err(e) = std::fs::write(&partial, bytes) {
        let _ = std::fs::remove_file(&partial);
        return Err(io(e));
    }
    std::fs::rename(&partial, path).map_err(|e| {
        let _ = std::fs::remove_file(&partial);
        io(e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A column's place in a row, by its name.
    fn col(name: &str) -> usize {
        CSV_COLUMNS.iter().position(|c| *c == name).expect("a column of the export")
    }
    use crate::dataset::Dataset;

    #[test]
    fn a_views_figures_round_trip_through_csv_with_their_sources() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::create(&dir.path().join("z.sqlite"), &Dataset::bundled().unwrap()).unwrap();
        let view = ViewSpec {
            entities: vec!["重庆经开区".into(), "万州经开区".into(), "长寿经开区".into()],
            indicator: Some("外贸进出口总额".into()),
            measure: Some(Measure::SharePct),
            ..Default::default()
        };
        let path = dir.path().join("out.csv");
        let n = export_csv(&store, &view, &path).unwrap();
        let figures = view_figures(&store, &view).unwrap();
        assert_eq!(n, figures.len());
        assert!(n >= 3);
        let mut reader = csv::Reader::from_path(&path).unwrap();
        assert_eq!(reader.headers().unwrap().iter().collect::<Vec<_>>(), CSV_COLUMNS.to_vec());
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), figures.len());
        for (row, o) in rows.iter().zip(&figures) {
            assert_eq!(&row[col("entity")], &*o.entity);
            assert_eq!(row[col("value")].parse::<f64>().unwrap(), o.value);
            assert_eq!(&row[col("publisher")], &*o.source);
            assert_eq!(&row[col("published")], o.published.as_deref().unwrap_or(""));
            assert_eq!(&row[col("quote")], o.quote.as_deref().unwrap_or(""));
            assert_eq!(&row[col("share_of")], o.share_of.map_or("", |w| w.as_str()));
            assert_eq!(&row[col("transform")], "level");
        }
    }

    #[test]
    fn the_csv_carries_what_the_chart_shows_an_index_at_100_in_the_base_year() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::create(&dir.path().join("z.sqlite"), &Dataset::bundled().unwrap()).unwrap();
        let view = ViewSpec {
            entities: vec!["全国国家级经开区".into()],
            indicator: Some("外贸进出口总额".into()),
            measure: Some(Measure::Value),
            transform: Some(crate::chart::Transform::Index),
            index_base: Some(2021.0),
            ..Default::default()
        };
        let path = dir.path().join("index.csv");
        export_csv(&store, &view, &path).unwrap();
        let mut reader = csv::Reader::from_path(&path).unwrap();
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        let base: Vec<&csv::StringRecord> =
            rows.iter().filter(|r| &r[col("period")] == "2021" && !r[col("shown_value")].is_empty()).collect();
        assert_eq!(base.len(), 1, "one figure drawn for 2021");
        assert_eq!(base[0][col("shown_value")].parse::<f64>().unwrap(), 100.0);
        assert_eq!(&base[0][col("shown_unit")], "指数(基期=100)");
        assert_eq!(&base[0][col("transform")], "index");
        // A year-to-date figure is not on the chart of calendar years: nothing shown for it.
        assert!(rows.iter().any(|r| r[col("period")].contains('/') && r[col("shown_value")].is_empty()));
        // Every shown index is the level over the 2021 level.
        let level_2021: f64 = base[0][col("value_base")].parse().unwrap();
        for r in rows.iter().filter(|r| !r[col("shown_value")].is_empty()) {
            let expected = r[col("value_base")].parse::<f64>().unwrap() / level_2021 * 100.0;
            assert!((r[col("shown_value")].parse::<f64>().unwrap() - expected).abs() < 1e-9);
        }
    }

    #[test]
    fn a_view_without_zones_or_indicator_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::create(&dir.path().join("z.sqlite"), &Dataset::bundled().unwrap()).unwrap();
        assert!(matches!(view_figures(&store, &ViewSpec::default()), Err(ExportError::NoEntities)));
        let no_indicator = ViewSpec { entities: vec!["重庆经开区".into()], ..Default::default() };
        assert!(matches!(view_figures(&store, &no_indicator), Err(ExportError::NoIndicator)));
    }

    #[test]
    fn an_xlsx_export_reads_back_with_its_figures_and_a_sheet_of_sources() {
        use calamine::{DataType, Reader, Xlsx, open_workbook};
        let dir = tempfile::tempdir().unwrap();
        let store = Store::create(&dir.path().join("z.sqlite"), &Dataset::bundled().unwrap()).unwrap();
        let view = ViewSpec {
            entities: vec!["全国国家级经开区".into()],
            indicator: Some("地区生产总值".into()),
            measure: Some(Measure::Value),
            ..Default::default()
        };
        let path = dir.path().join("out.xlsx");
        let n = export_xlsx(&store, &view, &path).unwrap();
        let figures = view_figures(&store, &view).unwrap();
        let mut book: Xlsx<_> = open_workbook(&path).unwrap();
        let sheet = book.worksheet_range("figures").unwrap();
        assert_eq!(sheet.height(), n + 1);
        for (r, o) in figures.iter().enumerate() {
            assert_eq!(sheet.get((r + 1, 0)).unwrap().to_string(), &*o.entity);
            assert_eq!(sheet.get((r + 1, col("value"))).unwrap().as_f64(), Some(o.value));
            assert_eq!(sheet.get((r + 1, col("publisher"))).unwrap().to_string(), &*o.source);
        }
        let sources = book.worksheet_range("sources").unwrap();
        let mut keys: Vec<&str> = figures.iter().map(|o| &*o.source_id).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(sources.height(), keys.len() + 1);
        let total: f64 = (1..sources.height()).map(|r| sources.get((r, 4)).unwrap().as_f64().unwrap()).sum();
        assert_eq!(total as usize, n);
    }
}
