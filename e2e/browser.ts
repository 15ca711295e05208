import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { idCheckChar } from '@wushe/domain';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';

// vitest overwrites process.env.BASE_URL with Vite's base ('/'), so run.mjs passes E2E_BASE_URL as well
export const BASE_URL =
  process.env.E2E_BASE_URL ?? (process.env.BASE_URL?.startsWith('http') ? process.env.BASE_URL : 'http://127.0.0.1:3000');
export const PASSWORD = process.env.WUSHE_ADMIN_PASSWORD ?? 'Wushe#2026demo';
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = process.env.E2E_SCREENSHOTS === '1';
const SHOT_DIR = path.resolve(import.meta.dirname, '../screenshots');

export const DESKTOP = { width: 1440, height: 900 };
export const PHONE = { width: 390, height: 844 };

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function newPage(browser: Browser, viewport = DESKTOP): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport,
    locale: 'zh-CN',
    baseURL: BASE_URL,
    deviceScaleFactor: 1,
    isMobile: viewport.width < 500,
    hasTouch: viewport.width < 500,
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error(`[pageerror] ${err.message}`));
  return { context, page };
}

export async function signIn(page: Page, username: string, password = PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-password').press('Enter');
  await page.getByTestId('app-header').waitFor();
}

/** The tree node of a unit, by exact name. */
export function treeNode(page: Page, name: string) {
  return page.locator('.ant-tree-treenode').filter({ has: page.locator(`[data-unit-name="${name}"]`) });
}

export async function expandNode(page: Page, name: string): Promise<void> {
  const node = treeNode(page, name);
  await node.waitFor();
  const switcher = node.locator('.ant-tree-switcher');
  if (await switcher.evaluate((el) => el.classList.contains('ant-tree-switcher_close'))) await switcher.click();
}

/** Pick an option of an antd Select by the test id inside its label. */
export async function pickOption(page: Page, optionTestId: string): Promise<void> {
  const option = page.locator('.ant-select-item-option').filter({ has: page.getByTestId(optionTestId) });
  await option.first().click();
}

export async function shot(page: Page, name: string): Promise<void> {
  if (!SCREENSHOTS) return;
  mkdirSync(SHOT_DIR, { recursive: true });
  const size = page.viewportSize();
  await page.waitForTimeout(400); // let animations settle
  await page.screenshot({ path: path.join(SHOT_DIR, `${size?.width ?? 0}-${name}.png`), fullPage: false });
}

/** POST to the API with the page's session cookie and its CSRF token; throws on an error answer. */
export async function apiPost<T = unknown>(page: Page, url: string, body: unknown): Promise<T> {
  const session = await page.request.get('/api/auth/session');
  const { csrfToken } = (await session.json()) as { csrfToken: string };
  const res = await page.request.post(url, { data: body, headers: { 'x-csrf-token': csrfToken } });
  if (!res.ok()) throw new Error(`POST ${url} → ${res.status()} ${await res.text()}`);
  return (await res.json()) as T;
}

/** The signed-in user as the session reports it. */
export async function me(page: Page): Promise<{ id: string; unit: { id: string; regionCode: string } | null }> {
  const session = await page.request.get('/api/auth/session');
  return ((await session.json()) as { user: { id: string; unit: { id: string; regionCode: string } | null } }).user;
}

/** A valid GB 11643 number of 渝中区 (500103) for the given birth date (YYYYMMDD) and sequence (odd: male). */
export function yuzhongIdNumber(birth: string, seq: number): string {
  const first17 = `500103${birth}${String(seq).padStart(3, '0')}`;
  return first17 + idCheckChar(first17);
}

/** Overdue count of one community on the board (0 when it has no row). */
export async function overdueOf(page: Page, regionCode: string): Promise<number> {
  await page.goto('/visits');
  await page.getByTestId('overdue-page').waitFor();
  await page.locator('[data-testid="overdue-table"], [data-testid="overdue-empty"]').first().waitFor();
  const row = page.locator(`[data-testid="overdue-row"][data-key="${regionCode}"]`);
  if ((await row.count()) === 0) return 0;
  return Number(await row.getAttribute('data-overdue'));
}

/** 兴隆街社区 (七星岗街道, 渝中区): the community the hotline journeys call from. */
export const XINGLONGJIE = '500103001013';

/**
 * A hotline call entered on the ticket form (工单 → 新建) by a signed-in worker: the caller of 兴隆街, a
 * medicine need of high urgency, sent with Ctrl+Enter. Waits for the ticket page and returns its code.
 */
export async function enterHotlineTicket(page: Page, summary: string, caller = { name: '王大爷', phone: '13800138000' }): Promise<string> {
  await page.getByTestId('nav-tickets').click();
  await page.getByTestId('tickets-page').waitFor();
  await shot(page, 'tickets-list');
  await page.getByTestId('ticket-new').click();
  await page.getByTestId('ticket-new-page').waitFor();
  // Keyboard first: the phone field has the focus.
  await page.keyboard.type(caller.phone);
  await page.getByTestId('ticket-caller-name').fill(caller.name);
  await page.getByTestId('ticket-area').click();
  await page.keyboard.type('兴隆');
  // Only 兴隆街 is left once the search has answered (the first list shows every community served).
  await expect.poll(() => page.locator('.ant-select-item-option').count(), { timeout: 15_000 }).toBe(1);
  await pickOption(page, `area-option-${XINGLONGJIE}`);
  await page.getByTestId('ticket-address').fill('兴隆街 12 号 3-1');
  await page.getByTestId('ticket-category-medicine').click();
  await page.getByTestId('ticket-urgency-urgent').click();
  await page.getByTestId('ticket-summary').fill(summary);
  await shot(page, 'ticket-new');
  await page.getByTestId('ticket-summary').press('Control+Enter');
  await page.getByTestId('ticket-page').waitFor();
  return (await page.getByTestId('ticket-code').textContent()) ?? '';
}

/** Opens an action of the ticket page, fills its dialog with `fill`, confirms, and waits for the new status. */
export async function ticketAction(page: Page, action: string, status: string, fill: (modal: Page) => Promise<void> = async () => {}) {
  await page.getByTestId(`ticket-action-${action}`).click();
  // The modal's root keeps its test id on a hidden wrapper: wait for its button, find its fields by their own ids.
  await page.getByTestId('ticket-action-ok').waitFor();
  await fill(page);
  await page.getByTestId('ticket-action-ok').click();
  // On failure, say what the page shows: an error message, or a dialog that is still open.
  const why = async () => {
    const notices = await page.locator('.ant-message-notice').allTextContents();
    const open = await page.getByTestId('ticket-action-ok').isVisible();
    return `${action} → ${status}: messages ${JSON.stringify(notices)}, dialog ${open ? 'still open' : 'closed'}`;
  };
  await expect
    .poll(async () => ((await page.getByTestId('ticket-status').first().textContent()) === status ? status : await why()), {
      timeout: 15_000,
    })
    .toBe(status);
}
