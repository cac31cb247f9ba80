/**
 * Secret material for sessions, CSRF and API tokens. Secrets are 256-bit random
 * values; what we store is their SHA-256 (fast lookup by hash — a token is already
 * high-entropy, so a slow KDF would only cost every request, see ARCHITECTURE §7).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Constant-time comparison of two strings (false when lengths differ). */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/** API tokens are recognisable in logs and secret scanners by this prefix. */
export const TOKEN_PREFIX = 'hoshu_';
export function newApiToken(): string {
  return TOKEN_PREFIX + randomSecret(32);
}
