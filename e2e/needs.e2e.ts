import { idCheckChar } from '@wushe/domain';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launch, newPage, pickOption, signIn } from './browser';

const XINGLONGJIE = '500103001013';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('nominations', () => {
  const name = `发现${Date.now() % 100_000}`;

  test('qxg_cw reports a person; qxg_sw takes them into the ledger and lands on the new client', async () => {
    const cw = await newPage(browser);
    await signIn(cw.page, 'qxg_cw');
    await cw.page.getByTestId('nav-nominations').click();
    await cw.page.getByTestId('nominations-page').waitFor();
    await cw.page.getByTestId('nomination-create').click();
    const drawer = cw.page.getByTestId('nomination-drawer');
    await drawer.getByTestId('nomination-name').fill(name);
    // the ID number gets the same check as in the client form
    const first17 = '50010319480315123';
    const wrong = first17 + (idCheckChar(first17) === '0' ? '1' : '0');
    await drawer.getByTestId('nomination-id-number').fill(wrong);
    await drawer.getByTestId('nomination-id-number').blur();
    await drawer.locator('.ant-form-item-explain-error').filter({ hasText: '校验位' }).waitFor();
    await drawer.getByTestId('nomination-id-number').fill('');
    await drawer.getByTestId('nomination-phone').fill('13900139000');
    await drawer.getByTestId('nomination-address').fill('兴隆街 8 号');
    await drawer.getByTestId('nomination-community').click();
    await pickOption(cw.page, `community-option-${XINGLONGJIE}`);
    await drawer.getByTestId('nomination-categories').click();
    await pickOption(cw.page, 'category-option-living_alone_elderly');
    // clicking the field above closes the multi-select dropdown
    await drawer.getByTestId('nomination-situation').click();
    await drawer.getByTestId('nomination-situation').fill('独自居住，腿脚不便，家中缺粮。');
    await drawer.getByTestId('nomination-submit').click();
    const cwRow = cw.page.locator(`[data-testid="nomination-row"][data-name="${name}"]`);
    await cwRow.waitFor();
    expect(await cwRow.getByTestId('nomination-status').getAttribute('data-status')).toBe('pending');
    // a community worker reports but does not decide
    expect(await cwRow.getByTestId('nomination-accept-open').count()).toBe(0);
    await cw.context.close();

    const sw = await newPage(browser);
    await signIn(sw.page, 'qxg_sw');
    await sw.page.goto('/nominations');
    const row = sw.page.locator(`[data-testid="nomination-row"][data-name="${name}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('独居老人');
    await row.getByTestId('nomination-accept-open').click();
    const modal = sw.page.getByTestId('nomination-accept-modal');
    await modal.getByTestId('accept-risk').click();
    await pickOption(sw.page, 'risk-option-key');
    await expect.poll(() => modal.getByTestId('accept-category-row').count()).toBe(1);
    await modal.getByTestId('form-modal-submit').click();

    await sw.page.getByTestId('client-page').waitFor();
    await expect.poll(() => sw.page.getByTestId('client-name-title').textContent()).toBe(name);
    expect(await sw.page.getByTestId('risk-tag').getAttribute('data-risk')).toBe('key');
    expect(await sw.page.getByTestId('client-page').textContent()).toContain('独居老人');
    await sw.context.close();
  });
});
