//! A figure in pixels: its SVG drawn with resvg, using the bundled font only, so that a PNG
//! looks the same on every machine and needs no GPU and no display.

use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};

use super::{Figure, FigureError, svg, text};

/// An RGBA image, rows top to bottom, not premultiplied.
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    pub width: u32,
    pub height: u32,
    pub rgba: Vec<u8>,
}

fn options() -> &'static usvg::Options<'static> {
    static OPTIONS: OnceLock<usvg::Options<'static>> = OnceLock::new();
    OPTIONS.get_or_init(|| {
        let mut fonts = usvg::fontdb::Database::new();
        fonts.load_font_data(text::FONT.to_vec());
        // Whatever family the SVG names, text is set in the bundled face.
        fonts.set_sans_serif_family(text::FONT_FAMILY);
        usvg::Options { font_family: text::FONT_FAMILY.to_string(), fontdb: Arc::new(fonts), ..Default::default() }
    })
}

/// The figure drawn `pixel_width` pixels wide (its height follows).
pub fn render(figure: &Figure, pixel_width: u32) -> Result<Image, FigureError> {
    let tree = usvg::Tree::from_str(&svg::to_svg(figure), options()).map_err(|e| FigureError::Draw(e.to_string()))?;
    let zoom = pixel_width as f32 / tree.size().width();
    let height = (tree.size().height() * zoom).round() as u32;
    let mut pixmap = tiny_skia::Pixmap::new(pixel_width, height)
        .ok_or_else(|| FigureError::Draw(format!("no room for {pixel_width}×{height} pixels")))?;
    resvg::render(&tree, tiny_skia::Transform::from_scale(zoom, zoom), &mut pixmap.as_mut());
    let mut rgba = pixmap.take();
    // tiny-skia keeps premultiplied alpha; PNG and the screen want it straight.
    for px in rgba.chunks_exact_mut(4) {
        let a = px[3] as u32;
        if a != 255 && a != 0 {
            for c in &mut px[..3] {
                *c = ((*c as u32 * 255 + a / 2) / a).min(255) as u8;
            }
        }
    }
    Ok(Image { width: pixel_width, height, rgba })
}

/// The figure as PNG at its scale: `width × scale` by `height × scale` pixels, its resolution
/// set to 96 dpi × scale so that a slide program places it at its logical size.
pub fn to_png(figure: &Figure) -> Result<Vec<u8>, FigureError> {
    let image = render(figure, (figure.width * figure.scale as f32).round() as u32)?;
    encode_png(&image, figure.scale)
}

pub fn encode_png(image: &Image, scale: u32) -> Result<Vec<u8>, FigureError> {
    let mut out = Vec::new();
    let draw = |e: png::EncodingError| FigureError::Draw(e.to_string());
    let mut encoder = png::Encoder::new(&mut out, image.width, image.height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    // Pixels per metre at 96 dpi × scale.
    let ppm = (96.0 * scale as f64 / 0.0254).round() as u32;
    encoder.set_pixel_dims(Some(png::PixelDimensions { xppu: ppm, yppu: ppm, unit: png::Unit::Meter }));
    let mut writer = encoder.write_header().map_err(draw)?;
    writer.write_image_data(&image.rgba).map_err(draw)?;
    writer.finish().map_err(draw)?;
    Ok(out)
}
