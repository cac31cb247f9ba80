/**
 * Evidence bytes live outside the database rows, in a directory of the desk's data
 * (`<HOSHU_DATA_DIR>/evidence`): a database stays small and backups of it fast, and a
 * file is written once and never changed. The row keeps the SHA-256 of the bytes as
 * collected; every read hashes them again, so a file changed on disk is refused rather
 * than handed out as evidence.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';

export interface EvidenceStore {
  readonly dir: string;
  /** Writes the bytes durably under a new key; returns the key and the bytes' SHA-256 (hex). */
  put(bytes: Buffer): Promise<{ storageKey: string; sha256: string }>;
  /** The stored bytes, or null when the file is gone. */
  get(storageKey: string): Promise<Buffer | null>;
  /** Where a key's bytes are (tests tamper with them there). */
  pathOf(storageKey: string): string;
}

export const sha256Hex = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

export function evidenceStore(dir: string): EvidenceStore {
  const pathOf = (key: string) => {
    // Keys are ours (two hex characters / a UUID); refuse anything else rather than follow it.
    if (!/^[0-9a-f]{2}\/[0-9a-f-]{36}$/.test(key)) throw new Error(`not an evidence key: ${key}`);
    return path.join(dir, key);
  };
  return {
    dir,
    pathOf,
    async put(bytes) {
      const sha256 = sha256Hex(bytes);
      const storageKey = `${sha256.slice(0, 2)}/${randomUUID()}`;
      const file = pathOf(storageKey);
      await mkdir(path.dirname(file), { recursive: true });
      // Written to a temporary name, flushed, then renamed: a crash never leaves half a file under the key.
      const tmp = `${file}.tmp`;
      const fh = await open(tmp, 'wx', 0o600);
      try {
        await fh.writeFile(bytes);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, file);
      return { storageKey, sha256 };
    },
    async get(key) {
      try {
        return await readFile(pathOf(key));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw e;
      }
    },
  };
}
