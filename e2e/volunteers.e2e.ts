import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiPost, launch, me, newPage, PHONE, shot, signIn, yuzhongIdNumber } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const balance = async (page: Page) => Number(await page.getByTestId('my-balance').getAttribute('data-balance'));
const myCard = (page: Page, title: string) => page.getByTestId('my-activity').filter({ hasText: title });

describe('volunteers and activities', () => {
  test('a volunteer signs up, checks in and out with the QR code, the leader confirms the hours, the balance rises', async () => {
    const title = `社区义诊志愿服务 ${Date.now() % 100_000}`;

    // The station publishes an activity that has just begun.
    const staff = await newPage(browser);
    await signIn(staff.page, 'qxg_sw');
    const unit = (await me(staff.page)).unit;
    const activity = await apiPost<{ id: string }>(staff.page, '/api/activities', {
      title,
      place: '兴隆街社区卫生服务站门口',
      unitId: unit?.id,
      startsAt: new Date(Date.now() - 10 * 60_000).toISOString(),
      endsAt: new Date(Date.now() + 3 * 3600_000).toISOString(),
      capacity: 5,
      skills: ['测血压'],
      partners: ['community', 'volunteer', 'charity'],
    });

    // The volunteer (qxg_vol, 赵志愿) signs up on the phone.
    const vol = await newPage(browser, PHONE);
    await signIn(vol.page, 'qxg_vol');
    await vol.page.goto('/my/volunteer');
    await vol.page.getByTestId('my-volunteer-page').waitFor();
    await expect.poll(() => vol.page.getByTestId('my-balance').getAttribute('data-balance')).not.toBeNull();
    const before = await balance(vol.page);
    await vol.page.getByTestId('my-tab-open').click();
    await myCard(vol.page, title).getByTestId('my-signup').click();
    await vol.page.getByTestId('my-tab-mine').click();
    await myCard(vol.page, title).getByText('已报名').waitFor();
    await shot(vol.page, 'volunteers-my');

    // The leader's screen shows the QR code; its URL is what the phone opens.
    await staff.page.goto(`/activities/${activity.id}`);
    await staff.page.getByTestId('qr-image').waitFor();
    const qrUrl = await staff.page.getByTestId('qr-url').getAttribute('href');
    expect(qrUrl).toContain(`/v/checkin/${activity.id}?t=`);
    await shot(staff.page, 'volunteers-activity-qr');

    // Scan once: check in. Scan again: check out.
    const path = new URL(qrUrl ?? '').pathname + new URL(qrUrl ?? '').search;
    await vol.page.goto(path);
    await vol.page.getByTestId('do-check-in').click();
    await vol.page.getByTestId('checkin-done').waitFor();
    await shot(vol.page, 'volunteers-checked-in');
    await vol.page.goto(path);
    await vol.page.getByTestId('do-check-out').click();
    await vol.page.getByTestId('checkin-done').waitFor();

    // The leader records 2 hours on site (the scan-to-scan time of a test is a few seconds) and confirms.
    // (the leader's list refreshes every 10 s; a reload shows the check-out at once)
    await staff.page.reload();
    const row = staff.page.getByTestId('signups').locator('tr').filter({ hasText: '赵志愿' });
    await row.getByTestId('signup-adjust').click({ timeout: 20_000 });
    await staff.page.getByTestId('adjust-hours').fill('2');
    await staff.page.getByTestId('adjust-reason').fill('签退时间以现场登记为准');
    await staff.page.getByTestId('form-modal-submit').click();
    await row.getByTestId('signup-confirm').click();
    await row.getByText('已确认').waitFor();
    await shot(staff.page, 'volunteers-activity-confirmed');

    // The balance rose by exactly the confirmed hours (1 hour = 1 credit).
    await vol.page.goto('/my/volunteer');
    await expect.poll(() => balance(vol.page)).toBe(before + 2);

    // A second confirmation posts nothing more.
    await apiPost(staff.page, `/api/activities/${activity.id}/signups/${await signupId(staff.page, activity.id)}/confirm`, {});
    await vol.page.reload();
    await expect.poll(() => balance(vol.page)).toBe(before + 2);
    await staff.context.close();
    await vol.context.close();
  });

  test('a resident registers on the public page and the station approves them', async () => {
    const name = `报名${String(Date.now() % 10_000).padStart(4, '0')}`;
    const pub = await newPage(browser, PHONE);
    await pub.page.goto('/join');
    await pub.page.getByTestId('vf-name').fill(name);
    await pub.page.getByTestId('vf-id-number').fill(yuzhongIdNumber('19900101', 100 + (Date.now() % 800)));
    await pub.page.getByTestId('vf-phone').fill('13983009999');
    await pub.page.getByTestId('join-unit').click();
    await pub.page.locator('.ant-select-item-option').filter({ hasText: '七星岗街道社会工作服务站' }).first().click();
    await shot(pub.page, 'volunteers-join');
    await pub.page.getByTestId('join-submit').click();
    await pub.page.getByTestId('join-done').waitFor();

    const staff = await newPage(browser);
    await signIn(staff.page, 'qxg_sw');
    await staff.page.goto(`/volunteers?status=pending&q=${encodeURIComponent(name)}`);
    const row = staff.page.locator('tr').filter({ hasText: name });
    await row.getByTestId('volunteer-approve').click();
    await staff.page.getByTestId('approve-username').fill(`v${Date.now() % 1_000_000}`);
    await staff.page.getByTestId('approve-password').fill('Vol#Start2026');
    await staff.page.getByTestId('form-modal-submit').click();
    await staff.page.goto(`/volunteers?q=${encodeURIComponent(name)}`);
    await staff.page.locator('tr').filter({ hasText: name }).getByTestId('volunteer-status-active').waitFor();
    await shot(staff.page, 'volunteers-list');
    await pub.context.close();
    await staff.context.close();
  });
  test('an administrator changes the star levels; the list shows the new stars', async () => {
    const admin = await newPage(browser);
    await signIn(admin.page, 'admin');
    await admin.page.goto('/volunteers?q=赵志愿');
    const row = admin.page.locator('tr').filter({ hasText: '赵志愿' });
    await row.waitFor();
    expect(await row.getByTestId('stars').count()).toBe(0);
    await admin.page.getByTestId('volunteer-settings').click();
    const first = admin.page.locator('.ant-modal input').first();
    await first.fill('1');
    await shot(admin.page, 'volunteers-settings');
    await admin.page.getByTestId('form-modal-submit').click();
    await row.getByTestId('stars').waitFor();
    // Back to the default, for the other journeys.
    await admin.page.getByTestId('volunteer-settings').click();
    await admin.page.locator('.ant-modal input').first().fill('100');
    await admin.page.getByTestId('form-modal-submit').click();
    await expect.poll(() => row.getByTestId('stars').count()).toBe(0);
    await admin.context.close();
  });
});

async function signupId(page: Page, activityId: string): Promise<string> {
  const res = await page.request.get(`/api/activities/${activityId}/signups`);
  const { items } = (await res.json()) as { items: { id: string; volunteerName: string }[] };
  const s = items.find((x) => x.volunteerName === '赵志愿');
  if (!s) throw new Error('no sign-up of 赵志愿');
  return s.id;
}
