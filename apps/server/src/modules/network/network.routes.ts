import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../../platform/actor.js';
import type { Db } from '../../platform/db.js';
import { actorOf, dbOf, errorResponses, inTransaction, OkSchema, PagingQuerySchema } from '../../platform/http.js';
import { auditCursorIn, presentAuditPage } from '../audit/audit.presenter.js';
import { AuditListSchema } from '../audit/audit.schemas.js';
import { findAuditEntries } from '../audit/audit.service.js';
import { presentRegion } from '../regions/regions.presenter.js';
import { coverageReport } from './coverage.service.js';
import { presentOperator, presentUnit, presentUnitDetail, presentZone } from './network.presenter.js';
import {
  CoverageQuerySchema,
  CoverageSchema,
  IdParamsSchema,
  OperatorInputSchema,
  OperatorListQuerySchema,
  OperatorSchema,
  UnitDetailSchema,
  UnitInputSchema,
  UnitListQuerySchema,
  UnitPatchSchema,
  UnitSchema,
  VersionQuerySchema,
  ZoneInputSchema,
  ZoneListQuerySchema,
  ZonePatchSchema,
  ZoneSchema,
} from './network.schemas.js';
import {
  createOperator,
  createUnit,
  createZone,
  deleteUnit,
  deleteZone,
  findOperators,
  findUnits,
  findZones,
  getOperator,
  getUnit,
  getZoneName,
  type UnitRow,
  unitAncestors,
  updateUnit,
  updateZone,
} from './network.service.js';

export async function unitDetail(db: Db, _actor: Actor, unit: UnitRow) {
  return presentUnitDetail(unit, {
    operator: unit.operatorId ? await getOperator(db, unit.operatorId) : null,
    zoneName: await getZoneName(db, unit.zoneId),
    ancestors: await unitAncestors(db, unit),
  });
}

export async function networkRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['network'];

  app.get(
    '/api/units',
    {
      config: { permission: 'network.read' },
      schema: {
        tags,
        summary: 'Units of the network in your scope',
        querystring: UnitListQuerySchema,
        response: {
          200: z.object({ items: z.array(UnitSchema), nextCursor: z.string().nullable(), total: z.number() }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const page = await findUnits(dbOf(req), actorOf(req), req.query);
      return { ...page, items: page.items.map(presentUnit) };
    },
  );

  app.get(
    '/api/units/:id',
    {
      config: { permission: 'network.read' },
      schema: {
        tags,
        summary: 'One unit with its details',
        params: IdParamsSchema,
        response: { 200: UnitDetailSchema, ...errorResponses },
      },
    },
    async (req) => {
      const db = dbOf(req);
      const actor = actorOf(req);
      return unitDetail(db, actor, await getUnit(db, actor, req.params.id));
    },
  );

  app.post(
    '/api/units',
    {
      config: { permission: 'network.write' },
      schema: { tags, summary: 'Create a unit', body: UnitInputSchema, response: { 201: UnitDetailSchema, ...errorResponses } },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const detail = await inTransaction(req, async (tx) => unitDetail(tx, actor, await createUnit({ db: tx, actor, input: req.body })));
      return reply.status(201).send(detail);
    },
  );

  app.patch(
    '/api/units/:id',
    {
      config: { permission: 'network.write' },
      schema: {
        tags,
        summary: 'Change a unit (optimistic locking by version)',
        params: IdParamsSchema,
        body: UnitPatchSchema,
        response: { 200: UnitDetailSchema, ...errorResponses },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      return inTransaction(req, async (tx) =>
        unitDetail(tx, actor, await updateUnit({ db: tx, actor, id: req.params.id, patch: req.body })),
      );
    },
  );

  app.delete(
    '/api/units/:id',
    {
      config: { permission: 'network.write' },
      schema: {
        tags,
        summary: 'Delete a unit without children or users',
        params: IdParamsSchema,
        querystring: VersionQuerySchema,
        response: { 200: OkSchema, ...errorResponses },
      },
    },
    async (req) => {
      await inTransaction(req, (tx) => deleteUnit({ db: tx, actor: actorOf(req), id: req.params.id, version: req.query.version }));
      return { ok: true as const };
    },
  );

  app.get(
    '/api/units/:id/history',
    {
      config: { permission: 'network.read' },
      schema: {
        tags,
        summary: 'History of changes of a unit',
        params: IdParamsSchema,
        querystring: PagingQuerySchema,
        response: { 200: AuditListSchema, ...errorResponses },
      },
    },
    async (req) => {
      const db = dbOf(req);
      const actor = actorOf(req);
      await getUnit(db, actor, req.params.id);
      const page = await findAuditEntries(
        db,
        { ...actor, scopePath: null },
        {
          entityType: 'unit',
          entityId: req.params.id,
          limit: req.query.limit,
          before: auditCursorIn(req.query.cursor),
        },
      );
      return presentAuditPage(page);
    },
  );

  app.get(
    '/api/operators',
    {
      config: { permission: 'network.read' },
      schema: {
        tags,
        summary: 'Operator organizations (承接机构) you may choose',
        querystring: OperatorListQuerySchema,
        response: {
          200: z.object({ items: z.array(OperatorSchema), nextCursor: z.string().nullable(), total: z.number() }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const page = await findOperators(dbOf(req), actorOf(req), req.query);
      return { ...page, items: page.items.map(presentOperator) };
    },
  );

  app.post(
    '/api/operators',
    {
      config: { permission: 'network.write' },
      schema: {
        tags,
        summary: 'Register an operator organization',
        body: OperatorInputSchema,
        response: { 201: OperatorSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const op = await inTransaction(req, (tx) => createOperator({ db: tx, actor: actorOf(req), input: req.body }));
      return reply.status(201).send(presentOperator(op));
    },
  );

  app.get(
    '/api/zones',
    {
      config: { permission: 'network.read' },
      schema: {
        tags,
        summary: 'Zones (片区) of a station',
        querystring: ZoneListQuerySchema,
        response: { 200: z.object({ items: z.array(ZoneSchema) }), ...errorResponses },
      },
    },
    async (req) => ({ items: (await findZones(dbOf(req), actorOf(req), req.query.stationId)).map(presentZone) }),
  );

  app.post(
    '/api/zones',
    {
      config: { permission: 'network.write' },
      schema: { tags, summary: 'Create a zone of a station', body: ZoneInputSchema, response: { 201: ZoneSchema, ...errorResponses } },
    },
    async (req, reply) => {
      const zone = await inTransaction(req, (tx) => createZone({ db: tx, actor: actorOf(req), input: req.body }));
      return reply.status(201).send(presentZone(zone));
    },
  );

  app.patch(
    '/api/zones/:id',
    {
      config: { permission: 'network.write' },
      schema: {
        tags,
        summary: 'Change a zone',
        params: IdParamsSchema,
        body: ZonePatchSchema,
        response: { 200: ZoneSchema, ...errorResponses },
      },
    },
    async (req) =>
      presentZone(await inTransaction(req, (tx) => updateZone({ db: tx, actor: actorOf(req), id: req.params.id, patch: req.body }))),
  );

  app.delete(
    '/api/zones/:id',
    {
      config: { permission: 'network.write' },
      schema: { tags, summary: 'Delete a zone', params: IdParamsSchema, response: { 200: OkSchema, ...errorResponses } },
    },
    async (req) => {
      await inTransaction(req, (tx) => deleteZone({ db: tx, actor: actorOf(req), id: req.params.id }));
      return { ok: true as const };
    },
  );

  app.get(
    '/api/coverage',
    {
      config: { permission: 'coverage.read' },
      schema: {
        tags,
        summary: 'Station and office coverage of a region, with its child regions',
        querystring: CoverageQuerySchema,
        response: { 200: CoverageSchema, ...errorResponses },
      },
    },
    async (req) => {
      const r = await coverageReport(dbOf(req), actorOf(req), req.query.regionCode);
      return {
        region: presentRegion(r.region),
        streets: r.streets,
        villages: r.villages,
        children: r.children.map((c) => ({ region: presentRegion(c.region), streets: c.streets, villages: c.villages })),
      };
    },
  );
}
