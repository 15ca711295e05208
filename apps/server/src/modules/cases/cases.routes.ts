import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, dbOf, errorResponses, inTransaction } from '../../platform/http.js';
import { IdParamsSchema } from '../network/network.schemas.js';
import { presentCase, presentCaseSummary, presentEvent, presentGroup, presentSettings } from './cases.presenter.js';
import {
  CaseEventSchema,
  CaseListQuerySchema,
  CaseSchema,
  CaseSettingsSchema,
  CaseSummarySchema,
  CommentBodySchema,
  CreateCaseBodySchema,
  CreateGroupBodySchema,
  GroupListQuerySchema,
  GroupSchema,
  GroupSummarySchema,
  OverdueSummaryQuerySchema,
  OverdueSummarySchema,
  ServiceBodySchema,
  SessionBodySchema,
  SignOffBodySchema,
  TransferBodySchema,
  UpdateCaseBodySchema,
  UpdateCaseSettingsBodySchema,
  WorkerActionBodySchema,
} from './cases.schemas.js';
import {
  addComment,
  addService,
  applyAction,
  caseDetail,
  createCase,
  findCases,
  getCaseSettings,
  overdueSummary,
  transferCase,
  updateCase,
  updateCaseSettings,
} from './cases.service.js';
import { addSession, createGroup, findGroups, groupDetail } from './groups.service.js';

const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable(), total: z.number() });
const tags = ['cases'];

export async function casesRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/cases',
    {
      config: { permission: 'cases.read' },
      schema: {
        tags,
        summary:
          'Cases (个案) of your part of the network: filter by stage, owner, client, unit, overdue; latest change or earliest due first',
        querystring: CaseListQuerySchema,
        response: { 200: page(CaseSummarySchema), ...errorResponses },
      },
    },
    async (req) => {
      const result = await findCases(dbOf(req), actorOf(req), req.query);
      return { ...result, items: result.items.map(presentCaseSummary) };
    },
  );

  app.post(
    '/api/cases',
    {
      config: { permission: 'cases.write' },
      schema: {
        tags,
        summary: 'Open a case (接案) for a client of the ledger in your scope; the case starts at intake',
        body: CreateCaseBodySchema,
        response: { 201: CaseSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const k = await inTransaction(req, async (tx) => {
        const created = await createCase({ db: tx, actor, input: req.body });
        return caseDetail(tx, actor, created.id);
      });
      return reply.status(201).send(presentCase(k));
    },
  );

  app.get(
    '/api/cases/overdue-summary',
    {
      config: { permission: 'cases.read' },
      schema: {
        tags,
        summary: 'Open and overdue cases per worker or per unit of your scope',
        querystring: OverdueSummaryQuerySchema,
        response: { 200: OverdueSummarySchema, ...errorResponses },
      },
    },
    async (req) => overdueSummary(dbOf(req), actorOf(req), req.query.groupBy),
  );

  app.get(
    '/api/cases/settings',
    {
      config: { permission: 'cases.read' },
      schema: {
        tags,
        summary: 'Deployment settings of casework: days allowed per stage, sign-off gates',
        response: { 200: CaseSettingsSchema, ...errorResponses },
      },
    },
    async (req) => presentSettings(await getCaseSettings(dbOf(req))),
  );

  app.put(
    '/api/cases/settings',
    {
      config: { permission: 'settings.write' },
      schema: {
        tags,
        summary: 'Change the casework settings; due dates of open cases are recomputed',
        body: UpdateCaseSettingsBodySchema,
        response: { 200: CaseSettingsSchema, ...errorResponses },
      },
    },
    async (req) => presentSettings(await inTransaction(req, (tx) => updateCaseSettings({ db: tx, actor: actorOf(req), input: req.body }))),
  );

  app.get(
    '/api/cases/:id',
    {
      config: { permission: 'cases.read' },
      schema: {
        tags,
        summary: 'One case with its stage data, service records, thread and the actions you may take now',
        params: IdParamsSchema,
        response: { 200: CaseSchema, ...errorResponses },
      },
    },
    async (req) => presentCase(await caseDetail(dbOf(req), actorOf(req), req.params.id)),
  );

  app.patch(
    '/api/cases/:id',
    {
      config: { permission: 'cases.write' },
      schema: {
        tags,
        summary: 'Change the title or source reference (version required)',
        params: IdParamsSchema,
        body: UpdateCaseBodySchema,
        response: { 200: CaseSchema, ...errorResponses },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      return presentCase(
        await inTransaction(req, async (tx) => {
          await updateCase({ db: tx, actor, id: req.params.id, input: req.body });
          return caseDetail(tx, actor, req.params.id);
        }),
      );
    },
  );

  app.post(
    '/api/cases/:id/actions',
    {
      config: { permission: 'cases.write' },
      schema: {
        tags,
        summary: "A worker's step: assess, submit_plan, start_intervention, evaluate, request_closure, reopen",
        description: [
          'The transition table is in packages/domain (cases.ts). An action the case’s stage does not allow answers 409',
          '`invalid_transition`; the intervention starts only after the plan is signed off (409 `plan_not_signed_off`) when the',
          'deployment requires it; a stale `version` answers 409 `stale_version`. Nothing is written on refusal.',
        ].join(' '),
        params: IdParamsSchema,
        body: WorkerActionBodySchema,
        response: { 200: CaseSchema, ...errorResponses },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      return presentCase(
        await inTransaction(req, async (tx) => {
          await applyAction({ db: tx, actor, id: req.params.id, input: req.body });
          return caseDetail(tx, actor, req.params.id);
        }),
      );
    },
  );

  app.post(
    '/api/cases/:id/sign-off',
    {
      config: { permission: 'cases.supervise' },
      schema: {
        tags,
        summary: 'Supervision (督导): approve or return (with a comment) the plan or the closure',
        params: IdParamsSchema,
        body: SignOffBodySchema,
        response: { 200: CaseSchema, ...errorResponses },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      return presentCase(
        await inTransaction(req, async (tx) => {
          await applyAction({ db: tx, actor, id: req.params.id, input: req.body });
          return caseDetail(tx, actor, req.params.id);
        }),
      );
    },
  );

  app.post(
    '/api/cases/:id/transfer',
    {
      config: { permission: 'cases.write' },
      schema: {
        tags,
        summary: 'Hand the case to another worker whose unit holds it (audited; the new owner is notified)',
        params: IdParamsSchema,
        body: TransferBodySchema,
        response: { 200: CaseSchema, ...errorResponses },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      return presentCase(
        await inTransaction(req, async (tx) => {
          await transferCase({ db: tx, actor, id: req.params.id, input: req.body });
          return caseDetail(tx, actor, req.params.id);
        }),
      );
    },
  );

  app.post(
    '/api/cases/:id/comments',
    {
      config: { permission: 'cases.read' },
      schema: {
        tags,
        summary: 'Add a comment to the case thread (workers and supervisors; auditors only read)',
        params: IdParamsSchema,
        body: CommentBodySchema,
        response: { 201: z.object({ items: z.array(CaseEventSchema) }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const events = await inTransaction(req, (tx) => addComment({ db: tx, actor: actorOf(req), id: req.params.id, body: req.body.body }));
      return reply.status(201).send({ items: events.map(presentEvent) });
    },
  );

  app.post(
    '/api/cases/:id/services',
    {
      config: { permission: 'cases.write' },
      schema: {
        tags,
        summary: 'Record a service of the intervention (date, kind, minutes, workers, five-societies tags, notes)',
        params: IdParamsSchema,
        body: ServiceBodySchema,
        response: { 201: CaseSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const k = await inTransaction(req, (tx) => addService({ db: tx, actor: actorOf(req), id: req.params.id, input: req.body }));
      return reply.status(201).send(presentCase(k));
    },
  );

  // ----------------------------------------------------------------------------------------- groups

  app.get(
    '/api/case-groups',
    {
      config: { permission: 'cases.read' },
      schema: {
        tags,
        summary: 'Group work (小组) and community activities of your scope, newest first',
        querystring: GroupListQuerySchema,
        response: { 200: page(GroupSummarySchema), ...errorResponses },
      },
    },
    async (req) => {
      const result = await findGroups(dbOf(req), actorOf(req), req.query);
      return { ...result, items: result.items.map(presentGroup) };
    },
  );

  app.post(
    '/api/case-groups',
    {
      config: { permission: 'cases.write' },
      schema: {
        tags,
        summary: 'Start a group or a community activity at a unit of your scope',
        body: CreateGroupBodySchema,
        response: { 201: GroupSummarySchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const g = await inTransaction(req, (tx) => createGroup({ db: tx, actor: actorOf(req), input: req.body }));
      return reply.status(201).send(presentGroup(g));
    },
  );

  app.get(
    '/api/case-groups/:id',
    {
      config: { permission: 'cases.read' },
      schema: {
        tags,
        summary: 'A group or activity with its sessions and attendance',
        params: IdParamsSchema,
        response: { 200: GroupSchema, ...errorResponses },
      },
    },
    async (req) => {
      const g = await groupDetail(dbOf(req), actorOf(req), req.params.id);
      return { ...presentGroup(g), sessionList: g.sessionList };
    },
  );

  app.post(
    '/api/case-groups/:id/sessions',
    {
      config: { permission: 'cases.write' },
      schema: {
        tags,
        summary: 'Record a session (date, topic, minutes, notes) and the clients who attended',
        params: IdParamsSchema,
        body: SessionBodySchema,
        response: { 201: GroupSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const g = await inTransaction(req, (tx) => addSession({ db: tx, actor: actorOf(req), id: req.params.id, input: req.body }));
      return reply.status(201).send({ ...presentGroup(g), sessionList: g.sessionList });
    },
  );
}
