//! Zone names as people write them: canonical names, short names, aliases.

/// The suffix of most national zones' canonical names, and its usual short form.
const ETDZ_FULL: &str = "经济技术开发区";
const ETDZ_SHORT: &str = "经开区";

/// The short name news reports use: 重庆经济技术开发区 → 重庆经开区. `None` when the name does
/// not follow the pattern (苏州工业园区); those names get hand-kept aliases instead.
pub fn short_name(canonical: &str) -> Option<String> {
    let stem = canonical.strip_suffix(ETDZ_FULL)?;
    (!stem.is_empty()).then(|| format!("{stem}{ETDZ_SHORT}"))
}

/// The English (Hanyu Pinyin, official spelling) name of a province-level division as the
/// catalog writes it (重庆市 → Chongqing, 陕西省 → Shaanxi), for searching zones by province.
pub fn province_en(province: &str) -> Option<&'static str> {
    const PROVINCES: [(&str, &str); 31] = [
        ("北京市", "Beijing"),
        ("天津市", "Tianjin"),
        ("河北省", "Hebei"),
        ("山西省", "Shanxi"),
        ("内蒙古自治区", "Inner Mongolia"),
        ("辽宁省", "Liaoning"),
        ("吉林省", "Jilin"),
        ("黑龙江省", "Heilongjiang"),
        ("上海市", "Shanghai"),
        ("江苏省", "Jiangsu"),
        ("浙江省", "Zhejiang"),
        ("安徽省", "Anhui"),
        ("福建省", "Fujian"),
        ("江西省", "Jiangxi"),
        ("山东省", "Shandong"),
        ("河南省", "Henan"),
        ("湖北省", "Hubei"),
        ("湖南省", "Hunan"),
        ("广东省", "Guangdong"),
        ("广西壮族自治区", "Guangxi"),
        ("海南省", "Hainan"),
        ("重庆市", "Chongqing"),
        ("四川省", "Sichuan"),
        ("贵州省", "Guizhou"),
        ("云南省", "Yunnan"),
        ("西藏自治区", "Tibet"),
        ("陕西省", "Shaanxi"),
        ("甘肃省", "Gansu"),
        ("青海省", "Qinghai"),
        ("宁夏回族自治区", "Ningxia"),
        ("新疆维吾尔自治区", "Xinjiang"),
    ];
    PROVINCES.iter().find(|(zh, _)| *zh == province).map(|(_, en)| *en)
}

/// The form names are compared in: trimmed, ASCII letters lower-cased, full-width letters and
/// digits made half-width, and every dash made the em dash the catalog writes
/// (广西-东盟 = 广西—东盟).
pub fn lookup_key(name: &str) -> String {
    name.trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '-' | '－' | '–' | '‐' | '―' => '—',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_follow_the_usual_pattern() {
        assert_eq!(short_name("重庆经济技术开发区").as_deref(), Some("重庆经开区"));
        assert_eq!(short_name("广西—东盟经济技术开发区").as_deref(), Some("广西—东盟经开区"));
        assert_eq!(short_name("苏州工业园区"), None);
        assert_eq!(short_name("经济技术开发区"), None);
    }

    #[test]
    fn lookup_keys_ignore_dashes_case_and_width() {
        assert_eq!(lookup_key(" 广西-东盟经开区 "), lookup_key("广西—东盟经开区"));
        assert_eq!(lookup_key("TEDA"), lookup_key("teda"));
        assert_eq!(lookup_key("ＳＩＰ"), "sip");
        assert_eq!(lookup_key("Xi'an Economic Zone"), "xi'aneconomiczone");
    }
}
