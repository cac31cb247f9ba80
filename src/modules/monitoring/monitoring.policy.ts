/**
 * Who may do what with monitoring. A contact reads only their own client's
 * monitors, outages and availability (anything else is <entity>.not_found), and a
 * monitor by its name and state only: where and how it checks (URL, host, port,
 * keyword, the last error) is the vendor's infrastructure, not the client's.
 */
import { EVERYONE, STAFF, definePolicy } from '../auth/access.ts';

export const MONITORING_POLICY = definePolicy({
  'monitor.list': EVERYONE,
  'monitor.read': EVERYONE,
  /** The check's target and settings: url, host, port, expected status, keyword, last error. */
  'monitor.read_target': STAFF,
  'monitor.create': STAFF,
  'monitor.update': STAFF,
  /** Soft delete: the monitor stops and disappears; its runs and outages keep counting in availability. */
  'monitor.delete': STAFF,
  'outage.list': EVERYONE,
  'outage.read': EVERYONE,
  /** End an open outage by hand, with a reason. */
  'outage.close': STAFF,
  /** Which incidents a contract's public status page lists. */
  'status_page.read_settings': EVERYONE,
  'status_page.update_settings': STAFF,
  /** A contract month's availability. */
  'contract.availability': EVERYONE,
});
