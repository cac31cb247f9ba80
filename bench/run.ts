/**
 * `npm run bench`: runs every bench/*.bench.ts (or those named on the command
 * line, e.g. `npm run bench -- sla`) one after another and prints their figures.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();

// One failing benchmark (say, no Dovecot on this machine) must not hide the others' figures.
const failed: string[] = [];
for (const file of files) {
  console.log(`\n## ${file}`);
  try {
    const mod = (await import(pathToFileURL(join(here, file)).href)) as { run: () => Promise<void> };
    await mod.run();
  } catch (e) {
    failed.push(file);
    console.error(`${file} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  }
}
if (failed.length) {
  console.error(`\nfailed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
