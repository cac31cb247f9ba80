/**
 * Demo data for `hoshu demo` / `npm start` on an empty desk: 3 clients, 5
 * contracts, users admin/agent/contact, and incidents over the last three months
 * in every status and SLA state. Everything goes through the real services with
 * a simulated clock, and SLA timers fire at their instants on the way, so the
 * timeline and audit log look exactly like a desk that has been running.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Category, Channel, Priority } from '../contract/vocabulary.ts';
import type { Database } from '../db/database.ts';
import { JobRunner } from '../jobs/runner.ts';
import type { Actor } from '../modules/auth/actor.ts';
import { createUser } from '../modules/auth/auth.service.ts';
import { createClientService } from '../modules/clients/client.service.ts';
import { createContactService } from '../modules/contacts/contact.service.ts';
import { createContractService, type Contract } from '../modules/contracts/contract.service.ts';
import { SLA_TIMER_JOB, createSlaTimerHandler } from '../modules/incidents/incident.jobs.ts';
import { createIncidentService, type StatusChangeInput } from '../modules/incidents/incident.service.ts';
import type { NotificationService } from '../modules/notifications/notification.service.ts';
import { createSystemService } from '../modules/systems/system.service.ts';
import { seedBaseData } from './base.ts';
import { demoRecordActions } from './demo-records.ts';

export interface DemoCredential {
  role: 'admin' | 'agent' | 'contact';
  email: string;
  password: string;
  client?: string;
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Deterministic pseudo-random numbers so every demo desk tells the same story. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const password = () => randomBytes(9).toString('base64url');

/** Silent notifier: history must not e-mail anyone. */
const silent: NotificationService = { slaEvent: async () => false };

type Step =
  | { after: number; status: StatusChangeInput }
  | { after: number; priority: Priority; reason: string }
  | { after: number; comment: string; internal?: boolean; asContact?: boolean }
  | { after: number; outOfScope: string };

interface Plan {
  at: number;
  contract: Contract;
  title: string;
  priority: Priority;
  channel: Channel;
  category: Category;
  byContact?: Actor;
  reporterEmail?: string;
  steps: Step[];
}

const RESOLUTIONS = [
  { cause: 'ディスク容量の枯渇によりバッチが停止', fix: '不要ログを削除し、ログローテーションを設定', course: '障害を認識後に調査開始、原因特定後に対処し、翌朝の処理で正常終了を確認しました。' },
  { cause: '証明書の有効期限切れ', fix: '証明書を更新し、期限監視を追加', course: '接続エラーの報告を受けて証明書を確認、更新後に全拠点での接続を確認しました。' },
  { cause: 'マスタデータの不整合', fix: 'データを修正し、入力チェックを追加', course: 'ご報告の帳票を再現し、該当データを特定・修正しました。' },
  { cause: 'OS更新後のライブラリ非互換', fix: '互換ライブラリを導入し再起動', course: '夜間更新後の不具合を確認し、切り戻しではなく互換対応で復旧しました。' },
];

const TITLES: [string, Priority, Category][] = [
  ['受注画面でエラーが表示される', 'important', 'bug'],
  ['夜間バッチが異常終了した', 'urgent', 'outage'],
  ['帳票のレイアウトが崩れる', 'minor', 'bug'],
  ['ログインできない利用者がいる', 'important', 'bug'],
  ['システム全体が応答しない', 'urgent', 'outage'],
  ['CSV出力の項目について問い合わせ', 'minor', 'inquiry'],
  ['在庫数が実数と一致しない', 'important', 'bug'],
  ['画面の表示が遅い', 'minor', 'bug'],
];

export async function loadDemoData(database: Database, now: number = Date.now()): Promise<DemoCredential[]> {
  const { db } = database;
  let t = now - 100 * DAY;
  const clock = () => t;
  const deps = { db, clock };
  const clients = createClientService(deps);
  const contacts = createContactService(deps);
  const systems = createSystemService(deps);
  const contracts = createContractService(deps);
  const incidents = createIncidentService(deps);
  await seedBaseData(db, t);

  const creds: DemoCredential[] = [];
  const admin = { email: 'admin@hoshu.example', password: password() };
  const agent = { email: 'agent@hoshu.example', password: password() };
  const adminUser = await createUser(db, { email: admin.email, name: '管理 太郎', role: 'admin', password: admin.password }, t);
  const agentUser = await createUser(db, { email: agent.email, name: '窓口 花子', role: 'agent', password: agent.password }, t);
  const agent2 = await createUser(db, { email: 'engineer@hoshu.example', name: '技術 一郎', role: 'agent', password: null }, t);
  creds.push({ role: 'admin', ...admin }, { role: 'agent', ...agent });
  const staff: Actor = { userId: agentUser.id, role: 'agent', clientId: null };
  const adminActor: Actor = { userId: adminUser.id, role: 'admin', clientId: null };

  const spec = [
    { name: '株式会社さくら物流', kana: 'サクラブツリュウ', domain: 'sakura-logi.example', systems: ['配送管理システム', '倉庫管理システム (WMS)'],
      contracts: [{ name: '配送管理システム 保守契約', systems: [0], users: 120 }, { name: 'WMS 保守契約', systems: [1], users: 40 }] },
    { name: '東和精機株式会社', kana: 'トウワセイキ', domain: 'towa-seiki.example', systems: ['生産管理システム', '社内ポータル'],
      contracts: [{ name: '生産管理システム 保守契約', systems: [0], users: 300 }, { name: '社内ポータル 保守契約', systems: [1], users: 500 }] },
    { name: 'みなと市立図書館', kana: 'ミナトシリツトショカン', domain: 'minato-lib.example', systems: ['蔵書管理システム'],
      contracts: [{ name: '蔵書管理システム 保守契約', systems: [0], users: 25 }] },
  ];
  const allContracts: Contract[] = [];
  let contactActor: Actor | null = null;
  let contactClientContract: Contract | null = null;
  for (const c of spec) {
    const client = await clients.create(adminActor, { name: c.name, nameKana: c.kana });
    const primary = await contacts.create(adminActor, { clientId: client.id, name: '情報システム部 山田', email: `yamada@${c.domain}`, phone: '03-1234-5678' });
    const deputy = await contacts.create(adminActor, { clientId: client.id, name: '情報システム部 鈴木', email: `suzuki@${c.domain}` });
    const sys: { id: string }[] = [];
    for (const s of c.systems) sys.push(await systems.create(adminActor, { clientId: client.id, name: s }));
    for (const k of c.contracts) {
      allContracts.push(await contracts.create(adminActor, {
        clientId: client.id,
        name: k.name,
        startsOn: new Date(now - 400 * DAY).toISOString().slice(0, 10),
        endsOn: new Date(now + 330 * DAY).toISOString().slice(0, 10),
        contractedUsers: k.users,
        backupWindow: { start: '02:00', end: '04:00' },
        contactEmail: 'support@hoshu.example',
        contactPhone: '03-0000-1111',
        systemIds: k.systems.map((i) => sys[i]!.id),
        primaryContactId: primary.id,
        deputyContactIds: [deputy.id],
        engineerIds: [agent2.id],
        inScopeNotes: '障害の原因切り分け、修正、データ復旧',
        outOfScopeNotes: 'PC固有の問題、操作方法の質問、契約外システム、言語・ランタイムのバージョンアップ',
        notes: 'ハードウェア購入費用は別途請求',
      }));
    }
    if (!contactActor) {
      const pw = password();
      const u = await createUser(db, { email: primary.email!, name: primary.name, role: 'contact', clientId: client.id, password: pw }, t);
      contactActor = { userId: u.id, role: 'contact', clientId: client.id };
      contactClientContract = allContracts[0]!;
      creds.push({ role: 'contact', email: primary.email!, password: pw, client: client.name });
    }
  }

  // ---- incident plans ----
  const rnd = mulberry32(20260401);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const plans: Plan[] = [];
  // History: closed incidents over the last three months, most on time, some late.
  for (let i = 0; i < 36; i++) {
    const [title, priority, category] = pick(TITLES);
    const dayStart = now - (4 + Math.floor(rnd() * 86)) * DAY;
    const at = dayStart - (dayStart % DAY) + Math.floor(rnd() * 9 + 0) * HOUR + Math.floor(rnd() * 60) * MIN; // 09:00–18:00 JST ≈ 00:00–09:00 UTC
    const late = rnd() < 0.25;
    const startAfter = priority === 'urgent' ? (late ? 25 * MIN : 6 * MIN) : late ? 30 * HOUR : 2 * HOUR;
    const resolveAfter = priority === 'urgent' ? (late ? 10 * HOUR : 4 * HOUR) : late ? 4 * DAY : 20 * HOUR;
    const steps: Step[] = [{ after: startAfter, status: { to: 'in_progress' } }];
    if (rnd() < 0.3) {
      steps.push({ after: startAfter + HOUR, status: { to: 'waiting_for_client', reason: '再現手順の確認をお願いしました' } });
      steps.push({ after: startAfter + 5 * HOUR, comment: '手順を送付します。', asContact: true });
    }
    if (priority === 'minor') steps.push({ after: resolveAfter - HOUR, status: { to: 'solution_proposed', reason: '回避策をご案内しました' } });
    steps.push({ after: resolveAfter, status: { to: 'resolved', resolution: pick(RESOLUTIONS) } });
    steps.push({ after: resolveAfter + 2 * DAY, status: { to: 'closed' } });
    plans.push({ at, contract: pick(allContracts), title, priority, category, channel: priority === 'urgent' ? 'phone' : pick(['web', 'api', 'phone'] as const), steps });
  }
  const c0 = contactClientContract!;
  const c = (i: number) => allContracts[i % allContracts.length]!;
  // Now: open incidents in every status and SLA state.
  plans.push(
    { at: now - 8 * MIN, contract: c(0), title: '配送管理システムに接続できない', priority: 'urgent', channel: 'phone', category: 'outage', steps: [] },
    { at: now - 3 * HOUR, contract: c(1), title: 'WMSの出荷指示が止まっている', priority: 'urgent', channel: 'phone', category: 'outage',
      steps: [{ after: 5 * MIN, status: { to: 'in_progress' } }, { after: 40 * MIN, comment: 'キュー滞留を確認、調査中', internal: true }] },
    { at: now - 7 * HOUR, contract: c(2), title: '生産計画の取込バッチ停止', priority: 'urgent', channel: 'phone', category: 'outage',
      steps: [{ after: 15 * MIN, status: { to: 'in_progress' } }] },
    { at: now - 4 * DAY, contract: c(3), title: 'ポータルの添付ファイルが開けない', priority: 'important', channel: 'web', category: 'bug', steps: [] },
    { at: now - 1 * HOUR, contract: c0, title: '配車表の印刷が途中で切れる', priority: 'minor', channel: 'web', category: 'bug', byContact: contactActor!, steps: [] },
    { at: now - 2 * DAY, contract: c(4), title: '予約画面の検索結果が空になる', priority: 'minor', channel: 'api', category: 'bug',
      steps: [{ after: 2 * HOUR, status: { to: 'in_progress' } }, { after: 1 * DAY, status: { to: 'waiting_for_client', reason: '対象の利用者IDをご連絡ください' } }] },
    { at: now - 1 * DAY, contract: c(2), title: '品目マスタの一括更新でエラー', priority: 'important', channel: 'web', category: 'bug',
      steps: [{ after: 1 * HOUR, status: { to: 'in_progress' } }, { after: 20 * HOUR, status: { to: 'solution_proposed', reason: '回避手順をご案内しました' } }] },
    { at: now - 10 * HOUR, contract: c(1), title: '棚卸データの取込失敗', priority: 'important', channel: 'phone', category: 'bug',
      steps: [{ after: 20 * MIN, status: { to: 'in_progress' } }, { after: 8 * HOUR, status: { to: 'resolved', resolution: RESOLUTIONS[2]! } }] },
    { at: now - 5 * HOUR, contract: c(3), title: 'Excelでの集計方法を教えてほしい', priority: 'minor', channel: 'phone', category: 'inquiry',
      steps: [{ after: 10 * MIN, outOfScope: '操作方法の質問 (契約範囲外)' }, { after: 30 * MIN, status: { to: 'in_progress' } }] },
    { at: now - 6 * DAY, contract: c(0), title: '配送ルート計算が終わらない', priority: 'important', channel: 'web', category: 'bug',
      steps: [{ after: 1 * HOUR, status: { to: 'in_progress' } }, { after: 1 * DAY, status: { to: 'resolved', resolution: RESOLUTIONS[3]! } },
        { after: 4 * DAY, status: { to: 'in_progress', reason: '同じ現象が再発したとのご連絡' } }] },
    { at: now - 30 * MIN, contract: c(2), title: '工場端末から接続できない', priority: 'important', channel: 'phone', category: 'bug',
      reporterEmail: 'factory-leader@towa-seiki.example', steps: [] },
    { at: now - 3 * DAY, contract: c(4), title: '利用者数の上限について', priority: 'minor', channel: 'web', category: 'inquiry',
      steps: [{ after: 3 * HOUR, priority: 'important', reason: '開館準備に影響するため' }] },
  );

  // ---- run the story in time order, firing SLA timers at their instants ----
  const runner = new JobRunner(database, { clock, handlers: { [SLA_TIMER_JOB]: createSlaTimerHandler({ db, clock, notifications: silent }) } });
  type Action = { at: number; run: () => Promise<void> };
  const actions: Action[] = [];
  for (const p of plans) {
    const ref = { id: '' };
    actions.push({
      at: p.at,
      run: async () => {
        const inc = await incidents.create(p.byContact ?? staff, {
          contractId: p.contract.id, title: p.title, channel: p.channel, category: p.category,
          priority: p.priority, suggestedPriority: p.byContact ? p.priority : undefined,
          description: `${p.title}。詳細は添付のとおりです。`,
          assigneeId: p.byContact ? undefined : agentUser.id,
          // Staff log who called: the designated contact, or a stranger the desk must confirm.
          reporter: p.byContact ? undefined : p.reporterEmail ? { name: '工場 班長', email: p.reporterEmail } : { contactId: p.contract.primaryContactId },
        });
        ref.id = inc.id;
      },
    });
    for (const s of p.steps) {
      actions.push({
        at: p.at + s.after,
        run: async () => {
          if ('status' in s) await incidents.changeStatus(staff, ref.id, s.status);
          else if ('priority' in s) await incidents.changePriority(staff, ref.id, { priority: s.priority, reason: s.reason });
          else if ('outOfScope' in s) await incidents.changeScope(staff, ref.id, { inScope: false, reason: s.outOfScope, billable: true });
          else await incidents.addComment(s.asContact && p.contract.id === c0.id ? contactActor! : staff, ref.id, { body: s.comment, internal: s.internal });
        },
      });
    }
  }
  actions.push(...demoRecordActions(db, { now, clock, contracts: allContracts, staff, contact: contactActor!, ownerId: agentUser.id }));
  actions.sort((a, b) => a.at - b.at);
  const nextTimer = async () => {
    const r = await sql<{ at: number | null }>`select min(run_at) as at from jobs where status = 'pending' and kind = ${SLA_TIMER_JOB}`.execute(db);
    const v = r.rows[0]?.at;
    return v === null || v === undefined ? null : Number(v);
  };
  const fireUntil = async (until: number) => {
    for (let next = await nextTimer(); next !== null && next <= until; next = await nextTimer()) {
      t = next;
      await runner.runDue();
    }
  };
  for (const a of actions.filter((x) => x.at <= now)) {
    await fireUntil(a.at);
    t = a.at;
    await a.run();
  }
  await fireUntil(now);
  return creds;
}
