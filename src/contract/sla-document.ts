/**
 * The SLA document (SPEC §2 "SLA document"): a contract's SLA rendered from the policy
 * version it follows and the contract's values, in the structure of the vendor's page
 * (purpose, scope, out of scope, service hours and backup window, targets per priority,
 * inquiry rules, security, mutual cooperation, revision history), ja and en, HTML and PDF.
 *
 * The words come from a Mustache template per language, stored with the policy version
 * (admins edit it; an edit is a new version). The template sees the view below and only
 * it: `SLA_DOCUMENT_VARIABLES` lists every name, so a template that names anything else
 * is refused when it is saved, and the editor shows the list.
 */
import { z } from 'zod';
import { Id, IsoDate, Locale, Text } from './common.ts';

export const SlaDocumentQuery = z.object({
  lang: Locale.optional().describe('the document\'s language; default: the request\'s (Accept-Language), else ja'),
});

export const SlaDocument = z
  .object({
    contractId: Id,
    policyId: Id,
    policyVersion: z.number().int().describe('the version the contract follows'),
    lang: Locale,
    title: z.string(),
    html: z.string().describe('the whole document as an HTML page (lang attribute, print styles)'),
    missing: z.array(z.string()).describe('contract values the document needed and the contract lacks (shown as "not set"), e.g. contractedUsers'),
    templateSource: z.enum(['custom', 'default']).describe('custom = a template stored with this policy version or an earlier one; default = the built-in template'),
  })
  .meta({ id: 'SlaDocument' });

const TemplateOfLang = z.object({
  body: z.string().describe('the Mustache template of the document body (HTML)'),
  source: z.enum(['custom', 'default']),
  fromVersion: z.number().int().nullable().describe('the policy version the custom template was written for (it applies to later versions until edited)'),
});

export const SlaDocumentTemplates = z
  .object({
    policyId: Id,
    version: z.number().int(),
    templates: z.object({ ja: TemplateOfLang, en: TemplateOfLang }),
    variables: z.array(z.string()).describe('every name a template may use ({{contract.users}}, {{#targets}}…{{/targets}}, …)'),
  })
  .meta({ id: 'SlaDocumentTemplates' });

export const SlaTemplateParams = z.object({ id: Id, lang: Locale });
export const SlaTemplateVersionQuery = z.object({ version: z.coerce.number().int().min(1).optional().describe('default: the current version') });

export const EditSlaTemplateBody = z.strictObject({
  body: Text.min(1).max(200_000).describe('the Mustache template of the document body (HTML)'),
  revisedOn: IsoDate.describe('改訂日 of the new policy version'),
  note: Text.max(2000).optional(),
  applyToContracts: z.boolean().optional().describe('move contracts on the previous version to the new one (default true)'),
});

/**
 * Every name the view offers a template, as it is written in the template. Inside a
 * list section (`{{#targets}}…{{/targets}}`) the item's names are written bare
 * (`{{priority}}`); they are listed here as `targets.priority`.
 */
export const SLA_DOCUMENT_VARIABLES = [
  'title', 'lang', 'generatedFor',
  'client.name',
  'contract.name', 'contract.period', 'contract.startsOn', 'contract.endsOn', 'contract.users', 'contract.systems',
  'contract.backupWindow', 'contract.inScopeNotes', 'contract.outOfScopeNotes', 'contract.notes',
  'contract.hasInScopeNotes', 'contract.hasOutOfScopeNotes', 'contract.hasNotes',
  'policy.name', 'policy.version', 'policy.establishedOn', 'policy.revisedOn', 'policy.atRiskPercent', 'policy.pauseWhileWaiting',
  'maintenance.noticeBusinessDays',
  'targets', 'targets.priority', 'targets.start', 'targets.resolve', 'targets.propose', 'targets.summary',
  'targets.hasStart', 'targets.hasResolve', 'targets.hasPropose',
  'inquiry.email', 'inquiry.phone', 'inquiry.channels', 'inquiry.primaryContact', 'inquiry.deputies', 'inquiry.hasDeputies',
  'inquiry.engineers', 'inquiry.businessHours', 'inquiry.holidays', 'inquiry.timeZone',
  'inquiry.extensions', 'inquiry.extensions.period', 'inquiry.extensions.hours', 'inquiry.hasExtensions',
  'revisions', 'revisions.label', 'revisions.date', 'revisions.version',
] as const;
