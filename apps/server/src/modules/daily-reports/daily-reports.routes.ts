import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, dbOf, errorResponses, inTransaction, sendFile, XLSX_MIME } from '../../platform/http.js';
import { IdParamsSchema } from '../network/network.schemas.js';
import { exportPeriod } from './daily-reports.export.js';
import { presentReport, presentRollup, presentSettings } from './daily-reports.presenter.js';
import {
  CreateReportBodySchema,
  FormQuerySchema,
  FormSchema,
  ListQuerySchema,
  PeriodQuerySchema,
  ReportSchema,
  ReturnBodySchema,
  RollupQuerySchema,
  RollupSchema,
  SettingsSchema,
  UpdateReportBodySchema,
  UpdateSettingsBodySchema,
  VersionBodySchema,
} from './daily-reports.schemas.js';
import {
  addDays,
  createReport,
  findReports,
  getForm,
  getReport,
  getSettings,
  returnReport,
  rollup,
  submitReport,
  updateReport,
  updateSettings,
} from './daily-reports.service.js';

const tags = ['daily-reports'];
const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable(), total: z.number() });
const xlsxResponse = {
  description: 'xlsx workbook',
  content: { [XLSX_MIME]: { schema: z.string().describe('binary xlsx') } },
};

/** A month YYYY-MM → its first and last day. */
function monthRange(month: string): { from: string; to: string } {
  const from = `${month}-01`;
  const [y, m] = month.split('-').map(Number);
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  return { from, to: addDays(next, -1) };
}

export async function dailyReportsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/daily-reports/settings',
    {
      config: { permission: 'daily_reports.read' },
      schema: {
        tags,
        summary: 'Which kinds of unit file a daily report, and the reminder time',
        response: { 200: SettingsSchema, ...errorResponses },
      },
    },
    async (req) => presentSettings(await getSettings(dbOf(req))),
  );

  app.put(
    '/api/daily-reports/settings',
    {
      config: { permission: 'settings.write' },
      schema: {
        tags,
        summary: 'Change the reporting unit kinds and the reminder time (optimistic locking on version)',
        body: UpdateSettingsBodySchema,
        response: { 200: SettingsSchema, ...errorResponses },
      },
    },
    async (req) => presentSettings(await inTransaction(req, (tx) => updateSettings({ db: tx, actor: actorOf(req), input: req.body }))),
  );

  app.get(
    '/api/daily-reports/form',
    {
      config: { permission: 'daily_reports.read' },
      schema: {
        tags,
        summary: "A unit's report of a day (null when not started) and the figures its records give now",
        querystring: FormQuerySchema,
        response: { 200: FormSchema, ...errorResponses },
      },
    },
    async (req) => {
      const f = await getForm(dbOf(req), actorOf(req), req.query.unitId, req.query.day);
      return {
        unit: { id: f.unit.id, name: f.unit.name, kind: f.unit.kind },
        day: f.day,
        report: f.report ? presentReport(f.report) : null,
        prefill: f.prefill,
        lateIfSubmittedNow: f.lateIfSubmittedNow,
      };
    },
  );

  app.get(
    '/api/daily-reports/rollup',
    {
      config: { permission: 'daily_reports.read' },
      schema: {
        tags,
        summary: "A day's or a month's roll-up below a unit: totals, per child unit, per day, completeness, units missing",
        description:
          'Counts submitted reports only. Due = reporting units (operating, of the configured kinds) × days of the period up to today; completeness = filed ÷ due, never above 1.',
        querystring: RollupQuerySchema,
        response: { 200: RollupSchema, ...errorResponses },
      },
    },
    async (req) => {
      const { unitId, day, month } = req.query;
      const range = day ? { from: day, to: day } : monthRange(month as string);
      return presentRollup(await rollup(dbOf(req), actorOf(req), { unitId, ...range }));
    },
  );

  app.get(
    '/api/daily-reports/series',
    {
      config: { permission: 'daily_reports.read' },
      schema: {
        tags,
        summary: 'The roll-up of any period up to 366 days (a station: its own daily series), for charts',
        querystring: PeriodQuerySchema,
        response: { 200: RollupSchema, ...errorResponses },
      },
    },
    async (req) => presentRollup(await rollup(dbOf(req), actorOf(req), req.query)),
  );

  app.get(
    '/api/daily-reports/export',
    {
      config: { permission: 'daily_reports.read' },
      schema: {
        tags,
        summary: 'A period as xlsx: roll-up per child unit, per day, and every report',
        querystring: PeriodQuerySchema,
        response: { 200: xlsxResponse, ...errorResponses },
      },
    },
    async (req, reply) => {
      const body = await exportPeriod({ db: dbOf(req), actor: actorOf(req), ...req.query });
      return sendFile(reply.header('cache-control', 'no-store'), `每日一报-${req.query.from}-${req.query.to}.xlsx`, XLSX_MIME, body);
    },
  );

  app.get(
    '/api/daily-reports',
    {
      config: { permission: 'daily_reports.read' },
      schema: {
        tags,
        summary: 'Daily reports of your part of the network, newest day first',
        querystring: ListQuerySchema,
        response: { 200: page(ReportSchema), ...errorResponses },
      },
    },
    async (req) => {
      const { late, ...q } = req.query;
      const result = await findReports(dbOf(req), actorOf(req), { ...q, late: late === undefined ? undefined : late === 'true' });
      return { ...result, items: result.items.map(presentReport) };
    },
  );

  app.post(
    '/api/daily-reports',
    {
      config: { permission: 'daily_reports.write' },
      schema: {
        tags,
        summary: "Start a unit's report of a day as a draft (figures default to the pre-fill); 409 when it exists",
        body: CreateReportBodySchema,
        response: { 201: ReportSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const report = await inTransaction(req, (tx) => createReport({ db: tx, actor: actorOf(req), input: req.body }));
      return reply.status(201).send(presentReport(report));
    },
  );

  app.get(
    '/api/daily-reports/:id',
    {
      config: { permission: 'daily_reports.read' },
      schema: { tags, summary: 'One daily report', params: IdParamsSchema, response: { 200: ReportSchema, ...errorResponses } },
    },
    async (req) => presentReport(await getReport(dbOf(req), actorOf(req), req.params.id)),
  );

  app.patch(
    '/api/daily-reports/:id',
    {
      config: { permission: 'daily_reports.write' },
      schema: {
        tags,
        summary: 'Edit a draft or returned report (409 stale_version, 409 report_locked once submitted)',
        params: IdParamsSchema,
        body: UpdateReportBodySchema,
        response: { 200: ReportSchema, ...errorResponses },
      },
    },
    async (req) =>
      presentReport(await inTransaction(req, (tx) => updateReport({ db: tx, actor: actorOf(req), id: req.params.id, input: req.body }))),
  );

  app.post(
    '/api/daily-reports/:id/submit',
    {
      config: { permission: 'daily_reports.write' },
      schema: {
        tags,
        summary: 'Submit (lock) a draft or returned report; late when its day has ended',
        params: IdParamsSchema,
        body: VersionBodySchema,
        response: { 200: ReportSchema, ...errorResponses },
      },
    },
    async (req) =>
      presentReport(
        await inTransaction(req, (tx) => submitReport({ db: tx, actor: actorOf(req), id: req.params.id, version: req.body.version })),
      ),
  );

  app.post(
    '/api/daily-reports/:id/return',
    {
      config: { permission: 'daily_reports.review' },
      schema: {
        tags,
        summary: "Return a child unit's submitted report for correction, with the reason (its filers are notified)",
        params: IdParamsSchema,
        body: ReturnBodySchema,
        response: { 200: ReportSchema, ...errorResponses },
      },
    },
    async (req) =>
      presentReport(
        await inTransaction(req, (tx) =>
          returnReport({ db: tx, actor: actorOf(req), id: req.params.id, version: req.body.version, reason: req.body.reason }),
        ),
      ),
  );
}
