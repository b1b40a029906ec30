/** Helpers for the browser tests: Chromium, signing in, screenshots, direct API calls. */
import fs from 'node:fs';
import path from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Page,
  type Request,
} from 'playwright-core';
import { expect, inject } from 'vitest';

export const PASSWORD = 'Gongshu@2026';
export const baseUrl = (): string => inject('baseUrl');

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** A fresh browser profile (cookies, localStorage) pointed at the test server. */
export async function newPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL: baseUrl(),
    viewport: { width: 1366, height: 860 },
    locale: 'zh-CN',
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`[browser] ${e.message}`));
  const inFlight = new Set<Request>();
  page.on('request', (r) => {
    if (r.url().includes('/api/')) inFlight.add(r);
  });
  const done = (r: Request): void => {
    inFlight.delete(r);
  };
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  apiCalls.set(page, inFlight);
  return { context, page };
}

const apiCalls = new WeakMap<Page, Set<Request>>();
/**
 * Waits until the page has had no API call in flight for 300 ms (its queries have all answered).
 */
export async function apiIdle(page: Page): Promise<void> {
  const inFlight = apiCalls.get(page)!;
  let quietSince = Date.now();
  await expect
    .poll(
      () => {
        if (inFlight.size > 0) quietSince = Date.now();
        return Date.now() - quietSince >= 300;
      },
      { interval: 50, timeout: 15_000 },
    )
    .toBe(true);
}

const SHOTS = path.resolve('e2e/screenshots');
/** Saves a full-page screenshot as e2e/screenshots/<name>.png. */
export async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** Fills the sign-in form (the page must show it) and submits; labels work in either language. */
export async function submitLogin(
  page: Page,
  username: string,
  password = PASSWORD,
): Promise<void> {
  await page.getByLabel(/用户名|Username/).fill(username);
  await page.getByLabel(/^(密码|Password)$/).fill(password);
  await page.getByTestId('login-submit').click();
}

/** Signs in through the page and waits for the workbench (or `next`). */
export async function signIn(page: Page, username: string, password = PASSWORD): Promise<void> {
  await page.goto('/login');
  await submitLogin(page, username, password);
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  await expect.poll(() => page.getByTestId('side-menu').isVisible()).toBe(true);
}

/** The labels of the side menu's entries as shown. */
export async function menuLabels(page: Page): Promise<string[]> {
  const menu = page.getByTestId('side-menu');
  await menu.waitFor();
  return (await menu.locator('.ant-menu-title-content').allInnerTexts())
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Calls the API with a session of `username` (its own cookie jar, outside any page). */
export async function apiAs(
  username: string,
): Promise<{ get: <T>(p: string) => Promise<{ status: number; body: T }>; cookie: string }> {
  const res = await fetch(`${baseUrl()}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (!res.ok)
    throw new Error(`API sign-in as ${username} failed: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  return {
    cookie,
    get: async <T>(p: string) => {
      const r = await fetch(`${baseUrl()}/api/v1${p}`, { headers: { cookie } });
      return { status: r.status, body: (await r.json().catch(() => null)) as T };
    },
  };
}
