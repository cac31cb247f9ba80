/**
 * One section of the monthly report. The report is the list in ./index.ts: a section
 * renders its part of the HTML (shared by the console, the portal and the PDF), its CSV
 * tables and the figures compared for "changed since issue". A section whose data comes
 * from another module (change requests, risks, security incidents) also `collect`s it
 * through that module's public functions; its data is frozen with the rest.
 */
import type { Executor } from '../../../db/database.ts';
import type { RenderContext } from '../report.format.ts';
import type { ReportData } from '../report.data.ts';

export interface CsvTable {
  /** File stem, e.g. "breaches" → breaches.csv */
  name: string;
  header: string[];
  rows: Array<Array<string | number | null>>;
}

export interface CollectInput {
  ex: Executor;
  contractId: string;
  clientId: string;
  from: number;
  to: number;
  asOf: number;
}

export interface ReportSection {
  id: string;
  /** Reads this section's own data (for sections over other modules); the result is stored in data.sections[id]. */
  collect?(q: CollectInput): Promise<unknown>;
  /** The section's HTML (an <h2> and its content). */
  html(ctx: RenderContext): string;
  tables?(ctx: RenderContext): CsvTable[];
  /** Named figures compared between an issued report and today's data ("changed since issue"). */
  figures?(data: ReportData): Record<string, number | string | null>;
}

/** Helper for sections whose module does not exist yet: "none / module not yet available". */
export function pendingModuleSection(id: string): ReportSection {
  return {
    id,
    html: (ctx) => {
      const d = ctx.data.sections[id] as { items?: unknown[] } | undefined;
      const text = d === undefined ? ctx.t('report.section.notAvailable') : ctx.t('report.section.none');
      return `<section id="s-${id}"><h2>${ctx.t(`report.sections.${id}`)}</h2><p class="muted">${text}</p></section>`;
    },
  };
}
