/**
 * Running the desk as an operator does: `hoshu serve` without a built web app answers
 * `/` with a page saying how to build it (not the API's 401 JSON), `npm start` stops
 * on SIGTERM, and the built app's hashed assets are served compressed and cached for
 * good while index.html is revalidated. Real processes on a temporary data directory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/database.ts';
import { HOSHU_BIN } from '../helpers/cli.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { buildApp } from '../../src/http/app.ts';

const root = path.resolve(import.meta.dirname, '../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hoshu-serve-'));
const { DATABASE_URL: _ignored, PORT: _p, HOSHU_WEB_DIR: _w, ...baseEnv } = process.env;
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Spawns a desk process and resolves with its address once it says where it listens. */
function startProcess(cmd: string, args: string[], env: Record<string, string>): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(cmd, args, { cwd: root, env: { ...baseEnv, LOG_LEVEL: 'warn', LANG: 'C.UTF-8', PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /listening on (http:\/\/[0-9.]+:\d+)/.exec(out);
      if (m) resolve({ child, url: m[1]!, output: () => out });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited early (${code}): ${out}`)));
  });
}

const refused = (url: string) => fetch(url).then(() => false, () => true);

describe('hoshu serve without a web bundle', () => {
  it('answers / and deep links with a page saying how to build the app; the API still answers JSON', async () => {
    const web = path.join(dir, 'no-web');
    fs.mkdirSync(web);
    const { child, url } = await startProcess(process.execPath, [HOSHU_BIN, 'serve', '--web-dir', web], { HOSHU_DATA_DIR: path.join(dir, 'serve-data') });
    const home = await fetch(`${url}/`);
    expect(home.status).toBe(503);
    expect(home.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await home.text();
    expect(page).toContain('npm run build:web');
    expect(page).toContain('The web app has not been built');
    expect(page).toContain('Web アプリがビルドされていません');
    const deep = await fetch(`${url}/incidents/abc`);
    expect(deep.headers.get('content-type')).toMatch(/^text\/html/);
    const api = await fetch(`${url}/api/v1/incidents`);
    expect(api.status).toBe(401);
    expect(api.headers.get('content-type')).toMatch(/^application\/json/);
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }, 90_000);
});

describe('npm start', () => {
  it('stops its server on SIGTERM within a few seconds', async () => {
    const { child, url } = await startProcess('npm', ['start', '--silent'], { HOSHU_DATA_DIR: path.join(dir, 'start-data'), HOSHU_WEB_DIR: path.join(dir, 'no-web-start') });
    expect((await fetch(`${url}/api/v1/health`)).status).toBe(200);
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const t0 = Date.now();
    child.kill('SIGTERM');
    await exited;
    // The desk itself (not only npm) is gone: nothing listens on its port any more.
    for (let i = 0; i < 50 && !(await refused(`${url}/api/v1/health`)); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await refused(`${url}/api/v1/health`)).toBe(true);
    expect(Date.now() - t0).toBeLessThan(5_000);
  }, 120_000);
});

/** A built web app's directory (index.html and the given assets) served by an app on an in-memory database. */
async function withWebApp(name: string, assets: Record<string, string | Buffer>, fn: (app: Awaited<ReturnType<typeof buildApp>>) => Promise<void>): Promise<void> {
  const web = path.join(dir, name);
  fs.mkdirSync(path.join(web, 'assets'), { recursive: true });
  const script = Object.keys(assets).find((f) => f.endsWith('.js'));
  fs.writeFileSync(path.join(web, 'index.html'), `<!doctype html><div id="root"></div><script src="/assets/${script}"></script>`);
  for (const [file, body] of Object.entries(assets)) fs.writeFileSync(path.join(web, 'assets', file), body);
  const database = createDb({ dialect: 'sqlite', file: ':memory:' });
  await migrateToLatest(database.db);
  const app = await buildApp({ db: database.db, config: { webRoot: web } });
  try {
    await fn(app);
  } finally {
    await app.close();
    await database.close();
  }
}

describe('the built web app', () => {
  it('serves hashed assets compressed with a one-year immutable cache, index.html with no-cache', async () => {
    const js = `console.log(${JSON.stringify('保守'.repeat(2000))});\n`;
    await withWebApp('web', { 'index-Bx7kQ2.js': js }, async (app) => {
      const asset = await app.inject({ method: 'GET', url: '/assets/index-Bx7kQ2.js', headers: { 'accept-encoding': 'gzip' } });
      expect(asset.statusCode).toBe(200);
      expect(asset.headers['content-encoding']).toBe('gzip');
      expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(zlib.gunzipSync(asset.rawPayload).toString()).toBe(js);
      expect(asset.rawPayload.length).toBeLessThan(Buffer.byteLength(js) / 4);

      const page = await app.inject({ method: 'GET', url: '/incidents/1', headers: { 'accept-encoding': 'br, gzip' } });
      expect(page.statusCode).toBe(200);
      expect(page.headers['cache-control']).toBe('no-cache');

      // The API's JSON is untouched by the web app's compression and caching.
      const api = await app.inject({ method: 'GET', url: '/api/v1/health', headers: { 'accept-encoding': 'gzip' } });
      expect(api.headers['cache-control']).toBe('no-store');
    });
  });

  it('sends the copies the build compressed (web/vite.config.ts) as they are, and compresses only what has none', async () => {
    const js = `console.log(${JSON.stringify('障害対応'.repeat(3000))});\n`;
    // Best-quality copies, as the build writes them: recognisable by their exact bytes.
    const br = zlib.brotliCompressSync(js, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } });
    const gz = zlib.gzipSync(js, { level: 9 });
    const css = `body{color:#212529}\n${'.x{margin:0}\n'.repeat(500)}`;
    await withWebApp('web-pre', { 'app-Q1.js': js, 'app-Q1.js.br': br, 'app-Q1.js.gz': gz, 'plain-Q2.css': css }, async (app) => {
      const b = await app.inject({ method: 'GET', url: '/assets/app-Q1.js', headers: { 'accept-encoding': 'br, gzip' } });
      expect(b.statusCode).toBe(200);
      expect(b.headers['content-encoding']).toBe('br');
      expect(b.headers['content-type']).toMatch(/javascript/);
      expect(b.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(b.rawPayload.equals(br)).toBe(true);
      expect(zlib.brotliDecompressSync(b.rawPayload).toString()).toBe(js);
      const g = await app.inject({ method: 'GET', url: '/assets/app-Q1.js', headers: { 'accept-encoding': 'gzip' } });
      expect(g.headers['content-encoding']).toBe('gzip');
      expect(g.rawPayload.equals(gz)).toBe(true);
      // A browser that takes neither gets the file itself.
      const none = await app.inject({ method: 'GET', url: '/assets/app-Q1.js', headers: { 'accept-encoding': 'identity' } });
      expect(none.headers['content-encoding']).toBeUndefined();
      expect(none.body).toBe(js);
      // An asset without copies is still compressed on the way out.
      const cssAnswer = await app.inject({ method: 'GET', url: '/assets/plain-Q2.css', headers: { 'accept-encoding': 'gzip' } });
      expect(cssAnswer.headers['content-encoding']).toBe('gzip');
      expect(zlib.gunzipSync(cssAnswer.rawPayload).toString()).toContain('body{color:#212529}');
    });
  });
});
