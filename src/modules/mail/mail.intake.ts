/**
 * The e-mail intake. Never lose, never duplicate:
 * 1. `store` commits the raw bytes (and a `mail.process` job) BEFORE the intake
 *    flags or moves anything in the mailbox; a (mailbox, UIDVALIDITY, UID) already
 *    stored is skipped, so a crash between storing and flagging only means the
 *    next round fetches it again and stores nothing.
 * 2. `process` (the job, exactly once through the job table) parses, then in ONE
 *    unit of work creates the incident or joins the reply AND marks the message —
 *    the incident service's `createIn`/`addCommentIn` run in our unit (`Work`).
 *    A Message-ID already handled becomes "duplicate"; automatic mail "ignored";
 *    mail that maps to no contract, or that our own MX found forged (DMARC fail),
 *    "triage"; bytes that do not parse "unparseable", all kept with their raw source.
 * 3. A reply joins an incident only by a Message-ID we generated (In-Reply-To/References)
 *    or by the incident's random reply token (`[#50-k3f9x2q7ab]`); incident numbers are
 *    sequential, so a bare `[#50]` or a sender address proves nothing (docs/mail.md).
 */
import crypto from 'node:crypto';
import { uuidv7 } from 'uuidv7';
import type { Executor } from '../../db/database.ts';
import { asActor, type Work } from '../../db/unit-of-work.ts';
import { t, type Locale } from '../../i18n/index.ts';
import { enqueue } from '../../jobs/queue.ts';
import type { Actor } from '../auth/actor.ts';
import { addressOf, newReplyToken, replyTag } from './mail.compose.ts';
import { authenticationVerdict, messageIds, parseMessage, subjectTags, UnparseableMailError, type ParsedMessage } from './mail.parse.ts';
import * as repo from './mail.repository.ts';
import {
  enqueueOutbound, fileIncidentIn, finish, MAIL_ACTOR, MAIL_PROCESS_JOB, newMessageId, type MailParts, type StoreInput,
} from './mail.shared.ts';

/** Message-ID from the raw header block without a full parse (for the row, before processing). */
function quickMessageId(raw: Buffer): string | null {
  const head = raw.subarray(0, 16_384).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  const m = /^message-id:\s*(.*(?:\r?\n[ \t].*)*)/im.exec(end >= 0 ? head.slice(0, end) : head);
  return m ? (messageIds(m[1]!)[0] ?? null) : null;
}

/** Constant-time comparison: how long a wrong guess takes must not tell how much of it was right. */
const sameToken = (a: string, b: string) => a.length === b.length && crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Drops the quoted tail of a reply ("> …", "-----Original Message-----", "… wrote:"). */
export function stripQuoted(text: string): string {
  const lines = text.split('\n');
  const cut = lines.findIndex((l, i) =>
    /^-{2,}\s*(Original Message|元のメッセージ|Original)\s*-{2,}/i.test(l.trim()) ||
    (/(wrote|のメッセージ|書きました)[:：]\s*$/.test(l.trim()) && (lines[i + 1] ?? '').startsWith('>')));
  const kept = (cut >= 0 ? lines.slice(0, cut) : lines);
  while (kept.length && (kept.at(-1)!.startsWith('>') || !kept.at(-1)!.trim())) kept.pop();
  return kept.join('\n').trim() || text.trim();
}

/** Routes a new message to a contract: mailbox, recipient route, contract desk address, sender's contract. */
async function route(ex: Executor, row: repo.MailRow, p: ParsedMessage): Promise<{ contractId: string | null; reason: string }> {
  if (row.contractId) return { contractId: row.contractId, reason: 'mailbox' };
  const rcpts = [...new Set([...row.envelopeTo.split(',').filter(Boolean), ...p.recipients])];
  const r = await repo.routeFor(ex, rcpts);
  if (r) return { contractId: r.contractId, reason: `route ${r.address}` };
  const byDesk = await repo.contractsByDeskAddress(ex, rcpts);
  if (byDesk.length === 1) return { contractId: byDesk[0]!, reason: 'contract address' };
  if (p.from.address) {
    const bySender = await repo.contractsOfSender(ex, p.from.address);
    if (bySender.length === 1) return { contractId: bySender[0]!, reason: 'sender is a designated contact' };
  }
  return { contractId: null, reason: 'no contract for this address' };
}

/**
 * The incident a reply belongs to, by what a forger cannot know: one of OUR Message-IDs
 * in In-Reply-To/References (random, seen only by whom we mailed), or the incident's
 * reply token in the subject. Incident numbers are sequential and From: is free text,
 * so a bare `[#50]`, a wrong token, a known sender or the sender's own earlier
 * Message-ID join nothing: the mail is routed as new mail, with `note` saying why.
 */
async function thread(ex: Executor, p: ParsedMessage): Promise<{ incidentId: string | null; note: string | null }> {
  const ours = await repo.incidentOfMessageIds(ex, [...p.inReplyTo, ...p.references], 'out');
  if (ours) return { incidentId: ours, note: null };
  const notes: string[] = [];
  for (const tag of subjectTags(p.subject)) {
    const inc = await repo.incidentFacts(ex, { number: tag.number });
    if (!inc) continue;
    const token = tag.token ? await repo.replyToken(ex, inc.id) : null;
    if (token && tag.token && sameToken(token, tag.token)) return { incidentId: inc.id, note: null };
    notes.push(`subject names #${tag.number} ${tag.token ? 'with a wrong reply token' : 'without its reply token'}: not joined`);
  }
  const theirs = await repo.incidentOfMessageIds(ex, [...p.inReplyTo, ...p.references], 'in');
  if (theirs) notes.push(`refers to a sender's mail of incident ${theirs}, not to ours: not joined`);
  return { incidentId: null, note: notes.length ? notes.join('; ') : null };
}

interface Prepared { id: string; parsed: ParsedMessage | null; parseError: string | null }

export function createMailIntake({ db, clock, uow, o, incidents }: MailParts) {
  const ownAddress = o.from ? addressOf(o.from) : null;

  async function acknowledge(
    tx: Executor, inc: { id: string; number: number; title: string; contractId: string; clientId: string }, p: ParsedMessage, now: number,
  ): Promise<string> {
    const to = p.from.address;
    if (!to) return 'no sender address';
    if (ownAddress && to === ownAddress) return 'own address';
    // From: is free text: a desk that answers anyone confirms to strangers (and to forged
    // senders' victims) that mail arrived. Only the client's registered contacts get one.
    if (!(await repo.contactOfClient(tx, inc.clientId, to))) return 'sender is not a registered contact';
    const settings = await repo.contractSettings(tx, inc.contractId);
    if (settings && settings.acknowledge === 0) return 'acknowledgements off for this contract';
    const limit = o.acksPerHour ?? 5;
    if ((await repo.countRecentOutbound(tx, to, 'ack', now - 3_600_000)) >= limit) return `loop guard: ${limit} acknowledgements to ${to} in the last hour`;
    const locale = (settings?.locale === 'en' ? 'en' : 'ja') as Locale;
    const ref = replyTag(inc.number, await repo.ensureReplyToken(tx, inc.id, newReplyToken));
    const params = { number: inc.number, ref, title: inc.title, name: p.from.name ?? to };
    await enqueueOutbound(tx, 'ack', inc.id, {
      to,
      subject: t(locale, 'mail.ack.subject', params),
      text: t(locale, 'mail.ack.body', params),
      messageId: newMessageId(o),
      inReplyTo: p.messageId,
      references: p.messageId ? [...p.references, p.messageId].slice(-10) : p.references.slice(-10),
      automatic: true,
    }, now);
    return 'sent';
  }

  /** Parses outside any transaction (parsing is the slow part; write locks stay short). */
  async function prepare(ids: readonly string[]): Promise<Prepared[]> {
    if (ids.length === 0) return [];
    const rows = await db.selectFrom('mailMessages').select(['id', 'raw', 'envelopeFrom', 'status']).where('id', 'in', [...ids]).execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    const out: Prepared[] = [];
    for (const id of ids) {
      const r = byId.get(id);
      if (!r || r.status !== 'received') continue;
      try {
        out.push({ id, parsed: await parseMessage(Buffer.from(r.raw, 'base64'), r.envelopeFrom), parseError: null });
      } catch (e) {
        if (!(e instanceof UnparseableMailError)) throw e;
        out.push({ id, parsed: null, parseError: e.message });
      }
    }
    return out;
  }

  async function processIn(w: Work, pre: Prepared): Promise<string> {
    const { tx, now } = w;
    const id = pre.id;
    const row = await repo.findMessage(tx, id, true);
    if (!row || row.status !== 'received') return row?.status ?? 'missing';
    if (!pre.parsed) {
      await finish(tx, id, { status: 'unparseable', reason: pre.parseError }, now);
      return 'unparseable';
    }
    const p = pre.parsed;
    const fields: Partial<repo.MailRow> = {
      messageId: row.messageId ?? p.messageId,
      fromAddress: p.from.address,
      fromName: p.from.name,
      subject: p.subject,
      textBody: p.text,
      htmlBody: p.html,
      attachments: JSON.stringify(p.attachments),
    };
    if (p.automatic) {
      await finish(tx, id, { ...fields, status: 'ignored', reason: p.automatic }, now);
      return 'ignored';
    }
    const mid = fields.messageId;
    if (mid) {
      const copy = await repo.handledCopy(tx, mid, id);
      if (copy) {
        await finish(tx, id, { ...fields, status: 'duplicate', reason: `same Message-ID as ${copy.id}`, incidentId: copy.incidentId }, now);
        return 'duplicate';
      }
    }
    const auth = authenticationVerdict(p.authenticationResults, o.authservId);
    fields.authResults = auth ? JSON.stringify(auth) : null;
    if (auth?.verdict === 'fail') {
      // Our MX says the sender is forged: like an unknown sender, it joins nothing, opens
      // nothing and is not acknowledged; an agent looks at it in the triage queue.
      const failed = (['dmarc', 'spf', 'dkim'] as const).filter((k) => auth[k] === 'fail').map((k) => `${k}=fail`).join(' ');
      await finish(tx, id, { ...fields, status: 'triage', reason: `authentication failed (${failed}, by ${auth.by}): not joined, not acknowledged` }, now);
      return 'triage';
    }
    const routed = await route(tx, row, p);
    const { incidentId: joined, note } = await thread(tx, p);
    if (joined) {
      const inc = (await repo.incidentFacts(tx, { id: joined }))!;
      // The client's side of the conversation: a contact-shaped actor, so a reply
      // while the desk waits for the client resumes the clock.
      const actor: Actor = { userId: 'system:mail', role: 'contact', clientId: inc.clientId };
      const from = p.from.name ? `${p.from.name} <${p.from.address ?? ''}>` : (p.from.address ?? '');
      await incidents.addCommentIn(asActor(w, actor), joined, { body: `${t('ja', 'mail.reply_from', { from })}\n\n${stripQuoted(p.text) || p.subject}` });
      if (p.messageId) await repo.addThreadId(tx, p.messageId, joined, 'in', now);
      await finish(tx, id, { ...fields, status: 'reply', incidentId: joined, contractId: inc.contractId }, now);
      return 'reply';
    }
    const because = note ? `${routed.reason}; ${note}` : routed.reason;
    if (!routed.contractId) {
      await finish(tx, id, { ...fields, status: 'triage', reason: because }, now);
      return 'triage';
    }
    const created = await fileIncidentIn(incidents, w, row, p, routed.contractId);
    const ack = await acknowledge(tx, { id: created.id, number: created.number, title: created.title, contractId: routed.contractId, clientId: created.clientId }, p, now);
    await finish(tx, id, { ...fields, status: 'incident', incidentId: created.id, contractId: routed.contractId, reason: `${because}; acknowledgement: ${ack}` }, now);
    return 'incident';
  }

  return {
    /** Commits raw messages (and their processing jobs). Returns the ids that were new. */
    async store(items: readonly StoreInput[]): Promise<string[]> {
      if (items.length === 0) return [];
      const now = clock();
      const rows: repo.NewMailRow[] = items.map((i) => ({
        id: uuidv7(),
        source: i.source,
        mailbox: i.mailbox,
        uidValidity: i.uidValidity ?? null,
        uid: i.uid ?? null,
        messageId: quickMessageId(i.raw),
        envelopeFrom: i.envelopeFrom ?? null,
        envelopeTo: (i.envelopeTo ?? []).map((a) => a.toLowerCase()).join(','),
        receivedAt: i.receivedAt,
        size: i.raw.length,
        raw: i.raw.toString('base64'),
        status: 'received',
        reason: null,
        fromAddress: null,
        fromName: null,
        subject: null,
        textBody: null,
        htmlBody: null,
        attachments: '[]',
        contractId: i.contractId ?? null,
        incidentId: null,
        createdAt: now,
        updatedAt: now,
        authResults: null,
      }));
      return uow.internal(MAIL_ACTOR, async ({ tx }) => {
        const ids: string[] = [];
        for (let k = 0; k < rows.length; k += 100) ids.push(...(await repo.insertMessages(tx, rows.slice(k, k + 100))));
        // One sweep job for all stored mail (re-armed if it is running: the claim token changes).
        if (ids.length) await enqueue(tx, { kind: MAIL_PROCESS_JOB, payload: {}, runAt: now, dedupeKey: 'mail:process', now });
        return ids;
      }, { now });
    },

    /** Processes one stored message (safe to run twice: a handled message is left alone). */
    async process(id: string): Promise<string> {
      const [prepared] = await prepare([id]);
      if (!prepared) return (await repo.findMessage(db, id))?.status ?? 'missing';
      return uow.internal(MAIL_ACTOR, (w) => processIn(w, prepared));
    },

    /**
     * The `mail.process` job: every stored message not yet handled, 100 per transaction
     * (one commit per batch, not per message). A batch that fails is retried one
     * message at a time, so one bad message cannot hold up the others.
     */
    async processPending(batchSize = 100): Promise<number> {
      let done = 0;
      for (;;) {
        const ids = (await db.selectFrom('mailMessages').select('id').where('status', '=', 'received').orderBy('receivedAt').orderBy('id').limit(batchSize).execute()).map((r) => r.id);
        if (ids.length === 0) return done;
        const batch = await prepare(ids);
        try {
          await uow.internal(MAIL_ACTOR, async (w) => {
            for (const p of batch) await processIn(w, p);
          });
        } catch {
          let failed: unknown = null;
          for (const p of batch) {
            try {
              await uow.internal(MAIL_ACTOR, (w) => processIn(w, p));
            } catch (e) {
              failed ??= e;
            }
          }
          if (failed) throw failed;
        }
        done += batch.length;
        if (ids.length < batchSize) return done;
      }
    },
  };
}
