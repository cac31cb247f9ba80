import type { z } from 'zod';
import { toIso } from '../../contract/common.ts';
import type { MailDelivery } from '../../contract/mail.ts';
import type { Delivery } from './mail.outbound.ts';

/** One recipient's delivery as the API shows it. */
export const presentDelivery = (d: Delivery): z.infer<typeof MailDelivery> => ({
  recipient: d.recipient,
  status: d.status as z.infer<typeof MailDelivery>['status'],
  detail: d.detail,
  attempts: d.attempts,
  updatedAt: toIso(d.updatedAt),
});
