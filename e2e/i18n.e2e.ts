import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launch, newPage, signIn } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

test('switching to English and back survives a reload', async () => {
  const { context, page } = await newPage(browser);
  await signIn(page, 'admin');
  const nav = page.getByTestId('nav-network');
  await expect.poll(() => nav.textContent()).toBe('服务网络');

  await page.getByTestId('lang-en').click();
  await expect.poll(() => nav.textContent()).toBe('Service network');
  expect(await page.evaluate(() => localStorage.getItem('wushe.lang'))).toBe('en');
  await page.reload();
  await expect.poll(() => page.getByTestId('nav-network').textContent()).toBe('Service network');
  expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');

  await page.getByTestId('lang-zh').click();
  await expect.poll(() => page.getByTestId('nav-network').textContent()).toBe('服务网络');
  await page.reload();
  await expect.poll(() => page.getByTestId('nav-network').textContent()).toBe('服务网络');
  expect(await page.evaluate(() => localStorage.getItem('wushe.lang'))).toBe('zh');
  await context.close();
});
