/**
 * `hoshu serve` / `hoshu start` on a fresh clone: when the repository's web bundle
 * (web/dist) is missing, build it once before serving, so nobody meets a desk
 * without its UI. The build runs vite as a child process (its memory is freed when
 * it ends, and the desk's own process stays one node process that takes SIGTERM).
 * A bundle elsewhere (--web-dir) is never built here; without vite (a production
 * install without dev dependencies) the desk serves the API and a page saying how
 * to build the app (src/http/web-static.ts).
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasWebBundle, WEB_DIST } from '../http/web-static.ts';
import { say } from './cli-support.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** vite's command-line entry, or null when the dev dependency is not installed. */
function viteBin(): string | null {
  try {
    return path.join(path.dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
  } catch {
    return null;
  }
}

/** Builds web/dist when it is missing (or always with `rebuild`) and `root` is that directory; resolves either way (a failed build leaves the API serving). */
export async function ensureWebBundle(root: string = WEB_DIST, o: { rebuild?: boolean } = {}): Promise<void> {
  if (path.resolve(root) !== path.resolve(WEB_DIST) || (hasWebBundle(root) && !o.rebuild)) return;
  const bin = viteBin();
  if (!bin) {
    say('cli.web.cannotBuild', { dir: root });
    return;
  }
  say('cli.web.building');
  const started = Date.now();
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, [bin, 'build', '--config', path.join(REPO, 'web/vite.config.ts')], { cwd: REPO, stdio: ['ignore', 'inherit', 'inherit'] });
    // A SIGTERM while building stops the build and this process (the serving handler is installed later).
    const stop = () => {
      child.kill('SIGTERM');
      process.exit(143);
    };
    process.once('SIGTERM', stop);
    child.once('error', () => resolve(null));
    child.once('exit', (c) => {
      process.off('SIGTERM', stop);
      resolve(c);
    });
  });
  if (code === 0 && hasWebBundle(root)) say('cli.web.built', { seconds: ((Date.now() - started) / 1000).toFixed(1) });
  else say('cli.web.buildFailed', { code: String(code) });
}
