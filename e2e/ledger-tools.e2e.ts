import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiPost, DESKTOP, launch, me, newPage, PHONE, shot, signIn } from './browser';

const XINGLONGJIE = '500103001013';

/** expect.poll with the browser's patience (its default second is short on a busy machine). */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000 });

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** A menu item of an open antd dropdown, by its test id and name. */
const menuItem = (page: Page, testId: string, name?: string) =>
  page.locator(`.ant-dropdown:not(.ant-dropdown-hidden) [data-testid="${testId}"]${name ? `[data-name="${name}"]` : ''}`);

describe('saved filters (我的筛选) on the ledger', () => {
  test('save the current filter, reload, apply it; rename and delete it', async () => {
    const { context, page } = await newPage(browser);
    await signIn(page, 'qxg_sw');
    const name = `逾期搜索${Date.now() % 100_000}`;
    await page.goto('/clients');
    await page.getByTestId('clients-page').waitFor();
    await page.getByTestId('clients-search').locator('input').fill('兴隆街');
    await poll(() => new URL(page.url()).searchParams.get('q')).toBe('兴隆街');
    await page.getByTestId('clients-filter-overdue').click();
    await poll(() => new URL(page.url()).searchParams.get('overdue')).toBe('true');

    await page.getByTestId('saved-filters-button').click();
    await menuItem(page, 'saved-filter-save').click();
    await page.getByTestId('saved-filter-name').fill(name);
    await page.getByTestId('saved-filter-form').getByTestId('form-modal-submit').click();
    await page.getByTestId('saved-filter-form-modal').waitFor({ state: 'hidden' });
    // the filter in force is the saved one
    await poll(() => page.getByTestId('saved-filters-button').getAttribute('data-active')).toBe(name);

    // a fresh ledger (no filter in the URL), after a reload: apply the saved filter
    await page.goto('/clients');
    await page.reload();
    await page.getByTestId('clients-page').waitFor();
    expect(await page.getByTestId('clients-filter-overdue').isChecked()).toBe(false);
    expect(await page.getByTestId('saved-filters-button').getAttribute('data-active')).toBe('');
    await page.getByTestId('saved-filters-button').click();
    await menuItem(page, 'saved-filter-option', name).click();
    await poll(() => new URL(page.url()).searchParams.get('overdue')).toBe('true');
    expect(new URL(page.url()).searchParams.get('q')).toBe('兴隆街');
    await poll(() => page.getByTestId('clients-filter-overdue').isChecked()).toBe(true);
    await poll(() => page.getByTestId('clients-search').locator('input').inputValue()).toBe('兴隆街');
    await poll(() => page.getByTestId('saved-filters-button').getAttribute('data-active')).toBe(name);

    // rename, then delete, in the manage dialog
    await page.getByTestId('saved-filters-button').click();
    await menuItem(page, 'saved-filters-manage').click();
    const row = page.locator(`[data-testid="saved-filter-row"][data-name="${name}"]`);
    // the conditions in words, not as URL parameters
    const conditions = await row.innerText();
    expect(conditions).toContain('搜索「兴隆街」');
    expect(conditions).toContain('只看逾期');
    expect(conditions).not.toContain('overdue=');
    await shot(page, 'saved-filters-manage');
    await row.getByTestId('saved-filter-rename').click();
    await page.getByTestId('saved-filter-rename-name').fill(`${name}改`);
    await page.getByTestId('saved-filter-rename-form').getByTestId('form-modal-submit').click();
    const renamed = page.locator(`[data-testid="saved-filter-row"][data-name="${name}改"]`);
    await renamed.waitFor();
    await renamed.getByTestId('saved-filter-delete').click();
    await page.getByTestId('saved-filter-delete-confirm').click();
    await renamed.waitFor({ state: 'detached' });
    await context.close();
  });
});

describe('capped totals', () => {
  test('the ledger says "超过 10,000 条" when the API stopped counting, and the exact number otherwise', async () => {
    const { context, page } = await newPage(browser);
    await signIn(page, 'qxg_sw');
    // 10,001 clients are too many for a browser test: the API's answer is given the cap it would carry
    let capped = true;
    await page.route(/\/api\/clients\?/, async (route) => {
      const res = await route.fetch();
      const body = await res.json();
      await route.fulfill({ response: res, json: capped ? { ...body, total: 10_000, totalCapped: true } : body });
    });
    await page.goto('/clients');
    const total = page.getByTestId('clients-total');
    await poll(() => total.textContent()).toMatch(/^已显示 \d+ \/ 超过 10,000 条$/);
    expect(await total.getAttribute('data-total-capped')).toBe('true');
    await page.getByTestId('lang-en').click();
    await poll(() => total.textContent()).toMatch(/^\d+ shown of 10,000\+$/);
    await page.getByTestId('lang-zh').click();
    // the overdue board's list of clients uses the same API
    await page.goto('/visits');
    await poll(() => page.getByTestId('overdue-clients-total').textContent()).toBe('超过 10,000 条');

    capped = false;
    await page.goto('/clients');
    await poll(() => total.textContent()).toMatch(/^已显示 \d+ \/ 共 \d+ 条$/);
    expect(await total.getAttribute('data-total-capped')).toBe('false');
    await context.close();
  });
});

describe('households and possible duplicates', () => {
  test('two clients without ID, same name and birth date: merged on the duplicates page, then the merge undone', async () => {
    const { context, page } = await newPage(browser);
    await signIn(page, 'qxg_sw');
    const user = await me(page);
    if (!user.unit) throw new Error('qxg_sw has no unit');
    const name = `重复${Date.now() % 100_000}`;
    const base = { name, birthDate: '1946-02-11', unitId: user.unit.id, regionCode: XINGLONGJIE, riskLevel: 'general' };
    const first = await apiPost<{ id: string }>(page, '/api/clients', { ...base, address: '兴隆街 3 号' });
    const second = await apiPost<{ id: string }>(page, '/api/clients', { ...base, address: '兴隆街 3 号附 1 号' });

    await page.getByTestId('nav-duplicates').click();
    await page.getByTestId('duplicates-page').waitFor();
    const pair = page.locator(`[data-testid="duplicate-pair"][data-name="${name}"]`);
    await pair.waitFor();
    expect(await pair.getAttribute('data-status')).toBe('open');
    // side by side, both records of the pair
    const sides = await pair.locator('[data-testid^="pair-side-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-client-id')));
    expect(sides.sort()).toEqual([first.id, second.id].sort());
    const keepSide = (await pair.getByTestId('pair-side-a').getAttribute('data-client-id')) as string;
    const mergedSide = keepSide === first.id ? second.id : first.id;

    await pair.getByTestId('pair-keep-a').click();
    await page.getByTestId('duplicate-reason').fill('同一位老人重复登记');
    await page.getByTestId('duplicate-action-form').getByTestId('form-modal-submit').click();
    await pair.waitFor({ state: 'detached' });

    // the merged record left the ledger; the pair is under 已合并 with undo
    await page.getByTestId('duplicates-tab-merged').click();
    const merged = page.locator(`[data-testid="duplicate-pair"][data-name="${name}"][data-status="merged"]`);
    await merged.waitFor();
    expect(await merged.getByTestId('pair-kept').count()).toBe(1);
    expect(await merged.textContent()).toContain('同一位老人重复登记');
    const mergedDetail = await page.request.get(`/api/clients/${mergedSide}`);
    expect((await mergedDetail.json()).status).toBe('exited');

    await merged.getByTestId('pair-unmerge').click();
    await page.getByTestId('duplicate-reason').fill('核实后不是同一人');
    await page.getByTestId('duplicate-action-form').getByTestId('form-modal-submit').click();
    await merged.waitFor({ state: 'detached' });
    await page.getByTestId('duplicates-tab-open').click();
    const reopened = page.locator(`[data-testid="duplicate-pair"][data-name="${name}"][data-status="open"]`);
    await reopened.waitFor();
    expect(await reopened.getByTestId('pair-resolution').textContent()).toContain('核实后不是同一人');
    const restored = await page.request.get(`/api/clients/${mergedSide}`);
    expect((await restored.json()).status).toBe('active');

    // and dismissed as two people
    await reopened.getByTestId('pair-dismiss').click();
    await page.getByTestId('duplicate-reason').fill('两位同名老人');
    await page.getByTestId('duplicate-action-form').getByTestId('form-modal-submit').click();
    await reopened.waitFor({ state: 'detached' });
    await page.getByTestId('duplicates-tab-dismissed').click();
    await page.locator(`[data-testid="duplicate-pair"][data-name="${name}"][data-status="dismissed"]`).waitFor();
    await context.close();
  });

  for (const viewport of [DESKTOP, PHONE]) {
    test(`a household with two members is listed and shown; the head changes (${viewport.width} px)`, async () => {
      const { context, page } = await newPage(browser, viewport);
      await signIn(page, 'qxg_sw');
      const user = await me(page);
      if (!user.unit) throw new Error('qxg_sw has no unit');
      const tag = `户${Date.now() % 100_000}`;
      const head = await apiPost<{ id: string }>(page, '/api/clients', {
        name: `${tag}老伴甲`,
        unitId: user.unit.id,
        regionCode: XINGLONGJIE,
        riskLevel: 'general',
      });
      const spouse = await apiPost<{ id: string }>(page, '/api/clients', {
        name: `${tag}老伴乙`,
        unitId: user.unit.id,
        regionCode: XINGLONGJIE,
        riskLevel: 'general',
      });
      const household = await apiPost<{ id: string }>(page, '/api/households', {
        address: `${tag} 兴隆街 12 号`,
        members: [
          { clientId: head.id, relation: 'head' },
          { clientId: spouse.id, relation: 'spouse' },
        ],
      });

      // from the client page to the household
      await page.goto(`/clients/${spouse.id}`);
      await page.getByTestId('client-page').waitFor();
      await page.getByTestId('tab-people').click();
      await page.getByTestId('client-household-link').click();
      await page.getByTestId('household-page').waitFor();
      expect(await page.getByTestId('household-page').getAttribute('data-household-id')).toBe(household.id);

      // the list finds it by a member's name, with its head and two members
      await page.goto('/households');
      await page.getByTestId('households-search').locator('input').fill(`${tag}老伴乙`);
      const row = page.locator(`[data-testid="household-row"][data-household-id="${household.id}"]`);
      await row.waitFor();
      expect(await row.getByTestId('household-member-count').textContent()).toBe('2 人');
      expect(await row.textContent()).toContain(`${tag}老伴甲`);
      await poll(() => page.getByTestId('households-total').textContent()).toContain('共 1 条');
      await row.getByTestId('household-link').click();

      await page.getByTestId('household-page').waitFor();
      const members = page.getByTestId('member-row');
      await poll(() => members.count()).toBe(2);
      const spouseRow = page.locator(`[data-testid="member-row"][data-client-id="${spouse.id}"]`);
      expect(await spouseRow.getByTestId('member-relation').getAttribute('data-relation')).toBe('spouse');
      await spouseRow.getByTestId('member-make-head').click();
      await page.getByTestId('household-head-form').getByTestId('form-modal-submit').click();
      await poll(() => spouseRow.getByTestId('member-relation').getAttribute('data-relation')).toBe('head');
      const headRow = page.locator(`[data-testid="member-row"][data-client-id="${head.id}"]`);
      expect(await headRow.getByTestId('member-relation').getAttribute('data-relation')).toBe('other');
      await context.close();
    });
  }
});
