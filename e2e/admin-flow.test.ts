import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { makeUscc, orgCodeCheckChar } from '../src/lib/check-digits.js';
import { PASSWORD, launch, menuLabels, newPage, shot, signIn, submitLogin } from './rig.js';

/** A valid 统一社会信用代码 whose embedded organisation code is itself valid (GB 11714). */
function freshUscc(): string {
  const body8 = String(Date.now() % 100_000_000).padStart(8, '0');
  return makeUscc(`11330100${body8}${orgCodeCheckChar(body8)}`);
}

describe('administration by the platform admin', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('creates an organisation and a user; that user then sees only the menu their roles allow', async () => {
    const { page, context } = await newPage(browser);
    const suffix = Date.now().toString(36);
    const orgName = `测试数据局${suffix}`;
    const username = `e2e.officer.${suffix}`;

    await signIn(page, 'admin');
    expect(await menuLabels(page)).toEqual([
      '工作台',
      '资源目录',
      '数据登记',
      '共享',
      '数据归集',
      '审计',
      '系统管理',
      '组织机构',
      '用户',
      'API 客户端',
    ]);
    await expect.poll(() => page.getByTestId('deployment-name').innerText()).not.toBe('');

    // Organisation: a wrong check character is hinted before the server is asked; the right one
    // saves.
    await page.getByRole('link', { name: '组织机构' }).click();
    await page.getByTestId('org-create').click();
    const dialog = page.getByRole('dialog', { name: '新建机构' });
    await dialog.getByLabel('机构名称').fill(orgName);
    const code = freshUscc();
    const wrong = code.slice(0, 17) + (code[17] === '0' ? '1' : '0');
    await dialog.getByLabel('统一社会信用代码').fill(wrong);
    await expect.poll(() => dialog.getByText(/校验位不符/).count()).toBeGreaterThan(0);
    // The hint does not block: the server is the authority and refuses it on the field.
    const refused = page.waitForResponse(
      (r) => r.url().endsWith('/api/v1/orgs') && r.request().method() === 'POST',
    );
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    const refusal = await refused;
    expect(refusal.status()).toBe(400);
    const { error } = await refusal.json();
    expect(error.details).toMatchObject({ field: 'code', rule: 'uscc_check_digit' });
    await expect
      .poll(() => dialog.locator('.ant-form-item-explain-error').innerText())
      .toMatch(/服务器校验未通过/);
    await page.waitForTimeout(300); // let the message's entry animation finish for the screenshot
    await shot(page, 'admin-org-code-refused');
    await dialog.getByLabel('统一社会信用代码').fill(code);
    await expect.poll(() => dialog.getByText(/校验位不符/).count()).toBe(0);
    await shot(page, 'admin-org-create');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await expect.poll(() => page.getByRole('cell', { name: orgName, exact: true }).count()).toBe(1);
    await expect.poll(() => page.getByRole('cell', { name: code, exact: true }).count()).toBe(1);
    await shot(page, 'admin-orgs');

    // User in the new organisation, as its data officer.
    await page.getByRole('link', { name: '用户', exact: true }).click();
    await page.getByTestId('user-create').click();
    const userDialog = page.getByRole('dialog', { name: '新建用户' });
    await userDialog.getByLabel('所属单位').click();
    await page.locator('.ant-select-tree-node-content-wrapper', { hasText: orgName }).click();
    await userDialog.getByLabel('用户名').fill(username);
    await userDialog.getByLabel('姓名').fill('测试专员');
    await userDialog.getByLabel('初始密码').fill(PASSWORD);
    await userDialog.getByLabel('角色').click();
    await page.locator('.ant-select-item-option', { hasText: '数据专员' }).click();
    // the default consumer role off again
    await page.locator('.ant-select-item-option', { hasText: '数据使用人员' }).click();
    await page.keyboard.press('Escape');
    await shot(page, 'admin-user-create');
    await userDialog.getByRole('button', { name: /保\s*存/ }).click();
    await expect.poll(() => userDialog.isVisible()).toBe(false);
    await page.getByLabel('查询').first().fill(username);
    await page.getByRole('button', { name: /查\s*询/ }).click();
    const row = page.getByRole('row', { name: new RegExp(username.replace(/\./g, '\\.')) });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.innerText()).toContain('数据专员');
    expect(await row.innerText()).toContain(orgName);
    await shot(page, 'admin-users');

    // Sign out, sign in as the new officer.
    await page.getByTestId('sign-out').click();
    await page.waitForURL(/\/login$/);
    await submitLogin(page, username);
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
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
    expect(await page.getByTestId('current-org').innerText()).toBe(orgName);
    for (const absent of ['质量', '异议', '开放', '授权运营', '考核', '审计', '组织机构']) {
      expect(await page.getByTestId('side-menu').getByText(absent, { exact: true }).count()).toBe(
        0,
      );
    }
    // Pages outside the roles are refused even by URL.
    await page.goto('/admin/orgs');
    await expect.poll(() => page.getByText('无权访问').count()).toBe(1);
    await page.goto('/');
    await shot(page, 'officer-home');
    await context.close();
  });

  it('a consumer sees the workbench, the catalog, registration and sharing only', async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, 'gaj.consumer');
    expect(await menuLabels(page)).toEqual(['工作台', '资源目录', '数据登记', '共享']);
    await expect.poll(() => page.getByTestId('workbench-tasks').isVisible()).toBe(true);
    await shot(page, 'consumer-home');
    await context.close();
  });
});
