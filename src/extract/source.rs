//! Who published a report, when and where, as its own head says: a `来源:` line, a news
//! agency's dateline (中新网重庆10月29日电), an office's signature line (合肥经开区统计局 2024年3月28日),
//! a URL. These only prefill what the researcher confirms: a source is a publisher and a date,
//! never a file name.

use crate::model::Date;

use super::text::normalise;

/// How many lines of a report's head are read for its source. Reports put these in their
/// first lines; a `来源` further down is usually a table's or a quotation's.
const HEAD_LINES: usize = 8;

/// Words that end an office's name (统计局, 管委会, 融媒体中心 …), for a signature line.
const OFFICE_ENDINGS: &[&str] = &["局", "管委会", "委员会", "办公室", "人民政府", "政府", "中心", "办", "厅", "部"];

/// Words that end a news outlet's name in a dateline (新华社, 中新网, 经济日报, 央视新闻客户端 …).
const OUTLET_ENDINGS: &[char] = &['社', '网', '报', '台', '端'];

/// What a report's head says of its source; each part only when the text says it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceHints {
    pub publisher: Option<String>,
    pub published: Option<Date>,
    pub address: Option<String>,
}

/// Reads a report's head for its publisher, date and address.
pub fn source_hints(text: &str) -> SourceHints {
    // Each line as written and as read (full-width forms and traditional characters folded,
    // one character for one): names are found in the one and taken from the other, so that a
    // traditional text's publisher keeps its own characters.
    let head: Vec<(Vec<char>, Vec<char>)> =
        text.lines().take(HEAD_LINES).map(|l| (l.chars().collect(), normalise(l).chars().collect())).collect();
    let name_by = |find: fn(&[char]) -> Option<(usize, usize)>| {
        head.iter().find_map(|(written, read)| {
            let (a, b) = find(read)?;
            own_name(written[a..b].iter().collect())
        })
    };
    let publisher =
        name_by(labelled_publisher).or_else(|| name_by(dateline_publisher)).or_else(|| name_by(signature_publisher));
    let address = text.lines().take(HEAD_LINES).find_map(url_in);
    SourceHints { publisher, published: super::rules::find_date(text), address }
}

/// `来源:天津经开区统计局 发布日期…`, `(数据来源:郑州经开区统计局)`, `发布单位:…`: where the name is.
fn labelled_publisher(line: &[char]) -> Option<(usize, usize)> {
    ["来源:", "发布单位:", "发布机构:"].iter().find_map(|label| {
        let label: Vec<char> = label.chars().collect();
        let at = line.windows(label.len()).position(|w| w == label.as_slice())? + label.len();
        let start = at + line[at..].iter().take_while(|c| c.is_whitespace()).count();
        let len = line[start..]
            .iter()
            .take_while(|c| !c.is_whitespace() && !matches!(c, ')' | '(' | ',' | ';' | '|'))
            .count();
        own_span(line, start, start + len)
    })
}

/// The outlet of a dateline such as 中新网重庆10月29日电 or 新华社北京8月13日电: the words before the
/// place, up to the first word that ends an outlet's name.
fn dateline_publisher(line: &[char]) -> Option<(usize, usize)> {
    let day_at = (0..line.len()).find(|&i| line[i] == '日' && line.get(i + 1) == Some(&'电'))?;
    // Back over the day, 月 and the month to where the place ends.
    let mut start = day_at;
    while start > 0 && (line[start - 1].is_ascii_digit() || line[start - 1] == '月') {
        start -= 1;
    }
    // The first outlet ending after the first character (台海网: 台 begins the name).
    let end = (1..start).find(|&i| OUTLET_ENDINGS.contains(&line[i]))?;
    own_span(line, 0, end + 1)
}

/// An office's signature line: its name, then the date (合肥经开区统计局 2024年3月28日).
fn signature_publisher(line: &[char]) -> Option<(usize, usize)> {
    let name_end = line.iter().position(|c| c.is_whitespace())?;
    let name: String = line[..name_end].iter().collect();
    let rest: String = line[name_end..].iter().collect::<String>().trim().to_string();
    let dated = rest.parse::<Date>().is_ok()
        || (rest.starts_with(|c: char| c.is_ascii_digit()) && rest.contains('年') && rest.ends_with('日'));
    (dated && OFFICE_ENDINGS.iter().any(|e| name.ends_with(e))).then_some((0, name_end))
}

/// A span that is not empty and not too long to be a name.
fn own_span(line: &[char], start: usize, end: usize) -> Option<(usize, usize)> {
    (end > start && end <= line.len()).then_some((start, end))
}

/// A name that says who published: not empty, and not "this outlet" (本网, 本报, 本站), which
/// names nobody once the text is away from its page.
fn own_name(name: String) -> Option<String> {
    let name = name.trim().to_string();
    (!name.is_empty() && !name.starts_with('本') && name.chars().count() <= 40).then_some(name)
}

/// The first web address on a line.
fn url_in(line: &str) -> Option<String> {
    let at = line.find("https://").or_else(|| line.find("http://"))?;
    let url: String = line[at..].chars().take_while(|c| !c.is_whitespace() && !"，。;；)）\"”'".contains(*c)).collect();
    (url.len() > "https://".len()).then_some(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hints(text: &str) -> SourceHints {
        source_hints(text)
    }

    #[test]
    fn a_dateline_names_the_agency_before_the_place() {
        let h = hints("中新网重庆10月29日电 (记者 刘相琳); mirror: https://www.aooyin.com/2396.html\n2024-10-29\n正文");
        assert_eq!(h.publisher.as_deref(), Some("中新网"));
        assert_eq!(h.address.as_deref(), Some("https://www.aooyin.com/2396.html"));
        assert_eq!(h.published, Date::new(2024, 10, 29));
        assert_eq!(hints("新华社烟台3月2日电 2024年…").publisher.as_deref(), Some("新华社"));
        assert_eq!(hints("经济日报北京7月20日电").publisher.as_deref(), Some("经济日报"));
        assert_eq!(hints("台海网厦门5月6日电").publisher.as_deref(), Some("台海网"));
        // 本报 is "this paper": nobody, once the text is off its page.
        assert_eq!(hints("本报北京7月20日电").publisher, None);
    }

    #[test]
    fn a_source_line_names_the_publisher_in_full_or_half_width() {
        let h = hints("标题\n来源：天津经开区统计局　发布日期：2024-03-15　浏览次数：3,126\n");
        assert_eq!(h.publisher.as_deref(), Some("天津经开区统计局"));
        assert_eq!(h.published, Date::new(2024, 3, 15));
        assert_eq!(hints("（数据来源：郑州经开区统计局）").publisher.as_deref(), Some("郑州经开区统计局"));
        assert_eq!(hints("发布时间：2023-07-27　来源：区融媒体中心").publisher.as_deref(), Some("区融媒体中心"));
        assert_eq!(hints("来源：本网综合　2024-10-22 09:15").publisher, None);
    }

    #[test]
    fn an_office_signature_line_names_the_office() {
        let h = hints("合肥经济技术开发区2023年统计公报\n合肥经开区统计局　2024年3月28日\n");
        assert_eq!(h.publisher.as_deref(), Some("合肥经开区统计局"));
        assert_eq!(h.published, Date::new(2024, 3, 28));
        // A sentence with a date is no signature.
        assert_eq!(hints("重庆经开区外贸 2024年3月28日").publisher, None);
    }

    #[test]
    fn a_text_that_says_nothing_of_its_source_gets_no_guess() {
        assert_eq!(hints("2024年,万州经开区实际使用外资620万美元。"), SourceHints::default());
    }
}
