//! Text on a figure: the bundled font, how wide a line of it is, and where lines break. The
//! layout measures with the same font the PNG is drawn with, so nothing overflows.

use std::sync::OnceLock;

/// Noto Sans CJK SC, cut to the GBK repertoire (see `assets/fonts/make_subset.sh`). It has
/// Latin glyphs too, so one face sets a whole figure.
pub const FONT: &[u8] = include_bytes!("../../assets/fonts/NotoSansCJKsc-Regular-GBK.otf");

/// The family name inside `FONT`.
pub const FONT_FAMILY: &str = "Noto Sans CJK SC";

/// The families an SVG asks for, in order: the bundled one, then the CJK fonts that viewers
/// on Linux, macOS and Windows commonly have, so that Chinese renders wherever it is opened.
pub const SVG_FONT_FAMILIES: &str = "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'Source Han Sans CN', \
'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif";

fn face() -> Option<&'static ttf_parser::Face<'static>> {
    static FACE: OnceLock<Option<ttf_parser::Face<'static>>> = OnceLock::new();
    FACE.get_or_init(|| ttf_parser::Face::parse(FONT, 0).ok()).as_ref()
}

/// The advance of `text` set at `size` (pixels per em), without kerning.
pub fn width(text: &str, size: f32) -> f32 {
    let Some(face) = face() else {
        // The bundled font always parses; a rough guess keeps layout going if it ever did not.
        return text.chars().map(|c| if c.is_ascii() { 0.55 } else { 1.0 }).sum::<f32>() * size;
    };
    let per_em = face.units_per_em() as f32;
    let advance = |c: char| {
        face.glyph_index(c)
            .and_then(|g| face.glyph_hor_advance(g))
            .map_or(if c.is_ascii() { per_em * 0.55 } else { per_em }, |a| a as f32)
    };
    text.chars().map(advance).sum::<f32>() * size / per_em
}

/// `text` broken into lines no wider than `max_width` at `size`. Latin words and numbers stay
/// whole where they fit; Chinese breaks between any two characters, but never before closing
/// punctuation.
pub fn wrap(text: &str, size: f32, max_width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for token in tokens(text) {
        // A token wider than a whole line (a long URL, a name with hyphens) is broken anywhere.
        if width(token, size) > max_width {
            for c in token.chars() {
                let candidate = format!("{line}{c}");
                if !line.is_empty() && width(&candidate, size) > max_width {
                    lines.push(std::mem::take(&mut line));
                    line.push(c);
                } else {
                    line = candidate;
                }
            }
            continue;
        }
        let candidate = format!("{line}{token}");
        if !line.is_empty() && width(candidate.trim_end(), size) > max_width && !is_closing(token) {
            lines.push(line.trim_end().to_string());
            line = token.trim_start().to_string();
        } else {
            line = candidate;
        }
    }
    if !line.trim().is_empty() {
        lines.push(line.trim_end().to_string());
    }
    lines
}

/// `text` cut to fit `max_width` at `size`, with an ellipsis when cut: between words (and
/// between Chinese characters), never inside a word or a number.
pub fn truncate(text: &str, size: f32, max_width: f32) -> String {
    if width(text, size) <= max_width {
        return text.to_string();
    }
    let mut out = String::new();
    for token in tokens(text) {
        if width(&format!("{out}{token}…"), size) > max_width {
            break;
        }
        out.push_str(token);
    }
    format!("{}…", out.trim_end().trim_end_matches([',', '、', '(', '（']))
}

fn is_closing(token: &str) -> bool {
    token.chars().next().is_some_and(|c| "，。、；：？！）》」』】,.;:?!)".contains(c))
}

/// What a line may not break inside: a run of ASCII letters and digits (with what joins them:
/// 2024-10-29, 242.3), with a unit after its digits (2025年, 10月) and an opening bracket
/// before it; every other character alone.
fn tokens(text: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    let mut open_at: Option<usize> = None;
    for (start, token) in runs(text) {
        let end = start + token.len();
        let after_digits = out.last().is_some_and(|t| t.ends_with(|c: char| c.is_ascii_digit()));
        if after_digits && "年月日号".contains(token) && open_at.is_none() {
            let last = out.pop().unwrap_or("");
            let begin = end - token.len() - last.len();
            out.push(&text[begin..end]);
        } else if "(（[《「“".contains(token) && token.chars().count() == 1 {
            open_at.get_or_insert(start);
        } else {
            let begin = open_at.take().unwrap_or(start);
            out.push(&text[begin..end]);
        }
    }
    if let Some(begin) = open_at {
        out.push(&text[begin..]);
    }
    out
}

/// Runs of ASCII letters and digits as one piece, every other character alone, with where
/// each starts.
fn runs(text: &str) -> Vec<(usize, &str)> {
    let joins = |c: char| c.is_ascii_alphanumeric() || "-–.'’/%".contains(c);
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (joins(c), start) {
            (true, None) => start = Some(i),
            (true, Some(_)) => {}
            (false, s) => {
                if let Some(s) = s {
                    out.push((s, &text[s..i]));
                    start = None;
                }
                out.push((i, &text[i..i + c.len_utf8()]));
            }
        }
    }
    if let Some(s) = start {
        out.push((s, &text[s..]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_font_measures_chinese_wider_than_latin() {
        let han = width("经开区", 20.0);
        assert!((han - 60.0).abs() < 1.0, "three full-width characters at 20 px: {han}");
        let latin = width("abc", 20.0);
        assert!(latin > 15.0 && latin < 45.0, "{latin}");
        assert_eq!(width("", 20.0), 0.0);
    }

    #[test]
    fn wrapping_keeps_words_whole_and_every_character() {
        let text = "来源:中新网,2024-10-29;新华网,2026-01-02;China News Service, 2024-10-29";
        let lines = wrap(text, 20.0, 200.0);
        assert!(lines.len() > 1);
        for l in &lines {
            assert!(width(l, 20.0) <= 200.0 + 0.01, "{l} is too wide");
        }
        assert!(lines.iter().any(|l| l.contains("2024-10-29")));
        let joined: String = lines.concat();
        let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        assert_eq!(squeeze(&joined), squeeze(text));
    }

    #[test]
    fn years_keep_their_unit_and_brackets_their_content() {
        assert_eq!(tokens("总量(2012–2025年)"), vec!["总", "量", "(2012–2025年", ")"]);
        assert_eq!(tokens("1-9月"), vec!["1-9月"]);
        let lines = wrap("北京经开区、苏州工业园区等7个地区生产总值·总量(2012–2025年)", 46.0, 1490.0);
        assert!(lines.iter().all(|l| !l.starts_with('年') && !l.ends_with('(')), "{lines:?}");
    }

    #[test]
    fn a_word_wider_than_the_line_is_broken() {
        let lines = wrap("Source www.example.com/a-very-long-address-without-spaces-at-all", 20.0, 120.0);
        assert!(lines.len() > 2, "{lines:?}");
        assert!(lines.iter().all(|l| width(l, 20.0) <= 120.0 + 0.01), "{lines:?}");
    }

    #[test]
    fn truncation_marks_the_cut() {
        assert_eq!(truncate("重庆经开区", 20.0, 500.0), "重庆经开区");
        let cut = truncate("重庆经济技术开发区", 20.0, 80.0);
        assert!(cut.ends_with('…') && width(&cut, 20.0) <= 80.0, "{cut}");
        // English is cut between words, never inside one.
        let long = "Chongqing, Wanzhou and Changshou ETDZs (combined)";
        let cut = truncate(long, 20.0, width("Chongqing, Wanzhou and Chan", 20.0));
        assert_eq!(cut, "Chongqing, Wanzhou and…");
    }
}
