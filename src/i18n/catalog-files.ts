/**
 * The message files, merged key by key in this order. A module with many messages
 * keeps them in its own pair (`<module>.ja.json` / `<module>.en.json`, nested under
 * the same top-level keys as ja.json: `errors.<module>.…`, `mail.<module>.…`) and adds
 * one line per language here, so modules built side by side do not edit one file.
 */
import ja from './ja.json' with { type: 'json' };
import en from './en.json' with { type: 'json' };
import slaDocumentJa from './sla-document.ja.json' with { type: 'json' };
import slaDocumentEn from './sla-document.en.json' with { type: 'json' };
import dashboardJa from './dashboard.ja.json' with { type: 'json' };
import dashboardEn from './dashboard.en.json' with { type: 'json' };
import reportJa from './report.ja.json' with { type: 'json' };
import reportEn from './report.en.json' with { type: 'json' };

export const CATALOG_FILES: { ja: readonly object[]; en: readonly object[] } = {
  ja: [
    ja,
    slaDocumentJa,
    dashboardJa,
    reportJa,
  ],
  en: [
    en,
    slaDocumentEn,
    dashboardEn,
    reportEn,
  ],
};
