import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiPost, launch, me, newPage, PHONE, shot, signIn } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const modal = (page: Page, testId: string) => page.getByTestId(`${testId}-modal`);
const stageOf = (page: Page) => page.getByTestId('case-page').getAttribute('data-stage');

async function submit(page: Page, testId: string) {
  await modal(page, testId).getByTestId('form-modal-submit').click();
  await modal(page, testId).waitFor({ state: 'hidden' });
}

describe('casework', () => {
  // The longest journey (two users, six stages): on the loaded 2-core machine it ran 50–80 s, near the 90 s default.
  test('a worker opens a case from a client, assesses and plans; the supervisor signs off; service, evaluation and closure follow', {
    timeout: 180_000,
  }, async () => {
    const sw = await newPage(browser);
    await signIn(sw.page, 'qxg_sw');
    const station = (await me(sw.page)).unit;
    const name = `个案${Date.now() % 100_000}`;
    const client = await apiPost<{ id: string }>(sw.page, '/api/clients', { unitId: station?.id, name, regionCode: '500103001013' });

    // 接案 from the client page.
    await sw.page.goto(`/clients/${client.id}`);
    await sw.page.getByTestId('tab-cases').click();
    await sw.page.getByTestId('client-new-case').click();
    await modal(sw.page, 'case-new').getByTestId('case-new-title').fill('独居老人照料');
    await sw.page.getByTestId('case-source-visit').click();
    await submit(sw.page, 'case-new');
    await sw.page.getByTestId('case-page').waitFor();
    expect(await stageOf(sw.page)).toBe('intake');
    const caseUrl = sw.page.url();
    expect(await sw.page.getByTestId('case-action-start_intervention').count()).toBe(0);

    // 预估.
    await sw.page.getByTestId('case-action-assess').click();
    const assess = modal(sw.page, 'case-assess');
    await assess.getByTestId('problem-0').fill('独居、行动不便');
    await assess.getByTestId('strength-add').click();
    await assess.getByTestId('strength-0').fill('邻里关系好');
    await assess.getByTestId('risk-high').click();
    await submit(sw.page, 'case-assess');
    await expect.poll(() => stageOf(sw.page)).toBe('assessment');
    await sw.page.getByTestId('case-assessment').filter({ hasText: '独居、行动不便' }).waitFor();

    // 服务计划: two goals, submitted for sign-off; the intervention cannot start yet.
    await sw.page.getByTestId('case-action-submit_plan').click();
    const plan = modal(sw.page, 'case-plan');
    await plan.getByTestId('goal-0-goal').fill('规律服药');
    await plan.getByTestId('goal-0-measures').fill('每周上门核对药盒');
    await plan.getByTestId('goal-add').click();
    await plan.getByTestId('goal-1-goal').fill('建立邻里支持');
    await plan.getByTestId('goal-1-measures').fill('链接楼栋志愿者');
    await submit(sw.page, 'case-plan');
    await expect.poll(() => stageOf(sw.page)).toBe('plan');
    await sw.page.getByTestId('case-plan-status').filter({ hasText: '待督导审核' }).waitFor();
    expect(await sw.page.getByTestId('case-action-start_intervention').count()).toBe(0);
    await shot(sw.page, 'case-plan-pending');

    // 督导: the supervisor signs the plan off with a comment on the thread.
    const sup = await newPage(browser);
    await signIn(sup.page, 'yz_sup');
    await sup.page.goto(caseUrl);
    await sup.page.getByTestId('case-action-approve_plan').click();
    await modal(sup.page, 'case-reason').getByTestId('case-reason-text').fill('目标清楚，同意');
    await submit(sup.page, 'case-reason');
    await sup.page.getByTestId('case-event').filter({ hasText: '目标清楚，同意' }).waitFor();
    await sup.page.getByTestId('case-comment-input').fill('请注意跌倒风险');
    await sup.page.getByTestId('case-comment-send').click();
    await sup.page.locator('[data-testid="case-event"][data-kind="comment"]').filter({ hasText: '请注意跌倒风险' }).waitFor();

    // The worker starts the intervention and records a service.
    await sw.page.reload();
    await sw.page.locator('[data-testid="case-event"][data-kind="comment"]').filter({ hasText: '请注意跌倒风险' }).waitFor();
    await sw.page.getByTestId('case-action-start_intervention').click();
    await sw.page.locator('.ant-popconfirm .ant-btn-primary').click();
    await expect.poll(() => stageOf(sw.page)).toBe('intervention');
    await sw.page.getByTestId('case-add-service').click();
    await modal(sw.page, 'case-service').getByTestId('service-notes').fill('核对药盒，讲解用药时间');
    await submit(sw.page, 'case-service');
    await sw.page.getByTestId('case-service-item').filter({ hasText: '核对药盒' }).waitFor();

    // 评估 and the closure request.
    await sw.page.getByTestId('case-action-evaluate').click();
    const evaluate = modal(sw.page, 'case-evaluate');
    await evaluate.getByTestId('eval-0-met').click();
    await evaluate.getByTestId('eval-1-partly').click();
    await submit(sw.page, 'case-evaluate');
    await expect.poll(() => stageOf(sw.page)).toBe('evaluation');
    expect(await sw.page.getByTestId('case-goal-result').count()).toBe(2);
    await sw.page.getByTestId('case-action-request_closure').click();
    await modal(sw.page, 'case-reason').getByTestId('case-reason-text').fill('服务目标基本达成');
    await submit(sw.page, 'case-reason');
    await expect.poll(() => stageOf(sw.page)).toBe('closure');
    expect(await sw.page.getByTestId('case-action-approve_closure').count()).toBe(0);

    // The supervisor signs off the closure; the worker sees it closed, with reopen as the only step left.
    await sup.page.reload();
    await sup.page.getByTestId('case-action-approve_closure').click();
    await submit(sup.page, 'case-reason');
    await expect.poll(() => stageOf(sup.page)).toBe('closed');
    await sw.page.reload();
    await expect.poll(() => stageOf(sw.page)).toBe('closed');
    await sw.page.getByTestId('case-action-reopen').waitFor();
    await shot(sw.page, 'case-closed');
    await sup.context.close();

    // The client page lists the case; the case list finds it among the closed ones.
    await sw.page.goto(`/clients/${client.id}`);
    await sw.page.getByTestId('tab-cases').click();
    await sw.page.getByTestId('client-case-item').filter({ hasText: '独居老人照料' }).waitFor();
    await sw.page.goto('/cases?open=false&stage=closed');
    await sw.page.locator('[data-testid="case-row"]').filter({ hasText: name }).first().waitFor();
    await shot(sw.page, 'cases-list');
    await sw.context.close();
  });

  test('group work: a session is recorded with a client of the ledger attending', async () => {
    const { context, page } = await newPage(browser);
    await signIn(page, 'qxg_sw');
    const station = (await me(page)).unit;
    const name = `组员${Date.now() % 100_000}`;
    await apiPost(page, '/api/clients', { unitId: station?.id, name, regionCode: '500103001013' });
    const group = `长者互助小组${Date.now() % 100_000}`;
    await apiPost(page, '/api/case-groups', { kind: 'group', name: group, unitId: station?.id });
    await page.getByTestId('nav-case-groups').click();
    await page.getByTestId('group-row').filter({ hasText: group }).click();
    await page.getByTestId('group-session-add').click();
    const form = page.getByTestId('group-session-modal');
    await form.getByTestId('group-session-topic').fill('破冰与相互认识');
    await form.getByTestId('group-attendee-pick').click();
    await page.keyboard.type(name);
    await page.locator('.ant-select-item-option').filter({ hasText: name }).click();
    await form.locator('.ant-tag').filter({ hasText: name }).waitFor();
    await form.getByTestId('form-modal-submit').click();
    await page.getByTestId('group-session').filter({ hasText: '破冰与相互认识' }).filter({ hasText: name }).waitFor();
    await shot(page, 'case-groups');
    await context.close();
  });

  test('the administrator sees the deployment’s case deadlines and sign-off gates', async () => {
    const { context, page } = await newPage(browser);
    await signIn(page, 'admin');
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('nav-settings-cases').click();
    await page.getByTestId('case-settings-page').waitFor();
    expect(await page.getByTestId('case-deadline-intake').inputValue()).toBe('7');
    expect(await page.getByTestId('case-require-plan').getAttribute('aria-checked')).toBe('true');
    await shot(page, 'case-settings');
    await context.close();
  });

  test('on a phone the case list and a case page fit the screen', async () => {
    const { context, page } = await newPage(browser, PHONE);
    await signIn(page, 'qxg_sw');
    await page.goto('/cases');
    await page.getByTestId('cases-page').waitFor();
    const row = page.getByTestId('case-row').first();
    await row.waitFor();
    await shot(page, 'cases-list');
    await row.locator('a').first().click();
    await page.getByTestId('case-page').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await shot(page, 'case-page');
    await context.close();
  });
});
