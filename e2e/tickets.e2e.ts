import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { enterHotlineTicket, launch, newPage, PHONE, pickOption, shot, signIn, ticketAction, XINGLONGJIE } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('tickets', () => {
  test('a hotline call for 兴隆街 is entered as a ticket, routed to 七星岗 station, accepted, solved and closed with feedback', async () => {
    const summary = `降压药吃完了 ${Date.now() % 100_000}`;
    const { context, page } = await newPage(browser);
    await signIn(page, 'qxg_sw');
    const code = await enterHotlineTicket(page, summary);
    expect(await page.getByTestId('ticket-unit').textContent()).toBe('七星岗街道社会工作服务站');
    expect(await page.getByTestId('ticket-status').first().textContent()).toBe('待受理');
    expect(await page.getByTestId('ticket-phone').textContent()).toBe('138****8000');

    await ticketAction(page, 'accept', '已受理');
    await ticketAction(page, 'solve', '已办结', async (modal) => {
      await modal.getByTestId('ticket-solution').fill('社区卫生服务中心配药，志愿者送药上门');
    });
    await ticketAction(page, 'close', '已回访关闭', async (modal) => {
      await modal.getByTestId('ticket-callback-reached').click();
      await modal.getByTestId('ticket-satisfaction').locator('.ant-rate-star > div').nth(4).click();
      await modal.getByTestId('ticket-feedback').fill('很及时，谢谢');
    });
    const timeline = page.getByTestId('ticket-timeline');
    await expect.poll(() => page.getByTestId('ticket-event').count(), { timeout: 15_000 }).toBe(4);
    expect(await timeline.textContent()).toContain('社区卫生服务中心配药');
    expect(await page.getByTestId('ticket-rated').locator('.ant-rate-star-full').count()).toBe(5);
    // A closed ticket can only be reopened (重办).
    await expect.poll(() => page.getByTestId('ticket-actions').locator('button').count()).toBe(1);
    await page.getByTestId('ticket-action-reopen').waitFor();
    await shot(page, 'ticket-closed');

    // It is in the list of closed tickets, found by its words.
    await page.goto(`/tickets?status=closed&q=${encodeURIComponent(summary)}`);
    await expect.poll(() => page.getByTestId('ticket-link').count(), { timeout: 15_000 }).toBe(1);
    expect(await page.getByTestId('ticket-link').textContent()).toBe(code);
    // The filtered list goes out as xlsx.
    const [sheet] = await Promise.all([page.waitForEvent('download'), page.getByTestId('ticket-export').click()]);
    expect(sheet.suggestedFilename()).toMatch(/^工单-\d{4}-\d{2}-\d{2}\.xlsx$/);
    expect((await readFile(await sheet.path())).subarray(0, 2).toString()).toBe('PK');
    await context.close();
  });

  test('the public help form (no sign-in, on a phone) files a ticket that 七星岗 station sees', async () => {
    const summary = `家里没米了，腿脚不便 ${Date.now() % 100_000}`;
    const anon = await newPage(browser, PHONE);
    await anon.page.goto('/help');
    await anon.page.getByTestId('public-ticket-page').waitFor();
    await anon.page.getByTestId('public-category-grain').click();
    await anon.page.getByTestId('public-area').click();
    await anon.page.keyboard.type('兴隆');
    // Only 兴隆街 is left once the search has answered (the first list shows every community served).
    await expect.poll(() => anon.page.locator('.ant-select-item-option').count(), { timeout: 15_000 }).toBe(1);
    await pickOption(anon.page, `area-option-${XINGLONGJIE}`);
    await anon.page.getByTestId('public-summary').fill(summary);
    await anon.page.getByTestId('public-name').fill('孙奶奶');
    await anon.page.getByTestId('public-phone').fill('13700001111');
    await shot(anon.page, 'public-help');
    await anon.page.getByTestId('public-submit').click();
    await anon.page.getByTestId('public-ticket-done').waitFor();
    const code = (await anon.page.getByTestId('public-ticket-code').textContent())?.trim() ?? '';
    expect(code).toMatch(/^GD-\d{6}-/);
    expect(await anon.page.getByTestId('public-ticket-done').textContent()).toContain('七星岗街道社会工作服务站');
    await shot(anon.page, 'public-help-done');
    await anon.context.close();

    const { context, page } = await newPage(browser, PHONE);
    await signIn(page, 'qxg_sw');
    await page.goto(`/tickets?q=${code}`);
    await expect.poll(() => page.getByTestId('ticket-row').count(), { timeout: 15_000 }).toBe(1);
    expect(await page.getByTestId('ticket-row').textContent()).toContain(summary);
    await shot(page, 'tickets-list-phone');
    await page.getByTestId('ticket-row').click();
    await page.getByTestId('ticket-page').waitFor();
    expect(await page.getByTestId('ticket-details').textContent()).toContain('网上求助');
    await shot(page, 'ticket-phone');
    await context.close();
  });

  test('the administrator sets the deadlines per urgency', async () => {
    const { context, page } = await newPage(browser);
    await signIn(page, 'admin');
    await page.goto('/tickets');
    await page.getByTestId('ticket-deadlines').click();
    const solveLow = page.locator('#low_solveHours');
    await expect.poll(() => solveLow.inputValue(), { timeout: 15_000 }).toBe('168');
    await solveLow.fill('120');
    await shot(page, 'ticket-deadlines');
    await page.getByTestId('deadlines-save').click();
    await expect
      .poll(async () => (await (await page.request.get('/api/tickets/settings')).json()).deadlines.low.solveMinutes, { timeout: 15_000 })
      .toBe(7200);
    await context.close();
  });

  test("hotlines and duty shifts: 七星岗's line and last night's shift", async () => {
    const { context, page } = await newPage(browser);
    await signIn(page, 'qxg_head');
    await page.getByTestId('nav-hotlines').click();
    await page.getByTestId('hotlines-page').waitFor();
    await expect.poll(() => page.getByTestId('hotlines-table').textContent(), { timeout: 15_000 }).toContain('七星岗街道为民服务热线');
    await expect.poll(() => page.getByTestId('shifts-table').textContent(), { timeout: 15_000 }).toContain('夜班');
    await shot(page, 'hotlines');
    await context.close();
  });
});
