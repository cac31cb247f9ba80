/**
 * The desk's secret key (32 bytes) that seals stored webhook secrets: HOSHU_SECRET_KEY,
 * else `<data dir>/secret.key`, made (mode 0600) on first start. Kept apart from the
 * database so a copied database or backup alone does not give away the secrets.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export function loadSecretKey(o: { secretKey: string | null; dataDir: string }): Buffer {
  if (o.secretKey) return Buffer.from(o.secretKey, /^[0-9a-fA-F]{64}$/.test(o.secretKey) ? 'hex' : 'base64');
  const file = path.join(o.dataDir, 'secret.key');
  try {
    const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length === 32) return key;
    throw new Error(`${file} does not hold a 32-byte base64 key`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  fs.mkdirSync(o.dataDir, { recursive: true });
  const key = randomBytes(32);
  // wx: a second process starting at the same moment does not overwrite the first one's key.
  try {
    fs.writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return loadSecretKey(o);
    throw e;
  }
}
