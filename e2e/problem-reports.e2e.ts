import { deflateSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launch, newPage, PHONE, pickOption, shot, signIn } from './browser';

const XINGLONGJIE = '500103001013';
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000 });

/** A real 8×8 PNG (a red square), so that the browser can show it. */
function redSquarePng(): Buffer {
  const crc = (buf: Buffer) => {
    let c = -1;
    for (const b of buf) {
      c ^= b;
      for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
    }
    return (c ^ -1) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(8, 0);
  ihdr.writeUInt32BE(8, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows = Buffer.concat(Array.from({ length: 8 }, () => Buffer.from([0, ...Array.from({ length: 8 }, () => [220, 40, 40]).flat()])));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('随手拍 (problem reports)', () => {
  test('a volunteer snaps a problem on a phone; the station sees it with its photo and opens the ticket it became', async () => {
    const text = `楼道灯坏了，独居老人晚上下楼不便 ${Date.now() % 100_000}`;
    {
      const { context, page } = await newPage(browser, PHONE);
      await signIn(page, 'qxg_vol');
      await page.goto('/problem-reports');
      await page.getByTestId('problem-reports-page').waitFor();
      await page.getByTestId('problem-report-new').click();
      await page.getByTestId('problem-photo-input').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: redSquarePng() });
      await page.getByTestId('problem-photo-preview').waitFor();
      await page.getByTestId('problem-report-description').fill(text);
      await page.getByTestId('problem-report-place').fill('兴隆街 8 号楼道');
      await page.getByTestId('problem-report-area').click();
      await page.keyboard.type('兴隆');
      await pickOption(page, `area-option-${XINGLONGJIE}`);
      await shot(page, 'problem-report-form-phone');
      await page.getByTestId('problem-report-form').getByTestId('form-modal-submit').click();
      await page.getByTestId('problem-report-form-modal').waitFor({ state: 'hidden' });
      const mine = page.getByTestId('problem-reports-mine').getByTestId('problem-report-row').filter({ hasText: text });
      await mine.waitFor();
      await poll(() => mine.getByTestId('problem-report-ticket').textContent()).toMatch(/GD-/);
      expect(await mine.getByTestId('ticket-status').textContent()).toBe('待受理');
      await shot(page, 'problem-reports-mine-phone');
      await context.close();
    }
    {
      const { context, page } = await newPage(browser);
      await signIn(page, 'qxg_sw');
      await page.goto('/problem-reports');
      const row = page.getByTestId('problem-reports-all').getByTestId('problem-report-row').filter({ hasText: text });
      await row.waitFor();
      expect(await row.textContent()).toContain('志愿者 赵志愿');
      // the photo loads (the browser decoded it: it is the red square the volunteer took)
      const img = row.getByTestId('problem-report-photo').locator('img');
      await poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(8);
      await shot(page, 'problem-reports-station');
      await row.getByTestId('problem-report-ticket').click();
      await poll(() => new URL(page.url()).pathname).toMatch(/^\/tickets\//);
      await poll(async () => (await page.locator('body').textContent()) ?? '').toContain('楼道灯坏了');
      await context.close();
    }
  });
});
