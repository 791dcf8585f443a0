//! Data out: the figures a view shows, with their provenance, as CSV. Used by the window and by
//! `zonescope export`, so that a script gets exactly what the researcher saw.

use std::io::Write;

use crate::model::{self, Measure};
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
}

/// The figures of a view: its entities' accepted figures of its indicator and measure, as the
/// Table shows them.
pub fn view_figures(store: &Store, view: &ViewSpec) -> Result<Vec<Observation>, ExportError> {
    if view.entities.is_empty() {
        return Err(ExportError::NoEntities);
    }
    let registry = store.registry()?;
    let mut entities = Vec::new();
    for name in &view.entities {
        entities.push(registry.resolve(name)?.id);
    }
    let indicator = view.indicator.as_deref().ok_or(ExportError::NoIndicator)?;
    let indicator = store.resolve_indicator(indicator)?;
    Ok(store.observations(&ObservationQuery {
        entities,
        indicator: Some(indicator.id),
        measure: Some(view.measure.unwrap_or(Measure::Value)),
        include_candidates: false,
    })?)
}

/// The columns of an export: the figure, its provenance, and what the view did to it.
pub const CSV_COLUMNS: [&str; 20] = [
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
    "transform",
    "rate_cny_per_usd",
    "rate_basis",
    "rate_source",
];

/// Writes `figures` as CSV, each row with its provenance and the view's transform and rate.
pub fn write_csv(out: impl Write, figures: &[Observation], view: &ViewSpec) -> Result<(), csv::Error> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(CSV_COLUMNS)?;
    let transform = match view.transform.unwrap_or_default() {
        crate::chart::Transform::Level => "level",
        crate::chart::Transform::ComputedGrowth => "growth computed from levels",
        crate::chart::Transform::Index => "index",
    };
    let (rate, basis, rate_source) = match &view.rate {
        Some(r) => (model::format_number(r.cny_per_usd), r.basis.as_str(), r.source.as_str()),
        None => (String::new(), "", ""),
    };
    for o in figures {
        w.write_record([
            o.entity.as_str(),
            &o.indicator,
            o.measure.as_str(),
            &o.period.to_string(),
            &o.period_text,
            &model::format_number(o.value),
            &o.unit,
            &model::format_number(o.value_base),
            &o.unit_base,
            o.qualifier.map(|q| q.as_str()).unwrap_or(""),
            &o.source,
            o.published.as_deref().unwrap_or(""),
            &o.address,
            o.quote.as_deref().unwrap_or(""),
            &o.source_id,
            o.note.as_deref().unwrap_or(""),
            transform,
            &rate,
            basis,
            rate_source,
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// Writes the view's figures to `path` as CSV; returns how many.
pub fn export_csv(store: &Store, view: &ViewSpec, path: &std::path::Path) -> Result<usize, ExportError> {
    let figures = view_figures(store, view)?;
    let shown = path.display().to_string();
    let file = std::fs::File::create(path).map_err(|source| ExportError::Io { path: shown.clone(), source })?;
    write_csv(std::io::BufWriter::new(file), &figures, view)
        .map_err(|source| ExportError::Csv { path: shown, source })?;
    Ok(figures.len())
}

#[cfg(test)]
mod tests {
    use super::*;
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
            assert_eq!(&row[0], o.entity);
            assert_eq!(row[5].parse::<f64>().unwrap(), o.value);
            assert_eq!(&row[10], o.source);
            assert_eq!(&row[11], o.published.as_deref().unwrap_or(""));
            assert_eq!(&row[13], o.quote.as_deref().unwrap_or(""));
            assert_eq!(&row[16], "level");
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
}
