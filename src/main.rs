//! `zonescope`: the window by default, and a command line for the same database.

mod cli;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use cli::Format;

#[derive(Parser)]
#[command(
    name = "zonescope",
    version,
    about = "Compare China's development zones over time, with every figure traced to its source"
)]
struct Args {
    /// The database to open; built from the bundled data when the file does not exist.
    /// Default: zonescope.sqlite in the user's data folder.
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Open the window (what runs with no command).
    Gui {
        /// The window's size in points, WIDTHxHEIGHT (for screenshots of a known size).
        #[arg(long, value_name = "WxH", value_parser = parse_size)]
        size: Option<[f32; 2]>,
    },
    /// List zones, groups and aggregates; canonical names, short names and aliases all match.
    Zones {
        /// Only entities any of whose names contain TEXT.
        #[arg(long, value_name = "TEXT")]
        search: Option<String>,
    },
    /// Print a zone's (or group's) figures with their sources; with --ranking, the ranking of
    /// every entity on one indicator and period, as the window and a ranking figure show it.
    Query {
        /// A zone or group: canonical name, short name, alias, or members joined by '+'.
        /// Repeat for several.
        #[arg(long, value_name = "NAME", required_unless_present = "ranking")]
        zone: Vec<String>,
        /// The ranking of the indicator (needs --indicator): best first, one figure per entity.
        #[arg(long, requires = "indicator")]
        ranking: bool,
        /// The period ranked (2023, 2024-01/2024-08); default: the one most entities report.
        #[arg(long, value_name = "PERIOD", requires = "ranking")]
        period: Option<String>,
        /// Only this indicator (canonical or English name, or a unique part of one).
        #[arg(long, value_name = "NAME")]
        indicator: Option<String>,
        /// Only this measure.
        #[arg(long, value_enum)]
        measure: Option<MeasureArg>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Also figures waiting for review.
        #[arg(long)]
        candidates: bool,
    },
    /// List sources with how many figures each gave.
    Sources {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Print the database's path, schema version and counts, and check its pages (a file up
    /// to 256 MB always; a larger one with --check).
    Info {
        /// Check every page of a large database too (seconds per gigabyte).
        #[arg(long)]
        check: bool,
    },
    /// Propose figures found in report texts, as JSON lines in the corpus gold format.
    Extract {
        /// Text files: UTF-8 (with or without BOM), UTF-16 or GBK/GB18030.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The publication date (YYYY-MM-DD), for 今年, 去年, 目前…; else read from the text.
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
    },
    /// Store texts as sources with the figures found in them, waiting for review (or accepted).
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Who published the texts (a ministry, an office, a newspaper); else read from the
        /// text's head (a 来源: line, a dateline such as 新华社北京8月13日电, an office's signature).
        #[arg(long)]
        publisher: Option<String>,
        /// The publication date (YYYY-MM-DD), also for 今年, 去年, 目前…; else read from the text.
        #[arg(long, alias = "date", value_name = "YYYY-MM-DD")]
        published: Option<String>,
        /// Where the text was published (a web address); else a URL in the text's head, or
        /// the file's path.
        #[arg(long)]
        address: Option<String>,
        /// Accept the figures at once instead of leaving them for review.
        #[arg(long)]
        accept: bool,
    },
    /// Store a tidy table of figures (the columns of data/facts.csv: entity, indicator, measure,
    /// period, value, unit, and optionally period_text, qualifier, share_of, source_id, note,
    /// quote). Every row is checked first; one bad row stores nothing. The same file twice adds
    /// nothing.
    ImportCsv {
        /// The CSV file: UTF-8 (with or without BOM), UTF-16 or GBK/GB18030.
        file: PathBuf,
        /// The source of rows that name none: a source in the database, or a new one (then
        /// --publisher and --published are needed).
        #[arg(long, value_name = "ID")]
        source_id: Option<String>,
        /// Who published the table (a new source's publisher).
        #[arg(long)]
        publisher: Option<String>,
        /// When the table was published (a new source's date: YYYY, YYYY-MM or YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        published: Option<String>,
        /// Where it was published (a new source's address).
        #[arg(long)]
        address: Option<String>,
        /// A sources table beside it, in the columns of data/sources.csv (source_id,
        /// publisher, published, address, kind): the sources its rows name.
        #[arg(long, value_name = "SOURCES.csv")]
        sources: Option<PathBuf>,
    },
    /// Store the figures of a table as researchers keep it (a CSV or a workbook's sheet, a row
    /// per zone, columns of periods or of indicators), read through a mapping saved as JSON
    /// (the window's File → Import table saves one). Every cell is checked first; nothing is
    /// stored while a cell or a zone name cannot be read.
    ImportTable {
        /// The table: .csv/.tsv (UTF-8 with or without BOM, UTF-16, GBK/GB18030), .xlsx, .xls or .ods.
        file: PathBuf,
        /// The mapping: which column names the zone, what the other columns are, the unit,
        /// measure and source (see the README).
        #[arg(long, value_name = "MAPPING.json")]
        mapping: PathBuf,
        /// A workbook's sheet (overrides the mapping's).
        #[arg(long)]
        sheet: Option<String>,
        /// Read and check the table, and say what would be stored; store nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Remove an imported source and all its figures: the undo of an import. The bundled
    /// sources cannot be removed.
    RemoveSource {
        /// The source's key, as `zonescope sources` lists it.
        key: String,
    },
    /// Score the extractor against a corpus (texts/ and gold/); the last line is `F1 <number>`.
    Eval {
        /// The corpus folder.
        #[arg(default_value = "../shared/corpus")]
        dir: PathBuf,
    },
    /// Draw a view as a figure for a slide (PNG, SVG), or write its figures with their sources
    /// (CSV, XLSX).
    Export {
        /// A view saved in the database, by name.
        #[arg(long, value_name = "NAME", conflicts_with_all = ["view_file", "zone"])]
        view: Option<String>,
        /// A view saved as JSON (the format of saved views).
        #[arg(long, value_name = "FILE.json", conflicts_with = "zone")]
        view_file: Option<PathBuf>,
        /// Zones or groups, by any of their names. Repeat for several.
        #[arg(long, value_name = "NAME")]
        zone: Vec<String>,
        #[arg(long, value_name = "NAME")]
        indicator: Option<String>,
        #[arg(long, value_enum)]
        measure: Option<MeasureArg>,
        /// The file to write: FILE.png or FILE.svg (the figure), FILE.csv or FILE.xlsx (its
        /// figures with their sources).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// The chart of a figure; default: the view's tab (ranking) or a line chart.
        #[arg(long, value_enum)]
        chart: Option<ChartArg>,
        /// The figure's size in logical pixels, WIDTHxHEIGHT, or 16:9, 4:3, square, a4.
        #[arg(long, value_name = "WxH", default_value = "1920x1080")]
        size: String,
        /// Pixels per logical pixel in a PNG: 1 to 4.
        #[arg(long, default_value_t = 2)]
        scale: u32,
        /// The figure's language; default: the view's, else Chinese.
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
        /// The figure's title; default: indicator, measure, zones and period.
        #[arg(long)]
        title: Option<String>,
        /// Leave out the small "Zonescope" credit.
        #[arg(long)]
        no_credit: bool,
        /// Light paper (the default) or dark, for dark slides.
        #[arg(long, value_enum, default_value = "light")]
        theme: ThemeArg,
    },
    /// Write a synthetic database for benchmarks (needs --db PATH of a file that does not exist).
    Synth {
        #[arg(long, default_value_t = 200)]
        zones: u32,
        #[arg(long, default_value_t = 10)]
        indicators: u32,
        #[arg(long, default_value_t = 20)]
        years: u32,
        /// Add each year's cumulative Jan–N spans (12 figures a year instead of 1).
        #[arg(long)]
        monthly: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ChartArg {
    Line,
    Ranking,
}

#[derive(Clone, Copy, ValueEnum)]
enum ThemeArg {
    Light,
    Dark,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    Zh,
    En,
}

#[derive(Clone, Copy, ValueEnum)]
enum MeasureArg {
    Value,
    // The names the JSON output and view files use are accepted too.
    #[value(alias = "yoy_pct")]
    YoyPct,
    #[value(alias = "share_pct")]
    SharePct,
    Rank,
    #[value(alias = "yoy_pp")]
    YoyPp,
    #[value(alias = "avg_yoy_pct")]
    AvgYoyPct,
}

impl From<MeasureArg> for zonescope::model::Measure {
    fn from(m: MeasureArg) -> Self {
        use zonescope::model::Measure;
        match m {
            MeasureArg::Value => Measure::Value,
            MeasureArg::YoyPct => Measure::YoyPct,
            MeasureArg::SharePct => Measure::SharePct,
            MeasureArg::Rank => Measure::Rank,
            MeasureArg::YoyPp => Measure::YoyPp,
            MeasureArg::AvgYoyPct => Measure::AvgYoyPct,
        }
    }
}

/// `1600x1000` → [1600, 1000].
fn parse_size(s: &str) -> Result<[f32; 2], String> {
    let bad = || format!("{s:?} is not WIDTHxHEIGHT, such as 1600x1000");
    let (w, h) = zonescope::model::parse_width_height(s).ok_or_else(bad)?;
    if (200..=10_000).contains(&w) && (200..=10_000).contains(&h) { Ok([w as f32, h as f32]) } else { Err(bad()) }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let result = match args.command {
        None => cli::gui(args.db, None),
        Some(Command::Gui { size }) => cli::gui(args.db, size),
        Some(Command::Zones { search }) => cli::zones(args.db, search.as_deref()),
        Some(Command::Query { ranking: true, period, indicator: Some(indicator), measure, format, .. }) => {
            cli::ranking(args.db, &indicator, measure.map(Into::into), period, format)
        }
        Some(Command::Query { zone, indicator, measure, format, candidates, .. }) => {
            cli::query(args.db, &zone, indicator.as_deref(), measure.map(Into::into), format, candidates)
        }
        Some(Command::Sources { format }) => cli::sources(args.db, format),
        Some(Command::Info { check }) => cli::info(args.db, check),
        Some(Command::Extract { files, date }) => cli::extract(&files, date.as_deref()),
        Some(Command::Eval { dir }) => cli::eval(&dir),
        Some(Command::Export {
            view,
            view_file,
            zone,
            indicator,
            measure,
            out,
            chart,
            size,
            scale,
            lang,
            title,
            no_credit,
            theme,
        }) => {
            let figure = cli::FigureArgs {
                chart: chart.map(|c| match c {
                    ChartArg::Line => zonescope::figure::ChartKind::Line,
                    ChartArg::Ranking => zonescope::figure::ChartKind::Ranking,
                }),
                size,
                scale,
                english: lang.map(|l| matches!(l, LangArg::En)),
                title,
                credit: !no_credit,
                dark: matches!(theme, ThemeArg::Dark),
            };
            let view =
                cli::ViewArgs { name: view, file: view_file, zones: zone, indicator, measure: measure.map(Into::into) };
            cli::export(args.db, view, figure, &out)
        }
        Some(Command::ImportCsv { file, source_id, publisher, published, address, sources }) => cli::import_csv(
            args.db,
            &file,
            source_id.as_deref(),
            sources.as_deref(),
            &cli::SourceFlags { publisher, published, address },
        ),
        Some(Command::ImportTable { file, mapping, sheet, dry_run }) => {
            cli::import_table(args.db, &file, &mapping, sheet, dry_run)
        }
        Some(Command::RemoveSource { key }) => cli::remove_source(args.db, &key),
        Some(Command::Import { files, publisher, published, address, accept }) => {
            cli::import(args.db, &files, &cli::SourceFlags { publisher, published, address }, accept)
        }
        Some(Command::Synth { zones, indicators, years, monthly }) => {
            cli::synth(args.db, zonescope::synth::SynthSpec { zones, indicators, years, monthly })
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // `zonescope query … | head` closes the pipe early: that is not a failure.
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("zonescope: {}", message(&e));
            ExitCode::FAILURE
        }
    }
}

/// An error and its causes, each said once: most errors of the store and the exporters already
/// name their cause, which the chain would repeat (`no such table: meta: no such table: meta`).
fn message(e: &anyhow::Error) -> String {
    let mut out = e.to_string();
    for cause in e.chain().skip(1) {
        let cause = cause.to_string();
        if !out.contains(&cause) {
            out.push_str(": ");
            out.push_str(&cause);
        }
    }
    out
}
