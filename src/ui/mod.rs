//! The window. For now a plain browser: the zone list, and the selected zone's figures with
//! their sources. The store lives on a worker thread; the UI thread only sends requests and
//! draws what comes back, so it never waits on SQLite.

mod fonts;
mod worker;

use std::path::PathBuf;

use eframe::egui;
use egui_extras::{Column, TableBuilder};

use crate::model::format_number;
use crate::registry::{EntityEntry, Registry};
use crate::store::{Info, Observation};

pub use fonts::install_fonts;
pub use worker::{Reply, Request, Worker};

/// Opens the window on the database at `path` (built from the bundled data when missing).
pub fn run(path: PathBuf) -> anyhow::Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Zonescope")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([640.0, 400.0]),
        ..Default::default()
    };
    eframe::run_native(
        "Zonescope",
        options,
        Box::new(move |cc| {
            install_fonts(&cc.egui_ctx);
            // Light is the default: figures go into slides.
            cc.egui_ctx.set_theme(egui::Theme::Light);
            Ok(Box::new(ZonescopeApp::new(cc.egui_ctx.clone(), path)))
        }),
    )
    .map_err(|e| anyhow::anyhow!("could not open the window: {e}"))
}

/// The app's state: what the worker last sent, and what the user picked.
pub struct ZonescopeApp {
    worker: Worker,
    path: PathBuf,
    info: Option<Info>,
    registry: Option<Registry>,
    search: String,
    /// Hide the many catalog zones that have no figures yet.
    only_with_figures: bool,
    selected: Option<i64>,
    figures: Vec<Observation>,
    /// A request is out and its answer not back yet.
    loading: bool,
    error: Option<String>,
    title_set: bool,
}

impl ZonescopeApp {
    pub fn new(ctx: egui::Context, path: PathBuf) -> ZonescopeApp {
        let worker = Worker::start(path.clone(), ctx);
        worker.send(Request::Open);
        ZonescopeApp {
            worker,
            path,
            info: None,
            registry: None,
            search: String::new(),
            only_with_figures: true,
            selected: None,
            figures: Vec::new(),
            loading: true,
            error: None,
            title_set: false,
        }
    }

    /// Takes in whatever the worker has answered since the last frame.
    fn receive(&mut self) {
        while let Some(reply) = self.worker.try_recv() {
            self.loading = false;
            match reply {
                Reply::Opened { info, registry } => {
                    self.info = Some(info);
                    self.registry = Some(registry);
                    self.error = None;
                    self.title_set = false;
                }
                Reply::Figures { entity, figures } => {
                    if Some(entity) == self.selected {
                        self.figures = figures;
                    }
                }
                Reply::Failed(message) => self.error = Some(message),
            }
        }
    }

    fn select(&mut self, id: i64) {
        if self.selected != Some(id) {
            self.selected = Some(id);
            self.figures.clear();
            self.loading = true;
            self.worker.send(Request::Figures(id));
        }
    }

    /// Whether a request to the worker is still out.
    pub fn is_busy(&self) -> bool {
        self.loading
    }

    /// The figures on screen, for tests.
    pub fn figures(&self) -> &[Observation] {
        &self.figures
    }

    fn window_title(&self) -> String {
        let synthetic = self.info.as_ref().is_some_and(|i| i.synthetic);
        format!(
            "Zonescope — {}{}",
            self.path.display(),
            if synthetic { " (合成数据 synthetic data, not real)" } else { "" }
        )
    }

    fn zone_list(&mut self, ui: &mut egui::Ui) {
        ui.add(
            egui::TextEdit::singleline(&mut self.search)
                .hint_text("搜索开发区 search zones")
                .desired_width(f32::INFINITY),
        );
        ui.checkbox(&mut self.only_with_figures, "只看有数据的 only zones with figures");
        ui.separator();
        let Some(registry) = &self.registry else {
            if self.error.is_some() {
                ui.label("数据库未能打开 · The database could not be opened: see the status bar.");
            } else {
                ui.spinner();
            }
            return;
        };
        let found: Vec<&EntityEntry> =
            registry.search(&self.search).into_iter().filter(|e| !self.only_with_figures || e.figures > 0).collect();
        let mut clicked = None;
        egui::ScrollArea::vertical().auto_shrink([false, false]).show_rows(
            ui,
            ui.text_style_height(&egui::TextStyle::Body) + 4.0,
            found.len(),
            |ui, range| {
                for e in &found[range] {
                    let label = format!("{}  ({})", e.short_name.as_deref().unwrap_or(&e.name), e.figures);
                    let response =
                        ui.selectable_label(self.selected == Some(e.id), label).on_hover_text(hover_names(e));
                    if response.clicked() {
                        clicked = Some(e.id);
                    }
                }
            },
        );
        if let Some(id) = clicked {
            self.select(id);
        }
    }

    fn figures_table(&self, ui: &mut egui::Ui) {
        let Some(entity) = self.selected.and_then(|id| self.registry.as_ref()?.get(id)) else {
            ui.label("从左侧选择一个开发区 · Pick a zone on the left");
            return;
        };
        ui.heading(&entity.name);
        let mut facts = Vec::new();
        if let Some(en) = &entity.name_en {
            facts.push(en.clone());
        }
        if let Some(code) = &entity.code {
            facts.push(format!("代码 {code}"));
        }
        if let Some(p) = &entity.province {
            facts.push(p.clone());
        }
        if let Some(a) = &entity.approved {
            facts.push(format!("批准 {a}"));
        }
        facts.push(format!("{} 条数据 figures", self.figures.len()));
        ui.label(facts.join(" · "));
        ui.separator();
        if self.loading && self.figures.is_empty() {
            ui.spinner();
            return;
        }
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
        TableBuilder::new(ui)
            .striped(true)
            .column(Column::auto().at_least(120.0).clip(true).resizable(true))
            .column(Column::auto().at_least(60.0))
            .column(Column::auto().at_least(110.0))
            .column(Column::auto().at_least(80.0))
            .column(Column::auto().at_least(90.0))
            .column(Column::auto().at_least(160.0).clip(true).resizable(true))
            .column(Column::auto().at_least(80.0))
            .column(Column::remainder().clip(true))
            .header(row_height, |mut header| {
                for title in [
                    "指标 Indicator",
                    "度量 Measure",
                    "期间 Period",
                    "原文 As written",
                    "数值 Value",
                    "来源 Source",
                    "日期 Date",
                    "引文 Quote",
                ] {
                    header.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, self.figures.len(), |mut row| {
                    let o = &self.figures[row.index()];
                    row.col(|ui| {
                        ui.label(&o.indicator);
                    });
                    row.col(|ui| {
                        ui.label(o.measure.label_zh());
                    });
                    row.col(|ui| {
                        ui.label(o.period.notation().unwrap_or_else(|| "—".into()));
                    });
                    row.col(|ui| {
                        ui.label(&o.period_text);
                    });
                    row.col(|ui| {
                        let q = match o.qualifier.map(|q| q.as_str()) {
                            Some("over") => "超",
                            Some("under") => "不足",
                            Some("about") => "约",
                            _ => "",
                        };
                        ui.label(format!("{q}{}{}", format_number(o.value), o.unit));
                    });
                    row.col(|ui| {
                        ui.label(&o.source).on_hover_text(format!("{}\n{}", o.source_id, o.address));
                    });
                    row.col(|ui| {
                        ui.label(o.published.as_deref().unwrap_or("—"));
                    });
                    row.col(|ui| {
                        let quote = o.quote.as_deref().unwrap_or("");
                        let r = ui.label(quote);
                        if let Some(note) = &o.note {
                            r.on_hover_text(note);
                        }
                    });
                });
            });
    }

    fn status_bar(&self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            if self.loading {
                ui.spinner();
            }
            if let Some(err) = &self.error {
                ui.colored_label(ui.visuals().error_fg_color, err);
            } else if let Some(i) = &self.info {
                if i.synthetic {
                    ui.colored_label(ui.visuals().warn_fg_color, "合成数据 SYNTHETIC DATA, not real ·");
                }
                ui.label(format!(
                    "{} · {} 个开发区 zones · {} 组 groups · {} 个来源 sources · {} 条数据 figures",
                    i.path.display(),
                    i.zones,
                    i.groups,
                    i.sources,
                    i.observations
                ));
            } else {
                ui.label(format!("正在打开 opening {}", self.path.display()));
            }
        });
    }
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
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.receive();
        if !self.title_set && self.info.is_some() {
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Title(self.window_title()));
            self.title_set = true;
        }
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar(ui));
        egui::Panel::left("zones").resizable(true).default_size(260.0).show(ui, |ui| self.zone_list(ui));
        egui::CentralPanel::default_margins().show(ui, |ui| self.figures_table(ui));
    }
}
