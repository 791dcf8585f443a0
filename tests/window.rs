//! The window, driven by label with no display (egui_kittest).

use std::time::Duration;

use eframe::egui;
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

/// Replaces what the zone search box (the window's first text box) holds.
fn search(harness: &mut Harness<'_, ZonescopeApp>, text: &str) {
    harness.get_all_by_role(egui::accesskit::Role::TextInput).next().expect("the zone search box").focus();
    harness.run_steps(1);
    for _ in 0..12 {
        harness.key_press(egui::Key::Backspace);
    }
    harness.run_steps(1);
    harness.get_all_by_role(egui::accesskit::Role::TextInput).next().expect("the zone search box").type_text(text);
    harness.run_steps(2);
}

/// Searches for a zone and adds it to the comparison.
fn pick_zone(harness: &mut Harness<'_, ZonescopeApp>, short_name: &str) {
    search(harness, short_name);
    harness.get_by_label_contains(&format!("{short_name}  (")).click();
    settle(harness);
}

/// Picks an indicator in the picker above the tabs, by the start of its label.
fn pick_indicator(harness: &mut Harness<'_, ZonescopeApp>, name: &str) {
    harness.get_by_role(egui::accesskit::Role::ComboBox).click();
    harness.run_steps(2);
    harness.get_by_label_contains(&format!("{name} (")).click();
    harness.run_steps(3);
}

/// Saves the current view under `name` (Ctrl+S, the name, Save).
fn save_view_as(harness: &mut Harness<'_, ZonescopeApp>, name: &str) {
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    harness.run_steps(2);
    harness.get_all_by_role(egui::accesskit::Role::TextInput).last().unwrap().type_text(name);
    harness.run_steps(1);
    harness.get_by_label("保存").click();
    settle(harness);
}

/// Opens the review screen's paste box.
fn open_paste_box(harness: &mut Harness<'_, ZonescopeApp>) {
    harness.get_by_label("审核文本").click();
    harness.run_steps(2);
    harness.get_by_label("粘贴文本").click();
    harness.run_steps(2);
}

/// Types a report into the paste box.
fn paste(harness: &mut Harness<'_, ZonescopeApp>, report: &str) {
    harness.get_all_by_role(egui::accesskit::Role::MultilineTextInput).next().unwrap().focus();
    harness.run_steps(1);
    harness.get_all_by_role(egui::accesskit::Role::MultilineTextInput).next().unwrap().type_text(report);
    harness.run_steps(1);
}

/// Types into the review screen's source fields (publisher, date), which follow the zone
/// search and the file path. An empty string leaves a field as it is.
fn fill_source(harness: &mut Harness<'_, ZonescopeApp>, publisher: &str, date: &str) {
    for (k, typed) in [(2, publisher), (3, date)] {
        if typed.is_empty() {
            continue;
        }
        harness.get_all_by_role(egui::accesskit::Role::TextInput).nth(k).unwrap().focus();
        harness.run_steps(1);
        harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        harness.key_press(egui::Key::Backspace);
        harness.run_steps(1);
        harness.get_all_by_role(egui::accesskit::Role::TextInput).nth(k).unwrap().type_text(typed);
        harness.run_steps(1);
    }
}

/// Takes away the first start's view (the national zones' foreign trade on the Chart), so that
/// a test starts from an empty selection on the Table, as a reader who cleared it.
fn clear_first_view(harness: &mut Harness<'_, ZonescopeApp>) {
    harness.get_by_label("全国国家级经开区 ×").click();
    harness.run_steps(2);
    harness.get_by_label("表格").click();
    harness.run_steps(2);
    assert!(harness.state().figures().is_empty());
}

fn harness_on_bundled_data(dir: &tempfile::TempDir) -> Harness<'static, ZonescopeApp> {
    let db = dir.path().join("z.sqlite");
    Harness::builder().with_size([1400.0, 900.0]).build_eframe(move |cc| {
        install_fonts(&cc.egui_ctx);
        ZonescopeApp::new(cc.egui_ctx.clone(), db)
    })
}

#[test]
fn the_window_lists_zones_and_shows_a_zones_figures_with_their_sources() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = harness_on_bundled_data(&dir);
    settle(&mut harness);
    clear_first_view(&mut harness);
    assert!(dir.path().join("z.sqlite").exists(), "the first run builds the database");
    let facts = csv::Reader::from_path(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/facts.csv"))
        .unwrap()
        .records()
        .count();
    harness.get_by_label_contains(&format!("{facts} 条数据"));

    pick_zone(&mut harness, "万州经开区");
    harness.get_by_label("万州经开区 ×");
    assert_eq!(harness.state().figures().len(), 20);
    harness.get_by_label("表格").click();
    harness.run_steps(2);
    pick_indicator(&mut harness, "外贸进出口总额");
    harness.get_by_label("36.4亿元");
    harness.get_by_label("今年1至8月,全区实现进出口总额36.4亿元");
    // The Table names the publisher as the reader's language does.
    assert!(harness.get_all_by_label("中新网").next().is_some());
}

#[test]
fn two_zones_compared_on_one_indicator_appear_in_the_chart_legend() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = harness_on_bundled_data(&dir);
    settle(&mut harness);
    clear_first_view(&mut harness);
    pick_zone(&mut harness, "万州经开区");
    pick_zone(&mut harness, "重庆经开区");
    assert_eq!(harness.state().figures().iter().map(|o| &o.entity).collect::<std::collections::BTreeSet<_>>().len(), 2);

    harness.get_by_label("图表").click();
    harness.run_steps(2);
    harness.get_by_role(egui::accesskit::Role::ComboBox).click();
    harness.run_steps(2);
    harness.get_by_label("外贸进出口总额 (2/2)").click();
    harness.run_steps(2);
    // Levels of the two are not comparable (万州 gives Jan–Aug, 重庆 no period); their 2023
    // shares of district trade are.
    harness.get_by_label("占比").click();
    harness.run_steps(3);
    harness.get_by_label("全年 (2)").click();
    harness.run_steps(3);
    // Both zones are in the legend.
    harness.get_by_label("万州经开区");
    harness.get_by_label("重庆经开区");

    // In English the labels follow.
    harness.get_by_label("English").click();
    harness.run_steps(3);
    harness.get_by_label("Chart");
    harness.get_by_label("Sources").click();
    harness.run_steps(3);
    assert!(harness.get_all_by_label("中新网 (China News Service)").next().is_some());
    // The sources' periods and shares, and the zone list's provinces, in English too.
    assert!(harness.get_all_by_label_contains("2023 · 96% of the host district").next().is_some());
    search(&mut harness, "");
    harness.get_by_label_contains("Chongqing  (");
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

#[test]
fn a_saved_view_and_the_last_view_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut harness = harness_on_bundled_data(&dir);
        settle(&mut harness);
        clear_first_view(&mut harness);
        pick_zone(&mut harness, "万州经开区");
        save_view_as(&mut harness, "万州一览");
        assert_eq!(harness.state().saved_views().len(), 1);
        assert_eq!(harness.state().saved_views()[0].0, "万州一览");
    }
    // A new window on the same database: the last view is back, and the saved one is listed.
    let mut harness = harness_on_bundled_data(&dir);
    settle(&mut harness);
    settle(&mut harness);
    harness.get_by_label("万州经开区 ×");
    assert!(harness.query_by_label("全国国家级经开区 ×").is_none(), "the last view, not the first start's");
    assert!(harness.query_by_label("知道了").is_none(), "no first-start hint");
    harness.get_by_label("视图").click();
    harness.run_steps(2);
    harness.get_by_label("万州一览");
}

#[test]
fn a_ranking_says_how_many_national_zones_reported() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = harness_on_bundled_data(&dir);
    settle(&mut harness);
    clear_first_view(&mut harness);
    for zone in ["万州经开区", "重庆经开区", "长寿经开区"] {
        pick_zone(&mut harness, zone);
    }
    harness.get_by_role(egui::accesskit::Role::ComboBox).click();
    harness.run_steps(2);
    harness.get_by_label("外贸进出口总额 (3/3)").click();
    harness.run_steps(2);
    // The measure button (the Table below also says 占比 in its cells).
    harness.get_all_by_label("占比").next().unwrap().click();
    harness.run_steps(2);
    harness.get_by_label("排名").click();
    settle(&mut harness);
    harness.run_steps(2);
    // 2023 shares of district trade: the three zones (and the national total's share).
    harness.get_by_label_contains("219 个国家级经开区中有 3 个有此数据");
}

#[test]
fn a_pasted_report_is_reviewed_accepted_and_joins_the_figures() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = harness_on_bundled_data(&dir);
    settle(&mut harness);
    clear_first_view(&mut harness);
    open_paste_box(&mut harness);
    paste(&mut harness, "2024-09-25\n今年1至8月，武汉经开区规模以上工业总产值达2,486.3亿元，同比增长4.7%。");
    harness.get_by_label("提取数据").click();
    settle(&mut harness);
    harness.get_by_label_contains("2 条候选");
    harness.get_by_label("全部接受").click();
    harness.run_steps(1);
    // The text names no publisher: saving is refused until the reader gives one.
    harness.get_by_label("保存").click();
    harness.run_steps(2);
    harness.get_by_label_contains("保存前请填写发布者");
    assert!(!harness.state().is_busy(), "nothing was sent to be stored");
    fill_source(&mut harness, "武汉经开区统计局", "");
    harness.get_by_label("保存").click();
    settle(&mut harness);
    settle(&mut harness);
    harness.get_by_label_contains("已保存 2 条数据:接受 2、拒绝 0、待审 0");
    harness.get_by_label_contains("武汉经开区统计局, 2024-09-25");
    // Accepted figures are figures now: 武汉经开区 has them, cited by their publisher.
    harness.get_by_label("表格").click();
    harness.run_steps(2);
    pick_zone(&mut harness, "武汉经开区");
    harness.get_by_label("2486.3亿元");
    assert!(harness.get_all_by_label("武汉经开区统计局").next().is_some(), "the table cites the publisher");
    assert!(harness.query_by_label_contains("粘贴的文本").is_none(), "no figure is cited by a file or paste name");
}

#[test]
fn a_figure_the_extractor_missed_is_added_from_a_selection_and_saved() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = harness_on_bundled_data(&dir);
    settle(&mut harness);
    clear_first_view(&mut harness);
    open_paste_box(&mut harness);
    let report = "2025-01-20\n2024年，武汉经开区规模以上工业总产值达2,486.3亿元。\n汽车产量达41.2万辆";
    paste(&mut harness, report);
    harness.get_by_label("提取数据").click();
    settle(&mut harness);
    harness.get_by_label_contains("1 条候选");
    // Drag over the text's last line, as a reader selects with the mouse.
    let rect = harness.get_by_label(report).rect();
    let line = rect.height() / 3.0;
    let (from, to) = (
        egui::pos2(rect.left() + 1.0, rect.top() + 2.5 * line),
        egui::pos2(rect.right() - 1.0, rect.top() + 2.5 * line),
    );
    harness.drag_at(from);
    harness.run_steps(1);
    harness.hover_at(egui::pos2(from.x + 40.0, from.y));
    harness.run_steps(1);
    harness.hover_at(to);
    harness.run_steps(1);
    harness.drop_at(to);
    harness.run_steps(1);
    harness.get_by_label("添加数据").click();
    harness.run_steps(2);
    harness.get_by_label_contains("2 条候选");
    harness.get_by_label("万辆");
    harness.get_by_label("全部接受").click();
    harness.run_steps(1);
    fill_source(&mut harness, "武汉经开区统计局", "");
    harness.get_by_label("保存").click();
    settle(&mut harness);
    settle(&mut harness);
    harness.get_by_label_contains("已保存 2 条数据:接受 2");
    // The added figure is stored with the zone and period in force, and its quote.
    harness.get_by_label("表格").click();
    harness.run_steps(2);
    pick_zone(&mut harness, "武汉经开区");
    harness.get_by_label("显示所有指标").click();
    harness.run_steps(2);
    harness.get_by_label("41.2万辆");
    harness.get_by_label("汽车产量达41.2万辆");
}

#[test]
fn a_views_zoom_stays_with_its_selection_and_not_with_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = harness_on_bundled_data(&dir);
    settle(&mut harness);
    clear_first_view(&mut harness);
    let view = zonescope::view::ViewSpec {
        entities: vec!["全国国家级经开区".into()],
        indicator: Some("外贸进出口总额".into()),
        tab: Some(zonescope::view::Tab::Chart),
        x_range: Some([2018.0, 2022.0]),
        ..Default::default()
    };
    harness.state_mut().apply_view(&view);
    settle(&mut harness);
    harness.run_steps(3);
    assert_eq!(harness.state().current_view(false).x_range, Some([2018.0, 2022.0]), "the view's zoom is kept");
    // Another zone picked: a new selection starts unzoomed.
    pick_zone(&mut harness, "万州经开区");
    harness.get_by_label("图表").click();
    harness.run_steps(3);
    assert_eq!(harness.state().current_view(false).x_range, None, "the zoom did not carry over");
}

#[test]
fn a_mistyped_publication_date_is_refused_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = harness_on_bundled_data(&dir);
    settle(&mut harness);
    clear_first_view(&mut harness);
    open_paste_box(&mut harness);
    paste(&mut harness, "今年1至8月，武汉经开区规模以上工业总产值达2,486.3亿元。");
    harness.get_by_label("提取数据").click();
    settle(&mut harness);
    harness.get_by_label_contains("文本开头没有写明来源");
    // No date at all: refused.
    fill_source(&mut harness, "武汉经开区统计局", "");
    harness.get_by_label("保存").click();
    harness.run_steps(2);
    harness.get_by_label_contains("保存前请填写发布日期");
    assert!(!harness.state().is_busy(), "nothing was sent to be stored");
    // A date that is no date: refused, and said where it is typed.
    fill_source(&mut harness, "", "2024/09/25");
    harness.get_by_label("日期应为 YYYY-MM-DD");
    harness.get_by_label("保存").click();
    harness.run_steps(2);
    harness.get_by_label_contains("发布日期应为 YYYY-MM-DD");
    assert!(!harness.state().is_busy(), "nothing was sent to be stored");
}

#[test]
fn ctrl_and_a_digit_open_the_tabs_in_their_order() {
    use zonescope::ui::Tab;
    let dir = tempfile::tempdir().unwrap();
    let mut harness = harness_on_bundled_data(&dir);
    settle(&mut harness);
    clear_first_view(&mut harness);
    for (key, tab) in [
        (egui::Key::Num2, Tab::Ranking),
        (egui::Key::Num1, Tab::Chart),
        (egui::Key::Num3, Tab::Table),
        (egui::Key::Num4, Tab::Sources),
        (egui::Key::Num5, Tab::Review),
    ] {
        harness.key_press_modifiers(egui::Modifiers::COMMAND, key);
        harness.run_steps(2);
        assert_eq!(harness.state().tab(), tab, "{key:?}");
    }
}

#[test]
fn the_file_browser_goes_into_folders() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = harness_on_bundled_data(&dir);
    settle(&mut harness);
    clear_first_view(&mut harness);
    harness.get_by_label("审核文本").click();
    harness.run_steps(2);
    harness.get_by_label("浏览…").click();
    settle(&mut harness);
    // Tests run in the project's folder: its folders are listed, and one can be entered.
    harness.get_by_label("src/").click();
    settle(&mut harness);
    harness.get_by_label("extract/");
    harness.get_by_label("↑ 上一级");
}

#[test]
fn the_export_dialog_previews_the_figure_and_saves_it_with_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let mut harness = harness_on_bundled_data(&dir);
    settle(&mut harness);
    clear_first_view(&mut harness);
    pick_zone(&mut harness, "全国国家级经开区");
    harness.get_by_label("图表").click();
    harness.run_steps(2);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::E);
    harness.run_steps(3);
    harness.get_by_label("导出图表");
    {
        let dialog = harness.state_mut().export_dialog_mut().expect("Ctrl+E opens the dialog");
        dialog.folder = out.path().display().to_string();
        dialog.name = "national".into();
    }
    // The preview is drawn off the UI thread, and arrives.
    for _ in 0..500 {
        harness.step();
        if harness.state_mut().export_dialog_mut().is_some_and(|d| d.preview_is_current()) {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(harness.state_mut().export_dialog_mut().unwrap().preview_is_current(), "no preview");

    // The folder is picked with the dialog's own browser.
    std::fs::create_dir(out.path().join("slides")).unwrap();
    harness.get_by_label("浏览…").click();
    harness.run_steps(1);
    settle(&mut harness);
    harness.get_by_label("slides/").click();
    harness.run_steps(1);
    settle(&mut harness);
    harness.get_by_label("选用此文件夹").click();
    harness.run_steps(2);
    let slides = out.path().join("slides");
    assert_eq!(harness.state_mut().export_dialog_mut().unwrap().folder, slides.display().to_string());

    harness.get_by_label("保存 SVG").click();
    harness.run_steps(1);
    settle(&mut harness);
    let svg = std::fs::read_to_string(slides.join("national.svg")).expect("the SVG is written");
    assert!(svg.contains("全国国家级经开区") && svg.contains(">来源:"), "{}", &svg[..300]);
    harness.get_by_label("保存 CSV").click();
    harness.run_steps(1);
    settle(&mut harness);
    let csv = std::fs::read_to_string(slides.join("national.csv")).expect("the CSV is written");
    assert!(csv.starts_with("entity,indicator,measure"), "{csv}");
    assert!(harness.state().status_message().is_some_and(|m| m.contains("national.csv")));

    // Saving over a file asks first.
    std::fs::write(slides.join("national.svg"), "old").unwrap();
    harness.get_by_label("保存 SVG").click();
    harness.run_steps(1);
    settle(&mut harness);
    assert_eq!(std::fs::read_to_string(slides.join("national.svg")).unwrap(), "old");
    harness.get_by_label("替换").click();
    harness.run_steps(1);
    settle(&mut harness);
    assert!(std::fs::read_to_string(slides.join("national.svg")).unwrap().starts_with("<?xml"));
}

#[test]
fn a_view_saved_to_a_file_opens_again() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = harness_on_bundled_data(&dir);
    settle(&mut harness);
    clear_first_view(&mut harness);
    pick_zone(&mut harness, "万州经开区");
    harness.get_by_label("文件").click();
    harness.run_steps(2);
    harness.get_by_label("保存视图为文件…").click();
    harness.run_steps(2);
    let path = dir.path().join("wanzhou.json");
    harness.state_mut().view_file_dialog_mut().unwrap().path = path.display().to_string();
    harness.get_by_label("保存").click();
    harness.run_steps(1);
    settle(&mut harness);
    let saved = zonescope::view::ViewSpec::from_json(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(saved.entities, vec!["万州经济技术开发区"]);

    // Another zone, then the file brings the view back.
    harness.get_by_label("万州经开区 ×").click();
    pick_zone(&mut harness, "重庆经开区");
    harness.get_by_label("文件").click();
    harness.run_steps(2);
    harness.get_by_label("打开视图文件…").click();
    harness.run_steps(2);
    harness.state_mut().view_file_dialog_mut().unwrap().path = path.display().to_string();
    harness.get_by_label("打开").click();
    harness.run_steps(1);
    settle(&mut harness);
    harness.get_by_label("万州经开区 ×");
    assert!(harness.query_by_label("重庆经开区 ×").is_none());
}

#[test]
fn a_ranking_lists_one_row_per_entity_and_reads_another_period_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = harness_on_bundled_data(&dir);
    settle(&mut harness);
    clear_first_view(&mut harness);
    let view = |period: Option<&str>| zonescope::view::ViewSpec {
        entities: vec!["重庆经济技术开发区".into()],
        indicator: Some("外贸进出口总额".into()),
        measure: Some(zonescope::model::Measure::Value),
        ranking_period: period.map(str::to_string),
        tab: Some(zonescope::view::Tab::Ranking),
        ..Default::default()
    };
    harness.state_mut().apply_view(&view(None));
    settle(&mut harness);
    settle(&mut harness);
    // The period most entities report (2022), zones best first, a row each; the national
    // total stands beside them as a reference, not ranked.
    harness.get_by_label_contains("外贸进出口总额 · 总量 · 2022");
    assert_eq!(harness.state().ranked_entities(), Some(4));
    harness.get_by_label("1 西安经开区 557.8亿元");
    harness.get_by_label_contains("4 西安关中综合保税区");
    harness.get_by_label_contains("参考(合计与汇总,不参与排名):全国国家级经开区");
    assert!(harness.query_by_label_contains("1 全国国家级经开区").is_none(), "a total is not ranked");

    // Another period is read from the store when asked for, not kept from the first answer.
    harness.state_mut().apply_view(&view(Some("2023")));
    settle(&mut harness);
    settle(&mut harness);
    harness.get_by_label_contains("外贸进出口总额 · 总量 · 2023");
    assert_eq!(harness.state().ranked_entities(), Some(1));
}

#[test]
fn the_window_a_figure_a_csv_file_and_query_rank_alike() {
    use zonescope::figure::{ChartKind, FigureSpec};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("z.sqlite");
    let mut harness = harness_on_bundled_data(&dir);
    settle(&mut harness);
    clear_first_view(&mut harness);
    let view = zonescope::view::ViewSpec {
        entities: vec!["重庆经济技术开发区".into()],
        indicator: Some("外贸进出口总额".into()),
        measure: Some(zonescope::model::Measure::Value),
        ranking_period: Some("2022".into()),
        tab: Some(zonescope::view::Tab::Ranking),
        ..Default::default()
    };
    harness.state_mut().apply_view(&view);
    settle(&mut harness);
    settle(&mut harness);
    let window = harness.state().ranked_order();
    assert!(window.len() >= 4, "{window:?}");

    let store = zonescope::store::Store::open(&db).unwrap();
    let spec = FigureSpec { chart: ChartKind::Ranking, ..Default::default() };
    let figure = zonescope::export::compose_figure(&store, &view, &spec).unwrap();

    let csv_path = dir.path().join("ranking.csv");
    zonescope::export::export_csv(&store, &view, &csv_path).unwrap();
    let csv: Vec<String> =
        csv::Reader::from_path(&csv_path).unwrap().records().map(|r| r.unwrap()[0].to_string()).collect();

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zonescope"))
        .args(["query", "--ranking", "--indicator", "外贸进出口总额", "--period", "2022", "--format", "json", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let rows: Vec<serde_json::Value> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let query: Vec<String> = rows.iter().map(|r| r["entity"].as_str().unwrap().to_string()).collect();
    assert_eq!(rows[0]["rank"], 1);

    assert_eq!(figure.ranked, window, "figure");
    assert_eq!(csv, window, "CSV");
    assert_eq!(query, window, "query");
}

#[test]
fn ctrl_z_takes_back_the_last_zone_picked_and_ctrl_shift_z_puts_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = harness_on_bundled_data(&dir);
    settle(&mut harness);
    clear_first_view(&mut harness);
    pick_zone(&mut harness, "万州经开区");
    pick_zone(&mut harness, "重庆经开区");
    harness.get_by_label("重庆经开区 ×");
    // The search box holds the focus after typing; undo is for the view, not the text.
    harness.key_press(egui::Key::Escape);
    harness.run_steps(1);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    settle(&mut harness);
    assert!(harness.query_by_label("重庆经开区 ×").is_none(), "the last zone picked is taken back");
    harness.get_by_label("万州经开区 ×");
    harness.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, egui::Key::Z);
    settle(&mut harness);
    harness.get_by_label("重庆经开区 ×");
    harness.get_by_label("万州经开区 ×");
}

#[test]
fn a_read_only_database_opens_for_reading_and_a_save_is_refused_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("z.sqlite");
    drop(zonescope::store::Store::create(&db, &zonescope::dataset::Dataset::bundled().unwrap()).unwrap());
    let mut perms = std::fs::metadata(&db).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&db, perms).unwrap();
    let before = std::fs::read(&db).unwrap();
    let mut harness = harness_on_bundled_data(&dir);
    settle(&mut harness);
    clear_first_view(&mut harness);
    assert!(harness.state().is_ready(), "the zone list is shown");
    pick_zone(&mut harness, "万州经开区");
    assert_eq!(harness.state().figures().len(), 20);
    save_view_as(&mut harness, "万州一览");
    let message = harness.state().status_message().unwrap_or_default().to_string();
    assert!(message.contains("read-only") && message.contains("saving a view"), "{message}");
    assert!(harness.state().saved_views().is_empty());
    drop(harness);
    assert_eq!(std::fs::read(&db).unwrap(), before, "the file is unchanged");
}

#[test]
fn a_report_file_named_in_the_review_screen_is_read_with_its_date() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = harness_on_bundled_data(&dir);
    settle(&mut harness);
    clear_first_view(&mut harness);
    harness.get_by_label("审核文本").click();
    harness.run_steps(2);
    let file = dir.path().join("r.txt");
    std::fs::write(&file, "今年1至8月，武汉经开区规模以上工业总产值达2,486.3亿元，同比增长4.7%。").unwrap();
    // The file path follows the zone search.
    harness.get_all_by_role(egui::accesskit::Role::TextInput).nth(1).unwrap().focus();
    harness.run_steps(1);
    harness.get_all_by_role(egui::accesskit::Role::TextInput).nth(1).unwrap().type_text(&file.display().to_string());
    harness.run_steps(1);
    harness.get_by_label("打开").click();
    settle(&mut harness);
    settle(&mut harness);
    // Without a date 今年 cannot be read: the review says so.
    harness.get_by_label_contains("日期不详");
    fill_source(&mut harness, "武汉经开区统计局", "2024-09-25");
    harness.get_by_label("按此日期重新识别").click();
    settle(&mut harness);
    settle(&mut harness);
    // The date given resolves 今年 to 2024: both figures are found, the publisher typed is kept.
    harness.get_by_label_contains("2 条候选");
    harness.get_by_label_contains("相对期间按 2024-09-25");
    let publisher = harness.get_all_by_role(egui::accesskit::Role::TextInput).nth(2).unwrap();
    assert_eq!(publisher.value().as_deref(), Some("武汉经开区统计局"));
}

#[test]
fn english_chosen_while_the_database_opens_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    {
        // A remembered view in Chinese.
        let mut harness = harness_on_bundled_data(&dir);
        settle(&mut harness);
        pick_zone(&mut harness, "万州经开区");
    }
    let mut harness = harness_on_bundled_data(&dir);
    // Before the database has answered (it answers after the first frame in practice).
    if harness.state().is_ready() {
        eprintln!("the database answered before the first click: nothing to test this time");
        return;
    }
    harness.get_by_label("English").click();
    settle(&mut harness);
    settle(&mut harness);
    assert!(harness.state().is_ready());
    harness.get_by_label("Ranking");
    // The remembered zone, named in English as the window now is.
    harness.get_by_label("Wanzhou ETDZ ×");
}

#[test]
fn ctrl_f_selects_the_search_so_that_typing_replaces_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = harness_on_bundled_data(&dir);
    settle(&mut harness);
    clear_first_view(&mut harness);
    search(&mut harness, "万州");
    harness.key_press(egui::Key::Escape);
    harness.run_steps(1);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    harness.run_steps(2);
    harness.get_by_role(egui::accesskit::Role::TextInput).type_text("长寿");
    harness.run_steps(2);
    assert_eq!(harness.get_by_role(egui::accesskit::Role::TextInput).value().as_deref(), Some("长寿"));
}

#[test]
fn the_table_follows_the_indicator_picker_unless_all_indicators_are_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = harness_on_bundled_data(&dir);
    settle(&mut harness);
    clear_first_view(&mut harness);
    pick_zone(&mut harness, "万州经开区");
    harness.get_by_label("表格").click();
    harness.run_steps(2);
    pick_indicator(&mut harness, "外贸进出口总额");
    harness.get_by_label("36.4亿元");
    assert!(harness.query_by_label("620万美元").is_none(), "another indicator's figure is listed");
    pick_indicator(&mut harness, "实际使用外资");
    harness.get_by_label("620万美元");
    assert!(harness.query_by_label("36.4亿元").is_none(), "the previous indicator's figure is still listed");
    harness.get_by_label("显示所有指标").click();
    harness.run_steps(2);
    harness.get_by_label("620万美元");
    harness.get_by_label("36.4亿元");
}

#[test]
fn the_first_start_shows_the_national_zones_trade_on_the_chart_with_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = harness_on_bundled_data(&dir);
    settle(&mut harness);
    settle(&mut harness);
    assert_eq!(harness.state().tab(), zonescope::ui::Tab::Chart);
    harness.get_by_label("全国国家级经开区 ×");
    harness.get_by_label_contains("图为全国国家级经开区历年外贸进出口总额");
    // A line of the national total over the years is drawn: its figures are annual levels.
    let figures = harness.state_mut().view_data().figures.clone();
    let years: std::collections::BTreeSet<String> = figures.iter().map(|o| o.period.to_string()).collect();
    assert!(years.len() >= 5, "{} periods", years.len());
    assert!(figures.iter().all(|o| &*o.entity == "全国国家级经开区" && &*o.indicator == "外贸进出口总额"));
    // The hint goes once the reader changes what is compared; Ctrl+Z brings the view back.
    pick_zone(&mut harness, "万州经开区");
    assert!(harness.query_by_label("知道了").is_none());
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(3);
    harness.get_by_label("全国国家级经开区 ×");
    assert!(harness.query_by_label("万州经开区 ×").is_none());
    // Dismissed by hand, it stays away.
    let other = tempfile::tempdir().unwrap();
    let mut again = harness_on_bundled_data(&other);
    settle(&mut again);
    settle(&mut again);
    again.get_by_label("知道了").click();
    again.run_steps(2);
    assert!(again.query_by_label_contains("图为全国国家级经开区").is_none());
}

#[test]
fn the_log_scale_toggle_draws_levels_on_a_log_axis_and_is_kept_in_the_view() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = harness_on_bundled_data(&dir);
    settle(&mut harness);
    settle(&mut harness);
    // The first start's chart: levels of the national zones' trade.
    harness.get_by_label("对数刻度").click();
    harness.run_steps(3);
    assert_eq!(harness.state().current_view(false).log_scale, Some(true));
    assert!(harness.state().chart_is_log_scale(), "the chart drawn is on a log axis");
    // Ctrl+Z takes it back.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(3);
    assert_eq!(harness.state().current_view(false).log_scale, None);
}

#[test]
fn an_imported_table_is_undone_from_the_sources_tab() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("z.sqlite");
    {
        // A table of one zone's figures, imported as the command line does.
        let mut store =
            zonescope::store::Store::create(&path, &zonescope::dataset::Dataset::bundled().unwrap()).unwrap();
        let unit: zonescope::model::Unit = "亿元".parse().unwrap();
        let figures: Vec<zonescope::store::TableFigure> = [(2019, 11.5), (2020, 12.5)]
            .into_iter()
            .map(|(year, value)| zonescope::store::TableFigure {
                entity: "长寿经济技术开发区".into(),
                indicator: "外贸进出口总额".into(),
                measure: zonescope::model::Measure::Value,
                period: zonescope::model::Period::Year(year),
                period_text: format!("{year}年").into(),
                value,
                unit: std::sync::Arc::new(unit.clone()),
                qualifier: None,
                share_of: None,
                source: "table:t:1".into(),
                note: None,
                quote: None,
            })
            .collect();
        let source = zonescope::store::NewSource {
            key: "table:t:1",
            publisher: "某区统计局",
            published: Some("2024-05"),
            kind: Some("table"),
            ..Default::default()
        };
        store.import_table(&[source], &figures, b"t", &mut |_| {}).unwrap();
    }
    let mut harness = harness_on_bundled_data(&dir);
    settle(&mut harness);
    clear_first_view(&mut harness);
    pick_zone(&mut harness, "长寿经开区");
    let with_table = harness.state().figures().len();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num4);
    harness.run_steps(3);
    harness.get_by_label("某区统计局");
    // Bundled sources offer no undo; the import does, after a confirmation.
    assert_eq!(harness.get_all_by_label("撤销这次导入…").count(), 1);
    harness.get_by_label("撤销这次导入…").click();
    harness.run_steps(2);
    harness.get_by_label("取消").click();
    harness.run_steps(2);
    harness.get_by_label("撤销这次导入…").click();
    harness.run_steps(2);
    harness.get_by_label("删除").click();
    settle(&mut harness);
    settle(&mut harness);
    assert_eq!(harness.state().figures().len(), with_table - 2);
    assert!(harness.query_by_label("某区统计局").is_none());
    harness.get_by_label_contains("已删除来源 table:t:1 及其 2 条数据");
}

#[test]
fn a_table_imported_through_the_dialog_joins_the_chart() {
    let dir = tempfile::tempdir().unwrap();
    // A yearbook table as a statistics office writes it, in GBK, with a zone the registry lacks.
    let table = dir.path().join("trade.csv");
    let text = "表1 部分国家级经开区外贸进出口总额\n单位:亿元\n开发区,2022年,2023年\n长寿经开区,12.3,14.1\n长寿新城开发区,1.1,—\n合计,13.4,14.1\n";
    std::fs::write(&table, encoding_rs::GBK.encode(text).0).unwrap();
    let mapping = dir.path().join("m.json");
    std::fs::write(
        &mapping,
        r#"{"columns_are": "periods", "indicator": "外贸进出口总额", "source": {"publisher": "某市商务局", "published": "2024-11-05"}}"#,
    )
    .unwrap();
    let mut harness = harness_on_bundled_data(&dir);
    settle(&mut harness);
    clear_first_view(&mut harness);
    harness.get_by_label("文件").click();
    harness.run_steps(2);
    harness.get_by_label("导入表格…").click();
    harness.run_steps(2);
    // The file, then the saved mapping: the source and the indicator come with it.
    let type_into = |h: &mut Harness<'_, ZonescopeApp>, nth_from_end: usize, text: &str| {
        let count = h.get_all_by_role(egui::accesskit::Role::TextInput).count();
        h.get_all_by_role(egui::accesskit::Role::TextInput).nth(count - 1 - nth_from_end).unwrap().focus();
        h.run_steps(1);
        h.get_all_by_role(egui::accesskit::Role::TextInput).nth(count - 1 - nth_from_end).unwrap().type_text(text);
        h.run_steps(2);
    };
    // The dialog's text boxes, last first: mapping file, address, date, publisher, header rows,
    // zone column, unit, indicator, table file.
    type_into(&mut harness, 8, table.to_str().unwrap());
    type_into(&mut harness, 0, mapping.to_str().unwrap());
    harness.get_by_label("读取映射").click();
    settle(&mut harness);
    settle(&mut harness);
    harness.get_by_label_contains("已读取映射");
    // Saving over the mapping asks first; cancelled, the file is as it was.
    let written = std::fs::read_to_string(&mapping).unwrap();
    harness.get_by_label("保存映射").click();
    settle(&mut harness);
    harness.get_by_label_contains("已存在");
    harness.get_by_label("取消").click();
    harness.run_steps(2);
    assert!(harness.query_by_label_contains("已存在").is_none());
    assert_eq!(std::fs::read_to_string(&mapping).unwrap(), written);
    harness.get_by_label("保存映射").click();
    settle(&mut harness);
    harness.get_by_label("替换").click();
    settle(&mut harness);
    let replaced = std::fs::read_to_string(&mapping).unwrap();
    assert_ne!(replaced, written);
    assert!(replaced.contains("某市商务局") && replaced.contains("外贸进出口总额"), "{replaced}");
    // The unknown name stops the import until it is decided.
    harness.get_by_label_contains("“长寿新城开发区” 未识别");
    harness.get_by_label_contains("略去第 6 行:合计");
    harness.get_by_label("作为新开发区").click();
    harness.run_steps(2);
    settle(&mut harness);
    harness.get_by_label("导入 3 条数据").click();
    settle(&mut harness);
    settle(&mut harness);
    assert!(
        harness.get_all_by_label_contains("已导入 3 条数据").next().is_some(),
        "said in the dialog and the status bar"
    );
    // The zone's chart now has the table's figures, citing the table's publisher.
    harness.key_press(egui::Key::Escape);
    harness.run_steps(2);
    pick_zone(&mut harness, "长寿经开区");
    let from_table: Vec<_> = harness
        .state()
        .figures()
        .iter()
        .filter(|o| &*o.source == "某市商务局")
        .map(|o| (o.period.to_string(), o.value))
        .collect();
    assert_eq!(from_table.len(), 2, "{from_table:?}");
    assert!(from_table.contains(&("2023".to_string(), 14.1)));
}

#[test]
fn a_table_dropped_on_the_window_opens_the_import_dialog_and_its_folder_can_be_browsed() {
    let dir = tempfile::tempdir().unwrap();
    let tables = dir.path().join("tables");
    std::fs::create_dir(&tables).unwrap();
    std::fs::write(tables.join("a.csv"), "开发区,2023\n长寿经开区,14.1\n").unwrap();
    std::fs::write(tables.join("b.xlsx"), "not looked at").unwrap();
    std::fs::write(tables.join("notes.txt"), "not a table").unwrap();
    let mut harness = harness_on_bundled_data(&dir);
    settle(&mut harness);
    clear_first_view(&mut harness);
    /// A file dropped from a file manager.
    #[derive(Debug)]
    struct Dropped(std::path::PathBuf);
    impl egui::DroppedFile for Dropped {
        fn path(&self) -> &std::path::Path {
            &self.0
        }
        fn bytes(&self) -> Result<Vec<u8>, String> {
            std::fs::read(&self.0).map_err(|e| e.to_string())
        }
    }
    harness.input_mut().dropped_files.push(std::sync::Arc::new(Dropped(tables.join("b.xlsx"))));
    harness.run_steps(2);
    harness.get_by_label("导入表格");
    // Browsing starts in the dropped file's folder and lists its tables only.
    harness.get_by_label("浏览…").click();
    settle(&mut harness);
    harness.get_by_label("a.csv");
    harness.get_by_label("b.xlsx");
    assert!(harness.query_by_label("notes.txt").is_none());
    harness.get_by_label("a.csv").click();
    harness.run_steps(2);
    settle(&mut harness);
    // The table shows before the mapping is complete, with what it still lacks.
    harness.get_by_label_contains("读取为 CSV");
    harness.get_by_label_contains("请填写指标");
}

#[test]
fn the_sources_tab_says_what_each_figure_measures() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = harness_on_bundled_data(&dir);
    settle(&mut harness);
    clear_first_view(&mut harness);
    pick_zone(&mut harness, "长沙经开区");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num4);
    harness.run_steps(3);
    // A growth rate and a rank are said as such, not as a bare 22.8% or 17位.
    harness.get_by_label_contains("工程机械产业产值 · 2020年 2020 · 同比增长22.8%");
    harness.get_by_label_contains("综合发展水平排名 · 2020年 2020 · 排名第17位");
    harness.get_by_label_contains("工业总产值 · 2020年 2020 · 2530亿元");
    harness.get_by_label("English").click();
    harness.run_steps(3);
    harness.get_by_label_contains("year-on-year growth: 22.8%");
    harness.get_by_label_contains("MOFCOM overall ranking · 2020年 2020 · No. 17");
}
