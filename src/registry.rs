//! Resolving what a person types (a canonical name, a short name, an alias, a group of short
//! names) to one entity of the store. Pure data: the store fills it, the command line and the
//! window ask it.

use std::collections::{BTreeSet, HashMap};

use crate::model::{EntityKind, GROUP_SEPARATOR};
use crate::names::lookup_key;

/// One entity with every name it goes by.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityEntry {
    pub id: i64,
    pub name: String,
    pub kind: EntityKind,
    pub short_name: Option<String>,
    pub name_en: Option<String>,
    pub code: Option<String>,
    pub province: Option<String>,
    /// The catalog's city or district (昆山, 闵行), as it writes it.
    pub city: Option<String>,
    pub approved: Option<String>,
    pub in_catalog: bool,
    /// Hand-kept aliases, English names included.
    pub aliases: Vec<String>,
    /// For a group: its members' ids.
    pub members: Vec<i64>,
    /// Accepted observations of this entity.
    pub figures: i64,
}

impl EntityEntry {
    /// Every name this entity answers to.
    pub fn all_names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str())
            .chain(self.short_name.as_deref())
            .chain(self.name_en.as_deref())
            .chain(self.aliases.iter().map(String::as_str))
    }

    /// Whether `needle` (already a lookup key) occurs in any of its names.
    pub fn matches(&self, needle: &str) -> bool {
        needle.is_empty() || self.all_names().any(|n| lookup_key(n).contains(needle))
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ResolveError {
    #[error("no zone or group is called {0:?} (try `zonescope zones --search …`)")]
    NotFound(String),
    #[error("{name:?} could be any of: {}{}", candidates.join(", "), if *more > 0 { format!(" and {more} more") } else { String::new() })]
    Ambiguous { name: String, candidates: Vec<String>, more: usize },
    #[error("no group of exactly {0} is in the database")]
    NoSuchGroup(String),
}

/// An English zone name as English reports shorten it: "Kunshan ETDZ" for "Kunshan Economic and
/// Technological Development Zone" (and ETDA, ETDD for the areas and districts).
fn abbreviate(name: &str) -> String {
    const LONG: [(&str, &str); 6] = [
        ("Economic and Technological Development Zone", "ETDZ"),
        ("Economic-Technological Development Zone", "ETDZ"),
        ("Economic and Technological Development Area", "ETDA"),
        ("Economic-Technological Development Area", "ETDA"),
        ("Economic and Technological Development District", "ETDD"),
        ("Economic-Technological Development District", "ETDD"),
    ];
    LONG.iter()
        .find(|(long, _)| name.contains(long))
        .map_or_else(|| name.to_string(), |(long, short)| name.replace(long, short))
}

/// How many members a group's label names before "and N more".
const GROUP_NAMED: usize = 3;

/// A group as a group, never as one of its zones: 重庆、万州、长寿经开区(合计); the zones' common
/// 经开区 is said once, and a long list ends 等9个开发区(合计).
fn group_label_zh(members: &[String]) -> String {
    let suffix = "经开区";
    let all_etdz = members.iter().all(|m| m.ends_with(suffix) && m.len() > suffix.len());
    let named = &members[..members.len().min(GROUP_NAMED)];
    let names: Vec<&str> =
        named.iter().map(|m| if all_etdz { m.strip_suffix(suffix).unwrap_or(m) } else { m.as_str() }).collect();
    match (members.len() > GROUP_NAMED, all_etdz) {
        (false, true) => format!("{}{suffix}(合计)", names.join("、")),
        (false, false) => format!("{}(合计)", names.join("、")),
        (true, true) => format!("{}等{}个{suffix}(合计)", names.join("、"), members.len()),
        (true, false) => format!("{}等{}个开发区(合计)", names.join("、"), members.len()),
    }
}

/// The same in English: "Chongqing, Wanzhou and Changshou ETDZs (combined)", "Guangzhou,
/// Nansha, Zengcheng ETDZs and 6 more (combined)".
fn group_label_en(members: &[String]) -> String {
    let suffix = " ETDZ";
    let all_etdz = members.iter().all(|m| m.ends_with(suffix) && m.len() > suffix.len());
    let named = &members[..members.len().min(GROUP_NAMED)];
    let names: Vec<&str> =
        named.iter().map(|m| if all_etdz { m.strip_suffix(suffix).unwrap_or(m) } else { m.as_str() }).collect();
    let plural = if all_etdz { " ETDZs" } else { "" };
    if members.len() > GROUP_NAMED {
        return format!("{}{plural} and {} more (combined)", names.join(", "), members.len() - GROUP_NAMED);
    }
    match names.as_slice() {
        [one] => format!("{one}{plural} (combined)"),
        [init @ .., last] => format!("{} and {last}{plural} (combined)", init.join(", ")),
        [] => "(combined)".to_string(),
    }
}

/// How entities are named for a reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Naming {
    Chinese,
    /// The Chinese short name and the English name: the window in English.
    Both,
    /// The English name where known: a figure for an English slide.
    English,
}

/// All entities, with an index of their names.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    pub entities: Vec<EntityEntry>,
    by_key: HashMap<String, usize>,
    // A ranking labels thousands of bars each frame: looking entities up must not scan.
    by_id: HashMap<i64, usize>,
    by_name: HashMap<String, usize>,
}

impl Registry {
    pub fn new(entities: Vec<EntityEntry>) -> Registry {
        let mut by_key = HashMap::new();
        // Canonical names first, so that an alias can never shadow a canonical name.
        for (i, e) in entities.iter().enumerate() {
            by_key.insert(lookup_key(&e.name), i);
        }
        for (i, e) in entities.iter().enumerate() {
            for n in e.all_names().skip(1) {
                by_key.entry(lookup_key(n)).or_insert(i);
            }
            // English names as English reports shorten them (Changshou ETDZ), as the window and
            // figures show them: what a reader sees, a reader may type.
            for n in e.name_en.iter().chain(e.aliases.iter()) {
                by_key.entry(lookup_key(&abbreviate(n))).or_insert(i);
            }
        }
        let by_id = entities.iter().enumerate().map(|(i, e)| (e.id, i)).collect();
        let by_name = entities.iter().enumerate().map(|(i, e)| (e.name.clone(), i)).collect();
        Registry { entities, by_key, by_id, by_name }
    }

    pub fn get(&self, id: i64) -> Option<&EntityEntry> {
        self.by_id.get(&id).map(|&i| &self.entities[i])
    }

    /// The entity whose canonical name is `name` exactly.
    pub fn by_name(&self, name: &str) -> Option<&EntityEntry> {
        self.by_name.get(name).map(|&i| &self.entities[i])
    }

    /// Whether `name` (canonical) is a single zone: what rankings rank and count.
    pub fn is_zone(&self, name: &str) -> bool {
        self.by_name(name).is_some_and(|e| e.kind == EntityKind::Zone)
    }

    /// How `e` is named for a reader: its short name; in English its English name where known,
    /// after the Chinese one in the window (`Naming::Both`), alone on a figure. A group is named
    /// as a group, by its members: 重庆、万州、长寿经开区(合计), "Chongqing, Wanzhou and Changshou
    /// ETDZs (combined)", or the first three and how many more.
    pub fn label(&self, e: &EntityEntry, naming: Naming) -> String {
        let short = |e: &EntityEntry| e.short_name.clone().unwrap_or_else(|| e.name.clone());
        if e.kind == EntityKind::Group && !e.members.is_empty() {
            let members: Vec<&EntityEntry> = e.members.iter().filter_map(|id| self.get(*id)).collect();
            return match naming {
                Naming::Chinese => group_label_zh(&members.iter().map(|m| short(m)).collect::<Vec<_>>()),
                // A group in English is named in English wherever its members have names.
                Naming::English | Naming::Both => group_label_en(
                    &members
                        .iter()
                        .map(|m| m.name_en.as_deref().map_or_else(|| short(m), abbreviate))
                        .collect::<Vec<_>>(),
                ),
            };
        }
        match (naming, &e.name_en) {
            (Naming::Both, Some(en)) => format!("{} ({en})", short(e)),
            (Naming::English, Some(en)) => abbreviate(en),
            _ => short(e),
        }
    }

    /// The label of the entity called `name` (canonical), or the name itself.
    pub fn label_by_name(&self, name: &str, naming: Naming) -> String {
        self.by_name(name).map_or_else(|| name.to_string(), |e| self.label(e, naming))
    }

    /// The entity `name` stands for: an exact name or alias; a group written as members joined
    /// by `+` (in any order, by any of their names); else the one entity whose names contain it.
    /// The ids of entities named as a researcher writes them, in order; the first name that
    /// resolves to none is the error. One place for every front end that reads a view.
    pub fn resolve_ids(&self, names: &[String]) -> Result<Vec<i64>, ResolveError> {
        names.iter().map(|name| self.resolve(name).map(|e| e.id)).collect()
    }

    pub fn resolve(&self, name: &str) -> Result<&EntityEntry, ResolveError> {
        let key = lookup_key(name);
        if key.is_empty() {
            return Err(ResolveError::NotFound(name.to_string()));
        }
        if let Some(&i) = self.by_key.get(&key) {
            return Ok(&self.entities[i]);
        }
        if name.contains(GROUP_SEPARATOR) {
            return self.resolve_group(name);
        }
        // A name that starts with what was typed beats one that merely contains it: 万州 is
        // 万州经开区, not every group that lists it.
        let starts: Vec<&EntityEntry> =
            self.entities.iter().filter(|e| e.all_names().any(|n| lookup_key(n).starts_with(&key))).collect();
        if let [one] = starts.as_slice() {
            return Ok(one);
        }
        let found: Vec<&EntityEntry> = self.entities.iter().filter(|e| e.matches(&key)).collect();
        match found.as_slice() {
            [] => Err(ResolveError::NotFound(name.to_string())),
            [one] => Ok(one),
            many => Err(ResolveError::Ambiguous {
                name: name.to_string(),
                candidates: many.iter().take(8).map(|e| e.name.clone()).collect(),
                more: many.len().saturating_sub(8),
            }),
        }
    }

    fn resolve_group(&self, name: &str) -> Result<&EntityEntry, ResolveError> {
        let mut members = BTreeSet::new();
        for part in name.split(GROUP_SEPARATOR) {
            let key = lookup_key(part);
            let &i = self.by_key.get(&key).ok_or_else(|| ResolveError::NotFound(part.trim().to_string()))?;
            members.insert(self.entities[i].id);
        }
        self.entities
            .iter()
            .find(|e| e.kind == EntityKind::Group && e.members.iter().copied().collect::<BTreeSet<_>>() == members)
            .ok_or_else(|| ResolveError::NoSuchGroup(name.to_string()))
    }

    /// Entities whose names, or whose province's name in Chinese or English, or whose city's,
    /// contain `search` (all when it is empty), catalog order kept: 重庆 or Chongqing finds every
    /// zone of 重庆市, 苏州 every zone of 苏州市 (昆山's and 吴江's too), not only those named
    /// after it.
    pub fn search(&self, search: &str) -> Vec<&EntityEntry> {
        let key = lookup_key(search);
        let in_province = |e: &EntityEntry| {
            e.province.as_deref().is_some_and(|p| {
                lookup_key(p).contains(&key)
                    || crate::names::province_en(p).is_some_and(|en| lookup_key(en).contains(&key))
            })
        };
        let in_city = |e: &EntityEntry| {
            let Some(city) = e.city.as_deref() else { return false };
            lookup_key(city).contains(&key)
                || e.province.as_deref().is_some_and(|p| {
                    crate::places::Places::bundled().city_of(city, p).is_some_and(|c| lookup_key(c).contains(&key))
                })
        };
        self.entities
            .iter()
            .filter(|e| e.matches(&key) || (!key.is_empty() && (in_province(e) || in_city(e))))
            .collect()
    }
}

#[cfg(test)]
impl EntityEntry {
    /// An entity of that name and kind and nothing more (a zone is in the catalog), for tests.
    pub(crate) fn named(id: i64, name: &str, kind: EntityKind) -> EntityEntry {
        EntityEntry {
            id,
            name: name.into(),
            kind,
            short_name: crate::names::short_name(name),
            name_en: None,
            code: None,
            province: None,
            city: None,
            approved: None,
            in_catalog: kind == EntityKind::Zone,
            aliases: Vec::new(),
            members: Vec::new(),
            figures: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_zone_names_shorten_as_english_reports_do() {
        assert_eq!(abbreviate("Kunshan Economic and Technological Development Zone"), "Kunshan ETDZ");
        assert_eq!(abbreviate("Beijing Economic-Technological Development Area"), "Beijing ETDA");
        assert_eq!(abbreviate("Suzhou Industrial Park"), "Suzhou Industrial Park");
    }

    fn entry(id: i64, name: &str, kind: EntityKind, aliases: &[&str]) -> EntityEntry {
        EntityEntry { aliases: aliases.iter().map(|s| s.to_string()).collect(), ..EntityEntry::named(id, name, kind) }
    }

    fn registry() -> Registry {
        let mut group = entry(4, "重庆经济技术开发区+万州经济技术开发区+长寿经济技术开发区", EntityKind::Group, &[]);
        group.members = vec![1, 2, 3];
        Registry::new(vec![
            entry(1, "重庆经济技术开发区", EntityKind::Zone, &[]),
            entry(2, "万州经济技术开发区", EntityKind::Zone, &[]),
            entry(3, "长寿经济技术开发区", EntityKind::Zone, &[]),
            group,
            entry(5, "北京经济技术开发区", EntityKind::Zone, &["亦庄", "BDA"]),
            entry(6, "广西—东盟经济技术开发区", EntityKind::Zone, &[]),
        ])
    }

    #[test]
    fn canonical_short_and_alias_names_resolve() {
        let r = registry();
        assert_eq!(r.resolve("重庆经济技术开发区").unwrap().id, 1);
        assert_eq!(r.resolve("重庆经开区").unwrap().id, 1);
        assert_eq!(r.resolve("亦庄").unwrap().id, 5);
        assert_eq!(r.resolve("bda").unwrap().id, 5);
        assert_eq!(r.resolve("广西-东盟经开区").unwrap().id, 6);
        assert_eq!(r.resolve("万州").unwrap().id, 2);
    }

    #[test]
    fn a_group_is_named_as_a_group_never_as_one_zone() {
        let mut r = registry();
        assert_eq!(r.label(r.get(4).unwrap(), Naming::Chinese), "重庆、万州、长寿经开区(合计)");
        for (id, en) in [(1, "Chongqing ETDZ"), (2, "Wanzhou ETDZ"), (3, "Changshou ETDZ")] {
            r.entities.iter_mut().find(|e| e.id == id).unwrap().name_en = Some(en.into());
        }
        assert_eq!(r.label(r.get(4).unwrap(), Naming::English), "Chongqing, Wanzhou and Changshou ETDZs (combined)");
        assert_eq!(r.label(r.get(4).unwrap(), Naming::Both), "Chongqing, Wanzhou and Changshou ETDZs (combined)");
        let nine: Vec<String> = (1..=9).map(|k| format!("{k}号经开区")).collect();
        assert_eq!(group_label_zh(&nine), "1号、2号、3号等9个经开区(合计)");
        let mixed = ["苏州工业园区".to_string(), "昆山经开区".to_string()];
        assert_eq!(group_label_zh(&mixed), "苏州工业园区、昆山经开区(合计)");
        let many: Vec<String> =
            ["Guangzhou", "Nansha", "Zengcheng", "A", "B"].iter().map(|n| format!("{n} ETDZ")).collect();
        assert_eq!(group_label_en(&many), "Guangzhou, Nansha, Zengcheng ETDZs and 2 more (combined)");
        assert_eq!(
            group_label_en(&["Suzhou Industrial Park".into(), "Kunshan ETDZ".into()]),
            "Suzhou Industrial Park and Kunshan ETDZ (combined)"
        );
    }

    #[test]
    fn groups_resolve_by_their_members_in_any_order() {
        let r = registry();
        assert_eq!(r.resolve("重庆经济技术开发区+万州经济技术开发区+长寿经济技术开发区").unwrap().id, 4);
        assert_eq!(r.resolve("长寿经开区+重庆经开区+万州经开区").unwrap().id, 4);
        assert_eq!(
            r.resolve("重庆经开区+万州经开区").unwrap_err(),
            ResolveError::NoSuchGroup("重庆经开区+万州经开区".into())
        );
    }

    #[test]
    fn unknown_and_ambiguous_names_are_errors() {
        let r = registry();
        assert!(matches!(r.resolve("上海"), Err(ResolveError::NotFound(_))));
        assert!(matches!(r.resolve(""), Err(ResolveError::NotFound(_))));
        let err = r.resolve("经开区").unwrap_err();
        assert!(matches!(err, ResolveError::Ambiguous { .. }), "{err}");
        assert!(err.to_string().contains("重庆经济技术开发区"));
    }

    #[test]
    fn search_matches_any_name() {
        let r = registry();
        let ids: Vec<i64> = r.search("亦庄").iter().map(|e| e.id).collect();
        assert_eq!(ids, vec![5]);
        assert_eq!(r.search("").len(), 6);
        assert_eq!(r.search("万州").len(), 2); // the zone and the group it belongs to
    }

    #[test]
    fn an_english_name_resolves_as_figures_shorten_it() {
        let mut entities = registry().entities;
        entities[1].name_en = Some("Wanzhou Economic and Technological Development Zone".into());
        let r = Registry::new(entities);
        assert_eq!(r.resolve("Wanzhou ETDZ").unwrap().id, 2);
        assert_eq!(r.resolve("wanzhou economic and technological development zone").unwrap().id, 2);
    }

    #[test]
    fn a_city_finds_the_zones_of_its_districts() {
        let mut r = registry();
        for e in r.entities.iter_mut().filter(|e| e.id == 5) {
            // Not named after its city: found by it.
            e.name = "昆山经济技术开发区".into();
            e.short_name = Some("昆山经开区".into());
            e.province = Some("江苏省".into());
            e.city = Some("昆山".into());
        }
        let r = Registry::new(r.entities);
        assert_eq!(r.search("苏州").iter().map(|e| e.id).collect::<Vec<_>>(), [5]);
        assert_eq!(r.search("苏州市").iter().map(|e| e.id).collect::<Vec<_>>(), [5]);
        assert!(r.search("南京").is_empty());
    }

    #[test]
    fn a_province_in_chinese_or_english_finds_every_zone_in_it() {
        let mut r = registry();
        for e in r.entities.iter_mut().filter(|e| [1, 2, 3].contains(&e.id)) {
            e.province = Some("重庆市".into());
        }
        let found = |s: &str| {
            let mut ids: Vec<i64> = r.search(s).iter().map(|e| e.id).collect();
            ids.sort();
            ids
        };
        // 万州 and 长寿 are not named after Chongqing; the group is named by its members.
        assert_eq!(found("重庆"), vec![1, 2, 3, 4]);
        assert_eq!(found("chongqing"), vec![1, 2, 3]);
        assert_eq!(found("Chongqing"), vec![1, 2, 3]);
        assert!(found("陕西").is_empty());
    }
}
