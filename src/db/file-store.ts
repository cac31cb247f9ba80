/**
 * Files that live outside the database rows, in a directory of the desk's data
 * (`<HOSHU_DATA_DIR>/evidence` for security-incident evidence, `<HOSHU_DATA_DIR>/attachments`
 * for incident attachments): a database stays small and its backups fast, and a file is
 * written once and never changed. The row keeps the SHA-256 of the bytes as stored;
 * readers hash them again, so a file changed on disk is refused rather than handed out.
 *
 * A file is durable before its row commits: written to `tmp/` under the directory,
 * flushed, renamed under its key and the directory flushed. A crash leaves at most a
 * file in `tmp/` (or a file without a row), never a row without its file.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/** Bytes written to the temporary file, not yet under a key. */
export interface StagedFile {
  readonly sha256: string;
  readonly size: number;
  /** The temporary file (to sniff its type before it is kept). */
  readonly tmpPath: string;
  /** Renames it under a new key (durably); returns the key. */
  commit(): Promise<string>;
  /** Removes the temporary file. */
  discard(): Promise<void>;
}

export interface FileStore {
  readonly dir: string;
  /** Writes the bytes durably under a new key; returns the key and the bytes' SHA-256 (hex). */
  put(bytes: Buffer): Promise<{ storageKey: string; sha256: string }>;
  /** Streams the chunks to a temporary file, flushed, hashing and counting them on the way. */
  stage(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<StagedFile>;
  /** The stored bytes, or null when the file is gone. */
  get(storageKey: string): Promise<Buffer | null>;
  /** Removes a stored file (a row that did not commit, or was deleted); a missing file is no error. */
  remove(storageKey: string): Promise<void>;
  /** Where a key's bytes are (tests tamper with them there). */
  pathOf(storageKey: string): string;
}

export const sha256Hex = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** Flushes a directory, so a rename into it survives a crash (not possible on every platform). */
async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } catch (e) {
    if (!['EINVAL', 'EPERM', 'EISDIR'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
  } finally {
    await fh.close();
  }
}

export function fileStore(dir: string): FileStore {
  const pathOf = (key: string) => {
    // Keys are ours (two hex characters / a UUID); refuse anything else rather than follow it.
    if (!/^[0-9a-f]{2}\/[0-9a-f-]{36}$/.test(key)) throw new Error(`not a file store key: ${key}`);
    return path.join(dir, key);
  };
  const tmpDir = path.join(dir, 'tmp');

  async function stage(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<StagedFile> {
    await mkdir(tmpDir, { recursive: true });
    const tmpPath = path.join(tmpDir, `${randomUUID()}.part`);
    const hash = createHash('sha256');
    let size = 0;
    const fh = await open(tmpPath, 'wx', 0o600);
    try {
      for await (const chunk of chunks) {
        hash.update(chunk);
        size += chunk.length;
        await fh.write(chunk);
      }
      await fh.sync();
    } catch (e) {
      await fh.close().catch(() => undefined);
      await rm(tmpPath, { force: true });
      throw e;
    }
    await fh.close();
    const sha256 = hash.digest('hex');
    return {
      sha256, size, tmpPath,
      async commit() {
        const storageKey = `${sha256.slice(0, 2)}/${randomUUID()}`;
        const file = pathOf(storageKey);
        await mkdir(path.dirname(file), { recursive: true });
        await rename(tmpPath, file);
        await syncDir(path.dirname(file));
        return storageKey;
      },
      discard: () => rm(tmpPath, { force: true }),
    };
  }

  return {
    dir,
    pathOf,
    stage,
    async put(bytes) {
      const staged = await stage([bytes]);
      return { storageKey: await staged.commit(), sha256: staged.sha256 };
    },
    async get(key) {
      try {
        return await readFile(pathOf(key));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw e;
      }
    },
    async remove(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}
