/**
 * The print font, apart from pdf.ts so the charts and HTML templates can name it
 * without importing the browser driver. IPAexGothic is a TrueType font (Debian
 * `fonts-ipaexfont-gothic`): Chromium embeds it as a CID TrueType font, not Type 3.
 */
/** The TrueType Japanese font (see the header); its files, for a check that it is installed. */
export const PRINT_FONT_FAMILY = "'IPAexGothic', 'IPAexゴシック'";
export const PRINT_FONT_FILES = [
  '/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf',
  '/usr/share/fonts/truetype/ipaexfont-gothic/ipaexg.ttf',
  '/usr/share/fonts/truetype/fonts-japanese-gothic.ttf',
];

/** CSS font stack for pages meant to be printed: the TrueType font first, generic last. */
export const PRINT_FONT_STACK = `${PRINT_FONT_FAMILY}, sans-serif`;


/**
 * CSS every printed page gets (the renderer adds it, templates may include it too).
 * IPAexGothic has no bold face: Chromium would synthesise bold glyphs and embed those
 * as Type 3 fonts, so synthesis is off — headings stand out by size and colour instead.
 */
export const PRINT_BASE_CSS = `html{font-family:${PRINT_FONT_STACK}}*{font-synthesis:none}`;
