import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { apiAs, baseUrl, launch, menuLabels, newPage, shot, signIn } from './rig.js';

interface UserRow {
  id: string;
  username: string;
  orgName: string;
}

describe('a data officer and other organisations', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('sees only their own organisation’s users and cannot open another organisation’s user by URL', async () => {
    const admin = await apiAs('admin');
    const other = (await admin.get<{ items: UserRow[] }>('/users?q=scjg.officer')).body.items.find(
      (u) => u.username === 'scjg.officer',
    );
    const own = (await admin.get<{ items: UserRow[] }>('/users?q=gaj.consumer')).body.items.find(
      (u) => u.username === 'gaj.consumer',
    );
    expect(other && own).toBeTruthy();

    const { page, context } = await newPage(browser);
    await signIn(page, 'gaj.officer');
    expect(await menuLabels(page)).toEqual([
      '工作台',
      '资源目录',
      '数据登记',
      '共享',
      '数据归集',
      '系统管理',
      '用户',
      'API 客户端',
    ]);

    await page.goto('/admin/users');
    await expect.poll(() => page.locator('.ant-table-row').count()).toBeGreaterThan(0);
    const orgs = new Set(await page.locator('.ant-table-row td:nth-child(3)').allInnerTexts());
    expect([...orgs]).toEqual(['示范市公安局']);
    await shot(page, 'officer-users');

    // Own organisation's user opens.
    await page.goto(`/admin/users/${own!.id}`);
    await expect.poll(() => page.getByTestId('user-detail').isVisible()).toBe(true);
    expect(await page.getByTestId('user-detail').innerText()).toContain('gaj.consumer');

    // Another organisation's user: the API answers 404 and the page shows "not found", no data.
    const answered = page.waitForResponse((r) => r.url().endsWith(`/api/v1/users/${other!.id}`));
    await page.goto(`/admin/users/${other!.id}`);
    expect((await answered).status()).toBe(404);
    await expect.poll(() => page.getByText('未找到', { exact: true }).count()).toBe(1);
    expect(await page.getByText('scjg.officer').count()).toBe(0);
    expect(await page.getByTestId('user-detail').count()).toBe(0);
    await shot(page, 'officer-other-org-user');
    await context.close();
  });

  it('resets a colleague’s password (shown once) and disables and re-enables the account', async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, 'gaj.officer');
    await page.goto('/admin/users');
    const row = page.getByRole('row', { name: /gaj\.cdo/ });
    await row.getByRole('button', { name: /重置密码/ }).click();
    await page
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /确\s*定/ })
      .click();
    const secret = page.getByTestId('secret-value');
    await secret.waitFor();
    const password = await secret.inputValue();
    expect(password.length).toBeGreaterThanOrEqual(8);
    await shot(page, 'officer-reset-password');
    await page.getByTestId('secret-close').click();
    const login = (pw: string) =>
      fetch(`${baseUrl()}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'gaj.cdo', password: pw }),
      }).then((r) => r.status);
    expect(await login(password)).toBe(200);

    const toggle = row.getByRole('switch', { name: /gaj\.cdo/ });
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-checked')).toBe('false');
    expect(await login(password)).toBe(403);
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-checked')).toBe('true');
    expect(await login(password)).toBe(200);
    await context.close();
  });
});
