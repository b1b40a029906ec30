import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { apiIdle, launch, newPage, shot, signIn, submitLogin } from './rig.js';

describe('sign-in and session', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('says clearly when the password is wrong, then when the account is locked', async () => {
    const { page, context } = await newPage(browser);
    await page.goto('/login');
    await submitLogin(page, 'jtj.consumer', 'wrong-password-1');
    const error = page.getByTestId('login-error');
    await expect.poll(() => error.getAttribute('data-code')).toBe('INVALID_CREDENTIALS');
    expect(await error.innerText()).toContain('用户名或密码错误');
    expect(await error.innerText()).toMatch(/再输错 4 次/);
    await shot(page, 'login-wrong-password');

    // Keep failing until the account locks.
    for (let i = 0; i < 6 && (await error.getAttribute('data-code')) !== 'ACCOUNT_LOCKED'; i++) {
      const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'));
      await submitLogin(page, 'jtj.consumer', `wrong-password-${i + 2}`);
      await answered;
      await expect
        .poll(() => page.getByTestId('login-submit').getAttribute('class'))
        .not.toContain('ant-btn-loading');
    }
    await expect.poll(() => error.getAttribute('data-code')).toBe('ACCOUNT_LOCKED');
    expect(await error.innerText()).toMatch(/账号已被锁定/);
    // Even the right password is refused while locked.
    const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'));
    await submitLogin(page, 'jtj.consumer');
    expect((await answered).status()).toBe(423);
    expect(await error.getAttribute('data-code')).toBe('ACCOUNT_LOCKED');
    expect(page.url()).toMatch(/\/login$/);
    await shot(page, 'login-locked');
    await context.close();
  });

  it('an expired session returns to sign-in, and then to where the user was going', async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, 'admin');
    await page.getByRole('link', { name: '用户', exact: true }).click();
    await page.waitForURL(/\/admin\/users$/);
    // Let the page's own queries answer first: one sent after the cookies go would end the session
    // here.
    await page.getByRole('link', { name: 'admin', exact: true }).waitFor();
    await apiIdle(page);

    // The session ends behind the page's back.
    await context.clearCookies();
    await page.getByRole('link', { name: '审计' }).click();
    await page.waitForURL(/\/login\?next=%2Faudit/);
    await expect.poll(() => page.getByTestId('login-expired').isVisible()).toBe(true);
    await shot(page, 'session-expired');

    await submitLogin(page, 'admin');
    await page.waitForURL(/\/audit$/);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('审计日志');

    // A full page load of a deep link without a session does the same.
    await context.clearCookies();
    await page.goto('/admin/clients?x=1');
    await page.waitForURL(/\/login\?next=%2Fadmin%2Fclients%3Fx%3D1/);
    await submitLogin(page, 'admin');
    await page.waitForURL(/\/admin\/clients\?x=1$/);
    await context.close();
  });
});
