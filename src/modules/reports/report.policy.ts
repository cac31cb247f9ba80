/**
 * Who may do what with monthly reports. Staff preview any month, issue, revise and send;
 * a contact reads only their own client's issued reports and acknowledges them.
 * Anything of another client is report.not_found / contract.not_found.
 */
import { EVERYONE, STAFF, definePolicy } from '../auth/access.ts';

export const REPORT_POLICY = definePolicy({
  /** Live figures of a month (not issued yet, or to compare with an issued one). */
  'contract.report_preview': STAFF,
  'report.issue': STAFF,
  'report.list': EVERYONE,
  'report.read': EVERYONE,
  'report.acknowledge': ['contact'],
  'report.send': STAFF,
});
