#!/usr/bin/env node
// `hoshu …` runs a prebuilt bundle (npm's "prepare" makes them: scripts/build-cli.mjs)
// when it is newer than every source file; otherwise the TypeScript through tsx.
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function fresh(bundle) {
  try {
    return statSync(bundle).mtimeMs >= newestSource(join(root, 'src'));
  } catch {
    return false; // no bundle yet
  }
}

// `hoshu sla` has a smaller bundle of its own: the SLA core without the desk.
const bundle = join(root, 'dist', ...(process.argv[2] === 'sla' ? ['hoshu-sla.mjs'] : ['cli', 'hoshu.mjs']));
if (fresh(bundle)) {
  await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(root, 'src', 'cli', 'main.ts')).href);
}
