/**
 * A real Dovecot IMAP server for tests (Debian's dovecot-imapd, installed by
 * .ci/run): configured in a temp directory, listening on a free loopback port,
 * one mailbox user. Mail is delivered with dovecot-lda, as an MTA would.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const DOVECOT_BIN = '/usr/sbin/dovecot';
const LDA = '/usr/lib/dovecot/dovecot-lda';

export const dovecotAvailable = fs.existsSync(DOVECOT_BIN) && fs.existsSync(LDA);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface Dovecot {
  port: number;
  user: string;
  password: string;
  dir: string;
  /** imap://user:pass@127.0.0.1:port/INBOX plus an optional query. */
  url(query?: string): string;
  /** Delivers one message into the user's INBOX (dovecot-lda). */
  deliver(raw: Buffer | string, from?: string): void;
  stop(): Promise<void>;
}

async function waitForPort(port: number, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = net.connect(port, '127.0.0.1', () => { c.end(); resolve(true); });
      c.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`dovecot did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startDovecot(user = 'desk@example.com', password = 'secret'): Promise<Dovecot> {
  if (!dovecotAvailable) throw new Error('dovecot-imapd is not installed (apt-get install -y dovecot-imapd)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hoshu-dovecot-'));
  fs.chmodSync(dir, 0o755);
  const port = await freePort();
  for (const d of ['run', 'mail']) fs.mkdirSync(path.join(dir, d));
  fs.writeFileSync(path.join(dir, 'users'), `${user}:{PLAIN}${password}::::::\n`);
  const conf = path.join(dir, 'dovecot.conf');
  fs.writeFileSync(conf, `protocols = imap
listen = 127.0.0.1
base_dir = ${dir}/run
log_path = ${dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
mail_location = maildir:~/Maildir
passdb {
  driver = passwd-file
  args = scheme=PLAIN ${dir}/users
}
userdb {
  driver = passwd-file
  args = ${dir}/users
  default_fields = uid=nobody gid=nogroup home=${dir}/mail/%u
}
service imap-login {
  inet_listener imap {
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
`);
  execFileSync('chown', ['-R', 'nobody:nogroup', path.join(dir, 'mail')]);
  // Dovecot daemonizes; inherited pipes would keep execFileSync waiting for ever.
  execFileSync(DOVECOT_BIN, ['-c', conf], { stdio: 'ignore' });
  await waitForPort(port);
  return {
    port,
    user,
    password,
    dir,
    url: (query = '') => `imap://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/INBOX${query}`,
    deliver(raw, from = 'sender@example.net') {
      const r = spawnSync(LDA, ['-c', conf, '-d', user, '-f', from], { input: raw });
      if (r.status !== 0) throw new Error(`dovecot-lda failed (${r.status}): ${r.stderr.toString()}`);
    },
    async stop() {
      const pidFile = path.join(dir, 'run', 'master.pid');
      if (fs.existsSync(pidFile)) {
        const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
        try { process.kill(pid, 'SIGTERM'); } catch { /* already gone */ }
        for (let i = 0; i < 100 && fs.existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 50));
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
