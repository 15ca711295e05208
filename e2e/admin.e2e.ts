import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launch, newPage, PASSWORD, signIn } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('administration', () => {
  test('editing a station records the change in its history', async () => {
    const { context, page } = await newPage(browser);
    await signIn(page, 'admin');
    await page.getByTestId('unit-search').fill('七星岗街道');
    await page.getByTestId('unit-search-option').filter({ hasText: '七星岗街道社会工作服务站' }).first().click();
    await expect.poll(() => page.getByTestId('unit-detail-name').textContent()).toBe('七星岗街道社会工作服务站');
    await page.getByTestId('unit-edit').click();
    const phone = `023-6380 ${String(Date.now()).slice(-4)}`;
    await page.getByTestId('unit-phone').fill(phone);
    await page.getByTestId('unit-phone').press('Enter');
    await page.getByTestId('unit-form-drawer').waitFor({ state: 'hidden' });
    await expect.poll(() => page.getByTestId('unit-descriptions').textContent()).toContain(phone);
    await page.getByTestId('tab-history').click();
    await expect.poll(() => page.getByTestId('history-tab').textContent()).toContain(phone);
    await context.close();
  });

  test('a new user must change the password at first sign-in', async () => {
    const { context, page } = await newPage(browser);
    await signIn(page, 'admin');
    await page.goto('/users');
    await page.getByTestId('user-create').click();
    const username = `e2e_${Date.now().toString(36)}`;
    await page.getByTestId('user-username').fill(username);
    await page.getByTestId('user-display-name-input').fill('测试 社工');
    await page.getByTestId('user-role').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '社工站社工' }).first().click();
    await page.getByTestId('user-unit').click();
    await page.keyboard.type('七星岗');
    await page.locator('.ant-select-item-option').filter({ hasText: '七星岗街道社会工作服务站' }).first().click();
    await page.getByTestId('user-password').fill(PASSWORD);
    await page.getByTestId('user-password-confirm').fill(PASSWORD);
    await page.getByTestId('user-password-confirm').press('Enter');
    await expect.poll(() => page.getByTestId('users-table').textContent()).toContain(username);

    await page.getByTestId('user-menu').click();
    await page.getByTestId('menu-logout').click();
    await page.getByTestId('login-card').waitFor();
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-password').press('Enter');
    await page.getByTestId('change-password-card').waitFor();
    const next = 'Qixing#2026new';
    await page.getByTestId('current-password').fill(PASSWORD);
    await page.getByTestId('new-password').fill(next);
    await page.getByTestId('confirm-password').fill(next);
    await page.getByTestId('confirm-password').press('Enter');
    // Signed in for real now: the shell shows the user (on the page they came from, which they may read).
    await page.getByTestId('app-header').waitFor();
    await expect.poll(() => page.getByTestId('user-display-name').textContent()).toBe('测试 社工');
    expect(await page.getByTestId('change-password-card').count()).toBe(0);
    await context.close();
  });
});
