import { idCheckChar } from '@wushe/domain';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiPost, launch, me, newPage, signIn } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('live notifications', () => {
  test("jfb_sw's bell counts up without a reload when jfb_head runs the overdue scan", async () => {
    const sw = await newPage(browser);
    const streams: string[] = [];
    sw.page.on('request', (r) => {
      if (r.url().includes('/api/events')) streams.push(r.headers().accept ?? '');
    });
    await signIn(sw.page, 'jfb_sw');
    const user = await me(sw.page);
    if (!user.unit) throw new Error('jfb_sw has no unit');
    // A client of jfb_sw in a community of the street, last visited a month ago: overdue at the next scan.
    const communities = (await (await sw.page.request.get(`/api/regions?parentCode=${user.unit.regionCode}&limit=5`)).json()) as {
      items: { code: string }[];
    };
    const community = communities.items.find((r) => r.code.length === 12)?.code;
    if (!community) throw new Error(`no community under ${user.unit.regionCode}`);
    const first17 = `50010319${String(30 + (Date.now() % 60)).padStart(2, '0')}0101${String(100 + (Date.now() % 800)).padStart(3, '0')}`;
    const client = await apiPost<{ id: string }>(sw.page, '/api/clients', {
      name: '实时提醒测试',
      idNumber: first17 + idCheckChar(first17),
      phone: '13912345670',
      address: '解放碑 1 号',
      unitId: user.unit.id,
      regionCode: community,
      riskLevel: 'high',
      responsibleUserId: user.id,
      categories: [{ category: 'living_alone_elderly', startDate: '2024-03-01' }],
    });
    await apiPost(sw.page, '/api/visits', {
      clientId: client.id,
      visitedAt: new Date(Date.now() - 30 * 86_400_000).toISOString(),
      kind: 'home',
      partners: [],
      needsFound: [],
    });
    await sw.page.goto('/');
    const badge = sw.page.getByTestId('notifications-unread');
    await badge.waitFor();
    // the stream is open before anything happens (EventSource asks for text/event-stream)
    await expect.poll(() => streams.some((a) => a.includes('text/event-stream')), { timeout: 10_000 }).toBe(true);
    await sw.page.waitForTimeout(500);
    const before = Number(await badge.getAttribute('data-unread'));
    await sw.page.evaluate(() => {
      (window as unknown as { __noReload: boolean }).__noReload = true;
    });

    const head = await newPage(browser);
    await signIn(head.page, 'jfb_head');
    await head.page.goto('/visits');
    await head.page.getByTestId('overdue-scan').click();
    await head.page.locator('.ant-message-notice').first().waitFor();
    const scanned = Date.now();

    // Polling runs once a minute at most: a count that rises within seconds came over the stream.
    await expect.poll(async () => Number(await badge.getAttribute('data-unread')), { timeout: 5_000, interval: 100 }).toBe(before + 1);
    expect(Date.now() - scanned).toBeLessThan(5_000);
    expect(await sw.page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    await sw.page.getByTestId('notifications-bell').click();
    await expect
      .poll(async () => (await sw.page.getByTestId('notification-item').allTextContents()).join('|'), { timeout: 5_000 })
      .toContain('逾期');
    await head.context.close();
    await sw.context.close();
  });
});
