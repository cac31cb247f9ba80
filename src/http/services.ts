/**
 * The domain services the routes call. src/main.ts may build them and pass them to
 * buildApp (one set per process, shared with the scheduler); tests let buildApp make
 * them from {db, clock}.
 */
import type { ServiceDeps } from '../db/tx.ts';
import { createAuditService } from '../modules/audit/audit.service.ts';
import { createCalendarService } from '../modules/calendars/calendar.service.ts';
import { createClientService } from '../modules/clients/client.service.ts';
import { createContactService } from '../modules/contacts/contact.service.ts';
import { createContractService } from '../modules/contracts/contract.service.ts';
import { createIncidentService } from '../modules/incidents/incident.service.ts';
import { createMaintenanceService } from '../modules/maintenance/maintenance.service.ts';
import { createMonitoringService } from '../modules/monitoring/monitoring.service.ts';
import { createSlaPolicyService } from '../modules/sla-policies/sla-policy.service.ts';
import { createSystemService } from '../modules/systems/system.service.ts';

export function createServices(deps: ServiceDeps) {
  return {
    audit: createAuditService(deps),
    calendars: createCalendarService(deps),
    clients: createClientService(deps),
    contacts: createContactService(deps),
    contracts: createContractService(deps),
    incidents: createIncidentService(deps),
    maintenance: createMaintenanceService(deps),
    monitoring: createMonitoringService(deps),
    slaPolicies: createSlaPolicyService(deps),
    systems: createSystemService(deps),
  };
}
export type Services = ReturnType<typeof createServices>;
