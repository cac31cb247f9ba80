/** Change requests of the month: filled when the change-requests module lands (its `collect` goes here). */
import { pendingModuleSection } from './section.ts';

export const changeRequestsSection = pendingModuleSection('changeRequests');
