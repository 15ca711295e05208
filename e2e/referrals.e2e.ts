import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiPost, launch, me, newPage, PHONE, shot, signIn, yuzhongIdNumber } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('referrals', () => {
  test('a worker refers a client to 解放碑 with the consent step; 解放碑 reads the card, accepts and reports back; the phone list', {
    timeout: 180_000,
  }, async () => {
    const sw = await newPage(browser);
    await signIn(sw.page, 'qxg_sw');
    const station = (await me(sw.page)).unit;
    const name = `转介${Date.now() % 100_000}`;
    const client = await apiPost<{ id: string }>(sw.page, '/api/clients', {
      unitId: station?.id,
      name,
      regionCode: '500103001013',
      phone: '13800138000',
      address: '兴隆街 8 号',
    });

    // 转介 from the client page: receiver and summary, then the consent.
    await sw.page.goto(`/clients/${client.id}`);
    await sw.page.getByTestId('tab-referrals').click();
    await sw.page.getByTestId('client-refer').click();
    const dialog = sw.page.getByTestId('referral-new-modal');
    await dialog.getByTestId('referral-receiver').click();
    await sw.page.keyboard.type('解放碑');
    await sw.page.locator('.ant-select-item-option').filter({ hasText: '解放碑街道社会工作服务站' }).first().click();
    await dialog.getByTestId('referral-summary').fill('独居老人需要助餐服务');
    await shot(sw.page, 'referral-new');
    await dialog.getByTestId('referral-next').click();
    await dialog.getByTestId('referral-consent-by').waitFor();
    await shot(sw.page, 'referral-consent');
    await dialog.getByTestId('referral-send').click();
    await dialog.waitFor({ state: 'hidden' });
    await sw.page.getByTestId('client-referral-item').first().waitFor();

    // 解放碑 answers: the card (name, masked phone), accept, start, report back.
    const jfb = await newPage(browser);
    await signIn(jfb.page, 'jfb_sw');
    await jfb.page.goto('/referrals');
    await jfb.page.getByTestId('referral-row').first().waitFor();
    await shot(jfb.page, 'referrals-received');
    await jfb.page.getByTestId('referral-open').first().click();
    const card = jfb.page.getByTestId('referral-card');
    await card.filter({ hasText: name }).waitFor();
    expect(await card.textContent()).not.toContain('13800138000');
    await shot(jfb.page, 'referral-card');
    await jfb.page.getByTestId('referral-action-accept').click();
    await jfb.page.getByTestId('referral-action-modal').getByTestId('form-modal-submit').click();
    await jfb.page.getByTestId('referral-action-start').click();
    await jfb.page.getByTestId('referral-action-modal').getByTestId('form-modal-submit').click();
    await jfb.page.getByTestId('referral-action-feedback').click();
    await jfb.page.getByTestId('referral-feedback').fill('已安排助餐点，每天送餐');
    await jfb.page.getByTestId('referral-action-modal').getByTestId('form-modal-submit').click();
    await jfb.page.getByTestId('referral-drawer').getByText('已安排助餐点，每天送餐').waitFor();

    // The sender sees the feedback on a phone, in the sent tab.
    const phone = await newPage(browser, PHONE);
    await signIn(phone.page, 'qxg_sw');
    await phone.page.goto('/referrals?box=sent');
    await phone.page.getByTestId('referral-row').first().waitFor();
    await shot(phone.page, 'referrals-sent');
    await phone.page.getByTestId('referral-row').first().click();
    await phone.page.getByTestId('referral-drawer').getByText('已安排助餐点，每天送餐').waitFor();
    await shot(phone.page, 'referral-drawer');

    // 申请移交: 解放碑 finds a 七星岗 client by the ID number (a minimal card only) and asks for it; 七星岗 grants it with the consent.
    const idNumber = yuzhongIdNumber('19480305', 100 + (Date.now() % 400) * 2);
    const wantedName = `移交${Date.now() % 100_000}`;
    const wanted = await apiPost<{ id: string }>(sw.page, '/api/clients', {
      unitId: station?.id,
      name: wantedName,
      regionCode: '500103001013',
      idNumber,
    });
    await jfb.page.goto('/referrals');
    await jfb.page.getByTestId('referrals-request').click();
    const request = jfb.page.getByTestId('transfer-request-modal');
    await request.getByTestId('transfer-request-id').fill(idNumber);
    await request.getByTestId('transfer-request-lookup').click();
    await request.getByTestId('transfer-request-card').waitFor();
    const cardText = (await request.getByTestId('transfer-request-card').textContent()) ?? '';
    expect(cardText).toContain(`${wantedName.slice(0, 1)}*`);
    expect(cardText).not.toContain(wantedName);
    await request.getByTestId('transfer-request-reason').fill('老人已搬到解放碑女儿家');
    await shot(jfb.page, 'transfer-request');
    await request.getByTestId('form-modal-submit').click();
    await request.waitFor({ state: 'hidden' });

    await sw.page.goto('/referrals');
    await sw.page.getByTestId('referral-row').first().waitFor();
    await sw.page.getByTestId('referral-open').first().click();
    await sw.page.getByTestId('referral-action-accept').click();
    const grant = sw.page.getByTestId('referral-action-modal');
    await grant.getByTestId('referral-region').click();
    await sw.page.locator('.ant-select-item-option').first().click();
    await shot(sw.page, 'transfer-grant');
    await grant.getByTestId('form-modal-submit').click();
    await grant.waitFor({ state: 'hidden' });
    await jfb.page.goto(`/clients/${wanted.id}`);
    await jfb.page.getByTestId('client-page').waitFor();
    for (const p of [sw, jfb, phone]) await p.context.close();
  });
});
