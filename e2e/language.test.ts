import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, menuLabels, newPage, shot, signIn } from './rig.js';

describe('language switch', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('switches the whole UI to English and back, and remembers the choice after a reload', async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, 'admin');
    await page.goto('/admin/users');
    expect(await menuLabels(page)).toContain('工作台');
    await expect
      .poll(() => page.locator('.ant-pagination-total-text').innerText())
      .toMatch(/^共 .* 条$/);

    await page.getByTestId('language-switch').getByText('English').click();
    await expect
      .poll(() => menuLabels(page))
      .toEqual([
        'Workbench',
        'Catalog',
        'Registration',
        'Sharing',
        'Collection',
        'Audit',
        'Administration',
        'Organisations',
        'Users',
        'API clients',
      ]);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Users');
    expect(await page.locator('html').getAttribute('lang')).toBe('en-US');
    // antd's own texts follow (pagination size changer) and numbers/dates use the English locale.
    await expect.poll(() => page.locator('.ant-pagination-options').innerText()).toMatch(/page/);
    await expect
      .poll(() => page.locator('.ant-pagination-total-text').innerText())
      .toMatch(/in total$/);
    await shot(page, 'language-english');

    await page.reload();
    await expect.poll(() => menuLabels(page)).toContain('Workbench');
    expect(await page.getByTestId('sign-out').innerText()).toContain('Sign out');

    // The sign-in page keeps the choice too.
    await page.getByTestId('sign-out').click();
    await page.waitForURL(/\/login$/);
    await expect.poll(() => page.getByTestId('login-submit').innerText()).toMatch(/Sign in/);
    await shot(page, 'language-english-login');

    await page.getByTestId('language-switch').getByText('中文').click();
    await expect.poll(() => page.getByTestId('login-submit').innerText()).toMatch(/登\s*录/);
    await page.reload();
    await expect.poll(() => page.getByTestId('login-submit').innerText()).toMatch(/登\s*录/);
    await context.close();
  });
});
