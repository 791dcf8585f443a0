//! Numbers as reports write them: 1,234.5; 126.3 (after normalising full-width digits);
//! 一百零八, 两千, 十二. Scale words (万, 亿) belong to the unit, not to the number.

/// A number read from text: its value and how many characters it took.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NumberAt {
    pub value: f64,
    pub len: usize,
}

/// Whether a number may start with `c` (a digit, a Chinese numeral or 十/百/千).
pub fn may_start(c: char) -> bool {
    c.is_ascii_digit() || chinese_digit(c).is_some() || multiplier(c).is_some()
}

/// The number that starts at `chars[at]`, if one does.
pub fn number_at(chars: &[char], at: usize) -> Option<NumberAt> {
    let c = *chars.get(at)?;
    if c.is_ascii_digit() {
        arabic_at(chars, at)
    } else if chinese_digit(c).is_some() || multiplier(c).is_some() {
        chinese_at(chars, at)
    } else {
        None
    }
}

/// ASCII digits, thousands separators (a comma followed by exactly three digits) and one
/// decimal point followed by a digit.
fn arabic_at(chars: &[char], at: usize) -> Option<NumberAt> {
    let mut text = String::new();
    let mut i = at;
    let mut seen_point = false;
    while let Some(&c) = chars.get(i) {
        let digit_at = |k: usize| chars.get(k).is_some_and(|c| c.is_ascii_digit());
        if c.is_ascii_digit() {
            text.push(c);
        } else if c == ',' && !seen_point && (1..=3).all(|k| digit_at(i + k)) && !digit_at(i + 4) {
            // a thousands separator: skip it
        } else if c == '.' && !seen_point && digit_at(i + 1) {
            seen_point = true;
            text.push('.');
        } else {
            break;
        }
        i += 1;
    }
    // 0.00000000000000000000000000001亿元, 123456789012345678元: no report writes these; read
    // as a float they would become another number (0, a rounded one), so they give no figure.
    let decimals = text.split_once('.').map_or(0, |(_, d)| d.len());
    let digits = text.trim_start_matches(['0', '.']).chars().filter(char::is_ascii_digit).count();
    if decimals > 6 || digits > 15 {
        return None;
    }
    let value = text.parse::<f64>().ok().filter(|v| v.is_finite())?;
    Some(NumberAt { value, len: i - at })
}

fn chinese_digit(c: char) -> Option<u32> {
    Some(match c {
        '零' | '〇' => 0,
        '一' | '壹' => 1,
        '二' | '两' | '贰' | '貳' => 2,
        '三' | '叁' | '參' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' | '陸' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

/// 十, 百, 千 and their capital forms (拾, 佰, 仟).
fn multiplier(c: char) -> Option<u32> {
    Some(match c {
        '十' | '拾' => 10,
        '百' | '佰' => 100,
        '千' | '仟' => 1000,
        _ => return None,
    })
}

/// 一百零八, 三千五百, 十二, 二十, 九, 壹佰伍拾, 千 (突破千亿元): digits with 十/百/千 up to 9999.
fn chinese_at(chars: &[char], at: usize) -> Option<NumberAt> {
    let mut total: u32 = 0;
    let mut pending: Option<u32> = None;
    let mut i = at;
    let mut last_multiplier = 10_000;
    while let Some(&c) = chars.get(i) {
        if let Some(d) = chinese_digit(c) {
            if pending.is_some() {
                break; // two digits in a row (一二) is a list, not a number
            }
            // 零 only marks a skipped place (一百零八); it adds nothing.
            if d != 0 {
                pending = Some(d);
            }
        } else {
            let Some(multiplier) = multiplier(c) else { break };
            if multiplier >= last_multiplier {
                break;
            }
            // 十二 means 12, 千亿 a thousand 亿: a bare multiplier counts one.
            total += pending.take().unwrap_or(1) * multiplier;
            last_multiplier = multiplier;
        }
        i += 1;
    }
    total += pending.unwrap_or(0);
    let len = i - at;
    // A lone 一 or 二 is more often a word (一季度, 一批) than a count: the caller decides by
    // what follows, but a bare zero is never a number.
    (len > 0 && !(len == 1 && chars[at] == '零')).then_some(NumberAt { value: total as f64, len })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &str) -> Option<(f64, usize)> {
        let chars: Vec<char> = s.chars().collect();
        number_at(&chars, 0).map(|n| (n.value, n.len))
    }

    #[test]
    fn arabic_numbers_with_separators_and_decimals() {
        assert_eq!(read("242.3亿元"), Some((242.3, 5)));
        assert_eq!(read("5,230万美元"), Some((5230.0, 5)));
        assert_eq!(read("1,234,567.8元"), Some((1_234_567.8, 11)));
        assert_eq!(read("96%"), Some((96.0, 2)));
        assert_eq!(read("2023年"), Some((2023.0, 4)));
    }

    #[test]
    fn numbers_no_report_writes_give_no_number_rather_than_another_one() {
        assert_eq!(read("0.00000000000000000000000000001亿元"), None);
        assert_eq!(read("123456789012345678元"), None);
        assert_eq!(read("7.102634元"), Some((7.102634, 8)));
        assert_eq!(read("0.000123亿元"), Some((0.000123, 8)));
    }

    #[test]
    fn commas_and_points_that_are_punctuation_end_the_number() {
        // A list 96%、96%: the comma-like 、 is not a digit; "12,5" is not a separator.
        assert_eq!(read("12,5亿"), Some((12.0, 2)));
        assert_eq!(read("36.4。"), Some((36.4, 4)));
        assert_eq!(read("7."), Some((7.0, 1)));
        assert_eq!(read("1,2345"), Some((1.0, 1)));
    }

    #[test]
    fn chinese_numerals() {
        assert_eq!(read("一百零八家"), Some((108.0, 4)));
        assert_eq!(read("十二个"), Some((12.0, 2)));
        assert_eq!(read("二十家"), Some((20.0, 2)));
        assert_eq!(read("三千五百户"), Some((3500.0, 4)));
        assert_eq!(read("两千"), Some((2000.0, 2)));
        assert_eq!(read("九项"), Some((9.0, 1)));
        assert_eq!(read("一百五十二亿元"), Some((152.0, 5)));
        assert_eq!(read("一千零一万美元"), Some((1001.0, 4)));
        assert_eq!(read("壹佰伍拾亿元"), Some((150.0, 4)));
        assert_eq!(read("千亿元"), Some((1000.0, 1)));
        assert_eq!(read("零"), None);
        assert_eq!(read("家"), None);
        assert_eq!(read(""), None);
    }
}
