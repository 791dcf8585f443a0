//! The Export dialog (Ctrl+E): a composed figure of the Chart or Ranking tab with a live
//! preview, saved as PNG or SVG, copied to the clipboard, or the view's figures saved as CSV or
//! XLSX; and the dialogs that save a view to a JSON file and open one.
//!
//! The figure is composed on the UI thread (layout only, no files); it is drawn into pixels on
//! a thread of its own, and files are written by the worker, so the window never waits.

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender};

use eframe::egui;

use super::{Lang, Request, Tab, ZonescopeApp};
use crate::figure::{self, ChartKind, Figure, FigureData, FigureSpec, SIZE_PRESETS};
use crate::view::ViewSpec;

/// What the dialog holds while open.
pub struct ExportDialog {
    pub spec: FigureSpec,
    /// Index into `SIZE_PRESETS`; `None` for a custom size.
    pub preset: Option<usize>,
    /// The title as typed; empty keeps the default one.
    pub title: String,
    /// Where files go, and their name without extension.
    pub folder: String,
    pub name: String,
    /// What happened last: saved, copied, failed.
    pub message: Option<String>,
    /// A file that exists and waits for "replace".
    pub confirm: Option<Request>,
    /// The folder browser, while open: the folder shown and its subfolders (`None` until the
    /// worker has listed it).
    pub browser: Option<(PathBuf, Option<Vec<String>>)>,
    /// What the current figure was composed from, so it is composed again only on a change.
    composed_for: Option<(ViewSpec, FigureSpec, u64)>,
    pub figure: Composed,
    preview: Option<egui::TextureHandle>,
    /// The preview asked for (figure generation, pixel width) and the one shown.
    asked: Option<(u64, u32)>,
    shown: Option<(u64, u32)>,
    generation: u64,
}

/// The dialog's figure: being composed (its data not yet read), made, or why it cannot be.
#[derive(Debug, Clone)]
pub enum Composed {
    Waiting,
    Ready(Box<Figure>),
    Failed(String),
}

impl Composed {
    pub fn ready(&self) -> Option<&Figure> {
        match self {
            Composed::Ready(f) => Some(f),
            _ => None,
        }
    }

    pub fn is_ready(&self) -> bool {
        self.ready().is_some()
    }
}

impl ExportDialog {
    /// Whether the preview shows the current figure.
    pub fn preview_is_current(&self) -> bool {
        self.preview.is_some() && self.shown.is_some() && self.shown == self.asked
    }

    fn new(chart: ChartKind, english: bool, folder: PathBuf) -> ExportDialog {
        ExportDialog {
            spec: FigureSpec { chart, lang: if english { Lang::En } else { Lang::Zh }, ..Default::default() },
            preset: Some(0),
            title: String::new(),
            folder: folder.display().to_string(),
            name: String::new(),
            message: None,
            confirm: None,
            browser: None,
            composed_for: None,
            figure: Composed::Waiting,
            preview: None,
            asked: None,
            shown: None,
            generation: 0,
        }
    }

    /// The path of the file of this `extension`, named after the figure's title unless the
    /// reader typed a name.
    pub fn path(&self, extension: &str) -> PathBuf {
        let name = if self.name.trim().is_empty() {
            match self.figure.ready() {
                Some(f) => file_name(&f.title),
                None => "zonescope".to_string(),
            }
        } else {
            self.name.trim().to_string()
        };
        PathBuf::from(self.folder.trim()).join(format!("{name}.{extension}"))
    }
}

/// A title as a file name: characters that no file system takes become dashes.
fn file_name(title: &str) -> String {
    let cleaned: String = title
        .chars()
        .map(|c| if c.is_control() || "/\\:*?\"<>|·".contains(c) || c.is_whitespace() { '-' } else { c })
        .collect();
    let mut out = String::new();
    for part in cleaned.split('-').filter(|p| !p.is_empty()) {
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(part);
    }
    let out: String = out.chars().take(60).collect();
    if out.is_empty() { "zonescope".to_string() } else { out }
}

/// Where files are saved by default: the Documents folder, else home, else here.
fn default_folder() -> PathBuf {
    directories::UserDirs::new()
        .map(|d| d.document_dir().unwrap_or(d.home_dir()).to_path_buf())
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Work for the figure thread.
enum Job {
    /// Draw `figure` `width` pixels wide, for the preview; `id` tells the answer apart.
    Preview { figure: Box<Figure>, width: u32, id: u64 },
    /// Draw `figure` at its full size and put it on the clipboard.
    Copy(Box<Figure>),
}

/// What the figure thread sends back.
pub enum Drawn {
    Preview { image: figure::raster::Image, id: u64, width: u32 },
    Copied(Result<(u32, u32), String>),
    Failed(String),
}

/// The thread that draws figures into pixels: previews, and images for the clipboard. It
/// holds the clipboard too, since on X11 what was copied lives as long as its owner.
pub struct FigureThread {
    jobs: Sender<Job>,
    drawn: Receiver<Drawn>,
}

impl FigureThread {
    pub fn start(ctx: egui::Context) -> FigureThread {
        let (jobs, inbox) = mpsc::channel::<Job>();
        let (outbox, drawn) = mpsc::channel::<Drawn>();
        std::thread::Builder::new()
            .name("zonescope-figures".into())
            .spawn(move || {
                let mut clipboard: Option<arboard::Clipboard> = None;
                while let Ok(mut job) = inbox.recv() {
                    // Only the latest preview matters: skip the ones typing made stale.
                    while let Ok(next) = inbox.try_recv() {
                        if let Job::Copy(figure) = &job {
                            if outbox.send(copy(&mut clipboard, figure)).is_err() {
                                return;
                            }
                            ctx.request_repaint();
                        }
                        job = next;
                    }
                    let reply = match &job {
                        Job::Preview { figure, width, id } => match figure::raster::render(figure, *width) {
                            Ok(image) => Drawn::Preview { image, id: *id, width: *width },
                            Err(e) => Drawn::Failed(e.to_string()),
                        },
                        Job::Copy(figure) => copy(&mut clipboard, figure),
                    };
                    if outbox.send(reply).is_err() {
                        return;
                    }
                    ctx.request_repaint();
                }
            })
            .ok();
        FigureThread { jobs, drawn }
    }

    fn send(&self, job: Job) {
        // Fails only when the thread is gone; the preview then stays as it was.
        let _ = self.jobs.send(job);
    }

    pub fn try_recv(&self) -> Option<Drawn> {
        self.drawn.try_recv().ok()
    }
}

/// Draws `figure` at its full size and puts it on the clipboard.
fn copy(clipboard: &mut Option<arboard::Clipboard>, figure: &Figure) -> Drawn {
    let width = (figure.width * figure.scale as f32).round() as u32;
    let image = match figure::raster::render(figure, width) {
        Ok(image) => image,
        Err(e) => return Drawn::Copied(Err(e.to_string())),
    };
    if clipboard.is_none() {
        match arboard::Clipboard::new() {
            Ok(c) => *clipboard = Some(c),
            Err(e) => return Drawn::Copied(Err(e.to_string())),
        }
    }
    let Some(board) = clipboard.as_mut() else { return Drawn::Copied(Err("no clipboard".into())) };
    let data = arboard::ImageData {
        width: image.width as usize,
        height: image.height as usize,
        bytes: std::borrow::Cow::Owned(image.rgba),
    };
    match board.set_image(data) {
        Ok(()) => Drawn::Copied(Ok((image.width, image.height))),
        Err(e) => Drawn::Copied(Err(e.to_string())),
    }
}

/// The small dialog that saves the view to a JSON file or opens one.
pub struct ViewFileDialog {
    pub saving: bool,
    pub path: String,
    /// The file exists: saving again replaces it.
    pub exists: bool,
}

impl ZonescopeApp {
    /// Opens the Export dialog on the chart of the current tab.
    pub fn open_export(&mut self) {
        if self.export.is_none() {
            let chart = if self.tab == Tab::Ranking { ChartKind::Ranking } else { ChartKind::Line };
            self.export = Some(ExportDialog::new(chart, self.lang == Lang::En, default_folder()));
        }
    }

    /// Opens the dialog that saves the view as a JSON file (`saving`), or the one that opens a
    /// view from a file.
    pub fn open_view_file_dialog(&mut self, saving: bool) {
        let folder = default_folder();
        let path = if saving { folder.join("zonescope-view.json") } else { folder };
        self.view_file = Some(ViewFileDialog { saving, path: path.display().to_string(), exists: false });
    }

    /// Takes what the figure thread drew.
    pub(crate) fn receive_drawn(&mut self, ctx: &egui::Context) {
        while let Some(drawn) = self.figures_thread.try_recv() {
            let Some(dialog) = self.export.as_mut() else { continue };
            match drawn {
                Drawn::Preview { image, id, width } => {
                    let pixels = egui::ColorImage::from_rgba_unmultiplied(
                        [image.width as usize, image.height as usize],
                        &image.rgba,
                    );
                    dialog.preview = Some(ctx.load_texture("figure-preview", pixels, egui::TextureOptions::LINEAR));
                    dialog.shown = Some((id, width));
                }
                Drawn::Copied(Ok((w, h))) => {
                    dialog.message = Some(match self.lang {
                        Lang::Zh => format!("已复制到剪贴板({w}×{h}像素)"),
                        Lang::En => format!("Copied to the clipboard ({w}×{h} pixels)"),
                    });
                }
                Drawn::Copied(Err(e)) => {
                    dialog.message = Some(format!("{}{e}", self.lang.tr("复制失败:", "Could not copy: ")));
                }
                Drawn::Failed(e) => dialog.message = Some(e),
            }
        }
    }

    /// The figure of the current view as the dialog asks, composed again only when view,
    /// settings or figures changed.
    fn compose_for_dialog(&mut self, dark: bool) {
        let view = self.current_view(dark);
        let generation = self.generation;
        let Some(dialog) = self.export.as_ref() else { return };
        let mut spec = dialog.spec.clone();
        spec.title = Some(dialog.title.clone()).filter(|t| !t.trim().is_empty());
        if dialog.composed_for.as_ref() == Some(&(view.clone(), spec.clone(), generation)) {
            return;
        }
        if spec.chart == ChartKind::Ranking && self.ranking_figures().is_none() {
            // Asked of the worker; composed once they arrive. Until then nothing can be saved:
            // the figure shown before was another chart.
            if let Some(dialog) = self.export.as_mut().filter(|d| d.figure.is_ready()) {
                dialog.figure = Composed::Waiting;
                dialog.generation += 1;
            }
            return;
        }
        let ranking = if spec.chart == ChartKind::Ranking { self.ranking.as_ref() } else { None };
        let figure = match &self.registry {
            Some(registry) => {
                let data = FigureData {
                    registry,
                    indicators: &self.indicators,
                    figures: self.figures(),
                    ranking,
                    synthetic: self.info.as_ref().is_some_and(|i| i.synthetic),
                };
                figure::compose(&data, &view, &spec).map_err(|e| e.to_string())
            }
            None => Err(self.lang.tr("数据库尚未打开", "The database is not open yet").to_string()),
        };
        let Some(dialog) = self.export.as_mut() else { return };
        dialog.figure = match figure {
            Ok(f) => Composed::Ready(Box::new(f)),
            Err(e) => Composed::Failed(e),
        };
        dialog.generation += 1;
        // A "replace?" question was about the figure before this one.
        dialog.confirm = None;
        dialog.composed_for = Some((view, spec, generation));
    }
}

/// Draws the Export dialog while it is open.
pub fn export_dialog(app: &mut ZonescopeApp, ctx: &egui::Context, dark: bool) {
    if app.export.is_none() {
        return;
    }
    app.compose_for_dialog(dark);
    let lang = app.lang;
    let view = app.current_view(dark);
    let mut open = true;
    let mut send: Option<Request> = None;
    let mut copy = false;
    let Some(dialog) = app.export.as_mut() else { return };
    egui::Window::new(lang.tr("导出图表", "Export figure"))
        .id(egui::Id::unique("export-dialog"))
        .open(&mut open)
        .default_size([1160.0, 640.0])
        .resizable(true)
        .collapsible(false)
        .show(ctx, |ui| {
            ui.horizontal_top(|ui| {
                ui.vertical(|ui| {
                    ui.set_width(330.0);
                    settings(ui, lang, dialog);
                    ui.separator();
                    let ready = dialog.figure.is_ready();
                    ui.label(lang.tr("保存到文件夹:", "Save to folder:"));
                    ui.horizontal(|ui| {
                        ui.add(egui::TextEdit::singleline(&mut dialog.folder).desired_width(240.0));
                        if ui.button(lang.tr("浏览…", "Browse…")).clicked() {
                            let folder = PathBuf::from(dialog.folder.trim());
                            dialog.browser = Some((folder.clone(), None));
                            send = Some(Request::ListDir(folder));
                        }
                    });
                    if let Some(go) = folder_browser(ui, lang, dialog) {
                        send = Some(Request::ListDir(go));
                    }
                    ui.label(lang.tr("文件名(空:按标题):", "File name (empty: from the title):"));
                    ui.add(egui::TextEdit::singleline(&mut dialog.name).desired_width(320.0));
                    ui.horizontal_wrapped(|ui| {
                        for (label, ext) in [("PNG", "png"), ("SVG", "svg")] {
                            let text = format!("{}{label}", lang.tr("保存 ", "Save "));
                            if ui.add_enabled(ready, egui::Button::new(text)).clicked()
                                && let Some(figure) = dialog.figure.ready()
                            {
                                send = Some(Request::WriteFigure {
                                    figure: Box::new(figure.clone()),
                                    path: dialog.path(ext),
                                    replace: false,
                                });
                            }
                        }
                        copy = ui.add_enabled(ready, egui::Button::new(lang.tr("复制图片", "Copy image"))).clicked();
                    });
                    ui.horizontal_wrapped(|ui| {
                        ui.label(lang.tr("数据及来源:", "Figures and sources:"));
                        for (label, ext) in [("CSV", "csv"), ("XLSX", "xlsx")] {
                            if ui.button(format!("{}{label}", lang.tr("保存 ", "Save "))).clicked() {
                                send = Some(Request::WriteData {
                                    view: view.clone(),
                                    path: dialog.path(ext),
                                    replace: false,
                                });
                            }
                        }
                    });
                    if let Some(request) = confirm_replace(ui, lang, &mut dialog.confirm) {
                        send = Some(request);
                    }
                    if let Some(message) = &dialog.message {
                        ui.label(message);
                    }
                });
                ui.separator();
                ui.vertical(|ui| preview(ui, lang, dialog, &app.figures_thread));
            });
        });
    if copy && let Some(figure) = dialog.figure.ready() {
        app.figures_thread.send(Job::Copy(Box::new(figure.clone())));
        dialog.message = Some(lang.tr("正在复制…", "Copying…").to_string());
    }
    if let Some(request) = send {
        if !matches!(request, Request::ListDir(_)) {
            dialog.confirm = None;
            dialog.message = Some(lang.tr("正在保存…", "Saving…").to_string());
        }
        app.request(request);
    }
    // Escape closes the dialog, unless it is answering a "replace?" question.
    let escaped = ctx.input(|i| i.key_pressed(egui::Key::Escape));
    if !open || (escaped && app.export.as_ref().is_some_and(|d| d.confirm.is_none())) {
        app.export = None;
    }
}

/// The subfolders of the folder being browsed: click one to go in, "up" to go out, "use" to
/// save there. Returns a folder to list next.
/// A write waiting because its file exists: says so, and on "Replace" gives the write again,
/// allowed to replace the file; "Cancel" forgets it.
pub(super) fn confirm_replace(ui: &mut egui::Ui, lang: Lang, confirm: &mut Option<Request>) -> Option<Request> {
    let path = confirm.as_ref()?.written_path()?.to_path_buf();
    ui.colored_label(ui.visuals().warn_fg_color, format!("{} {}", path.display(), lang.tr("已存在。", "exists.")));
    let mut replace = None;
    ui.horizontal(|ui| {
        if ui.button(lang.tr("替换", "Replace")).clicked() {
            replace = confirm.take().map(Request::replacing);
        }
        if ui.button(lang.tr("取消", "Cancel")).clicked() {
            *confirm = None;
        }
    });
    replace
}

fn folder_browser(ui: &mut egui::Ui, lang: Lang, dialog: &mut ExportDialog) -> Option<PathBuf> {
    let (dir, entries) = dialog.browser.clone()?;
    let mut go = None;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(310.0);
        ui.label(egui::RichText::new(dir.display().to_string()).weak());
        ui.horizontal(|ui| {
            if let Some(parent) = dir.parent()
                && ui.button(lang.tr("↑ 上一级", "↑ Up")).clicked()
            {
                go = Some(parent.to_path_buf());
            }
            if ui.button(lang.tr("选用此文件夹", "Use this folder")).clicked() {
                dialog.folder = dir.display().to_string();
                dialog.browser = None;
            }
            if ui.button(lang.tr("关闭", "Close")).clicked() {
                dialog.browser = None;
            }
        });
        egui::ScrollArea::vertical().max_height(180.0).show(ui, |ui| match &entries {
            None => {
                ui.spinner();
            }
            Some(folders) if folders.is_empty() => {
                ui.label(lang.tr("(没有子文件夹)", "(no folders inside)"));
            }
            Some(folders) => {
                for name in folders {
                    if ui.selectable_label(false, format!("{name}/")).clicked() {
                        go = Some(dir.join(name));
                    }
                }
            }
        });
    });
    if let (Some(next), Some(browser)) = (&go, dialog.browser.as_mut()) {
        *browser = (next.clone(), None);
    }
    go
}

/// Chart, size, scale, language, title, credit.
fn settings(ui: &mut egui::Ui, lang: Lang, dialog: &mut ExportDialog) {
    let spec = &mut dialog.spec;
    ui.horizontal(|ui| {
        ui.label(lang.tr("图表:", "Chart:"));
        ui.selectable_value(&mut spec.chart, ChartKind::Line, lang.tr("折线图", "Lines"));
        ui.selectable_value(&mut spec.chart, ChartKind::Ranking, lang.tr("排名", "Ranking"));
    });
    ui.horizontal_wrapped(|ui| {
        ui.label(lang.tr("尺寸:", "Size:"));
        for (i, p) in SIZE_PRESETS.iter().enumerate() {
            let label = format!("{} {}×{}", lang.tr(p.name_zh, p.name_en), p.width, p.height);
            if ui.selectable_label(dialog.preset == Some(i), label).clicked() {
                dialog.preset = Some(i);
                spec.width = p.width;
                spec.height = p.height;
            }
        }
        if ui.selectable_label(dialog.preset.is_none(), lang.tr("自定义", "custom")).clicked() {
            dialog.preset = None;
        }
    });
    if dialog.preset.is_none() {
        ui.horizontal(|ui| {
            let range = figure::SIDE_RANGE;
            ui.add(egui::DragValue::new(&mut spec.width).range(range.clone()).suffix(" px"));
            ui.label("×");
            ui.add(egui::DragValue::new(&mut spec.height).range(range).suffix(" px"));
        });
    }
    ui.horizontal(|ui| {
        ui.label(lang.tr("倍数:", "Scale:"));
        for s in figure::SCALE_RANGE {
            ui.selectable_value(&mut spec.scale, s, format!("{s}×"));
        }
    });
    let (w, h) = spec.pixel_size();
    ui.label(egui::RichText::new(format!("PNG: {w}×{h} {}", lang.tr("像素", "pixels"))).weak());
    ui.horizontal(|ui| {
        ui.label(lang.tr("语言:", "Language:"));
        ui.selectable_value(&mut spec.lang, Lang::Zh, "中文");
        ui.selectable_value(&mut spec.lang, Lang::En, "English");
    });
    ui.label(lang.tr("标题(空:默认标题):", "Title (empty: the default):"));
    let hint = match dialog.figure.ready() {
        Some(f) if dialog.title.trim().is_empty() => f.title.clone(),
        _ => String::new(),
    };
    ui.add(egui::TextEdit::multiline(&mut dialog.title).hint_text(hint).desired_rows(2).desired_width(320.0));
    ui.horizontal(|ui| {
        ui.label(lang.tr("底色:", "Paper:"));
        ui.selectable_value(&mut spec.dark, false, lang.tr("浅色", "light"));
        ui.selectable_value(&mut spec.dark, true, lang.tr("深色", "dark"));
    });
    ui.checkbox(&mut spec.credit, lang.tr("显示 “Zonescope” 署名", "Show the “Zonescope” credit"));
}

/// The figure as it will be saved, drawn to fit the space, or why it cannot be made.
fn preview(ui: &mut egui::Ui, lang: Lang, dialog: &mut ExportDialog, thread: &FigureThread) {
    let figure = match &dialog.figure {
        Composed::Ready(f) => f,
        Composed::Waiting => {
            ui.spinner();
            return;
        }
        Composed::Failed(e) => {
            ui.label(lang.tr("无法生成图表:", "No figure can be made: "));
            ui.colored_label(ui.visuals().warn_fg_color, e);
            return;
        }
    };
    let room = ui.available_size();
    let aspect = figure.height / figure.width;
    // As large as the dialog allows, and never so small that the footer cannot be read.
    let fit = room.x.min((room.y - 40.0).max(100.0) / aspect);
    let width = if aspect <= 1.0 { fit.max(760.0) } else { fit.max(120.0) };
    let size = egui::vec2(width, width * aspect);
    // Drawn at the screen's pixel density, so the preview is sharp; neither side larger than
    // the GPU takes as a texture (a tall custom figure is previewed smaller).
    let max_side = (ui.ctx().input(|i| i.max_texture_side) as f32).min(2400.0);
    let pixels = (width * ui.ctx().pixels_per_point()).round().min(max_side).min(max_side / aspect).max(16.0) as u32;
    let wanted = (dialog.generation, pixels);
    if dialog.asked != Some(wanted) {
        thread.send(Job::Preview { figure: figure.clone(), width: pixels, id: dialog.generation });
        dialog.asked = Some(wanted);
    }
    match &dialog.preview {
        Some(texture) => {
            ui.add(egui::Image::new(texture).fit_to_exact_size(size).alt_text(figure.title.clone()));
        }
        None => {
            ui.allocate_ui(size, |ui| ui.spinner());
        }
    }
    ui.horizontal(|ui| {
        if dialog.shown != Some(wanted) {
            ui.spinner();
        }
        ui.label(
            egui::RichText::new(match lang {
                Lang::Zh => format!("引用 {} 个来源", figure.sources.len()),
                Lang::En => format!("cites {} sources", figure.sources.len()),
            })
            .weak(),
        );
    });
}

/// Draws the dialog that saves the view to a JSON file, or opens one.
pub fn view_file_dialog(app: &mut ZonescopeApp, ctx: &egui::Context, dark: bool) {
    let Some(dialog) = app.view_file.as_mut() else { return };
    let lang = app.lang;
    let mut open = true;
    let mut go = false;
    let title = if dialog.saving {
        lang.tr("保存视图为文件", "Save view as a file")
    } else {
        lang.tr("打开视图文件", "Open a view file")
    };
    egui::Window::new(title).open(&mut open).collapsible(false).resizable(false).show(ctx, |ui| {
        ui.label(lang.tr("路径(JSON):", "Path (JSON):"));
        if ui.add(egui::TextEdit::singleline(&mut dialog.path).desired_width(480.0)).changed() {
            dialog.exists = false;
        }
        if dialog.exists {
            ui.colored_label(ui.visuals().warn_fg_color, lang.tr("文件已存在。", "The file exists."));
        }
        let verb = match (dialog.saving, dialog.exists) {
            (true, true) => lang.tr("替换", "Replace"),
            (true, false) => lang.tr("保存", "Save"),
            (false, _) => lang.tr("打开", "Open"),
        };
        go = ui.button(verb).clicked();
    });
    let (saving, replace, path) = (dialog.saving, dialog.exists, PathBuf::from(dialog.path.trim()));
    if go {
        let request = if saving {
            Request::WriteView { view: app.current_view(dark), path, replace }
        } else {
            Request::ReadView(path)
        };
        app.request(request);
        app.view_file = None;
    } else if !open {
        app.view_file = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_become_file_names_any_system_takes() {
        assert_eq!(
            file_name("全国国家级经开区地区生产总值·总量(2017–2023年)"),
            "全国国家级经开区地区生产总值-总量(2017–2023年)"
        );
        assert_eq!(file_name("GDP: a/b  c?"), "GDP-a-b-c");
        assert_eq!(file_name("///"), "zonescope");
    }
}
