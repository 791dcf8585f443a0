//! Figure export: a 16:9 figure of 10 zones' lines at scale 2 (3840×2160 pixels), composed,
//! drawn and encoded as PNG, headless. Target: under 300 ms.

use criterion::{Criterion, criterion_group, criterion_main};

use zonescope::export::{StoredFigureData, compose_figure};
use zonescope::figure::{self, ChartKind, FigureSpec};
use zonescope::synth::{self, SynthSpec};
use zonescope::view::ViewSpec;

fn export_png(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    // Synthetic, in a database of its own: 10 zones, 30 years of one indicator.
    let spec = SynthSpec { zones: 10, indicators: 1, years: 30, monthly: false };
    let store = synth::generate(&dir.path().join("synthetic.sqlite"), spec, |_| {}).expect("synthetic database");
    let registry = store.registry().expect("registry");
    let entities: Vec<String> = registry.entities.iter().filter(|e| e.figures > 0).map(|e| e.name.clone()).collect();
    assert_eq!(entities.len(), 10);
    let indicator = store.indicators().expect("indicators")[0].name.clone();
    let view = ViewSpec { entities, indicator: Some(indicator), ..Default::default() };
    let spec = FigureSpec { width: 1920, height: 1080, scale: 2, ..Default::default() };
    let out = dir.path().join("figure.png");

    c.bench_function("export 2x 16:9 PNG, 10 lines (read, compose, draw, encode, write)", |b| {
        b.iter(|| {
            let figure = compose_figure(&store, &view, &spec).expect("figure");
            zonescope::export::write_figure(&figure, &out).expect("written");
        })
    });

    let data = StoredFigureData::read(&store, &view, ChartKind::Line).expect("data");
    let figure = figure::compose(&data.as_data(), &view, &spec).expect("figure");
    assert_eq!(figure.elements.iter().filter(|e| matches!(e, figure::Element::Line { clipped: true, .. })).count(), 10);
    c.bench_function("compose the figure (layout only)", |b| b.iter(|| figure::compose(&data.as_data(), &view, &spec)));
    c.bench_function("draw 3840x2160 pixels", |b| b.iter(|| figure::raster::render(&figure, 3840)));
    let image = figure::raster::render(&figure, 3840).expect("drawn");
    c.bench_function("encode 3840x2160 PNG", |b| b.iter(|| figure::raster::encode_png(&image, 2)));
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = export_png
}
criterion_main!(benches);
