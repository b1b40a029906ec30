import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiAs, apiIdle, launch, newPage, shot, signIn } from './rig.js';

interface Proposal {
  field: string;
  status: string;
  decided: { sensitivity: string; masking: string } | null;
}

/** The detection card's row for `field`. */
const row = (page: Page, field: string) =>
  page.getByTestId('detection').locator('tr', { hasText: field });

/** Waits until the detection card has its rows and no query of it is under way. */
async function detectionShown(page: Page): Promise<void> {
  await expect
    .poll(() => page.getByTestId('detection').locator('.ant-table-row').count())
    .toBeGreaterThan(1);
  await expect
    .poll(() => page.getByTestId('detection').locator('.ant-spin-spinning').count())
    .toBe(0);
}

// Two-character Chinese button labels are shown with a space between the characters.
const ACCEPT = /^采\s?纳$/;
const CHANGE = /^修\s?改$/;

describe('personal data detection on a pooled resource', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(() => browser?.close());

  it('the provider accepts one proposal and sets its own sensitivity and masking for another', async () => {
    const { context, page } = await newPage(browser);
    await signIn(page, 'scjg.officer');
    // the home page's task leads to the pooled resources; the list says which have fields to decide
    await page.getByRole('link', { name: /待确认的个人信息识别结果/ }).click();
    await page.waitForURL(/\/pool$/);
    const listed = page
      .getByTestId('pool-resources')
      .locator('tr', { has: page.getByRole('link', { name: '市场主体登记信息', exact: true }) });
    await expect
      .poll(() => listed.getByTestId('proposals-pending').innerText())
      .toBe('3 个字段待确认识别结果');
    await expect
      .poll(() => page.getByTestId('side-menu').locator('.ant-menu-item-selected').innerText())
      .toBe('归集资源');
    await apiIdle(page);
    await page.waitForTimeout(300); // the menu group's opening animation
    await shot(page, 'pool-list-pending');
    await page.getByRole('link', { name: '市场主体登记信息', exact: true }).click();
    await page.waitForURL(/\/pool\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').pop()!;
    await detectionShown(page);
    const name = row(page, 'legal_rep_id_card');
    expect(await name.innerText()).toMatch(
      /身份证号[\s\S]*100%[\s\S]*200[\s\S]*个人信息 · 部分遮盖[\s\S]*首批数据[\s\S]*待确认/,
    );
    await shot(page, 'pool-detection');

    await row(page, 'legal_rep')
      .filter({ hasNotText: 'id_card' })
      .getByRole('button', { name: ACCEPT })
      .click();
    await expect
      .poll(() => row(page, 'legal_rep').filter({ hasNotText: 'id_card' }).innerText())
      .toContain('已采纳');
    // the catalog entry says so already: no new version
    await expect
      .poll(() => page.locator('.ant-message').innerText())
      .toContain('目录第 1 版已是如此');

    await name.getByRole('button', { name: CHANGE }).click();
    const change = page.getByTestId('change-legal_rep_id_card');
    await change.getByLabel('敏感级别').click();
    await page.locator('.ant-select-dropdown:visible').getByTitle('敏感', { exact: true }).click();
    await change.getByLabel('脱敏方式').click();
    await page.locator('.ant-select-dropdown:visible').getByTitle('哈希', { exact: true }).click();
    await change.getByRole('button', { name: /^确\s?定$/ }).click();
    await expect.poll(() => name.innerText()).toMatch(/已修改[\s\S]*敏感 · 哈希/);
    // written into a new draft version of the catalog entry, reviewed and published like any edit
    await expect
      .poll(() => page.locator('.ant-message').innerText())
      .toContain('已写入目录第 2 版草稿，提交审核并发布后生效');
    await detectionShown(page);
    // closed, not mid-fade
    await expect.poll(() => page.locator('.ant-popover:not(.ant-popover-hidden)').count()).toBe(0);
    await shot(page, 'pool-detection-decided');

    // What the page shows is what the API recorded.
    const scjg = await apiAs('scjg.officer');
    const { body } = await scjg.get<{ items: Proposal[] }>(`/resources/${id}/classification`);
    const byField = Object.fromEntries(body.items.map((p) => [p.field, p]));
    expect(byField.legal_rep.status).toBe('accepted');
    expect(byField.legal_rep_id_card).toMatchObject({
      status: 'changed',
      decided: { sensitivity: 'sensitive', masking: 'hash' },
    });
    const entry = (
      await scjg.get<{
        status: string;
        fields: { name: string; sensitivity: string; masking: string }[];
      }>(`/resources/${id}`)
    ).body;
    expect(entry.status).toBe('draft');
    expect(entry.fields.find((f) => f.name === 'legal_rep_id_card')).toMatchObject({
      sensitivity: 'sensitive',
      masking: 'hash',
    });
    await context.close();
  });

  it('an auditor sees the proposals but cannot decide them', async () => {
    const { context, page } = await newPage(browser);
    const { body } = await (await apiAs('scjg.officer')).get<{
      items: { resourceId: string; name: string }[];
    }>('/pool/resources');
    const id = body.items.find((r) => r.name === '市场主体登记信息')!.resourceId;
    await signIn(page, 'auditor');
    await page.goto(`/pool/${id}`);
    await detectionShown(page);
    expect(await row(page, 'legal_rep_id_card').innerText()).toContain('身份证号');
    expect(await page.getByTestId('detection').getByRole('button', { name: ACCEPT }).count()).toBe(
      0,
    );
    expect(await page.getByTestId('detection').getByRole('button', { name: CHANGE }).count()).toBe(
      0,
    );
    await context.close();
  });
});
