import type { Browser, Page } from 'playwright-core';
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

/** The row of a category on 系统设置 → 对象类别. */
const rowOf = (page: Page, code: string) => page.locator(`[data-testid="category-def-row"][data-code="${code}"]`);

/** Opens the new-client drawer of the ledger and its first category row's drop-down. */
async function openCategoryPicker(page: Page) {
  await page.goto('/clients');
  await page.getByTestId('clients-page').waitFor();
  await page.getByTestId('client-create').click();
  const drawer = page.getByTestId('client-form-drawer');
  await drawer.getByTestId('category-add').click();
  await drawer.getByTestId('category-select').click();
  return drawer;
}

describe('client categories of the deployment', () => {
  const tag = String(Date.now() % 1_000_000).padStart(6, '0');
  const code = `veteran_${tag}`;
  const labelZh = `残疾军人${tag}`;
  const name = `类别${tag.slice(-4)}`;

  test('the system administrator adds a category on 系统设置 → 对象类别; a station worker has no such menu', async () => {
    const { context, page } = await newPage(browser);
    await signIn(page, 'admin');
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('nav-settings-categories').click();
    await page.getByTestId('categories-page').waitFor();
    await rowOf(page, 'dibao').waitFor();
    // the defaults can be retired, not deleted
    expect(await rowOf(page, 'dibao').getByTestId('category-delete').count()).toBe(0);

    await page.getByTestId('category-create').click();
    const modal = page.getByTestId('category-form-modal');
    await modal.getByTestId('category-label-zh').fill(labelZh);
    await modal.getByTestId('category-label-en').fill(`Disabled veteran ${tag}`);
    await modal.getByTestId('category-code').fill('Bad-Code');
    await modal.getByTestId('form-modal-submit').click();
    await modal.locator('.ant-form-item-explain-error').filter({ hasText: '小写字母开头' }).waitFor();
    await modal.getByTestId('category-code').fill(code);
    await modal.getByTestId('form-modal-submit').click();
    await modal.waitFor({ state: 'hidden' });
    const row = rowOf(page, code);
    await row.waitFor();
    expect(await row.getByTestId('category-name').textContent()).toBe(labelZh);
    expect(await row.getByTestId('category-status').getAttribute('data-active')).toBe('true');
    // not used yet: it may still be deleted
    expect(await row.getByTestId('category-delete').count()).toBe(1);
    await context.close();

    const sw = await newPage(browser);
    await signIn(sw.page, 'qxg_sw');
    expect(await sw.page.getByTestId('nav-settings').count()).toBe(0);
    await sw.context.close();
  });

  test('a station worker picks the new category on a new client; once retired it is kept there but not offered', async () => {
    const { context, page } = await newPage(browser);
    await signIn(page, 'qxg_sw');
    const drawer = await openCategoryPicker(page);
    // the list is longer than the drop-down shows: typing narrows it
    await page.keyboard.type(labelZh.slice(0, 4));
    await pickOption(page, `category-option-${code}`);
    await drawer.getByTestId('client-name').fill(name);
    await drawer.getByTestId('client-community').click();
    await pickOption(page, `community-option-${XINGLONGJIE}`);
    await drawer.getByTestId('client-form-submit').click();
    await page.getByTestId('client-page').waitFor();
    await expect.poll(() => page.getByTestId('client-name-title').textContent()).toBe(name);
    expect(await page.getByTestId('client-page').textContent()).toContain(labelZh);
    const clientUrl = page.url();
    await context.close();

    // The administrator retires it: the row says so and delete is gone (a client has it now).
    const admin = await newPage(browser);
    await signIn(admin.page, 'admin');
    await admin.page.goto('/settings/categories');
    const row = rowOf(admin.page, code);
    await row.waitFor();
    expect(await row.getByTestId('category-delete').count()).toBe(0);
    await row.getByTestId('category-retire').click();
    await admin.page.locator('.ant-popconfirm .ant-btn-primary').click();
    await expect.poll(() => row.getByTestId('category-status').getAttribute('data-active')).toBe('false');
    await admin.context.close();

    const again = await newPage(browser);
    await signIn(again.page, 'qxg_sw');
    await again.page.goto(clientUrl);
    await again.page.getByTestId('client-page').waitFor();
    await expect.poll(() => again.page.getByTestId('client-page').textContent()).toContain(labelZh);
    await openCategoryPicker(again.page);
    await again.page.keyboard.type(labelZh.slice(0, 4));
    await again.page.locator('.ant-select-dropdown .ant-empty').first().waitFor();
    expect(await again.page.getByTestId(`category-option-${code}`).count()).toBe(0);
    // the search itself works: an active category is still found
    for (let i = 0; i < 4; i++) await again.page.keyboard.press('Backspace');
    await again.page.keyboard.type('独居');
    await again.page
      .locator('.ant-select-item-option')
      .filter({ has: again.page.getByTestId('category-option-living_alone_elderly') })
      .waitFor();
    await again.context.close();
  });
});
