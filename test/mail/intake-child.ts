/**
 * The intake as a separate process for the crash test: one IMAP round against
 * IMAP_URL into the SQLite file HOSHU_TEST_DB_FILE. With
 * HOSHU_MAIL_CRASH_POINT=after-store it kills itself (SIGKILL) right after the
 * commit and before flagging the mailbox.
 */
import { createDb } from '../../src/db/database.ts';
import { ImapIntake, parseImapUrl } from '../../src/modules/mail/mail.imap.ts';
import { createServices } from '../../src/http/services.ts';

const database = createDb({ dialect: 'sqlite', file: process.env.HOSHU_TEST_DB_FILE! });
const mail = createServices({ db: database.db, clock: Date.now }).mail;
const intake = new ImapIntake({ mailbox: parseImapUrl(process.env.IMAP_URL!), mail });
const stored = await intake.round();
await intake.stop();
await database.close();
process.stdout.write(JSON.stringify({ stored }));
