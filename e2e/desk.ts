/**
 * The browser tests' world: a desk started in-process (startDesk, the same code
 * as `npm start`) on a fresh SQLite file with the demo data, on a free port,
 * and Debian's Chromium driven by playwright-core, one browser per test worker and a
 * fresh context (cookies, storage, cache) per openBrowser. Without
 * /usr/bin/chromium the specs are skipped with a message — except in CI (CI=1),
 * where a missing browser fails them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { chromium, type Browser as ChromiumBrowser, type BrowserContext, type Page } from 'playwright-core';
import { loadConfig } from '../src/config.ts';
import type { Database } from '../src/db/database.ts';
import { loadDemoData, type DemoCredential } from '../src/seed/demo.ts';
import { openDatabase, startDesk, type RunningDesk } from '../src/main.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium && process.env.CI) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk`);
if (!hasChromium) console.warn(`e2e: ${CHROMIUM} not found, browser tests skipped (apt-get install -y chromium fonts-noto-cjk)`);

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run',
];

export interface TestDesk {
  url: string;
  desk: RunningDesk;
  creds: Record<'admin' | 'agent' | 'contact', DemoCredential>;
  close(): Promise<void>;
}

/**
 * `env` adds to or overrides the desk's settings (e.g. an SMTP relay and HOSHU_RUN_JOBS=true for mail).
 * `envAfterSeed` may add settings that name demo records (e.g. HOSHU_IMAP_URL with `?contract=<id>`):
 * it runs once the demo data is in, before the desk starts.
 */
export async function startTestDesk(
  env: Record<string, string> = {}, envAfterSeed?: (db: Database['db']) => Promise<Record<string, string>>,
): Promise<TestDesk> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hoshu-e2e-'));
  const base = { HOSHU_DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', HOSHU_RUN_JOBS: 'false', ...env };
  const { database } = await openDatabase(loadConfig(base));
  const list = await loadDemoData(database);
  const creds = Object.fromEntries(list.map((c) => [c.role, c])) as TestDesk['creds'];
  const config = loadConfig({ ...base, ...(envAfterSeed ? await envAfterSeed(database.db) : {}) });
  const desk = await startDesk(config, { database, log: pino({ level: 'silent' }) });
  const url = desk.url.replace('0.0.0.0', '127.0.0.1');
  return {
    url,
    desk,
    creds,
    async close() {
      await desk.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

let shared: Promise<ChromiumBrowser> | undefined;
/**
 * One Chromium per test worker, kept from file to file (a launch costs ~1.5–2 s of the 2-core
 * machine, and the browser files run one after another: six files took 93.7 s with a launch each,
 * 83.0 s sharing one). Every openBrowser still gets a fresh context. Playwright kills the browser
 * when the worker process exits (no Chromium is left after a run); one that crashed or was closed
 * is launched again.
 */
async function browserOnce(): Promise<ChromiumBrowser> {
  const current = shared;
  const b = current && (await current.catch(() => undefined));
  if (b?.isConnected()) return b;
  // Two openBrowser calls at once share one launch: only the first to find the old one gone replaces it.
  if (shared === current) shared = chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  return shared!;
}

/**
 * Closes the shared Chromium. Test workers need not (Playwright kills it when they exit), but a
 * script must: the open browser keeps its process alive (`npm run screenshots` hung after its last shot).
 */
export async function closeSharedBrowser(): Promise<void> {
  const b = shared && (await shared.catch(() => undefined));
  shared = undefined;
  await b?.close();
}

/**
 * A fresh browser context (its own cookies, storage and cache, like a new profile) in the given
 * UI language (sent as Accept-Language).
 */
export async function openBrowser(opts: { locale?: string; width?: number; height?: number } = {}): Promise<Browser> {
  const context = await (await browserOnce()).newContext({
    locale: opts.locale ?? 'ja-JP',
    timezoneId: 'America/New_York', // far from Tokyo: times must come out in the calendar's zone anyway
    viewport: { width: opts.width ?? 1366, height: opts.height ?? 900 },
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return {
    context,
    page,
    async close() {
      await context.close();
    },
  };
}

export async function login(page: Page, base: string, cred: DemoCredential, labels = { email: 'メールアドレス', password: 'パスワード', submit: 'ログイン' }): Promise<void> {
  await page.goto(base);
  await page.getByLabel(new RegExp(`^${labels.email}`)).fill(cred.email);
  await page.getByLabel(new RegExp(`^${labels.password}`)).fill(cred.password);
  const submit = page.getByRole('button', { name: labels.submit, exact: true });
  await submit.click();
  // Signed in once the form is gone. The first screen after sign-in loads the session and the
  // console's data; on a loaded machine that alone can outlast the 15 s action timeout, which
  // then failed whatever the test clicked first (a nav link) rather than saying why.
  await submit.waitFor({ state: 'detached', timeout: 60_000 });
}
