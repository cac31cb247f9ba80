/** Shapes of the admin screens' routes (issue 17): one-time passwords, the own profile, a mail's raw source, a monitor's recent runs. */
import { z } from 'zod';
import { Id, Instant, Locale, Text } from './common.ts';

export const OneTimePassword = z
  .object({
    password: z.string().describe('the new password, shown once: only its hash is stored'),
    revokedTokens: z.number().int().describe('API tokens of the user revoked with the old password'),
  })
  .meta({ id: 'OneTimePassword' });

export const ResetLinkSent = z
  .object({
    email: z.string().describe('where the link went'),
    expiresAt: Instant.describe('the link works once, until then'),
  })
  .meta({ id: 'ResetLinkSent' });

export const ResetToken = Text.min(20).max(200).describe('the token of the e-mailed link (the last part of /reset/{token})');
export const ResetCheckBody = z.strictObject({ token: ResetToken });
export const ResetBody = z.strictObject({
  token: ResetToken,
  password: Text.min(1).max(1024).describe('at least 12 characters, not only spaces, not a common password'),
});

export const UpdateProfileBody = z.strictObject({
  name: Text.trim().min(1).max(200).optional(),
  locale: Locale.optional(),
});

export const MailSource = z
  .object({
    id: Id,
    size: z.number().int(),
    source: z.string().describe('the message as received (RFC 5322), decoded as UTF-8; bytes that are not UTF-8 show as U+FFFD'),
  })
  .meta({ id: 'MailSource' });

export const MonitorRun = z
  .object({
    status: z.enum(['up', 'down', 'unknown']),
    startedAt: Instant.describe('the first check of the stretch'),
    lastAt: Instant.describe('the last check of the stretch'),
    checks: z.number().int(),
    avgLatencyMs: z.number().int(),
    maxLatencyMs: z.number().int(),
  })
  .meta({ id: 'MonitorRun' });
export const MonitorRunQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });
export const MonitorRunList = z.object({ items: z.array(MonitorRun) });
