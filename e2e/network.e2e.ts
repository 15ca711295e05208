import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expandNode, launch, newPage, pickOption, signIn, treeNode } from './browser';

const QXG_OFFICES = ['兴隆街', '华一坡', '归元寺', '捍卫路', '金汤街', '临华路', '领事巷', '抗建堂'].map((n) => `${n}社区社会工作室`);

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('service network', () => {
  test('admin browses the tree down to 七星岗 and sees its 8 community offices', async () => {
    const { context, page } = await newPage(browser);
    await signIn(page, 'admin');
    await page.getByTestId('network-page').waitFor();
    await expandNode(page, '重庆市民政局');
    await expandNode(page, '渝中区社会工作指导中心');
    await treeNode(page, '七星岗街道社会工作服务站').locator('.ant-tree-title').click();
    await expect.poll(() => page.getByTestId('unit-detail-name').textContent()).toBe('七星岗街道社会工作服务站');
    await expect.poll(() => page.getByTestId('unit-operator-name').textContent()).toContain('重庆市巴渝公益社会工作服务中心');
    await expandNode(page, '七星岗街道社会工作服务站');
    for (const office of QXG_OFFICES) await treeNode(page, office).waitFor();
    // the children tab lists the same eight
    await page.getByTestId('tab-children').click();
    await expect.poll(() => page.getByTestId('children-table').locator('tbody tr.ant-table-row').count()).toBe(8);
    await context.close();
  });

  test('a new community office under 解放碑 raises the community coverage of 渝中区 by one', async () => {
    const { context, page } = await newPage(browser);
    await signIn(page, 'admin');

    const readVillages = async () => {
      await page.goto('/coverage');
      await page.getByTestId('coverage-region').click();
      await page.keyboard.type('500103');
      await pickOption(page, 'region-option-500103');
      await expect.poll(() => page.getByTestId('coverage-region-name').textContent()).toContain('500103');
      const card = page.getByTestId('coverage-villages');
      const row = page.locator('[data-testid="coverage-row"][data-region-code="500103003"]');
      await row.waitFor();
      return { covered: Number(await card.getAttribute('data-covered')), jfb: await row.textContent() };
    };
    const before = await readVillages();

    await page.goto('/network');
    await page.getByTestId('unit-search').fill('解放碑');
    await page.getByTestId('unit-search-option').filter({ hasText: '解放碑街道社会工作服务站' }).first().click();
    await expect.poll(() => page.getByTestId('unit-detail-name').textContent()).toBe('解放碑街道社会工作服务站');
    await page.getByTestId('unit-add-child').click();
    const drawer = page.getByTestId('unit-form-drawer');
    await drawer.getByTestId('unit-region').click();
    // first community of the street that has no office yet
    const free = page
      .locator('.ant-select-item-option')
      .filter({ has: page.locator('[data-marked="false"]') })
      .first();
    await free.waitFor();
    const regionText = (await free.textContent()) ?? '';
    const communityName = regionText
      .replace(/\d+.*$/, '')
      .replace(/居民委员会|村民委员会/, '')
      .trim();
    await free.click();
    const officeName = `${communityName}社会工作室`;
    await drawer.getByTestId('unit-name').fill(officeName);
    await drawer.getByTestId('unit-name').press('Enter');
    await expect.poll(() => page.getByTestId('unit-detail-name').textContent(), { timeout: 15_000 }).toBe(officeName);
    await treeNode(page, officeName).waitFor();

    const after = await readVillages();
    expect(after.covered).toBe(before.covered + 1);
    expect(after.jfb).not.toBe(before.jfb);
    await context.close();
  });
});
