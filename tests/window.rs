//! The window, driven by label with no display (egui_kittest).

use std::time::Duration;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use zonescope::ui::{ZonescopeApp, install_fonts};

/// Steps the app until the worker thread has answered.
fn settle(harness: &mut Harness<'_, ZonescopeApp>) {
    for _ in 0..1000 {
        harness.step();
        if !harness.state().is_busy() {
            harness.run_steps(3);
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("the worker did not answer within 10 s");
}

#[test]
fn the_window_lists_zones_and_shows_a_zones_figures_with_their_sources() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("z.sqlite");
    let db = path.clone();
    let mut harness = Harness::builder().with_size([1400.0, 900.0]).build_eframe(move |cc| {
        install_fonts(&cc.egui_ctx);
        ZonescopeApp::new(cc.egui_ctx.clone(), db)
    });
    settle(&mut harness);
    assert!(path.exists(), "the first run builds the database");
    harness.get_by_label_contains("467 条数据 figures");

    harness.get_by_label_contains("万州经开区").click();
    settle(&mut harness);
    harness.get_by_label("万州经济技术开发区");
    assert_eq!(harness.state().figures().len(), 20);
    harness.get_by_label("36.4亿元");
    harness.get_by_label("今年1至8月,全区实现进出口总额36.4亿元");
    assert!(!harness.get_all_by_label("中新网 (China News Service)").collect::<Vec<_>>().is_empty());
}

#[test]
fn a_bad_database_shows_its_path_and_problem_in_the_status_bar() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.sqlite");
    std::fs::write(&path, "这不是数据库 this is not a database, just notes".repeat(20)).unwrap();
    let before = std::fs::read(&path).unwrap();
    let db = path.clone();
    let mut harness = Harness::builder().with_size([1400.0, 900.0]).build_eframe(move |cc| {
        install_fonts(&cc.egui_ctx);
        ZonescopeApp::new(cc.egui_ctx.clone(), db)
    });
    settle(&mut harness);
    harness.get_by_label_contains(&format!("{}: not a Zonescope database", path.display()));
    assert_eq!(std::fs::read(&path).unwrap(), before);
}
