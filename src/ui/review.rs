//! The review screen: a report text beside the figures found in it. Each figure can be
//! accepted, edited or rejected, one by one or all at once; clicking a figure shows its quote in
//! the text, and clicking a quote in the text picks its figure.

use std::path::PathBuf;

use eframe::egui::{self, Color32, RichText};
use egui_extras::{Column, TableBuilder};

use super::ZonescopeApp;
use super::worker::{Request, ReviewToSave, TextForReview};
use crate::extract::Candidate;

/// A figure under review.
#[derive(Debug, Clone)]
pub struct ReviewRow {
    /// The figure as found (its quote and span stay; the edits below are checked on save).
    pub found: Candidate,
    /// `Some(true)` accepted, `Some(false)` rejected, `None` not decided.
    pub verdict: Option<bool>,
    /// The value and period as the reader typed them (checked on save).
    pub value_edit: String,
    pub period_edit: String,
    pub entity_edit: String,
    pub indicator_edit: String,
}

/// A text under review.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub text: TextForReview,
    pub rows: Vec<ReviewRow>,
}

impl ReviewRow {
    fn of(c: &Candidate) -> ReviewRow {
        ReviewRow {
            found: c.clone(),
            verdict: None,
            value_edit: crate::model::format_number(c.value),
            period_edit: c.period.notation().unwrap_or_default(),
            entity_edit: c.entity.clone(),
            indicator_edit: c.indicator.clone(),
        }
    }
}

impl Loaded {
    pub fn new(text: TextForReview) -> Loaded {
        let rows = text.candidates.iter().map(ReviewRow::of).collect();
        Loaded { text, rows }
    }

    /// Adds the figure a selection of the text states (**Add figure**), to be checked like any
    /// other: its row's index, or `None` when the selection holds no number with a unit.
    pub fn add_from_selection(
        &mut self,
        span: (usize, usize),
        gazetteer: &crate::extract::lexicon::Gazetteer,
    ) -> Option<usize> {
        let t = &self.text;
        let c = crate::extract::selection::figure_from_selection(&t.text, t.published, gazetteer, span, &t.candidates)?;
        self.rows.push(ReviewRow::of(&c));
        Some(self.rows.len() - 1)
    }

    /// What to store: the figures as edited, each with its verdict; an edit that does not
    /// parse, or a zone `resolve` does not know, is an error naming the figure.
    pub fn to_save(&self, resolve: impl Fn(&str) -> Option<String>) -> Result<ReviewToSave, String> {
        let mut figures = Vec::new();
        for r in &self.rows {
            let mut figure = r.found.clone();
            let quote = &r.found.quote;
            if r.verdict != Some(false) {
                if r.entity_edit.trim() != r.found.entity {
                    figure.entity = resolve(r.entity_edit.trim())
                        .ok_or_else(|| format!("“{quote}”: no zone or group is called {:?}", r.entity_edit.trim()))?;
                }
                let indicator = r.indicator_edit.trim();
                if indicator.is_empty() {
                    return Err(format!("“{quote}”: the indicator is empty"));
                }
                figure.indicator = indicator.to_string();
            }
            figure.value = crate::model::parse_value(&r.value_edit).map_err(|e| format!("“{quote}”: {e}"))?;
            figure.period = r.period_edit.parse().map_err(|e| format!("“{quote}”: {e}"))?;
            figures.push((figure, r.verdict));
        }
        Ok(ReviewToSave {
            name: self.text.name.clone(),
            text: self.text.text.clone(),
            published: self.text.published,
            figures,
        })
    }
}

/// The review screen's state.
#[derive(Debug, Clone, Default)]
pub struct ReviewState {
    pub path_input: String,
    pub date_input: String,
    pub pasted: String,
    pub loaded: Option<Loaded>,
    pub selected: Option<usize>,
    pub scroll_text: bool,
    pub scroll_table: bool,
    pub message: Option<String>,
    /// The in-app file browser, while open: its folder and what is in it.
    pub browser: Option<(PathBuf, Vec<(String, bool)>)>,
    /// The stretch of text the reader selected (characters, in the order dragged).
    pub selection: Option<(usize, usize)>,
    /// Names of zones and words of indicators, for **Add figure**; built on first use.
    pub gazetteer: Option<std::sync::Arc<crate::extract::lexicon::Gazetteer>>,
}

impl ZonescopeApp {
    /// Asks the worker to read a file for review.
    pub fn review_file(&mut self, path: PathBuf) {
        self.apply(super::Command::OpenTab(super::Tab::Review));
        let Some(date) = self.review_date() else { return };
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        self.request(Request::ReadText { name, path: Some(path), pasted: None, date });
    }

    /// The publication date typed (`Some(None)` when the field is empty: the text's own is
    /// used); `None`, with a message saying so, when what is typed is no date: a mistyped date
    /// must not quietly become "no date".
    fn review_date(&mut self) -> Option<Option<crate::model::Date>> {
        let typed = self.review.date_input.trim();
        if typed.is_empty() {
            return Some(None);
        }
        match typed.parse::<crate::model::Date>() {
            Ok(date) => {
                self.review.message = None;
                Some(Some(date))
            }
            // Said in the reader's language, once (the parser's own message is English).
            Err(_) => {
                self.review.message = Some(match self.lang {
                    crate::model::Lang::Zh => format!("发布日期应为 YYYY-MM-DD(如 2024-09-25),不是 “{typed}”。"),
                    crate::model::Lang::En => {
                        format!("The publication date must be YYYY-MM-DD (such as 2024-09-25), not “{typed}”.")
                    }
                });
                None
            }
        }
    }
}

/// A small file dialog of the app's own: folders to go into, text files to open.
fn file_browser(app: &mut ZonescopeApp, ui: &mut egui::Ui) {
    let lang = app.lang;
    let Some((dir, entries)) = app.review.browser.clone() else { return };
    let mut open = true;
    let mut go = None;
    let mut pick = None;
    egui::Window::new(lang.tr("打开文本", "Open a text"))
        .open(&mut open)
        .default_size([520.0, 420.0])
        .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
        .show(ui.ctx(), |ui| {
            ui.label(dir.display().to_string());
            if let Some(parent) = dir.parent() {
                if ui.button(lang.tr("↑ 上一级", "↑ Up")).clicked() {
                    go = Some(parent.to_path_buf());
                }
            }
            egui::ScrollArea::vertical().show(ui, |ui| {
                for (name, is_dir) in &entries {
                    let label = if *is_dir { format!("{name}/") } else { name.clone() };
                    if ui.selectable_label(false, label).clicked() {
                        if *is_dir {
                            go = Some(dir.join(name));
                        } else {
                            pick = Some(dir.join(name));
                        }
                    }
                }
                if entries.is_empty() {
                    ui.label(lang.tr("(没有文件夹或文本文件)", "(no folders or text files)"));
                }
            });
        });
    if let Some(d) = go {
        app.request(Request::ListDir(d));
    }
    if let Some(file) = pick {
        app.review.browser = None;
        app.review.path_input = file.display().to_string();
        app.review_file(file);
    } else if !open {
        app.review.browser = None;
    }
}

pub fn review_ui(app: &mut ZonescopeApp, ui: &mut egui::Ui) {
    let lang = app.lang;
    source_bar(app, ui);
    let Some(mut loaded) = app.review.loaded.take() else {
        ui.label(
            lang.tr(
                "打开或粘贴一篇报道,逐条核对其中的数据。",
                "Open or paste a report to check its figures one by one.",
            ),
        );
        return;
    };
    // The loaded text is taken out while drawn, so that the panes borrow it beside the
    // review's other state; it is put back at the end.
    let (save, add_figure) = verdict_bar(ui, &mut app.review, &mut loaded, lang);
    let mut clicked_char = None;
    ui.columns(2, |cols| {
        clicked_char = text_pane(&mut cols[0], &mut app.review, &loaded);
        figures_pane(&mut cols[1], &mut app.review, &mut loaded, lang);
    });
    if let Some(c) = clicked_char {
        if let Some(i) = loaded.rows.iter().position(|r| r.found.quote_span.0 <= c && c < r.found.quote_span.1) {
            app.review.selected = Some(i);
            app.review.scroll_table = true;
        }
    }
    if let (true, Some((a, b))) = (add_figure, app.review.selection) {
        let gazetteer = app.review.gazetteer.get_or_insert_with(|| {
            let data = crate::dataset::Dataset::bundled();
            std::sync::Arc::new(data.map(|d| crate::extract::lexicon::Gazetteer::from_dataset(&d)).unwrap_or_default())
        });
        match loaded.add_from_selection((a.min(b), a.max(b)), gazetteer) {
            Some(i) => {
                app.review.selected = Some(i);
                app.review.scroll_table = true;
                app.review.selection = None;
                app.review.message = None;
            }
            None => {
                app.review.message = Some(
                    lang.tr("选中的文字里没有带单位的数字。", "The selected text holds no number with a unit.").into(),
                )
            }
        }
    }
    if save {
        let registry = app.registry.as_ref();
        let resolve = |name: &str| registry.and_then(|r| r.resolve(name).ok()).map(|e| e.name.clone());
        match loaded.to_save(resolve) {
            Ok(review) => {
                app.review.message = None;
                app.request(Request::SaveReview(Box::new(review)));
            }
            Err(e) => app.review.message = Some(e),
        }
    }
    app.review.loaded = Some(loaded);
}

/// Where the text comes from: a file (typed, browsed or dropped) or pasted, and its date.
fn source_bar(app: &mut ZonescopeApp, ui: &mut egui::Ui) {
    let lang = app.lang;
    ui.horizontal_wrapped(|ui| {
        ui.label(lang.tr("文件:", "File:"));
        ui.add(
            egui::TextEdit::singleline(&mut app.review.path_input)
                .desired_width(360.0)
                .hint_text("/path/to/report.txt"),
        );
        if ui.button(lang.tr("打开", "Open")).clicked() && !app.review.path_input.trim().is_empty() {
            let path = PathBuf::from(app.review.path_input.trim());
            app.review_file(path);
        }
        if ui.button(lang.tr("浏览…", "Browse…")).clicked() {
            let start = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
            app.request(Request::ListDir(start));
        }
        ui.label(lang.tr("发布日期:", "Published:"));
        ui.add(egui::TextEdit::singleline(&mut app.review.date_input).desired_width(100.0).hint_text("YYYY-MM-DD"));
        ui.label(RichText::new(lang.tr("也可把文件拖入窗口", "or drop a file on the window")).weak());
    });
    ui.collapsing(lang.tr("粘贴文本", "Paste a text"), |ui| {
        ui.add(egui::TextEdit::multiline(&mut app.review.pasted).desired_rows(5).desired_width(f32::INFINITY));
        if ui.button(lang.tr("提取数据", "Find figures")).clicked() && !app.review.pasted.trim().is_empty() {
            let Some(date) = app.review_date() else { return };
            let pasted = app.review.pasted.clone();
            app.request(Request::ReadText {
                name: lang.tr("粘贴的文本", "pasted text").into(),
                path: None,
                pasted: Some(pasted),
                date,
            });
        }
    });
    file_browser(app, ui);
    if let Some(message) = &app.review.message {
        ui.label(RichText::new(message).color(ui.visuals().warn_fg_color));
    }
}

/// The text's name and counts, verdicts for all, Add figure and Save. Returns whether Save and
/// Add figure were clicked.
fn verdict_bar(ui: &mut egui::Ui, review: &mut ReviewState, loaded: &mut Loaded, lang: super::Lang) -> (bool, bool) {
    ui.separator();
    let decided = loaded.rows.iter().filter(|r| r.verdict.is_some()).count();
    let mut save = false;
    let mut add_figure = false;
    ui.horizontal_wrapped(|ui| {
        ui.strong(&loaded.text.name);
        ui.label(format!(
            "· {} · {} {} · {} {} ({} {})",
            loaded.text.encoding,
            lang.tr("发布", "published"),
            loaded.text.published.map_or(
                lang.tr("日期不详,相对期间未解析", "date unknown: relative periods unresolved").to_string(),
                |d| d.to_string()
            ),
            loaded.rows.len(),
            lang.tr("条候选", "candidates"),
            decided,
            lang.tr("已处理", "decided"),
        ));
        if ui.button(lang.tr("全部接受", "Accept all")).clicked() {
            loaded.rows.iter_mut().for_each(|r| r.verdict = Some(true));
        }
        if ui.button(lang.tr("全部拒绝", "Reject all")).clicked() {
            loaded.rows.iter_mut().for_each(|r| r.verdict = Some(false));
        }
        let has_selection = review.selection.is_some_and(|(a, b)| a != b);
        add_figure = ui
            .add_enabled(has_selection, egui::Button::new(lang.tr("添加数据", "Add figure")))
            .on_hover_text(lang.tr(
                "把在左侧文本中拖选的文字作为一条数据加入,再核对",
                "Turn the text you dragged over on the left into a figure to check",
            ))
            .on_disabled_hover_text(lang.tr("先在左侧文本中拖选一段文字", "First drag over some text on the left"))
            .clicked();
        save = ui.button(lang.tr("保存", "Save")).clicked();
    });
    (save, add_figure)
}

/// The text, every quote marked, the selected one strongest; dragging selects a stretch for Add
/// figure. Returns the character clicked, if any.
fn text_pane(ui: &mut egui::Ui, review: &mut ReviewState, loaded: &Loaded) -> Option<usize> {
    let mut clicked_char = None;
    // The text, every quote marked, the selected one strongest.
    egui::ScrollArea::vertical().id_salt("review-text").auto_shrink([false, false]).show(ui, |ui| {
        let text_colour = ui.visuals().text_color();
        let mut job = egui::text::LayoutJob::default();
        let chars: Vec<char> = loaded.text.text.chars().collect();
        // Each character's look: the reader's selection, then the picked figure's quote,
        // then any quote; runs of one look are appended together.
        #[derive(Clone, Copy, PartialEq)]
        enum Look {
            Plain,
            Quote,
            Picked,
            Selected,
        }
        let mut looks = vec![Look::Plain; chars.len()];
        for (i, r) in loaded.rows.iter().enumerate() {
            let look = if review.selected == Some(i) { Look::Picked } else { Look::Quote };
            for l in &mut looks[r.found.quote_span.0.min(chars.len())..r.found.quote_span.1.min(chars.len())] {
                if *l != Look::Picked {
                    *l = look;
                }
            }
        }
        if let Some((a, b)) = review.selection {
            let (a, b) = (a.min(b).min(chars.len()), a.max(b).min(chars.len()));
            looks[a..b].iter_mut().for_each(|l| *l = Look::Selected);
        }
        let format = |look: Look| match look {
            Look::Plain => egui::TextFormat { color: text_colour, ..Default::default() },
            Look::Quote => egui::TextFormat {
                background: Color32::from_rgb(255, 240, 170),
                color: Color32::BLACK,
                ..Default::default()
            },
            Look::Picked => egui::TextFormat {
                background: Color32::from_rgb(255, 190, 90),
                color: Color32::BLACK,
                ..Default::default()
            },
            Look::Selected => egui::TextFormat {
                background: Color32::from_rgb(150, 200, 255),
                color: Color32::BLACK,
                ..Default::default()
            },
        };
        let mut run_start = 0;
        for k in 1..=chars.len() {
            if k == chars.len() || looks[k] != looks[run_start] {
                job.append(&chars[run_start..k].iter().collect::<String>(), 0.0, format(looks[run_start]));
                run_start = k;
            }
        }
        job.wrap.max_width = ui.available_width();
        let galley = ui.painter().layout_job(job);
        let response = ui.add(egui::Label::new(galley.clone()).selectable(false).sense(egui::Sense::click_and_drag()));
        let char_at = |pos: egui::Pos2| usize::from(galley.cursor_from_pos(pos - response.rect.min).index);
        // Dragging over the text selects it, for Add figure.
        if response.drag_started() {
            if let Some(origin) = ui.input(|i| i.pointer.press_origin()) {
                let at = char_at(origin);
                review.selection = Some((at, at));
            }
        }
        if response.dragged() {
            if let (Some((from, _)), Some(pos)) = (review.selection, response.interact_pointer_pos()) {
                review.selection = Some((from, char_at(pos)));
            }
        }
        if let (true, Some(i)) = (review.scroll_text, review.selected) {
            if let Some(r) = loaded.rows.get(i) {
                let rect = galley.pos_from_cursor(egui::text::CCursor::new(r.found.quote_span.0));
                ui.scroll_to_rect(rect.translate(response.rect.min.to_vec2()), Some(egui::Align::Center));
            }
            review.scroll_text = false;
        }
        if response.clicked() {
            review.selection = None;
            if let Some(pos) = response.interact_pointer_pos() {
                clicked_char = Some(char_at(pos));
            }
        }
    });
    clicked_char
}

/// The figures found, one row each, with the reader's verdict.
fn figures_pane(ui: &mut egui::Ui, review: &mut ReviewState, loaded: &mut Loaded, lang: super::Lang) {
    // The figures.
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 8.0;
    let mut table = TableBuilder::new(ui)
        .id_salt("review-table")
        .striped(true)
        .sense(egui::Sense::click())
        .column(Column::exact(100.0))
        .column(Column::initial(105.0).clip(true).resizable(true))
        .column(Column::initial(90.0).clip(true).resizable(true))
        .column(Column::exact(48.0))
        .column(Column::exact(105.0))
        .column(Column::remainder().at_least(100.0));
    if let (true, Some(i)) = (review.scroll_table, review.selected) {
        table = table.scroll_to_row(i, Some(egui::Align::Center));
        review.scroll_table = false;
    }
    let mut clicked_row = None;
    table
        .header(row_height, |mut h| {
            for t in [
                lang.tr("处理", "Verdict"),
                lang.tr("开发区", "Entity"),
                lang.tr("指标", "Indicator"),
                lang.tr("度量", "Measure"),
                lang.tr("期间", "Period"),
                lang.tr("数值", "Value"),
            ] {
                h.col(|ui| {
                    ui.strong(t);
                });
            }
        })
        .body(|body| {
            body.rows(row_height, loaded.rows.len(), |mut row| {
                let i = row.index();
                row.set_selected(review.selected == Some(i));
                let r = &mut loaded.rows[i];
                row.col(|ui| {
                    ui.horizontal(|ui| {
                        ui.selectable_value(&mut r.verdict, Some(true), lang.tr("接受", "Accept"));
                        ui.selectable_value(&mut r.verdict, Some(false), lang.tr("拒绝", "Reject"));
                    });
                });
                row.col(|ui| {
                    ui.add(egui::TextEdit::singleline(&mut r.entity_edit).desired_width(f32::INFINITY));
                });
                row.col(|ui| {
                    ui.add(egui::TextEdit::singleline(&mut r.indicator_edit).desired_width(f32::INFINITY));
                });
                row.col(|ui| {
                    ui.label(lang.measure(r.found.measure));
                });
                row.col(|ui| {
                    ui.add(egui::TextEdit::singleline(&mut r.period_edit).desired_width(98.0));
                });
                row.col(|ui| {
                    ui.horizontal(|ui| {
                        ui.add(egui::TextEdit::singleline(&mut r.value_edit).desired_width(55.0));
                        ui.label(format!(
                            "{}{}",
                            r.found.unit.written,
                            match r.found.qualifier {
                                Some(crate::model::Qualifier::Over) => lang.tr(" (超)", " (over)"),
                                Some(crate::model::Qualifier::Under) => lang.tr(" (不足)", " (under)"),
                                Some(crate::model::Qualifier::About) => lang.tr(" (约)", " (about)"),
                                None => "",
                            }
                        ));
                    });
                });
                if row.response().clicked() {
                    clicked_row = Some(i);
                }
            });
        });
    if let Some(i) = clicked_row {
        review.selected = Some(i);
        review.scroll_text = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loaded() -> Loaded {
        let text = "2024年,万州经开区实际使用外资620万美元。";
        let gazetteer = crate::extract::rules::Gazetteer::from_dataset(&crate::dataset::Dataset::bundled().unwrap());
        let candidates = crate::extract::rules::extract(text, crate::model::Date::new(2025, 1, 1), &gazetteer);
        Loaded::new(TextForReview {
            name: "t".into(),
            text: text.into(),
            encoding: "UTF-8",
            published: crate::model::Date::new(2025, 1, 1),
            candidates,
        })
    }

    #[test]
    fn edits_are_checked_and_zones_resolved_before_saving() {
        let known = |name: &str| (name == "重庆经开区").then(|| "重庆经济技术开发区".to_string());
        let mut l = loaded();
        l.rows[0].verdict = Some(true);
        l.rows[0].value_edit = "630".into();
        l.rows[0].period_edit = "2024-01/2024-06".into();
        l.rows[0].entity_edit = "重庆经开区".into();
        let saved = l.to_save(known).unwrap();
        let (figure, verdict) = &saved.figures[0];
        assert_eq!(
            (figure.value, figure.period.to_string(), figure.entity.as_str()),
            (630.0, "2024-01/2024-06".to_string(), "重庆经济技术开发区")
        );
        assert_eq!(*verdict, Some(true));
        l.rows[0].entity_edit = "火星经开区".into();
        assert!(l.to_save(known).unwrap_err().contains("火星经开区"));
        l.rows[0].entity_edit = "重庆经开区".into();
        l.rows[0].period_edit = "上半年".into();
        assert!(l.to_save(known).is_err());
        l.rows[0].period_edit = "2024".into();
        l.rows[0].value_edit = "六百".into();
        assert!(l.to_save(known).is_err());
    }
}
