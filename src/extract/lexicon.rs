//! The extractor's vocabulary: names of zones and totals (the gazetteer), words for
//! indicators, units, measure cues, host and back-reference words. The prose reader
//! (`rules`) and the table reader (`table`) both read with it.

use crate::dataset::Dataset;

use super::text::normalise;
use super::text::starts_at as starts;
use crate::places;

/// Names that stand for entities: canonical names, short names and aliases, longest first so
/// that 宁波石化经开区 wins over 宁波经开区's prefix.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    /// By first character, longest name first: the text is read a character at a time.
    names: crate::fast_hash::FastMap<char, Vec<(Vec<char>, String)>>,
    /// Each catalog zone's province (湖南省 for 长沙经济技术开发区).
    provinces: crate::fast_hash::FastMap<String, String>,
}

impl Gazetteer {
    pub fn from_dataset(data: &Dataset) -> Gazetteer {
        let mut names: Vec<(Vec<char>, String)> = Vec::new();
        for z in &data.zones {
            names.push((z.name.chars().collect(), z.name.clone()));
            // 昆山经济技术开发区 is also 昆山开发区; 西安经济技术开发区 is also 西安市经开区.
            if let Some(stem) = z.name.strip_suffix("经济技术开发区") {
                names.push((format!("{stem}开发区").chars().collect(), z.name.clone()));
                let is_city = places::Places::bundled()
                    .named(&format!("{stem}市"))
                    .iter()
                    .any(|p| p.level != places::Level::District);
                if is_city {
                    for suffix in ["市经济技术开发区", "市经开区", "市开发区"] {
                        names.push((format!("{stem}{suffix}").chars().collect(), z.name.clone()));
                    }
                }
            }
        }
        let aggregates: Vec<&str> = data
            .facts
            .iter()
            .filter(|f| f.entity_kind == crate::model::EntityKind::Aggregate)
            .map(|f| f.entity.as_str())
            .collect();
        // 杭州湾经开区 for 宁波杭州湾经济技术开发区: the name without its city, where that is
        // still one zone's name.
        let mut trimmed: Vec<(String, String)> = Vec::new();
        // (The city may be longer than two characters: 乌鲁木齐甘泉堡 → 甘泉堡.)
        for z in &data.zones {
            if let Some(stem) = z.name.strip_suffix("经济技术开发区") {
                let chars: Vec<char> = stem.chars().collect();
                // The longest known place first (乌鲁木齐, not 乌鲁); else the two characters most
                // city names take.
                let skip = (3..=4.min(chars.len()))
                    .rev()
                    .find(|&skip| places::Places::bundled().is_place(&chars[..skip].iter().collect::<String>()))
                    .unwrap_or(2);
                let rest: String = chars.get(skip..).unwrap_or_default().iter().collect();
                if rest.chars().count() >= 2 {
                    trimmed.push((rest, z.name.clone()));
                }
            }
        }
        for (rest, zone) in &trimmed {
            let full = format!("{rest}经济技术开发区");
            let unique =
                trimmed.iter().filter(|(r, _)| r == rest).count() == 1 && !data.zones.iter().any(|z| z.name == full);
            if unique {
                for suffix in ["经开区", "开发区"] {
                    names.push((format!("{rest}{suffix}").chars().collect(), zone.clone()));
                }
            }
        }
        for a in &data.aliases {
            // An aggregate is named in text by its own name; its looser aliases (国家级经开区)
            // are common words there ("四家国家级经开区").
            if a.kind != crate::dataset::AliasKind::English && !aggregates.contains(&a.entity.as_str()) {
                names.push((normalise(&a.alias).chars().collect(), a.entity.clone()));
            }
        }
        for f in &data.facts {
            if f.entity_kind == crate::model::EntityKind::Aggregate {
                names.push((f.entity.chars().collect(), f.entity.clone()));
            }
        }
        {
            let name = "西部地区国家级经开区";
            names.push((name.chars().collect(), name.to_string()));
        }
        names.sort_by_key(|(name, _)| std::cmp::Reverse(name.len()));
        names.dedup();
        let mut by_first: crate::fast_hash::FastMap<char, Vec<(Vec<char>, String)>> =
            crate::fast_hash::FastMap::default();
        for (name, entity) in names {
            if let Some(&first) = name.first() {
                by_first.entry(first).or_default().push((name, entity));
            }
        }
        let provinces = data.zones.iter().map(|z| (z.name.clone(), z.province.clone())).collect();
        Gazetteer { names: by_first, provinces }
    }

    /// The province of a catalog zone.
    pub fn province_of(&self, zone: &str) -> Option<&str> {
        self.provinces.get(zone).map(String::as_str)
    }

    pub fn at(&self, chars: &[char], at: usize) -> Option<(&str, usize)> {
        self.names
            .get(chars.get(at)?)?
            .iter()
            .find(|(n, _)| chars.get(at..at + n.len()) == Some(n.as_slice()))
            .map(|(n, c)| (c.as_str(), n.len()))
    }
}

/// Words for indicators, longest first within the table's order of preference.
pub const INDICATORS: &[(&str, &str)] = &[
    ("新增注册企业", "新设经营主体"),
    ("新登记经营主体", "新设经营主体"),
    ("新登记市场主体", "新设经营主体"),
    ("市级“专精特新”企业", "市级专精特新企业数"),
    ("省级“专精特新”企业", "省级专精特新企业数"),
    // 省级以上: the province's and the nation's together, a count of its own.
    ("省级以上专精特新中小企业", "省级以上专精特新企业数"),
    ("省级以上专精特新企业", "省级以上专精特新企业数"),
    ("省级专精特新中小企业", "省级专精特新企业数"),
    ("省级专精特新企业", "省级专精特新企业数"),
    ("市级专精特新中小企业", "市级专精特新企业数"),
    ("市级专精特新企业", "市级专精特新企业数"),
    ("新增国家级专精特新“小巨人”企业", "新增专精特新小巨人企业"),
    ("新增国家级专精特新小巨人企业", "新增专精特新小巨人企业"),
    ("外贸进出口总额", "外贸进出口总额"),
    ("货物贸易进出口总值", "外贸进出口总额"),
    ("外贸进出口总值", "外贸进出口总额"),
    ("进出口总额", "外贸进出口总额"),
    ("进出口总值", "外贸进出口总额"),
    ("外贸进出口", "外贸进出口总额"),
    ("进出口额", "外贸进出口总额"),
    ("进出口", "外贸进出口总额"),
    ("实际使用外资", "实际使用外资"),
    ("实际利用外资", "实际使用外资"),
    ("到位外资", "实际使用外资"),
    ("利用外资", "实际使用外资"),
    ("对外贸易", "外贸进出口总额"),
    ("国内生产总值", "地区生产总值"),
    ("出口总额", "出口额"),
    ("进口总额", "进口额"),
    ("新设外商投资企业", "新设外商投资企业"),
    ("新设外资企业", "新设外商投资企业"),
    ("新批外商投资企业", "新设外商投资企业"),
    ("新增外商投资企业", "新设外商投资企业"),
    ("新批外资企业", "新设外商投资企业"),
    ("合同外资", "合同外资"),
    ("协议外资", "合同外资"),
    ("地区生产总值", "地区生产总值"),
    ("GDP", "地区生产总值"),
    ("规模以上工业总产值", "工业总产值"),
    ("规上工业总产值", "工业总产值"),
    ("工业总产值", "工业总产值"),
    ("规模以上工业增加值", "工业增加值"),
    ("规上工业增加值", "工业增加值"),
    ("工业增加值", "工业增加值"),
    ("全社会固定资产投资", "固定资产投资"),
    ("固定资产投资", "固定资产投资"),
    ("一般公共预算收入", "一般公共预算收入"),
    ("公共财政预算收入", "一般公共预算收入"),
    ("财政收入", "一般公共预算收入"),
    ("地方财政一般预算收入", "一般公共预算收入"),
    ("一般预算收入", "一般公共预算收入"),
    ("税收收入", "税收收入"),
    ("税收", "税收收入"),
    ("新设经营主体", "新设经营主体"),
    ("新增市场主体", "新设经营主体"),
    ("新增经营主体", "新设经营主体"),
    ("经营主体", "经营主体数量"),
    ("市场主体", "经营主体数量"),
    ("注册资本", "注册资本"),
    // Newly recognised ones are a flow of the period, not the stock.
    ("新增国家高新技术企业", "新增高新技术企业"),
    ("新增国家级高新技术企业", "新增高新技术企业"),
    ("新增高新技术企业", "新增高新技术企业"),
    ("新认定高新技术企业", "新增高新技术企业"),
    ("高新技术企业", "高新技术企业数"),
    ("小巨人", "专精特新小巨人企业数"),
    ("综合发展水平", "综合发展水平排名"),
    ("综合排名", "综合发展水平排名"),
    ("协议投资额", "项目投资额"),
    ("协议资金", "项目投资额"),
    ("签约金额", "项目投资额"),
    ("签约总金额", "项目投资额"),
    ("项目总投资", "项目投资额"),
    ("总投资", "项目投资额"),
    ("签约项目", "签约项目数"),
    ("签约亿元以上项目", "签约项目数"),
    ("签约亿元以上重大项目", "签约项目数"),
    ("签约10亿元以上项目", "签约项目数"),
    ("签约重大项目", "签约项目数"),
    ("签约重点项目", "签约项目数"),
    ("引进项目", "签约项目数"),
    ("落地项目", "签约项目数"),
    ("出口额", "出口额"),
    ("出口", "出口额"),
    ("进口额", "进口额"),
    ("进口", "进口额"),
];

/// Units, longest first.
pub const UNITS: &[&str] = &[
    "万亿元",
    "万亿美元",
    "亿美元",
    "万美元",
    "个百分点",
    "亿元",
    "万元",
    "万家",
    "万户",
    "万辆",
    "万台",
    "美元",
    "元",
    "%",
    "家",
    "户",
    "个",
    "项",
    "倍",
    "位",
    "名",
    "辆",
];

/// Words that say what the next percentage measures, with the sign of a change; longest first
/// where one starts another. `None` words (达到, 提高到) keep the measure in force: a share that
/// 提高到 42.6% is still a share.
pub const MEASURE_CUES: &[(&str, Option<(&str, f64)>)] = &[
    ("年均增长", Some(("avg_yoy_pct", 1.0))),
    ("年均增速", Some(("avg_yoy_pct", 1.0))),
    // 两年平均增长 (on the base two years before, as reports wrote in 2021): an average
    // annual rate, not the 同比 one beside it.
    ("平均增长", Some(("avg_yoy_pct", 1.0))),
    ("平均增速", Some(("avg_yoy_pct", 1.0))),
    ("同比增长", Some(("yoy_pct", 1.0))),
    ("同比增加", Some(("yoy_pct", 1.0))),
    ("同比下降", Some(("yoy_pct", -1.0))),
    ("同比减少", Some(("yoy_pct", -1.0))),
    ("同比回落", Some(("yoy_pct", -1.0))),
    // 按年 is 同比 as Hong Kong writes it.
    ("按年增长", Some(("yoy_pct", 1.0))),
    ("按年上升", Some(("yoy_pct", 1.0))),
    ("按年下跌", Some(("yoy_pct", -1.0))),
    ("按年下降", Some(("yoy_pct", -1.0))),
    ("按年减少", Some(("yoy_pct", -1.0))),
    ("负增长", Some(("yoy_pct", -1.0))),
    ("回落至", Some(("yoy_pct", 1.0))),
    ("回落到", Some(("yoy_pct", 1.0))),
    ("下降至", Some(("yoy_pct", 1.0))),
    ("降至", Some(("yoy_pct", 1.0))),
    ("提高到", None),
    ("提高至", None),
    ("提升到", None),
    ("提升至", None),
    ("上升到", None),
    ("上升至", None),
    ("达到", None),
    ("同比", Some(("yoy_pct", 1.0))),
    ("增长", Some(("yoy_pct", 1.0))),
    ("增幅", Some(("yoy_pct", 1.0))),
    ("增速", Some(("yoy_pct", 1.0))),
    ("增加值", None),
    ("增加", Some(("yoy_pct", 1.0))),
    ("上升", Some(("yoy_pct", 1.0))),
    ("降幅", Some(("yoy_pct", -1.0))),
    ("跌幅", Some(("yoy_pct", -1.0))),
    ("下跌", Some(("yoy_pct", -1.0))),
    ("下降", Some(("yoy_pct", -1.0))),
    ("下滑", Some(("yoy_pct", -1.0))),
    ("降低", Some(("yoy_pct", -1.0))),
    ("减少", Some(("yoy_pct", -1.0))),
    ("回落", Some(("yoy_pct", -1.0))),
    ("↑", Some(("yoy_pct", 1.0))),
    ("↓", Some(("yoy_pct", -1.0))),
    ("提高", Some(("yoy_pp", 1.0))),
    ("比重", Some(("share_pct", 1.0))),
    ("占", Some(("share_pct", 1.0))),
    ("第", Some(("rank", 1.0))),
];

/// Words that put the following figures on the host city, district or province: not the zone's.
pub const HOST_WORDS: &[&str] =
    &["全市", "全省", "全国", "我国", "我省", "我市", "市属", "全区所在", "全自治区", "自治区"];

/// Words that make a clause a plan or a target, not a figure (a target is not a fact).
/// Whole words only: 目标 alone is also the tail of 项目标志.
pub const TARGET_WORDS: &[&str] = &[
    "力争",
    "预期目标",
    "目标是",
    "目标为",
    "目标任务",
    "计划实施",
    "计划实现",
    "计划完成",
    "计划投资",
    "确保",
    "争取",
    "明年",
];

/// Words that mean "the zone this passage is about".
pub const BACK_REFERENCES: &[&str] = &["全区", "该区", "我区", "园区", "区内", "本区", "开发区", "经开区"];

/// Entries of a table by the first character of their word, in the table's order.
type FirstCharIndex = crate::fast_hash::FastMap<char, Vec<usize>>;

fn first_char_index<T>(table: &[(&str, T)]) -> FirstCharIndex {
    let mut index = FirstCharIndex::default();
    for (k, (word, _)) in table.iter().enumerate() {
        if let Some(c) = word.chars().next() {
            index.entry(c).or_default().push(k);
        }
    }
    index
}

/// The first entry of `table` (in its order of preference) whose word starts at `chars[at]`,
/// looking only at the entries whose word starts with that character: these tables are read at
/// every character of a text.
fn indexed_at<'t, T>(
    table: &'t [(&'t str, T)],
    index: &FirstCharIndex,
    chars: &[char],
    at: usize,
) -> Option<&'t (&'t str, T)> {
    index.get(chars.get(at)?)?.iter().map(|&k| &table[k]).find(|(w, _)| starts(chars, at, w))
}

/// The indicator word at `chars[at]`: (the word, the canonical indicator).
pub fn indicator_at(chars: &[char], at: usize) -> Option<(&'static str, &'static str)> {
    static INDEX: std::sync::OnceLock<FirstCharIndex> = std::sync::OnceLock::new();
    let index = INDEX.get_or_init(|| first_char_index(INDICATORS));
    indexed_at(INDICATORS, index, chars, at).map(|(w, n)| (*w, *n))
}

/// The measure cue at `chars[at]`: (the word, what it says: measure and sign, or nothing).
pub fn cue_at(chars: &[char], at: usize) -> Option<(&'static str, Option<(&'static str, f64)>)> {
    static INDEX: std::sync::OnceLock<FirstCharIndex> = std::sync::OnceLock::new();
    let index = INDEX.get_or_init(|| first_char_index(MEASURE_CUES));
    indexed_at(MEASURE_CUES, index, chars, at).map(|(w, c)| (*w, *c))
}

pub fn word_at<'a>(chars: &[char], at: usize, words: &[&'a str]) -> Option<&'a str> {
    words.iter().copied().find(|w| starts(chars, at, w))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A figure is proposed only in units and measures the model reads: none of the lexicon's is
    /// left out that way.
    #[test]
    fn indexed_lookups_find_what_a_scan_finds() {
        let text: Vec<char> = "规模以上工业总产值同比增长负增长进出口总额出口占比".chars().collect();
        for at in 0..text.len() {
            let scan = INDICATORS.iter().find(|(w, _)| starts(&text, at, w)).map(|(w, n)| (*w, *n));
            assert_eq!(indicator_at(&text, at), scan, "{at}");
            let scan = MEASURE_CUES.iter().find(|(w, _)| starts(&text, at, w)).map(|(w, c)| (*w, *c));
            assert_eq!(cue_at(&text, at), scan, "{at}");
        }
    }

    #[test]
    fn a_zone_is_named_without_its_city_however_long_the_citys_name() {
        let g = Gazetteer::from_dataset(&crate::dataset::Dataset::bundled().unwrap());
        let named = |text: &str| {
            let chars: Vec<char> = text.chars().collect();
            g.at(&chars, 0).map(|(zone, len)| (zone.to_string(), len))
        };
        // A city of two characters, of three, of four.
        assert_eq!(named("杭州湾经开区"), Some(("宁波杭州湾经济技术开发区".to_string(), 6)));
        assert_eq!(named("利民经开区"), Some(("哈尔滨利民经济技术开发区".to_string(), 5)));
        assert_eq!(named("甘泉堡经开区"), Some(("乌鲁木齐甘泉堡经济技术开发区".to_string(), 6)));
        // Not the city's name cut in two.
        assert_eq!(named("木齐甘泉堡经开区"), None);
    }

    #[test]
    fn every_unit_and_measure_the_lexicon_names_is_one_the_model_reads() {
        for unit in UNITS {
            assert!(unit.parse::<crate::model::Unit>().is_ok(), "{unit}");
        }
        for (word, cue) in MEASURE_CUES {
            if let Some((measure, _)) = cue {
                assert!(measure.parse::<crate::model::Measure>().is_ok(), "{word}: {measure}");
            }
        }
    }
}
