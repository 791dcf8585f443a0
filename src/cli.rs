//! The command line: each command opens the database, asks the store, and prints.

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use unicode_width::UnicodeWidthStr;

use zonescope::model::{self, Measure};
use zonescope::store::{self, Observation, ObservationQuery, Store};
use zonescope::synth::{self, SynthSpec};

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

/// `--db PATH`, or the user's database; either is built from the bundled data when missing.
fn open(db: Option<PathBuf>) -> Result<Store> {
    let path = match db {
        Some(p) => p,
        None => store::default_database_path()?,
    };
    // Said only when it will happen: not before "the folder does not exist".
    let folder_exists = path.parent().is_none_or(|d| d.as_os_str().is_empty() || d.is_dir());
    if !path.exists() && folder_exists {
        eprintln!("zonescope: building {} from the bundled data", path.display());
    }
    Ok(Store::open_or_create(&path)?)
}

pub fn gui(db: Option<PathBuf>, size: Option<[f32; 2]>) -> Result<()> {
    let path = match db {
        Some(p) => p,
        None => store::default_database_path()?,
    };
    zonescope::ui::run(path, size)
}

pub fn zones(db: Option<PathBuf>, search: Option<&str>) -> Result<()> {
    let store = open(db)?;
    let registry = store.registry()?;
    let found = registry.search(search.unwrap_or(""));
    if found.is_empty() {
        bail!("no zone or group matches {:?}", search.unwrap_or(""));
    }
    let rows: Vec<Vec<String>> = found
        .iter()
        .map(|e| {
            vec![
                e.code.clone().unwrap_or_default(),
                e.name.clone(),
                e.short_name.clone().unwrap_or_default(),
                e.kind.as_str().to_string(),
                e.province.clone().unwrap_or_default(),
                e.approved.clone().unwrap_or_default(),
                e.figures.to_string(),
                e.aliases.join("; "),
            ]
        })
        .collect();
    let mut out = io::stdout().lock();
    print_table(
        &mut out,
        &["code", "name", "short name", "kind", "province", "approved", "figures", "aliases"],
        &rows,
    )?;
    writeln!(out, "{} of {} entities", found.len(), registry.entities.len())?;
    Ok(())
}

pub fn query(
    db: Option<PathBuf>,
    zones: &[String],
    indicator: Option<&str>,
    measure: Option<Measure>,
    format: Format,
    candidates: bool,
) -> Result<()> {
    let store = open(db)?;
    let registry = store.registry_without_counts()?;
    let entities = registry.resolve_ids(zones)?;
    let indicator = indicator.map(|i| store.resolve_indicator(i)).transpose()?;
    let q = ObservationQuery {
        entities,
        indicator: indicator.as_ref().map(|i| i.id),
        measure,
        include_candidates: candidates,
    };
    let obs = store.observations(&q)?;
    say_unreadable(&store);
    let mut out = io::stdout().lock();
    match format {
        Format::Json => {
            for o in &obs {
                serde_json::to_writer(&mut out, o)?;
                writeln!(out)?;
            }
        }
        Format::Csv => write_csv(&mut out, &obs)?,
        Format::Table => {
            if obs.is_empty() {
                let names: Vec<&str> =
                    q.entities.iter().filter_map(|id| registry.get(*id)).map(|e| e.name.as_str()).collect();
                eprintln!(
                    "no figures for {}{}",
                    names.join(", "),
                    indicator.map(|i| format!(" on {}", i.name)).unwrap_or_default()
                );
            } else {
                print_observations(&mut out, &obs)?;
            }
        }
    }
    Ok(())
}

/// Says on stderr which stored figures were left out because they could not be read.
fn say_unreadable(store: &Store) {
    let skipped = store.unreadable_figures();
    if let Some(first) = skipped.first() {
        let more = if skipped.len() > 1 { format!(" and {} more", skipped.len() - 1) } else { String::new() };
        eprintln!(
            "zonescope: note: {} stored figure(s) could not be read and are left out: {first}{more}",
            skipped.iter().map(|s| s.figures).sum::<usize>()
        );
    }
}

/// `query --ranking`: the ranking of one indicator, measure and period, as every front end
/// ranks it (`export::view_ranking`).
pub fn ranking(
    db: Option<PathBuf>,
    indicator: &str,
    measure: Option<Measure>,
    period: Option<String>,
    format: Format,
) -> Result<()> {
    let store = open(db)?;
    if let Some(p) = &period {
        p.parse::<zonescope::model::Period>().with_context(|| format!("--period {p:?}"))?;
    }
    let view = zonescope::view::ViewSpec {
        indicator: Some(indicator.to_string()),
        measure,
        ranking_period: period.clone(),
        tab: Some(zonescope::view::Tab::Ranking),
        ..Default::default()
    };
    let (ranking, figures) = zonescope::export::view_ranking(&store, &view)?;
    if let Some(p) = period.as_deref().and_then(|p| p.parse::<zonescope::model::Period>().ok())
        && p != ranking.period
    {
        bail!(
            "no figure of {indicator} is for {p}; periods with figures: {}",
            ranking.periods.iter().take(12).map(|p| p.period.to_string()).collect::<Vec<_>>().join(", ")
        );
    }
    if !ranking.references.is_empty() {
        let listed: Vec<String> = ranking.references.iter().map(|b| b.entity.clone()).collect();
        eprintln!("for reference, not ranked (totals and groups): {}", listed.join(", "));
    }
    if ranking.other_wholes > 0 {
        eprintln!(
            "ranked: shares {}; left out: {} entities whose shares are of another whole (shares of different wholes do not compare)",
            zonescope::model::ShareOf::label(ranking.share_of, zonescope::model::Lang::En),
            ranking.other_wholes
        );
    }
    let mut out = io::stdout().lock();
    match format {
        Format::Json => {
            for (rank, o) in figures.iter().enumerate() {
                let mut row = serde_json::to_value(o)?;
                if let Some(fields) = row.as_object_mut() {
                    fields.insert("rank".into(), (rank + 1).into());
                }
                serde_json::to_writer(&mut out, &row)?;
                writeln!(out)?;
            }
        }
        Format::Csv => {
            let shown = ranking.shown(false);
            zonescope::export::write_csv(&mut out, &figures, &shown, &view, None)?;
        }
        Format::Table => {
            let rows: Vec<Vec<String>> = figures
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    vec![
                        (i + 1).to_string(),
                        o.entity.to_string(),
                        format!(
                            "{}{}",
                            o.qualifier.map_or("", |q| q.word(false)),
                            store::value_with_unit(o.value, &o.unit)
                        ),
                        o.period_text.clone(),
                        o.source.to_string(),
                        o.published.as_deref().unwrap_or_default().to_string(),
                    ]
                })
                .collect();
            writeln!(out, "{} · {} · {}", indicator, measure.unwrap_or(Measure::Value).as_str(), ranking.period)?;
            print_table(&mut out, &["rank", "entity", "value", "as written", "source", "published"], &rows)?;
            writeln!(
                out,
                "{} of {} national zones reported; {} entities ranked",
                ranking.reported,
                ranking.catalog,
                figures.len()
            )?;
        }
    }
    Ok(())
}

fn write_csv(out: &mut impl Write, obs: &[Observation]) -> Result<()> {
    use zonescope::present::{FIGURE_COLUMNS, figure_row};
    let mut w = csv::Writer::from_writer(out);
    w.write_record(FIGURE_COLUMNS)?;
    for o in obs {
        w.write_record(figure_row(o, None, None).iter().map(|c| c.text()))?;
    }
    w.flush()?;
    Ok(())
}

/// A table of figures, each with its quote under it and a numbered citation; the sources
/// follow the table.
fn print_observations(out: &mut impl Write, obs: &[Observation]) -> Result<()> {
    let mut cited: Vec<&Observation> = Vec::new();
    let mut number: HashMap<&str, usize> = HashMap::new();
    let mut rows = Vec::new();
    let mut quotes = Vec::new();
    for o in obs {
        let n = *number.entry(&*o.source_id).or_insert_with(|| {
            cited.push(o);
            cited.len()
        });
        rows.push(vec![
            o.entity.to_string(),
            o.indicator.to_string(),
            o.measure.as_str().to_string(),
            o.period.notation().unwrap_or_else(|| "—".into()),
            o.period_text.clone(),
            store::value_with_unit(o.value, &o.unit),
            format!("{} {}", model::format_number(o.value_base), o.unit_base.name()),
            o.qualifier.map(|q| q.as_str().to_string()).unwrap_or_default(),
            format!("[{n}]"),
        ]);
        quotes.push(o.quote.clone());
    }
    let headers =
        ["entity", "indicator", "measure", "period", "as written", "value", "in base units", "qualifier", "source"];
    let widths = column_widths(&headers, &rows);
    write_row(out, &widths, headers.iter().map(|s| s.to_string()))?;
    for (row, quote) in rows.into_iter().zip(quotes) {
        write_row(out, &widths, row.into_iter())?;
        if let Some(q) = quote {
            writeln!(out, "    “{q}”")?;
        }
    }
    writeln!(out)?;
    writeln!(out, "Sources")?;
    for (i, o) in cited.iter().enumerate() {
        writeln!(
            out,
            "[{}] {}, {}, {} ({})",
            i + 1,
            o.source,
            o.published.as_deref().unwrap_or("date unknown"),
            if o.address.is_empty() { "no address" } else { &o.address },
            o.source_id
        )?;
    }
    writeln!(out, "{} figures", obs.len())?;
    Ok(())
}

pub fn sources(db: Option<PathBuf>, format: Format) -> Result<()> {
    let store = open(db)?;
    let sources = store.sources()?;
    let mut out = io::stdout().lock();
    match format {
        Format::Json => {
            for s in &sources {
                serde_json::to_writer(&mut out, s)?;
                writeln!(out)?;
            }
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record(["source_id", "publisher", "published", "kind", "figures", "address", "title"])?;
            for s in &sources {
                w.write_record([
                    s.key.as_str(),
                    &s.publisher,
                    s.published.as_deref().unwrap_or(""),
                    s.kind.as_deref().unwrap_or(""),
                    &s.figures.to_string(),
                    &s.address,
                    s.title.as_deref().unwrap_or(""),
                ])?;
            }
            w.flush()?;
        }
        Format::Table => {
            let rows: Vec<Vec<String>> = sources
                .iter()
                .map(|s| {
                    vec![
                        s.key.clone(),
                        s.publisher.clone(),
                        s.published.clone().unwrap_or_default(),
                        s.figures.to_string(),
                        s.address.clone(),
                    ]
                })
                .collect();
            print_table(&mut out, &["source_id", "publisher", "published", "figures", "address"], &rows)?;
            let total: i64 = sources.iter().map(|s| s.figures).sum();
            writeln!(out, "{} sources, {total} figures", sources.len())?;
        }
    }
    Ok(())
}

/// Files up to this size are checked page by page on every `info` (a fraction of a second).
const CHECKED_ALWAYS: u64 = 256 << 20;

pub fn info(db: Option<PathBuf>, check: bool) -> Result<()> {
    let store = open(db)?;
    let i = store.info()?;
    let size = std::fs::metadata(store.path()).map(|m| m.len()).unwrap_or(0);
    let integrity = if check || size <= CHECKED_ALWAYS {
        store.quick_check()?;
        "every page checked, no damage found".to_string()
    } else {
        format!("not checked ({} MB; `zonescope info --check` reads every page)", size >> 20)
    };
    let mut out = io::stdout().lock();
    writeln!(out, "database:       {}", i.path.display())?;
    writeln!(out, "schema version: {} (this app: {})", i.schema_version, store::SCHEMA_VERSION)?;
    writeln!(out, "synthetic:      {}", if i.synthetic { "yes (generated figures, not real data)" } else { "no" })?;
    if i.read_only {
        writeln!(
            out,
            "access:         read-only (the file or its folder cannot be written; reading works, changes are refused)"
        )?;
    }
    writeln!(out, "zones:          {} ({} in the 2018 national catalog)", i.zones, i.zones_in_catalog)?;
    writeln!(out, "groups:         {}", i.groups)?;
    writeln!(out, "indicators:     {}", i.indicators)?;
    writeln!(out, "sources:        {}", i.sources)?;
    writeln!(out, "observations:   {}", i.observations)?;
    if let Some(by) = i.created_by {
        writeln!(out, "created by:     {by}")?;
    }
    writeln!(out, "integrity:      {integrity}")?;
    Ok(())
}

/// A text file read and its figures found, with what the user is told about it.
struct ReadText {
    doc: String,
    text: String,
    published: Option<zonescope::model::Date>,
    candidates: Vec<zonescope::extract::Candidate>,
}

fn read_texts(files: &[PathBuf], date: Option<&str>) -> Result<Vec<ReadText>> {
    use zonescope::extract::{rules, text};
    let date = date
        .map(|d| d.parse::<zonescope::model::Date>().with_context(|| format!("the date {d:?} is not YYYY-MM-DD")))
        .transpose()?;
    let gazetteer = rules::Gazetteer::from_dataset(&zonescope::dataset::Dataset::bundled()?);
    let mut out = Vec::new();
    for path in files {
        let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        let decoded = text::decode(&bytes).with_context(|| format!("{}", path.display()))?;
        let published = date.or_else(|| rules::find_date(&decoded.text));
        let when = published
            .map_or("unknown: relative periods (今年, 去年…) are left unresolved".to_string(), |d| d.to_string());
        eprintln!("{}: read as {}; publication date {when}", path.display(), decoded.encoding);
        let doc = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let candidates = rules::extract(&decoded.text, published, &gazetteer);
        out.push(ReadText { doc, text: decoded.text, published, candidates });
    }
    Ok(out)
}

/// Who published the texts to import, when and where, as the command line gives it; what it
/// leaves out is read from each text's head.
#[derive(Debug, Default)]
pub struct SourceFlags {
    pub publisher: Option<String>,
    pub published: Option<String>,
    pub address: Option<String>,
}

pub fn import(db: Option<PathBuf>, files: &[PathBuf], flags: &SourceFlags, accept: bool) -> Result<()> {
    use zonescope::store::{ImportedFigure, ImportedText};
    let texts = read_texts(files, flags.published.as_deref())?;
    // Every text is checked for a publisher and a date before anything is stored: a figure
    // without a source is not kept, and a half-imported batch helps nobody.
    let mut sources = Vec::new();
    for (t, path) in texts.iter().zip(files) {
        let hints = zonescope::extract::source::source_hints(&t.text);
        let publisher = flags.publisher.clone().or(hints.publisher).with_context(|| {
            format!(
                "{}: the text names no publisher (no 来源: line, dateline or office signature); give --publisher",
                path.display()
            )
        })?;
        let published = t.published.with_context(|| {
            format!("{}: the text gives no publication date; give --published YYYY-MM-DD", path.display())
        })?;
        let address = flags
            .address
            .clone()
            .or(hints.address)
            .unwrap_or_else(|| std::fs::canonicalize(path).unwrap_or_else(|_| path.clone()).display().to_string());
        sources.push((publisher, published, address));
    }
    let mut store = open(db)?;
    for ((t, path), (publisher, published, address)) in texts.iter().zip(files).zip(sources) {
        let figures: Vec<ImportedFigure> = t.candidates.iter().map(|c| c.to_import(accept.then_some(true))).collect();
        let title = t.text.lines().map(str::trim).find(|l| !l.is_empty()).map(|l| l.chars().take(120).collect());
        let source = ImportedText {
            title,
            publisher: publisher.clone(),
            address,
            published: Some(published.to_string()),
            full_text: &t.text,
        };
        let outcome = store.import_text(&source, &figures)?;
        if outcome.already_stored {
            println!("{}: already imported (source {}); nothing added", path.display(), outcome.source_key);
        } else {
            let status = if accept { "accepted" } else { "waiting for review" };
            println!(
                "{}: {} figures {status} (source {}: {publisher}, {published})",
                path.display(),
                outcome.added,
                outcome.source_key
            );
        }
    }
    Ok(())
}

/// `import-csv`: a tidy table checked row by row, then stored in one transaction.
pub fn import_csv(
    db: Option<PathBuf>,
    file: &Path,
    source_id: Option<&str>,
    sources_file: Option<&Path>,
    flags: &SourceFlags,
) -> Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    // The file is decoded and fingerprinted on other threads while the database opens; the
    // fingerprint, slower than the decoding, is waited for only when the rows are being read.
    std::thread::scope(|scope| {
        let text = scope.spawn(|| zonescope::extract::text::decode_borrowed(&bytes));
        let fingerprint = scope.spawn(|| zonescope::store::fingerprint(&bytes));
        let opened = open(db).and_then(|store| {
            let registry = store.registry_without_counts()?;
            let stored: std::collections::HashSet<String> = store.sources()?.into_iter().map(|s| s.key).collect();
            Ok((store, registry, stored))
        });
        let text = joined(text.join());
        import_decoded_csv(file, source_id, sources_file, flags, text, opened, || joined(fingerprint.join()))
    })
}

/// The rest of `import_csv`, once the file is decoded and the database open.
fn import_decoded_csv(
    file: &Path,
    source_id: Option<&str>,
    sources_file: Option<&Path>,
    flags: &SourceFlags,
    text: Result<(std::borrow::Cow<'_, str>, &'static str), zonescope::extract::text::DecodeError>,
    opened: Result<(zonescope::store::Store, zonescope::registry::Registry, std::collections::HashSet<String>)>,
    fingerprint: impl FnOnce() -> u64,
) -> Result<()> {
    use zonescope::store::NewSource;
    let text = text.with_context(|| format!("{}: not a text table", file.display()))?;
    // A sources table beside the figures: every source in it checked before anything is stored.
    let listed = match sources_file {
        Some(path) => {
            let raw = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
            let decoded = zonescope::extract::text::decode(&raw)
                .with_context(|| format!("{}: not a text table", path.display()))?;
            zonescope::dataset::read_sources(&decoded.text)
                .map_err(|e| anyhow::anyhow!("{}: line {}: {}", path.display(), e.line, e.problem))?
        }
        None => Vec::new(),
    };
    let (mut store, registry, mut stored) = opened?;
    // Sources of the sources table the database lacks are added; those it has are used as they are.
    let listed: Vec<&zonescope::dataset::Source> = listed.iter().filter(|s| !stored.contains(&s.key)).collect();
    stored.extend(listed.iter().map(|s| s.key.clone()));
    // A --source-id the database lacks is a new source, and a source is a publisher and a date.
    let new_source = match source_id {
        Some(id) if !stored.contains(id) => {
            let publisher = flags.publisher.as_deref().with_context(|| {
                format!(
                    "{}: source {id:?} is new: give --publisher and --published (a figure without a source is not stored)",
                    file.display()
                )
            })?;
            let published = flags
                .published
                .as_deref()
                .with_context(|| format!("{}: source {id:?} is new: give --published", file.display()))?;
            zonescope::model::parse_published(published).with_context(|| format!("--published {published:?}"))?;
            Some((id, publisher, published))
        }
        _ => None,
    };
    let sources = zonescope::tables::Sources { given: source_id, stored: &stored };
    let report = |problems: &[zonescope::tables::RowProblem]| -> anyhow::Error {
        for p in problems.iter().take(50) {
            eprintln!("{}: {p}", file.display());
        }
        if problems.len() > 50 {
            eprintln!("{}: … and {} more", file.display(), problems.len() - 50);
        }
        anyhow::anyhow!(
            "{}: {} row(s) cannot be stored; nothing from the file was stored",
            file.display(),
            problems.len()
        )
    };
    let (text, encoding) = text;
    let table = zonescope::tables::TidyTable::of(&text).map_err(|p| report(&p))?;
    let address = flags.address.clone().unwrap_or_default();
    let mut new_sources: Vec<NewSource> = listed
        .iter()
        .map(|s| NewSource {
            key: &s.key,
            title: s.title.as_deref(),
            publisher: &s.publisher,
            address: &s.address,
            published: s.published.as_deref(),
            kind: Some(if s.kind.is_empty() { "table" } else { s.kind.as_str() }),
        })
        .collect();
    new_sources.extend(new_source.map(|(key, publisher, published)| NewSource {
        key,
        title: None,
        publisher,
        address: &address,
        published: Some(published),
        kind: Some("table"),
    }));
    // The rows are read and checked on one thread while the figures of those before are
    // stored on this one; a bad row anywhere stores nothing, as when every row was read first.
    let expected = table.rows_about();
    let bar = storing_bar(expected)?;
    let mut problems = Vec::new();
    let outcome = std::thread::scope(|scope| {
        // Room for the rows read while the fingerprint is still being taken.
        let (send, receive) = std::sync::mpsc::sync_channel::<Vec<zonescope::store::TableFigure>>(16);
        let mut reader =
            Some(scope.spawn(move || table.read_in_chunks(&registry, &sources, &mut |chunk| send.send(chunk).is_ok())));
        let mut produce = |store: &mut zonescope::store::FigureSink<'_>| {
            for chunk in receive.iter() {
                chunk.iter().try_for_each(&mut *store)?;
            }
            match reader.take().map(|r| joined(r.join())) {
                Some(Err(found)) => {
                    problems = found;
                    Ok(false)
                }
                _ => Ok(true),
            }
        };
        let fingerprint = fingerprint();
        store.import_table_from(&new_sources, expected, &mut produce, fingerprint, &mut |n| bar.set_position(n as u64))
    });
    bar.finish_and_clear();
    if !problems.is_empty() {
        return Err(report(&problems));
    }
    let outcome = outcome?;
    if outcome.already_imported {
        println!("{}: imported before; nothing added", file.display());
    } else {
        println!("{}: {} figures stored ({encoding})", file.display(), outcome.added);
    }
    Ok(())
}

/// What a thread returned; its panic goes on in this one.
fn joined<T>(result: std::thread::Result<T>) -> T {
    result.unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// A progress bar on stderr for storing `n` figures; drawn only on a terminal.
fn storing_bar(n: usize) -> Result<indicatif::ProgressBar> {
    let bar = indicatif::ProgressBar::new(n as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} storing {wide_bar} {human_pos}/{human_len} figures ({eta} left)",
        )
        .context("progress bar template")?,
    );
    Ok(bar)
}

/// Reads a table (CSV or workbook) through a mapping, shows what it found, and stores its
/// figures with the mapping's source in one transaction, or nothing when anything is wrong.
pub fn import_table(
    db: Option<PathBuf>,
    file: &Path,
    mapping_path: &Path,
    sheet: Option<String>,
    dry_run: bool,
) -> Result<()> {
    use zonescope::tables::wide::{self, NameReading};
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let mapping_text =
        std::fs::read_to_string(mapping_path).with_context(|| format!("reading {}", mapping_path.display()))?;
    let mut mapping: wide::Mapping = serde_json::from_str(&mapping_text)
        .with_context(|| format!("{}: not a table mapping", mapping_path.display()))?;
    if sheet.is_some() {
        mapping.sheet = sheet;
    }
    wide::check_source(&mapping.source).with_context(|| format!("{}", mapping_path.display()))?;
    let mut store = open(db)?;
    let registry = store.registry_without_counts()?;
    let file_name = file.file_name().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
    let prepared = zonescope::tables::PreparedTable::read(&bytes, &file_name, &mapping, &registry)
        .with_context(|| format!("{}", file.display()))?;
    let (grid, table) = (&prepared.grid, &prepared.table);
    let name = file.display();
    let sheet_note = grid.sheet.as_deref().map(|s| format!(", sheet {s:?}")).unwrap_or_default();
    eprintln!(
        "{name}: read as {}{sheet_note}; header rows {}–{}, zones in column {}, figures from row {}",
        grid.read_as,
        table.header.0 + 1,
        table.header.1 + 1,
        zonescope::tables::grid::column_name(table.zone_column),
        table.first_row + 1
    );
    for c in &table.columns {
        let column = zonescope::tables::grid::column_name(c.col);
        match (&c.left_out, c.period, &c.indicator, &c.unit) {
            (Some(why), ..) => {
                eprintln!("  column {column} {:?}: left out ({})", c.header, why.text(zonescope::model::Lang::En))
            }
            (None, Some(p), Some(i), Some(u)) => eprintln!("  column {column} {:?}: {i}, {p}, {u}", c.header),
            _ => {}
        }
    }
    for (row, why) in &table.rows_left_out {
        eprintln!("  row {}: left out ({})", row + 1, why.text(zonescope::model::Lang::En));
    }
    for (written, reading) in &table.names {
        if let NameReading::Unknown(closest) = reading {
            let hint = if closest.is_empty() { String::new() } else { format!("; closest: {}", closest.join(", ")) };
            eprintln!("  {written:?}: no zone of this name{hint} (say which in the mapping's \"names\", or \"new\")");
        }
    }
    for p in table.problems.iter().take(50) {
        eprintln!("  {p}");
    }
    if let Some(first) = table.mapping_problems.first() {
        bail!("{}: {first}; nothing was stored", mapping_path.display());
    }
    if !table.ready() {
        let unknown = table.unknown_names().count();
        bail!(
            "{name}: {} cell(s) cannot be read and {unknown} name(s) are unknown; nothing from the file was stored",
            table.problems.len()
        );
    }
    let figures = &prepared.figures;
    if figures.is_empty() {
        bail!("{name}: no column gives figures (see above); nothing stored");
    }
    if dry_run {
        println!("{name}: {} figures would be stored (dry run: nothing stored)", figures.len());
        return Ok(());
    }
    let key = &prepared.key;
    let source = prepared.source(&mapping);
    let content = &prepared.content;
    let bar = storing_bar(figures.len())?;
    let outcome = store.import_table(&[source], figures, content, &mut |n| bar.set_position(n as u64))?;
    bar.finish_and_clear();
    if outcome.already_imported {
        println!("{name}: imported before with this mapping; nothing added");
    } else {
        println!(
            "{name}: {} figures stored as source {key} ({} empty cells left empty)",
            outcome.added, table.empty_cells
        );
    }
    Ok(())
}

/// Removes an imported source and all its figures (the undo of an import).
pub fn remove_source(db: Option<PathBuf>, key: &str) -> Result<()> {
    let mut store = open(db)?;
    let removed = store.remove_source(key, zonescope::dataset::bundled_source_keys())?;
    println!("removed source {key} and its {removed} figures");
    Ok(())
}

pub fn extract(files: &[PathBuf], date: Option<&str>) -> Result<()> {
    let mut out = io::stdout().lock();
    for t in read_texts(files, date)? {
        for c in &t.candidates {
            let mut line = serde_json::to_value(zonescope::extract::eval::GoldFact::of(&t.doc, c))?;
            line["quote_span"] = serde_json::json!([c.quote_span.0, c.quote_span.1]);
            if let Some(whole) = c.share_of {
                line["share_of"] = whole.as_str().into();
            }
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

pub fn eval(dir: &Path) -> Result<()> {
    use zonescope::extract::{eval, rules};
    if !dir.join("texts").is_dir() {
        bail!("{}: no texts/ folder; pass the corpus folder", dir.display());
    }
    let gazetteer = rules::Gazetteer::from_dataset(&zonescope::dataset::Dataset::bundled()?);
    let docs = eval::run_corpus(dir, &gazetteer)?;
    let mut all = eval::Score::default();
    let mut out = io::stdout().lock();
    for d in &docs {
        writeln!(
            out,
            "{:52} {:8} P {:.3} ({}/{})  R {:.3} ({}/{})  F1 {:.3}",
            d.doc,
            d.encoding,
            d.score.precision(),
            d.score.matched,
            d.score.counted_predictions,
            d.score.recall(),
            d.score.matched,
            d.score.required,
            d.score.f1()
        )?;
        for m in &d.score.misses {
            writeln!(
                out,
                "    miss  {} {} {} {} {}{} “{}”",
                m.entity,
                m.indicator,
                m.measure,
                m.period.as_deref().unwrap_or("-"),
                m.value,
                m.unit,
                m.quote
            )?;
        }
        for f in &d.score.false_hits {
            writeln!(
                out,
                "    false {} {} {} {} {}{} “{}”",
                f.entity,
                f.indicator,
                f.measure,
                f.period.as_deref().unwrap_or("-"),
                f.value,
                f.unit,
                f.quote
            )?;
        }
        all.add(d.score.clone());
    }
    writeln!(out, "misses by the one field that differs:")?;
    for (cause, n) in eval::misses_by_cause(&all) {
        writeln!(out, "    {cause:10} {n}")?;
    }
    writeln!(out, "all texts: P {:.3}  R {:.3}", all.precision(), all.recall())?;
    writeln!(out, "F1 {:.3}", all.f1())?;
    Ok(())
}

/// Which view to export: a saved one, a JSON file, or zones and an indicator.
pub struct ViewArgs {
    pub name: Option<String>,
    pub file: Option<PathBuf>,
    pub zones: Vec<String>,
    pub indicator: Option<String>,
    pub measure: Option<Measure>,
}

/// How to draw an exported figure.
pub struct FigureArgs {
    pub chart: Option<zonescope::figure::ChartKind>,
    pub size: String,
    pub scale: u32,
    pub english: Option<bool>,
    pub title: Option<String>,
    pub credit: bool,
    pub dark: bool,
}

pub fn export(db: Option<PathBuf>, view: ViewArgs, figure: FigureArgs, out: &Path) -> Result<()> {
    use zonescope::figure::{ChartKind, FigureSpec};
    use zonescope::view::ViewSpec;
    let store = open(db)?;
    let spec = match (view.name, view.file) {
        (Some(name), _) => store
            .views()?
            .into_iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
            .with_context(|| format!("no view is saved as {name:?}"))?
            .map_err(anyhow::Error::msg)?,
        (None, Some(file)) => {
            let text = std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
            ViewSpec::from_json(&text).with_context(|| format!("{}: not a Zonescope view", file.display()))?
        }
        (None, None) => {
            ViewSpec { entities: view.zones, indicator: view.indicator, measure: view.measure, ..Default::default() }
        }
    };
    // --lang names the language of the data files' labels too (the shown unit).
    let mut spec = spec;
    if let Some(english) = figure.english {
        spec.lang = Some(if english { zonescope::model::Lang::En } else { zonescope::model::Lang::Zh });
    }
    let ext = out.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "csv" => {
            let n = zonescope::export::export_csv(&store, &spec, out)?;
            say_unreadable(&store);
            println!("wrote {n} figures with their sources to {}", out.display());
            Ok(())
        }
        "xlsx" => {
            let n = zonescope::export::export_xlsx(&store, &spec, out)?;
            println!("wrote {n} figures and their sources to {}", out.display());
            Ok(())
        }
        "png" | "svg" => {
            let (width, height) = parse_size(&figure.size)?;
            let chart = figure.chart.unwrap_or(if spec.tab == Some(zonescope::view::Tab::Ranking) {
                ChartKind::Ranking
            } else {
                ChartKind::Line
            });
            let figure_spec = FigureSpec {
                chart,
                width,
                height,
                scale: figure.scale,
                lang: match figure.english {
                    Some(true) => zonescope::model::Lang::En,
                    Some(false) => zonescope::model::Lang::Zh,
                    None => spec.lang.unwrap_or(zonescope::model::Lang::Zh),
                },
                title: figure.title,
                credit: figure.credit,
                dark: figure.dark,
            };
            let composed = zonescope::export::compose_figure(&store, &spec, &figure_spec)?;
            say_unreadable(&store);
            zonescope::export::write_figure(&composed, out)?;
            let (w, h) = figure_spec.pixel_size();
            let size = if ext == "png" { format!("{w}×{h} pixels") } else { format!("{width}×{height}, vector") };
            println!(
                "wrote “{}” ({size}, citing {} sources) to {}",
                composed.title,
                composed.sources.len(),
                out.display()
            );
            Ok(())
        }
        _ => bail!("{}: give the output file a .png, .svg, .csv or .xlsx name", out.display()),
    }
}

/// `1920x1080` (or `1920×1080`), or a preset: `16:9`, `4:3`, `square`, `a4`.
fn parse_size(text: &str) -> Result<(u32, u32)> {
    use zonescope::figure::SIZE_PRESETS;
    let t = text.trim().to_ascii_lowercase();
    let preset = match t.as_str() {
        "16:9" => Some(0),
        "4:3" => Some(1),
        "square" | "1:1" => Some(2),
        "a4" | "a4-landscape" => Some(3),
        _ => None,
    };
    if let Some(i) = preset {
        return Ok((SIZE_PRESETS[i].width, SIZE_PRESETS[i].height));
    }
    let (w, h) = zonescope::model::parse_width_height(&t)
        .with_context(|| format!("--size {text:?}: give WIDTHxHEIGHT such as 1920x1080, or 16:9, 4:3, square, a4"))?;
    Ok((w, h))
}

pub fn synth(db: Option<PathBuf>, spec: SynthSpec) -> Result<()> {
    let Some(path) = db else {
        bail!("synth needs --db PATH: a synthetic database is never written over the user's own");
    };
    let bar = indicatif::ProgressBar::new(spec.observations());
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {human_pos}/{human_len} observations ({per_sec}, {eta} left)",
        )
        .context("progress bar template")?,
    );
    let store = synth::generate(&path, spec, |n| bar.set_position(n))?;
    bar.finish();
    let i = store.info()?;
    println!(
        "wrote synthetic database {}: {} zones, {} indicators, {} observations",
        display(&path),
        i.zones,
        i.indicators,
        i.observations
    );
    Ok(())
}

fn display(p: &Path) -> String {
    p.display().to_string()
}

fn column_widths(headers: &[&str], rows: &[Vec<String>]) -> Vec<usize> {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.width()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.width());
        }
    }
    widths
}

/// Columns padded by display width, so that Chinese (two columns a character) lines up.
fn write_row(out: &mut impl Write, widths: &[usize], cells: impl Iterator<Item = String>) -> io::Result<()> {
    let mut line = String::new();
    for (i, (cell, w)) in cells.zip(widths).enumerate() {
        if i > 0 {
            line.push_str("  ");
        }
        line.push_str(&cell);
        line.extend(std::iter::repeat_n(' ', w.saturating_sub(cell.width())));
    }
    writeln!(out, "{}", line.trim_end())
}

fn print_table(out: &mut impl Write, headers: &[&str], rows: &[Vec<String>]) -> io::Result<()> {
    let widths = column_widths(headers, rows);
    write_row(out, &widths, headers.iter().map(|s| s.to_string()))?;
    for row in rows {
        write_row(out, &widths, row.iter().cloned())?;
    }
    Ok(())
}
