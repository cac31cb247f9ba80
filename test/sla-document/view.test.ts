/**
 * The SLA document's view (sla-document.view.ts): what the template is handed, worded in the
 * document's language. Values the contract lacks are "not set" and listed, never left as
 * ●/▲; business hours with a lunch break and a Saturday morning read as the calendar says;
 * busy-season extensions still to come are listed and past ones are not; a policy with
 * other clocks is worded from its own targets.
 */
import { describe, expect, it } from 'vitest';
import { STANDARD_POLICY, type SlaPolicyDocument } from '../../src/contract/sla-policy-document.ts';
import { buildSlaDocumentView, type SlaDocumentInput } from '../../src/modules/sla-policies/sla-document.view.ts';
import { templateIssues } from '../../src/modules/sla-policies/sla-document.render.ts';
import { DEFAULT_SLA_TEMPLATES } from '../../src/modules/sla-policies/sla-document.templates.ts';

const base: SlaDocumentInput = {
  lang: 'ja',
  today: '2026-12-04',
  client: { name: '株式会社テスト' },
  contract: {
    name: 'テスト保守契約', startsOn: '2026-04-01', endsOn: null, contractedUsers: null, backupWindow: null,
    contactEmail: null, contactPhone: '03-1111-2222', inScopeNotes: '', outOfScopeNotes: '', notes: '',
  },
  systems: ['販売管理'],
  primaryContact: null,
  deputies: [],
  engineers: ['技術 一郎'],
  policy: {
    name: '特約SLA', establishedOn: '2026-01-01', version: 3, document: STANDARD_POLICY,
    revisions: [{ version: 1, revisedOn: '2026-01-01' }, { version: 2, revisedOn: '2026-06-01' }, { version: 3, revisedOn: '2026-10-15' }],
  },
  calendar: {
    timeZone: 'Asia/Tokyo',
    weekly: { mon: [['09:00', '12:00'], ['13:00', '18:00']], tue: [['09:00', '12:00'], ['13:00', '18:00']], wed: [['09:00', '12:00'], ['13:00', '18:00']], sat: [['09:00', '12:00']] },
    holidays: ['jp', '08-14'],
    closures: [{ from: '12-29', to: '01-03' }],
    overrides: [
      { from: '2026-03-01', to: '2026-03-31', weekly: { mon: [['08:00', '21:00']] } },
      { from: '2027-03-01', to: '2027-03-31', weekly: { mon: [['08:00', '21:00']], tue: [['08:00', '21:00']] } },
      { date: '2026-12-28', hours: [] },
    ],
  },
  noticeBusinessDays: 3,
};

describe('the SLA document view', () => {
  it('says "not set" for every value the contract lacks and lists them', () => {
    const { view, missing } = buildSlaDocumentView(base);
    expect(missing.sort()).toEqual(['backupWindow', 'contactEmail', 'contractedUsers', 'primaryContactId']);
    expect(view.contract.users).toBe('（未設定）');
    expect(view.inquiry.channels).toBe('電話（03-1111-2222）');
    expect(view.contract.period).toBe('2026年04月01日～');
    expect(buildSlaDocumentView({ ...base, lang: 'en' }).view.contract.backupWindow).toBe('(not set)');
  });

  it('words the calendar: runs of days, lunch breaks, holidays and closures, extensions still to come', () => {
    const { view } = buildSlaDocumentView(base);
    expect(view.inquiry.businessHours).toBe('月～水 9:00～12:00、13:00～18:00、土 9:00～12:00');
    expect(view.inquiry.holidays).toBe('祝日、8月14日、12月29日～1月3日');
    expect(view.inquiry.extensions).toEqual([
      { period: '2027年03月01日～2027年03月31日', hours: '月～火 8:00～21:00' },
      { period: '2026年12月28日', hours: '休業' },
    ]);
    const en = buildSlaDocumentView({ ...base, lang: 'en' }).view;
    expect(en.inquiry.businessHours).toBe('Mon–Wed 9:00–12:00, 13:00–18:00, Sat 9:00–12:00');
    expect(en.inquiry.holidays).toBe('Japanese public holidays, August 14, December 29 to January 3');
  });

  it("lists the revision history up to the contract's version: 制定日 then each 改訂日", () => {
    const { view } = buildSlaDocumentView(base);
    expect(view.revisions.map((r) => `${r.label} ${r.date}`)).toEqual(['制定日 2026年01月01日', '改訂日 2026年06月01日', '改訂日 2026年10月15日']);
    const first = buildSlaDocumentView({ ...base, policy: { ...base.policy, version: 1, revisions: [{ version: 1, revisedOn: '2026-01-01' }] } }).view;
    // Like the page: a policy never revised shows its 改訂日 as the day it was established.
    expect(first.revisions.map((r) => r.label)).toEqual(['制定日', '改訂日']);
  });

  it('words the targets from the policy version, whatever its clocks', () => {
    const doc: SlaPolicyDocument = {
      ...STANDARD_POLICY,
      priorities: {
        urgent: { start: { from: 'recognized', clock: { kind: 'calendar', minutes: 30 } }, resolve: { from: 'recognized', clock: { kind: 'business', minutes: 240 } } },
        important: { start: { from: 'recognized', clock: { kind: 'business', minutes: 1080 } }, resolve: { from: 'started', clock: { kind: 'endOfNthBusinessDay', n: 3 } } },
        minor: { propose: { from: 'recognized', clock: { kind: 'calendar', minutes: 14 * 1440 } } },
      },
    };
    const { view } = buildSlaDocumentView({ ...base, policy: { ...base.policy, document: doc } });
    expect(view.targets.map((x) => x.summary)).toEqual([
      // Two clocks: each target names its own.
      '受領後30分以内に着手（24時間365日で計測）。受領後4営業時間以内の解決を目途（営業時間で計測）',
      '受領後2営業日以内に着手し、着手から3営業日後の終業までの解決を目途（営業時間で計測）',
      '受領後14日以内に何らかの解決策を提示（24時間365日で計測）',
    ]);
    const en = buildSlaDocumentView({ ...base, lang: 'en', policy: { ...base.policy, document: doc } }).view;
    expect(en.targets[1]!.summary).toBe('Work starts within 2 business days after receipt; resolution aimed for by the end of the 3rd business day after work starts (counted in business hours)');
  });

  it('accepts the built-in templates and refuses unknown names and broken sections with their line', () => {
    expect(templateIssues(DEFAULT_SLA_TEMPLATES.ja)).toEqual([]);
    expect(templateIssues(DEFAULT_SLA_TEMPLATES.en)).toEqual([]);
    expect(templateIssues('<p>{{title}}</p>\n{{#targets}}{{priority}} {{summary}}{{/targets}}\n{{#inquiry.extensions}}{{period}}{{/inquiry.extensions}}')).toEqual([]);
    const bad = templateIssues('<p>{{title}}</p>\n<p>{{contract.userCount}}</p>\n{{{client.name}}}');
    expect(bad.map((i) => [i.params?.rule, i.params?.line])).toEqual([['template_variable', 2], ['template_variable', 3]]);
    expect(templateIssues('a\nb\n{{#targets}}x')[0]!.params).toMatchObject({ rule: 'template_syntax', line: 3 });
  });
});
