/**
 * Builds the CLI bundles before the desk tests (vitest globalSetup): the tests run `hoshu`
 * as bin/hoshu.js does for an operator, and bin/hoshu.js uses a bundle only while it is
 * newer than every source file — after an edit it would fall back to compiling the sources
 * on the fly, which costs each of the suite's ~70 CLI processes ~2 s of CPU.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: ['ignore', 'ignore', 'inherit'] });
}
