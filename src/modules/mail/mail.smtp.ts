/**
 * The SMTP listener built into the desk (smtp-server), off unless
 * HOSHU_SMTP_LISTEN_PORT is set. A message is answered "250 OK" only after its
 * raw bytes are committed; a database failure answers 451 so the sending MTA
 * retries — nothing accepted is ever lost. Put it behind your MX (it offers
 * neither TLS nor AUTH) or on loopback for a local MTA to relay to.
 */
import type { AddressInfo } from 'node:net';
import type { MailService } from './mail.service.ts';

export interface SmtpListener {
  port: number;
  close(): Promise<void>;
}

export async function startSmtpListener(o: {
  mail: MailService;
  port: number;
  host?: string;
  maxBytes?: number;
  clock?: () => number;
  onStored?: (ids: string[]) => void;
  log?: { warn(obj: object, msg: string): void };
}): Promise<SmtpListener> {
  const clock = o.clock ?? Date.now;
  const maxBytes = o.maxBytes ?? 25 * 1024 * 1024;
  // Loaded only when the listener is switched on (it is off by default).
  const { SMTPServer } = await import('smtp-server');
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    size: maxBytes,
    logger: false,
    banner: 'Hoshu desk',
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      const receivedAt = clock();
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', (err) => callback(err));
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          callback(Object.assign(new Error(`message exceeds ${maxBytes} bytes`), { responseCode: 552 }));
          return;
        }
        const mailFrom = session.envelope.mailFrom;
        o.mail
          .store([{
            source: 'smtp',
            mailbox: 'smtp',
            raw: Buffer.concat(chunks),
            receivedAt,
            envelopeFrom: mailFrom ? mailFrom.address : '',
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
          }])
          .then((ids) => {
            callback();
            o.onStored?.(ids);
          })
          .catch((err: unknown) => {
            o.log?.warn({ err }, 'SMTP intake could not store a message; asked the sender to retry');
            callback(Object.assign(new Error('temporary failure, try again later'), { responseCode: 451 }));
          });
      });
    },
  });
  server.on('error', (err) => o.log?.warn({ err }, 'SMTP listener error'));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(o.port, o.host ?? '127.0.0.1', () => resolve());
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
