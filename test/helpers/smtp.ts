/** A real SMTP server on loopback that keeps what it receives (no mocks). */
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  /** Decoded (MIME encoded-words resolved). */
  subject: string;
  /** Decoded plain-text body. */
  text: string;
}

export interface SmtpOptions {
  /**
   * Refuses RCPT TO for these addresses (lower-case) with the given reply, e.g.
   * `{ 'gone@x.example': '550 5.1.1 User unknown' }`: the code leads, the rest is the text.
   */
  refuse?: Record<string, string>;
  /** The reply to DATA for an accepted message (default "250 2.0.0 Ok: queued as TEST1"). */
  queuedAs?: string;
}

export async function startSmtp(o: SmtpOptions = {}): Promise<{ url: string; port: number; mails: ReceivedMail[]; close(): Promise<void> }> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const refusal = o.refuse?.[address.address.toLowerCase()];
      if (!refusal) return callback();
      const m = /^(\d{3})\s+(.*)$/.exec(refusal);
      callback(Object.assign(new Error(m ? m[2] : refusal), { responseCode: m ? Number(m[1]) : 550 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (parsed) => {
            mails.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
              raw: raw.toString('utf8'),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
            });
            // smtp-server answers "250 <message>" when the callback passes one.
            callback(null, (o.queuedAs ?? '2.0.0 Ok: queued as TEST1'));
          },
          (err: Error) => callback(err),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
