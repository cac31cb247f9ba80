/** Registers the domain modules' routes under /api/v1. */
import { registerAuditRoutes } from '../modules/audit/audit.routes.ts';
import { registerCalendarRoutes } from '../modules/calendars/calendar.routes.ts';
import { registerChangeRequestRoutes } from '../modules/change-requests/change-request.routes.ts';
import { registerClientRoutes } from '../modules/clients/client.routes.ts';
import { registerContactRoutes } from '../modules/contacts/contact.routes.ts';
import { registerContractRoutes } from '../modules/contracts/contract.routes.ts';
import { registerDashboardRoutes } from '../modules/dashboard/dashboard.routes.ts';
import { registerIncidentRoutes } from '../modules/incidents/incident.routes.ts';
import { registerMaintenanceRoutes } from '../modules/maintenance/maintenance.routes.ts';
import { registerMonitoringRoutes } from '../modules/monitoring/monitoring.routes.ts';
import { registerRiskRoutes } from '../modules/risks/risk.routes.ts';
import { registerSecurityIncidentRoutes } from '../modules/security-incidents/security-incident.routes.ts';
import { registerSlaDocumentRoutes } from '../modules/sla-policies/sla-document.routes.ts';
import { registerMonitorRunRoutes } from '../modules/monitoring/monitoring.runs.routes.ts';
import { registerSlaPolicyRoutes } from '../modules/sla-policies/sla-policy.routes.ts';
import { registerSystemRoutes } from '../modules/systems/system.routes.ts';
import { registerWebhookRoutes } from '../modules/webhooks/webhook.routes.ts';
import { registerReportRoutes } from '../modules/reports/report.routes.ts';
import { registerAttachmentRoutes } from '../modules/attachments/attachment.routes.ts';
import type { Services } from './services.ts';
import type { Api } from './types.ts';

export function registerDomainRoutes(app: Api, s: Services, o: { checkResponses?: boolean } = {}): void {
  registerClientRoutes(app, s.clients);
  registerContactRoutes(app, s.contacts);
  registerSystemRoutes(app, s.systems);
  registerContractRoutes(app, s.contracts);
  registerCalendarRoutes(app, s.calendars);
  registerSlaPolicyRoutes(app, s.slaPolicies);
  registerSlaDocumentRoutes(app, s.slaDocuments);
  registerIncidentRoutes(app, s.incidents, o);
  registerMaintenanceRoutes(app, s.maintenance);
  registerMonitoringRoutes(app, s.monitoring);
  registerRiskRoutes(app, s.risks);
  registerSecurityIncidentRoutes(app, s.securityIncidents);
  registerMonitorRunRoutes(app, s.monitoring);
  registerAuditRoutes(app, s.audit);
  registerChangeRequestRoutes(app, s.changeRequests);
  registerDashboardRoutes(app, s.dashboard);
  registerWebhookRoutes(app, s.webhooks);
  registerReportRoutes(app, s.reports);
  registerAttachmentRoutes(app, s.attachments);
}
