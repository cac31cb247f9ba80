/**
 * The demo desk's change requests, risks, security incidents and planned maintenance: what
 * a vendor shows a client besides incidents. Without them the console's 変更要求, リスク管理,
 * セキュリティ and 保守日程 pages, the dashboard's maintenance cards and last month's report
 * sections were empty on the first look at the product. Each record goes through its real
 * service at its own instant of the demo's simulated clock (demo.ts runs the actions in time
 * order), so timelines, clocks, notices and audit entries are what a running desk would hold.
 */
import { civilFromDayNumber, formatCivil } from '../core/time/civil.ts';
import { instantOfLocal, localDayNumberOf } from '../core/time/zone.ts';
import type { Database } from '../db/database.ts';
import { createServices } from '../http/services.ts';
import type { Actor } from '../modules/auth/actor.ts';
import type { Contract } from '../modules/contracts/contract.service.ts';
import type { DemoAction } from './demo-action.ts';
import { demoMonitoringActions } from './demo-monitoring.ts';

/** The zone of the demo's calendar (seedBaseData): its records are placed on Japanese days and hours. */
const ZONE = 'Asia/Tokyo';


export interface DemoRecordCast {
  now: number;
  clock: () => number;
  /** allContracts of demo.ts: 0 and 1 belong to the client whose contact signs in. */
  contracts: readonly Contract[];
  staff: Actor;
  contact: Actor;
  /** The agent who owns the risks. */
  ownerId: string;
}

type Services = ReturnType<typeof createServices>;

/** The date (YYYY-MM-DD) of an instant in Japan. */
const isoDate = (at: number) => formatCivil(civilFromDayNumber(localDayNumberOf(ZONE, at)));

export function demoRecordActions(database: Database['db'], cast: DemoRecordCast): DemoAction[] {
  const s: Services = createServices({ db: database, clock: cast.clock });
  const { now, staff, contact } = cast;
  const today = localDayNumberOf(ZONE, now);
  /** `days` days from today in Japan, at hh:mm there. */
  const at = (days: number, hh: number, mm = 0) => instantOfLocal(ZONE, today + days, hh * 60 + mm);
  const [delivery, wms, production, portal] = cast.contracts as [Contract, Contract, Contract, Contract];
  return [
    ...changeRequests(s, { at, staff, contact, delivery, wms, production }),
    ...risks(s, { at, staff, ownerId: cast.ownerId, delivery, wms, production }),
    ...securityIncidents(s, { at, staff, delivery, production }),
    ...maintenance(s, { at, staff, delivery, portal }),
    ...demoMonitoringActions(database, s, { now, at, staff, contracts: cast.contracts }),
  ];
}

interface ChangeCast {
  at: (days: number, hh: number, mm?: number) => number;
  staff: Actor;
  contact: Actor;
  delivery: Contract;
  wms: Contract;
  production: Contract;
}

/** A proposal as the desk writes one; `window` is the work's planned slot. */
function proposal(effortDays: number, amountJpy: number, plan: string, window: [number, number] | null, validUntil: number) {
  return {
    effortAmount: effortDays, effortUnit: 'person_days' as const, amountJpy, plan,
    impact: window ? '作業中は該当画面が利用できません。' : '利用者への影響はありません。',
    backout: '作業前のバックアップから元に戻します。',
    windowStartsAt: window?.[0] ?? null, windowEndsAt: window?.[1] ?? null, affectsService: window !== null,
    validUntil: isoDate(validUntil), send: true,
  };
}

/**
 * Four change requests, one in each place a desk looks: done and accepted by the client last
 * month, approved and scheduled this week (its window is announced maintenance), a proposal
 * waiting for the client's approval in the portal, and one waiting for the client's answer.
 */
function changeRequests(s: Services, c: ChangeCast): DemoAction[] {
  const { at, staff, contact } = c;
  const actions: DemoAction[] = [];
  const step = (when: number, run: () => Promise<void>) => { actions.push({ at: when, run }); };
  const hashOf = (d: { proposals: Array<{ version: number; contentHash: string | null }> }) => d.proposals.at(-1)!.contentHash!;

  // Done last month: 月次集計CSV, approved, worked in its window, accepted by the client.
  const done = { id: '' };
  step(at(-46, 10), async () => {
    done.id = (await s.changeRequests.create(contact, {
      contractId: c.delivery.id, systemIds: c.delivery.systemIds, title: '月次集計CSVの文字コードをUTF-8に変更',
      description: '月次集計CSVを新しい会計システムに取り込むため、文字コードをShift_JISからUTF-8（BOM付き）に変更してください。',
      reason: '会計システムの更新', channel: 'portal',
    })).id;
  });
  step(at(-45, 14), async () => { await s.changeRequests.command(staff, done.id, 'judge_feasible', { text: '対応可能です。見積をお送りします。' }); });
  let doneHash = '';
  step(at(-44, 11), async () => {
    doneHash = hashOf(await s.changeRequests.createProposal(staff, done.id, proposal(1.5, 180_000, 'CSV出力処理の文字コードを変更し、取込テストを行います。', [at(-33, 20), at(-33, 22)], at(-14, 0))));
  });
  step(at(-42, 16), async () => { await s.changeRequests.decide(contact, done.id, 'approve', { version: 1, contentHash: doneHash, comment: '承認します。' }); });
  step(at(-41, 10), async () => {
    await s.changeRequests.schedule(staff, done.id, { startsAt: at(-33, 20), endsAt: at(-33, 22), affectsService: true, systemId: c.delivery.systemIds[0] ?? null });
  });
  step(at(-33, 20), async () => { await s.changeRequests.command(staff, done.id, 'start', { text: '作業を開始します。' }); });
  step(at(-33, 21, 30), async () => {
    await s.changeRequests.finish(staff, done.id, { outcome: 'done', actualEffortAmount: 1.5, resultNotes: '変更を適用し、会計システムへの取込を確認しました。' });
  });
  step(at(-31, 10), async () => { await s.changeRequests.command(contact, done.id, 'confirm', { text: '取込を確認しました。' }); });

  // Approved and scheduled for this week's window on the WMS: announced to the client as maintenance.
  const scheduled = { id: '' };
  step(at(-20, 9, 30), async () => {
    scheduled.id = (await s.changeRequests.create(contact, {
      contractId: c.wms.id, systemIds: c.wms.systemIds, title: '出荷指示画面に配送便の指定欄を追加',
      description: '出荷指示の登録時に配送便（午前便・午後便）を指定できるようにしてください。', reason: '配送便の追加', channel: 'portal',
    })).id;
  });
  step(at(-19, 15), async () => { await s.changeRequests.command(staff, scheduled.id, 'judge_feasible', { text: '対応可能です。' }); });
  let scheduledHash = '';
  step(at(-17, 11), async () => {
    scheduledHash = hashOf(await s.changeRequests.createProposal(staff, scheduled.id, proposal(3, 420_000, '画面と出荷指示データに配送便の項目を追加し、帳票に反映します。', [at(4, 20), at(4, 23)], at(14, 0))));
  });
  step(at(-15, 10), async () => { await s.changeRequests.decide(contact, scheduled.id, 'approve', { version: 1, contentHash: scheduledHash }); });
  step(at(-14, 10), async () => {
    await s.changeRequests.schedule(staff, scheduled.id, { startsAt: at(4, 20), endsAt: at(4, 23), affectsService: true, systemId: c.wms.systemIds[0] ?? null });
  });

  // A proposal the client has not answered yet: the portal asks the contact to approve or reject.
  const offered = { id: '' };
  step(at(-6, 11), async () => {
    offered.id = (await s.changeRequests.create(contact, {
      contractId: c.delivery.id, systemIds: c.delivery.systemIds, title: '配送伝票に荷主コードを印字',
      description: '配送伝票の右上に荷主コードを印字してください。', reason: '荷主別の仕分けのため', channel: 'portal',
    })).id;
  });
  step(at(-5, 16), async () => { await s.changeRequests.command(staff, offered.id, 'judge_feasible', { text: '対応可能です。' }); });
  step(at(-3, 14), async () => {
    await s.changeRequests.createProposal(staff, offered.id, proposal(2, 240_000, '伝票レイアウトに荷主コード欄を追加し、印字テストを行います。', null, at(25, 0)));
  });

  // Taken by phone; the desk asked a question and waits for the client.
  const asked = { id: '' };
  step(at(-2, 15), async () => {
    asked.id = (await s.changeRequests.create(staff, {
      contractId: c.production.id, systemIds: c.production.systemIds, title: '操作ログの保存期間を延長',
      description: '監査対応のため操作ログを長く保存したいとのご依頼（電話）。', channel: 'phone', requesterContactId: c.production.primaryContactId,
    })).id;
  });
  step(at(-1, 10), async () => { await s.changeRequests.command(staff, asked.id, 'ask_clarification', { text: '必要な保存期間（例: 1年、3年）をお知らせください。' }); });
  return actions;
}

/** Three open risks with their levels, one rescored and reviewed this month; none is overdue for review (the e2e tests count those). */
function risks(s: Services, c: { at: (d: number, h: number, m?: number) => number; staff: Actor; ownerId: string; delivery: Contract; wms: Contract; production: Contract }): DemoAction[] {
  const { at, staff, ownerId } = c;
  const batch = { id: '' };
  const wmsRisk = { id: '' };
  return [
    {
      at: at(-62, 10), run: async () => {
        await s.risks.create(staff, {
          contractId: c.delivery.id, title: 'サーバーOSのサポート終了（2027年6月）', affectedSystemIds: c.delivery.systemIds,
          description: 'サポート終了後はセキュリティ更新が提供されず、脆弱性が残る。', category: 'security', source: 'vendor', ownerId,
          treatment: 'mitigate', inherent: { likelihood: 4, impact: 4 }, residual: { likelihood: 2, impact: 3 },
        });
      },
    },
    {
      at: at(-40, 11), run: async () => {
        batch.id = (await s.risks.create(staff, {
          contractId: c.production.id, title: '夜間バッチの処理時間が延び、始業までに終わらない恐れ', affectedSystemIds: c.production.systemIds,
          description: '生産実績データの増加に伴い、夜間バッチの処理時間が月に約5%ずつ延びている。', category: 'capacity', source: 'vendor', ownerId,
          treatment: 'mitigate', inherent: { likelihood: 3, impact: 4 },
        })).id;
      },
    },
    { at: at(-8, 10), run: async () => { await s.risks.rescore(staff, batch.id, { inherent: { likelihood: 4, impact: 4 }, reason: '先月の処理時間が前月比12%増' }); } },
    { at: at(-8, 10, 30), run: async () => { await s.risks.review(staff, batch.id, 'バッチの分割を提案する。お客様と次回定例で協議。'); } },
    {
      at: at(-70, 14), run: async () => {
        wmsRisk.id = (await s.risks.create(staff, {
          contractId: c.wms.id, title: '月末の棚卸手順が担当者1名に依存', affectedSystemIds: c.wms.systemIds,
          description: '手順書がなく、担当者不在時に棚卸データの取込ができない。', category: 'operational', source: 'client', ownerId,
          treatment: 'mitigate', inherent: { likelihood: 3, impact: 3 },
        })).id;
      },
    },
    { at: at(-35, 10), run: async () => { await s.risks.review(staff, wmsRisk.id, '手順書の作成に着手。次回レビューで完成を確認する。'); } },
  ];
}

/** One handled and closed last month with its first and final reports; one opened yesterday with its first report. */
function securityIncidents(s: Services, c: { at: (d: number, h: number, m?: number) => number; staff: Actor; delivery: Contract; production: Contract }): DemoAction[] {
  const { at, staff } = c;
  const login = { id: '' };
  const cve = { id: '' };
  return [
    {
      at: at(-12, 9), run: async () => {
        login.id = (await s.securityIncidents.create(staff, {
          contractId: c.delivery.id, kind: 'unauthorized_access', title: '管理画面への不審なログイン試行', systemId: c.delivery.systemIds[0],
          description: '海外のIPアドレスから管理画面への連続したログイン失敗を検知。', discoveredAt: at(-12, 8, 40),
        })).row.id;
      },
    },
    { at: at(-12, 10, 30), run: async () => { await s.securityIncidents.command(staff, login.id, 'contain', { note: '該当IPアドレスを遮断し、管理者アカウントのパスワードを変更しました。' }); } },
    {
      at: at(-12, 11), run: async () => {
        await s.securityIncidents.issueReport(staff, login.id, { kind: 'first', title: '第一報: 管理画面への不審なログイン試行', body: '本日8時40分、管理画面への連続したログイン失敗を検知しました。該当IPアドレスを遮断済みです。ログインの成功は確認されていません。' });
      },
    },
    { at: at(-11, 15), run: async () => { await s.securityIncidents.command(staff, login.id, 'remove-threat', { note: '管理画面への接続元をお客様拠点のIPアドレスに限定しました。' }); } },
    {
      at: at(-9, 14), run: async () => {
        await s.securityIncidents.issueReport(staff, login.id, { kind: 'final', title: '最終報告: 管理画面への不審なログイン試行', body: 'ログの調査の結果、不正ログインの成功および情報の流出はありませんでした。再発防止として接続元を制限しました。' });
      },
    },
    { at: at(-9, 15), run: async () => { await s.securityIncidents.command(staff, login.id, 'close', {}); } },
    {
      at: at(-1, 9, 30), run: async () => {
        cve.id = (await s.securityIncidents.create(staff, {
          contractId: c.production.id, kind: 'vulnerability', title: '利用中のWebフレームワークに脆弱性（CVE）が公表', systemId: c.production.systemIds[0],
          description: '生産管理システムが利用するWebフレームワークの脆弱性が公表された。影響範囲を調査中。', discoveredAt: at(-1, 9),
        })).row.id;
      },
    },
    {
      at: at(-1, 13), run: async () => {
        await s.securityIncidents.issueReport(staff, cve.id, { kind: 'first', title: '第一報: Webフレームワークの脆弱性', body: '公表された脆弱性の影響有無を調査しています。現時点で攻撃の痕跡は確認されていません。' });
      },
    },
  ];
}

/**
 * Planned maintenance: last month's OS patches (announced in time, done inside the window),
 * and a storage extension next week the desk has not announced yet (a notice due).
 */
function maintenance(s: Services, c: { at: (d: number, h: number, m?: number) => number; staff: Actor; delivery: Contract; portal: Contract }): DemoAction[] {
  const { at, staff } = c;
  const patches = { id: '' };
  return [
    {
      at: at(-40, 15), run: async () => {
        patches.id = (await s.maintenance.create(staff, {
          contractId: c.delivery.id, systemId: c.delivery.systemIds[0] ?? null, kind: 'planned', title: 'サーバーOSの月例パッチ適用',
          description: '配送管理システムのサーバーにOSの月例パッチを適用します。作業中はシステムをご利用いただけません。',
          startsAt: at(-26, 2), endsAt: at(-26, 4), announce: true,
        })).id;
      },
    },
    // Finished inside the window: the system's monitor (demo-monitoring.ts) sees it down only then.
    { at: at(-26, 4, 30), run: async () => { await s.maintenance.recordActual(staff, patches.id, { actualStart: at(-26, 2, 5), actualEnd: at(-26, 3, 40) }); } },
    {
      at: at(-1, 16), run: async () => {
        await s.maintenance.create(staff, {
          contractId: c.portal.id, systemId: c.portal.systemIds[0] ?? null, kind: 'planned', title: 'ファイルサーバーのストレージ増設',
          description: '添付ファイル用ストレージを増設します。作業中はファイルの添付と閲覧ができません。', startsAt: at(6, 20), endsAt: at(6, 22),
        });
      },
    },
  ];
}
