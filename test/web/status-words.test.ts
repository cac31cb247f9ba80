/**
 * A state has one name wherever a client or an agent reads it: the console and portal (web/i18n)
 * say what the server's mails, reports and CSV say (src/i18n). The dashboard called announced
 * maintenance 連絡済 and the maintenance page 告知済, while the notices and the report said 告知済み.
 */
import { describe, expect, it } from 'vitest';
import serverJa from '../../src/i18n/ja.json' with { type: 'json' };
import serverEn from '../../src/i18n/en.json' with { type: 'json' };
import { capitalised } from '../../src/i18n/index.ts';
import { ja as webJa } from '../../web/i18n/ja.ts';
import { en as webEn } from '../../web/i18n/en.ts';
import { ja as dashJa, en as dashEn } from '../../web/i18n/dashboard.ts';

describe('status words: the web says what the server says', () => {
  for (const [lang, server, web, dash] of [['ja', serverJa, webJa, dashJa], ['en', serverEn, webEn, dashEn]] as const) {
    it(`incident statuses (${lang})`, () => {
      for (const [status, word] of Object.entries(web.status)) expect(word, status).toBe(capitalised(lang, (server.status as Record<string, string>)[status]!));
    });
    it(`maintenance statuses, on the maintenance page and the dashboard (${lang})`, () => {
      const serverWord = (s: string) => capitalised(lang, (server.maintenanceStatus as Record<string, string>)[s]!);
      for (const [status, word] of Object.entries(web.maintenance.statuses)) expect(word, status).toBe(serverWord(status));
      expect(dash.dashboard.announced).toBe(serverWord('announced'));
      expect(dash.dashboard.draft).toBe(serverWord('draft'));
    });
  }
});
