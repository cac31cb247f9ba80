/**
 * The `hoshu` CLI as an operator runs it: a real process (bin/hoshu.js — the prebuilt bundle,
 * which test/global-setup.ts keeps current, else the sources through tsx) on a data directory of its
 * own, with the caller's DATABASE_URL and locale variables left out so the CLI opens that
 * directory's SQLite file and speaks English unless a test asks for Japanese (`JA_ENV`).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
/** The installed command (package.json "bin"). */
export const HOSHU_BIN = path.join(root, 'bin', 'hoshu.js');

export const JA_ENV = { LANG: 'ja_JP.UTF-8' };

export interface CliRun { code: number | null; stdout: string; stderr: string }

export interface Cli {
  /** The data directory (HOSHU_DATA_DIR) the CLI opens. */
  dir: string;
  hoshu(args: string[], opts?: { stdin?: string; env?: Record<string, string> }): Promise<CliRun>;
  /** Removes the data directory. */
  remove(): void;
}

export function cliInTempDir(prefix: string): Cli {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const { DATABASE_URL: _ignored, LC_ALL: _a, LC_MESSAGES: _m, ...baseEnv } = process.env;
  const env = { ...baseEnv, HOSHU_DATA_DIR: dir, LOG_LEVEL: 'warn', LANG: 'C.UTF-8' };
  return {
    dir,
    hoshu: (args, opts = {}) => new Promise((resolve) => {
      const p = spawn(process.execPath, [HOSHU_BIN, ...args], { cwd: root, env: { ...env, ...opts.env } });
      let stdout = '';
      let stderr = '';
      p.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
      p.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      p.on('exit', (code) => resolve({ code, stdout, stderr }));
      p.stdin.end(opts.stdin ?? '');
    }),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
