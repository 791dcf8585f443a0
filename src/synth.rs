//! Synthetic databases for benchmarks: many zones, indicators and years of made-up figures.
//!
//! A synthetic database is marked as such in its metadata (`synthetic = 1`), its one source
//! says it is generated, and every entity and indicator name starts with 合成 ("synthetic"), so
//! no figure of it can pass for a real one wherever it shows.

use std::path::Path;

use crate::model::{EntityKind, IndicatorKind, Measure, Period, Unit, YearMonth};
use crate::store::{BulkWriter, NewEntity, NewObservation, NewSource, Store, StoreError};

/// The most observations `synth` writes: seven times the 14.4 million of the benchmarks'
/// database. More is a typing mistake, not a benchmark (it would take hours and most of a disk).
pub const MAX_OBSERVATIONS: u64 = 100_000_000;

/// The last year a synthetic series covers.
pub const LAST_YEAR: i32 = 2024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SynthSpec {
    pub zones: u32,
    pub indicators: u32,
    pub years: u32,
    /// Also the cumulative Jan–N spans of every year (11 of them), as monthly bulletins give.
    pub monthly: bool,
}

impl SynthSpec {
    pub fn periods_per_series(&self) -> u64 {
        self.years as u64 * if self.monthly { 12 } else { 1 }
    }

    pub fn observations(&self) -> u64 {
        (self.zones as u64).saturating_mul(self.indicators as u64).saturating_mul(self.periods_per_series())
    }

    /// Every period of one series, oldest first: each year's Jan–N spans, then the year.
    pub fn periods(&self) -> Vec<Period> {
        let first = LAST_YEAR - self.years as i32 + 1;
        let mut out = Vec::with_capacity(self.periods_per_series() as usize);
        for year in first..=LAST_YEAR {
            if self.monthly {
                for month in 1..=11 {
                    if let (Some(a), Some(b)) = (YearMonth::new(year, 1), YearMonth::new(year, month)) {
                        out.extend(Period::span(a, b));
                    }
                }
            }
            out.extend(Period::year(year));
        }
        out
    }
}

pub fn zone_name(i: u32) -> String {
    format!("合成开发区{i:05}")
}

pub fn indicator_name(k: u32) -> String {
    format!("合成指标{k:03}")
}

/// Writes a synthetic database at `path` (which must not exist). `progress` is told how many
/// observations are written so far, every few thousand.
pub fn generate(path: &Path, spec: SynthSpec, mut progress: impl FnMut(u64)) -> Result<Store, StoreError> {
    if spec.zones == 0 || spec.indicators == 0 || spec.years == 0 {
        return Err(StoreError::Invalid("a synthetic database needs at least one zone, indicator and year".into()));
    }
    if spec.years as i32 > LAST_YEAR - 1000 {
        return Err(StoreError::Invalid(format!("at most {} years", LAST_YEAR - 1000)));
    }
    if spec.observations() > MAX_OBSERVATIONS {
        return Err(StoreError::Invalid(format!(
            "{} zones × {} indicators × {} periods would make {} observations; at most {MAX_OBSERVATIONS} (about {} GB)",
            spec.zones,
            spec.indicators,
            spec.periods_per_series(),
            spec.observations(),
            MAX_OBSERVATIONS * 150 / 1_000_000_000
        )));
    }
    Store::create_with(path, |bulk| fill(bulk, spec, &mut progress))
}

fn fill(bulk: &BulkWriter<'_>, spec: SynthSpec, progress: &mut impl FnMut(u64)) -> Result<(), StoreError> {
    bulk.mark_synthetic(&format!(
        "zones={} indicators={} years={} monthly={}",
        spec.zones, spec.indicators, spec.years, spec.monthly
    ))?;
    let source_id = bulk.add_source(&NewSource {
        key: "synthetic",
        title: Some("合成数据 (synthetic data, not real)"),
        publisher: "Zonescope synthetic data generator",
        kind: Some("synthetic"),
        ..Default::default()
    })?;
    let mut zones = Vec::with_capacity(spec.zones as usize);
    for i in 1..=spec.zones {
        zones.push(bulk.add_entity(&NewEntity {
            name: &zone_name(i),
            kind: EntityKind::Zone,
            name_en: Some(&format!("Synthetic zone {i}")),
            province: Some(&format!("合成省{:02}", i % 31 + 1)),
            note: Some("synthetic"),
        })?);
    }
    let mut indicators = Vec::with_capacity(spec.indicators as usize);
    for k in 1..=spec.indicators {
        indicators.push(bulk.add_indicator(
            &indicator_name(k),
            Some(&format!("Synthetic indicator {k}")),
            IndicatorKind::Flow,
        )?);
    }
    let unit: Unit = "亿元".parse().map_err(|e: crate::model::ParseError| StoreError::Invalid(e.to_string()))?;
    let periods = spec.periods();
    let texts: Vec<String> = periods.iter().map(period_text).collect();
    let mut rng = SplitMix64(0x5EED_2024);
    let mut written = 0u64;
    bulk.observations(|writer| {
        for &entity_id in &zones {
            for &indicator_id in &indicators {
                // A series that grows about 8% a year from a zone-and-indicator-specific level.
                let mut level = 1.0 + (rng.next_f64() * 500.0).round() / 10.0;
                for (p, text) in periods.iter().zip(&texts) {
                    let months = p.months().unwrap_or(12) as f64;
                    if matches!(p, Period::Year(_)) {
                        level *= 1.0 + 0.08 + (rng.next_f64() - 0.5) * 0.1;
                    }
                    let value = (level * months / 12.0 * 10.0).round() / 10.0;
                    writer.insert(&NewObservation {
                        entity_id,
                        indicator_id,
                        measure: Measure::Value,
                        period: *p,
                        period_text: text,
                        value,
                        unit: &unit,
                        qualifier: None,
                        share_of: None,
                        source_id,
                        quote: None,
                        note: None,
                        quote_span: None,
                        status: crate::model::ReviewStatus::Accepted,
                    })?;
                    written += 1;
                    if written.is_multiple_of(16_384) {
                        progress(written);
                    }
                }
            }
        }
        Ok(())
    })?;
    progress(written);
    Ok(())
}

/// How a bulletin would write the period: 2023年, 2023年1-8月.
fn period_text(p: &Period) -> String {
    match p {
        Period::Year(y) => format!("{y}年"),
        Period::Span { start, end } => format!("{}年{}-{}月", start.year, start.month, end.month),
        _ => String::new(),
    }
}

/// A small, fast, seedable generator: the same spec always gives the same database.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::ObservationQuery;

    #[test]
    fn the_spec_counts_its_observations() {
        let spec = SynthSpec { zones: 2000, indicators: 20, years: 30, monthly: true };
        assert_eq!(spec.observations(), 14_400_000);
        let periods = SynthSpec { zones: 1, indicators: 1, years: 2, monthly: true }.periods();
        assert_eq!(periods.len(), 24);
        assert_eq!(periods[0].to_string(), "2023-01/2023-01");
        assert_eq!(periods[11].to_string(), "2023");
        assert_eq!(periods[23].to_string(), "2024");
    }

    #[test]
    fn a_synthetic_database_is_marked_and_complete() {
        let dir = tempfile::tempdir().unwrap();
        let spec = SynthSpec { zones: 5, indicators: 3, years: 4, monthly: true };
        let mut last = 0;
        let store = generate(&dir.path().join("s.sqlite"), spec, |n| last = n).unwrap();
        assert_eq!(last, spec.observations());
        let info = store.info().unwrap();
        assert!(info.synthetic);
        assert_eq!(info.observations as u64, spec.observations());
        assert_eq!(info.zones, 5);
        let reg = store.registry().unwrap();
        let zone = reg.resolve(&zone_name(2)).unwrap();
        let obs = store.observations(&ObservationQuery { entities: vec![zone.id], ..Default::default() }).unwrap();
        assert_eq!(obs.len() as u64, spec.periods_per_series() * 3);
        assert!(obs.iter().all(|o| &*o.source == "Zonescope synthetic data generator"));
    }

    #[test]
    fn an_absurd_size_is_refused_with_the_count_it_would_make() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.sqlite");
        let spec = SynthSpec { zones: 99_999_999, indicators: 99_999_999, years: 1000, monthly: false };
        let monthly = SynthSpec { monthly: true, ..spec };
        assert!(generate(&path, monthly, |_| {}).is_err(), "no overflow");
        let err = generate(&path, spec, |_| {}).err().unwrap().to_string();
        assert!(err.contains(&spec.observations().to_string()), "{err}");
        assert!(!path.exists());
    }

    #[test]
    fn an_empty_spec_is_refused_and_nothing_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.sqlite");
        assert!(generate(&path, SynthSpec { zones: 0, indicators: 1, years: 1, monthly: false }, |_| {}).is_err());
        assert!(!path.exists());
    }
}
