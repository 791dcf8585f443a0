//! Chart benchmarks: preparing the data of 50 zones × 360 monthly points, and one frame of the
//! chart tab showing it (a harness step, CPU only).

use std::path::Path;
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use egui_kittest::Harness;

use zonescope::chart;
use zonescope::model::{EntityKind, IndicatorKind, Measure, Period, PeriodShape, ReviewStatus, Unit, YearMonth};
use zonescope::store::{NewEntity, NewObservation, NewSource, ObservationQuery, Store};
use zonescope::synth;
use zonescope::ui::{ZonescopeApp, install_fonts};
use zonescope::view::ViewSpec;

const ZONES: u32 = 50;
const MONTHS: i32 = 360;

/// A synthetic database of single-month figures: 50 zones × 30 years × 12 months.
fn monthly_database(path: &Path) -> Store {
    let unit: Unit = "亿元".parse().expect("unit");
    let months: Vec<Period> = (0..MONTHS)
        .filter_map(|m| YearMonth::new(1995 + m / 12, (m % 12 + 1) as u8))
        .filter_map(|ym| Period::span(ym, ym))
        .collect();
    Store::create_with(path, |bulk| {
        bulk.mark_synthetic("chart benchmark")?;
        let source_id =
            bulk.add_source(&NewSource { key: "bench", publisher: "benchmark (synthetic)", ..Default::default() })?;
        let indicator_id = bulk.add_indicator("合成指标", None, IndicatorKind::Flow)?;
        let mut zones = Vec::new();
        for z in 1..=ZONES {
            let name = synth::zone_name(z);
            zones.push(bulk.add_entity(&NewEntity {
                name: &name,
                kind: EntityKind::Zone,
                name_en: None,
                province: None,
                note: None,
            })?);
        }
        bulk.observations(|writer| {
            for (z, &entity_id) in zones.iter().enumerate() {
                for (m, period) in months.iter().enumerate() {
                    writer.insert(&NewObservation {
                        entity_id,
                        indicator_id,
                        measure: Measure::Value,
                        period: *period,
                        period_text: "",
                        value: 11.0 + z as f64 + (m as f64 / 12.0).sin(),
                        unit: &unit,
                        qualifier: None,
                        source_id,
                        quote: None,
                        note: None,
                        quote_span: None,
                        status: ReviewStatus::Accepted,
                        share_of: None,
                    })?;
                }
            }
            Ok(())
        })
    })
    .expect("monthly database")
}

fn prepare(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = monthly_database(&dir.path().join("m.sqlite"));
    let ids = (1..=ZONES as i64).collect();
    let obs = store.observations(&ObservationQuery { entities: ids, ..Default::default() }).expect("query");
    assert_eq!(obs.len(), (ZONES as i32 * MONTHS) as usize);
    c.bench_function("prepare chart data, 50 zones x 360 monthly points", |b| {
        b.iter(|| {
            let shapes = chart::available_shapes(&obs, Measure::Value);
            let mut series = chart::build_series(&obs, Measure::Value, PeriodShape::Month);
            let unit = chart::auto_unit(&series, false).expect("unit");
            chart::scale_series(&mut series, &unit);
            let segments: usize = series.iter().map(|s| s.segments().len()).sum();
            assert_eq!(series.len(), ZONES as usize);
            (shapes, segments)
        })
    });
}

fn frame(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("m.sqlite");
    drop(monthly_database(&path));
    let mut harness = Harness::builder().with_size([1600.0, 1000.0]).build_eframe(move |cc| {
        install_fonts(&cc.egui_ctx);
        ZonescopeApp::new(cc.egui_ctx.clone(), path)
    });
    let wait = |harness: &mut Harness<'_, ZonescopeApp>| {
        for _ in 0..2000 {
            harness.step();
            if !harness.state().is_busy() {
                return;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        panic!("the worker did not answer");
    };
    wait(&mut harness);
    let view = ViewSpec {
        entities: (1..=ZONES).map(synth::zone_name).collect(),
        indicator: Some("合成指标".into()),
        measure: Some(Measure::Value),
        period_shape: Some(PeriodShape::Month),
        tab: Some(zonescope::view::Tab::Chart),
        ..Default::default()
    };
    harness.state_mut().apply_view(&view);
    wait(&mut harness);
    harness.run_steps(3);
    assert_eq!(harness.state().figures().len(), (ZONES as i32 * MONTHS) as usize);
    c.bench_function("one frame of the chart tab, 50 zones x 360 points", |b| {
        b.iter_batched(|| (), |_| harness.step(), BatchSize::SmallInput)
    });
}

criterion_group!(benches, prepare, frame);
criterion_main!(benches);
