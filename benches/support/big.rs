//! The 14.4-million-figure synthetic database the store and window benchmarks run on: generated
//! once into `target/bench-data/` (or the file ZONESCOPE_BENCH_DB names) and kept.

use std::path::PathBuf;
use std::time::Instant;

use zonescope::synth::{self, SynthSpec};

/// The database the typical-query target is stated for: about 14 million observations.
pub const BIG: SynthSpec = SynthSpec { zones: 2000, indicators: 20, years: 30, monthly: true };

pub fn big_database() -> PathBuf {
    let path = std::env::var_os("ZONESCOPE_BENCH_DB").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data/synthetic-2000x20x30-monthly.sqlite")
    });
    if !path.exists() {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("bench data folder");
        }
        eprintln!("generating {} ({} observations)…", path.display(), BIG.observations());
        let t = Instant::now();
        synth::generate(&path, BIG, |_| {}).expect("synthetic database");
        eprintln!("generated in {:.1} s", t.elapsed().as_secs_f64());
    }
    path
}
