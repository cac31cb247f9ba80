/**
 * The domain services, built once per process in dependency order with their
 * collaborators handed in (no service builds another). src/main.ts calls this once
 * and passes the result to buildApp, the job handlers and the mail intake; tests
 * call it the same way (or let buildApp do it from {db, clock}).
 */
import os from 'node:os';
import path from 'node:path';
import { clientOf } from '../modules/links/link-target.ts';
import type { ServiceDeps } from '../db/tx.ts';
import { tableVersionsOf } from '../db/table-versions.ts';
import { setAuditSink, unitOfWork } from '../db/unit-of-work.ts';
import { createAuditService } from '../modules/audit/audit.service.ts';
import { createCalendarService } from '../modules/calendars/calendar.service.ts';
import { createChangeRequestService } from '../modules/change-requests/change-request.service.ts';
import { createClientService } from '../modules/clients/client.service.ts';
import { createContactService } from '../modules/contacts/contact.service.ts';
import { createContractService } from '../modules/contracts/contract.service.ts';
import { createDashboardService } from '../modules/dashboard/dashboard.service.ts';
import { createIncidentService, type IncidentServiceOptions } from '../modules/incidents/incident.service.ts';
import { createMailService, type MailOptions } from '../modules/mail/mail.service.ts';
import { createMaintenanceService } from '../modules/maintenance/maintenance.service.ts';
import { createMonitoringService } from '../modules/monitoring/monitoring.service.ts';
import { createRiskService } from '../modules/risks/risk.service.ts';
import { fileStore } from '../db/file-store.ts';
import { createAttachmentService } from '../modules/attachments/attachment.service.ts';
import { createSecurityIncidentService } from '../modules/security-incidents/security-incident.service.ts';
import { createSlaDocumentService } from '../modules/sla-policies/sla-document.service.ts';
import { createSlaPolicyService } from '../modules/sla-policies/sla-policy.service.ts';
import { createSystemService } from '../modules/systems/system.service.ts';
import { createReportService } from '../modules/reports/report.service.ts';
import { changeRequestReportReader } from '../modules/change-requests/change-request.report.ts';
import { riskReportReader } from '../modules/risks/risk.report.ts';
import { securityIncidentReportReader } from '../modules/security-incidents/security-incident.report.ts';
import { createPdfRenderer, type PdfRenderer } from '../render/pdf.ts';
import { planEscalations } from '../modules/webhooks/webhook.escalation.ts';
import { createWebhookSink } from '../modules/webhooks/webhook.events.ts';
import { createWebhookService, type WebhookOptions } from '../modules/webhooks/webhook.service.ts';

export interface ServiceOptions {
  /** The e-mail channel's sender and loop guard (intake, replies through the API). */
  mail?: MailOptions;
  /** Where security-incident evidence files are kept (main: <HOSHU_DATA_DIR>/evidence; default: a directory under the OS temp dir, for tests). */
  evidenceDir?: string;
  /** Where incident attachments are kept (main: <HOSHU_DATA_DIR>/attachments; default: under the OS temp dir, for tests) and the largest accepted. */
  attachments?: { dir?: string; maxBytes?: number };
  /** The one HTML → PDF printer (one Chromium, launched on the first PDF); whoever builds the services closes it. */
  pdf?: PdfRenderer;
  /** The webhooks' secret key and the console's base URL for links in events. */
  webhooks?: WebhookOptions & { baseUrl?: string };
  incidents?: IncidentServiceOptions;
}

export function createServices(base: ServiceDeps, o: ServiceOptions = {}) {
  // One unit of work for every service: one write queue, one audit path.
  const deps: ServiceDeps = { ...base, uow: base.uow ?? unitOfWork(base.db, base.clock) };
  // Every unit of work over this database derives webhook events and escalation jobs from its audit entries.
  const webhookEvents = createWebhookSink({ baseUrl: o.webhooks?.baseUrl ?? 'http://localhost:8080', versions: tableVersionsOf(base.db) });
  setAuditSink(base.db, async (unit) => {
    await webhookEvents(unit);
    await planEscalations(unit);
  });
  const incidents = createIncidentService(deps, o.incidents);
  const calendars = createCalendarService(deps, { incidents });
  const clients = createClientService(deps);
  const contacts = createContactService(deps);
  const contracts = createContractService(deps);
  const maintenance = createMaintenanceService(deps);
  const systems = createSystemService(deps);
  const monitoring = createMonitoringService(deps, { incidents });
  const pdf = o.pdf ?? createPdfRenderer();
  const changeRequests = createChangeRequestService(deps, { incidents });
  // Risks and security incidents link to each other: each one's lookup of the other is read at call time.
  const risks = createRiskService(deps, {
    // A link names a record the actor may see, of the risk's client (checked in risk.rules.ts).
    linkTargets: {
      incident: (actor, id) => clientOf(incidents.get(actor, id)),
      change_request: (actor, id) => clientOf(changeRequests.get(actor, id)),
      security_incident: (actor, id) => clientOf(securityIncidents.get(actor, id).then((b) => b.row)),
    },
  });
  const securityIncidents = createSecurityIncidentService(deps, {
    evidence: fileStore(o.evidenceDir ?? path.join(os.tmpdir(), 'hoshu-evidence')),
    // A link names a record the actor may see, of the same client (checked in security-incident.rules.ts).
    linkTargets: {
      incident: (actor, id) => clientOf(incidents.get(actor, id)),
      risk: (actor, id) => clientOf(risks.get(actor, id)),
      change_request: (actor, id) => clientOf(changeRequests.get(actor, id)),
    },
  });
  return {
    pdf,
    attachments: createAttachmentService(deps, {
      incidents,
      store: fileStore(o.attachments?.dir ?? path.join(os.tmpdir(), 'hoshu-attachments')),
      ...(o.attachments?.maxBytes !== undefined ? { maxBytes: o.attachments.maxBytes } : {}),
    }),
    audit: createAuditService(deps),
    calendars,
    changeRequests,
    clients,
    contacts,
    contracts,
    incidents,
    maintenance,
    monitoring,
    dashboard: createDashboardService(deps, { incidents, contracts, calendars, systems, monitoring, maintenance }),
    mail: createMailService({ ...deps, ...(o.mail ? { options: o.mail } : {}) }, { incidents }),
    reports: createReportService(deps, {
      monitoring, pdf,
      // The report's extension sections read each module through its own reader (never its tables).
      sources: {
        changeRequests: changeRequestReportReader(deps.db, changeRequests.forReport),
        risks: riskReportReader(deps.db),
        securityIncidents: securityIncidentReportReader(deps.db),
      },
    }),
    risks,
    securityIncidents,
    slaPolicies: createSlaPolicyService(deps),
    slaDocuments: createSlaDocumentService(deps, { contracts, clients, contacts, systems, calendars, maintenance, pdf }),
    systems,
    webhooks: createWebhookService(deps, o.webhooks ?? {}),
  };
}
export type Services = ReturnType<typeof createServices>;
