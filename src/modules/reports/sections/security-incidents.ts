/** Security incidents of the month: filled when the security-incidents module lands (its `collect` goes here). */
import { pendingModuleSection } from './section.ts';

export const securityIncidentsSection = pendingModuleSection('securityIncidents');
