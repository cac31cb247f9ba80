/** Builds the web app once before the browser tests (vitest globalSetup of the e2e project). */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  execFileSync(process.execPath, [fileURLToPath(new URL('../node_modules/vite/bin/vite.js', import.meta.url)), 'build', '--config', 'web/vite.config.ts'], {
    cwd: root,
    // Vitest sets NODE_ENV=test, which Vite would pass on: React's development build, several times slower than what users run.
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
