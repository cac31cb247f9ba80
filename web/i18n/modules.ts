/**
 * UI strings of modules kept in their own files (`web/i18n/<module>.ts`, exporting
 * `{ ja, en }` with the same keys — one top-level key per module, e.g. `reports`),
 * merged under `translation` beside ja.ts / en.ts. One line per module here, so
 * modules built side by side do not edit one file.
 */
import { changeRequestMessages } from './change-requests.ts';
import { risks } from './risks.ts';
import { security } from './security.ts';
import * as dashboard from './dashboard.ts';
import * as slaDocument from './sla-document.ts';
import webhooks from './webhooks.ts';
import { adminScreens } from './adminScreens.ts';
import { reportsMessages } from './reports.ts';
import { attachmentMessages } from './attachments.ts';
import { accounts } from './accounts.ts';
import { queueMessages } from './queue.ts';

type Strings = { [k: string]: string | Strings };
export interface ModuleMessages<T extends Strings = Strings> { ja: T; en: T }

const MODULES: readonly ModuleMessages[] = [
  changeRequestMessages,
  risks,
  security,
  dashboard,
  slaDocument,
  webhooks,
  adminScreens,
  reportsMessages,
  attachmentMessages,
  accounts,
  queueMessages,
];

export function moduleMessages(lang: 'ja' | 'en'): Strings {
  return Object.assign({}, ...MODULES.map((m) => m[lang])) as Strings;
}
