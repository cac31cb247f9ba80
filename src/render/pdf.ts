/**
 * HTML → PDF by printing with headless Chromium (Debian's /usr/bin/chromium through
 * playwright-core): the report's own HTML gives the print layout, so there is one
 * template for screen and paper. Shared by the monthly report and the SLA document.
 *
 * Fonts: Chromium embeds glyphs of an OpenType collection (fonts-noto-cjk) as Type 3
 * fonts — bitmaps-as-paths, poor for print and archiving, and not what a client
 * expects of a PDF. A TrueType Japanese font is embedded as a CID TrueType font with a
 * ToUnicode map, so `pdftotext` gives the text back exactly. We ask for IPAexGothic
 * (Debian's `fonts-ipaexfont-gothic`) first in every font stack below, and the page
 * must carry `lang="ja"` (or `lang="en"`) so Chromium picks Japanese glyph forms.
 *
 * One browser is launched lazily and reused by the renderer (a launch costs ~0.5 s);
 * each PDF gets its own page. Where Chromium is missing the renderer throws the coded
 * error `render.pdf_unavailable` ("PDF needs Chromium"): HTML and CSV do not need it.
 */
import fs from 'node:fs';
import { AppError } from '../errors.ts';

export const CHROMIUM_PATH_DEFAULT = '/usr/bin/chromium';

/** Flags for a quiet, sandbox-less headless Chromium (we run as root in containers and CI). */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run',
];

export { PRINT_BASE_CSS, PRINT_FONT_FAMILY, PRINT_FONT_FILES, PRINT_FONT_STACK } from './pdf-font.ts';
import { PRINT_BASE_CSS, PRINT_FONT_FILES, PRINT_FONT_STACK } from './pdf-font.ts';

export interface PdfPageOptions {
  /** Left part of the running header (e.g. the contract's name). */
  headerLeft?: string;
  /** Right part of the running header (e.g. the month). */
  headerRight?: string;
  /** Text before the page numbers in the footer, e.g. "Page" or "ページ"; the footer reads "<label> n / N". */
  pageLabel?: string;
  /** Footer text on the left (e.g. the report number). */
  footerLeft?: string;
  /** Page language for the header/footer templates. */
  lang: 'ja' | 'en';
  landscape?: boolean;
}

export interface PdfRenderer {
  /** Prints a complete HTML document (with `<html lang=…>`) to an A4 PDF. */
  render(html: string, opts: PdfPageOptions): Promise<Buffer>;
  /** Whether Chromium is present (the desk shows PDF links only then, and says why otherwise). */
  available(): boolean;
  close(): Promise<void>;
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** Header and footer templates: Chromium renders them in their own context, so they carry their own font and size. */
export function headerFooterTemplates(opts: PdfPageOptions): { headerTemplate: string; footerTemplate: string } {
  const box = `font-family:${PRINT_FONT_STACK};font-synthesis:none;font-size:8pt;color:#555;width:100%;margin:0 12mm;display:flex;justify-content:space-between;`;
  const headerTemplate = `<div lang="${opts.lang}" style="${box}"><span>${escapeHtml(opts.headerLeft ?? '')}</span><span>${escapeHtml(opts.headerRight ?? '')}</span></div>`;
  const label = escapeHtml(opts.pageLabel ?? (opts.lang === 'ja' ? 'ページ' : 'Page'));
  const footerTemplate = `<div lang="${opts.lang}" style="${box}"><span>${escapeHtml(opts.footerLeft ?? '')}</span><span>${label} <span class="pageNumber"></span> / <span class="totalPages"></span></span></div>`;
  return { headerTemplate, footerTemplate };
}

type PwBrowser = import('playwright-core').Browser;

export function createPdfRenderer(opts: { executablePath?: string } = {}): PdfRenderer {
  const executablePath = opts.executablePath ?? process.env.CHROMIUM_PATH ?? CHROMIUM_PATH_DEFAULT;
  let browser: Promise<PwBrowser> | undefined;

  const available = (): boolean => fs.existsSync(executablePath);

  async function launch(): Promise<PwBrowser> {
    // Imported lazily: playwright-core is only needed when somebody asks for a PDF.
    const { chromium } = await import('playwright-core');
    return chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
  }

  return {
    available,
    async render(html, pageOpts) {
      if (!available()) throw new AppError('render.pdf_unavailable', `PDF needs Chromium at ${executablePath}`, [], { path: executablePath });
      browser ??= launch().catch((e: unknown) => {
        browser = undefined;
        throw e;
      });
      let b: PwBrowser;
      try {
        b = await browser;
      } catch (e) {
        throw new AppError('render.pdf_unavailable', `PDF needs Chromium: ${(e as Error).message}`, [], { path: executablePath });
      }
      if (!b.isConnected()) {
        browser = launch();
        b = await browser;
      }
      const page = await b.newPage();
      try {
        // No network: the document is self-contained (inline CSS and SVG); waiting for "load" is enough.
        await page.setContent(html, { waitUntil: 'load' });
        await page.addStyleTag({ content: PRINT_BASE_CSS });
        // A string, not a function: the server's tsconfig has no DOM types.
        await page.evaluate('document.fonts.ready.then(() => true)');
        const { headerTemplate, footerTemplate } = headerFooterTemplates(pageOpts);
        const pdf = await page.pdf({
          format: 'A4',
          landscape: pageOpts.landscape ?? false,
          printBackground: true,
          displayHeaderFooter: true,
          headerTemplate,
          footerTemplate,
          margin: { top: '18mm', bottom: '16mm', left: '12mm', right: '12mm' },
        });
        return Buffer.from(pdf);
      } finally {
        await page.close();
      }
    },
    async close() {
      const b = browser;
      browser = undefined;
      if (b) await (await b.catch(() => undefined))?.close();
    },
  };
}

/** Whether the TrueType print font is installed (a report without it prints with a fallback that may embed Type 3). */
export const printFontInstalled = (): boolean => PRINT_FONT_FILES.some((f) => fs.existsSync(f));
