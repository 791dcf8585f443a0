//! Store benchmarks: building the bundled database, bulk inserts, and the typical query on a
//! 14-million-row synthetic database.
//!
//! The synthetic database is generated once into `target/bench-data/` (about a minute) and kept
//! for later runs; set ZONESCOPE_BENCH_DB to use another file.

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};

use zonescope::dataset::Dataset;
use zonescope::model::{EntityKind, IndicatorKind, Measure, Period, ReviewStatus, Unit};
use zonescope::store::{NewEntity, NewObservation, NewSource, ObservationQuery, Store};
use zonescope::synth;

#[path = "support/big.rs"]
mod big;
use big::{BIG, big_database};

fn build_bundled(c: &mut Criterion) {
    let data = Dataset::bundled().expect("bundled data");
    c.bench_function("build the bundled database", |b| {
        b.iter_batched(
            || tempfile::tempdir().expect("temp dir"),
            |dir| Store::create(&dir.path().join("z.sqlite"), &data).expect("built"),
            BatchSize::PerIteration,
        )
    });
}

fn bulk_insert(c: &mut Criterion) {
    const ROWS: u64 = 500_000;
    let unit: Unit = "亿元".parse().expect("unit");
    let periods: Vec<Period> = (1995..2025).filter_map(Period::year).collect();
    let mut group = c.benchmark_group("bulk insert");
    group.throughput(Throughput::Elements(ROWS));
    group.sample_size(10);
    group.bench_function("500k observations in one transaction", |b| {
        b.iter_batched(
            || tempfile::tempdir().expect("temp dir"),
            |dir| {
                Store::create_with(&dir.path().join("bulk.sqlite"), |bulk| {
                    let source_id = bulk.add_source(&NewSource {
                        key: "bench",
                        publisher: "benchmark (synthetic)",
                        ..Default::default()
                    })?;
                    let indicator_id = bulk.add_indicator("合成指标", None, IndicatorKind::Flow)?;
                    let zones = (0..(ROWS / periods.len() as u64 + 1))
                        .map(|z| {
                            bulk.add_entity(&NewEntity {
                                name: &synth::zone_name(z as u32),
                                kind: EntityKind::Zone,
                                name_en: None,
                                province: None,
                                note: None,
                            })
                        })
                        .collect::<Result<Vec<i64>, _>>()?;
                    // As `synth` does: indexes built once at the end, and counted in the time.
                    bulk.observations(|writer| {
                        for n in 0..ROWS {
                            let p = n as usize % periods.len();
                            writer.insert(&NewObservation {
                                entity_id: zones[(n / periods.len() as u64) as usize],
                                indicator_id,
                                measure: Measure::Value,
                                period: periods[p],
                                period_text: "",
                                value: n as f64 * 0.1,
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
                        Ok(())
                    })
                })
                .expect("bulk insert")
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

fn typical_query(c: &mut Criterion) {
    let store = Store::open(&big_database()).expect("synthetic database");
    let registry = store.registry().expect("registry");
    // Ten zones spread over the catalog, one indicator, every period.
    let zones: Vec<i64> =
        (0..10u32).map(|i| registry.resolve(&synth::zone_name(1 + i * (BIG.zones / 10))).expect("zone").id).collect();
    let indicator = store.resolve_indicator(&synth::indicator_name(7)).expect("indicator").id;
    let q = ObservationQuery { entities: zones, indicator: Some(indicator), measure: None, include_candidates: false };
    let expected = 10 * BIG.periods_per_series() as usize;
    assert_eq!(store.observations(&q).expect("query").len(), expected);
    c.bench_function("query 10 zones x 1 indicator x 360 periods (14.4M rows)", |b| {
        b.iter(|| store.observations(&q).expect("query"))
    });
}

criterion_group!(benches, build_bundled, bulk_insert, typical_query);
criterion_main!(benches);
