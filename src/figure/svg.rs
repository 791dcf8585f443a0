//! A figure as SVG that stays vector: lines are paths, text is text in the fonts it names, so
//! the file can be edited, searched and scaled in a slide without losing anything.

use std::fmt::Write;

use super::{Anchor, Element, Figure, text};

/// The figure as an SVG document. Its width and height are the PNG's pixel size; its viewBox
/// is the figure's logical size.
pub fn to_svg(figure: &Figure) -> String {
    let (w, h) = (figure.width, figure.height);
    let scale = figure.scale as f32;
    let mut out = String::with_capacity(64 * 1024);
    // Writing into a String cannot fail.
    let _ = writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="0 0 {} {}" font-family="{}" lang="{}">"#,
        n(w * scale),
        n(h * scale),
        n(w),
        n(h),
        escape(text::SVG_FONT_FAMILIES),
        if figure.english { "en" } else { "zh-Hans" }
    );
    let _ = writeln!(out, "<title>{}</title>", escape(&figure.title));
    let sources: Vec<String> = figure.sources.iter().map(|s| s.label(figure.english)).collect();
    let _ = writeln!(out, "<desc>{}</desc>", escape(&sources.join("; ")));
    let (px, py, pw, ph) = figure.plot;
    let _ = writeln!(
        out,
        r#"<defs><clipPath id="plot"><rect x="{}" y="{}" width="{}" height="{}"/></clipPath></defs>"#,
        n(px),
        n(py),
        n(pw),
        n(ph)
    );
    // Clipped lines come in a run: one group is cut at the plot area, not each line (a clip
    // costs resvg a mask the size of the picture).
    let mut in_clip = false;
    for element in &figure.elements {
        let clipped = matches!(element, Element::Line { clipped: true, .. });
        if clipped != in_clip {
            out.push_str(if clipped { "<g clip-path=\"url(#plot)\">\n" } else { "</g>\n" });
            in_clip = clipped;
        }
        match element {
            Element::Rect { x, y, w, h, fill } => {
                let _ = writeln!(
                    out,
                    r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>"#,
                    n(*x),
                    n(*y),
                    n(*w),
                    n(*h),
                    fill.hex()
                );
            }
            Element::Line { points, color, width, dashed, .. } => {
                let mut d = String::new();
                for (i, (x, y)) in points.iter().enumerate() {
                    let _ = write!(d, "{}{} {}", if i == 0 { "M" } else { " L" }, n(*x), n(*y));
                }
                let dash = if *dashed {
                    format!(r#" stroke-dasharray="{} {}""#, n(width * 3.0), n(width * 2.0))
                } else {
                    String::new()
                };
                let _ = writeln!(
                    out,
                    r#"<path d="{d}" fill="none" stroke="{}" stroke-width="{}" stroke-linejoin="round" stroke-linecap="round"{dash}/>"#,
                    color.hex(),
                    n(*width)
                );
            }
            Element::Circle { x, y, r, fill, stroke, width } => {
                let fill = fill.map_or("none".to_string(), |f| f.hex());
                let stroke = if *width > 0.0 {
                    format!(r#" stroke="{}" stroke-width="{}""#, stroke.hex(), n(*width))
                } else {
                    String::new()
                };
                let _ = writeln!(out, r#"<circle cx="{}" cy="{}" r="{}" fill="{fill}"{stroke}/>"#, n(*x), n(*y), n(*r));
            }
            Element::Text { x, y, size, color, anchor, text } => {
                let anchor = match anchor {
                    Anchor::Start => "",
                    Anchor::Middle => r#" text-anchor="middle""#,
                    Anchor::End => r#" text-anchor="end""#,
                };
                let _ = writeln!(
                    out,
                    r#"<text x="{}" y="{}" font-size="{}" fill="{}"{anchor}>{}</text>"#,
                    n(*x),
                    n(*y),
                    n(*size),
                    color.hex(),
                    escape(text)
                );
            }
        }
    }
    if in_clip {
        out.push_str("</g>\n");
    }
    out.push_str("</svg>\n");
    out
}

/// A coordinate with two decimals at most: small files, no visible loss.
fn n(v: f32) -> String {
    let r = (v * 100.0).round() / 100.0;
    if r == r.trunc() { format!("{}", r as i64) } else { format!("{r}") }
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Control characters are not allowed in XML; a stray one in a title is dropped.
            c if (c as u32) < 0x20 && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}
