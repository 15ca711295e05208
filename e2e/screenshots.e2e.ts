import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { DESKTOP, launch, newPage, PHONE, SCREENSHOTS, shot, signIn } from './browser';

let browser: Browser;
beforeAll(async () => {
  if (SCREENSHOTS) browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function settle(page: Page) {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.waitForTimeout(600);
}

describe.skipIf(!SCREENSHOTS)('screenshots of every page (E2E_SCREENSHOTS=1)', () => {
  for (const viewport of [DESKTOP, PHONE]) {
    test(`pages at ${viewport.width}x${viewport.height}`, async () => {
      const { context, page } = await newPage(browser, viewport);
      await page.goto('/login');
      await page.getByTestId('login-card').waitFor();
      await shot(page, 'login');

      await signIn(page, 'admin');
      await page.getByTestId('unit-search').fill('七星岗');
      await page.getByTestId('unit-search-option').first().click();
      await page.getByTestId('unit-detail-name').waitFor();
      await settle(page);
      await shot(page, 'network');
      if (viewport.width < 500) {
        await page.getByTestId('unit-detail').scrollIntoViewIfNeeded();
        await shot(page, 'network-detail');
      }
      await page.getByTestId('tab-zones').click();
      await settle(page);
      await shot(page, 'network-zones');
      await page.getByTestId('tab-history').click();
      await settle(page);
      await shot(page, 'network-history');
      await page.getByTestId('unit-edit').click();
      await page.getByTestId('unit-form').waitFor();
      await settle(page);
      await shot(page, 'network-edit');
      await page.keyboard.press('Escape');
      await page.getByTestId('import-open').click();
      await settle(page);
      await shot(page, 'network-import');
      await page.keyboard.press('Escape');

      for (const route of ['coverage', 'users', 'audit']) {
        await page.goto(`/${route}`);
        await page.getByTestId(`${route}-page`).waitFor();
        await settle(page);
        await shot(page, route);
      }
      await page
        .getByTestId('tab-matrix')
        .isVisible()
        .catch(() => false);
      await page.goto('/users');
      await page.getByTestId('tab-matrix').click();
      await settle(page);
      await shot(page, 'users-matrix');
      await page.goto('/audit');
      await page.getByTestId('audit-table').locator('.ant-table-row-expand-icon:not(.ant-table-row-expand-icon-spaced)').first().click();
      await settle(page);
      await shot(page, 'audit-expanded');
      await page.goto('/change-password');
      await settle(page);
      await shot(page, 'change-password');
      if (viewport.width < 500) {
        await page.goto('/coverage');
        await page.getByTestId('nav-toggle').click();
        await settle(page);
        await shot(page, 'nav-drawer');
        await page.getByTestId('side-menu').getByTestId('nav-network').click();
        await page.getByTestId('nav-drawer').waitFor({ state: 'hidden' });
      }
      await page.getByTestId('lang-en').click();
      await page.goto('/coverage');
      await settle(page);
      await shot(page, 'coverage-en');
      await page.goto('/network');
      await settle(page);
      await shot(page, 'network-en');
      await page.getByTestId('lang-zh').click();
      await context.close();
    });
  }
});
