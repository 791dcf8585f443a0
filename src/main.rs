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
    Gui,
    /// List zones, groups and aggregates; canonical names, short names and aliases all match.
    Zones {
        /// Only entities any of whose names contain TEXT.
        #[arg(long, value_name = "TEXT")]
        search: Option<String>,
    },
    /// Print a zone's (or group's) figures with their sources.
    Query {
        /// A zone or group: canonical name, short name, alias, or members joined by '+'.
        /// Repeat for several.
        #[arg(long, value_name = "NAME", required = true)]
        zone: Vec<String>,
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
    /// Print the database's path, schema version and counts.
    Info,
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
enum MeasureArg {
    Value,
    YoyPct,
    SharePct,
    Rank,
    YoyPp,
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

fn main() -> ExitCode {
    let args = Args::parse();
    let result = match args.command {
        None | Some(Command::Gui) => cli::gui(args.db),
        Some(Command::Zones { search }) => cli::zones(args.db, search.as_deref()),
        Some(Command::Query { zone, indicator, measure, format, candidates }) => {
            cli::query(args.db, &zone, indicator.as_deref(), measure.map(Into::into), format, candidates)
        }
        Some(Command::Sources { format }) => cli::sources(args.db, format),
        Some(Command::Info) => cli::info(args.db),
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
            eprintln!("zonescope: {e:#}");
            ExitCode::FAILURE
        }
    }
}
