//! The window: pick zones and an indicator, compare them in a chart, read the figures in a
//! table, and trace each to its source. The store lives on a worker thread; the UI thread only
//! sends requests and draws what comes back, so it never waits on SQLite.

pub mod command;
pub mod export_dialog;
mod fonts;
pub mod import_dialog;
pub mod review;
mod tabs;
mod worker;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use eframe::egui;

use crate::chart;
use crate::model::{Measure, Period, PeriodShape, RankingFigures};
use crate::present::RankingView;
use crate::registry::{EntityEntry, Registry};
use crate::store::{IndicatorEntry, Info, Observation};
use crate::view::ViewSpec;
pub use command::Command;

pub use fonts::install_fonts;
pub use worker::{Reply, Request, Worker};

/// Opens the window on the database at `path` (built from the bundled data when missing),
/// `size` points wide and high. Without a size, the window opens where and as large as it was
/// last closed (eframe keeps that in the user's data folder, ~/.local/share/zonescope), else
/// 1440×900.
pub fn run(path: PathBuf, size: Option<[f32; 2]>) -> anyhow::Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Zonescope")
            .with_inner_size(size.unwrap_or([1440.0, 900.0]))
            .with_min_inner_size([800.0, 500.0]),
        // A size asked for (screenshots, benchmarks) is neither remembered nor overridden.
        persist_window: size.is_none(),
        ..Default::default()
    };
    eframe::run_native(
        "Zonescope",
        options,
        Box::new(move |cc| {
            install_fonts(&cc.egui_ctx);
            // Light is the default: figures go into slides.
            cc.egui_ctx.set_theme(egui::Theme::Light);
            let mut app = ZonescopeApp::new(cc.egui_ctx.clone(), path);
            app.asked_size = size;
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| anyhow::anyhow!("could not open the window: {e}"))
}

/// What a database's first start shows: the national zones' foreign trade, the longest real
/// series the bundled data has.
const FIRST_VIEW_ENTITY: &str = "全国国家级经开区";
const FIRST_VIEW_INDICATOR: &str = "外贸进出口总额";

/// The zone search box, focused by Ctrl+F.
const SEARCH_ID: &str = "zone-search";

pub use crate::model::Lang;
pub use crate::view::Tab;

/// How the window names entities in a language.
fn naming(lang: Lang) -> crate::registry::Naming {
    match lang {
        Lang::Zh => crate::registry::Naming::Chinese,
        Lang::En => crate::registry::Naming::Both,
    }
}

/// What the selection, indicator and measure give, computed once per change rather than every
/// frame (a selection of 50 zones holds tens of thousands of figures).
pub struct ViewData {
    key: ViewDataKey,
    /// Indicators of the selection: name, entities with data, figures.
    pub coverage: Vec<(String, usize, usize)>,
    /// Measures the chosen indicator has.
    pub measures: Vec<Measure>,
    /// The figures of the chosen indicator and measure (shares: of the whole chosen).
    pub figures: Vec<Observation>,
    /// For shares: the wholes they are of, with how many figures each; and the one shown.
    pub wholes: Vec<(Option<crate::model::ShareOf>, usize)>,
    pub whole: Option<crate::model::ShareOf>,
    pub shapes: Vec<(PeriodShape, usize)>,
}

/// What the view's figures depend on: selection, indicator, measure, the whole of shares asked,
/// and the database generation.
type ViewDataKey = (Vec<i64>, Option<String>, Measure, Option<Option<crate::model::ShareOf>>, u64);

/// What a chart depends on besides the figures.
#[derive(Debug, Clone, PartialEq)]
struct ChartKey {
    view: ViewDataKey,
    shape: PeriodShape,
    lang: Lang,
    unit_scale: Option<usize>,
    transform: chart::Transform,
    /// The index base in months, so that the key compares exactly.
    index_base: Option<i64>,
    rate: Option<chart::CurrencyRate>,
    log_scale: bool,
}

/// What the Table's row order was sorted for: selection, generation, indicator, measure, all
/// indicators, sort column and direction.
type TableOrderKey = (Vec<i64>, u64, Option<String>, Measure, bool, Option<(usize, bool)>);

/// How many changes Ctrl+Z can take back.
const UNDO_STEPS: usize = 100;

/// What a Ranking tab view was built from.
#[derive(Debug, Clone, PartialEq)]
struct RankingViewKey {
    indicator: String,
    measure: Measure,
    period: Option<Period>,
    rate: Option<chart::CurrencyRate>,
    whole: Option<Option<crate::model::ShareOf>>,
    /// The display unit's scale follows the reader's language (亿元; CNY bn).
    english: bool,
}

/// The app's state: what the worker last sent, and what the user picked.
pub struct ZonescopeApp {
    worker: Worker,
    path: PathBuf,
    info: Option<Info>,
    registry: Option<Registry>,
    indicators: Vec<IndicatorEntry>,
    search: String,
    /// Hide the many catalog zones that have no figures yet.
    only_with_figures: bool,
    /// The entities being compared, in the order picked.
    selected: Vec<i64>,
    /// Figures of the selected entities, by selection, as the worker sent them.
    cache: HashMap<Vec<i64>, Vec<Observation>>,
    /// Views before the changes made (latest last), and views undone, for Ctrl+Z and
    /// Ctrl+Shift+Z.
    undo: Vec<ViewSpec>,
    redo: Vec<ViewSpec>,
    /// The language the reader chose before the database was open.
    lang_while_loading: Option<Lang>,
    /// Whether the window is dark, as of the last frame (a view names its theme).
    dark: bool,
    /// The selections in `cache`, oldest first.
    cache_order: Vec<Vec<i64>>,
    /// What the Ranking tab and a ranking figure show, as the worker sent it: one indicator,
    /// measure and period at a time, so that memory stays bounded on the largest databases.
    ranking: Option<RankingFigures>,
    /// The ranking asked of the worker and not yet answered.
    ranking_asked: Option<(String, Measure, Option<Period>)>,
    /// The Ranking tab's view, built once per change of its figures, period or rate: never per
    /// frame (a frame with 2,000 bars must stay cheap).
    ranking_view: Option<(RankingViewKey, Option<std::sync::Arc<RankingView>>)>,
    /// The height each zone's row in the list took when last drawn: rows out of sight are
    /// skipped at that height, so a list of thousands of zones costs what the rows in sight cost.
    row_heights: HashMap<i64, f32>,
    /// The same for the figures of the Sources tab, by observation.
    row_heights_sources: HashMap<i64, f32>,
    /// The selection's figures grouped by source (indices into `figures()`), for the Sources
    /// tab: computed once per selection and generation.
    by_source: Option<((Vec<i64>, u64), std::sync::Arc<Vec<Vec<usize>>>)>,
    table_order: Option<(TableOrderKey, std::sync::Arc<Vec<usize>>)>,
    /// The period the Ranking tab ranks.
    ranking_period: Option<Period>,
    indicator: Option<String>,
    measure: Measure,
    shape: Option<PeriodShape>,
    tab: Tab,
    lang: Lang,
    /// The Table shows every indicator of the selection, not just the chosen one.
    table_all_indicators: bool,
    /// A money scale the reader chose for the chart (index into `chart::MONEY_SCALES`);
    /// `None` picks the usual one.
    pub(crate) unit_scale: Option<usize>,
    /// How levels are shown: as published, as computed growth, or as an index.
    pub(crate) transform: chart::Transform,
    /// The period an index is 100 at (axis position); `None` picks the first common one.
    pub(crate) index_base: Option<f64>,
    /// Full texts of sources, by key (`None`: the source's text is not stored).
    pub(crate) source_texts: HashMap<String, Option<String>>,
    /// Convert dollars to yuan at `rate_input` (only when it is complete).
    pub(crate) rate_enabled: bool,
    pub(crate) rate_input: chart::CurrencyRate,
    /// The Table compares two periods instead of listing figures.
    pub(crate) table_compare: bool,
    /// For shares: the whole picked (`Some(None)`: shares whose text does not say); `None`
    /// shows the whole most figures are of.
    share_of: Option<Option<crate::model::ShareOf>>,
    /// Levels on a logarithmic axis.
    pub(crate) log_scale: bool,
    /// A window size given on the command line, applied on the first frame.
    asked_size: Option<[f32; 2]>,
    /// The first start's hint of what to do next, shown until the reader acts or dismisses it.
    first_start_hint: bool,
    pub(crate) compare_start: Option<Period>,
    pub(crate) compare_end: Option<Period>,
    /// Rows of the Table the reader selected (observation ids), for copying.
    pub(crate) table_rows: HashSet<i64>,
    /// The Table's sort: column and whether descending.
    table_sort: Option<(usize, bool)>,
    /// An observation whose source the Sources tab shows, its quote highlighted.
    focused: Option<i64>,
    /// The Sources tab still has to scroll the focused figure into view (once, so that the
    /// reader can scroll away afterwards).
    scroll_to_focused: bool,
    /// Saved views, by name, as the database has them.
    views: Vec<(String, Result<ViewSpec, String>)>,
    /// The view last written as "last view", so that it is written only when it changes.
    remembered: Option<ViewSpec>,
    /// The name typed in the "save view" dialog, while it is open.
    save_dialog: Option<String>,
    /// A saved view being renamed, and the new name typed so far.
    rename_dialog: Option<(String, String)>,
    /// A theme to apply at the next frame (views carry one; the context is not at hand when
    /// they are applied).
    theme_to_apply: Option<egui::Theme>,
    /// The review screen.
    pub(crate) review: review::ReviewState,
    /// The years the chart shows after the reader zoomed or panned; `None` fits the data.
    pub(crate) chart_x_range: Option<[f64; 2]>,
    /// A range from a view being opened, to set on the chart at its next frame.
    pub(crate) pending_x_range: Option<[f64; 2]>,
    /// The selection the chart's plot was drawn for (its zoom belongs to it).
    pub(crate) chart_plot_key: Option<u64>,
    /// Counts replies that change figures, so that cached computations know they are stale.
    generation: u64,
    view_data: Option<ViewData>,
    /// The chart of the current view, computed once per change, and what it was computed for.
    pub(crate) chart_model: Option<chart::LineChart>,
    chart_key: Option<ChartKey>,
    /// Requests out whose answers are not back yet.
    pending: usize,
    error: Option<String>,
    /// What the last finished file operation did, for the status bar.
    notice: Option<String>,
    /// An imported source the reader asked to remove, waiting for the confirmation.
    pub removing_source: Option<String>,
    title_set: bool,
    /// The Export dialog, while open.
    pub(crate) export: Option<export_dialog::ExportDialog>,
    /// The dialog that saves or opens a view file, while open.
    pub(crate) view_file: Option<export_dialog::ViewFileDialog>,
    /// File → Import table…, while open.
    pub(crate) import: Option<import_dialog::ImportDialog>,
    /// Draws figures into pixels for the preview and the clipboard.
    figures_thread: export_dialog::FigureThread,
    /// The last file write asked for, to ask again with "replace" when the file exists.
    pending_write: Option<Request>,
}

impl ZonescopeApp {
    pub fn new(ctx: egui::Context, path: PathBuf) -> ZonescopeApp {
        let figures_thread = export_dialog::FigureThread::start(ctx.clone());
        let worker = Worker::start(path.clone(), ctx);
        worker.send(Request::Open);
        ZonescopeApp {
            worker,
            path,
            info: None,
            registry: None,
            indicators: Vec::new(),
            search: String::new(),
            only_with_figures: true,
            selected: Vec::new(),
            cache: HashMap::new(),
            cache_order: Vec::new(),
            undo: Vec::new(),
            redo: Vec::new(),
            dark: false,
            lang_while_loading: None,
            ranking: None,
            ranking_asked: None,
            ranking_view: None,
            row_heights: HashMap::new(),
            row_heights_sources: HashMap::new(),
            by_source: None,
            table_order: None,
            ranking_period: None,
            indicator: None,
            measure: Measure::Value,
            shape: None,
            tab: Tab::Table,
            lang: Lang::Zh,
            // The Table follows the indicator picker, like the Chart; all indicators on request.
            table_all_indicators: false,
            table_sort: None,
            table_compare: false,
            share_of: None,
            log_scale: false,
            asked_size: None,
            first_start_hint: false,
            rate_enabled: false,
            rate_input: chart::CurrencyRate { cny_per_usd: 0.0, basis: String::new(), source: String::new() },
            source_texts: HashMap::new(),
            compare_start: None,
            compare_end: None,
            table_rows: HashSet::new(),
            unit_scale: None,
            transform: chart::Transform::Level,
            index_base: None,
            focused: None,
            scroll_to_focused: false,
            views: Vec::new(),
            remembered: None,
            save_dialog: None,
            rename_dialog: None,
            theme_to_apply: None,
            review: review::ReviewState::default(),
            chart_x_range: None,
            pending_x_range: None,
            chart_plot_key: None,
            generation: 0,
            view_data: None,
            chart_model: None,
            chart_key: None,
            pending: 1,
            error: None,
            notice: None,
            import: None,
            removing_source: None,
            title_set: false,
            export: None,
            view_file: None,
            figures_thread,
            pending_write: None,
        }
    }

    /// Whether a request to the worker is still out.
    pub fn is_busy(&self) -> bool {
        self.pending > 0 || self.import.as_ref().is_some_and(|d| d.preview_due.is_some())
    }

    /// The figures behind the current selection (all indicators), for tests.
    pub fn figures(&self) -> &[Observation] {
        self.cache.get(&self.selected).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn tab(&self) -> Tab {
        self.tab
    }

    /// Keeps the figures of a selection, forgetting the oldest others beyond a bound, so that
    /// picking through zones of a large database does not grow the window without end.
    fn keep_figures(&mut self, entities: Vec<i64>, figures: Vec<Observation>) {
        const KEPT_FIGURES: usize = 50_000;
        self.cache.remove(&entities);
        self.cache_order.retain(|k| *k != entities);
        self.cache_order.push(entities.clone());
        self.cache.insert(entities, figures);
        let mut held: usize = self.cache.values().map(Vec::len).sum();
        while held > KEPT_FIGURES && self.cache_order.len() > 1 {
            let oldest = self.cache_order.remove(0);
            if oldest == self.selected {
                self.cache_order.push(oldest);
                continue;
            }
            held -= self.cache.remove(&oldest).map_or(0, |f| f.len());
        }
    }

    /// The order of the Table's rows (indices into the figures it shows), sorted once per
    /// change of selection, figures or sort, never per frame.
    fn table_order(&mut self, all_indicators: bool, sort: Option<(usize, bool)>) -> std::sync::Arc<Vec<usize>> {
        self.view_data();
        let key = (self.selected.clone(), self.generation, self.indicator.clone(), self.measure, all_indicators, sort);
        if let Some((k, order)) = &self.table_order
            && *k == key
        {
            return order.clone();
        }
        let source: &[Observation] = match (&self.view_data, all_indicators) {
            (Some(d), false) => &d.figures,
            _ => self.figures(),
        };
        let mut order: Vec<usize> = (0..source.len()).collect();
        if let Some((column, descending)) = sort {
            order.sort_by(|&a, &b| {
                let by = tabs::compare_by_column(column, &source[a], &source[b]);
                if descending { by.reverse() } else { by }
            });
        }
        let order = std::sync::Arc::new(order);
        self.table_order = Some((key, order.clone()));
        order
    }

    /// The selection's figures grouped by source, in order of first appearance.
    fn figures_by_source(&mut self) -> std::sync::Arc<Vec<Vec<usize>>> {
        let key = (self.selected.clone(), self.generation);
        if let Some((k, groups)) = &self.by_source
            && *k == key
        {
            return groups.clone();
        }
        let mut groups: Vec<Vec<usize>> = Vec::new();
        let mut group_of: HashMap<&str, usize> = HashMap::new();
        for (i, o) in self.figures().iter().enumerate() {
            let g = *group_of.entry(&*o.source_id).or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
            groups[g].push(i);
        }
        let groups = std::sync::Arc::new(groups);
        self.by_source = Some((key, groups.clone()));
        groups
    }

    /// Whether the database is open and the zone list shown.
    pub fn is_ready(&self) -> bool {
        self.registry.is_some()
    }

    /// The entities the Ranking tab last ranked, best first, for tests.
    pub fn ranked_order(&self) -> Vec<String> {
        let view = self.ranking_view.as_ref().and_then(|(_, v)| v.as_ref());
        view.map(|v| v.order().into_iter().map(str::to_string).collect()).unwrap_or_default()
    }

    /// How many entities the Ranking tab last ranked, for tests and benchmarks.
    pub fn ranked_entities(&self) -> Option<usize> {
        self.ranking_view.as_ref()?.1.as_ref().map(|v| v.ranking.bars.len())
    }

    /// Takes in whatever the worker has answered since the last frame.
    fn receive(&mut self) {
        while let Some(reply) = self.worker.try_recv() {
            if let Reply::Storing { done, total } = reply {
                if let Some(dialog) = self.import.as_mut() {
                    dialog.stored = Some((done, total));
                }
                continue;
            }
            self.pending = self.pending.saturating_sub(1);
            // A request that succeeded clears the last failure from the status bar.
            if !matches!(reply, Reply::Failed { .. }) {
                self.error = None;
            }
            match reply {
                Reply::Opened { info, registry, indicators, views, last_view } => {
                    self.info = Some(info);
                    self.indicators = indicators;
                    self.registry = Some(registry);
                    self.views = views;
                    self.error = None;
                    self.title_set = false;
                    // Opening is not a change to undo: the view is shown, not applied.
                    match last_view {
                        Some(spec) => {
                            self.open_view(&spec);
                            self.remembered = Some(spec);
                        }
                        None => self.open_first_view(),
                    }
                    if let Some(lang) = self.lang_while_loading.take() {
                        self.lang = lang;
                    }
                }
                Reply::Views(views) => self.views = views,
                Reply::DirListing { dir, entries } => match self.export.as_mut() {
                    // The Export dialog's folder browser asked: it shows folders only.
                    Some(dialog) if dialog.browser.as_ref().is_some_and(|(d, _)| *d == dir) => {
                        let folders = entries.into_iter().filter(|(_, is_dir)| *is_dir).map(|(n, _)| n).collect();
                        dialog.browser = Some((dir, Some(folders)));
                    }
                    _ => self.review.browser = Some((dir, entries)),
                },
                Reply::TableListing { dir, entries } => {
                    if let Some(dialog) = self.import.as_mut() {
                        dialog.browser = Some((dir, Some(entries)));
                    }
                }
                Reply::TextRead(text) => {
                    self.review.message = None;
                    self.review.selected = None;
                    // The same text read again (with another date) keeps the source typed for it.
                    let typed = self.review.loaded.take().filter(|l| l.text.text == text.text).map(|l| l.source);
                    self.review.loaded = Some(match typed {
                        Some(source) => review::Loaded::with_source(*text, source),
                        None => review::Loaded::new(*text),
                    });
                    self.apply(Command::OpenTab(Tab::Review));
                }
                Reply::ReviewSaved(outcome) => {
                    self.review.message = Some(if outcome.already_stored {
                        self.lang
                            .tr(
                                "这篇文本已经保存过,未重复添加。",
                                "This text was stored before; nothing was added again.",
                            )
                            .to_string()
                    } else {
                        match self.review.saving.take() {
                            Some((counts, cited)) => {
                                format!("{} ({} {cited})", counts.said(self.lang), self.lang.tr("来源:", "source:"))
                            }
                            None => format!("{} {}", outcome.added, self.lang.tr("条数据已保存", "figures stored")),
                        }
                    });
                    self.review.loaded = None;
                    self.reload_after_write();
                }
                Reply::TablePreview { path, mapping, preview } => {
                    if let Some(dialog) = self.import.as_mut() {
                        dialog.take_preview(path, *mapping, preview);
                    }
                }
                // Taken above, before the count of answers.
                Reply::Storing { .. } => {}
                Reply::TableImported { path, outcome, key } => {
                    let message = match (self.lang, outcome.already_imported) {
                        (Lang::Zh, true) => format!("{}:这张表已按同一映射导入过,未重复添加。", path.display()),
                        (Lang::En, true) => {
                            format!("{}: imported before with this mapping; nothing added.", path.display())
                        }
                        (Lang::Zh, false) => format!("已导入 {} 条数据,来源 {key}。", outcome.added),
                        (Lang::En, false) => format!("Imported {} figures as source {key}.", outcome.added),
                    };
                    if let Some(dialog) = self.import.as_mut() {
                        dialog.importing = false;
                        dialog.stored = None;
                        dialog.message = Some(message.clone());
                    }
                    self.notice = Some(message);
                    self.reload_after_write();
                }
                Reply::MappingRead { path, mapping } => {
                    if let Some(dialog) = self.import.as_mut() {
                        dialog.header_rows = mapping.header_rows.map(|n| n.to_string()).unwrap_or_default();
                        dialog.zone_column = mapping.zone_column.clone().unwrap_or_default();
                        dialog.mapping = *mapping;
                        dialog.message =
                            Some(format!("{} {}", self.lang.tr("已读取映射:", "Mapping read:"), path.display()));
                    }
                }
                Reply::SourceRemoved { key, figures } => {
                    self.notice = Some(match self.lang {
                        Lang::Zh => format!("已删除来源 {key} 及其 {figures} 条数据。"),
                        Lang::En => format!("Removed source {key} and its {figures} figures."),
                    });
                    self.removing_source = None;
                    self.reload_after_write();
                }
                Reply::SourceText { key, text } => {
                    self.source_texts.insert(key, text);
                }
                Reply::Figures { entities, figures, unreadable } => {
                    if let Some(first) = unreadable.first() {
                        let n: usize = unreadable.iter().map(|u| u.figures).sum();
                        self.notice = Some(match self.lang {
                            Lang::Zh => format!("{n} 条存储的数据无法读取,已略去:{first}"),
                            Lang::En => format!("{n} stored figures could not be read and are left out: {first}"),
                        });
                    }
                    self.generation += 1;
                    self.keep_figures(entities, figures);
                    self.choose_defaults();
                }
                Reply::Ranking(ranking) => {
                    self.ranking = Some(ranking);
                    self.ranking_asked = None;
                    self.ranking_view = None;
                }
                Reply::Written { path, figures } => {
                    let message = match (self.lang, figures) {
                        (Lang::Zh, Some(n)) => format!("已保存 {n} 条数据及来源:{}", path.display()),
                        (Lang::En, Some(n)) => format!("Saved {n} figures with their sources: {}", path.display()),
                        (Lang::Zh, None) => format!("已保存:{}", path.display()),
                        (Lang::En, None) => format!("Saved: {}", path.display()),
                    };
                    if let Some(dialog) = self.export.as_mut() {
                        dialog.message = Some(message.clone());
                    }
                    if let Some(dialog) = self.import.as_mut() {
                        dialog.message = Some(message.clone());
                    }
                    self.pending_write = None;
                    self.notice = Some(message);
                }
                Reply::Exists(path) => match self.pending_write.take() {
                    Some(Request::WriteView { .. }) => {
                        self.view_file = Some(export_dialog::ViewFileDialog {
                            saving: true,
                            path: path.display().to_string(),
                            exists: true,
                        });
                    }
                    Some(request @ Request::WriteMapping { .. }) => {
                        if let Some(dialog) = self.import.as_mut() {
                            dialog.message = None;
                            dialog.confirm = Some(request);
                        }
                    }
                    Some(request) => {
                        if let Some(dialog) = self.export.as_mut() {
                            dialog.message = None;
                            dialog.confirm = Some(request);
                        }
                    }
                    None => {}
                },
                Reply::ViewRead { path, view } => {
                    self.apply_view(&view);
                    self.notice = Some(format!("{}{}", self.lang.tr("已打开视图:", "Opened view: "), path.display()));
                }
                Reply::Failed { asked, message } => {
                    let write = if asked == worker::Asked::Write { self.pending_write.take() } else { None };
                    let mapping = matches!(write, Some(Request::WriteMapping { .. }));
                    if let (worker::Asked::Table, Some(dialog)) = (asked, self.import.as_mut()) {
                        dialog.importing = false;
                        dialog.stored = None;
                        dialog.message = Some(message.clone());
                    }
                    if let (true, Some(dialog)) = (mapping, self.import.as_mut()) {
                        dialog.message = Some(message.clone());
                    }
                    // Told where it was asked, too: in the Export dialog.
                    if let (false, Some(dialog)) = (mapping, self.export.as_mut()) {
                        match asked {
                            worker::Asked::Write => dialog.message = Some(message.clone()),
                            worker::Asked::Ranking if matches!(dialog.figure, export_dialog::Composed::Waiting) => {
                                dialog.figure = export_dialog::Composed::Failed(message.clone());
                            }
                            worker::Asked::Folder if matches!(dialog.browser, Some((_, None))) => {
                                dialog.browser = None;
                                dialog.message = Some(message.clone());
                            }
                            _ => {}
                        }
                    }
                    self.error = Some(message);
                }
            }
        }
    }

    /// Sends a request, counting it when an answer will come.
    fn request(&mut self, request: Request) {
        if request.written_path().is_some() {
            self.pending_write = Some(request.clone());
            self.notice = None;
        }
        if request.expects_reply() {
            self.pending += 1;
        }
        self.worker.send(request);
    }

    /// What the window shows, as a view that can be saved.
    pub fn current_view(&self, dark: bool) -> ViewSpec {
        let entities =
            self.selected.iter().filter_map(|id| self.registry.as_ref()?.get(*id).map(|e| e.name.clone())).collect();
        ViewSpec {
            entities,
            indicator: self.indicator.clone(),
            measure: Some(self.measure),
            period_shape: self.shape,
            transform: Some(self.transform),
            rate: self.rate(),
            unit_scale: self.unit_scale,
            index_base: self.index_base,
            ranking_period: self.ranking_period.map(|p| p.to_string()),
            share_of: self.share_of.map(|w| crate::model::ShareOf::view_name(w).to_string()),
            log_scale: self.log_scale.then_some(true),
            x_range: self.chart_x_range,
            tab: Some(self.tab),
            lang: Some(self.lang),
            theme: Some(if dark { crate::view::Theme::Dark } else { crate::view::Theme::Light }),
        }
    }

    /// Opens `spec` as the window's view (tests and benchmarks use this as a user opens a view).
    pub fn apply_view(&mut self, spec: &ViewSpec) {
        self.apply(Command::OpenView(Box::new(spec.clone())));
    }

    /// The one place the view's state changes: each command, and what follows from it. A
    /// change of what is compared (zones, indicator, measure, shape, transform) can be undone.
    pub fn apply(&mut self, command: Command) {
        if command.can_be_undone() && self.registry.is_some() {
            let before = self.current_view(self.dark);
            if self.undo.last() != Some(&before) {
                self.undo.push(before);
                if self.undo.len() > UNDO_STEPS {
                    self.undo.remove(0);
                }
            }
            self.redo.clear();
        }
        // The first start's hint has done its work once the reader changes what is compared.
        if command.can_be_undone() {
            self.first_start_hint = false;
        }
        match command {
            Command::ToggleEntity(id) => self.toggle(id),
            Command::PickIndicator(name) => {
                self.indicator = Some(name);
                self.choose_defaults();
            }
            Command::PickMeasure(m) => {
                self.measure = m;
                self.choose_defaults();
            }
            Command::PickShape(shape) => self.shape = Some(shape),
            Command::PickWhole(whole) => self.share_of = Some(whole),
            Command::SetLogScale(on) => self.log_scale = on,
            Command::SetTransform(t) => self.transform = t,
            Command::SetIndexBase(base) => self.index_base = base,
            Command::SetRate { enabled, rate } => {
                self.rate_enabled = enabled;
                self.rate_input = rate;
            }
            Command::SetUnitScale(scale) => self.unit_scale = scale.filter(|i| *i < chart::MONEY_SCALES.len()),
            Command::SetXRange(range) => self.chart_x_range = range,
            Command::PickRankingPeriod(p) => self.ranking_period = Some(p),
            Command::CompareTwoPeriods(on) => self.table_compare = on,
            Command::ShowAllIndicators(on) => self.table_all_indicators = on,
            Command::SortTable(sort) => self.table_sort = sort,
            Command::PickComparedPeriods { start, end } => {
                self.compare_start = Some(start);
                self.compare_end = Some(end);
            }
            Command::ShowSourceOf(id) => {
                self.focused = Some(id);
                self.scroll_to_focused = true;
                self.tab = Tab::Sources;
            }
            Command::OpenTab(tab) => self.tab = tab,
            Command::SetLang(lang) => {
                self.lang = lang;
                // Chosen while the database opens: the remembered view must not take it back.
                if self.registry.is_none() {
                    self.lang_while_loading = Some(lang);
                }
            }
            Command::OpenView(spec) => self.open_view(&spec),
        }
    }

    /// Shows `spec`: its entities (those this database knows), indicator, measure, shape, tab,
    /// language and theme.
    /// Goes back to the view before the last change of what is compared (Ctrl+Z).
    pub fn undo(&mut self) {
        if let Some(before) = self.undo.pop() {
            self.redo.push(self.current_view(self.dark));
            self.open_view(&self.where_one_looks(before));
        }
    }

    /// Makes again the change undone last (Ctrl+Shift+Z).
    pub fn redo(&mut self) {
        if let Some(after) = self.redo.pop() {
            self.undo.push(self.current_view(self.dark));
            self.open_view(&self.where_one_looks(after));
        }
    }

    /// `view` on the tab, in the language and theme of now: undoing changes what is compared,
    /// not where one looks.
    fn where_one_looks(&self, view: ViewSpec) -> ViewSpec {
        let now = self.current_view(self.dark);
        ViewSpec { tab: now.tab, lang: now.lang, theme: now.theme, ..view }
    }

    fn open_view(&mut self, spec: &ViewSpec) {
        let Some(registry) = &self.registry else { return };
        // A name this database does not know is said, and the rest of the view still opens.
        let (known, unknown): (Vec<&String>, Vec<&String>) =
            spec.entities.iter().partition(|name| registry.resolve(name).is_ok());
        let known: Vec<String> = known.into_iter().cloned().collect();
        self.selected = registry.resolve_ids(&known).unwrap_or_default();
        self.selected.dedup();
        if !unknown.is_empty() {
            let names: Vec<&str> = unknown.iter().map(|n| n.as_str()).collect();
            self.notice =
                Some(format!("{} {}", self.lang.tr("此数据库中没有:", "Not in this database:"), names.join("、")));
        }
        self.indicator = spec.indicator.clone();
        self.measure = spec.measure.unwrap_or(Measure::Value);
        self.shape = spec.period_shape;
        self.transform = spec.transform.unwrap_or_default();
        self.unit_scale = spec.unit_scale.filter(|i| *i < chart::MONEY_SCALES.len());
        self.index_base = spec.index_base;
        self.ranking_period = spec.ranking_period.as_deref().and_then(|p| p.parse().ok());
        self.share_of = spec.asked_whole();
        self.log_scale = spec.log_scale.unwrap_or(false);
        self.chart_x_range = spec.x_range;
        self.pending_x_range = spec.x_range;
        self.rate_enabled = spec.rate.is_some();
        if let Some(rate) = &spec.rate {
            self.rate_input = rate.clone();
        }
        self.tab = spec.tab.unwrap_or(Tab::Table);
        self.lang = spec.lang.unwrap_or(Lang::Zh);
        self.theme_to_apply = Some(match spec.theme {
            Some(crate::view::Theme::Dark) => egui::Theme::Dark,
            _ => egui::Theme::Light,
        });
        self.focused = None;
        if !self.selected.is_empty() && !self.cache.contains_key(&self.selected) {
            self.request(Request::Figures(self.selected.clone()));
        }
        self.choose_defaults();
    }

    /// A database's first start: the national zones' foreign trade over the years on the
    /// Chart, with a hint of what to do next. A database without them (a synthetic one) opens
    /// on the Chart with the hint alone.
    fn open_first_view(&mut self) {
        let Some(registry) = &self.registry else { return };
        let lang = self.lang_while_loading.unwrap_or(self.lang);
        let mut spec = ViewSpec { tab: Some(Tab::Chart), lang: Some(lang), ..Default::default() };
        if registry.resolve(FIRST_VIEW_ENTITY).is_ok() && self.indicators.iter().any(|i| i.name == FIRST_VIEW_INDICATOR)
        {
            spec.entities = vec![FIRST_VIEW_ENTITY.into()];
            spec.indicator = Some(FIRST_VIEW_INDICATOR.into());
            spec.measure = Some(Measure::Value);
            spec.period_shape = Some(PeriodShape::Year);
        }
        self.open_view(&spec);
        self.first_start_hint = true;
    }

    /// The first start's hint, with a button to put it away.
    fn show_first_start_hint(&mut self, ui: &mut egui::Ui) {
        if !self.first_start_hint {
            return;
        }
        let lang = self.lang;
        let mut dismiss = false;
        egui::Frame::group(ui.style()).fill(ui.visuals().faint_bg_color).show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                let what = if self.selected.is_empty() {
                    lang.tr("从左侧点选开发区加入对比", "Pick zones on the left to compare them")
                } else {
                    lang.tr(
                        "图为全国国家级经开区历年外贸进出口总额。从左侧点选开发区加入对比",
                        "The national ETDZs' foreign trade over the years. Pick zones on the left to compare",
                    )
                };
                ui.label(format!(
                    "{what}{}",
                    lang.tr(
                        "(Ctrl+F 搜索),在上方换指标和度量;点图中的点可查看数据出处。",
                        " (Ctrl+F searches); change the indicator and measure above; click a point to see its source."
                    )
                ));
                dismiss = ui.small_button(lang.tr("知道了", "Got it")).clicked();
            });
        });
        if dismiss {
            self.first_start_hint = false;
        }
    }

    /// The full text of source `key`: asked of the worker the first time; `None` until it
    /// answers, `Some(None)` when the source has no stored text.
    pub(crate) fn source_text(&mut self, key: &str) -> Option<Option<&str>> {
        if !self.source_texts.contains_key(key) {
            self.source_texts.insert(key.to_string(), None);
            self.request(Request::SourceText(key.to_string()));
            return None;
        }
        self.source_texts.get(key).map(|t| t.as_deref())
    }

    /// The conversion rate in force: enabled, positive, and saying what it is.
    /// A rate is used only once it says what it is and where it comes from, as a saved view
    /// must (`ViewSpec::check`).
    pub fn rate(&self) -> Option<chart::CurrencyRate> {
        let r = &self.rate_input;
        let view = ViewSpec { rate: Some(r.clone()), ..Default::default() };
        (self.rate_enabled && view.check().is_ok()).then(|| r.clone())
    }

    /// The Export dialog, while open (tests set its folder).
    pub fn export_dialog_mut(&mut self) -> Option<&mut export_dialog::ExportDialog> {
        self.export.as_mut()
    }

    /// The view-file dialog, while open (tests set its path).
    pub fn view_file_dialog_mut(&mut self) -> Option<&mut export_dialog::ViewFileDialog> {
        self.view_file.as_mut()
    }

    /// What the status bar reports: the last error, else the last file written or read.
    /// After a write (a review saved, a source removed): figures join or leave the charts at
    /// once, so everything cached is stale; the registry and counts are read again.
    fn reload_after_write(&mut self) {
        self.cache.clear();
        self.cache_order.clear();
        self.ranking = None;
        self.ranking_asked = None;
        self.ranking_view = None;
        self.generation += 1;
        self.request(Request::Open);
        if !self.selected.is_empty() {
            self.request(Request::Figures(self.selected.clone()));
        }
    }

    pub fn status_message(&self) -> Option<&str> {
        self.error.as_deref().or(self.notice.as_deref())
    }

    /// Saved views, for tests.
    /// Saved views by name, each as read or with why it cannot be.
    pub fn saved_views(&self) -> &[(String, Result<ViewSpec, String>)] {
        &self.views
    }

    /// Adds or removes an entity from the comparison and asks for the figures when they are
    /// not cached.
    fn toggle(&mut self, id: i64) {
        match self.selected.iter().position(|&s| s == id) {
            Some(i) => {
                self.selected.remove(i);
            }
            None => self.selected.push(id),
        }
        self.focused = None;
        if !self.selected.is_empty() && !self.cache.contains_key(&self.selected) {
            self.request(Request::Figures(self.selected.clone()));
        }
        self.choose_defaults();
    }

    /// Keeps indicator, measure and period shape to ones the current figures have.
    fn choose_defaults(&mut self) {
        let figures = self.figures();
        if figures.is_empty() {
            return;
        }
        let coverage = indicator_coverage(figures);
        let indicator_ok = self.indicator.as_ref().is_some_and(|i| coverage.iter().any(|(name, _, _)| name == i));
        let indicator = if indicator_ok { self.indicator.clone() } else { coverage.first().map(|(n, _, _)| n.clone()) };
        let of_indicator: Vec<&Observation> =
            figures.iter().filter(|o| Some(&*o.indicator) == indicator.as_deref()).collect();
        let measure = if of_indicator.iter().any(|o| o.measure == self.measure) {
            self.measure
        } else {
            Measure::ALL.into_iter().find(|m| of_indicator.iter().any(|o| o.measure == *m)).unwrap_or(Measure::Value)
        };
        let owned: Vec<Observation> = of_indicator.into_iter().cloned().collect();
        let shapes = chart::available_shapes(&owned, measure);
        let shape = chart::chart_shape(&shapes, self.shape);
        self.indicator = indicator;
        self.measure = measure;
        self.shape = shape;
    }

    /// What the ranking of the chosen indicator, measure and period is made from, asked of
    /// the worker when it is not what the window holds.
    fn ranking_figures(&mut self) -> Option<&RankingFigures> {
        let indicator = self.indicator.clone()?;
        let (measure, asked) = (self.measure, self.ranking_period);
        if self.ranking.as_ref().is_some_and(|r| r.answer(&indicator, measure, asked)) {
            return self.ranking.as_ref();
        }
        let wanted = (indicator, measure, asked);
        if self.ranking_asked.as_ref() != Some(&wanted) {
            self.request(Request::Ranking { indicator: wanted.0.clone(), measure, period: asked });
            self.ranking_asked = Some(wanted);
        }
        None
    }

    /// The Ranking tab's view of the figures held, built when they, the period or the rate
    /// changed since the last frame.
    fn ranking_view(&mut self) -> Option<std::sync::Arc<RankingView>> {
        let ranking = self.ranking.as_ref()?;
        let key = RankingViewKey {
            indicator: ranking.indicator.clone(),
            measure: ranking.measure,
            period: ranking.period,
            rate: self.rate(),
            whole: self.share_of,
            english: self.lang == Lang::En,
        };
        if self.ranking_view.as_ref().is_none_or(|(k, _)| *k != key) {
            let view = self.registry.as_ref().and_then(|registry| {
                RankingView::build(
                    ranking.periods.clone(),
                    &ranking.figures,
                    ranking.period,
                    self.share_of,
                    key.rate.as_ref(),
                    registry,
                    key.english,
                )
            });
            self.ranking_view = Some((key, view.map(std::sync::Arc::new)));
        }
        self.ranking_view.as_ref().and_then(|(_, v)| v.clone())
    }

    /// National zones of the 2018 catalog, the denominator of a ranking's coverage.
    fn window_title(&self) -> String {
        let synthetic = self.info.as_ref().is_some_and(|i| i.synthetic);
        let read_only = self.info.as_ref().is_some_and(|i| i.read_only);
        format!(
            "Zonescope — {}{}{}",
            self.path.display(),
            if synthetic { " (合成数据 synthetic data, not real)" } else { "" },
            if read_only { " (只读 read-only)" } else { "" }
        )
    }

    /// How an entity is named in this language: its short name, with the English name in
    /// English mode where known.
    pub fn entity_label(&self, e: &EntityEntry) -> String {
        match &self.registry {
            Some(r) => r.label(e, naming(self.lang)),
            None => e.name.clone(),
        }
    }

    /// How an entity is named where it is read rather than searched for (legend, ranking rows,
    /// table cells): in English, the English name alone; the Chinese one is in the hover.
    fn entity_label_by_name(&self, name: &str) -> String {
        let naming = match self.lang {
            Lang::Zh => crate::registry::Naming::Chinese,
            Lang::En => crate::registry::Naming::English,
        };
        match &self.registry {
            Some(r) => r.label_by_name(name, naming),
            None => name.to_string(),
        }
    }

    /// Whether the chart last drawn is on a log axis (tests).
    pub fn chart_is_log_scale(&self) -> bool {
        self.chart_model.as_ref().is_some_and(|m| m.log_scale)
    }

    /// The entity's Chinese name, for an English hover.
    pub(crate) fn entity_label_zh(&self, name: &str) -> String {
        match &self.registry {
            Some(r) => r.label_by_name(name, crate::registry::Naming::Chinese),
            None => name.to_string(),
        }
    }

    fn top_bar(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        ui.horizontal(|ui| {
            ui.strong("Zonescope");
            ui.separator();
            for (tab, zh, en) in [
                (Tab::Chart, "图表", "Chart"),
                (Tab::Ranking, "排名", "Ranking"),
                (Tab::Table, "表格", "Table"),
                (Tab::Sources, "来源", "Sources"),
                (Tab::Review, "审核文本", "Review a text"),
            ] {
                if ui.selectable_label(self.tab == tab, lang.tr(zh, en)).clicked() {
                    self.apply(Command::OpenTab(tab));
                }
            }
            ui.separator();
            self.file_menu(ui);
            self.views_menu(ui);
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                for (to, label) in [(Lang::En, "English"), (Lang::Zh, "中文")] {
                    if ui.selectable_label(self.lang == to, label).clicked() {
                        self.apply(Command::SetLang(to));
                    }
                }
                let dark = ui.visuals().dark_mode;
                if ui.button(if dark { lang.tr("浅色", "Light") } else { lang.tr("深色", "Dark") }).clicked() {
                    ui.ctx().set_theme(if dark { egui::Theme::Light } else { egui::Theme::Dark });
                }
            });
        });
    }

    /// Export, and views to and from files.
    fn file_menu(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        ui.menu_button(lang.tr("文件", "File"), |ui| {
            if ui.button(lang.tr("导出图表和数据… (Ctrl+E)", "Export figure and data… (Ctrl+E)")).clicked() {
                self.open_export();
                ui.close();
            }
            if ui.button(lang.tr("导入表格…", "Import table…")).clicked() {
                self.import = Some(import_dialog::ImportDialog::new());
                ui.close();
            }
            ui.separator();
            if ui.button(lang.tr("保存视图为文件…", "Save view as…")).clicked() {
                self.open_view_file_dialog(true);
                ui.close();
            }
            if ui.button(lang.tr("打开视图文件…", "Open view file…")).clicked() {
                self.open_view_file_dialog(false);
                ui.close();
            }
            ui.separator();
            if ui.button(lang.tr("退出 (Ctrl+Q)", "Quit (Ctrl+Q)")).clicked() {
                ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
            }
        });
    }

    /// Saved views: open, save the current one, rename, delete.
    fn views_menu(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        let mut open = None;
        let mut delete = None;
        ui.menu_button(lang.tr("视图", "Views"), |ui| {
            if ui.button(lang.tr("保存当前视图… (Ctrl+S)", "Save this view… (Ctrl+S)")).clicked() {
                self.save_dialog = Some(String::new());
                ui.close();
            }
            if !self.views.is_empty() {
                ui.separator();
            }
            for (name, spec) in &self.views {
                ui.horizontal(|ui| {
                    let hover = match spec {
                        Ok(spec) => spec.entities.join("、"),
                        Err(why) => why.clone(),
                    };
                    if ui.button(name).on_hover_text(hover).clicked() {
                        open = Some(spec.clone());
                        ui.close();
                    }
                    if ui.small_button(lang.tr("重命名", "Rename")).clicked() {
                        self.rename_dialog = Some((name.clone(), name.clone()));
                        ui.close();
                    }
                    if ui.small_button(lang.tr("删除", "Delete")).clicked() {
                        delete = Some(name.clone());
                        ui.close();
                    }
                });
            }
        });
        match open {
            Some(Ok(spec)) => self.apply_view(&spec),
            // Said, not opened as an empty view: the reader can still rename or delete it.
            Some(Err(why)) => self.error = Some(why),
            None => {}
        }
        if let Some(name) = delete {
            self.request(Request::DeleteView(name));
        }
    }

    /// The small windows that ask for a view's name.
    fn view_dialogs(&mut self, ctx: &egui::Context, dark: bool) {
        let lang = self.lang;
        if let Some(mut name) = self.save_dialog.take() {
            let mut keep = true;
            let mut save = false;
            let escaped = ctx.input(|i| i.key_pressed(egui::Key::Escape));
            egui::Window::new(lang.tr("保存视图", "Save view"))
                .collapsible(false)
                .resizable(false)
                .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
                .show(ctx, |ui| {
                    let r = ui.add(egui::TextEdit::singleline(&mut name).hint_text(lang.tr("视图名称", "View name")));
                    // Enter leaves a one-line edit: that is the "save" of the keyboard.
                    let entered = r.lost_focus() && !escaped;
                    r.request_focus();
                    ui.horizontal(|ui| {
                        save = ui.button(lang.tr("保存", "Save")).clicked() || entered;
                        keep = !ui.button(lang.tr("取消", "Cancel")).clicked() && !escaped;
                    });
                });
            if save && !name.trim().is_empty() {
                self.request(Request::SaveView { name: name.trim().to_string(), spec: self.current_view(dark) });
            } else if keep {
                self.save_dialog = Some(name);
            }
        }
        if let Some((from, mut to)) = self.rename_dialog.take() {
            let mut keep = true;
            let mut rename = false;
            egui::Window::new(lang.tr("重命名视图", "Rename view")).collapsible(false).resizable(false).show(
                ctx,
                |ui| {
                    ui.add(egui::TextEdit::singleline(&mut to));
                    ui.horizontal(|ui| {
                        rename = ui.button(lang.tr("重命名", "Rename")).clicked();
                        keep = !ui.button(lang.tr("取消", "Cancel")).clicked();
                    });
                },
            );
            if rename && !to.trim().is_empty() {
                self.request(Request::RenameView { from, to: to.trim().to_string() });
            } else if keep {
                self.rename_dialog = Some((from, to));
            }
        }
    }

    fn left_panel(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        if self.registry.is_none() {
            if self.error.is_some() {
                ui.label(
                    lang.tr("数据库未能打开,见下方状态栏。", "The database could not be opened: see the status bar."),
                );
            } else {
                ui.spinner();
            }
            return;
        }
        let mut toggled = None;
        ui.add(
            egui::TextEdit::singleline(&mut self.search)
                .id(egui::Id::unique(SEARCH_ID))
                .hint_text(lang.tr("搜索开发区、简称、别名", "Search zones, short names, aliases"))
                .desired_width(f32::INFINITY),
        );
        ui.checkbox(&mut self.only_with_figures, lang.tr("只看有数据的", "Only zones with figures"));
        ui.label(egui::RichText::new(lang.tr("括号内:开发区数 · 数据条数", "In brackets: zones · figures")).weak());
        let Some(registry) = &self.registry else { return };
        let found: Vec<&EntityEntry> =
            registry.search(&self.search).into_iter().filter(|e| !self.only_with_figures || e.figures > 0).collect();
        let mut heights = std::mem::take(&mut self.row_heights);
        let one_line = ui.text_style_height(&egui::TextStyle::Body);
        let mut entry = |ui: &mut egui::Ui, e: &EntityEntry| {
            let height = heights.get(&e.id).copied().unwrap_or(one_line);
            let next = egui::Rect::from_min_size(ui.cursor().min, egui::vec2(ui.available_width(), height));
            if !ui.is_rect_visible(next) {
                ui.allocate_space(next.size());
                return;
            }
            let label = format!("{}  ({})", self.entity_label(e), e.figures);
            let picked = self.selected.contains(&e.id);
            let response = ui.selectable_label(picked, label);
            heights.insert(e.id, response.rect.height());
            if response.on_hover_text(hover_names(e)).clicked() {
                toggled = Some(e.id);
            }
        };
        if self.search.trim().is_empty() {
            // Browsing: groups and totals first, then the catalog by province, then zones outside it.
            let sections = sections_by_province(&found, lang);
            egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
                for (title, entries) in &sections {
                    let figures: i64 = entries.iter().map(|e| e.figures).sum();
                    egui::CollapsingHeader::new(format!("{title}  ({} · {figures})", entries.len()))
                        .id_salt(title)
                        .default_open(self.only_with_figures)
                        .show(ui, |ui| {
                            for e in entries {
                                entry(ui, e);
                            }
                        });
                }
            });
        } else {
            egui::ScrollArea::vertical().auto_shrink([false, false]).show_rows(
                ui,
                ui.text_style_height(&egui::TextStyle::Body) + 4.0,
                found.len(),
                |ui, range| {
                    for e in &found[range] {
                        entry(ui, e);
                    }
                },
            );
        }
        self.row_heights = heights;
        if let Some(id) = toggled {
            self.apply(Command::ToggleEntity(id));
        }
    }

    /// Above the tabs: the entities compared (removable chips), the indicator and the measure.
    fn view_controls(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        let Some(registry) = &self.registry else { return };
        let mut toggled = None;
        ui.horizontal_wrapped(|ui| {
            ui.label(lang.tr("已选:", "Comparing:"));
            if self.selected.is_empty() {
                ui.label(lang.tr("(无)从左侧列表选择开发区", "(none) pick zones from the list on the left"));
            }
            for id in &self.selected {
                if let Some(e) = registry.get(*id) {
                    // A chip names the zone in the reader's language; the hover has the other.
                    let short = e.short_name.as_deref().unwrap_or(&e.name).to_string();
                    let (chip, other) = match lang {
                        Lang::Zh => (short, registry.label(e, crate::registry::Naming::English)),
                        Lang::En => (registry.label(e, crate::registry::Naming::English), short),
                    };
                    let hover = format!("{other}\n{}", lang.tr("点击移除", "Click to remove"));
                    if ui.button(format!("{chip} ×")).on_hover_text(hover).clicked() {
                        toggled = Some(*id);
                    }
                }
            }
        });
        if let Some(id) = toggled {
            self.apply(Command::ToggleEntity(id));
        }
        self.indicator_picker(ui);
        self.show_first_start_hint(ui);
    }

    fn indicator_picker(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        let (coverage, measures) = {
            let d = self.view_data();
            (d.coverage.clone(), d.measures.clone())
        };
        if coverage.is_empty() {
            return;
        }
        let n = self.selected.len();
        let label_of = |name: &str, zones: usize, en: Option<&str>| match (lang, en) {
            (Lang::En, Some(en)) => format!("{en} ({zones}/{n})"),
            _ => format!("{name} ({zones}/{n})"),
        };
        let current = self
            .indicator
            .as_ref()
            .and_then(|i| coverage.iter().find(|(name, _, _)| name == i))
            .map(|(name, zones, _)| label_of(name, *zones, self.indicator_en(name)))
            .unwrap_or_default();
        let mut picked = None;
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(lang.tr("指标(有数据的开发区数):", "Indicator (zones with data):"));
            egui::ComboBox::from_id_salt("indicator")
                .width(360.0)
                .selected_text(current)
                .show_ui(ui, |ui| {
                    for (name, zones, _) in &coverage {
                        let text = label_of(name, *zones, self.indicator_en(name));
                        if ui.selectable_label(self.indicator.as_deref() == Some(name), text).clicked() {
                            picked = Some(name.clone());
                        }
                    }
                })
                .response
                .labelled_by(label.id);
            ui.label(lang.tr("度量:", "Measure:"));
            {
                for m in measures {
                    let text = lang.measure(m);
                    if ui.selectable_label(self.measure == m, text).clicked() {
                        self.apply(Command::PickMeasure(m));
                    }
                }
            }
        });
        self.whole_picker(ui);
        if let Some(name) = picked {
            self.apply(Command::PickIndicator(name));
        }
    }

    /// For shares: what they are of, one whole at a time (a district's 96% and the nation's 25%
    /// are other numbers), with how many figures each whole has.
    fn whole_picker(&mut self, ui: &mut egui::Ui) {
        if self.measure != Measure::SharePct {
            return;
        }
        let lang = self.lang;
        let (wholes, shown) = {
            let d = self.view_data();
            (d.wholes.clone(), d.whole)
        };
        if wholes.is_empty() {
            return;
        }
        let mut picked = None;
        ui.horizontal_wrapped(|ui| {
            ui.label(lang.tr("占比口径:", "Share of:"));
            for (whole, n) in &wholes {
                let text = format!("{} ({n})", crate::model::ShareOf::label(*whole, lang));
                if ui.selectable_label(shown == *whole, text).clicked() && shown != *whole {
                    picked = Some(*whole);
                }
            }
            if wholes.len() > 1 {
                ui.label(
                    egui::RichText::new(lang.tr(
                        "不同口径的占比不放在同一图表或排名中",
                        "Shares of different wholes are never charted or ranked together",
                    ))
                    .weak(),
                );
            }
        });
        if let Some(whole) = picked {
            self.apply(Command::PickWhole(whole));
        }
    }

    fn indicator_en(&self, name: &str) -> Option<&str> {
        self.indicators.iter().find(|i| i.name == name).and_then(|i| i.name_en.as_deref())
    }

    /// An indicator's name in this language (Chinese where no English name is kept).
    pub fn indicator_label(&self, name: &str) -> String {
        match (self.lang, self.indicator_en(name)) {
            (Lang::En, Some(en)) => en.to_string(),
            _ => name.to_string(),
        }
    }

    /// The figures and choices of the current view, recomputed only when it changed.
    pub fn view_data(&mut self) -> &ViewData {
        let key = (self.selected.clone(), self.indicator.clone(), self.measure, self.share_of, self.generation);
        let data = match self.view_data.take() {
            Some(d) if d.key == key => d,
            _ => {
                let all = self.figures();
                let of_indicator = |o: &&Observation| Some(&*o.indicator) == key.1.as_deref();
                let measures = Measure::ALL
                    .into_iter()
                    .filter(|m| all.iter().filter(of_indicator).any(|o| o.measure == *m))
                    .collect();
                let mut figures: Vec<Observation> =
                    all.iter().filter(of_indicator).filter(|o| o.measure == key.2).cloned().collect();
                // Shares of one whole only: other wholes are other numbers.
                let mut wholes: Vec<(Option<crate::model::ShareOf>, usize)> = Vec::new();
                for o in figures.iter().filter(|o| o.measure == Measure::SharePct) {
                    match wholes.iter_mut().find(|(w, _)| *w == o.share_of) {
                        Some((_, n)) => *n += 1,
                        None => wholes.push((o.share_of, 1)),
                    }
                }
                let whole = crate::model::ShareOf::choose(figures.iter(), key.3);
                figures.retain(|o| o.measure != Measure::SharePct || o.share_of == whole);
                let shapes = chart::available_shapes(&figures, key.2);
                ViewData { coverage: indicator_coverage(all), measures, figures, wholes, whole, shapes, key }
            }
        };
        self.view_data.insert(data)
    }

    /// The chart of the current view in `shape`, taken out of the cache (or computed); give it
    /// back with `self.chart_model = Some(model)` after drawing.
    pub fn take_chart_model(&mut self, shape: PeriodShape) -> Option<chart::LineChart> {
        let lang = self.lang;
        let view_key = self.view_data().key.clone();
        let key = ChartKey {
            view: view_key,
            shape,
            lang,
            unit_scale: self.unit_scale,
            transform: self.transform,
            index_base: self.index_base.map(|x| (x * 12.0).round() as i64),
            rate: self.rate(),
            log_scale: self.log_scale,
        };
        if self.chart_key.as_ref() == Some(&key)
            && let Some(model) = self.chart_model.take()
        {
            return Some(model);
        }
        // The same rule as the figure and the data files: the view's options.
        let view = ViewSpec { measure: Some(key.view.2), ..self.current_view(false) };
        let options = view.line_options(shape, lang == Lang::En);
        let levels: Vec<Observation> = self
            .figures()
            .iter()
            .filter(|o| Some(&*o.indicator) == key.view.1.as_deref() && o.measure == Measure::Value)
            .cloned()
            .collect();
        let model = self.view_data.as_ref().and_then(|data| {
            chart::LineChart::build(&data.figures, &levels, &options, &|name| self.entity_label_by_name(name))
        });
        self.chart_key = Some(key);
        model
    }

    fn status_bar(&self, ui: &mut egui::Ui) {
        let lang = self.lang;
        ui.horizontal(|ui| {
            if self.is_busy() {
                ui.spinner();
            }
            if let Some(err) = &self.error {
                ui.colored_label(ui.visuals().error_fg_color, err);
            } else if let Some(notice) = &self.notice {
                ui.label(notice);
            } else if let Some(i) = &self.info {
                if i.synthetic {
                    ui.colored_label(ui.visuals().warn_fg_color, "合成数据 SYNTHETIC DATA, not real ·");
                }
                ui.label(format!(
                    "{} · {} {} · {} {} · {} {} · {} {}",
                    i.path.display(),
                    i.zones,
                    lang.tr("个开发区", "zones"),
                    i.groups,
                    lang.tr("组", "groups"),
                    i.sources,
                    lang.tr("个来源", "sources"),
                    i.observations,
                    lang.tr("条数据", "figures"),
                ));
            } else {
                ui.label(format!("{} {}", lang.tr("正在打开", "Opening"), self.path.display()));
            }
        });
    }
}

/// Indicators among `figures`: name, how many entities have them, how many figures.
fn indicator_coverage(figures: &[Observation]) -> Vec<(String, usize, usize)> {
    let mut by_indicator: Vec<(String, Vec<&str>, usize)> = Vec::new();
    for o in figures {
        match by_indicator.iter_mut().find(|(name, _, _)| **name == *o.indicator) {
            Some((_, entities, n)) => {
                if !entities.contains(&&*o.entity) {
                    entities.push(&o.entity);
                }
                *n += 1;
            }
            None => by_indicator.push((o.indicator.to_string(), vec![&*o.entity], 1)),
        }
    }
    let mut out: Vec<(String, usize, usize)> =
        by_indicator.into_iter().map(|(name, entities, n)| (name, entities.len(), n)).collect();
    // Most widely covered first, then most figures.
    out.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)));
    out
}

/// Entities in the sections the zone list shows: groups and totals, each province of the
/// catalog (in catalog order), zones outside the catalog.
fn sections_by_province<'a>(entities: &[&'a EntityEntry], lang: Lang) -> Vec<(String, Vec<&'a EntityEntry>)> {
    let groups_title = lang.tr("组合与汇总", "Groups and totals").to_string();
    let outside_title = lang.tr("目录外开发区", "Outside the 2018 catalog").to_string();
    let mut sections: Vec<(String, Vec<&EntityEntry>)> = vec![(groups_title, Vec::new())];
    let mut outside = Vec::new();
    for &e in entities {
        match (e.kind, e.province.as_deref()) {
            (crate::model::EntityKind::Group | crate::model::EntityKind::Aggregate, _) => sections[0].1.push(e),
            (_, Some(p)) if e.in_catalog || !p.is_empty() => match sections.iter_mut().find(|(t, _)| t == p) {
                Some((_, list)) => list.push(e),
                None => sections.push((p.to_string(), vec![e])),
            },
            _ => outside.push(e),
        }
    }
    // Provinces by their English names in English (the zones under them say the Chinese).
    if lang == Lang::En {
        for (title, _) in sections.iter_mut().skip(1) {
            if let Some(en) = crate::names::province_en(title) {
                *title = en.to_string();
            }
        }
    }
    sections.push((outside_title, outside));
    sections.retain(|(_, list)| !list.is_empty());
    sections
}

fn hover_names(e: &EntityEntry) -> String {
    let mut lines = vec![e.name.clone()];
    if let Some(en) = &e.name_en {
        lines.push(en.clone());
    }
    if !e.aliases.is_empty() {
        lines.push(format!("别名 aliases: {}", e.aliases.join("、")));
    }
    lines.join("\n")
}

impl eframe::App for ZonescopeApp {
    /// Only the window's place and size are kept between sessions (eframe's persistence); the
    /// view is kept in the database, and egui's own memory (scroll offsets, open popups) is not
    /// worth restoring.
    fn persist_egui_memory(&self) -> bool {
        false
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        // A size given on the command line wins over the one remembered.
        if let Some([w, h]) = self.asked_size.take() {
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::InnerSize(egui::vec2(w, h)));
        }
        self.receive();
        if !self.title_set && self.info.is_some() {
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Title(self.window_title()));
            self.title_set = true;
        }
        let dropped: Vec<PathBuf> =
            ui.ctx().input(|i| i.raw.dropped_files.iter().map(|f| f.path().to_path_buf()).collect());
        if let Some(path) = dropped.into_iter().next() {
            // A table opens the import dialog on it; any other file is read as a report.
            let name = path.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
            if crate::tables::is_table_file(&name) {
                let mut dialog = import_dialog::ImportDialog::new();
                dialog.path = path.display().to_string();
                self.import = Some(dialog);
            } else {
                self.review_file(path);
            }
        }
        if let Some(theme) = self.theme_to_apply.take() {
            ui.ctx().set_theme(theme);
        }
        self.receive_drawn(&ui.ctx().clone());
        let (save_shortcut, find_shortcut, export_shortcut) = ui.input(|i| {
            (
                i.modifiers.command && i.key_pressed(egui::Key::S),
                i.modifiers.command && i.key_pressed(egui::Key::F),
                i.modifiers.command && i.key_pressed(egui::Key::E),
            )
        });
        if export_shortcut && self.registry.is_some() {
            self.open_export();
        }
        if save_shortcut && self.registry.is_some() {
            self.save_dialog = Some(String::new());
        }
        if find_shortcut {
            // Focused with its text selected, so that typing replaces the last search.
            let id = egui::Id::unique(SEARCH_ID);
            ui.memory_mut(|m| m.request_focus(id));
            let mut state = egui::text_edit::TextEditState::load(ui.ctx(), id).unwrap_or_default();
            state.cursor.set_char_range(Some(egui::text_selection::CCursorRange::select_all_str(&self.search)));
            state.store(ui.ctx(), id);
        }
        if ui.input(|i| i.modifiers.command && i.key_pressed(egui::Key::Q)) {
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
        }
        self.dark = ui.visuals().dark_mode;
        // Ctrl+Z in a text field undoes typing, not the view.
        let typing = ui.ctx().memory(|m| m.focused().is_some());
        let (undo, redo) = ui.input(|i| {
            let z = i.modifiers.command && i.key_pressed(egui::Key::Z);
            (z && !i.modifiers.shift, z && i.modifiers.shift)
        });
        if undo && !typing {
            self.undo();
        }
        if redo && !typing {
            self.redo();
        }
        let mut opened = None;
        ui.input(|i| {
            if i.modifiers.command {
                // In the order the tabs stand: Chart, Ranking, Table, Sources, Review.
                for (key, tab) in [
                    (egui::Key::Num1, Tab::Chart),
                    (egui::Key::Num2, Tab::Ranking),
                    (egui::Key::Num3, Tab::Table),
                    (egui::Key::Num4, Tab::Sources),
                    (egui::Key::Num5, Tab::Review),
                ] {
                    if i.key_pressed(key) {
                        opened = Some(tab);
                    }
                }
            }
        });
        if let Some(tab) = opened {
            self.apply(Command::OpenTab(tab));
        }
        egui::Panel::top("top").show(ui, |ui| self.top_bar(ui));
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar(ui));
        egui::Panel::left("picker")
            .resizable(true)
            .default_size(320.0)
            .min_size(260.0)
            .show(ui, |ui| self.left_panel(ui));
        let dark = ui.visuals().dark_mode;
        self.view_dialogs(&ui.ctx().clone(), dark);
        export_dialog::export_dialog(self, &ui.ctx().clone(), dark);
        export_dialog::view_file_dialog(self, &ui.ctx().clone(), dark);
        import_dialog::import_dialog(self, &ui.ctx().clone());
        // Remember the view whenever it changes, so that a restart shows it again.
        if self.registry.is_some() {
            let now = self.current_view(dark);
            if self.remembered.as_ref() != Some(&now) {
                self.request(Request::SetLastView(now.clone()));
                self.remembered = Some(now);
            }
        }
        egui::CentralPanel::default_margins().show(ui, |ui| {
            self.view_controls(ui);
            ui.separator();
            match self.tab {
                Tab::Chart => tabs::chart_ui(self, ui),
                Tab::Ranking => tabs::ranking_ui(self, ui),
                Tab::Table => tabs::table_ui(self, ui),
                Tab::Sources => tabs::sources_ui(self, ui),
                Tab::Review => review::review_ui(self, ui),
            }
        });
    }
}
