/**
 * The message files, merged key by key in this order. A module with many messages
 * keeps them in its own pair (`<module>.ja.json` / `<module>.en.json`, nested under
 * the same top-level keys as ja.json: `errors.<module>.…`, `mail.<module>.…`) and adds
 * one line per language here, so modules built side by side do not edit one file.
 */
import ja from './ja.json' with { type: 'json' };
import en from './en.json' with { type: 'json' };
import webhooksJa from './webhooks.ja.json' with { type: 'json' };
import webhooksEn from './webhooks.en.json' with { type: 'json' };

export const CATALOG_FILES: { ja: readonly object[]; en: readonly object[] } = {
  ja: [
    ja,
    webhooksJa,
  ],
  en: [
    en,
    webhooksEn,
  ],
};
