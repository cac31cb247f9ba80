/** Risks of the month: filled when the risks module lands (its `collect` goes here). */
import { pendingModuleSection } from './section.ts';

export const risksSection = pendingModuleSection('risks');
