/**
 * Webhook secrets and signatures (the Standard Webhooks scheme):
 * - a secret is `whsec_` + base64 of 24 random bytes; HMAC keys are those bytes;
 * - `webhook-signature` is `v1,` + base64 HMAC-SHA256 of `${id}.${timestamp}.${body}`,
 *   one per active secret, space-separated (an old secret signs too while a rotation runs);
 * - secrets are stored sealed with AES-256-GCM under the desk's secret key (never hashed:
 *   signing needs the secret itself), shown once when made, and never logged.
 * Hand-written over node:crypto rather than a library: the scheme is three lines, and the
 * tests verify it with the independent `standardwebhooks` package.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

export const SECRET_PREFIX = 'whsec_';

export function newWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(24).toString('base64');
}

function keyBytes(secret: string): Buffer {
  return Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
}

/** `v1,<base64>` for one secret. */
export function signature(secret: string, id: string, timestamp: number, body: string): string {
  return `v1,${createHmac('sha256', keyBytes(secret)).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/** The three Standard Webhooks headers of one attempt (timestamp in seconds; one signature per secret). */
export function signedHeaders(secrets: readonly string[], id: string, nowMs: number, body: string): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': secrets.map((s) => signature(s, id, timestamp, body)).join(' '),
  };
}

/** What the UI shows of a secret: enough to tell two apart, not enough to sign. */
export const secretPrefix = (secret: string): string => `${secret.slice(0, SECRET_PREFIX.length + 4)}…`;

/** Seals and opens secrets with one 256-bit key. */
export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
}

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('the secret key must be 32 bytes');
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const data = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return `v1:${Buffer.concat([iv, c.getAuthTag(), data]).toString('base64')}`;
    },
    open(sealed) {
      if (!sealed.startsWith('v1:')) throw new Error('unknown sealed secret format');
      const raw = Buffer.from(sealed.slice(3), 'base64');
      const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      d.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
    },
  };
}

/**
 * The key used when the composition root gives none (tests, the OpenAPI generator):
 * derived from a fixed string, so it protects nothing. A serving desk always passes
 * HOSHU_SECRET_KEY or the key file in its data directory (src/main.ts).
 */
export const DEVELOPMENT_KEY = createHash('sha256').update('hoshu development key — not for production').digest();
