import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { enterHotlineTicket, launch, newPage, PHONE, shot, signIn, ticketAction } from './browser';

const QXG = '七星岗街道社会工作服务站';
const JFB = '解放碑街道社会工作服务站';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('每日一报', () => {
  test("a hotline call becomes a ticket routed to 七星岗 and is solved; the station files today's report on a phone; 渝中区's roll-up counts it while 解放碑, not reported, is listed missing", async () => {
    // A 七星岗 worker takes a hotline call from 兴隆街: the ticket is routed to the station, accepted and solved.
    const worker = await newPage(browser);
    await signIn(worker.page, 'qxg_sw');
    await enterHotlineTicket(worker.page, `降压药断了，行动不便 ${Date.now() % 100_000}`, { name: '李奶奶', phone: '13900139000' });
    expect(await worker.page.getByTestId('ticket-unit').textContent()).toBe(QXG);
    await ticketAction(worker.page, 'accept', '已受理');
    await ticketAction(worker.page, 'solve', '已办结', async (modal) => {
      await modal.getByTestId('ticket-solution').fill('联系社区医生开药，网格员当天送到');
    });
    await worker.context.close();

    // 七星岗's head, on a phone: today's form with the pre-filled figures, highlights, submit → locked.
    const station = await newPage(browser, PHONE);
    await signIn(station.page, 'qxg_head');
    await station.page.goto('/daily-report');
    const form = station.page.getByTestId('daily-report-form');
    await form.waitFor();
    await station.page.getByTestId('figure-peopleServed').waitFor();
    await shot(station.page, 'daily-report-form');
    if ((await form.getAttribute('data-status')) !== 'submitted') {
      expect(await station.page.getByTestId('prefill-hint').count()).toBeGreaterThan(10);
      // The solved ticket is in the pre-filled figures: problems solved today, 缺药.
      expect(Number(await station.page.getByTestId('solved-medicine').inputValue())).toBeGreaterThanOrEqual(1);
      expect(Number(await station.page.getByTestId('figure-ticketsReceived').inputValue())).toBeGreaterThanOrEqual(1);
      await station.page.getByTestId('figure-calls').fill('6');
      await station.page.getByTestId('daily-report-highlights').fill('热线值班，为独居老人链接爱心粮油');
      await station.page.getByTestId('daily-report-submit').click();
      await station.page.locator('[data-testid="daily-report-form"][data-status="submitted"]').waitFor();
    }
    await station.page.getByTestId('daily-report-locked').waitFor();
    expect(await station.page.getByTestId('figure-calls').isDisabled()).toBe(true);
    await station.page.getByTestId('daily-report-history').waitFor();
    await shot(station.page, 'daily-report-submitted');
    await station.context.close();

    // The district centre: today's roll-up lists 七星岗 as filed and 解放碑 as missing.
    const centre = await newPage(browser);
    await signIn(centre.page, 'yz_centre');
    await centre.page.getByTestId('nav-daily-report').click();
    await centre.page.getByTestId('daily-rollup-page').waitFor();
    const qxgRow = centre.page.locator(`[data-testid="rollup-child"][data-name="${QXG}"]`);
    await qxgRow.waitFor();
    expect(await qxgRow.getAttribute('data-filed')).toBe('1');
    expect(Number(await qxgRow.getAttribute('data-solved'))).toBeGreaterThanOrEqual(1);
    await centre.page.locator(`[data-testid="rollup-missing-row"][data-name="${JFB}"]`).waitFor();
    expect(await centre.page.locator(`[data-testid="rollup-missing-row"][data-name="${QXG}"]`).count()).toBe(0);
    const completeness = centre.page.getByTestId('rollup-completeness');
    expect(Number(await completeness.getAttribute('data-filed'))).toBeGreaterThanOrEqual(1);
    expect(Number(await completeness.getAttribute('data-due'))).toBeGreaterThanOrEqual(2);
    await shot(centre.page, 'daily-report-rollup');
    // The station's report opens with its figures; the centre may return it.
    await qxgRow.click();
    const drawer = centre.page.getByTestId('rollup-report-drawer');
    await drawer.getByTestId('daily-report-status').waitFor();
    expect(await drawer.getByTestId('daily-report-status').getAttribute('data-status')).toBe('submitted');
    await drawer.getByTestId('rollup-return-open').waitFor();
    await shot(centre.page, 'daily-report-drawer');
    await centre.context.close();
  });

  test('the administrator sets the reminder time (系统设置 → 每日一报)', async () => {
    const admin = await newPage(browser);
    await signIn(admin.page, 'admin');
    await admin.page.goto('/settings/daily-reports');
    await admin.page.getByTestId('daily-report-settings-page').waitFor();
    const time = admin.page.getByTestId('daily-report-reminder-time');
    await time.click();
    await time.fill('18:30');
    await time.press('Enter');
    await admin.page.getByTestId('daily-report-settings-save').click();
    await admin.page.locator('.ant-message-success').waitFor();
    const res = await admin.page.request.get('/api/daily-reports/settings');
    expect((await res.json()).reminderTime).toBe('18:30');
    await shot(admin.page, 'daily-report-settings');
    await admin.context.close();
  });
});
