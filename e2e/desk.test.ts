/**
 * The desk in a real browser (Debian's Chromium via playwright-core) against a
 * desk started in-process with the demo data: an agent works a phone call from
 * logging to closure, a contact sees only their client's items and files an
 * inquiry the agent then sees, and the language switch turns the UI to English
 * and back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, login, openBrowser, startTestDesk, type TestDesk } from './desk.ts';

interface ApiIncident { id: string; number: number; clientId: string; title: string; status: string }

describe.skipIf(!hasChromium)('the web UI in Chromium', () => {
  let t: TestDesk;
  beforeAll(async () => {
    t = await startTestDesk();
  }, 120_000);
  afterAll(async () => t?.close());

  /** The API as the agent sees it (for facts the browser checks against). */
  async function agentApi(): Promise<ApiIncident[]> {
    const r = await t.desk.http.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: t.creds.agent.email, password: t.creds.agent.password } });
    const cookie = r.cookies.find((c) => c.name === 'hoshu_session')!;
    const list = await t.desk.http.inject({ method: 'GET', url: '/api/v1/incidents?limit=200', headers: { cookie: `hoshu_session=${cookie.value}` } });
    return (list.json() as { items: ApiIncident[] }).items;
  }

  it('serves the app at / and deep links, and keeps JSON 404s under /api', async () => {
    const root = await fetch(`${t.url}/`);
    expect(root.status).toBe(200);
    expect(await root.text()).toContain('<div id="root">');
    expect((await fetch(`${t.url}/portal/incidents/x`)).headers.get('content-type')).toContain('text/html');
    const api = await fetch(`${t.url}/api/v1/nope`);
    expect(api.status).toBe(404);
    expect(((await api.json()) as { code: string }).code).toBe('route.not_found');
  });

  it('an agent logs a phone call, recognizes-on-log, starts work, resolves with an account, closes; the SLA badges change', async () => {
    const b = await openBrowser();
    const { page } = b;
    try {
      await login(page, t.url, t.creds.agent);
      await expect.poll(() => page.getByRole('heading', { name: '障害キュー' }).isVisible()).toBe(true);
      await page.locator('[data-testid=queue] tbody tr').first().waitFor();

      // N opens the phone log; the contract select has the focus.
      await page.keyboard.press('n');
      await page.getByRole('heading', { name: '電話受付' }).waitFor();
      const contract = page.getByLabel('契約');
      await expect.poll(() => contract.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
      const option = await contract.locator('option', { hasText: '配送管理システム 保守契約' }).getAttribute('value');
      await contract.selectOption(option!);
      await page.getByLabel('内容 (件名)').fill('E2E: 配送システムにログインできない');
      await page.getByLabel('着信 (何分前)').fill('3');
      await page.getByLabel('内容 (件名)').press('Control+Enter');

      // The incident page: recognized when logged, the start clock running.
      await page.getByRole('heading', { name: /E2E: 配送システムにログインできない/ }).waitFor();
      await expect.poll(() => page.locator('[data-status]').first().getAttribute('data-status')).toBe('recognized');
      const start = page.locator('[data-testid=targets] [data-target=start]');
      const resolve = page.locator('[data-testid=targets] [data-target=resolve]');
      expect(await start.getAttribute('data-sla-state')).toBe('ok');
      expect(await resolve.getAttribute('data-sla-state')).toBe('ok');
      // Received three minutes before it was recognized, both shown in Tokyo time.
      expect(await page.getByTestId('received-at').innerText()).toMatch(/JST$/);
      expect(await page.getByTestId('recognized-at').innerText()).toMatch(/JST$/);
      expect(await page.getByTestId('times-in').innerText()).toBe('時刻はすべて日本標準時');
      // The status in the server's words (認識済み, not 認識済); the lag and the countdown read as
      // durations, not clock times ("3:00", "57:38"); the timeline lists channel and priority with 、.
      expect(await page.locator('[data-status]').first().innerText()).toBe('認識済み');
      expect(await page.getByTestId('recognition-lag').innerText()).toBe('受付→認識: 3分');
      const countdown = await start.innerText();
      expect(countdown).toMatch(/残り (\d+日(\d+時間)?|\d+時間\d{2}分|\d+分\d{2}秒|\d+秒)/);
      expect(countdown).not.toMatch(/\d:\d{2}/);
      expect(await page.getByTestId('timeline').innerText()).toMatch(/受付 \(電話、(緊急|重要|軽微)\)/);

      // Why this deadline: the intervals the core counted, in the same words as every other instant
      // (2026/05/01(金) 09:00 JST, not 2026-05-01 09:00 (Asia/Tokyo)), the working time as a duration.
      await page.getByRole('button', { name: 'この期限の根拠' }).first().click();
      await page.getByTestId('explanation').waitFor();
      const explanation = await page.getByTestId('explanation').innerText();
      expect(explanation).not.toContain('Asia/Tokyo');
      expect(explanation).not.toMatch(/\d{4}-\d{2}-\d{2}/);
      expect(await page.getByTestId('explanation-due').innerText()).toMatch(/^\d{4}\/\d{2}\/\d{2}\(.\) \d{2}:\d{2} JST$/);
      expect(await page.getByTestId('explanation-total').innerText()).toMatch(/^算入した稼働時間: (\d+時間\d{2}分|\d+分)$/);

      await page.getByRole('button', { name: '着手', exact: true }).click();
      await expect.poll(() => start.getAttribute('data-sla-state')).toBe('met');
      await expect.poll(() => page.locator('[data-status]').first().getAttribute('data-status')).toBe('in_progress');

      await page.getByRole('button', { name: '解決', exact: true }).click();
      const dialog = page.getByRole('dialog');
      // Empty fields are refused on the page (the contract's ResolveBody schema) before anything is sent.
      await dialog.getByRole('button', { name: '解決', exact: true }).click();
      await expect.poll(() => dialog.getByText('入力してください。').count()).toBeGreaterThan(0);
      await dialog.getByLabel('原因').fill('認証サーバーの証明書期限切れ');
      await dialog.getByLabel('対処').fill('証明書を更新');
      await dialog.getByLabel('解決後経緯の説明').fill('お電話で受付後、証明書を確認・更新し、ログインできることをお客様と確認しました。');
      await dialog.getByRole('button', { name: '解決', exact: true }).click();
      await expect.poll(() => resolve.getAttribute('data-sla-state')).toBe('met');
      await expect.poll(() => page.locator('[data-status]').first().getAttribute('data-status')).toBe('resolved');
      expect(await page.getByTestId('resolution').innerText()).toContain('証明書を更新');

      await page.getByRole('button', { name: '完了', exact: true }).click();
      await expect.poll(() => page.locator('[data-status]').first().getAttribute('data-status')).toBe('closed');
      await expect.poll(() => page.getByTestId('timeline').innerText()).toContain('解決済み → 完了');

      const mine = (await agentApi()).find((i) => i.title === 'E2E: 配送システムにログインできない')!;
      expect(mine).toMatchObject({ status: 'closed' });
    } finally {
      await b.close();
    }
  });

  it('a contact sees only their client\'s items, gets "not found" for another client\'s incident, and files an inquiry the agent sees (and recognizes by opening it)', async () => {
    const all = await agentApi();
    const b = await openBrowser();
    const { page } = b;
    try {
      await login(page, t.url, t.creds.contact);
      await page.getByRole('heading', { name: '障害・問合せ' }).waitFor();
      await page.locator('[data-testid=portal-incidents] tbody tr').first().waitFor();
      const shown = (await page.locator('[data-testid=portal-incidents] tbody tr').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-incident')))));
      const own = all.filter((i) => i.clientId === all.find((x) => x.number === shown[0])!.clientId);
      expect(shown.length).toBeGreaterThan(0);
      expect(new Set(shown)).toEqual(new Set(own.map((i) => i.number)));

      const foreign = all.find((i) => i.clientId !== own[0]!.clientId)!;
      await page.goto(`${t.url}/portal/incidents/${foreign.id}`);
      await page.getByTestId('not-found').waitFor();
      expect(await page.getByRole('heading', { name: '見つかりません' }).isVisible()).toBe(true);
      expect(await page.content()).not.toContain(foreign.title);

      await page.getByRole('link', { name: '新規問合せ' }).click();
      const contract = page.getByLabel('契約');
      await contract.selectOption((await contract.locator('option', { hasText: 'WMS 保守契約' }).getAttribute('value'))!);
      await page.getByLabel('内容 (件名)').fill('E2E: 月次帳票の出力方法を教えてください');
      await page.getByLabel('内容', { exact: true }).fill('先月分の帳票を再出力したいです。');
      await page.getByRole('button', { name: '問合せを送信' }).click();
      await page.getByRole('heading', { name: /E2E: 月次帳票の出力方法を教えてください/ }).waitFor();
      expect(await page.locator('[data-status]').first().getAttribute('data-status')).toBe('new');
    } finally {
      await b.close();
    }

    const agent = await openBrowser();
    try {
      await login(agent.page, t.url, t.creds.agent);
      const row = agent.page.locator('[data-testid=queue] tbody tr', { hasText: 'E2E: 月次帳票の出力方法を教えてください' });
      await row.waitFor();
      expect(await row.locator('[data-status]').getAttribute('data-status')).toBe('new');
      await row.getByRole('link').click();
      // Opening it is reading it: the portal inquiry is recognized, no click needed; the buttons follow the new status.
      await expect.poll(() => agent.page.locator('[data-status]').first().getAttribute('data-status')).toBe('recognized');
      await agent.page.getByRole('button', { name: '着手', exact: true }).waitFor();
      expect(await agent.page.getByTestId('actions').getByRole('button', { name: '認識', exact: true }).count()).toBe(0);
    } finally {
      await agent.close();
    }

    // Back on the portal, the recognition is credited to the agent by name, the inquiry to the contact.
    const session = await t.desk.http.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: t.creds.agent.email, password: t.creds.agent.password } });
    const agentName = (session.json() as { user: { name: string } }).user.name;
    const contactName = ((await t.desk.http.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: t.creds.contact.email, password: t.creds.contact.password } })).json() as { user: { name: string } }).user.name;
    const again = await openBrowser();
    try {
      await login(again.page, t.url, t.creds.contact);
      await again.page.locator('[data-testid=portal-incidents] tbody tr', { hasText: 'E2E: 月次帳票の出力方法を教えてください' }).getByRole('link').first().click();
      const timeline = again.page.getByTestId('timeline');
      await expect.poll(() => timeline.locator('[data-kind=status]').first().innerText()).toContain(agentName);
      expect(await timeline.locator('[data-kind=created]').innerText()).toContain(contactName);
      expect(await timeline.locator('[data-kind=status]').first().innerText()).not.toContain(contactName);
    } finally {
      await again.close();
    }
  });

  it('an incident\'s SLA events read as sentences in its timeline, in English and Japanese', async () => {
    for (const locale of ['en-GB', 'ja-JP'] as const) {
      const b = await openBrowser({ locale });
      try {
        const { page } = b;
        await login(page, t.url, t.creds.agent, locale === 'en-GB' ? { email: 'E-mail', password: 'Password', submit: 'Sign in' } : undefined);
        // A demo incident whose timers fired while the demo loaded.
        const list = (await (await page.request.get(`${t.url}/api/v1/incidents?limit=100`)).json()) as { items: Array<{ id: string }> };
        let id: string | null = null;
        for (const i of list.items) {
          const d = (await (await page.request.get(`${t.url}/api/v1/incidents/${i.id}`)).json()) as { timeline: Array<{ kind: string }> };
          if (d.timeline.some((e) => e.kind === 'sla')) { id = i.id; break; }
        }
        expect(id, 'a demo incident with an SLA event').not.toBeNull();
        await page.goto(`${t.url}/incidents/${id!}`);
        const sla = page.getByTestId('timeline').locator('[data-kind=sla]');
        await sla.first().waitFor();
        const texts = await sla.allInnerTexts();
        // English had read "SLA At risk: Start of work", the state's label capital mid-sentence.
        if (locale === 'en-GB') for (const x of texts) expect(x).toMatch(/SLA (at risk|breached|met late|met): (Start of work|Resolution|Solution proposed)/);
        else for (const x of texts) expect(x).toMatch(/SLA (注意|違反|遅延達成|達成): (着手|解決|解決策提示)/);
      } finally {
        await b.close();
      }
    }
  });

  it('follows the browser language at first, and the switch turns the UI to English and back', async () => {
    const en = await openBrowser({ locale: 'en-US' });
    try {
      await en.page.goto(t.url);
      await en.page.getByRole('heading', { name: 'Sign in' }).waitFor();
    } finally {
      await en.close();
    }

    const b = await openBrowser({ locale: 'ja-JP' });
    const { page } = b;
    try {
      await login(page, t.url, t.creds.agent);
      await page.getByRole('heading', { name: '障害キュー' }).waitFor();
      await page.getByText('English', { exact: true }).click();
      await page.getByRole('heading', { name: 'Incident queue' }).waitFor();
      expect(await page.getByRole('link', { name: 'Log a phone call' }).first().isVisible()).toBe(true);
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      // The choice survives a reload; API messages follow it too.
      await page.reload();
      await page.getByRole('heading', { name: 'Incident queue' }).waitFor();
      await page.getByText('日本語', { exact: true }).click();
      await page.getByRole('heading', { name: '障害キュー' }).waitFor();
      expect(await page.locator('html').getAttribute('lang')).toBe('ja');
    } finally {
      await b.close();
    }
  });
});
