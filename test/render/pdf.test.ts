/**
 * The shared print pipeline: a Japanese page printed by Chromium must come back from
 * `pdftotext` exactly, with every font embedded and none of them Type 3 (bitmaps-as-
 * paths are poor for print and archiving; see src/render/pdf.ts).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { barChart, stackedBarChart, lineChart } from '../../src/render/charts.ts';
import { createPdfRenderer, printFontInstalled, PRINT_FONT_STACK } from '../../src/render/pdf.ts';
import { AppError } from '../../src/errors.ts';

const renderer = createPdfRenderer();
const hasChromium = renderer.available();
if (!hasChromium && process.env.CI) throw new Error('/usr/bin/chromium is missing: apt-get install -y chromium fonts-ipaexfont-gothic');
afterAll(() => renderer.close());

function pdfTools(pdf: Buffer): { text: string; fonts: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hoshu-pdf-'));
  const file = path.join(dir, 'x.pdf');
  fs.writeFileSync(file, pdf);
  try {
    return {
      text: execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }),
      fonts: execFileSync('pdffonts', [file], { encoding: 'utf8' }),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const SENTENCE = '月次SLA報告書：優先度P1の初動目標は達成率95.0％でした。';

describe.skipIf(!hasChromium)('HTML → PDF (Chromium)', () => {
  it('prints Japanese as real text in embedded TrueType/CID fonts, with header and page numbers', async () => {
    expect(printFontInstalled()).toBe(true);
    const chart = stackedBarChart({ title: '優先度別の達成状況', categories: ['P1 緊急', 'P2 高'], series: [{ name: '達成', data: [3, 4] }, { name: '違反', data: [1, 0] }] })
      + barChart({ title: '分布', categories: ['≦5m', '>1d'], series: [{ name: '件数', data: [2, 0] }] }); // data labels: no stroked (Type 3) text
    const html = `<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>body{font-family:${PRINT_FONT_STACK}}</style></head>
      <body><h1>保守契約 月次報告</h1><p>${SENTENCE}</p>${chart}<div style="page-break-before:always">二頁目</div></body></html>`;
    const pdf = await renderer.render(html, { lang: 'ja', headerLeft: '株式会社サンプル 基幹システム保守', headerRight: '2026年11月' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const { text, fonts } = pdfTools(pdf);
    expect(text).toContain(SENTENCE);
    expect(text).toContain('株式会社サンプル 基幹システム保守');
    expect(text).toMatch(/ページ 1 \/ 2/);
    expect(text).toMatch(/ページ 2 \/ 2/);
    expect(text).toContain('優先度別の達成状況'); // the SVG chart's title is text, too
    const rows = fonts.split('\n').slice(2).filter((l) => l.trim());
    expect(rows.length).toBeGreaterThan(0);
    expect(fonts).not.toMatch(/Type 3/);
    expect(fonts).toMatch(/IPAexGothic/);
    expect(fonts).toMatch(/CID TrueType/);
    for (const row of rows) expect(row).toMatch(/\byes\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$/); // emb = yes
  }, 60_000);
});

describe('without Chromium', () => {
  it('says "PDF needs Chromium" with a coded error', async () => {
    const none = createPdfRenderer({ executablePath: '/nonexistent/chromium' });
    expect(none.available()).toBe(false);
    const err = await none.render('<html></html>', { lang: 'en' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('render.pdf_unavailable');
  });
});

describe('charts (ECharts SSR)', () => {
  it('render SVG with Japanese labels sized as full-width text', () => {
    const short = barChart({ categories: ['A'], series: [{ name: 's', data: [1] }], title: 'x' });
    expect(short.startsWith('<svg')).toBe(true);
    const svg = lineChart({ title: '週別の受付件数', categories: ['第1週', '第2週'], series: [{ name: '件数', data: [2, 5] }, { name: '違反', data: [0, 1] }] });
    expect(svg).toContain('週別の受付件数');
    expect(svg).toContain('aria-label="週別の受付件数"');
    // Horizontal bars with long Japanese names: the grid must leave room for the labels (containLabel),
    // which needs the measurement to count a CJK glyph as a full em (12 chars × 11 px ≈ 132 px).
    const h = barChart({ horizontal: true, categories: ['販売管理システム本番環境', 'B'], series: [{ name: '稼働率', data: [99.9, 98] }], unit: '%' });
    const paths = [...h.matchAll(/<path d="M(\d+(?:\.\d+)?) /g)].map((m) => Number(m[1]));
    expect(Math.min(...paths.filter((x) => x > 0))).toBeGreaterThan(120);
  });

  it('tick counts at whole numbers (no "0.5 incidents"), and fractions where the values have them', () => {
    const labels = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
    const counts = stackedBarChart({ categories: ['緊急', '重要'], series: [{ name: '期限内', data: [1, 2] }, { name: '違反', data: [0, 1] }] });
    expect(labels(counts)).toEqual(expect.arrayContaining(['0', '1', '2', '3']));
    expect(labels(counts).filter((l) => /^\d+\.\d+$/.test(l))).toEqual([]);
    const shares = barChart({ categories: ['A', 'B'], series: [{ name: '稼働率', data: [0.25, 1.5] }] });
    expect(labels(shares).some((l) => /^\d+\.\d+$/.test(l))).toBe(true);
  });
});
