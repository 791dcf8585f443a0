//! The thread that owns the database connection. The UI sends it requests and reads its
//! replies between frames; it wakes the UI with a repaint when a reply is ready.

use std::path::PathBuf;
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
    /// Every entity's figures of one indicator and measure, for a ranking.
    Ranking {
        indicator: String,
        measure: Measure,
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
    /// Remember what the window shows; answered only when it fails.
    SetLastView(ViewSpec),
}

impl Request {
    /// Whether the worker answers this request (the UI counts what it waits for).
    pub fn expects_reply(&self) -> bool {
        !matches!(self, Request::SetLastView(_))
    }
}

#[derive(Debug)]
pub enum Reply {
    Opened {
        info: Info,
        registry: Registry,
        indicators: Vec<IndicatorEntry>,
        views: Vec<(String, ViewSpec)>,
        last_view: Option<ViewSpec>,
    },
    Figures {
        entities: Vec<i64>,
        figures: Vec<Observation>,
    },
    Ranking {
        indicator: String,
        measure: Measure,
        figures: Vec<Observation>,
    },
    SourceText {
        key: String,
        text: Option<String>,
    },
    /// The saved views after a change to them.
    Views(Vec<(String, ViewSpec)>),
    /// What failed, naming the file or the query.
    Failed(String),
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
                for request in inbox {
                    let Some(reply) = handle(&path, &mut store, request) else { continue };
                    if outbox.send(reply).is_err() {
                        break; // the window has closed
                    }
                    ctx.request_repaint();
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

fn handle(path: &PathBuf, store: &mut Option<Store>, request: Request) -> Option<Reply> {
    let result = (|| -> anyhow::Result<Option<Reply>> {
        if store.is_none() {
            *store = Some(Store::open_or_create(path)?);
        }
        let Some(s) = store.as_ref() else { anyhow::bail!("no database") };
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
            },
            Request::Ranking { indicator, measure } => {
                let id = s.resolve_indicator(&indicator)?.id;
                Reply::Ranking { figures: s.observations_of_indicator(id, measure)?, indicator, measure }
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
            Request::SourceText(key) => Reply::SourceText { text: s.source_text(&key)?, key },
            Request::SetLastView(spec) => {
                s.set_last_view(&spec)?;
                return Ok(None);
            }
        }))
    })();
    // A failure is always told, also of a request nobody waits for: it shows in the status bar.
    result.unwrap_or_else(|e| Some(Reply::Failed(format!("{e:#}"))))
}
