/**
 * The domain services, built once per process in dependency order with their
 * collaborators handed in (no service builds another). src/main.ts calls this once
 * and passes the result to buildApp, the job handlers and the mail intake; tests
 * call it the same way (or let buildApp do it from {db, clock}).
 */
import type { ServiceDeps } from '../db/tx.ts';
import { unitOfWork } from '../db/unit-of-work.ts';
import { createAuditService } from '../modules/audit/audit.service.ts';
import { createCalendarService } from '../modules/calendars/calendar.service.ts';
import { createClientService } from '../modules/clients/client.service.ts';
import { createContactService } from '../modules/contacts/contact.service.ts';
import { createContractService } from '../modules/contracts/contract.service.ts';
import { createIncidentService } from '../modules/incidents/incident.service.ts';
import { createMailService, type MailOptions } from '../modules/mail/mail.service.ts';
import { createMaintenanceService } from '../modules/maintenance/maintenance.service.ts';
import { createMonitoringService } from '../modules/monitoring/monitoring.service.ts';
import { createSlaPolicyService } from '../modules/sla-policies/sla-policy.service.ts';
import { createSystemService } from '../modules/systems/system.service.ts';
import { createReportService } from '../modules/reports/report.service.ts';
import { createPdfRenderer, type PdfRenderer } from '../render/pdf.ts';

export interface ServiceOptions {
  /** The e-mail channel's sender and loop guard (intake, replies through the API). */
  mail?: MailOptions;
  /** Prints reports and SLA documents to PDF (default: Debian's Chromium, launched on first use). */
  pdf?: PdfRenderer;
}

export function createServices(base: ServiceDeps, o: ServiceOptions = {}) {
  // One unit of work for every service: one write queue, one audit path.
  const deps: ServiceDeps = { ...base, uow: base.uow ?? unitOfWork(base.db, base.clock) };
  const incidents = createIncidentService(deps);
  const monitoring = createMonitoringService(deps, { incidents });
  const pdf = o.pdf ?? createPdfRenderer();
  return {
    audit: createAuditService(deps),
    calendars: createCalendarService(deps, { incidents }),
    clients: createClientService(deps),
    contacts: createContactService(deps),
    contracts: createContractService(deps),
    incidents,
    maintenance: createMaintenanceService(deps),
    monitoring,
    mail: createMailService({ ...deps, ...(o.mail ? { options: o.mail } : {}) }, { incidents }),
    slaPolicies: createSlaPolicyService(deps),
    systems: createSystemService(deps),
    reports: createReportService(deps, { monitoring, pdf }),
    pdf,
  };
}
export type Services = ReturnType<typeof createServices>;
