//! The window as a user meets it on the 14.4-million-figure synthetic database, driven with no
//! display (egui_kittest, CPU only): from start to the zone list, from picking a zone and an
//! indicator to the drawn chart, one frame of the Ranking tab with 2,000 zones, and the
//! resident memory after visiting every tab.
//!
//! Uses the database `benches/store.rs` generates (`target/bench-data/`), or
//! ZONESCOPE_BENCH_DB.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use egui_kittest::Harness;

use zonescope::model::Measure;
use zonescope::synth;

#[path = "support/big.rs"]
mod big;
use big::{BIG, big_database};
use zonescope::ui::{ZonescopeApp, install_fonts};
use zonescope::view::{Tab, ViewSpec};

fn open(path: PathBuf) -> Harness<'static, ZonescopeApp> {
    Harness::builder().with_size([1600.0, 1000.0]).build_eframe(move |cc| {
        install_fonts(&cc.egui_ctx);
        ZonescopeApp::new(cc.egui_ctx.clone(), path)
    })
}

/// Steps the window until the worker has answered, and one frame more to draw the answer.
fn settle(harness: &mut Harness<'_, ZonescopeApp>) {
    for _ in 0..20_000 {
        harness.step();
        if !harness.state().is_busy() {
            harness.step();
            return;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    panic!("the worker did not answer");
}

fn view(zone: u32, tab: Tab) -> ViewSpec {
    ViewSpec {
        entities: vec![synth::zone_name(zone)],
        indicator: Some(synth::indicator_name(1 + zone % BIG.indicators)),
        measure: Some(Measure::Value),
        tab: Some(tab),
        ..Default::default()
    }
}

/// Resident memory of this process, from /proc (Linux).
fn resident_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = status.lines().find(|l| l.starts_with("VmRSS:"))?.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn window(c: &mut Criterion) {
    let path = big_database();
    let mut group = c.benchmark_group("window, 14.4M figures");
    group.sample_size(10);
    group.bench_function("start to the zone list", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                let t = Instant::now();
                let mut harness = open(path.clone());
                settle(&mut harness);
                total += t.elapsed();
                assert!(harness.state().is_ready(), "the zone list is shown");
            }
            total
        })
    });

    let mut harness = open(path.clone());
    settle(&mut harness);
    let mut zone = 1;
    group.bench_function("pick a zone and an indicator to the drawn chart", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                // A zone not picked before: nothing cached.
                zone = zone % BIG.zones + 1;
                let t = Instant::now();
                harness.state_mut().apply_view(&view(zone, Tab::Chart));
                settle(&mut harness);
                total += t.elapsed();
                assert_eq!(harness.state().figures().len() as u64, BIG.periods_per_series() * BIG.indicators as u64);
            }
            total
        })
    });

    harness.state_mut().apply_view(&view(1, Tab::Ranking));
    settle(&mut harness);
    settle(&mut harness);
    assert!(harness.state().ranked_entities() == Some(BIG.zones as usize), "the ranking holds every zone");
    group.bench_function("one frame of the Ranking tab, 2,000 zones", |b| b.iter(|| harness.step()));

    // Ten zones: 72,000 figures in the Table and on the Sources tab.
    let ten = ViewSpec { entities: (0..10).map(|i| synth::zone_name(1 + i * 200)).collect(), ..view(1, Tab::Table) };
    harness.state_mut().apply_view(&ten);
    settle(&mut harness);
    assert_eq!(harness.state().figures().len() as u64, 10 * BIG.periods_per_series() * BIG.indicators as u64);
    group.bench_function("one frame of the Table tab, 10 zones (72,000 figures)", |b| b.iter(|| harness.step()));
    harness.state_mut().apply_view(&ViewSpec { tab: Some(Tab::Sources), ..ten });
    settle(&mut harness);
    group.bench_function("one frame of the Sources tab, 10 zones (72,000 figures)", |b| b.iter(|| harness.step()));
    group.finish();
}

/// Resident memory after visiting every tab with ten views each, in a process that has done
/// nothing else yet.
fn memory(_: &mut Criterion) {
    let mut harness = open(big_database());
    settle(&mut harness);
    if let Some(mib) = resident_mib() {
        eprintln!("window, 14.4M figures: resident memory once the zone list is shown: {mib:.0} MiB");
    }
    for tab in [Tab::Chart, Tab::Ranking, Tab::Table, Tab::Sources] {
        for zone in 1..=10 {
            harness.state_mut().apply_view(&view(zone * 97, tab));
            settle(&mut harness);
            settle(&mut harness);
        }
    }
    if let Some(mib) = resident_mib() {
        eprintln!("window, 14.4M figures: resident memory after visiting every tab with 40 views: {mib:.0} MiB");
    }
}

criterion_group!(benches, memory, window);
criterion_main!(benches);
