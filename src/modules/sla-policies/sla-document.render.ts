/**
 * Renders an SLA document: the stored (or built-in) Mustache template of the language
 * over the view of sla-document.view.ts, inside a fixed HTML page (lang attribute, print
 * styles). Mustache because the template is written by an admin in the browser: it is
 * logic-less (a template is data, never code — unlike EJS/Eta, whose templates are
 * JavaScript), escapes every `{{value}}` by default, and its parser gives the tag tree, so
 * a template is checked against the view's names when it is saved.
 */
import Mustache from 'mustache';
import { AppError, type ErrorIssue } from '../../errors.ts';
import { STANDARD_JP_CALENDAR } from '../../core/calendar/index.ts';
import { STANDARD_POLICY } from '../../contract/sla-policy-document.ts';
import type { Locale } from '../../i18n/index.ts';
import { PRINT_FONT_STACK } from '../../render/pdf-font.ts';
import { buildSlaDocumentView, type SlaDocumentView } from './sla-document.view.ts';

/** A view with every list non-empty: the names a template may use are those it resolves. */
const SAMPLE_VIEW: SlaDocumentView = buildSlaDocumentView({
  lang: 'ja',
  today: '2000-01-01',
  client: { name: 'x' },
  contract: {
    name: 'x', startsOn: '2000-01-01', endsOn: '2001-01-01', contractedUsers: 1, backupWindow: { start: '02:00', end: '04:00' },
    contactEmail: 'x', contactPhone: 'x', inScopeNotes: 'x', outOfScopeNotes: 'x', notes: 'x',
  },
  systems: ['x'],
  primaryContact: 'x',
  deputies: ['x'],
  engineers: ['x'],
  policy: { name: 'x', establishedOn: '2000-01-01', version: 1, document: STANDARD_POLICY, revisions: [{ version: 1, revisedOn: '2000-01-01' }] },
  calendar: { ...STANDARD_JP_CALENDAR, overrides: [{ from: '2000-01-01', to: '2000-01-31', weekly: { mon: [['09:00', '21:00']] } }] },
  noticeBusinessDays: 2,
}).view;

type Token = [string, string, number, number, Token[]?];

const lineAt = (text: string, index: number): number => text.slice(0, Math.max(0, index)).split('\n').length;

/** The value a Mustache name resolves to from the context stack, or `undefined` (not a name of the view). */
function lookup(stack: readonly unknown[], name: string): { value: unknown } | undefined {
  if (name === '.') return { value: stack.at(-1) };
  const [head, ...rest] = name.split('.');
  for (let i = stack.length - 1; i >= 0; i -= 1) {
    const ctx = stack[i];
    if (ctx === null || typeof ctx !== 'object' || !Object.hasOwn(ctx, head!)) continue;
    let value: unknown = (ctx as Record<string, unknown>)[head!];
    for (const part of rest) {
      if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return undefined;
      value = (value as Record<string, unknown>)[part];
    }
    return { value };
  }
  return undefined;
}

function checkTokens(tokens: readonly Token[], stack: readonly unknown[], body: string, issues: ErrorIssue[]): void {
  for (const [type, name, start, , children] of tokens) {
    const line = lineAt(body, start);
    if (type === '&' || type === '>') {
      // Unescaped output could carry a contact's name as markup; partials name templates that do not exist.
      issues.push({ path: ['body'], code: 'custom', message: `{{${type}${name}}} is not allowed`, params: { rule: 'template_variable', line, name: `{{${type === '&' ? '{' : '>'}${name}${type === '&' ? '}' : ''}}}` } });
      continue;
    }
    if (type !== 'name' && type !== '#' && type !== '^') continue;
    const found = lookup(stack, name);
    if (!found) {
      issues.push({ path: ['body'], code: 'custom', message: `unknown name ${name}`, params: { rule: 'template_variable', line, name } });
      continue;
    }
    if (type === '#' && children) {
      const v = found.value;
      checkTokens(children, Array.isArray(v) ? [...stack, v[0]] : v !== null && typeof v === 'object' ? [...stack, v] : stack, body, issues);
    } else if (type === '^' && children) {
      checkTokens(children, stack, body, issues);
    }
  }
}

/** Every problem of a template (syntax, or a name the view lacks); empty when it can be stored. */
export function templateIssues(body: string): ErrorIssue[] {
  let tokens: Token[];
  try {
    tokens = Mustache.parse(body) as unknown as Token[];
  } catch (e) {
    const at = /at (\d+)/.exec(e instanceof Error ? e.message : '');
    const line = at ? lineAt(body, Number(at[1])) : 1;
    return [{ path: ['body'], code: 'custom', message: e instanceof Error ? e.message : 'syntax', params: { rule: 'template_syntax', line } }];
  }
  const issues: ErrorIssue[] = [];
  checkTokens(tokens, [SAMPLE_VIEW], body, issues);
  return issues;
}

export function assertValidTemplate(body: string): void {
  const issues = templateIssues(body);
  if (issues.length) throw new AppError('sla_document.invalid_template', 'invalid SLA document template', issues);
}

const STYLE = `
  :root { color: #1a1a1a; }
  body { font-family: ${PRINT_FONT_STACK}; font-synthesis: none; font-size: 10.5pt; line-height: 1.7; margin: 0; }
  main.sla-document { max-width: 52rem; margin: 0 auto; padding: 1.5rem; }
  .doc-head { border-bottom: 2px solid #1c5d99; margin-bottom: 1rem; }
  .doc-head h1 { font-size: 20pt; margin: 0.2rem 0; color: #1c5d99; }
  .doc-head .for { margin: 0; font-size: 11pt; }
  .doc-head .sub { margin: 0 0 0.5rem; color: #555; }
  h2 { font-size: 13pt; border-left: 4px solid #1c5d99; padding-left: 0.5rem; margin: 1.4rem 0 0.4rem; break-after: avoid; }
  section { break-inside: auto; }
  table { border-collapse: collapse; margin: 0.4rem 0 0.6rem; width: 100%; }
  table.facts th { text-align: left; width: 12rem; font-weight: 600; padding: 0.2rem 0.6rem 0.2rem 0; vertical-align: top; }
  table.facts td { padding: 0.2rem 0; }
  table.grid th, table.grid td { border: 1px solid #b8c4d0; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
  table.grid th { background: #eef3f8; white-space: nowrap; }
  tr { break-inside: avoid; }
  .note { font-size: 9.5pt; color: #444; }
  @media print { main.sla-document { max-width: none; padding: 0 1px; } }
`;

/** Mustache hands numbers to the escaper too. */
function escapeHtml(v: unknown): string {
  return String(v).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The document as a whole HTML page. `extraHead` lets the PDF printer add its embedded font. */
export function renderSlaDocumentPage(template: string, view: SlaDocumentView, lang: Locale, extraHead = ''): string {
  const body = Mustache.render(template, view, {}, { escape: escapeHtml });
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`${view.title} — ${view.contract.name}`)}</title>
<style>${STYLE}</style>
${extraHead}
</head>
<body>
<main class="sla-document">
${body}
</main>
</body>
</html>
`;
}
