/**
 * Issue messages in the reader's language, from an issue's code and params — one
 * renderer for the server (HTTP responses) and the web (zod's messages in forms).
 * Templates live under `issues.*` in ja.json / en.json:
 * - a custom check names its rule (`params.rule`) → `issues.rule.<rule>`;
 * - an issue forwarded from a nested validation keeps its own code in `params.issue`;
 * - too_small / too_big / invalid_type / invalid_format pick a variant by origin
 *   (string, number, array), "missing" or format, falling back to `default`; a string
 *   of at least 1 character is simply `issues.required`;
 * - any other code → `issues.<code>`, or `issues.invalid` when unknown.
 */
import type { z } from 'zod';
import { zodIssueParams, type IssueParams } from '../core/issue-params.ts';
import { hasKey, t, type Locale } from './index.ts';

export function renderIssue(locale: Locale, code: string, params: IssueParams = {}): string {
  const ruleName = params.rule;
  if (typeof ruleName === 'string' && hasKey(locale, `issues.rule.${ruleName}`)) return t(locale, `issues.rule.${ruleName}`, params);
  const inner = params.issue;
  if (typeof inner === 'string' && inner !== code) {
    const { issue: _drop, ...rest } = params;
    return renderIssue(locale, inner, rest);
  }
  const variant = (v: string | number | undefined): string => {
    const key = `issues.${code}.${String(v)}`;
    return v !== undefined && hasKey(locale, key) ? key : `issues.${code}.default`;
  };
  switch (code) {
    case 'too_small':
      // A required field left empty (a text or a select): "入力してください。", not "1 文字以上で入力してください。".
      if (params.origin === 'string' && Number(params.minimum) === 1) return t(locale, 'issues.required', params);
      return t(locale, variant(params.origin), params);
    case 'too_big':
      return t(locale, variant(params.origin), params);
    case 'invalid_type': {
      if (params.received === 'undefined') return t(locale, 'issues.invalid_type.missing', params);
      const expected = String(params.expected ?? 'unknown');
      const word = hasKey(locale, `issues.types.${expected}`) ? t(locale, `issues.types.${expected}`) : expected;
      return t(locale, 'issues.invalid_type.default', { ...params, expected: word });
    }
    case 'invalid_format':
      return t(locale, variant(params.format), params);
    default:
      return hasKey(locale, `issues.${code}`) ? t(locale, `issues.${code}`, params) : t(locale, 'issues.invalid', params);
  }
}

/**
 * A zod error map in the given language: zod's own issue codes and the contract's
 * custom rules, all from our templates (zod's bundled ja locale names types in
 * English, "string" / "undefined"). Use per parse (`{ error: zodErrorMap('ja') }`)
 * or globally (`z.config({ customError: zodErrorMap(lang) })`).
 */
export function zodErrorMap(locale: Locale): z.core.$ZodErrorMap {
  return (issue) => renderIssue(locale, issue.code ?? 'invalid', zodIssueParams(issue));
}
