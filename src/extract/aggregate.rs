//! Totals over many zones, as bulletins name them: 全国219家国家级经济技术开发区,
//! 东部沿海33家国家级开发区, 中西部16个国家级开发区, 全省10个国家级经济技术开发区 (the province
//! from the context), 这49个国家级开发区 and 国家级经开区 alone (the total last introduced).
//!
//! The grammar: [where] [count 家/个] 国家级 (经济技术开发区 | 经开区 | 开发区), where `where` is
//! 全国, a region (东部, 东部沿海, 中部, 西部, 中西部, 东北, 东北三省, each with or without 地区),
//! 全省/我省/本省, a province by name, or a word pointing back (这, 上述, 该, 各). Without 国家级 the
//! words are not a total: 东部地区19家 counts zones, it is no subject.

use super::number::number_at;
use super::text::starts_at as starts;
use crate::places::{Level, Places};

/// The entity of the national total.
pub const NATIONAL: &str = "全国国家级经开区";

const REGIONS: &[(&str, &str)] = &[
    ("东部沿海地区", "东部地区"),
    ("东部沿海", "东部地区"),
    ("东部地区", "东部地区"),
    ("中西部地区", "中西部地区"),
    ("中西部", "中西部地区"),
    ("中部地区", "中部地区"),
    ("西部地区", "西部地区"),
    ("东北三省", "东北地区"),
    ("东北地区", "东北地区"),
    ("东部", "东部地区"),
    ("中部", "中部地区"),
    ("西部", "西部地区"),
    ("东北", "东北地区"),
    ("全国", "全国"),
    ("全部", "全国"),
];

const THIS_PROVINCE: &[&str] = &["全省", "我省", "本省", "全区", "全自治区", "自治区", "全市", "我市", "本市"];
const POINTING_BACK: &[&str] = &["上述", "这些", "这", "该", "各"];
const ZONE_WORDS: &[&str] = &["经济技术开发区", "经济开发区", "经开区", "开发区"];

/// Whether an entity is a total over zones (全国国家级经开区, 江西省国家级经开区), not a zone.
pub fn is_total(entity: &str) -> bool {
    entity.ends_with("国家级经开区")
}

/// What a total's name leans on: the province the text is about (for 全省), the total the text
/// introduced first (its subject: 国家级经开区 alone, or what 以下简称 defined) and the one it
/// introduced last (这49个国家级开发区, 上述开发区).
#[derive(Debug, Clone, Copy, Default)]
pub struct AggregateContext<'a> {
    pub province: Option<&'a str>,
    pub first: Option<&'a str>,
    pub last: Option<&'a str>,
}

/// The total named at `chars[at]`: (its entity, characters taken).
pub fn aggregate_at(chars: &[char], at: usize, context: AggregateContext<'_>) -> Option<(String, usize)> {
    let mut i = at;
    let mut place: Option<String> = None;
    if let Some((word, region)) = REGIONS.iter().find(|(w, _)| starts(chars, at, w)) {
        place = Some(region.to_string());
        i += word.chars().count();
    } else if let Some(w) = THIS_PROVINCE.iter().find(|w| starts(chars, at, w)).filter(|w| {
        // 全区 is the autonomous region's only before 国家级 (全区国家级经开区); else the zone's.
        // 全市 is a province's only in a municipality's text (天津: 全市6家国家级经开区).
        match **w {
            "全区" => starts(chars, at + 2, "国家级"),
            "自治区" => context.province.is_some_and(|p| p.ends_with("自治区")),
            "全市" | "我市" | "本市" => context.province.is_some_and(|p| p.ends_with('市')),
            _ => true,
        }
    }) {
        // 全省 of a province the text does not name is not read as a total at all (and never as
        // the nation's).
        place = Some(context.province?.to_string());
        i += w.chars().count();
    } else if let Some((len, places)) = Places::bundled().len_at(chars, at)
        && let Some(p) = places.iter().find(|p| p.level == Level::Province)
    {
        place = Some(p.name.clone());
        i += len;
    }
    let mut pointing_back = false;
    if place.is_none()
        && let Some(w) = POINTING_BACK.iter().find(|w| starts(chars, at, w))
    {
        i += w.chars().count();
        pointing_back = true;
    }
    // A count: 219家, 49个, 十家.
    if let Some(n) = number_at(chars, i)
        && matches!(chars.get(i + n.len), Some('家' | '个'))
    {
        i += n.len + 1;
    }
    if !starts(chars, i, "国家级") {
        return None;
    }
    i += 3;
    let zone_word = ZONE_WORDS.iter().find(|w| starts(chars, i, w))?;
    i += zone_word.chars().count();
    let entity = match place.as_deref() {
        Some("全国") => NATIONAL.to_string(),
        Some(p) => format!("{p}国家级经开区"),
        None if pointing_back => context.last.or(context.first).unwrap_or(NATIONAL).to_string(),
        None => context.first.unwrap_or(NATIONAL).to_string(),
    };
    Some((entity, i - at))
}

/// Totals of several regions named together: 东部、中部和西部地区国家级经开区 (then 分别, 依次).
pub fn region_list_at(chars: &[char], at: usize) -> Option<(Vec<String>, usize)> {
    if !matches!(chars.get(at), Some('东' | '中' | '西')) {
        return None;
    }
    let mut regions: Vec<&str> = Vec::new();
    let mut i = at;
    loop {
        let (word, region) = REGIONS.iter().filter(|(_, r)| *r != "全国").find(|(w, _)| starts(chars, i, w))?;
        regions.push(region);
        i += word.chars().count();
        // 中部地区59家、西部地区35家…: a count after each.
        if let Some(n) = number_at(chars, i).filter(|n| matches!(chars.get(i + n.len), Some('家' | '个'))) {
            i += n.len + 1;
        }
        match chars.get(i) {
            Some('、' | '和' | '及' | '与') => i += 1,
            _ => break,
        }
    }
    if regions.len() < 2 {
        return None;
    }
    if starts(chars, i, "地区") {
        i += 2;
    }
    if !starts(chars, i, "国家级") {
        return None;
    }
    i += 3;
    let zone_word = ZONE_WORDS.iter().find(|w| starts(chars, i, w))?;
    i += zone_word.chars().count();
    Some((regions.iter().map(|r| format!("{r}国家级经开区")).collect(), i - at))
}

/// The province a text is about, for 全省: the first province it names in full (江西省), else
/// the province of the place in its dateline or first lines (本报南昌10月29日讯 → 江西省).
pub fn text_province(chars: &[char]) -> Option<String> {
    let places = Places::bundled();
    let head_end = super::text::head_end(chars);
    let mut from_a_city: Option<String> = None;
    for i in 0..chars.len() {
        let Some((word, found)) = places.at(chars, i) else { continue };
        if found.iter().any(|p| p.level == Level::Province && p.name == word) {
            return Some(word);
        }
        if i < head_end && from_a_city.is_none() && found.iter().all(|p| p.level != Level::Province) {
            from_a_city = places.province_of(&word).filter(|p| !p.ends_with('市')).map(str::to_string);
        }
    }
    from_a_city
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, context: AggregateContext<'_>) -> Option<(String, usize)> {
        let chars: Vec<char> = text.chars().collect();
        aggregate_at(&chars, 0, context)
    }

    #[test]
    fn national_totals_with_and_without_a_count() {
        let none = AggregateContext::default();
        for text in [
            "全国219家国家级经济技术开发区",
            "全国国家级经开区",
            "229家国家级经开区",
            "国家级经开区",
            "全部国家级开发区",
        ] {
            assert_eq!(read(text, none), Some((NATIONAL.to_string(), text.chars().count())), "{text}");
        }
    }

    #[test]
    fn regions_provinces_and_references() {
        let none = AggregateContext::default();
        let entity = |t: &str, c| read(t, c).map(|r| r.0);
        assert_eq!(entity("东部沿海33家国家级开发区", none).as_deref(), Some("东部地区国家级经开区"));
        assert_eq!(entity("中西部16个国家级开发区", none).as_deref(), Some("中西部地区国家级经开区"));
        assert_eq!(entity("东北三省22家国家级经开区", none).as_deref(), Some("东北地区国家级经开区"));
        assert_eq!(entity("江苏省26家国家级经开区", none).as_deref(), Some("江苏省国家级经开区"));
        let tianjin = AggregateContext { province: Some("天津市"), ..AggregateContext::default() };
        assert_eq!(entity("全市6家国家级经济技术开发区", tianjin).as_deref(), Some("天津市国家级经开区"));
        assert_eq!(entity("全市6家国家级经济技术开发区", none), None, "a city's, where the city is no province");
        let sichuan = AggregateContext { province: Some("四川省"), ..AggregateContext::default() };
        assert_eq!(entity("全省10个国家级经济技术开发区", sichuan).as_deref(), Some("四川省国家级经开区"));
        assert_eq!(entity("全省10个国家级经济技术开发区", none), None, "全省 of no known province");
        let after =
            AggregateContext { province: None, first: Some(NATIONAL), last: Some("东部地区国家级经开区") };
        assert_eq!(entity("这33家国家级开发区", after).as_deref(), Some("东部地区国家级经开区"));
        assert_eq!(entity("国家级经开区", after).as_deref(), Some(NATIONAL), "alone: the text's subject");
        let jiangxi = AggregateContext { province: None, first: Some("江西省国家级经开区"), last: None };
        assert_eq!(entity("国家级经开区", jiangxi).as_deref(), Some("江西省国家级经开区"));
    }

    #[test]
    fn several_regions_named_together() {
        let counted: Vec<char> = "中部地区59家、西部地区35家、东北地区22家国家级经开区分别".chars().collect();
        assert_eq!(region_list_at(&counted, 0).unwrap().0.len(), 3);
        let chars: Vec<char> = "东部、中部和西部地区国家级经开区分别".chars().collect();
        let (regions, len) = region_list_at(&chars, 0).unwrap();
        assert_eq!(regions, ["东部地区国家级经开区", "中部地区国家级经开区", "西部地区国家级经开区"]);
        assert_eq!(len, 16);
        let one: Vec<char> = "东部地区国家级经开区".chars().collect();
        assert_eq!(region_list_at(&one, 0), None);
    }

    #[test]
    fn counts_of_zones_are_not_totals() {
        let none = AggregateContext::default();
        for text in ["东部地区19家", "全国第11位", "国家级", "全国49个", "江苏有6家入围"] {
            assert_eq!(read(text, none), None, "{text}");
        }
    }

    #[test]
    fn the_province_of_a_text() {
        let chars: Vec<char> = "标题\n本报南昌10月29日讯 全省10个国家级经开区".chars().collect();
        assert_eq!(text_province(&chars).as_deref(), Some("江西省"));
        let chars: Vec<char> = "四川省商务厅发布\n全省国家级经开区".chars().collect();
        assert_eq!(text_province(&chars).as_deref(), Some("四川省"));
    }
}
