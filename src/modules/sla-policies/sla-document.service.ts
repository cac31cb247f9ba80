/**
 * The SLA document of a contract (SPEC §2): the policy version the contract follows and
 * the contract's values, through the template of the language stored with that version
 * (or an earlier one, or the built-in one). Everyone who may read the contract may read
 * its document — a contact only their own client's, in the version their contract follows.
 * Admins edit a template; the edit is a new policy version (改訂), so documents already
 * handed out keep their wording and the revision history shows the change.
 */
import type { ServiceDeps } from '../../db/tx.ts';
import { unitOfWork } from '../../db/unit-of-work.ts';
import { AppError, notFound } from '../../errors.ts';
import { civilFromDayNumber, formatCivil } from '../../core/time/civil.ts';
import { localDayNumberOf } from '../../core/time/zone.ts';
import type { Locale } from '../../i18n/index.ts';
import { SLA_DOCUMENT_VARIABLES } from '../../contract/sla-document.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/authorize.ts';
import { getUser } from '../auth/auth.service.ts';
import type { CalendarService } from '../calendars/calendar.service.ts';
import type { ClientService } from '../clients/client.service.ts';
import type { ContactService } from '../contacts/contact.service.ts';
import type { ContractService } from '../contracts/contract.service.ts';
import type { MaintenanceService } from '../maintenance/maintenance.service.ts';
import type { SystemService } from '../systems/system.service.ts';
import type { PdfRenderer } from '../../render/pdf.ts';
import * as policyRepo from './sla-policy.repository.ts';
import { loadPolicyVersion, reviseIn } from './sla-policy.service.ts';
import * as repo from './sla-document.repository.ts';
import { assertValidTemplate, renderSlaDocumentPage } from './sla-document.render.ts';
import { DEFAULT_SLA_TEMPLATES } from './sla-document.templates.ts';
import { buildSlaDocumentView } from './sla-document.view.ts';

export interface SlaDocumentCollaborators {
  contracts: ContractService;
  clients: ClientService;
  contacts: ContactService;
  systems: SystemService;
  calendars: CalendarService;
  maintenance: Pick<MaintenanceService, 'getSettings'>;
  /** Prints the page (Chromium); without Chromium a PDF is render.pdf_unavailable and the HTML still works. */
  pdf: Pick<PdfRenderer, 'render'>;
}

export interface RenderedSlaDocument {
  contractId: string;
  policyId: string;
  policyVersion: number;
  lang: Locale;
  title: string;
  html: string;
  missing: string[];
  templateSource: 'custom' | 'default';
}

export interface TemplateOfLang { body: string; source: 'custom' | 'default'; fromVersion: number | null }

const LANGS: readonly Locale[] = ['ja', 'en'];

export function createSlaDocumentService(deps: ServiceDeps, c: SlaDocumentCollaborators) {
  const { db, clock } = deps;
  const uow = deps.uow ?? unitOfWork(db, clock);

  async function template(policyId: string, version: number, lang: Locale): Promise<TemplateOfLang> {
    const row = await repo.findTemplate(db, policyId, version, lang);
    return row ? { body: row.body, source: 'custom', fromVersion: row.version } : { body: DEFAULT_SLA_TEMPLATES[lang], source: 'default', fromVersion: null };
  }

  /** The templates that apply to a version of a policy (default: its current one). */
  async function templates(actor: Actor, policyId: string, version?: number) {
    authorize(actor, 'sla_policy.read_templates');
    const policy = await policyRepo.findPolicy(db, policyId);
    if (!policy) throw notFound('sla_policy');
    const v = version ?? policy.currentVersion;
    if (!(await policyRepo.findPolicyVersion(db, policyId, v))) throw notFound('sla_policy');
    const [ja, en] = await Promise.all(LANGS.map((l) => template(policyId, v, l)));
    return { policyId, version: v, templates: { ja: ja!, en: en! }, variables: [...SLA_DOCUMENT_VARIABLES] };
  }

  /** The document as an HTML page; `extraHead` is for the PDF printer. */
  async function render(actor: Actor, contractId: string, lang: Locale, o: { extraHead?: string } = {}): Promise<RenderedSlaDocument & { contractName: string; documentTitle: string }> {
    authorize(actor, 'contract.sla_document');
    // Scoped: another client's contract is contract.not_found, like a missing id.
    const contract = await c.contracts.get(actor, contractId);
    const [client, systems, contacts, calendar, settings, policy, version, revisions] = await Promise.all([
      c.clients.get(actor, contract.clientId),
      c.systems.list(actor, { clientId: contract.clientId }),
      c.contacts.list(actor, { clientId: contract.clientId }),
      c.calendars.get(actor, contract.calendarId),
      c.maintenance.getSettings(actor, contract.id),
      policyRepo.findPolicy(db, contract.slaPolicyId),
      loadPolicyVersion(db, contract.slaPolicyId, contract.slaPolicyVersion),
      policyRepo.listPolicyVersions(db, contract.slaPolicyId),
    ]);
    if (!policy) throw notFound('sla_policy');
    // The engineers in charge are named in the document the client receives; a user since removed is left out.
    const engineers = (await Promise.all(contract.engineerIds.map((id) => getUser(db, id).then((u) => u.name, () => null))))
      .filter((n): n is string => n !== null);
    const contactName = (id: string | null) => contacts.find((x) => x.id === id)?.name ?? null;
    const today = formatCivil(civilFromDayNumber(localDayNumberOf(calendar.document.timeZone, clock())));
    const { view, missing } = buildSlaDocumentView({
      lang,
      today,
      client: { name: client.name },
      contract,
      systems: contract.systemIds.map((id) => systems.find((s) => s.id === id)?.name).filter((n): n is string => Boolean(n)),
      primaryContact: contactName(contract.primaryContactId),
      deputies: contract.deputyContactIds.map(contactName).filter((n): n is string => n !== null),
      engineers,
      policy: {
        name: policy.name,
        establishedOn: policy.establishedOn,
        version: version.version,
        document: version.document,
        // The history of the document this contract follows: its version and those before it.
        revisions: revisions.filter((r) => r.version <= version.version).map((r) => ({ version: r.version, revisedOn: r.revisedOn })),
      },
      calendar: calendar.document,
      noticeBusinessDays: settings.noticeBusinessDays,
    });
    const tpl = await template(policy.id, version.version, lang);
    return {
      contractId: contract.id,
      policyId: policy.id,
      policyVersion: version.version,
      lang,
      title: `${view.title} — ${contract.name}`,
      html: renderSlaDocumentPage(tpl.body, view, lang, o.extraHead),
      missing,
      templateSource: tpl.source,
      contractName: contract.name,
      documentTitle: view.title,
    };
  }

  return {
    async render(actor: Actor, contractId: string, lang: Locale): Promise<RenderedSlaDocument> {
      const { contractName: _c, documentTitle: _t, ...doc } = await render(actor, contractId, lang);
      return doc;
    },

    /** The document printed to PDF (A4, the contract's name in the header, page numbers in the footer). */
    async pdf(actor: Actor, contractId: string, lang: Locale): Promise<{ bytes: Buffer; filename: string }> {
      const doc = await render(actor, contractId, lang);
      const bytes = await c.pdf.render(doc.html, { lang, headerLeft: doc.contractName, headerRight: doc.documentTitle });
      return { bytes, filename: `${doc.documentTitle} - ${doc.contractName} (v${doc.policyVersion}).pdf` };
    },

    templates,

    /**
     * Stores a new template for one language as a new version of the policy (same targets,
     * the other language's template carried over), and answers with that version's templates.
     */
    async editTemplate(
      actor: Actor, policyId: string, lang: Locale,
      input: { body: string; revisedOn: string; note?: string; applyToContracts?: boolean },
    ) {
      authorize(actor, 'sla_policy.edit_template');
      assertValidTemplate(input.body);
      const version = await uow.command(actor, async (w) => {
        const policy = await policyRepo.findPolicy(w.tx, policyId);
        if (!policy) throw notFound('sla_policy');
        const current = await loadPolicyVersion(w.tx, policyId, policy.currentVersion);
        const before = await repo.findTemplate(w.tx, policyId, policy.currentVersion, lang);
        if (before?.body === input.body) {
          throw new AppError('sla_document.invalid_template', 'template unchanged', [
            { path: ['body'], code: 'custom', message: 'the template is the same as the current one', params: { rule: 'template_unchanged' } },
          ]);
        }
        const v = await reviseIn(w, policyId, {
          document: current.document,
          revisedOn: input.revisedOn,
          note: input.note ?? '',
          ...(input.applyToContracts !== undefined ? { applyToContracts: input.applyToContracts } : {}),
        });
        await repo.insertTemplate(w.tx, { policyId, version: v, lang, body: input.body, createdBy: w.actor.userId, createdAt: w.now });
        w.audit({
          entity: 'sla_policy', entityId: policyId, action: 'edit_template',
          before: { version: policy.currentVersion, lang, body: before?.body ?? null }, after: { version: v, lang, body: input.body },
        });
        return v;
      });
      return templates(actor, policyId, version);
    },
  };
}
export type SlaDocumentService = ReturnType<typeof createSlaDocumentService>;
