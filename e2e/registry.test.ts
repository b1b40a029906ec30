import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { apiAs, apiIdle, launch, newPage, shot, signIn } from './rig.js';

describe('the function data list’s 审定 [003 §10]', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(() => browser?.close());

  it('a body adds a duty and submits its list; the authority’s reviewer finds it from the home page and approves it', async () => {
    const officer = await newPage(browser);
    await signIn(officer.page, 'jyj.officer');
    await officer.page.goto('/registry/functions');
    const status = officer.page.getByTestId('function-list-status');
    await officer.page.getByLabel('职能（事项）').fill('学籍管理');
    await officer.page.getByLabel('职责依据').fill('《中小学生学籍管理办法》第三条');
    await officer.page.getByLabel('产生的数据').fill('中小学生学籍信息');
    await officer.page.getByRole('button', { name: /^添\s?加$/ }).click();
    await expect
      .poll(() => officer.page.locator('.ant-table-row', { hasText: '中小学生学籍信息' }).count())
      .toBe(1);
    await expect.poll(() => status.innerText()).toContain('未提交审定');
    await officer.page.getByRole('button', { name: '提交审定' }).click();
    await expect.poll(() => status.innerText()).toContain('待主管部门审定');
    await apiIdle(officer.page);
    await shot(officer.page, 'registry-functions-submitted');

    const reviewer = await newPage(browser);
    await signIn(reviewer.page, 'reviewer');
    await reviewer.page.getByRole('link', { name: /待审定的职能数据清单/ }).click();
    await reviewer.page.waitForURL(/\/registry\/functions$/);
    const row = reviewer.page
      .getByTestId('function-lists-waiting')
      .locator('.ant-table-row', { hasText: '示范市教育局' });
    await row.getByRole('button', { name: /^查\s?看$/ }).click();
    await expect
      .poll(() => reviewer.page.locator('.ant-modal-body').innerText())
      .toContain('中小学生学籍信息');
    await apiIdle(reviewer.page);
    await shot(reviewer.page, 'registry-functions-review');
    await reviewer.page.locator('.ant-modal-close').click();
    await row.getByRole('button', { name: '审定通过' }).click();
    await expect.poll(() => row.count()).toBe(0);

    // what the body sees, and what the API holds
    await officer.page.reload();
    await expect.poll(() => status.innerText()).toContain('已审定');
    const { body } = await (await apiAs('jyj.officer')).get<{
      review: { status: string; decidedBy: string };
    }>('/function-data');
    expect(body.review).toMatchObject({ status: 'approved' });
    await officer.context.close();
    await reviewer.context.close();
  });
});
