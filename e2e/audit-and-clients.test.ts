import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { baseUrl, launch, newPage, shot, signIn } from './rig.js';

describe('audit page and API clients', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('filters the ledger by action and verifies the chain with one button', async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, 'auditor');
    await page.getByRole('link', { name: '审计' }).click();
    await expect.poll(() => page.locator('.ant-table-row').count()).toBeGreaterThan(0);

    await page.getByLabel('操作', { exact: true }).fill('auth.login');
    const answered = page.waitForResponse(
      (r) => r.url().includes('/api/v1/audit?') && r.url().includes('action=auth.login'),
    );
    await page.getByTestId('audit-search').click();
    expect((await answered).status()).toBe(200);
    await expect
      .poll(async () => {
        const actions = await page.locator('.ant-table-row td:nth-child(6)').allInnerTexts();
        return actions.length > 0 && actions.every((a) => a.trim() === 'auth.login');
      })
      .toBe(true);

    await page.getByTestId('audit-verify').click();
    const result = page.getByTestId('audit-verify-result');
    await expect.poll(() => result.getAttribute('data-ok')).toBe('true');
    expect(await result.innerText()).toMatch(/哈希链完整/);
    await shot(page, 'audit-verified');
    await context.close();
  });

  it('shows a new client’s key once in a copyable dialog; revoking it stops the key working', async () => {
    const { page, context } = await newPage(browser);
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await signIn(page, 'gaj.officer');
    await page.getByRole('link', { name: 'API 客户端' }).click();
    const name = `前置机-${Date.now().toString(36)}`;
    await page.getByTestId('client-create').click();
    const dialog = page.getByRole('dialog', { name: '新建客户端' });
    await dialog.getByLabel('名称').fill(name);
    await dialog.getByRole('button', { name: /保\s*存/ }).click();

    const secret = page.getByTestId('secret-value');
    await secret.waitFor();
    const key = await secret.inputValue();
    expect(key.length).toBeGreaterThan(20);
    await page.getByTestId('secret-copy').click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(key);
    await shot(page, 'client-key-once');
    await page.getByTestId('secret-close').click();
    await expect.poll(() => secret.count()).toBe(0);
    expect(await page.content()).not.toContain(key);

    const call = () =>
      fetch(`${baseUrl()}/api/v1/auth/me`, { headers: { authorization: `Bearer ${key}` } }).then(
        (r) => r.status,
      );
    expect(await call()).toBe(200);

    const row = page.getByRole('row', { name: new RegExp(name) });
    await expect.poll(() => row.getByTestId('client-status').innerText()).toBe('有效');
    await row.getByRole('button', { name: `吊销 ${name}` }).click();
    await page
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /吊\s*销/ })
      .click();
    await expect.poll(() => row.getByTestId('client-status').innerText()).toBe('已吊销');
    expect(await call()).toBe(401);
    await shot(page, 'client-revoked');
    await context.close();
  });
});
