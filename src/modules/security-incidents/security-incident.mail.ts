/**
 * Reports (第一報・続報・最終報告) to the contract's designated contacts: one
 * `mail.outbound` message per report, enqueued in the transaction that issues it, to
 * every designated contact with an address. The text is both languages, Japanese
 * first (contacts have no language of their own), from the i18n keys
 * mail.securityIncident.report.*; the report itself stays readable in the portal.
 */
import type { Executor } from '../../db/database.ts';
import { t, type Locale } from '../../i18n/index.ts';
import { when } from '../../i18n/when.ts';
import { enqueueMail } from '../mail/mail.outbound.ts';
import * as repo from './security-incident.repository.ts';

export interface ReportMailSubject {
  incident: repo.SecurityIncidentRow;
  report: repo.ReportRow;
  contractName: string;
  clientName: string;
}

function render(s: ReportMailSubject, locale: Locale): { subject: string; body: string } {
  const zone = s.incident.timeZone;
  const p = {
    kind: t(locale, `mail.securityIncident.reportKind.${s.report.kind}`),
    number: s.incident.number,
    title: s.report.title,
    incidentTitle: s.incident.title,
    type: t(locale, `mail.securityIncident.kind.${s.incident.kind}`),
    client: s.clientName,
    contract: s.contractName,
    issuedAt: when(locale, s.report.issuedAt, zone),
    discoveredAt: s.incident.discoveredAt === null ? '—' : when(locale, s.incident.discoveredAt, zone),
    body: s.report.body,
  };
  return { subject: t(locale, 'mail.securityIncident.report.subject', p), body: t(locale, 'mail.securityIncident.report.body', p) };
}

export const reportMailKey = (reportId: string) => `mail:security-report:${reportId}`;

/** Enqueues the report to the contract's designated contacts; returns their addresses (none: nothing is sent). */
export async function mailReport(ex: Executor, s: Omit<ReportMailSubject, 'contractName' | 'clientName'>, now: number): Promise<string[]> {
  const to = await repo.reportRecipients(ex, s.incident.contractId);
  if (to.length === 0) return [];
  const names = (await repo.contractNames(ex, s.incident.contractId)) ?? { contractName: '', clientName: '' };
  const full = { ...s, ...names };
  const ja = render(full, 'ja');
  const en = render(full, 'en');
  await enqueueMail(ex, { to, subject: `${ja.subject} / ${en.subject}`, text: `${ja.body}\n\n----\n\n${en.body}\n`, date: s.report.issuedAt }, {
    runAt: now, dedupeKey: reportMailKey(s.report.id), now,
  });
  return to;
}
