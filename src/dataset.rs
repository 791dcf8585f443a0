//! The bundled real dataset: the CSV files in `data/`, read and checked row by row.
//!
//! The files are compiled into the binary, so a user's first run can build the database with
//! nothing beside the executable. A row that cannot be parsed is an error naming the file, the
//! line and the problem; nothing is skipped silently.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::model::{self, EntityKind, GROUP_SEPARATOR, IndicatorKind, Measure, Period, Qualifier, ShareOf, Unit};
use crate::names;

/// The text of the data files, by file name.
#[derive(Debug, Clone, Copy)]
pub struct DataFiles<'a> {
    pub zones: &'a str,
    pub aliases: &'a str,
    pub indicators: &'a str,
    pub sources: &'a str,
    pub facts: &'a str,
}

/// The files in `data/`, as compiled into this binary.
pub const BUNDLED: DataFiles<'static> = DataFiles {
    zones: include_str!("../data/zones_2018.csv"),
    aliases: include_str!("../data/aliases.csv"),
    indicators: include_str!("../data/indicators.csv"),
    sources: include_str!("../data/sources.csv"),
    facts: include_str!("../data/facts.csv"),
};

pub const ZONES_FILE: &str = "data/zones_2018.csv";
pub const ALIASES_FILE: &str = "data/aliases.csv";
pub const INDICATORS_FILE: &str = "data/indicators.csv";
pub const SOURCES_FILE: &str = "data/sources.csv";
pub const FACTS_FILE: &str = "data/facts.csv";

#[derive(Debug, thiserror::Error)]
#[error("{file}, line {line}: {problem}")]
pub struct DataError {
    pub file: &'static str,
    /// 1-based line number in the file (the header is line 1).
    pub line: u64,
    pub problem: String,
}

/// A zone of the 2018 national catalog.
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogZone {
    pub code: String,
    pub name: String,
    pub province: String,
    pub city: String,
    pub level: String,
    pub zone_type: String,
    /// `1993.04` as published: "2010.10" must not become 2010.1.
    pub approved: String,
    pub area_ha: Option<f64>,
    pub industries: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AliasKind {
    Short,
    Alias,
    English,
}

impl AliasKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AliasKind::Short => "short",
            AliasKind::Alias => "alias",
            AliasKind::English => "en",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Alias {
    pub alias: String,
    /// Canonical name of the entity it stands for.
    pub entity: String,
    pub kind: AliasKind,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    pub name: String,
    pub name_en: Option<String>,
    pub kind: IndicatorKind,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub key: String,
    pub title: Option<String>,
    pub publisher: String,
    /// As precise as known: `2024-10-29`, `2024-10`, `2024`.
    pub published: Option<String>,
    pub address: String,
    pub kind: String,
}

/// One figure with its provenance.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    /// Line in `facts.csv`, to name the row in any later complaint.
    pub line: u64,
    pub entity: String,
    pub entity_kind: EntityKind,
    pub indicator: String,
    pub measure: Measure,
    pub period: Period,
    pub period_text: String,
    pub value: f64,
    pub unit: Unit,
    pub qualifier: Option<Qualifier>,
    /// What a share is of (shares only; `None`: the source does not say).
    pub share_of: Option<ShareOf>,
    pub source: String,
    pub note: Option<String>,
    pub quote: Option<String>,
}

impl Fact {
    /// Canonical names of a group's members, in the order written.
    pub fn group_members(&self) -> Vec<&str> {
        match self.entity_kind {
            EntityKind::Group => self.entity.split(GROUP_SEPARATOR).map(str::trim).collect(),
            _ => Vec::new(),
        }
    }
}

/// Everything needed to build a database.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub zones: Vec<CatalogZone>,
    pub aliases: Vec<Alias>,
    pub indicators: Vec<Indicator>,
    pub sources: Vec<Source>,
    pub facts: Vec<Fact>,
    /// For the bundled data, a fingerprint of its files: a database built from older bundled
    /// data is brought up to date when it is opened (`Store::open_or_create`).
    pub fingerprint: Option<u64>,
}

impl Dataset {
    /// The dataset compiled into this binary.
    pub fn bundled() -> Result<Dataset, DataError> {
        Ok(Dataset { fingerprint: Some(bundled_fingerprint()), ..Dataset::parse(BUNDLED)? })
    }

    pub fn parse(files: DataFiles<'_>) -> Result<Dataset, DataError> {
        let zones = parse_zones(files.zones)?;
        let sources = parse_sources(files.sources)?;
        let facts = parse_facts(files.facts, &zones, &sources)?;
        let indicators = parse_indicators(files.indicators, &facts)?;
        let aliases = parse_aliases(files.aliases, &zones, &facts)?;
        Ok(Dataset { zones, aliases, indicators, sources, facts, fingerprint: None })
    }
}

/// A fingerprint of the bundled data files (FNV-1a over their text): it changes whenever a
/// release changes its data.
pub fn bundled_fingerprint() -> u64 {
    let f = BUNDLED;
    crate::fast_hash::fnv1a(
        [f.zones, f.aliases, f.indicators, f.sources, f.facts].iter().flat_map(|t| t.bytes().chain(std::iter::once(0))),
    )
}

/// The kind of an indicator that `indicators.csv` does not list, read from its name: a rank
/// (排名), a count of things at a date (…数, …数量), else a flow.
pub fn infer_indicator_kind(name: &str) -> IndicatorKind {
    // 排名变化 is places gained over a period, a change like any flow.
    if name.contains("排名") && !name.contains("排名变化") {
        IndicatorKind::Rank
    } else if name.ends_with('数') || name.ends_with("数量") {
        IndicatorKind::Stock
    } else {
        IndicatorKind::Flow
    }
}

/// Every row of a CSV file, deserialised, with its line number.
fn read_rows<T: DeserializeOwned>(file: &'static str, text: &str) -> Result<Vec<(u64, T)>, DataError> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers =
        reader.headers().map_err(|e| DataError { file, line: 1, problem: format!("unreadable header: {e}") })?.clone();
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| DataError {
            file,
            line: e.position().map_or(0, |p| p.line()),
            problem: format!("malformed CSV: {e}"),
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let row = record.deserialize(Some(&headers)).map_err(|e| DataError {
            file,
            line,
            problem: format!("bad row: {e}"),
        })?;
        out.push((line, row));
    }
    Ok(out)
}

fn fail(file: &'static str, line: u64, problem: impl Into<String>) -> DataError {
    DataError { file, line, problem: problem.into() }
}

fn non_empty(s: String) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

fn parse_zones(text: &str) -> Result<Vec<CatalogZone>, DataError> {
    #[derive(Deserialize)]
    struct Row {
        #[serde(rename = "代码")]
        code: String,
        #[serde(rename = "开发区名称")]
        name: String,
        #[serde(rename = "省份")]
        province: String,
        #[serde(rename = "城市/区县")]
        city: String,
        #[serde(rename = "批准级别")]
        level: String,
        #[serde(rename = "开发区类型")]
        zone_type: String,
        #[serde(rename = "批准时间")]
        approved: String,
        #[serde(rename = "核准面积_公顷")]
        area: String,
        #[serde(rename = "主导产业")]
        industries: String,
    }
    let f = ZONES_FILE;
    let mut seen_codes = HashSet::new();
    let mut seen_names = HashSet::new();
    let mut zones = Vec::new();
    for (line, r) in read_rows::<Row>(f, text)? {
        let name = r.name.trim().to_string();
        if name.is_empty() {
            return Err(fail(f, line, "zone without a name"));
        }
        if !seen_codes.insert(r.code.clone()) {
            return Err(fail(f, line, format!("catalog code {} appears twice", r.code)));
        }
        if !seen_names.insert(name.clone()) {
            return Err(fail(f, line, format!("zone {name} appears twice")));
        }
        let approved = r.approved.trim().to_string();
        let approved_ok = approved.len() == 7
            && approved.as_bytes()[4] == b'.'
            && approved[..4].bytes().all(|b| b.is_ascii_digit())
            && matches!(approved[5..].parse::<u8>(), Ok(1..=12));
        if !approved_ok {
            return Err(fail(f, line, format!("approval date {approved:?} is not YYYY.MM")));
        }
        let area_ha = match r.area.trim() {
            "" => None,
            a => Some(model::parse_value(a).map_err(|e| fail(f, line, format!("area: {e}")))?),
        };
        zones.push(CatalogZone {
            code: r.code.trim().to_string(),
            name,
            province: r.province.trim().to_string(),
            city: r.city.trim().to_string(),
            level: r.level.trim().to_string(),
            zone_type: r.zone_type.trim().to_string(),
            approved,
            area_ha,
            industries: r.industries.trim().to_string(),
        });
    }
    Ok(zones)
}

/// A sources table in the columns of `data/sources.csv` (source_id, publisher, published,
/// address, kind; title optional), checked as the bundled one is: ids unique, every source a
/// publisher and a date. Errors name the line; the caller names the file.
pub fn read_sources(text: &str) -> Result<Vec<Source>, DataError> {
    parse_sources(text)
}

/// The keys of the bundled sources (read once, from `sources.csv` alone): the sources an undo
/// of an import never removes.
pub fn bundled_source_keys() -> &'static HashSet<String> {
    static KEYS: std::sync::OnceLock<HashSet<String>> = std::sync::OnceLock::new();
    KEYS.get_or_init(|| {
        parse_sources(BUNDLED.sources).map(|s| s.into_iter().map(|s| s.key).collect()).unwrap_or_default()
    })
}

fn parse_sources(text: &str) -> Result<Vec<Source>, DataError> {
    #[derive(Deserialize)]
    struct Row {
        source_id: String,
        #[serde(default)]
        title: String,
        publisher: String,
        published: String,
        address: String,
        kind: String,
    }
    let f = SOURCES_FILE;
    let mut seen = HashSet::new();
    let mut sources = Vec::new();
    for (line, r) in read_rows::<Row>(f, text)? {
        let key = r.source_id.trim().to_string();
        if key.is_empty() || !seen.insert(key.clone()) {
            return Err(fail(f, line, format!("source id {key:?} is empty or repeated")));
        }
        if r.publisher.trim().is_empty() {
            return Err(fail(f, line, format!("source {key} has no publisher")));
        }
        let published = model::parse_published(&r.published).map_err(|e| fail(f, line, format!("published: {e}")))?;
        sources.push(Source {
            key,
            title: non_empty(r.title),
            publisher: r.publisher.trim().to_string(),
            published,
            address: r.address.trim().to_string(),
            kind: r.kind.trim().to_string(),
        });
    }
    Ok(sources)
}

fn parse_facts(text: &str, zones: &[CatalogZone], sources: &[Source]) -> Result<Vec<Fact>, DataError> {
    #[derive(Deserialize)]
    struct Row {
        entity: String,
        entity_kind: String,
        indicator: String,
        measure: String,
        period: String,
        period_text: String,
        value: String,
        unit: String,
        qualifier: String,
        source_id: String,
        note: String,
        quote: String,
        /// Older files have no such column: no share says what it is of.
        #[serde(default)]
        share_of: String,
    }
    let f = FACTS_FILE;
    let source_keys: HashSet<&str> = sources.iter().map(|s| s.key.as_str()).collect();
    let catalog: HashSet<&str> = zones.iter().map(|z| z.name.as_str()).collect();
    let mut facts = Vec::new();
    for (line, r) in read_rows::<Row>(f, text)? {
        let bad = |what: &str, e: model::ParseError| fail(f, line, format!("{what}: {e}"));
        let entity = r.entity.trim().to_string();
        if entity.is_empty() {
            return Err(fail(f, line, "no entity"));
        }
        let entity_kind: EntityKind = r.entity_kind.parse().map_err(|e| bad("entity_kind", e))?;
        let members: Vec<&str> = entity.split(GROUP_SEPARATOR).map(str::trim).collect();
        match entity_kind {
            EntityKind::Group if members.len() < 2 || members.iter().any(|m| m.is_empty()) => {
                return Err(fail(f, line, format!("group {entity} does not list two or more members joined by +")));
            }
            EntityKind::Group if !members.iter().any(|m| catalog.contains(m)) => {
                return Err(fail(f, line, format!("group {entity} names no zone of the catalog")));
            }
            EntityKind::Zone | EntityKind::Aggregate if members.len() > 1 => {
                return Err(fail(f, line, format!("{entity} is joined by + but its kind is not group")));
            }
            _ => {}
        }
        let note = non_empty(r.note);
        // A zone outside the catalog must say so, so that a typo in a catalog name cannot
        // quietly create a second zone.
        if entity_kind == EntityKind::Zone
            && !catalog.contains(entity.as_str())
            && !note.as_deref().is_some_and(|n| n.contains("not in 2018 catalog"))
        {
            return Err(fail(
                f,
                line,
                format!("zone {entity} is not in the 2018 catalog and its note does not say so"),
            ));
        }
        let indicator = r.indicator.trim().to_string();
        if indicator.is_empty() {
            return Err(fail(f, line, "no indicator"));
        }
        let measure: Measure = r.measure.parse().map_err(|e| bad("measure", e))?;
        let period: Period = r.period.parse().map_err(|e| bad("period", e))?;
        let value = model::parse_value(&r.value).map_err(|e| bad("value", e))?;
        let unit: Unit = r.unit.parse().map_err(|e| bad("unit", e))?;
        if !measure.accepts(&unit) {
            return Err(fail(f, line, format!("a {measure} figure cannot be in {unit}")));
        }
        let qualifier = Qualifier::parse_optional(&r.qualifier).map_err(|e| bad("qualifier", e))?;
        let share_of = ShareOf::parse_optional(&r.share_of).map_err(|e| bad("share_of", e))?;
        if share_of.is_some() && measure != Measure::SharePct {
            return Err(fail(
                f,
                line,
                format!("a {measure} figure has no share_of: only shares (share_pct) are of something"),
            ));
        }
        let source = r.source_id.trim().to_string();
        if !source_keys.contains(source.as_str()) {
            return Err(fail(f, line, format!("source {source:?} is not in {SOURCES_FILE}")));
        }
        facts.push(Fact {
            line,
            entity,
            entity_kind,
            indicator,
            measure,
            period,
            period_text: r.period_text.trim().to_string(),
            value,
            unit,
            qualifier,
            share_of,
            source,
            note,
            quote: non_empty(r.quote),
        });
    }
    Ok(facts)
}

/// The indicators of `indicators.csv`, then those facts use that it does not list (their kind
/// read from the name, no English name).
fn parse_indicators(text: &str, facts: &[Fact]) -> Result<Vec<Indicator>, DataError> {
    #[derive(Deserialize)]
    struct Row {
        name: String,
        name_en: String,
        kind: String,
    }
    let f = INDICATORS_FILE;
    let mut seen = HashSet::new();
    let mut indicators = Vec::new();
    for (line, r) in read_rows::<Row>(f, text)? {
        let name = r.name.trim().to_string();
        if name.is_empty() || !seen.insert(name.clone()) {
            return Err(fail(f, line, format!("indicator {name:?} is empty or repeated")));
        }
        let kind = r.kind.parse().map_err(|e| fail(f, line, format!("kind: {e}")))?;
        indicators.push(Indicator { name, name_en: non_empty(r.name_en), kind });
    }
    for fact in facts {
        if seen.insert(fact.indicator.clone()) {
            indicators.push(Indicator {
                name: fact.indicator.clone(),
                name_en: None,
                kind: infer_indicator_kind(&fact.indicator),
            });
        }
    }
    Ok(indicators)
}

/// Derived short names of catalog zones, then the hand-kept aliases. An alias that would name
/// two entities is an error: resolving it could only be a guess.
fn parse_aliases(text: &str, zones: &[CatalogZone], facts: &[Fact]) -> Result<Vec<Alias>, DataError> {
    #[derive(Deserialize)]
    struct Row {
        alias: String,
        entity: String,
        kind: String,
    }
    let f = ALIASES_FILE;
    let mut entities: HashSet<&str> = zones.iter().map(|z| z.name.as_str()).collect();
    entities.extend(facts.iter().map(|x| x.entity.as_str()));
    // A group's members are entities of their own, named in the group's label.
    entities.extend(facts.iter().flat_map(|x| x.entity.split(crate::model::GROUP_SEPARATOR)));
    let mut owner: HashMap<String, String> = HashMap::new();
    for name in &entities {
        owner.insert(names::lookup_key(name), name.to_string());
    }
    let mut aliases = Vec::new();
    let mut add = |alias: Alias, line: u64| -> Result<(), DataError> {
        let key = names::lookup_key(&alias.alias);
        match owner.get(&key) {
            Some(other) if *other != alias.entity => {
                Err(fail(f, line, format!("alias {} would name both {other} and {}", alias.alias, alias.entity)))
            }
            _ => {
                owner.insert(key, alias.entity.clone());
                aliases.push(alias);
                Ok(())
            }
        }
    };
    for z in zones {
        if let Some(short) = names::short_name(&z.name) {
            add(Alias { alias: short, entity: z.name.clone(), kind: AliasKind::Short }, 0)?;
        }
    }
    for (line, r) in read_rows::<Row>(f, text)? {
        let entity = r.entity.trim().to_string();
        if !entities.contains(entity.as_str()) {
            return Err(fail(
                f,
                line,
                format!("alias {} names {entity}, which is neither in the catalog nor in the facts", r.alias),
            ));
        }
        let kind = match r.kind.trim() {
            "alias" => AliasKind::Alias,
            "en" => AliasKind::English,
            "short" => AliasKind::Short,
            other => return Err(fail(f, line, format!("alias kind {other:?} is not alias, en or short"))),
        };
        let alias = r.alias.trim().to_string();
        if alias.is_empty() {
            return Err(fail(f, line, "empty alias"));
        }
        add(Alias { alias, entity, kind }, line)?;
    }
    Ok(aliases)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ZONES: &str = "序号,代码,开发区名称,省份,城市/区县,批准级别,开发区类型,批准时间,核准面积_公顷,主导产业\n\
        1,G501039,重庆经济技术开发区,重庆市,重庆,国务院,经济技术开发区,2010.10,964.0,汽车\n\
        2,G501189,万州经济技术开发区,重庆市,万州,国务院,经济技术开发区,2011.06,,电子\n";
    const SOURCES: &str =
        "source_id,publisher,published,address,kind\ns1,中新网,2024-10-29,https://example.org/1,media\n";
    const FACT_HEADER: &str =
        "entity,entity_kind,indicator,measure,period,period_text,value,unit,qualifier,source_id,note,quote\n";
    const INDICATORS: &str = "name,name_en,kind\n外贸进出口总额,Foreign trade,flow\n";
    const ALIASES: &str = "alias,entity,kind,note\n";

    fn with_facts(facts: &str) -> Result<Dataset, DataError> {
        let facts = format!("{FACT_HEADER}{facts}");
        Dataset::parse(DataFiles {
            zones: ZONES,
            aliases: ALIASES,
            indicators: INDICATORS,
            sources: SOURCES,
            facts: &facts,
        })
    }

    #[test]
    fn the_bundled_dataset_parses_completely() {
        let d = Dataset::bundled().unwrap();
        assert_eq!(d.zones.len(), 219);
        let fact_rows = BUNDLED.facts.lines().count() - 1;
        assert_eq!(d.facts.len(), fact_rows);
        assert_eq!(d.sources.len(), BUNDLED.sources.lines().count() - 1);
        // Approval dates stay text: October stays October.
        let sjz = d.zones.iter().find(|z| z.name == "石家庄经济技术开发区").unwrap();
        assert_eq!(sjz.approved, "2012.10");
        let cq = d.zones.iter().find(|z| z.name == "重庆经济技术开发区").unwrap();
        assert!(d.aliases.iter().any(|a| a.alias == "重庆经开区" && a.entity == cq.name));
        assert!(d.aliases.iter().any(|a| a.alias == "亦庄" && a.entity == "北京经济技术开发区"));
    }

    #[test]
    fn a_share_says_what_it_is_of_and_only_a_share_does() {
        let parse = |row: &str| {
            let facts = format!("{}share_of\n{row}\n", FACT_HEADER.trim_end().to_string() + ",");
            Dataset::parse(DataFiles {
                zones: ZONES,
                aliases: ALIASES,
                indicators: INDICATORS,
                sources: SOURCES,
                facts: &facts,
            })
        };
        let d = parse("重庆经济技术开发区,zone,外贸进出口总额,share_pct,2023,2023年,96,%,,s1,,,host_district").unwrap();
        assert_eq!(d.facts[0].share_of, Some(ShareOf::HostDistrict));
        assert_eq!(
            parse("重庆经济技术开发区,zone,外贸进出口总额,share_pct,2023,,96,%,,s1,,,").unwrap().facts[0].share_of,
            None
        );
        let err =
            parse("重庆经济技术开发区,zone,外贸进出口总额,value,2023,,9,亿元,,s1,,,nation").unwrap_err().to_string();
        assert!(err.contains("line 2") && err.contains("only shares"), "{err}");
        let err =
            parse("重庆经济技术开发区,zone,外贸进出口总额,share_pct,2023,,9,%,,s1,,,planet").unwrap_err().to_string();
        assert!(err.contains("share_of") && err.contains("planet"), "{err}");
        // Places gained in a ranking: a value in 位, not a rank.
        let d = parse("重庆经济技术开发区,zone,综合发展水平排名变化,value,2021,2021年,1,位,,s1,,,").unwrap();
        assert_eq!((d.facts[0].measure, d.facts[0].value), (Measure::Value, 1.0));
    }

    #[test]
    fn every_catalog_zone_has_one_english_name() {
        let d = Dataset::bundled().unwrap();
        for z in &d.zones {
            let english: Vec<&str> = d
                .aliases
                .iter()
                .filter(|a| a.entity == z.name && a.kind == AliasKind::English)
                .map(|a| a.alias.as_str())
                .collect();
            assert_eq!(english.len(), 1, "{}: {english:?}", z.name);
            // Latin letters (pinyin's ü included), never Chinese characters.
            assert!(english[0].chars().all(|c| c.is_ascii() || c == 'ü' || c == 'Ü'), "{}: {}", z.name, english[0]);
        }
    }

    #[test]
    fn every_zone_total_and_indicator_with_figures_has_an_english_name() {
        // Groups are named by their members; every other entity a figure names, and every
        // member of a group, has its own.
        let d = Dataset::bundled().unwrap();
        let named: std::collections::HashSet<&str> =
            d.aliases.iter().filter(|a| a.kind == AliasKind::English).map(|a| a.entity.as_str()).collect();
        for f in &d.facts {
            for entity in f.entity.split(crate::model::GROUP_SEPARATOR) {
                assert!(named.contains(entity), "{entity} (line {}) has no English name", f.line);
            }
        }
        // And every indicator, in Latin letters.
        for i in &d.indicators {
            let english = i.name_en.as_deref().unwrap_or_default();
            assert!(!english.is_empty() && english.is_ascii(), "{}: {english:?}", i.name);
        }
    }

    #[test]
    fn a_good_row_parses() {
        let d = with_facts("重庆经济技术开发区,zone,外贸进出口总额,value,2023,2023年,35.9,亿元,,s1,,\n").unwrap();
        assert_eq!(d.facts[0].line, 2);
        assert_eq!(d.facts[0].unit.written, "亿元");
        assert_eq!(d.facts[0].period, Period::Year(2023));
    }

    #[test]
    fn bad_rows_are_errors_naming_the_row() {
        let cases = [
            ("重庆经济技术开发区,zone,外贸进出口总额,value,2023,,35.9,亿英镑,,s1,,", "unit"),
            ("重庆经济技术开发区,zone,外贸进出口总额,value,2023年,,35.9,亿元,,s1,,", "period"),
            ("重庆经济技术开发区,zone,外贸进出口总额,value,2023,,三十,亿元,,s1,,", "value"),
            ("重庆经济技术开发区,zone,外贸进出口总额,growth,2023,,3,%,,s1,,", "measure"),
            ("重庆经济技术开发区,zone,外贸进出口总额,yoy_pct,2023,,3,亿元,,s1,,", "cannot be in 亿元"),
            ("重庆经济技术开发区,zone,外贸进出口总额,value,2023,,3,亿元,more,s1,,", "qualifier"),
            ("重庆经济技术开发区,zone,外贸进出口总额,value,2023,,3,亿元,,s9,,", "source \"s9\""),
            ("重庆经开发区,zone,外贸进出口总额,value,2023,,3,亿元,,s1,,", "not in the 2018 catalog"),
            ("重庆经济技术开发区,district,外贸进出口总额,value,2023,,3,亿元,,s1,,", "entity_kind"),
            ("重庆经济技术开发区+万州经济技术开发区,zone,外贸进出口总额,value,2023,,3,亿元,,s1,,", "kind is not group"),
            ("重庆经济技术开发区,zone,外贸进出口总额,value,2023,,3,亿元,,s1,", "malformed"),
        ];
        for (row, expected) in cases {
            let err = with_facts(&format!("重庆经济技术开发区,zone,外贸进出口总额,value,2023,,1,亿元,,s1,,\n{row}\n"))
                .unwrap_err();
            let msg = err.to_string();
            assert!(msg.starts_with("data/facts.csv, line 3:"), "{msg}");
            assert!(msg.contains(expected), "{row}: {msg}");
        }
    }

    #[test]
    fn a_zone_outside_the_catalog_is_kept_when_its_note_says_so() {
        let d = with_facts(
            "苏相合作区,zone,外贸进出口总额,value,2023,,1,亿元,,s1,not in 2018 catalog; cooperation zone,\n",
        )
        .unwrap();
        assert_eq!(d.facts[0].entity, "苏相合作区");
    }

    #[test]
    fn unlisted_indicators_get_a_kind_from_their_name() {
        let d = with_facts("重庆经济技术开发区,zone,高新技术企业数,value,2023,,1,家,,s1,,\n").unwrap();
        let ind = d.indicators.iter().find(|i| i.name == "高新技术企业数").unwrap();
        assert_eq!(ind.kind, IndicatorKind::Stock);
        assert_eq!(infer_indicator_kind("综合发展水平排名(西部地区)"), IndicatorKind::Rank);
        assert_eq!(infer_indicator_kind("综合发展水平排名变化"), IndicatorKind::Flow);
        assert_eq!(infer_indicator_kind("工业总产值"), IndicatorKind::Flow);
    }

    #[test]
    fn an_alias_naming_two_zones_is_an_error() {
        let aliases = "alias,entity,kind,note\n重庆经开区,万州经济技术开发区,alias,\n";
        let facts = FACT_HEADER.to_string();
        let err = Dataset::parse(DataFiles {
            zones: ZONES,
            aliases,
            indicators: INDICATORS,
            sources: SOURCES,
            facts: &facts,
        })
        .unwrap_err();
        assert_eq!(err.file, ALIASES_FILE);
        assert!(err.to_string().contains("would name both"), "{err}");
    }

    #[test]
    fn a_bad_approval_date_is_an_error() {
        let zones = ZONES.replace("2010.10", "2010.1");
        let facts = FACT_HEADER.to_string();
        let err = Dataset::parse(DataFiles {
            zones: &zones,
            aliases: ALIASES,
            indicators: INDICATORS,
            sources: SOURCES,
            facts: &facts,
        })
        .unwrap_err();
        assert_eq!((err.file, err.line), (ZONES_FILE, 2));
    }
}
