//! File → Import table…: a researcher's own table (CSV or a workbook's sheet) read through a
//! mapping the dialog builds, previewed cell by cell, and stored with its source. The worker
//! reads the file and the figures; the dialog only draws what it answered.

use std::path::PathBuf;

use eframe::egui::{self, RichText};

use super::ZonescopeApp;
use super::worker::Request;
use crate::model::{Lang, Measure};
use crate::tables::PreparedTable;
use crate::tables::grid::column_name;
use crate::tables::wide::{ColumnsAre, Mapping, NEW_ZONE, NameReading};

/// The dialog's state: the file, the mapping as edited, and the worker's last preview.
#[derive(Default)]
pub struct ImportDialog {
    pub path: String,
    pub mapping: Mapping,
    /// The header rows and zone column as typed: empty or `auto` for "find them".
    pub header_rows: String,
    pub zone_column: String,
    /// Where to save or read the mapping.
    pub mapping_path: String,
    /// The mapping the last preview was asked for, and its answer.
    pub asked: Option<(PathBuf, Mapping)>,
    pub preview: Option<Result<Box<PreparedTable>, String>>,
    pub message: Option<String>,
    /// Waiting for the import to be stored.
    pub importing: bool,
    /// How many of its figures are stored so far, of how many.
    pub stored: Option<(usize, usize)>,
    /// The folder being browsed for a table, and its entries once listed.
    pub browser: Option<(PathBuf, Option<Vec<(String, bool)>>)>,
    /// A preview to ask for once typing pauses: each keystroke would read the file again.
    pub preview_due: Option<(std::time::Instant, PathBuf, Mapping)>,
    /// A mapping to save over a file that exists, waiting for "Replace" or "Cancel".
    pub confirm: Option<Request>,
}

/// How long typing must pause before the file is read again for the preview.
const PREVIEW_PAUSE: std::time::Duration = std::time::Duration::from_millis(250);

impl ImportDialog {
    pub fn new() -> ImportDialog {
        ImportDialog { mapping: Mapping { indicator: Some(String::new()), ..Default::default() }, ..Default::default() }
    }

    /// What the preview depends on: the mapping without its source (typing a publisher reads
    /// nothing again).
    fn mapping_to_preview(&self) -> Mapping {
        Mapping { source: Default::default(), ..self.mapping_to_read() }
    }

    /// The mapping with the typed header rows and zone column.
    fn mapping_to_read(&self) -> Mapping {
        let mut m = self.mapping.clone();
        m.header_rows = self.header_rows.trim().parse().ok();
        let zone = self.zone_column.trim();
        m.zone_column = (!zone.is_empty() && zone != "auto").then(|| zone.to_string());
        m
    }

    /// A preview answered for what the dialog now shows.
    pub fn take_preview(&mut self, path: PathBuf, mapping: Mapping, preview: Result<Box<PreparedTable>, String>) {
        if self.asked.as_ref() == Some(&(path, mapping)) {
            self.preview = Some(preview);
        }
    }
}

/// Draws the dialog while it is open.
pub fn import_dialog(app: &mut ZonescopeApp, ctx: &egui::Context) {
    let Some(mut dialog) = app.import.take() else { return };
    let lang = app.lang;
    let indicators: Vec<String> = app.indicators.iter().map(|i| i.name.clone()).collect();
    let english_names: std::collections::HashMap<String, String> =
        app.indicators.iter().filter_map(|i| Some((i.name.clone(), i.name_en.clone()?))).collect();
    let mut open = true;
    let mut send: Vec<Request> = Vec::new();
    egui::Window::new(lang.tr("导入表格", "Import a table"))
        .id(egui::Id::unique("import-table-dialog"))
        .open(&mut open)
        .default_size([1180.0, 700.0])
        .resizable(true)
        .collapsible(false)
        .show(ctx, |ui| {
            ui.horizontal_top(|ui| {
                ui.vertical(|ui| {
                    ui.set_width(380.0);
                    settings(ui, lang, &mut dialog, &indicators, &mut send);
                });
                ui.separator();
                ui.vertical(|ui| preview(ui, lang, &mut dialog, &english_names));
            });
        });
    // The preview follows every change of the file or the mapping, once typing pauses.
    let path = PathBuf::from(dialog.path.trim());
    let wanted = (path.clone(), dialog.mapping_to_preview());
    let now = std::time::Instant::now();
    if dialog.path.trim().is_empty() || dialog.asked.as_ref() == Some(&wanted) {
        dialog.preview_due = None;
    } else {
        match &dialog.preview_due {
            Some((since, p, m)) if (p, m) == (&wanted.0, &wanted.1) => {
                if now.duration_since(*since) >= PREVIEW_PAUSE {
                    dialog.preview_due = None;
                    dialog.asked = Some(wanted.clone());
                    send.push(Request::PreviewTable { path, mapping: Box::new(wanted.1) });
                } else {
                    ctx.request_repaint_after(PREVIEW_PAUSE);
                }
            }
            _ => {
                dialog.preview_due = Some((now, wanted.0, wanted.1));
                ctx.request_repaint_after(PREVIEW_PAUSE);
            }
        }
    }
    for request in send {
        app.request(request);
    }
    if open && !ctx.input(|i| i.key_pressed(egui::Key::Escape)) {
        app.import = Some(dialog);
    }
}

/// The folder being browsed: its subfolders to go into, ".." to go up, and its tables to pick.
fn table_browser(ui: &mut egui::Ui, lang: Lang, dialog: &mut ImportDialog, send: &mut Vec<Request>) -> Option<PathBuf> {
    let (dir, entries) = dialog.browser.as_ref()?;
    let mut go = None;
    let mut picked = None;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.label(RichText::new(dir.display().to_string()).weak());
        egui::ScrollArea::vertical().max_height(180.0).show(ui, |ui| {
            if let Some(parent) = dir.parent()
                && ui.selectable_label(false, "..").clicked()
            {
                go = Some(parent.to_path_buf());
            }
            match entries {
                None => {
                    ui.label(lang.tr("正在读取…", "Reading…"));
                }
                Some(entries) if entries.is_empty() => {
                    ui.label(lang.tr("这里没有表格文件。", "No table files here."));
                }
                Some(entries) => {
                    for (name, is_dir) in entries {
                        let label = if *is_dir { format!("{name}/") } else { name.clone() };
                        if ui.selectable_label(false, label).clicked() {
                            let path = dir.join(name);
                            if *is_dir { go = Some(path) } else { picked = Some(path) }
                        }
                    }
                }
            }
        });
    });
    if let Some(dir) = go {
        dialog.browser = Some((dir.clone(), None));
        send.push(Request::ListTables(dir));
    }
    picked
}

fn settings(ui: &mut egui::Ui, lang: Lang, dialog: &mut ImportDialog, indicators: &[String], send: &mut Vec<Request>) {
    ui.label(lang.tr("表格文件 (CSV、XLSX、XLS、ODS):", "Table file (CSV, XLSX, XLS, ODS):"));
    ui.horizontal(|ui| {
        ui.add(egui::TextEdit::singleline(&mut dialog.path).desired_width(290.0).hint_text("/path/to/table.xlsx"));
        if ui.button(lang.tr("浏览…", "Browse…")).clicked() {
            // The worker starts from the typed file's folder (it looks; the window never waits
            // on the disk).
            let typed = PathBuf::from(dialog.path.trim());
            dialog.browser = Some((typed.clone(), None));
            send.push(Request::ListTables(typed));
        }
    });
    if let Some(picked) = table_browser(ui, lang, dialog, send) {
        dialog.path = picked.display().to_string();
        dialog.browser = None;
    }
    let sheets = match &dialog.preview {
        Some(Ok(p)) => p.grid.sheets.clone(),
        _ => Vec::new(),
    };
    if !sheets.is_empty() {
        ui.horizontal(|ui| {
            ui.label(lang.tr("工作表:", "Sheet:"));
            let shown = dialog.mapping.sheet.clone().unwrap_or_else(|| sheets[0].clone());
            egui::ComboBox::from_id_salt("import-sheet").selected_text(shown).show_ui(ui, |ui| {
                for s in &sheets {
                    if ui.selectable_label(dialog.mapping.sheet.as_deref() == Some(s), s).clicked() {
                        dialog.mapping.sheet = Some(s.clone());
                    }
                }
            });
        });
    }
    ui.separator();
    ui.label(lang.tr("开发区名称之外的列是:", "The columns beside the zone names are:"));
    ui.radio_value(
        &mut dialog.mapping.columns_are,
        ColumnsAre::Periods,
        lang.tr(
            "同一指标的各个期间 (2019、2020年、2024年1-9月)",
            "periods of one indicator (2019, 2020年, 2024年1-9月)",
        ),
    );
    ui.radio_value(
        &mut dialog.mapping.columns_are,
        ColumnsAre::Indicators,
        lang.tr("同一期间的各项指标 (进出口总额(亿元)…)", "indicators of one period (进出口总额(亿元)…)"),
    );
    egui::Grid::new("import-mapping").num_columns(2).spacing([8.0, 6.0]).show(ui, |ui| {
        match dialog.mapping.columns_are {
            ColumnsAre::Periods => {
                ui.label(lang.tr("指标:", "Indicator:"));
                let indicator = dialog.mapping.indicator.get_or_insert_with(String::new);
                ui.horizontal(|ui| {
                    ui.add(egui::TextEdit::singleline(indicator).desired_width(190.0).hint_text("外贸进出口总额"));
                    egui::ComboBox::from_id_salt("import-indicator").selected_text("…").width(40.0).show_ui(ui, |ui| {
                        for name in indicators {
                            if ui.selectable_label(indicator == name, name).clicked() {
                                *indicator = name.clone();
                            }
                        }
                    });
                });
            }
            ColumnsAre::Indicators => {
                ui.label(lang.tr("期间:", "Period:"));
                let period = dialog.mapping.period.get_or_insert_with(String::new);
                ui.add(egui::TextEdit::singleline(period).desired_width(190.0).hint_text("2023 / 2024年1-9月"));
            }
        }
        ui.end_row();
        ui.label(lang.tr("单位 (表中未注明时):", "Unit (when the table has none):"));
        let unit = dialog.mapping.unit.get_or_insert_with(String::new);
        ui.add(egui::TextEdit::singleline(unit).desired_width(120.0).hint_text("亿元"));
        ui.end_row();
        ui.label(lang.tr("度量:", "Measure:"));
        let measure = dialog.mapping.measure.unwrap_or(Measure::Value);
        let name = |m: Measure| if lang == Lang::En { m.label_en() } else { m.label_zh() };
        egui::ComboBox::from_id_salt("import-measure").selected_text(name(measure)).show_ui(ui, |ui| {
            for m in [Measure::Value, Measure::YoyPct, Measure::SharePct, Measure::Rank] {
                if ui.selectable_label(measure == m, name(m)).clicked() {
                    dialog.mapping.measure = Some(m);
                }
            }
        });
        ui.end_row();
        ui.label(lang.tr("开发区所在列:", "Zone column:"));
        ui.add(egui::TextEdit::singleline(&mut dialog.zone_column).desired_width(120.0).hint_text("auto / A / 开发区"));
        ui.end_row();
        ui.label(lang.tr("表头行数:", "Header rows:"));
        ui.add(egui::TextEdit::singleline(&mut dialog.header_rows).desired_width(120.0).hint_text("auto"));
        ui.end_row();
    });
    ui.separator();
    ui.label(
        RichText::new(lang.tr("来源 (必填:发布者和日期)", "Source (a publisher and a date are required)")).strong(),
    );
    egui::Grid::new("import-source").num_columns(2).spacing([8.0, 6.0]).show(ui, |ui| {
        let source = &mut dialog.mapping.source;
        ui.label(lang.tr("发布者:", "Publisher:"));
        ui.add(egui::TextEdit::singleline(&mut source.publisher).desired_width(250.0).hint_text("某市统计局"));
        ui.end_row();
        ui.label(lang.tr("发布日期:", "Published:"));
        ui.add(egui::TextEdit::singleline(&mut source.published).desired_width(250.0).hint_text("2024-03-15"));
        ui.end_row();
        ui.label(lang.tr("网址或出处:", "Address:"));
        ui.add(egui::TextEdit::singleline(&mut source.address).desired_width(250.0));
        ui.end_row();
    });
    ui.separator();
    ui.label(lang.tr("映射文件 (明年的表格可沿用):", "Mapping file (for next year's table):"));
    ui.horizontal(|ui| {
        ui.add(egui::TextEdit::singleline(&mut dialog.mapping_path).desired_width(200.0).hint_text("mapping.json"));
        let path = PathBuf::from(dialog.mapping_path.trim());
        let named = !dialog.mapping_path.trim().is_empty();
        if ui.add_enabled(named, egui::Button::new(lang.tr("保存映射", "Save mapping"))).clicked() {
            dialog.confirm = None;
            send.push(Request::WriteMapping {
                mapping: Box::new(dialog.mapping_to_read()),
                path: path.clone(),
                replace: false,
            });
        }
        if ui.add_enabled(named, egui::Button::new(lang.tr("读取映射", "Load mapping"))).clicked() {
            send.push(Request::ReadMapping(path));
        }
    });
    send.extend(super::export_dialog::confirm_replace(ui, lang, &mut dialog.confirm));
    ui.separator();
    let ready = match &dialog.preview {
        Some(Ok(p)) => p.table.ready() && !p.figures.is_empty(),
        _ => false,
    };
    let source_ok = crate::tables::wide::check_source(&dialog.mapping.source);
    let count = match &dialog.preview {
        Some(Ok(p)) => p.figures.len(),
        _ => 0,
    };
    let label = match lang {
        Lang::Zh => format!("导入 {count} 条数据"),
        Lang::En => format!("Import {count} figures"),
    };
    let enabled = ready && source_ok.is_ok() && !dialog.importing;
    if ui.add_enabled(enabled, egui::Button::new(label)).clicked() {
        dialog.importing = true;
        dialog.message = Some(lang.tr("正在导入…", "Importing…").to_string());
        send.push(Request::ImportTable {
            path: PathBuf::from(dialog.path.trim()),
            mapping: Box::new(dialog.mapping_to_read()),
        });
    }
    if let Some(Ok(p)) = &dialog.preview
        && p.table.unknown_names().next().is_some()
    {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            lang.tr("请先确定右侧未识别的名称。", "Decide the unknown names on the right first."),
        );
    }
    if let Err(e) = source_ok {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            match lang {
                Lang::Zh => {
                    "请填写来源的发布者和日期 (YYYY-MM-DD、YYYY-MM 或 YYYY):没有来源的数据不会保存。".to_string()
                }
                Lang::En => format!("{e}."),
            },
        );
    }
    if let (true, Some((done, total))) = (dialog.importing, dialog.stored) {
        let text = match lang {
            Lang::Zh => format!("正在保存 {done} / {total} 条数据"),
            Lang::En => format!("Storing {done} of {total} figures"),
        };
        ui.add(egui::ProgressBar::new(done as f32 / total.max(1) as f32).text(text).desired_width(360.0));
    }
    if let Some(message) = &dialog.message {
        ui.label(message);
    }
}

/// What the worker read: how the table was understood, unknown names to decide, and the cells.
fn preview(
    ui: &mut egui::Ui,
    lang: Lang,
    dialog: &mut ImportDialog,
    english_names: &std::collections::HashMap<String, String>,
) {
    let prepared = match &dialog.preview {
        None if dialog.path.trim().is_empty() => {
            ui.label(lang.tr("输入表格文件的路径。", "Type the table file's path."));
            return;
        }
        None => {
            ui.label(lang.tr("正在读取…", "Reading…"));
            return;
        }
        Some(Err(e)) => {
            ui.colored_label(ui.visuals().error_fg_color, e);
            return;
        }
        Some(Ok(p)) => p,
    };
    let (grid, table) = (&prepared.grid, &prepared.table);
    let sheet = grid.sheet.as_deref().map(|s| format!(" · {s}")).unwrap_or_default();
    let (read_as, top, bottom) = (&grid.read_as, table.header.0 + 1, table.header.1 + 1);
    let (zones, first, figures, empty) =
        (column_name(table.zone_column), table.first_row + 1, prepared.figures.len(), table.empty_cells);
    ui.label(match lang {
        Lang::Zh => format!(
            "读取为 {read_as}{sheet};表头第 {top}–{bottom} 行,开发区在 {zones} 列,数据从第 {first} 行起;{figures} 条数据,{empty} 个空格(不是零)。"
        ),
        Lang::En => format!(
            "Read as {read_as}{sheet}; header rows {top}–{bottom}, zones in column {zones}, figures from row {first}; {figures} figures, {empty} empty cells (not zero)."
        ),
    });
    for c in &table.columns {
        let column = column_name(c.col);
        let text = match (&c.left_out, c.period, &c.indicator, &c.unit) {
            (Some(why), ..) => format!("{column} “{}”: {} ({})", c.header, lang.tr("略去", "left out"), why.text(lang)),
            (None, Some(p), Some(i), Some(u)) => {
                let (i, u) = match lang {
                    Lang::En => (english_names.get(i).unwrap_or(i).clone(), u.english()),
                    Lang::Zh => (i.clone(), u.to_string()),
                };
                format!("{column} “{}” → {i} · {} · {u}", c.header, crate::figure::period_label(p, lang == Lang::En))
            }
            _ => continue,
        };
        ui.label(text);
    }
    for (row, why) in &table.rows_left_out {
        let text = match lang {
            Lang::Zh => format!("略去第 {} 行:{}", row + 1, why.text(lang)),
            Lang::En => format!("Left out row {}: {}", row + 1, why.text(lang)),
        };
        ui.label(RichText::new(text).weak());
    }
    // Unknown names: pick the zone meant, or keep the name as a new zone.
    let mut decided: Option<(String, String)> = None;
    for (written, reading) in &table.names {
        let NameReading::Unknown(closest) = reading else { continue };
        ui.horizontal_wrapped(|ui| {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!("“{written}”{}", lang.tr(" 未识别:", " is not known:")),
            );
            for name in closest {
                if ui.small_button(name).clicked() {
                    decided = Some((written.clone(), name.clone()));
                }
            }
            if ui.small_button(lang.tr("作为新开发区", "Keep as a new zone")).clicked() {
                decided = Some((written.clone(), NEW_ZONE.to_string()));
            }
        });
    }
    for p in &table.mapping_problems {
        ui.colored_label(ui.visuals().warn_fg_color, p.text(lang));
    }
    for p in table.problems.iter().take(20) {
        ui.colored_label(ui.visuals().error_fg_color, p.to_string());
    }
    ui.separator();
    cells(ui, lang, prepared);
    if let Some((written, meant)) = decided {
        dialog.mapping.names.insert(written, meant);
    }
}

/// The table's first rows, each cell as it will be read: a figure (its indicator, period and
/// value in the hover), a zone (how it resolved), no figure, or a problem.
fn cells(ui: &mut egui::Ui, lang: Lang, prepared: &PreparedTable) {
    let (grid, table) = (&prepared.grid, &prepared.table);
    let rows = grid.cells.len().min(table.first_row + 40);
    let width = grid.width().min(14);
    let figure_at = |r: usize, c: usize| table.figures.iter().find(|f| f.row == r && f.col == c);
    let problem_at = |r: usize, c: usize| table.problems.iter().find(|p| p.row == r && p.col == c);
    let name_of = |written: &str| table.names.iter().find(|(n, _)| n == written).map(|(_, r)| r);
    let visuals = ui.visuals().clone();
    egui::ScrollArea::both().auto_shrink([false, false]).show(ui, |ui| {
        egui::Grid::new("import-cells").striped(true).spacing([10.0, 4.0]).show(ui, |ui| {
            ui.label("");
            for c in 0..width {
                ui.label(RichText::new(column_name(c)).weak());
            }
            ui.end_row();
            for r in 0..rows {
                ui.label(RichText::new((r + 1).to_string()).weak());
                for c in 0..width {
                    let text = grid.cell(r, c);
                    let shown: String = text.chars().take(16).collect();
                    if let Some(f) = figure_at(r, c) {
                        let hover = format!(
                            "{} · {} · {}{}",
                            f.indicator,
                            crate::figure::period_label(f.period, lang == Lang::En),
                            crate::model::format_number(f.value),
                            f.unit
                        );
                        ui.label(RichText::new(shown).color(visuals.hyperlink_color)).on_hover_text(hover);
                    } else if let Some(p) = problem_at(r, c) {
                        ui.label(RichText::new(shown).color(visuals.error_fg_color)).on_hover_text(&p.why);
                    } else if c == table.zone_column && r >= table.first_row && !text.is_empty() {
                        let cleaned: String = text.chars().filter(|c| !c.is_whitespace()).collect();
                        match name_of(cleaned.trim_end_matches(['*', '※'])) {
                            Some(NameReading::Known(name)) => {
                                ui.label(RichText::new(shown).strong()).on_hover_text(name);
                            }
                            Some(NameReading::New) => {
                                ui.label(RichText::new(shown).strong().italics())
                                    .on_hover_text(lang.tr("新开发区", "a new zone"));
                            }
                            Some(NameReading::Unknown(_)) => {
                                ui.label(RichText::new(shown).color(visuals.warn_fg_color))
                                    .on_hover_text(lang.tr("未识别的名称", "an unknown name"));
                            }
                            None => {
                                ui.label(RichText::new(shown).weak());
                            }
                        }
                    } else {
                        ui.label(RichText::new(shown).weak());
                    }
                }
                ui.end_row();
            }
        });
    });
}
