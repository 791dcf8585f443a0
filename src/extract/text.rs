//! Reading report texts: which encoding a file is in, and a normalised form to search.

/// A decoded text and the encoding it was read in.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    pub text: String,
    /// `UTF-8`, `UTF-8 with BOM`, `UTF-16LE`, `UTF-16BE` or `GB18030` (which covers GBK and GB2312).
    pub encoding: &'static str,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DecodeError {
    #[error("the file is empty")]
    Empty,
    #[error("the text is neither UTF-8, UTF-16 nor GBK/GB18030 (byte {0:#04x} at offset {1} cannot be read)")]
    Unknown(u8, usize),
}

/// Reads `bytes` as UTF-8 (with or without BOM), UTF-16 (with BOM, or without one when every
/// other byte is zero) or GB18030, in that order; the first that reads without error wins.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(rest, "UTF-8 with BOM");
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return Ok(Decoded { text: utf16(rest, u16::from_le_bytes), encoding: "UTF-16LE" });
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return Ok(Decoded { text: utf16(rest, u16::from_be_bytes), encoding: "UTF-16BE" });
    }
    // UTF-16 without a BOM, before UTF-8 (zero bytes are valid UTF-8): Chinese text in it has
    // few zero bytes, but ASCII (dates, numbers) has many, at every other position.
    if bytes.len() % 2 == 0 && bytes.len() >= 4 {
        let zeros_even = bytes.iter().step_by(2).filter(|b| **b == 0).count();
        let zeros_odd = bytes.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
        let half = bytes.len() / 2;
        if zeros_odd * 4 > half && zeros_even * 20 < half {
            return Ok(Decoded { text: utf16(bytes, u16::from_le_bytes), encoding: "UTF-16LE" });
        }
        if zeros_even * 4 > half && zeros_odd * 20 < half {
            return Ok(Decoded { text: utf16(bytes, u16::from_be_bytes), encoding: "UTF-16BE" });
        }
    }
    if let Ok(d) = utf8(bytes, "UTF-8") {
        return Ok(d);
    }
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    if !had_errors {
        return Ok(Decoded { text: text.into_owned(), encoding: "GB18030" });
    }
    let offset = std::str::from_utf8(bytes).err().map_or(0, |e| e.valid_up_to());
    Err(DecodeError::Unknown(bytes[offset], offset))
}

fn utf8(bytes: &[u8], encoding: &'static str) -> Result<Decoded, DecodeError> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(Decoded { text: s.to_string(), encoding }),
        Err(e) => {
            let at = e.valid_up_to();
            Err(DecodeError::Unknown(bytes[at], at))
        }
    }
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> String {
    let units = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]]));
    char::decode_utf16(units).map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER)).collect()
}

/// Traditional characters of the words reports use, and their simplified forms. One character
/// for one character, so that positions in the normalised text are positions in the original.
const TRADITIONAL: &[(char, char)] = &[
    ('區', '区'),
    ('開', '开'),
    ('發', '发'),
    ('經', '经'),
    ('濟', '济'),
    ('術', '术'),
    ('進', '进'),
    ('額', '额'),
    ('億', '亿'),
    ('萬', '万'),
    ('長', '长'),
    ('實', '实'),
    ('際', '际'),
    ('資', '资'),
    ('產', '产'),
    ('總', '总'),
    ('業', '业'),
    ('稅', '税'),
    ('項', '项'),
    ('個', '个'),
    ('點', '点'),
    ('較', '较'),
    ('貿', '贸'),
    ('約', '约'),
    ('達', '达'),
    ('與', '与'),
    ('規', '规'),
    ('數', '数'),
    ('營', '营'),
    ('體', '体'),
    ('設', '设'),
    ('創', '创'),
    ('記', '记'),
    ('報', '报'),
    ('園', '园'),
    ('廈', '厦'),
    ('門', '门'),
    ('滄', '沧'),
    ('臺', '台'),
    ('灣', '湾'),
    ('蘇', '苏'),
    ('漢', '汉'),
    ('關', '关'),
    ('國', '国'),
    ('級', '级'),
    ('預', '预'),
    ('計', '计'),
    ('幣', '币'),
    ('構', '构'),
    ('這', '这'),
    ('據', '据'),
    ('顯', '显'),
    ('統', '统'),
    ('務', '务'),
    ('該', '该'),
    ('現', '现'),
    ('當', '当'),
    ('時', '时'),
    ('間', '间'),
    ('買', '买'),
    ('賣', '卖'),
    ('場', '场'),
    ('廠', '厂'),
    ('車', '车'),
    ('輛', '辆'),
    ('電', '电'),
    ('機', '机'),
    ('種', '种'),
    ('類', '类'),
    ('從', '从'),
    ('來', '来'),
    ('為', '为'),
    ('於', '于'),
    ('後', '后'),
    ('會', '会'),
    ('對', '对'),
    ('將', '将'),
    ('態', '态'),
    ('勢', '势'),
    ('質', '质'),
    ('積', '积'),
    ('極', '极'),
    ('穩', '稳'),
    ('順', '顺'),
    ('財', '财'),
    ('專', '专'),
    ('戶', '户'),
    ('審', '审'),
    ('準', '准'),
    ('簽', '签'),
    ('協', '协'),
    ('議', '议'),
    ('稱', '称'),
    ('權', '权'),
    ('減', '减'),
    ('綜', '综'),
    ('評', '评'),
    ('價', '价'),
    ('連', '连'),
    ('續', '续'),
    ('陸', '陆'),
    ('幾', '几'),
    ('兩', '两'),
    ('測', '测'),
    ('餘', '余'),
    ('東', '东'),
    ('島', '岛'),
    ('廣', '广'),
    ('縣', '县'),
    ('華', '华'),
    ('僑', '侨'),
    ('鎮', '镇'),
    ('鄉', '乡'),
    ('増', '增'),
    ('値', '值'),
    ('條', '条'),
    ('麼', '么'),
    ('圓', '元'),
    ('優', '优'),
    ('勵', '励'),
    ('貨', '货'),
    ('運', '运'),
    ('輸', '输'),
    ('樓', '楼'),
    ('廳', '厅'),
    ('網', '网'),
    ('聯', '联'),
    ('絡', '络'),
    ('話', '话'),
    ('頁', '页'),
    ('標', '标'),
    ('題', '题'),
    ('閱', '阅'),
    ('讀', '读'),
    ('號', '号'),
    ('碼', '码'),
    ('舉', '举'),
    ('辦', '办'),
    ('選', '选'),
    ('擇', '择'),
    ('歷', '历'),
    ('離', '离'),
    ('環', '环'),
    ('節', '节'),
    ('線', '线'),
    ('橫', '横'),
    ('縱', '纵'),
    ('鐵', '铁'),
    ('銷', '销'),
    ('採', '采'),
    ('購', '购'),
    ('綠', '绿'),
    ('藥', '药'),
    ('醫', '医'),
    ('療', '疗'),
    ('倉', '仓'),
    ('儲', '储'),
    ('學', '学'),
    ('書', '书'),
    ('傳', '传'),
    ('轉', '转'),
    ('換', '换'),
    ('動', '动'),
    ('輪', '轮'),
    ('飛', '飞'),
    ('雲', '云'),
    ('風', '风'),
    ('陽', '阳'),
];

/// Whether `word` stands in `chars` at `at`.
pub fn starts_at(chars: &[char], at: usize, word: &str) -> bool {
    let mut i = at;
    for w in word.chars() {
        if chars.get(i) != Some(&w) {
            return false;
        }
        i += 1;
    }
    true
}

/// The form texts are searched in: full-width ASCII made half-width, the ideographic space a
/// space, and Traditional characters of the words reports use made Simplified. Every character
/// maps to exactly one character, so that a character offset in the result is one in `text`.
pub fn normalise(text: &str) -> String {
    text.chars().map(normalise_char).collect()
}

pub fn normalise_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => TRADITIONAL.iter().find(|(t, _)| *t == c).map_or(c, |(_, s)| *s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "2024年,重庆经开区外贸进出口242.3亿元";

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode(TEXT.as_bytes()).unwrap(), Decoded { text: TEXT.into(), encoding: "UTF-8" });
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(TEXT.as_bytes());
        assert_eq!(decode(&bom).unwrap().encoding, "UTF-8 with BOM");
        assert_eq!(decode(&bom).unwrap().text, TEXT);
    }

    #[test]
    fn utf16_with_bom_and_by_its_zero_bytes() {
        let le: Vec<u8> = TEXT.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = TEXT.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let mut with_bom = vec![0xFF, 0xFE];
        with_bom.extend_from_slice(&le);
        assert_eq!(decode(&with_bom).unwrap(), Decoded { text: TEXT.into(), encoding: "UTF-16LE" });
        let mut with_bom = vec![0xFE, 0xFF];
        with_bom.extend_from_slice(&be);
        assert_eq!(decode(&with_bom).unwrap().text, TEXT);
        let ascii_heavy = "2024-10-29\n2023年 242.3 96% 99.5%\n";
        let le: Vec<u8> = ascii_heavy.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(decode(&le).unwrap(), Decoded { text: ascii_heavy.into(), encoding: "UTF-16LE" });
    }

    #[test]
    fn gbk_is_read_as_gb18030() {
        let (gbk, _, _) = encoding_rs::GBK.encode(TEXT);
        let d = decode(&gbk).unwrap();
        assert_eq!(d, Decoded { text: TEXT.into(), encoding: "GB18030" });
    }

    #[test]
    fn empty_and_unreadable_bytes_are_errors() {
        assert_eq!(decode(b""), Err(DecodeError::Empty));
        // 0xFF is neither UTF-8 nor the start of a GB18030 sequence.
        assert!(matches!(decode(&[0xFF]), Err(DecodeError::Unknown(0xFF, 0))));
    }

    #[test]
    fn normalising_keeps_one_character_for_one() {
        let t = "蘇州工業園區實現進出口總額１２６．３億元，同比增長５％";
        let n = normalise(t);
        assert_eq!(n, "苏州工业园区实现进出口总额126.3亿元,同比增长5%");
        assert_eq!(n.chars().count(), t.chars().count());
    }
}
