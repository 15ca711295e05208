import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiPost, launch, me, newPage, overdueOf, PHONE, pickOption, signIn, yuzhongIdNumber } from './browser';

const XINGLONGJIE = '500103001013';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('client ledger and visits', () => {
  const seq = 100 + (Date.now() % 400) * 2 + 1; // odd: male
  const zqjId = yuzhongIdNumber('19480315', seq);
  let zqjClientId = '';
  let fdhClientId = '';

  test('a client registered 10 days behind on visits shows on the overdue board of 兴隆街', async () => {
    const { context, page } = await newPage(browser);
    await signIn(page, 'qxg_sw');
    const before = await overdueOf(page, XINGLONGJIE);

    const user = await me(page);
    if (!user.unit) throw new Error('qxg_sw has no unit');
    const created = await apiPost<{ id: string; nextVisitDue: string }>(page, '/api/clients', {
      name: '冯德海',
      unitId: user.unit.id,
      regionCode: XINGLONGJIE,
      riskLevel: 'high',
    });
    fdhClientId = created.id;
    const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000).toISOString();
    await apiPost(page, '/api/visits', { clientId: fdhClientId, visitedAt: tenDaysAgo, kind: 'home', partners: [], needsFound: [] });

    expect(await overdueOf(page, XINGLONGJIE)).toBe(before + 1);
    // and in the list of overdue clients on the same board
    await page.locator(`[data-testid="overdue-client"][data-client-id="${fdhClientId}"]`).waitFor();
    await context.close();
  });

  test('qxg_sw registers a high-risk client with a checked ID number; the board does not go up', async () => {
    const { context, page } = await newPage(browser);
    await signIn(page, 'qxg_sw');
    const before = await overdueOf(page, XINGLONGJIE);

    await page.goto('/clients');
    await page.getByTestId('clients-page').waitFor();
    await page.getByTestId('client-create').click();
    const drawer = page.getByTestId('client-form-drawer');
    await drawer.getByTestId('client-name').fill('郑秋菊');
    // a wrong check character is refused on the spot
    const wrong = zqjId.slice(0, 17) + (zqjId[17] === '0' ? '1' : '0');
    await drawer.getByTestId('client-id-number-input').fill(wrong);
    await drawer.getByTestId('client-id-number-input').blur();
    await drawer.locator('.ant-form-item-explain-error').filter({ hasText: '校验位' }).waitFor();
    await drawer.getByTestId('client-id-number-input').fill(zqjId);
    // sex and birth date come from the number
    await expect.poll(() => drawer.getByTestId('client-birth-date').inputValue()).toBe('1948-03-15');
    await expect.poll(() => drawer.getByTestId('client-sex').textContent()).toContain('男');
    await drawer.getByTestId('client-phone').fill('13800138000');
    await drawer.getByTestId('client-address').fill('七星岗兴隆街 12 号');
    // the unit is the worker's station, so the community is required
    await drawer.getByTestId('client-community').click();
    await pickOption(page, `community-option-${XINGLONGJIE}`);
    await drawer.getByTestId('client-risk').click();
    await pickOption(page, 'risk-option-high');
    await drawer.getByTestId('category-add').click();
    await drawer.getByTestId('category-select').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '独居老人' }).first().click();
    await drawer.getByTestId('client-form-submit').click();

    await page.getByTestId('client-page').waitFor();
    zqjClientId = (await page.getByTestId('client-page').getAttribute('data-client-id')) ?? '';
    expect(zqjClientId).not.toBe('');
    await expect.poll(() => page.getByTestId('client-name-title').textContent()).toBe('郑秋菊');
    expect(await page.getByTestId('risk-tag').getAttribute('data-risk')).toBe('high');
    // masked in the header
    expect(await page.getByTestId('client-id-number').textContent()).toBe(`${zqjId.slice(0, 4)}**********${zqjId.slice(-4)}`);

    expect(await overdueOf(page, XINGLONGJIE)).toBe(before);
    await context.close();
  });

  test('the ledger finds her by pinyin initials; her page reveals the ID number with a reason', async () => {
    const { context, page } = await newPage(browser);
    await signIn(page, 'qxg_sw');
    await page.goto('/clients');
    await page.getByTestId('clients-search').locator('input').fill('zqj');
    const row = page.locator(`[data-testid="client-row"][data-client-id="${zqjClientId}"]`);
    await row.waitFor();
    await expect.poll(() => page.getByTestId('client-row').count()).toBe(1);
    expect(await row.textContent()).toContain('郑秋菊');
    expect(await row.textContent()).toContain('独居老人');
    expect(await row.getByTestId('risk-tag').getAttribute('data-risk')).toBe('high');

    await row.getByTestId('client-link').click();
    await page.getByTestId('client-page').waitFor();
    await page.getByTestId('client-id-number-reveal').click();
    const modal = page.getByTestId('reveal-modal');
    await modal.getByTestId('reveal-reason').fill('核对低保申请材料');
    await modal.getByTestId('form-modal-submit').click();
    await expect.poll(() => page.getByTestId('client-id-number').textContent()).toBe(zqjId);
    expect(await page.getByTestId('client-id-number').getAttribute('data-revealed')).toBe('true');
    await context.close();
  });

  test('on a phone (390×844) visits are recorded from the form; the overdue count of 兴隆街 drops by one', async () => {
    const { context, page } = await newPage(browser, PHONE);
    await signIn(page, 'qxg_sw');
    const before = await overdueOf(page, XINGLONGJIE);
    expect(before).toBeGreaterThanOrEqual(1);

    // from her page: the 登记走访 button leads to the form
    await page.goto(`/clients/${zqjClientId}`);
    await page.getByTestId('client-visit').click();
    await page.getByTestId('visit-form').waitFor();
    await page.getByTestId('visit-kind-phone').click();
    await page.getByTestId('visit-partners').getByText('社区志愿者').click();
    await page.getByTestId('need-medicine').click();
    await page.getByTestId('visit-findings').fill('老人独居，近期血压偏高，药快吃完了。');
    await page.getByTestId('visit-follow-up').fill('联系社区卫生服务站送药上门');
    // the form fits the phone: no horizontal scrolling
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.getByTestId('visit-submit').click();
    await page.getByTestId('client-page').waitFor();
    await expect.poll(() => page.getByTestId('visit-item').count()).toBe(1);
    expect(await page.getByTestId('visit-timeline').textContent()).toContain('缺药');
    // the history tab merges the visit, the need it raised and the registration
    await page.getByTestId('tab-history').click();
    await expect.poll(() => page.locator('[data-testid="history-item"][data-kind="visit"]').count()).toBe(1);
    expect(await page.locator('[data-testid="history-item"][data-kind="need"]').count()).toBe(1);
    expect(await page.locator('[data-testid="history-item"][data-kind="change"]').count()).toBeGreaterThanOrEqual(1);
    await page.getByTestId('tab-visits').click();

    // the overdue client, straight to the form
    await page.goto(`/visits/new?clientId=${fdhClientId}`);
    await page.getByTestId('visit-form').waitFor();
    await page.getByTestId('visit-findings').fill('电话未接通后上门，老人身体尚可。');
    await page.getByTestId('visit-submit').click();
    await page.getByTestId('client-page').waitFor();
    await expect.poll(() => page.getByTestId('visit-item').count()).toBe(2);
    await expect.poll(() => page.getByTestId('client-next-due').locator('[data-testid="overdue-tag"]').count()).toBe(0);

    expect(await overdueOf(page, XINGLONGJIE)).toBe(before - 1);
    await context.close();
  });
});
