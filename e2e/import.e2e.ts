import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiPost, launch, newPage, overdueOf, PHONE, shot, signIn, yuzhongIdNumber } from './browser';

const XINGLONGJIE = '500103001013';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('importing clients from a sheet in the console', () => {
  const seq = 100 + (Date.now() % 400) * 2 + 1;
  const name = '欧阳秋实';

  test('upload → map the columns → check → import the valid rows → find by pinyin → visit → the overdue count drops', async () => {
    const { context, page } = await newPage(browser);
    await signIn(page, 'qxg_sw');

    // A sheet whose headers the system does not know, with one bad row (wrong check character).
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名单');
    ws.addRow(['甲', '乙', '丙', '丁']);
    ws.addRow([name, yuzhongIdNumber('19450210', seq), '兴隆街社区', '高风险']);
    ws.addRow(['欧阳春华', yuzhongIdNumber('19470506', seq + 2), '兴隆街社区', '一般']);
    const bad = yuzhongIdNumber('19500101', seq + 4);
    ws.addRow(['欧阳错号', bad.slice(0, 17) + (bad[17] === '0' ? '1' : '0'), '兴隆街社区', '一般']);
    const file = Buffer.from(await wb.xlsx.writeBuffer());

    await page.goto('/clients');
    await page.getByTestId('client-import').click();
    await page.getByTestId('import-wizard').waitFor();
    await page.getByTestId('import-wizard').locator('input[type="file"]').setInputFiles({
      name: '七星岗名单.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: file,
    });
    // No known header: the check fails and offers the mapping of the four columns.
    await page.getByTestId('import-failed').waitFor();
    await page.getByTestId('import-mapping').waitFor();
    await shot(page, 'import-mapping');
    // By keyboard: type to filter the fields, Enter picks.
    for (const [header, field] of [
      ['甲', '姓名'],
      ['乙', '身份证号码'],
      ['丙', '所属社区'],
      ['丁', '风险等级'],
    ]) {
      await page.getByTestId(`mapping-${header}`).click();
      await page.keyboard.type(field);
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByTestId(`mapping-${header}`).textContent()).toContain(field);
    }
    await page.getByTestId('import-recheck').click();

    // The check: three rows, two new, one with an error; all-or-nothing is not offered.
    await page.getByTestId('import-check').waitFor();
    await page.getByTestId('import-summary').waitFor();
    await expect.poll(() => page.getByTestId('import-summary-new').locator('.ant-statistic-content-value').textContent()).toBe('2');
    expect(await page.getByTestId('import-summary-rejected').locator('.ant-statistic-content-value').textContent()).toBe('1');
    expect(await page.getByTestId('import-error-count').textContent()).toContain('1');
    expect(await page.locator('[data-code="checksum"]').count()).toBe(1);
    await shot(page, 'import-check');
    // The error sheet downloads.
    const [sheet] = await Promise.all([page.waitForEvent('download'), page.getByTestId('import-error-sheet').click()]);
    expect(sheet.suggestedFilename()).toMatch(/\.xlsx$/);

    await page.getByTestId('import-commit').click();
    await page.getByTestId('import-result').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('import-result').textContent()).toContain('导入完成');
    await shot(page, 'import-result');

    // The ledger finds her by the pinyin initials of 欧阳秋实.
    await page.goto('/clients');
    await page.getByTestId('clients-search').locator('input').fill('oyqs');
    const row = page.getByTestId('client-row').filter({ hasText: name });
    await row.waitFor();
    await expect.poll(() => page.getByTestId('client-row').count()).toBe(1);
    const clientId = (await row.getAttribute('data-client-id')) ?? '';
    expect(clientId).not.toBe('');
    expect(await row.getByTestId('risk-tag').getAttribute('data-risk')).toBe('high');

    // High risk is visited weekly: a visit ten days ago leaves her overdue on the board of 兴隆街.
    await apiPost(page, '/api/visits', {
      clientId,
      visitedAt: new Date(Date.now() - 10 * 86_400_000).toISOString(),
      kind: 'phone',
      partners: [],
      needsFound: [],
    });
    const before = await overdueOf(page, XINGLONGJIE);
    expect(before).toBeGreaterThanOrEqual(1);
    await context.close();

    // Today's visit, recorded on a phone, takes her off the board.
    const phone = await newPage(browser, PHONE);
    await signIn(phone.page, 'qxg_sw');
    await phone.page.goto(`/visits/new?clientId=${clientId}`);
    await phone.page.getByTestId('visit-form').waitFor();
    await phone.page.getByTestId('visit-findings').fill('上门看望，老人精神尚好。');
    await phone.page.getByTestId('visit-submit').click();
    await phone.page.getByTestId('client-page').waitFor();
    expect(await overdueOf(phone.page, XINGLONGJIE)).toBe(before - 1);

    // The wizard's list of recent imports shows the check and the import.
    await phone.page.goto('/clients/import');
    await phone.page.getByTestId('import-wizard').waitFor();
    await expect.poll(() => phone.page.locator('.ant-table-row').count()).toBeGreaterThanOrEqual(3);
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(phone.page, 'import-wizard');
    await phone.context.close();
  });
});
