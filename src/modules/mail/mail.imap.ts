/**
 * IMAP intake with imapflow: IDLE where the server offers it (new mail wakes a
 * round at once), polling otherwise and as a safety net. One round:
 *   search messages without our keyword → fetch their bytes → COMMIT them to the
 *   database → only then flag them ($HoshuStored, or move them to a folder).
 * A crash between the commit and the flag leaves them unflagged: the next round
 * fetches them again, the (mailbox, UIDVALIDITY, UID) key stores nothing twice,
 * and they get flagged. Rounds never overlap; connection errors reconnect with
 * back-off and count towards the mailbox's alert.
 */
import type { ImapFlow } from 'imapflow';
import type { MailService } from './mail.service.ts';

export const STORED_KEYWORD = '$HoshuStored';

export interface ImapMailboxConfig {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  pass: string;
  /** Folder to read, default INBOX. */
  path: string;
  /** Contract of every mail in this mailbox; null = route by address/sender (or triage). */
  contractId: string | null;
  /** Move stored messages to this folder instead of flagging them. */
  moveTo: string | null;
  /** Stable name of the mailbox in the database (no password). */
  key: string;
}

/** `imap[s]://user:pass@host[:port]/INBOX?contract=<id>&moveTo=Done` */
export function parseImapUrl(url: string): ImapMailboxConfig {
  const u = new URL(url);
  if (u.protocol !== 'imap:' && u.protocol !== 'imaps:') throw new Error('HOSHU_IMAP_URL must start with imap:// or imaps://');
  const secure = u.protocol === 'imaps:';
  const port = u.port ? Number(u.port) : secure ? 993 : 143;
  const user = decodeURIComponent(u.username);
  const path = decodeURIComponent(u.pathname.replace(/^\//, '')) || 'INBOX';
  return {
    host: u.hostname,
    port,
    secure,
    user,
    pass: decodeURIComponent(u.password),
    path,
    contractId: u.searchParams.get('contract'),
    moveTo: u.searchParams.get('moveTo'),
    key: `${u.protocol}//${user}@${u.hostname}:${port}/${path}`,
  };
}

export interface ImapIntakeOptions {
  mailbox: ImapMailboxConfig;
  mail: MailService;
  clock?: () => number;
  /** Polling interval (also the fallback when IDLE is missing). */
  pollMs?: number;
  /** Messages fetched and stored per transaction. */
  batchSize?: number;
  /** Called after new messages were committed (e.g. to poke the job scheduler). */
  onStored?: (ids: string[]) => void;
  /**
   * Several app processes on one database: only the holder of this mailbox's lease
   * (src/db/lease.ts) fetches; the others ask again every `standbyMs` (default 10 s),
   * so one takes over within that when the holder dies. Unset: always fetch.
   */
  lease?: { held(): Promise<boolean>; close(): Promise<void> };
  standbyMs?: number;
  log?: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

export class ImapIntake {
  readonly #o: ImapIntakeOptions;
  readonly #clock: () => number;
  #client: ImapFlow | null = null;
  #running: Promise<number> | null = null;
  #again = false;
  #stopped = true;
  #timer: NodeJS.Timeout | null = null;
  #failures = 0;

  constructor(o: ImapIntakeOptions) {
    this.#o = o;
    this.#clock = o.clock ?? Date.now;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#schedule(0);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running?.catch(() => undefined);
    const c = this.#client;
    this.#client = null;
    if (c) await c.logout().catch(() => c.close());
    await this.#o.lease?.close();
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.round().catch(() => undefined), ms);
    this.#timer.unref();
  }

  async #connect(): Promise<ImapFlow> {
    if (this.#client?.usable) return this.#client;
    const m = this.#o.mailbox;
    // Loaded when a mailbox is first polled: a process without IMAP intake never pays for it.
    const { ImapFlow: Client } = await import('imapflow');
    const client = new Client({ host: m.host, port: m.port, secure: m.secure, auth: { user: m.user, pass: m.pass }, logger: false });
    client.on('error', (err: unknown) => this.#o.log?.warn({ mailbox: m.key, err }, 'IMAP connection error'));
    // New mail announced while idling: fetch it now.
    client.on('exists', () => { if (!this.#stopped) void this.round().catch(() => undefined); });
    client.on('close', () => { if (this.#client === client) this.#client = null; });
    await client.connect();
    await client.mailboxOpen(m.path);
    this.#client = client;
    return client;
  }

  /** One fetch → store → flag round (no overlap: a call during a round runs one more after it). Returns messages stored. */
  async round(): Promise<number> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      let total = 0;
      do {
        this.#again = false;
        total += await this.#roundOnce();
      } while (this.#again && !this.#stopped);
      return total;
    })();
    try {
      return await this.#running;
    } finally {
      this.#running = null;
    }
  }

  async #roundOnce(): Promise<number> {
    const m = this.#o.mailbox;
    let stored = 0;
    if (this.#o.lease && !(await this.#o.lease.held())) {
      // Another process polls this mailbox: stay off it (and its IDLE) until the lease is ours.
      const c = this.#client;
      this.#client = null;
      if (c) await c.logout().catch(() => c.close());
      this.#schedule(Math.min(this.#o.pollMs ?? 60_000, this.#o.standbyMs ?? 10_000));
      return 0;
    }
    try {
      const client = await this.#connect();
      const uidValidity = Number(client.mailbox ? client.mailbox.uidValidity : 0);
      const uids = ((await client.search({ unKeyword: STORED_KEYWORD }, { uid: true })) || []).sort((a, b) => a - b);
      const batch = this.#o.batchSize ?? 200;
      for (let k = 0; k < uids.length; k += batch) {
        const chunk = uids.slice(k, k + batch);
        const items = [];
        for await (const msg of client.fetch(chunk.join(','), { uid: true, source: true, internalDate: true }, { uid: true })) {
          if (!msg.source) continue;
          const arrival = msg.internalDate ? new Date(msg.internalDate).getTime() : this.#clock();
          items.push({
            source: 'imap' as const, mailbox: m.key, uidValidity, uid: msg.uid, raw: msg.source,
            receivedAt: Number.isFinite(arrival) ? arrival : this.#clock(), contractId: m.contractId,
            envelopeTo: [m.user.includes('@') ? m.user : ''].filter(Boolean),
          });
        }
        // 1. commit …
        const ids = await this.#o.mail.store(items);
        stored += ids.length;
        if (process.env.HOSHU_MAIL_CRASH_POINT === 'after-store') process.kill(process.pid, 'SIGKILL'); // crash test only
        // 2. … then flag or move.
        const done = items.map((i) => i.uid).join(',');
        if (m.moveTo) await client.messageMove(done, m.moveTo, { uid: true });
        else await client.messageFlagsAdd(done, [STORED_KEYWORD], { uid: true });
        if (ids.length) this.#o.onStored?.(ids);
      }
      this.#failures = 0;
      await this.#o.mail.recordIntake(m.key, null);
      this.#schedule(this.#o.pollMs ?? 60_000);
    } catch (err) {
      this.#failures += 1;
      this.#o.log?.warn({ mailbox: m.key, err }, 'IMAP intake round failed');
      const c = this.#client;
      this.#client = null;
      c?.close();
      const { alertRaised } = await this.#o.mail.recordIntake(m.key, err).catch(() => ({ alertRaised: false }));
      if (alertRaised) this.#o.log?.error({ mailbox: m.key, err }, 'IMAP intake keeps failing: alert raised');
      this.#schedule(Math.min(60_000, 1000 * 2 ** Math.min(this.#failures, 6)));
    }
    return stored;
  }
}
