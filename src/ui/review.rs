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
    /// The zone as shown and edited: short names (重庆经开区+万州经开区), which read whole in
    /// a column; the found name is kept unless the reader changes this.
    pub entity_edit: String,
    entity_shown: String,
    pub indicator_edit: String,
}

/// A text under review.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub text: TextForReview,
    pub rows: Vec<ReviewRow>,
    /// Who published the text, when and where, as the reader confirms it.
    pub source: SourceFields,
}

/// A text's source as typed in the review screen: prefilled from what the text's head says,
/// checked on save (a publisher and a date are required).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceFields {
    pub publisher: String,
    pub published: String,
    pub address: String,
}

/// How many figures a save accepted, rejected and left waiting for review.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VerdictCounts {
    pub accepted: usize,
    pub rejected: usize,
    pub waiting: usize,
}

impl VerdictCounts {
    /// "已保存 18 条:接受 15、拒绝 2、待审 1".
    pub fn said(&self, lang: super::Lang) -> String {
        let total = self.accepted + self.rejected + self.waiting;
        match lang {
            super::Lang::Zh => {
                format!("已保存 {total} 条数据:接受 {}、拒绝 {}、待审 {}", self.accepted, self.rejected, self.waiting)
            }
            super::Lang::En => format!(
                "{total} figures stored: {} accepted, {} rejected, {} waiting for review",
                self.accepted, self.rejected, self.waiting
            ),
        }
    }
}

impl ReviewRow {
    fn of(c: &Candidate) -> ReviewRow {
        ReviewRow {
            found: c.clone(),
            verdict: None,
            value_edit: crate::model::format_number(c.value),
            period_edit: c.period.notation().unwrap_or_default(),
            entity_edit: shown_entity(&c.entity),
            entity_shown: shown_entity(&c.entity),
            indicator_edit: c.indicator.clone(),
        }
    }
}

/// A zone's or group's name as the review shows it: each member by its short name.
fn shown_entity(name: &str) -> String {
    let separator = crate::model::GROUP_SEPARATOR.to_string();
    name.split(crate::model::GROUP_SEPARATOR)
        .map(|member| crate::names::short_name(member).unwrap_or_else(|| member.to_string()))
        .collect::<Vec<_>>()
        .join(&separator)
}

impl Loaded {
    /// A text just read: its source prefilled from what its head says.
    pub fn new(text: TextForReview) -> Loaded {
        let source = SourceFields {
            publisher: text.hints.publisher.clone().unwrap_or_default(),
            published: text.published.or(text.hints.published).map(|d| d.to_string()).unwrap_or_default(),
            address: text.hints.address.clone().unwrap_or_default(),
        };
        Loaded::with_source(text, source)
    }

    /// A text read again (with another date): the source as the reader typed it is kept.
    pub fn with_source(text: TextForReview, source: SourceFields) -> Loaded {
        let rows = text.candidates.iter().map(ReviewRow::of).collect();
        Loaded { text, rows, source }
    }

    /// The verdicts given so far.
    pub fn verdict_counts(&self) -> VerdictCounts {
        let mut counts = VerdictCounts::default();
        for r in &self.rows {
            match r.verdict {
                Some(true) => counts.accepted += 1,
                Some(false) => counts.rejected += 1,
                None => counts.waiting += 1,
            }
        }
        counts
    }

    /// The date typed for the source, when it is one.
    pub fn typed_date(&self) -> Option<crate::model::Date> {
        self.source.published.trim().parse().ok()
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

    /// What to store: the source and the figures as edited, each with its verdict. A source
    /// without a publisher or a date is refused (said in the reader's language); an edit that
    /// does not parse, or a zone `resolve` does not know, is an error naming the figure.
    pub fn to_save(&self, resolve: impl Fn(&str) -> Option<String>, lang: super::Lang) -> Result<ReviewToSave, String> {
        let publisher = self.source.publisher.trim();
        if publisher.is_empty() {
            return Err(lang
                .tr(
                    "保存前请填写发布者:谁发布了这篇文本(部门、报社或网站)。",
                    "Fill in the publisher before saving: who published this text (an office, a newspaper, a website).",
                )
                .into());
        }
        let typed = self.source.published.trim();
        let Some(published) = self.typed_date() else {
            return Err(match (lang, typed.is_empty()) {
                (super::Lang::Zh, true) => "保存前请填写发布日期(YYYY-MM-DD)。".into(),
                (super::Lang::En, true) => "Fill in the publication date (YYYY-MM-DD) before saving.".into(),
                (super::Lang::Zh, false) => format!("发布日期应为 YYYY-MM-DD(如 2024-09-25),不是 “{typed}”。"),
                (super::Lang::En, false) => {
                    format!("The publication date must be YYYY-MM-DD (such as 2024-09-25), not “{typed}”.")
                }
            });
        };
        let mut figures = Vec::new();
        for r in &self.rows {
            let mut figure = r.found.clone();
            let quote = &r.found.quote;
            if r.verdict != Some(false) {
                if r.entity_edit.trim() != r.entity_shown {
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
            publisher: publisher.to_string(),
            published,
            address: self.source.address.trim().to_string(),
            figures,
        })
    }
}

/// The review screen's state.
#[derive(Debug, Clone, Default)]
pub struct ReviewState {
    pub path_input: String,
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
    /// The verdicts and the cited source of the save under way, for the message once stored.
    pub saving: Option<(VerdictCounts, String)>,
}

impl ZonescopeApp {
    /// Asks the worker to read a file for review.
    pub fn review_file(&mut self, path: PathBuf) {
        self.apply(super::Command::OpenTab(super::Tab::Review));
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        self.request(Request::ReadText { name, path: Some(path), pasted: None, date: None });
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
            if let Some(parent) = dir.parent()
                && ui.button(lang.tr("↑ 上一级", "↑ Up")).clicked()
            {
                go = Some(parent.to_path_buf());
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
    if let Some(date) = source_fields(ui, &mut loaded, lang) {
        // Read again with the date typed: relative periods (今年, 去年 …) resolve against it.
        app.request(Request::ReadText {
            name: loaded.text.name.clone(),
            path: None,
            pasted: Some(loaded.text.text.clone()),
            date: Some(date),
        });
    }
    let (save, add_figure) = verdict_bar(ui, &mut app.review, &mut loaded, lang);
    // The text on the left, the figures on the right: the figures' columns take what they
    // need and the text the rest, between a quarter and a half of the width.
    let widths = ColumnWidths::fit(ui, &loaded, &figure_headers(lang), lang);
    let room = ui.available_width();
    let text_width = (room - widths.total() - 24.0).clamp(room * 0.25, room * 0.5);
    let clicked_char = egui::Panel::left("review-text-pane")
        .resizable(false)
        .exact_size(text_width)
        .show(ui, |ui| text_pane(ui, &mut app.review, &loaded))
        .inner;
    figures_pane(ui, &mut app.review, &mut loaded, &widths, lang);
    if let Some(c) = clicked_char
        && let Some(i) = loaded.rows.iter().position(|r| r.found.quote_span.0 <= c && c < r.found.quote_span.1)
    {
        app.review.selected = Some(i);
        app.review.scroll_table = true;
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
        match loaded.to_save(resolve, lang) {
            Ok(review) => {
                app.review.message = None;
                let cited = format!("{}, {}", review.publisher, review.published);
                app.review.saving = Some((loaded.verdict_counts(), cited));
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
        ui.label(RichText::new(lang.tr("也可把文件拖入窗口", "or drop a file on the window")).weak());
    });
    ui.collapsing(lang.tr("粘贴文本", "Paste a text"), |ui| {
        ui.add(egui::TextEdit::multiline(&mut app.review.pasted).desired_rows(5).desired_width(f32::INFINITY));
        if ui.button(lang.tr("提取数据", "Find figures")).clicked() && !app.review.pasted.trim().is_empty() {
            let pasted = app.review.pasted.clone();
            app.request(Request::ReadText {
                name: lang.tr("粘贴的文本", "pasted text").into(),
                path: None,
                pasted: Some(pasted),
                date: None,
            });
        }
    });
    file_browser(app, ui);
    if let Some(message) = &app.review.message {
        ui.label(RichText::new(message).color(ui.visuals().warn_fg_color));
    }
}

/// The source of the text: publisher, date and address, prefilled from the text's head and
/// required before saving. Returns a date to read the text again with, when the reader asks.
fn source_fields(ui: &mut egui::Ui, loaded: &mut Loaded, lang: super::Lang) -> Option<crate::model::Date> {
    ui.separator();
    let mut reread = None;
    ui.horizontal_wrapped(|ui| {
        ui.strong(lang.tr("来源", "Source"));
        ui.label(lang.tr("发布者:", "Publisher:"));
        ui.add(
            egui::TextEdit::singleline(&mut loaded.source.publisher)
                .desired_width(220.0)
                .hint_text(lang.tr("如 重庆经开区管委会、新华社", "e.g. 重庆经开区管委会, Xinhua")),
        );
        ui.label(lang.tr("发布日期:", "Published:"));
        ui.add(egui::TextEdit::singleline(&mut loaded.source.published).desired_width(100.0).hint_text("YYYY-MM-DD"));
        ui.label(lang.tr("网址:", "Address:"));
        ui.add(egui::TextEdit::singleline(&mut loaded.source.address).desired_width(280.0).hint_text("https://…"));
        let typed = loaded.typed_date();
        if typed.is_some() && typed != loaded.text.published {
            if ui
                .button(lang.tr("按此日期重新识别", "Read again with this date"))
                .on_hover_text(lang.tr(
                    "今年、去年等相对期间按这个日期解析;已做的核对会清空",
                    "Relative periods (今年, 去年 …) are read against this date; verdicts given are cleared",
                ))
                .clicked()
            {
                reread = typed;
            }
        } else if typed.is_none() && !loaded.source.published.trim().is_empty() {
            ui.label(
                RichText::new(lang.tr("日期应为 YYYY-MM-DD", "the date must be YYYY-MM-DD"))
                    .color(ui.visuals().warn_fg_color),
            );
        }
    });
    let hints = &loaded.text.hints;
    let read: Vec<&str> = [
        (hints.publisher.is_some(), lang.tr("发布者", "publisher")),
        (hints.published.is_some() || loaded.text.published.is_some(), lang.tr("日期", "date")),
        (hints.address.is_some(), lang.tr("网址", "address")),
    ]
    .into_iter()
    .filter_map(|(found, what)| found.then_some(what))
    .collect();
    let note = match (read.is_empty(), lang) {
        (true, super::Lang::Zh) => {
            "文本开头没有写明来源;请填写发布者和发布日期(必填),它们会随每条数据引用。".to_string()
        }
        (true, super::Lang::En) => {
            "The text does not say its source; fill in the publisher and the date (required): every figure cites them."
                .to_string()
        }
        (false, super::Lang::Zh) => {
            format!("{}读自文本开头,请核对;发布者和日期必填,会随每条数据引用。", read.join("、"))
        }
        (false, super::Lang::En) => format!(
            "The {} were read from the text's head: check them. Publisher and date are required; every figure cites them.",
            read.join(", ")
        ),
    };
    ui.label(RichText::new(note).weak());
    reread
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
            lang.tr("相对期间按", "relative periods as of"),
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
        if response.drag_started()
            && let Some(origin) = ui.input(|i| i.pointer.press_origin())
        {
            let at = char_at(origin);
            review.selection = Some((at, at));
        }
        if response.dragged()
            && let (Some((from, _)), Some(pos)) = (review.selection, response.interact_pointer_pos())
        {
            review.selection = Some((from, char_at(pos)));
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

/// The widths a column's entries need, within a floor and a ceiling: a column is as wide as
/// its longest entry, so that zones, indicators and periods are read whole.
fn fitted_width<'a>(ui: &egui::Ui, entries: impl Iterator<Item = &'a str>, floor: f32, ceiling: f32) -> f32 {
    let font = egui::TextStyle::Body.resolve(ui.style());
    // A text box's or button's margins, and the space between columns.
    let padding = 2.0 * ui.spacing().button_padding.x.max(4.0) + ui.spacing().item_spacing.x + 4.0;
    let widest = ui.fonts_mut(|f| {
        entries.map(|e| f.layout_no_wrap(e.to_string(), font.clone(), Color32::WHITE).size().x).fold(0.0, f32::max)
    });
    (widest + padding).clamp(floor, ceiling)
}

/// The qualifier a figure's value carries, as a suffix (超, 不足, 约).
fn qualifier_suffix(q: Option<crate::model::Qualifier>, lang: super::Lang) -> String {
    q.map_or(String::new(), |q| format!(" ({})", q.word(lang == super::Lang::En).trim()))
}

/// The figures found, one row each, with the reader's verdict. Columns fit their entries; the
/// table scrolls sideways when the pane is narrower than they need. The selected figure's row
/// is highlighted, and editing a row selects it (and shows its quote in the text).
/// The figures table's column widths, each fitted to this text's entries.
struct ColumnWidths {
    verdict: f32,
    entity: f32,
    indicator: f32,
    measure: f32,
    period: f32,
    value_edit: f32,
    value: f32,
}

impl ColumnWidths {
    fn fit(ui: &egui::Ui, loaded: &Loaded, headers: &[&str; 6], lang: super::Lang) -> ColumnWidths {
        let verdict =
            fitted_width(ui, [lang.tr("接受", "Accept"), lang.tr("拒绝", "Reject")].into_iter(), 0.0, 200.0) * 2.0;
        let entity =
            fitted_width(ui, loaded.rows.iter().map(|r| r.entity_edit.as_str()).chain([headers[1]]), 90.0, 420.0);
        let indicator =
            fitted_width(ui, loaded.rows.iter().map(|r| r.indicator_edit.as_str()).chain([headers[2]]), 80.0, 300.0);
        let measures: Vec<&str> = loaded.rows.iter().map(|r| lang.measure_short(r.found.measure)).collect();
        let measure = fitted_width(ui, measures.iter().copied().chain([headers[3]]), 40.0, 160.0);
        let period =
            fitted_width(ui, loaded.rows.iter().map(|r| r.period_edit.as_str()).chain([headers[4]]), 70.0, 220.0);
        let value_edit = fitted_width(ui, loaded.rows.iter().map(|r| r.value_edit.as_str()), 50.0, 140.0);
        let units: Vec<String> = loaded
            .rows
            .iter()
            .map(|r| format!("{}{}", r.found.unit.written, qualifier_suffix(r.found.qualifier, lang)))
            .collect();
        let value = value_edit + fitted_width(ui, units.iter().map(String::as_str), 30.0, 160.0);
        ColumnWidths { verdict, entity, indicator, measure, period, value_edit, value }
    }

    fn total(&self) -> f32 {
        self.verdict + self.entity + self.indicator + self.measure + self.period + self.value
    }
}

fn figure_headers(lang: super::Lang) -> [&'static str; 6] {
    [
        lang.tr("处理", "Verdict"),
        lang.tr("开发区", "Entity"),
        lang.tr("指标", "Indicator"),
        lang.tr("度量", "Measure"),
        lang.tr("期间", "Period"),
        lang.tr("数值", "Value"),
    ]
}

fn figures_pane(
    ui: &mut egui::Ui,
    review: &mut ReviewState,
    loaded: &mut Loaded,
    widths: &ColumnWidths,
    lang: super::Lang,
) {
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 8.0;
    let headers = figure_headers(lang);
    let mut clicked_row = None;
    egui::ScrollArea::horizontal().id_salt("review-table-sideways").show(ui, |ui| {
        let mut table = TableBuilder::new(ui)
            .id_salt("review-table")
            .striped(true)
            .sense(egui::Sense::click())
            // Exact widths, fitted to this text's figures: a width dragged for one text would
            // be wrong for the next (and egui keeps dragged widths across texts).
            .column(Column::exact(widths.verdict))
            .column(Column::exact(widths.entity).clip(true))
            .column(Column::exact(widths.indicator).clip(true))
            .column(Column::exact(widths.measure))
            .column(Column::exact(widths.period))
            .column(Column::remainder().at_least(widths.value));
        if let (true, Some(i)) = (review.scroll_table, review.selected) {
            table = table.scroll_to_row(i, Some(egui::Align::Center));
            review.scroll_table = false;
        }
        table
            .header(row_height, |mut h| {
                for t in headers {
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
                    let mut touched = false;
                    row.col(|ui| {
                        ui.horizontal(|ui| {
                            touched |=
                                ui.selectable_value(&mut r.verdict, Some(true), lang.tr("接受", "Accept")).clicked();
                            touched |=
                                ui.selectable_value(&mut r.verdict, Some(false), lang.tr("拒绝", "Reject")).clicked();
                        });
                    });
                    row.col(|ui| {
                        let edit = egui::TextEdit::singleline(&mut r.entity_edit).desired_width(f32::INFINITY);
                        touched |= ui.add(edit).on_hover_text(&r.entity_edit).gained_focus();
                    });
                    row.col(|ui| {
                        let edit = egui::TextEdit::singleline(&mut r.indicator_edit).desired_width(f32::INFINITY);
                        touched |= ui.add(edit).on_hover_text(&r.indicator_edit).gained_focus();
                    });
                    row.col(|ui| {
                        ui.label(lang.measure_short(r.found.measure)).on_hover_text(lang.measure(r.found.measure));
                    });
                    row.col(|ui| {
                        let edit = egui::TextEdit::singleline(&mut r.period_edit).desired_width(f32::INFINITY);
                        touched |= ui.add(edit).gained_focus();
                    });
                    row.col(|ui| {
                        ui.horizontal(|ui| {
                            let edit =
                                egui::TextEdit::singleline(&mut r.value_edit).desired_width(widths.value_edit - 12.0);
                            touched |= ui.add(edit).gained_focus();
                            ui.label(format!("{}{}", r.found.unit.written, qualifier_suffix(r.found.qualifier, lang)));
                        });
                    });
                    if touched || row.response().clicked() {
                        clicked_row = Some(i);
                    }
                });
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
            hints: crate::extract::source::source_hints(text),
        })
    }

    #[test]
    fn a_source_without_publisher_or_date_is_refused_in_the_readers_language() {
        let known = |_: &str| None;
        let mut l = loaded();
        // The date the text was read with is prefilled; nothing names a publisher.
        assert_eq!(l.source.published, "2025-01-01");
        assert!(l.to_save(known, super::super::Lang::Zh).unwrap_err().contains("发布者"));
        assert!(l.to_save(known, super::super::Lang::En).unwrap_err().contains("publisher"));
        l.source.publisher = "万州经开区管委会".into();
        l.source.published = "2025/01/01".into();
        assert!(l.to_save(known, super::super::Lang::Zh).unwrap_err().contains("2025/01/01"));
        l.source.published = " 2025-01-02 ".into();
        let saved = l.to_save(known, super::super::Lang::Zh).unwrap();
        assert_eq!((saved.publisher.as_str(), saved.published.to_string()), ("万州经开区管委会", "2025-01-02".into()));
    }

    #[test]
    fn the_counts_say_each_verdict() {
        let mut l = loaded();
        l.rows[0].verdict = Some(false);
        let counts = l.verdict_counts();
        assert_eq!(counts, VerdictCounts { accepted: 0, rejected: 1, waiting: 0 });
        assert_eq!(counts.said(super::super::Lang::Zh), "已保存 1 条数据:接受 0、拒绝 1、待审 0");
    }

    #[test]
    fn edits_are_checked_and_zones_resolved_before_saving() {
        let known = |name: &str| (name == "重庆经开区").then(|| "重庆经济技术开发区".to_string());
        let mut l = loaded();
        l.source.publisher = "万州经开区管委会".into();
        l.rows[0].verdict = Some(true);
        l.rows[0].value_edit = "630".into();
        l.rows[0].period_edit = "2024-01/2024-06".into();
        l.rows[0].entity_edit = "重庆经开区".into();
        let saved = l.to_save(known, super::super::Lang::Zh).unwrap();
        let (figure, verdict) = &saved.figures[0];
        assert_eq!(
            (figure.value, figure.period.to_string(), figure.entity.as_str()),
            (630.0, "2024-01/2024-06".to_string(), "重庆经济技术开发区")
        );
        assert_eq!(*verdict, Some(true));
        l.rows[0].entity_edit = "火星经开区".into();
        assert!(l.to_save(known, super::super::Lang::Zh).unwrap_err().contains("火星经开区"));
        l.rows[0].entity_edit = "重庆经开区".into();
        l.rows[0].period_edit = "上半年".into();
        assert!(l.to_save(known, super::super::Lang::Zh).is_err());
        l.rows[0].period_edit = "2024".into();
        l.rows[0].value_edit = "六百".into();
        assert!(l.to_save(known, super::super::Lang::Zh).is_err());
    }
}
