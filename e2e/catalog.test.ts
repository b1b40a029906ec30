import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiAs, launch, newPage, shot, signIn } from './rig.js';

/** The result names of the catalog page as shown. */
async function resultNames(page: Page): Promise<string[]> {
  const rows = page.getByTestId('catalog-results').locator('.ant-table-row');
  await rows.first().waitFor();
  return rows.evaluateAll((trs) =>
    trs.map((tr) => tr.querySelector('a')?.textContent?.trim() ?? ''),
  );
}

async function act(page: Page, action: string, comment: string): Promise<void> {
  await page.getByTestId(`action-${action}`).click();
  await page.getByTestId('action-comment').fill(comment);
  await page.getByTestId('confirm-action').click();
}

describe('the catalog in the browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(() => browser?.close());

  it('finds 市场主体登记信息 by the words 企业 登记, with facet counts, and opens it', async () => {
    const { context, page } = await newPage(browser);
    await signIn(page, 'jtj.consumer');
    await page.goto('/catalog');
    expect((await resultNames(page)).length).toBeGreaterThan(10);
    await page.getByTestId('catalog-search').locator('input').fill('企业 登记');
    await page.getByTestId('catalog-search').locator('input').press('Enter');
    await page.waitForURL(/q=/);
    await expect.poll(async () => (await resultNames(page))[0]).toBe('市场主体登记信息');
    const names = await resultNames(page);
    expect(names).not.toContain('企业纳税信息');
    await expect
      .poll(() => page.getByTestId('facet-provider').innerText())
      .toContain('示范市市场监督管理局');
    await shot(page, 'catalog-search');
    await page.getByRole('link', { name: '市场主体登记信息' }).first().click();
    await expect
      .poll(() => page.getByTestId('resource-name').innerText())
      .toContain('市场主体登记信息');
    await expect
      .poll(() => page.getByTestId('fields-table').innerText())
      .toContain('统一社会信用代码');
    // a consumer has no lifecycle buttons
    expect(await page.getByTestId('resource-actions').locator('button').count()).toBe(0);
    await shot(page, 'catalog-detail');
    await context.close();
  });

  it('takes a draft through edit → submit → approve → publish, each by its own person, and shows the diff', async () => {
    const officerApi = await apiAs('gaj.officer');
    const found = await officerApi.get<{ items: { id: string; name: string; status: string }[] }>(
      `/resources?mine=true&status=draft&q=${encodeURIComponent('治安')}`,
    );
    const entry = found.body.items.find((i) => i.name === '重点场所治安管理信息')!;
    expect(entry).toBeTruthy();

    const officer = (await newPage(browser)).page;
    await signIn(officer, 'gaj.officer');
    await officer.goto(`/catalog/${entry.id}`);
    await officer.getByRole('button', { name: /编\s*辑/ }).click();
    await officer.waitForURL(/\/edit$/);
    const summary = officer.getByTestId('f-summary');
    await expect.poll(() => summary.inputValue()).toContain('特种行业');
    // the form refuses an empty summary before it reaches the server
    await summary.fill('');
    await officer.getByTestId('save').click();
    await expect
      .poll(() => officer.locator('.ant-form-item-explain-error').first().innerText())
      .toContain('必填');
    await summary.fill('旅馆业、娱乐场所、印章业等特种行业治安管理检查记录（浏览器测试修订）');
    await officer.getByTestId('f-comment').fill('补充印章业');
    await officer.getByTestId('save').click();
    await officer.waitForURL((u) => !u.pathname.endsWith('/edit'));
    await expect.poll(() => officer.getByTestId('versions').innerText()).toContain('v2');
    await act(officer, 'submit', '请审核');
    await expect.poll(() => officer.getByTestId('status-tag').first().innerText()).toBe('待审核');
    expect(await officer.getByTestId('action-approve').count()).toBe(0);

    const reviewer = (await newPage(browser)).page;
    await signIn(reviewer, 'reviewer');
    await reviewer.goto('/catalog/review');
    await reviewer
      .getByTestId('queue-submitted')
      .getByRole('link', { name: '重点场所治安管理信息' })
      .click();
    expect(await reviewer.getByTestId('action-publish').count()).toBe(0);
    await act(reviewer, 'approve', '同意');
    await expect.poll(() => reviewer.getByTestId('status-tag').first().innerText()).toBe('已审核');

    const admin = (await newPage(browser)).page;
    await signIn(admin, 'admin');
    await admin.goto(`/catalog/${entry.id}`);
    await act(admin, 'publish', '发布');
    await expect.poll(() => admin.getByTestId('status-tag').first().innerText()).toBe('已发布');
    await expect
      .poll(() => admin.getByTestId('history').innerText())
      .toMatch(/发布[\s\S]*审核通过[\s\S]*提交审核[\s\S]*编辑/);
    await expect.poll(() => admin.getByTestId('diff').innerText()).toContain('浏览器测试修订');
    // only the summary changed: the form keeps field attributes it has no input for (the validator)
    expect(await admin.getByTestId('diff').innerText()).not.toContain('validator');
    await shot(admin, 'catalog-published-diff');

    const outsider = await apiAs('jyj.consumer');
    const seen = await outsider.get<{ status: string; version: number; summary: string }>(
      `/resources/${entry.id}`,
    );
    expect(seen.body).toMatchObject({ status: 'published', version: 2 });
    expect(seen.body.summary).toContain('浏览器测试修订');
  });
});
