import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launch, newPage, PHONE, shot, signIn } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const card = (page: Page, title: string) => page.locator(`[data-testid="errand-card"][data-errand-title="${title}"]`);
const balance = async (page: Page) => Number(await page.getByTestId('errands-balance').getAttribute('data-balance'));

describe('errand board (跑腿抢单)', () => {
  test('a worker posts an errand for a resident, a volunteer grabs it live and completes it, the worker confirms, the balance rises', async () => {
    const title = `代购蔬菜 ${Date.now() % 100_000}`;

    // The courier (qxg_vol, an active courier volunteer of 七星岗) watches the board on a phone.
    const vol = await newPage(browser, PHONE);
    await signIn(vol.page, 'qxg_vol');
    await vol.page.goto('/errands');
    await vol.page.getByTestId('errands-page').waitFor();
    await expect.poll(async () => vol.page.getByTestId('errands-live').getAttribute('data-live'), { timeout: 10_000 }).toBe('true');
    await expect.poll(() => vol.page.getByTestId('errands-balance').getAttribute('data-balance')).not.toBe('');
    const before = await balance(vol.page);
    // The demo's open errands of 兴隆街 are on the board.
    await card(vol.page, '代购降压药和一周的蔬菜').waitFor();
    await shot(vol.page, 'errands-board');

    // The community worker of 兴隆街 posts an errand for a resident.
    const cw = await newPage(browser);
    await signIn(cw.page, 'qxg_cw');
    await cw.page.goto('/errands');
    await cw.page.getByTestId('errand-post').click();
    await cw.page.getByTestId('errand-title').fill(title);
    await cw.page.getByTestId('errand-details').fill('王婆婆要一周的蔬菜，放在门口');
    await cw.page.getByTestId('errand-place').fill('兴隆街 12 号 3 楼');
    await cw.page.getByTestId('errand-reward').fill('2');
    await shot(cw.page, 'errands-post-form');
    await cw.page.getByTestId('form-modal-submit').click();
    await card(cw.page, title).waitFor();
    const posted = Date.now();

    // The board on the phone shows it without a reload (live), and the volunteer grabs it.
    await card(vol.page, title).waitFor({ timeout: 5_000 });
    expect(Date.now() - posted).toBeLessThan(5_000);
    await card(vol.page, title).getByTestId('errand-grab').click();
    await vol.page.locator('.ant-message-notice').first().waitFor();
    await card(vol.page, title).waitFor({ state: 'detached' });
    // The worker's list follows the grab live.
    await expect.poll(() => card(cw.page, title).getAttribute('data-status'), { timeout: 3_000, interval: 100 }).toBe('assigned');

    await vol.page.getByTestId('errands-view').getByText('我的跑腿').click();
    await expect.poll(() => card(vol.page, title).getAttribute('data-status')).toBe('assigned');
    await card(vol.page, title).getByTestId('errand-complete').click();
    await expect.poll(() => card(vol.page, title).getAttribute('data-status')).toBe('done');
    await shot(vol.page, 'errands-mine');

    // The volunteer's own phone view (我的志愿服务) lists the errand in hand, waiting for the confirmation.
    await vol.page.goto('/my/volunteer');
    const held = vol.page.getByTestId('my-errand').filter({ hasText: title });
    await held.waitFor();
    expect(await held.getByTestId('errand-status').textContent()).toBe('待确认');
    await shot(vol.page, 'my-volunteer-errands');
    await vol.page.getByTestId('my-errands-board').click();
    await vol.page.getByTestId('errands-page').waitFor();
    await expect.poll(async () => vol.page.getByTestId('errands-live').getAttribute('data-live'), { timeout: 10_000 }).toBe('true');
    await vol.page.getByTestId('errands-view').getByText('我的跑腿').click();
    await expect.poll(() => card(vol.page, title).getAttribute('data-status')).toBe('done');

    // The worker confirms; the reward lands in the volunteer's time-bank account.
    await expect.poll(() => card(cw.page, title).getAttribute('data-status'), { timeout: 5_000 }).toBe('done');
    await card(cw.page, title).getByTestId('errand-confirm').click();
    await expect.poll(() => card(cw.page, title).getAttribute('data-status')).toBe('confirmed');
    await shot(cw.page, 'errands-all');
    await expect.poll(() => balance(vol.page), { timeout: 5_000, interval: 100 }).toBe(before + 2);
    await expect.poll(() => card(vol.page, title).getAttribute('data-status')).toBe('confirmed');

    // On a phone nothing scrolls sideways; the page speaks English too.
    const overflow = await vol.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await vol.page.getByTestId('lang-en').click();
    await expect.poll(() => card(vol.page, title).getByTestId('errand-status').textContent()).toBe('Confirmed');
    await expect.poll(() => vol.page.getByTestId('errands-view').textContent()).toContain('My errands');
    await shot(vol.page, 'errands-mine-en');
    await cw.context.close();
    await vol.context.close();
  });
});
