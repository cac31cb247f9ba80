/**
 * The report's sections, in print order. Adding a section = one file in this folder
 * (a `ReportSection`) and its line here; its HTML, CSV tables, frozen data and
 * "changed since issue" figures then follow in every format.
 */
import { appendixSection } from './appendix.ts';
import { attainmentSection } from './attainment.ts';
import { availabilitySection } from './availability.ts';
import { breachesSection } from './breaches.ts';
import { changeRequestsSection } from './change-requests.ts';
import { incidentsSection } from './incidents.ts';
import { lagSection } from './lag.ts';
import { maintenanceSection } from './maintenance.ts';
import { risksSection } from './risks.ts';
import { securityIncidentsSection } from './security-incidents.ts';
import type { ReportSection } from './section.ts';
import { summarySection } from './summary.ts';

export const REPORT_SECTIONS: readonly ReportSection[] = [
  summarySection,
  incidentsSection,
  attainmentSection,
  breachesSection,
  lagSection,
  availabilitySection,
  maintenanceSection,
  changeRequestsSection,
  risksSection,
  securityIncidentsSection,
  appendixSection,
];
