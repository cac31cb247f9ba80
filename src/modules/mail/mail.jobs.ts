/** Job handlers of the e-mail channel: processing stored messages, and the one outbound path (mail.outbound.ts). */
import type { JobHandler } from '../../jobs/runner.ts';
import { createOutboundMailHandlers, type OutboundMailDeps } from './mail.outbound.ts';
import { MAIL_PROCESS_JOB, type MailService } from './mail.service.ts';

export function createMailJobHandlers(deps: { mail: MailService; outbound: OutboundMailDeps }): Record<string, JobHandler> {
  return {
    [MAIL_PROCESS_JOB]: async () => {
      await deps.mail.processPending();
    },
    ...createOutboundMailHandlers(deps.outbound),
  };
}
