import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { PROBLEM_REPORT_LIMITS, sniffPhotoType } from '@wushe/domain';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, errorOf, signIn, TEST_PASSWORD, type TestContext, testApp } from '../../../test/helpers.js';
import { queryOne, sql } from '../../platform/db.js';
import { makeUser } from '../../seed/factories.js';
import { photoFile } from './problem-reports.service.js';

/** 兴隆街社区 of 七星岗街道 (渝中区). */
const XINGLONGJIE = '500103001013';

/** The smallest JPEG-looking bytes: the SOI marker and an APP0 header, then noise. */
const jpeg = (size = 4096) =>
  Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]), randomBytes(size)]);
const png = () => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(512)]);

let ctx: TestContext;
let volunteer: Client;
let qxgSw: Client;
let jfbSw: Client;
let jfbRegion: string;
let jfbStationId: string;

/** A multipart report: text fields and an optional photo in the field `file`. */
function form(fields: Record<string, string>, photo?: { bytes: Buffer; name?: string; type?: string }) {
  const boundary = `----wushe${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (photo) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${photo.name ?? 'photo.jpg'}"\r\nContent-Type: ${photo.type ?? 'image/jpeg'}\r\n\r\n`,
      ),
      photo.bytes,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

function report(c: Client, fields: Record<string, string>, photo?: { bytes: Buffer; name?: string; type?: string }) {
  const f = form(fields, photo);
  return c.request({ method: 'POST', url: '/api/problem-reports', payload: f.payload, headers: f.headers });
}

const counts = async () =>
  queryOne<{ reports: number; tickets: number }>(
    ctx.db,
    sql`select (select count(*)::int from problem_reports) as reports, (select count(*)::int from tickets) as tickets`,
  );

beforeAll(async () => {
  ctx = await testApp();
  const station = await queryOne<{ id: string; path: string }>(
    ctx.db,
    sql`select id, path::text as path from units where name = '七星岗街道社会工作服务站'`,
  );
  await makeUser(ctx.db, {
    username: 'qxg_vol_pr',
    password: TEST_PASSWORD,
    role: 'volunteer',
    unit: station,
    displayName: '随手拍志愿者',
  });
  volunteer = await signIn(ctx.app, 'qxg_vol_pr');
  qxgSw = await signIn(ctx.app, 'qxg_sw');
  jfbSw = await signIn(ctx.app, 'jfb_sw');
  const jfb = await queryOne<{ id: string; region_path: string }>(
    ctx.db,
    sql`select id, region_path::text as region_path from units where name = '解放碑街道社会工作服务站'`,
  );
  jfbStationId = jfb?.id as string;
  jfbRegion = (
    await queryOne<{ code: string }>(
      ctx.db,
      sql`select code from regions where level = 5 and path <@ ${jfb?.region_path}::ltree order by code limit 1`,
    )
  )?.code as string;
  expect(jfbRegion).toMatch(/^\d{12}$/);
});
afterAll(async () => ctx?.close());

describe('problem reports (随手拍)', () => {
  let reportId: string;
  let photo: Buffer;

  it('a volunteer reports a problem with a photo: it becomes a ticket of the station that serves the community', async () => {
    photo = jpeg();
    const res = await report(
      volunteer,
      {
        category: 'medicine',
        description: '独居老人家里没有降压药了',
        place: '兴隆街12号3楼',
        regionCode: XINGLONGJIE,
        latitude: '29.55',
        longitude: '106.57',
      },
      { bytes: photo, name: 'IMG_0001.jpg' },
    );
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    reportId = body.id;
    expect(body).toMatchObject({
      category: 'medicine',
      place: '兴隆街12号3楼',
      regionCode: XINGLONGJIE,
      latitude: 29.55,
      longitude: 106.57,
      unitName: '七星岗街道社会工作服务站',
      reporterName: '随手拍志愿者',
      photo: { type: 'image/jpeg', bytes: photo.length },
      ticket: { status: 'new' },
    });
    const ticket = await queryOne<{ channel: string; category: string; summary: string; unit_name: string }>(
      ctx.db,
      sql`select t.channel, t.category, t.summary, u.name as unit_name from tickets t join units u on u.id = t.unit_id where t.id = ${body.ticket.id}`,
    );
    expect(ticket).toMatchObject({ channel: 'volunteer', category: 'medicine', unit_name: '七星岗街道社会工作服务站' });
    expect(ticket?.summary).toContain('降压药');
    // the station's staff see the ticket and the report
    const tickets = await qxgSw.get(`/api/tickets/${body.ticket.id}`);
    expect(tickets.statusCode, tickets.body).toBe(200);
    const list = await qxgSw.get('/api/problem-reports?limit=50');
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items.map((r: { id: string }) => r.id)).toContain(reportId);
  });

  it('the photo is kept encrypted in the data folder and shown to those who may see the report, each view audited', async () => {
    const file = fs.readFileSync(photoFile('memory://', reportId));
    expect(file.includes(photo.subarray(0, 64))).toBe(false);
    for (const c of [qxgSw, volunteer]) {
      const res = await c.get(`/api/problem-reports/${reportId}/photo`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('image/jpeg');
      expect(res.headers['cache-control']).toBe('private, no-store');
      expect(Buffer.compare(res.rawPayload, photo)).toBe(0);
    }
    const audited = await queryOne<{ n: number }>(
      ctx.db,
      sql`select count(*)::int as n from audit_log where action = 'problem_report.photo_viewed' and entity_id = ${reportId}`,
    );
    expect(audited?.n).toBe(2);
  });

  it('the reporter follows it under "mine"; another street sees neither the report, nor its photo, nor it in lists', async () => {
    const mine = await volunteer.get('/api/problem-reports/mine?limit=50');
    expect(mine.statusCode, mine.body).toBe(200);
    const own = mine.json().items.find((r: { id: string }) => r.id === reportId);
    expect(own.ticket.code).toMatch(/^GD-/);
    for (const url of [`/api/problem-reports/${reportId}`, `/api/problem-reports/${reportId}/photo`]) {
      const res = await jfbSw.get(url);
      expect(res.statusCode).toBe(404);
      expect(errorOf(res).code).toBe('problem_report_not_found');
    }
    const list = await jfbSw.get('/api/problem-reports?limit=200');
    expect(list.json().items.map((r: { id: string }) => r.id)).not.toContain(reportId);
    expect(list.body).not.toContain('降压药');
    // a volunteer has no station list
    expect((await volunteer.get('/api/problem-reports')).statusCode).toBe(403);
  });

  it('a problem seen in another street goes to that street; the reporter still follows it, their own station does not see it', async () => {
    const res = await report(volunteer, {
      category: 'other',
      description: '路口井盖缺失，老人容易摔倒',
      place: '解放碑某路口',
      regionCode: jfbRegion,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ unitId: jfbStationId, photo: null });
    const id = res.json().id;
    expect((await jfbSw.get(`/api/problem-reports/${id}`)).statusCode).toBe(200);
    expect((await volunteer.get(`/api/problem-reports/${id}`)).statusCode).toBe(200);
    expect((await qxgSw.get(`/api/problem-reports/${id}`)).statusCode).toBe(404);
    // no photo: its photo route says so
    const p = await volunteer.get(`/api/problem-reports/${id}/photo`);
    expect(p.statusCode).toBe(404);
    expect(errorOf(p).code).toBe('photo_not_found');
  });

  it('without a community the report goes to the reporter’s own unit', async () => {
    const res = await report(qxgSw, { category: 'policy', description: '居民询问高龄津贴怎么申请', place: '七星岗站门口' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().unitName).toBe('七星岗街道社会工作服务站');
  });

  it('bad reports get a clear 4xx and write nothing — no report, no ticket, no file', async () => {
    const before = await counts();
    const ok = { category: 'grain', description: '家里没米了', place: '兴隆街', regionCode: XINGLONGJIE };
    const cases: [string, () => Promise<LightMyRequestResponse>, number, string][] = [
      ['JSON instead of a form', () => volunteer.post('/api/problem-reports', ok), 415, 'unsupported_media_type'],
      [
        'a text file named .jpg',
        () => report(volunteer, ok, { bytes: Buffer.from('not an image at all'.repeat(10)) }),
        415,
        'unsupported_media_type',
      ],
      ['an empty photo', () => report(volunteer, ok, { bytes: Buffer.alloc(0) }), 400, 'validation_failed'],
      ['a photo over 10 MB', () => report(volunteer, ok, { bytes: jpeg(PROBLEM_REPORT_LIMITS.photoMaxBytes) }), 413, 'payload_too_large'],
      ['no description', () => report(volunteer, { ...ok, description: '' }, { bytes: png() }), 400, 'validation_failed'],
      ['an unknown category', () => report(volunteer, { ...ok, category: 'weather' }), 400, 'validation_failed'],
      ['latitude without longitude', () => report(volunteer, { ...ok, latitude: '29.5' }), 400, 'validation_failed'],
      ['a community that does not exist', () => report(volunteer, { ...ok, regionCode: '500103999999' }), 400, 'validation_failed'],
      [
        'a body whose boundary is not the declared one (truncated multipart)',
        () =>
          volunteer.request({
            method: 'POST',
            url: '/api/problem-reports',
            payload: Buffer.from('--七星岗\r\nContent-Disposition: form-data; name="place"\r\n\r\n兴隆街\r\n--七星岗--\r\n'),
            headers: { 'content-type': 'multipart/form-data; boundary=----七星岗' },
          }),
        400,
        'bad_request',
      ],
    ];
    for (const [what, send, status, code] of cases) {
      const res = await send();
      expect(res.statusCode, `${what}: ${res.body}`).toBe(status);
      expect(errorOf(res).code, what).toBe(code);
    }
    expect(await counts()).toEqual(before);
  });

  it('a failed write leaves no photo file behind', async () => {
    const dir = photoFile('memory://', 'x').slice(0, -2);
    const before = fs.readdirSync(dir).length;
    const res = await report(
      volunteer,
      { category: 'grain', description: '家里没米了', place: '兴隆街', regionCode: '500103999999' },
      { bytes: jpeg() },
    );
    expect(res.statusCode).toBe(400);
    expect(fs.readdirSync(dir).length).toBe(before);
  });

  it('a photo is recognised by its bytes, whatever its name says', () => {
    expect(sniffPhotoType(jpeg(8))).toBe('image/jpeg');
    expect(sniffPhotoType(png())).toBe('image/png');
    expect(sniffPhotoType(Buffer.from('RIFF\x00\x00\x00\x00WEBPVP8 ', 'latin1'))).toBe('image/webp');
    expect(sniffPhotoType(Buffer.from('\x00\x00\x00\x18ftypheic\x00\x00', 'latin1'))).toBe('image/heic');
    expect(sniffPhotoType(Buffer.from('%PDF-1.7\n'))).toBeNull();
    expect(sniffPhotoType(Buffer.from('GIF89a'))).toBeNull();
    // arbitrary bytes that do not start with a known signature are never taken for a photo
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 32 }), (bytes) => {
        const type = sniffPhotoType(bytes);
        if (type === 'image/jpeg') expect([bytes[0], bytes[1], bytes[2]]).toEqual([0xff, 0xd8, 0xff]);
        if (type === 'image/png') expect(bytes[0]).toBe(0x89);
        if (type === null) return true;
        return bytes.length >= 3;
      }),
    );
  });
});
