//! The thread that owns the database connection. The UI sends it requests and reads its
//! replies between frames; it wakes the UI with a repaint when a reply is ready.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;

use eframe::egui;

use crate::model::Measure;
use crate::registry::Registry;
use crate::store::{IndicatorEntry, Info, Observation, ObservationQuery, Store};
use crate::view::ViewSpec;

#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    /// Open (or build) the database and send its registry, saved views and last view.
    Open,
    /// The accepted figures of these entities, every indicator.
    Figures(Vec<i64>),
    /// The periods of one indicator and measure, and every entity's figures of one of them
    /// (the one asked for, else the default one), for a ranking.
    Ranking {
        indicator: String,
        measure: Measure,
        period: Option<crate::model::Period>,
    },
    SaveView {
        name: String,
        spec: ViewSpec,
    },
    RenameView {
        from: String,
        to: String,
    },
    DeleteView(String),
    /// The full text of a source, by key.
    SourceText(String),
    /// Read a text (a file, or text pasted) and find its figures.
    ReadText {
        name: String,
        path: Option<PathBuf>,
        pasted: Option<String>,
        date: Option<crate::model::Date>,
    },
    /// The folders and text files in a folder, for the in-app file browser.
    ListDir(PathBuf),
    /// The folders and table files (CSV, TSV, XLSX, XLS, ODS) in a folder, for the import dialog.
    ListTables(PathBuf),
    /// Store a reviewed text and its figures, each accepted, rejected or left for later.
    SaveReview(Box<ReviewToSave>),
    /// Remove an imported source and every figure it gave (the undo of an import).
    RemoveSource(String),
    /// Read a table file through a mapping, for the import dialog's preview.
    PreviewTable {
        path: PathBuf,
        mapping: Box<crate::tables::wide::Mapping>,
    },
    /// Store a table's figures with the mapping's source (all or nothing).
    ImportTable {
        path: PathBuf,
        mapping: Box<crate::tables::wide::Mapping>,
    },
    /// Write a table mapping as JSON, for next year's table; an existing file only when
    /// `replace`.
    WriteMapping {
        mapping: Box<crate::tables::wide::Mapping>,
        path: PathBuf,
        replace: bool,
    },
    /// Read a table mapping from a JSON file.
    ReadMapping(PathBuf),
    /// Remember what the window shows; answered only when it fails.
    SetLastView(ViewSpec),
    /// Write a figure as PNG or SVG (by the path's extension); an existing file only when
    /// `replace`.
    WriteFigure {
        figure: Box<crate::figure::Figure>,
        path: PathBuf,
        replace: bool,
    },
    /// Write the figures a view shows, with their sources, as CSV or XLSX.
    WriteData {
        view: ViewSpec,
        path: PathBuf,
        replace: bool,
    },
    /// Write a view as a JSON file.
    WriteView {
        view: ViewSpec,
        path: PathBuf,
        replace: bool,
    },
    /// Read a view from a JSON file.
    ReadView(PathBuf),
}

impl Request {
    /// Whether the worker answers this request (the UI counts what it waits for).
    pub fn expects_reply(&self) -> bool {
        !matches!(self, Request::SetLastView(_))
    }

    /// The file a write of a figure, figures, a view or a mapping would make.
    pub fn written_path(&self) -> Option<&Path> {
        match self {
            Request::WriteFigure { path, .. }
            | Request::WriteData { path, .. }
            | Request::WriteView { path, .. }
            | Request::WriteMapping { path, .. } => Some(path),
            _ => None,
        }
    }

    /// The same write, allowed to replace a file that exists.
    pub fn replacing(self) -> Request {
        match self {
            Request::WriteFigure { figure, path, .. } => Request::WriteFigure { figure, path, replace: true },
            Request::WriteData { view, path, .. } => Request::WriteData { view, path, replace: true },
            Request::WriteView { view, path, .. } => Request::WriteView { view, path, replace: true },
            Request::WriteMapping { mapping, path, .. } => Request::WriteMapping { mapping, path, replace: true },
            other => other,
        }
    }
}

/// A text and the figures found in it, for the review screen.
#[derive(Debug, Clone)]
pub struct TextForReview {
    pub name: String,
    pub text: String,
    pub encoding: &'static str,
    /// The date the figures were read with (今年, 去年 … resolve against it).
    pub published: Option<crate::model::Date>,
    pub candidates: Vec<crate::extract::Candidate>,
    /// What the text's head says of its publisher, date and address.
    pub hints: crate::extract::source::SourceHints,
}

/// What the review screen stores: the text, and each figure with the reader's verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewToSave {
    pub name: String,
    pub text: String,
    /// The source, as the reader confirmed it: a publisher and a date are required.
    pub publisher: String,
    pub published: crate::model::Date,
    pub address: String,
    /// Each figure as checked, with the reader's verdict.
    pub figures: Vec<(crate::extract::Candidate, Option<bool>)>,
}

#[derive(Debug)]
pub enum Reply {
    Opened {
        info: Info,
        registry: Registry,
        indicators: Vec<IndicatorEntry>,
        views: Vec<(String, Result<ViewSpec, String>)>,
        last_view: Option<ViewSpec>,
    },
    Figures {
        entities: Vec<i64>,
        figures: Vec<Observation>,
        /// Stored figures that could not be read and were left out.
        unreadable: Vec<crate::store::UnreadableFigure>,
    },
    Ranking(crate::model::RankingFigures),
    SourceText {
        key: String,
        text: Option<String>,
    },
    /// A text read, with the figures found in it.
    TextRead(Box<TextForReview>),
    /// A folder's entries: (name, is a folder), folders first.
    DirListing {
        dir: PathBuf,
        entries: Vec<(String, bool)>,
    },
    /// A folder's folders and table files, folders first.
    TableListing {
        dir: PathBuf,
        entries: Vec<(String, bool)>,
    },
    /// A reviewed text was stored.
    ReviewSaved(crate::store::ImportOutcome),
    /// A table read through a mapping (or why it cannot be), for the preview: answers the
    /// request with this path and mapping.
    TablePreview {
        path: PathBuf,
        mapping: Box<crate::tables::wide::Mapping>,
        preview: Result<Box<crate::tables::PreparedTable>, String>,
    },
    /// How many of a table's figures are stored so far: said while the import runs, before
    /// its answer (`TableImported` or `Failed`), and not an answer itself.
    Storing {
        done: usize,
        total: usize,
    },
    /// A table's figures were stored (or had been before).
    TableImported {
        path: PathBuf,
        outcome: crate::store::TableImportOutcome,
        key: String,
    },
    /// A mapping read from a file.
    MappingRead {
        path: PathBuf,
        mapping: Box<crate::tables::wide::Mapping>,
    },
    /// An imported source and its figures were removed.
    SourceRemoved {
        key: String,
        figures: usize,
    },
    /// The saved views after a change to them.
    Views(Vec<(String, Result<ViewSpec, String>)>),
    /// A file was written: its path, and how many figures it holds where that is told.
    Written {
        path: PathBuf,
        figures: Option<usize>,
    },
    /// The file to write exists; nothing was written.
    Exists(PathBuf),
    /// A view read from a file.
    ViewRead {
        path: PathBuf,
        view: ViewSpec,
    },
    /// What failed, naming the file or the query, and what kind of request it was.
    Failed {
        asked: Asked,
        message: String,
    },
}

/// The kind of request a failure answers, so that the window tells it where it was asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asked {
    /// Writing a figure, a view's figures or a view file.
    Write,
    /// Listing a folder.
    Folder,
    /// Every entity's figures for a ranking.
    Ranking,
    /// Reading or storing a table in the import dialog.
    Table,
    Other,
}

impl Asked {
    fn of(request: &Request) -> Asked {
        match request {
            _ if request.written_path().is_some() => Asked::Write,
            Request::ListDir(_) => Asked::Folder,
            Request::ListTables(_) => Asked::Table,
            Request::Ranking { .. } => Asked::Ranking,
            Request::PreviewTable { .. } | Request::ImportTable { .. } | Request::ReadMapping(_) => Asked::Table,
            _ => Asked::Other,
        }
    }
}

pub struct Worker {
    requests: Sender<Request>,
    replies: Receiver<Reply>,
}

impl Worker {
    pub fn start(path: PathBuf, ctx: egui::Context) -> Worker {
        let (requests, inbox) = mpsc::channel::<Request>();
        let (outbox, replies) = mpsc::channel::<Reply>();
        thread::Builder::new()
            .name("zonescope-store".into())
            .spawn(move || {
                let mut store: Option<Store> = None;
                let tell = |reply: Reply| {
                    let sent = outbox.send(reply).is_ok();
                    ctx.request_repaint();
                    sent
                };
                for request in inbox {
                    let Some(reply) = handle(&path, &mut store, request, &tell) else { continue };
                    if !tell(reply) {
                        break; // the window has closed
                    }
                }
            })
            .ok();
        Worker { requests, replies }
    }

    pub fn send(&self, request: Request) {
        // A send fails only when the thread is gone; the next frame shows no reply and the
        // status bar keeps its spinner, which is the truth.
        let _ = self.requests.send(request);
    }

    pub fn try_recv(&self) -> Option<Reply> {
        self.replies.try_recv().ok()
    }
}

/// Stores a reviewed text: every figure is checked (a bad edit stops the whole save) before
/// one transaction writes them.
fn save_review(store: &mut Store, review: &ReviewToSave) -> anyhow::Result<crate::store::ImportOutcome> {
    let figures: Vec<crate::store::ImportedFigure> =
        review.figures.iter().map(|(f, verdict)| f.to_import(*verdict)).collect();
    let title = review.text.lines().map(str::trim).find(|l| !l.is_empty()).map(|l| l.chars().take(120).collect());
    let source = crate::store::ImportedText {
        title,
        publisher: review.publisher.clone(),
        // Without an address the text is still found by its name, as the reader knew it.
        address: if review.address.trim().is_empty() { review.name.clone() } else { review.address.clone() },
        published: Some(review.published.to_string()),
        full_text: &review.text,
    };
    Ok(store.import_text(&source, &figures)?)
}

/// Answers `request`; `tell` passes on what is said before the answer (how far a long write is).
fn handle(path: &Path, store: &mut Option<Store>, request: Request, tell: &dyn Fn(Reply) -> bool) -> Option<Reply> {
    let asked = Asked::of(&request);
    let result = (|| -> anyhow::Result<Option<Reply>> {
        if store.is_none() {
            *store = Some(Store::open_or_create(path)?);
        }
        let Some(s) = store.as_mut() else { anyhow::bail!("no database") };
        Ok(Some(match request {
            Request::Open => Reply::Opened {
                info: s.info()?,
                registry: s.registry()?,
                indicators: s.indicators()?,
                views: s.views()?,
                last_view: s.last_view()?,
            },
            Request::Figures(entities) => Reply::Figures {
                figures: s.observations(&ObservationQuery { entities: entities.clone(), ..Default::default() })?,
                entities,
                unreadable: s.unreadable_figures(),
            },
            Request::Ranking { indicator, measure, period } => {
                let entry = s.resolve_indicator(&indicator)?;
                // Named as asked, so that the window knows its answer.
                Reply::Ranking(crate::model::RankingFigures {
                    indicator,
                    ..s.ranking_figures(&entry, measure, period)?
                })
            }
            Request::SaveView { name, spec } => {
                s.save_view(&name, &spec)?;
                Reply::Views(s.views()?)
            }
            Request::RenameView { from, to } => {
                s.rename_view(&from, &to)?;
                Reply::Views(s.views()?)
            }
            Request::DeleteView(name) => {
                s.delete_view(&name)?;
                Reply::Views(s.views()?)
            }
            Request::ReadText { name, path, pasted, date } => {
                let text = match (path, pasted) {
                    (Some(path), _) => {
                        let bytes = std::fs::read(&path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
                        crate::extract::text::decode(&bytes).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?
                    }
                    (None, Some(text)) => crate::extract::text::Decoded { text, encoding: "UTF-8" },
                    (None, None) => anyhow::bail!("nothing to read"),
                };
                let published = date.or_else(|| crate::extract::rules::find_date(&text.text));
                let gazetteer = crate::extract::rules::Gazetteer::from_dataset(&crate::dataset::Dataset::bundled()?);
                let candidates = crate::extract::rules::extract(&text.text, published, &gazetteer);
                let hints = crate::extract::source::source_hints(&text.text);
                Reply::TextRead(Box::new(TextForReview {
                    name,
                    text: text.text,
                    encoding: text.encoding,
                    published,
                    candidates,
                    hints,
                }))
            }
            Request::ListDir(dir) => {
                let entries = list_dir(&dir, |name| [".txt", ".text", ".md"].iter().any(|e| name.ends_with(e)))?;
                Reply::DirListing { dir, entries }
            }
            Request::ListTables(asked) => {
                // A folder as asked; else the folder of a file typed (or half typed); else the
                // working folder.
                let dir = if asked.is_dir() {
                    asked
                } else {
                    match asked.parent().filter(|p| p.is_dir()) {
                        Some(parent) => parent.to_path_buf(),
                        None => std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
                    }
                };
                let entries = list_dir(&dir, crate::tables::is_table_file)?;
                Reply::TableListing { dir, entries }
            }
            Request::SaveReview(review) => Reply::ReviewSaved(save_review(s, &review)?),
            Request::SourceText(key) => Reply::SourceText { text: s.source_text(&key)?, key },
            Request::PreviewTable { path, mapping } => {
                let registry = s.registry()?;
                let preview = read_table(&path, &mapping, &registry).map(Box::new).map_err(|e| e.to_string());
                Reply::TablePreview { path, mapping, preview }
            }
            Request::ImportTable { path, mapping } => {
                crate::tables::wide::check_source(&mapping.source)?;
                let registry = s.registry()?;
                let prepared = read_table(&path, &mapping, &registry)?;
                if !prepared.table.ready() {
                    anyhow::bail!("{}: some cells or names cannot be read; nothing stored", path.display());
                }
                if prepared.figures.is_empty() {
                    anyhow::bail!("{}: no column gives figures; nothing stored", path.display());
                }
                let source = prepared.source(&mapping);
                let total = prepared.figures.len();
                let outcome = s.import_table(&[source], &prepared.figures, &prepared.content, &mut |done| {
                    tell(Reply::Storing { done, total });
                })?;
                Reply::TableImported { path, outcome, key: prepared.key.clone() }
            }
            Request::WriteMapping { path, replace: false, .. } if path.exists() => Reply::Exists(path),
            Request::WriteMapping { mapping, path, .. } => {
                let json = serde_json::to_string_pretty(&*mapping)?;
                // Whole or not at all: a mapping cut short by a full disk would not load.
                crate::export::write_whole(&path, json.as_bytes())?;
                Reply::Written { path, figures: None }
            }
            Request::ReadMapping(path) => {
                let text = std::fs::read_to_string(&path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
                let mapping = serde_json::from_str(&text)
                    .map_err(|e| anyhow::anyhow!("{}: not a table mapping ({e})", path.display()))?;
                Reply::MappingRead { path, mapping: Box::new(mapping) }
            }
            Request::RemoveSource(key) => {
                let figures = s.remove_source(&key, crate::dataset::bundled_source_keys())?;
                Reply::SourceRemoved { key, figures }
            }
            Request::SetLastView(spec) => {
                s.set_last_view(&spec)?;
                return Ok(None);
            }
            Request::WriteFigure { path, replace: false, .. }
            | Request::WriteData { path, replace: false, .. }
            | Request::WriteView { path, replace: false, .. }
                if path.exists() =>
            {
                Reply::Exists(path)
            }
            Request::WriteFigure { figure, path, .. } => {
                crate::export::write_figure(&figure, &path)?;
                Reply::Written { path, figures: None }
            }
            Request::WriteData { view, path, .. } => {
                let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
                let n = match ext.as_str() {
                    "xlsx" => crate::export::export_xlsx(s, &view, &path)?,
                    _ => crate::export::export_csv(s, &view, &path)?,
                };
                Reply::Written { path, figures: Some(n) }
            }
            Request::WriteView { view, path, .. } => {
                crate::export::write_whole(&path, view.to_json().as_bytes())?;
                Reply::Written { path, figures: None }
            }
            Request::ReadView(path) => {
                let text = std::fs::read_to_string(&path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
                let view = ViewSpec::from_json(&text)
                    .map_err(|e| anyhow::anyhow!("{}: not a Zonescope view: {e}", path.display()))?;
                Reply::ViewRead { path, view }
            }
        }))
    })();
    // A failure is always told, also of a request nobody waits for: it shows in the status bar.
    result.unwrap_or_else(|e| Some(Reply::Failed { asked, message: format!("{e:#}") }))
}

/// A table file read through a mapping, its errors naming the file.
fn read_table(
    path: &std::path::Path,
    mapping: &crate::tables::wide::Mapping,
    registry: &Registry,
) -> anyhow::Result<crate::tables::PreparedTable> {
    let bytes = std::fs::read(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    crate::tables::PreparedTable::read(&bytes, &name, mapping, registry)
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

/// A folder's subfolders and the files `keep` accepts (not hidden ones): (name, is a folder),
/// folders first, each part by name.
fn list_dir(dir: &std::path::Path, keep: impl Fn(&str) -> bool) -> anyhow::Result<Vec<(String, bool)>> {
    let mut entries: Vec<(String, bool)> = std::fs::read_dir(dir)
        .map_err(|e| anyhow::anyhow!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let is_dir = e.file_type().ok()?.is_dir();
            (!name.starts_with('.') && (is_dir || keep(&name.to_lowercase()))).then_some((name, is_dir))
        })
        .collect();
    entries.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Ok(entries)
}
