//! The bundled CJK font, so that Chinese renders the same on every machine, with or without
//! CJK fonts of its own. System fonts are never consulted.

use std::sync::Arc;

use eframe::egui;

/// Noto Sans CJK SC, cut to the GBK repertoire (see `assets/fonts/make_subset.sh`).
pub const CJK_FONT: &[u8] = crate::figure::text::FONT;
const CJK_FONT_NAME: &str = "NotoSansCJKsc";

/// Installs egui's own fonts plus the bundled CJK font as the fallback of every family. The
/// app and every test harness call this.
pub fn install_fonts(ctx: &egui::Context) {
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert(CJK_FONT_NAME.to_owned(), Arc::new(egui::FontData::from_static(CJK_FONT)));
    for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
        let list = fonts.families.entry(family).or_default();
        // After the Latin face (so Latin text keeps its look), before the emoji fonts.
        let at = list.len().min(1);
        list.insert(at, CJK_FONT_NAME.to_owned());
    }
    ctx.set_fonts(fonts);
}
