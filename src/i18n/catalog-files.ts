/**
 * The message files, merged key by key in this order. A module with many messages
 * keeps them in its own pair (`<module>.ja.json` / `<module>.en.json`, nested under
 * the same top-level keys as ja.json: `errors.<module>.…`, `mail.<module>.…`) and adds
 * one import line per language and one pair line here, so modules built side by side
 * do not edit one line.
 */
import ja from './ja.json' with { type: 'json' };
import en from './en.json' with { type: 'json' };
import changeJa from './change-request.ja.json' with { type: 'json' };
import changeEn from './change-request.en.json' with { type: 'json' };
import risksJa from './risks.ja.json' with { type: 'json' };
import risksEn from './risks.en.json' with { type: 'json' };
import securityIncidentsJa from './security-incidents.ja.json' with { type: 'json' };
import securityIncidentsEn from './security-incidents.en.json' with { type: 'json' };
import slaDocumentJa from './sla-document.ja.json' with { type: 'json' };
import slaDocumentEn from './sla-document.en.json' with { type: 'json' };
import dashboardJa from './dashboard.ja.json' with { type: 'json' };
import dashboardEn from './dashboard.en.json' with { type: 'json' };
import reportJa from './report.ja.json' with { type: 'json' };
import reportEn from './report.en.json' with { type: 'json' };
import webhooksJa from './webhooks.ja.json' with { type: 'json' };
import webhooksEn from './webhooks.en.json' with { type: 'json' };
import runJa from './run.ja.json' with { type: 'json' };
import runEn from './run.en.json' with { type: 'json' };
import attachmentsJa from './attachments.ja.json' with { type: 'json' };
import attachmentsEn from './attachments.en.json' with { type: 'json' };
import accountsJa from './accounts.ja.json' with { type: 'json' };
import accountsEn from './accounts.en.json' with { type: 'json' };
import queueJa from './queue.ja.json' with { type: 'json' };
import queueEn from './queue.en.json' with { type: 'json' };

const PAIRS: readonly (readonly [ja: object, en: object])[] = [
  [ja, en],
  [changeJa, changeEn],
  [risksJa, risksEn],
  [securityIncidentsJa, securityIncidentsEn],
  [slaDocumentJa, slaDocumentEn],
  [dashboardJa, dashboardEn],
  [reportJa, reportEn],
  [webhooksJa, webhooksEn],
  [runJa, runEn],
  [attachmentsJa, attachmentsEn],
  [accountsJa, accountsEn],
  [queueJa, queueEn],
];

export const CATALOG_FILES: { ja: readonly object[]; en: readonly object[] } = {
  ja: PAIRS.map((p) => p[0]),
  en: PAIRS.map((p) => p[1]),
};
