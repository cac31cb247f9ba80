/**
 * Policies as data (docs/design.md, "Who may do what"): every slice's
 * `<slice>.policy.ts` table is wired into `authorize`, every action a table declares
 * is asked for by some service (a table row nothing checks is a rule that protects
 * nothing), and no action is declared twice. That every `authorize` call names a
 * declared action is tsc's job (`Action` is the union of the tables' keys); the
 * every-endpoint × every-role test (test/http/access-matrix.test.ts) checks that the
 * tables give each route its designed answer and that it covers every route.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { POLICY_TABLES, authorize, may, type Action } from '../../src/modules/auth/authorize.ts';
import { AppError } from '../../src/errors.ts';
import type { Actor } from '../../src/modules/auth/actor.ts';

const SRC = path.join(import.meta.dirname, '../../src');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/** The action names written in `authorize(…)` / `may(…)` calls (a ternary names two). */
function actionsAskedFor(): Set<string> {
  const asked = new Set<string>();
  for (const file of sources(SRC)) {
    if (file.endsWith('.policy.ts') || file.endsWith(path.join('auth', 'authorize.ts'))) continue;
    const text = fs.readFileSync(file, 'utf8');
    for (const call of text.matchAll(/\b(?:authorize|may)\(/g)) {
      // The call's own arguments: up to its closing parenthesis.
      let depth = 1;
      let end = call.index + call[0].length;
      for (; depth > 0 && end < text.length; end += 1) depth += text[end] === '(' ? 1 : text[end] === ')' ? -1 : 0;
      for (const lit of text.slice(call.index, end).matchAll(/'([a-z_]+\.[a-z_]+)'/g)) asked.add(lit[1]!);
    }
  }
  return asked;
}

const contactA: Actor = { userId: 'u-a', role: 'contact', clientId: 'client-a' };
const agent: Actor = { userId: 'u-g', role: 'agent', clientId: null };

describe('policy tables', () => {
  it('has a table in every slice whose service serves an actor, each in <slice>.policy.ts', () => {
    const modules = path.join(SRC, 'modules');
    for (const slice of fs.readdirSync(modules)) {
      const files = fs.readdirSync(path.join(modules, slice));
      const serves = files.some((f) => f.endsWith('.service.ts') && /\bactor: Actor\b/.test(fs.readFileSync(path.join(modules, slice, f), 'utf8')));
      if (!serves) continue;
      expect(files.filter((f) => f.endsWith('.policy.ts')), slice).toHaveLength(1);
    }
    expect(Object.keys(POLICY_TABLES).length).toBe(fs.readdirSync(modules).filter((s) => fs.readdirSync(path.join(modules, s)).some((f) => f.endsWith('.policy.ts'))).length);
  });

  it('declares each action once, for known roles', () => {
    const seen = new Map<string, string>();
    for (const [table, rows] of Object.entries(POLICY_TABLES)) {
      for (const [action, roles] of Object.entries(rows) as Array<[string, readonly string[]]>) {
        expect(seen.get(action), `${action} in ${table} and ${seen.get(action)}`).toBeUndefined();
        seen.set(action, table);
        expect(roles.length, action).toBeGreaterThan(0);
        for (const r of roles) expect(['admin', 'agent', 'contact'], action).toContain(r);
      }
    }
  });

  it('has every declared action asked for by a service', () => {
    const asked = actionsAskedFor();
    const declared = Object.values(POLICY_TABLES).flatMap((t) => Object.keys(t));
    expect(declared.filter((a) => !asked.has(a))).toEqual([]);
    // …and nothing asked for that no table declares (tsc refuses it; this catches a cast).
    expect([...asked].filter((a) => !declared.includes(a))).toEqual([]);
  });

  it('answers 403 for a role the table leaves out, and <entity>.not_found for another client\'s row', () => {
    const code = (f: () => unknown) => {
      try {
        f();
        return 'ok';
      } catch (e) {
        return e instanceof AppError ? e.code : String(e);
      }
    };
    expect(code(() => authorize(contactA, 'incident.assign'))).toBe('auth.forbidden');
    expect(code(() => authorize(agent, 'incident.assign'))).toBe('ok');
    expect(code(() => authorize(contactA, 'incident.comment', { clientId: 'client-a' }))).toBe('ok');
    expect(code(() => authorize(contactA, 'incident.comment', { clientId: 'client-b' }))).toBe('incident.not_found');
    expect(code(() => authorize(contactA, 'incident.comment', null))).toBe('incident.not_found');
    expect(code(() => authorize(agent, 'mail_message.content', { clientId: 'client-b' }))).toBe('ok');
    expect(code(() => authorize(contactA, 'mail_message.content', { clientId: 'client-b' }))).toBe('mail_message.not_found');
    // The role check comes first: a contact asking for a staff move on another client's row learns nothing new.
    expect(code(() => authorize(contactA, 'incident.assign', { clientId: 'client-b' }))).toBe('auth.forbidden');
    expect(may(contactA, 'maintenance.read_drafts')).toBe(false);
    expect(may(agent, 'maintenance.read_drafts')).toBe(true);
    // @ts-expect-error a misspelt action is not an Action
    const typo: Action = 'incident.asign';
    expect(may(agent, typo)).toBe(false);
  });
});
