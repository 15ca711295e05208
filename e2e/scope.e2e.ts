import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expandNode, launch, newPage, signIn } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function expectNowhere(page: Page, own: string, foreign: string, ownStation: string) {
  // tree: the user's own station is the top, and the neighbour never shows
  await page.getByTestId('network-page').waitFor();
  await expandNode(page, ownStation);
  await page.waitForLoadState('networkidle');
  expect(await page.getByTestId('unit-tree').textContent()).not.toContain(foreign);
  expect(await page.getByTestId('unit-tree').textContent()).toContain(own);

  // units search: typing the neighbour's name finds nothing
  await page.getByTestId('unit-search').fill(foreign);
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(500);
  expect(await page.getByTestId('unit-search-option').count()).toBe(0);
  const apiAnswer = await page.evaluate(
    async (q) => (await fetch(`/api/units?q=${encodeURIComponent(q)}`, { credentials: 'include' })).json(),
    foreign,
  );
  expect(apiAnswer.items).toEqual([]);

  // coverage: own region only
  await page.getByTestId('nav-coverage').click();
  await page.getByTestId('coverage-table').waitFor();
  await page.waitForLoadState('networkidle');
  expect(await page.getByTestId('coverage-page').textContent()).not.toContain(foreign);
  expect(await page.locator('[data-testid="coverage-row"]').count()).toBeGreaterThan(0);
  expect(await page.locator(`[data-testid="coverage-row"][data-region-name*="${foreign}"]`).count()).toBe(0);
}

describe('scope: a street worker never sees the neighbouring street', () => {
  test('jfb_sw sees nothing of 七星岗', async () => {
    const { context, page } = await newPage(browser);
    await signIn(page, 'jfb_sw');
    await expectNowhere(page, '解放碑', '七星岗', '解放碑街道社会工作服务站');
    await context.close();
  });

  test('qxg_sw sees nothing of 解放碑', async () => {
    const { context, page } = await newPage(browser);
    await signIn(page, 'qxg_sw');
    await expectNowhere(page, '七星岗', '解放碑', '七星岗街道社会工作服务站');
    await context.close();
  });
});
