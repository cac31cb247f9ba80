/**
 * Server-side SVG charts with ECharts' SSR renderer (`renderToSVGString`): the same
 * SVG goes into the HTML page, the printed PDF and the dashboard, with no browser and
 * no canvas. Without a canvas, zrender measures a character it has no width for
 * (every CJK character) as one full em, which is exactly a Japanese glyph's advance —
 * so Japanese axis labels and legends are laid out right (Vega-Lite under-measures
 * them by ~20 % without `canvas`; see /work/shared/STACK-NOTES.md).
 *
 * ECharts is loaded on the first chart, from its one-file build: the ESM tree
 * (echarts/core + charts + components + renderers, hundreds of small modules) cost every
 * process ~0.8 s at start — every CLI command and test process — though most never draw
 * a chart; the single file loads in ~0.2 s, and only where a chart is drawn. Each helper returns a complete
 * `<svg>` string with `role="img"` and an `aria-label`, so a screen reader and
 * `pdftotext` still get the chart's title.
 */
import { createRequire } from 'node:module';
import type * as ECharts from 'echarts/core';
import { PRINT_FONT_STACK } from './pdf-font.ts';

type EChartsCoreOption = ECharts.EChartsCoreOption;
let loaded: typeof ECharts | undefined;
/** The full build registers every chart, component and both renderers itself. */
const echartsLib = (): typeof ECharts => (loaded ??= createRequire(import.meta.url)('echarts/dist/echarts.min.js') as typeof ECharts);

/** A calm palette that stays readable in greyscale print: met, late, breached, open, other. */
export const CHART_COLORS = {
  met: '#2f9e44',
  late: '#f08c00',
  breached: '#e03131',
  open: '#868e96',
  primary: '#1c7ed6',
  secondary: '#7048e8',
  unknown: '#ced4da',
} as const;

export interface Series {
  name: string;
  data: (number | null)[];
  color?: string;
}

export interface ChartOptions {
  title?: string;
  categories: string[];
  series: Series[];
  width?: number;
  height?: number;
  /** Unit shown after axis values, e.g. "%" or "件". */
  unit?: string;
  /** Fixed y range, e.g. 0..100 for percentages. */
  yMin?: number;
  yMax?: number;
  /** A horizontal reference line (e.g. the contracted availability 99.5 %). */
  target?: { value: number; label: string };
  /** Bars lie horizontally (long category names such as system names). */
  horizontal?: boolean;
}

const escapeXml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** Renders one ECharts option to an SVG string, disposing the instance afterwards. */
export function renderOption(option: EChartsCoreOption, width: number, height: number, label: string): string {
  const chart = echartsLib().init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: PRINT_FONT_STACK, fontSize: 11 }, ...option });
    const svg = chart.renderToSVGString()
      // Stroked text (ECharts' white halo around data labels) is printed by Chromium as Type 3 glyphs: drop the halo.
      .replace(/<text\b[^>]*>/g, (tag) => tag.replace(/\s(?:stroke|stroke-width|paint-order|stroke-miterlimit)="[^"]*"/g, ''));
    return svg.replace('<svg ', `<svg role="img" aria-label="${escapeXml(label)}" class="chart" `);
  } finally {
    chart.dispose();
  }
}

function axisAndSeries(opts: ChartOptions, type: 'bar' | 'line', stack: boolean): EChartsCoreOption {
  const unit = opts.unit ?? '';
  // Counts (incidents, targets) tick at whole numbers: an axis of 0, 0.5, 1, 1.5 incidents reads as nonsense.
  const whole = opts.series.every((s) => s.data.every((v) => v === null || Number.isInteger(v)));
  const valueAxis = {
    type: 'value',
    minInterval: whole ? 1 : undefined,
    min: opts.yMin,
    max: opts.yMax,
    axisLabel: { formatter: (v: number) => `${v}${unit}` },
    splitLine: { lineStyle: { color: '#e9ecef' } },
  };
  const categoryAxis = { type: 'category', data: opts.categories, axisLabel: { interval: 0, hideOverlap: true } };
  const series = opts.series.map((s, i) => ({
    name: s.name,
    type,
    data: s.data,
    stack: stack ? 'total' : undefined,
    itemStyle: s.color ? { color: s.color } : undefined,
    lineStyle: s.color ? { color: s.color } : undefined,
    barMaxWidth: 36,
    // No text border: Chromium prints stroked text as Type 3 glyphs (see pdf.ts).
    label: !stack && type === 'bar' && opts.series.length === 1 ? { show: true, position: opts.horizontal ? 'right' : 'top', formatter: `{c}${unit}`, textBorderWidth: 0 } : undefined,
    markLine:
      opts.target && i === 0
        ? { symbol: 'none', silent: true, data: [opts.horizontal ? { xAxis: opts.target.value } : { yAxis: opts.target.value }], label: { formatter: opts.target.label }, lineStyle: { color: CHART_COLORS.breached, type: 'dashed' } }
        : undefined,
  }));
  return {
    title: opts.title ? { text: opts.title, left: 'center', textStyle: { fontSize: 13, fontWeight: 'normal', fontFamily: PRINT_FONT_STACK } } : undefined,
    legend: opts.series.length > 1 ? { bottom: 0, itemWidth: 12, itemHeight: 10 } : undefined,
    grid: { left: 8, right: 24, top: opts.title ? 36 : 16, bottom: opts.series.length > 1 ? 32 : 8, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    xAxis: opts.horizontal ? valueAxis : categoryAxis,
    yAxis: opts.horizontal ? { ...categoryAxis, inverse: true } : valueAxis,
    series,
  };
}

const label = (opts: ChartOptions): string => opts.title ?? opts.series.map((s) => s.name).join(', ');

/**
 * The last charts drawn, by their options: ECharts takes tens of milliseconds per chart,
 * and rendering every contract of a desk (`hoshu report --all`) draws the same small
 * charts again and again (a month with no breach, the same lag buckets). Options are plain
 * data, so their JSON is the key; the oldest entry goes first.
 */
const drawn = new Map<string, string>();
const DRAWN_LIMIT = 500;
/** Forgets the charts drawn (the bench times a report's charts cold). */
export function forgetDrawnCharts(): void {
  drawn.clear();
}

function memo(kind: string, opts: ChartOptions, draw: () => string): string {
  const key = `${kind}${JSON.stringify(opts)}`;
  const hit = drawn.get(key);
  if (hit !== undefined) return hit;
  const svg = draw();
  if (drawn.size >= DRAWN_LIMIT) drawn.delete(drawn.keys().next().value!);
  drawn.set(key, svg);
  return svg;
}

/** Grouped bars (one bar per series per category). */
export function barChart(opts: ChartOptions): string {
  return memo('bar', opts, () => renderOption(axisAndSeries(opts, 'bar', false), opts.width ?? 640, opts.height ?? 280, label(opts)));
}

/** Stacked bars (series stacked per category), e.g. met / late / breached / open per priority. */
export function stackedBarChart(opts: ChartOptions): string {
  return memo('stacked', opts, () => renderOption(axisAndSeries(opts, 'bar', true), opts.width ?? 640, opts.height ?? 280, label(opts)));
}

/** Lines over categories (e.g. weeks or months). */
export function lineChart(opts: ChartOptions): string {
  return memo('line', opts, () => renderOption(axisAndSeries(opts, 'line', false), opts.width ?? 640, opts.height ?? 280, label(opts)));
}
