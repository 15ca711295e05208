import { idCheckChar } from '@wushe/domain';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { apiPost, DESKTOP, launch, me, newPage, PHONE, shot, signIn } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function settle(page: Page) {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.waitForTimeout(600);
}

describe('screenshots of every page (E2E_SCREENSHOTS=1)', () => {
  for (const viewport of [DESKTOP, PHONE]) {
    test(`pages at ${viewport.width}x${viewport.height}`, async () => {
      const { context, page } = await newPage(browser, viewport);
      await page.goto('/login');
      await page.getByTestId('login-card').waitFor();
      await shot(page, 'login');

      await signIn(page, 'admin');
      await page.getByTestId('unit-search').fill('七星岗');
      await page.getByTestId('unit-search-option').first().click();
      await page.getByTestId('unit-detail-name').waitFor();
      await settle(page);
      await shot(page, 'network');
      if (viewport.width < 500) {
        await page.getByTestId('unit-detail').scrollIntoViewIfNeeded();
        await shot(page, 'network-detail');
      }
      await page.getByTestId('tab-zones').click();
      await settle(page);
      await shot(page, 'network-zones');
      await page.getByTestId('tab-history').click();
      await settle(page);
      await shot(page, 'network-history');
      await page.getByTestId('unit-edit').click();
      await page.getByTestId('unit-form').waitFor();
      await settle(page);
      await shot(page, 'network-edit');
      await page.keyboard.press('Escape');
      await page.getByTestId('import-open').click();
      await settle(page);
      await shot(page, 'network-import');
      await page.keyboard.press('Escape');

      for (const route of ['coverage', 'users', 'audit']) {
        await page.goto(`/${route}`);
        await page.getByTestId(`${route}-page`).waitFor();
        await settle(page);
        await shot(page, route);
      }
      await page.goto('/settings/categories');
      await page.getByTestId('categories-page').waitFor();
      await settle(page);
      await shot(page, 'settings-categories');
      await page.getByTestId('category-create').click();
      await page.getByTestId('category-label-zh').waitFor();
      await settle(page);
      await shot(page, 'settings-categories-new');
      await page.keyboard.press('Escape');
      await page.getByTestId('category-label-zh').waitFor({ state: 'hidden' });
      if (viewport.width < 500) {
        await page.getByTestId('nav-toggle').click();
        await settle(page);
        await shot(page, 'nav-drawer-settings');
        await page.keyboard.press('Escape');
      }
      await page
        .getByTestId('tab-matrix')
        .isVisible()
        .catch(() => false);
      await page.goto('/users');
      await page.getByTestId('tab-matrix').click();
      await settle(page);
      await shot(page, 'users-matrix');
      await page.goto('/audit');
      await page.getByTestId('audit-table').locator('.ant-table-row-expand-icon:not(.ant-table-row-expand-icon-spaced)').first().click();
      await settle(page);
      await shot(page, 'audit-expanded');
      await page.goto('/change-password');
      await settle(page);
      await shot(page, 'change-password');
      if (viewport.width < 500) {
        await page.goto('/coverage');
        await page.getByTestId('nav-toggle').click();
        await settle(page);
        await shot(page, 'nav-drawer');
        await page.getByTestId('side-menu').getByTestId('nav-network').click();
        await page.getByTestId('nav-drawer').waitFor({ state: 'hidden' });
      }
      await page.getByTestId('lang-en').click();
      await page.goto('/coverage');
      await settle(page);
      await shot(page, 'coverage-en');
      await page.goto('/network');
      await settle(page);
      await shot(page, 'network-en');
      await page.getByTestId('lang-zh').click();
      await context.close();
    });
  }

  for (const viewport of [DESKTOP, PHONE]) {
    test(`client ledger, visits and notifications at ${viewport.width}x${viewport.height}`, async () => {
      const { context, page } = await newPage(browser, viewport);
      await signIn(page, 'qxg_sw');
      const user = await me(page);
      if (!user.unit) throw new Error('qxg_sw has no unit');
      const first17 = `500103${viewport.width < 500 ? '19520704' : '19410211'}${String(100 + (Date.now() % 800)).padStart(3, '0')}`;
      const client = await apiPost<{ id: string }>(page, '/api/clients', {
        name: viewport.width < 500 ? '陶玉兰' : '邓国富',
        idNumber: first17 + idCheckChar(first17),
        phone: '13912345678',
        address: '七星岗兴隆街 8 号 3-2',
        unitId: user.unit.id,
        regionCode: '500103001013',
        riskLevel: 'high',
        responsibleUserId: user.id,
        tags: ['独居', '慢病'],
        categories: [
          { category: 'tekun', startDate: '2024-01-01' },
          { category: 'living_alone_elderly', startDate: '2024-03-01' },
        ],
        contacts: [{ name: '邓小红', relation: '子女', phone: '13698765432' }],
      });
      await apiPost(page, `/api/clients/${client.id}/flags`, { flag: 'hospitalised', reason: '因肺炎住院观察' });
      await apiPost(page, '/api/visits', {
        clientId: client.id,
        visitedAt: new Date(Date.now() - 12 * 86_400_000).toISOString(),
        kind: 'home',
        partners: ['social_worker', 'volunteer'],
        needsFound: ['medicine', 'care'],
        findings: '老人行动不便，需定期送药。',
        followUp: '联系志愿者每周送药',
      });
      await apiPost(page, '/api/visits/scan', {});

      await page.goto('/clients');
      await page.getByTestId('client-row').first().waitFor();
      await settle(page);
      await shot(page, 'clients');
      await page.getByTestId('client-create').click();
      await page.getByTestId('client-form').waitFor();
      await settle(page);
      await shot(page, 'client-create');
      await page.keyboard.press('Escape');

      await page.goto(`/clients/${client.id}`);
      await page.getByTestId('visit-item').first().waitFor();
      await settle(page);
      await shot(page, 'client');
      await page.getByTestId('client-id-number-reveal').click();
      await page.getByTestId('reveal-reason').waitFor();
      await settle(page);
      await shot(page, 'client-reveal');
      await page.keyboard.press('Escape');

      await page.goto(`/visits/new?clientId=${client.id}`);
      await page.getByTestId('visit-form').waitFor();
      await settle(page);
      await shot(page, 'visit-new');

      await page.goto('/visits');
      await page.getByTestId('overdue-table').waitFor();
      await settle(page);
      await shot(page, 'visits-overdue');
      if (viewport.width < 500) {
        await page.getByTestId('compliance-table').scrollIntoViewIfNeeded();
        await settle(page);
        await shot(page, 'visits-compliance');
      }
      await page.getByTestId('notifications-bell').click();
      await page.getByTestId('notifications-panel').waitFor();
      await settle(page);
      await shot(page, 'notifications');
      await page.keyboard.press('Escape');

      await page.getByTestId('lang-en').click();
      await page.goto(`/clients/${client.id}`);
      await page.getByTestId('visit-item').first().waitFor();
      await settle(page);
      await shot(page, 'client-en');
      await page.goto('/visits');
      await page.getByTestId('overdue-table').waitFor();
      await settle(page);
      await shot(page, 'visits-overdue-en');
      await page.getByTestId('lang-zh').click();
      await context.close();
    });
  }

  for (const viewport of [DESKTOP, PHONE]) {
    test(`households, possible duplicates and saved filters at ${viewport.width}x${viewport.height}`, async () => {
      const { context, page } = await newPage(browser, viewport);
      await signIn(page, 'qxg_sw');
      const user = await me(page);
      if (!user.unit) throw new Error('qxg_sw has no unit');
      const suffix = viewport.width < 500 ? '甲' : '乙';
      const base = { unitId: user.unit.id, regionCode: '500103001013', riskLevel: 'general' };
      const grandma = await apiPost<{ id: string }>(page, '/api/clients', {
        ...base,
        name: `周秀英${suffix}`,
        birthDate: '1938-04-12',
        address: '七星岗兴隆街 21 号 2-1',
      });
      const grandson = await apiPost<{ id: string }>(page, '/api/clients', {
        ...base,
        name: `周子涵${suffix}`,
        birthDate: '2012-09-01',
        address: '七星岗兴隆街 21 号 2-1',
      });
      const household = await apiPost<{ id: string }>(page, '/api/households', {
        members: [
          { clientId: grandma.id, relation: 'head' },
          { clientId: grandson.id, relation: 'grandchild' },
        ],
      });
      // a possible duplicate of the grandmother, registered again without an ID number
      await apiPost(page, '/api/clients', { ...base, name: `周秀英${suffix}`, birthDate: '1938-04-12', address: '兴隆街 21 号' });

      await page.goto('/households');
      await page.getByTestId('household-row').first().waitFor();
      await settle(page);
      await shot(page, 'households');
      await page.goto(`/households/${household.id}`);
      await page.getByTestId('member-row').first().waitFor();
      await settle(page);
      await shot(page, 'household');
      await page.getByTestId('member-add').click();
      await page.getByTestId('member-add-form').waitFor();
      await settle(page);
      await shot(page, 'household-add-member');
      await page.keyboard.press('Escape');

      await page.goto('/duplicates');
      await page.getByTestId('duplicate-pair').first().waitFor();
      await settle(page);
      await shot(page, 'duplicates');
      await page.getByTestId('duplicate-pair').first().getByTestId('pair-keep-a').click();
      await page.getByTestId('duplicate-action-form').waitFor();
      await settle(page);
      await shot(page, 'duplicates-merge');
      await page.keyboard.press('Escape');

      await page.goto('/clients?overdue=true');
      await page.getByTestId('clients-page').waitFor();
      await apiPost(page, '/api/saved-filters', { page: 'clients', name: `逾期对象${suffix}`, query: 'overdue=true' });
      await apiPost(page, '/api/saved-filters', { page: 'clients', name: `高风险${suffix}`, query: 'riskLevel=high' });
      await page.reload();
      await page.getByTestId('clients-page').waitFor();
      await page.getByTestId('saved-filters-button').click();
      await settle(page);
      await shot(page, 'saved-filters-menu');
      await page.keyboard.press('Escape');

      await page.getByTestId('lang-en').click();
      await page.goto('/duplicates');
      await page.getByTestId('duplicate-pair').first().waitFor();
      await settle(page);
      await shot(page, 'duplicates-en');
      await page.goto(`/households/${household.id}`);
      await page.getByTestId('member-row').first().waitFor();
      await settle(page);
      await shot(page, 'household-en');
      await page.getByTestId('lang-zh').click();
      await context.close();
    });
  }
});
