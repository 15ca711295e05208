import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, cryptoOf, dbOf, ErrorBodySchema, errorResponses, inTransaction, sendFile, XLSX_MIME } from '../../platform/http.js';
import { IdParamsSchema } from '../network/network.schemas.js';
import {
  createHotline,
  createShift,
  findHotlines,
  findShifts,
  getHotline,
  shiftStats,
  updateHotline,
  updateShift,
} from './hotlines.service.js';
import { exportTickets } from './tickets.export.js';
import { presentEvent, presentHotline, presentShift, presentTicket } from './tickets.presenter.js';
import {
  AcceptBodySchema,
  AssignBodySchema,
  CallerMatchQuerySchema,
  CallerMatchSchema,
  CancelBodySchema,
  CloseBodySchema,
  CreateHotlineBodySchema,
  CreateShiftBodySchema,
  CreateTicketBodySchema,
  HotlineListQuerySchema,
  HotlineSchema,
  LinkClientBodySchema,
  ProgressBodySchema,
  PublicAreaSchema,
  PublicAreasQuerySchema,
  PublicTicketBodySchema,
  PublicTicketReceiptSchema,
  ReopenBodySchema,
  RerouteBodySchema,
  ShiftListQuerySchema,
  ShiftSchema,
  ShiftStatsQuerySchema,
  ShiftStatsSchema,
  SolveBodySchema,
  TicketDetailSchema,
  TicketListQuerySchema,
  TicketSchema,
  TicketSettingsSchema,
  UpdateHotlineBodySchema,
  UpdateShiftBodySchema,
  UpdateTicketSettingsBodySchema,
} from './tickets.schemas.js';
import {
  callerMatches,
  changeTicket,
  createTicket,
  findTickets,
  getTicket,
  getTicketSettings,
  linkClient,
  publicAreas,
  rerouteTicket,
  revealCallerPhone,
  submitPublicTicket,
  type TicketChange,
  ticketActions,
  ticketEvents,
  updateTicketSettings,
} from './tickets.service.js';

const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable(), total: z.number() });
const tags = ['tickets'];

export async function ticketsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const publicLimit = { max: fastify.config.publicRateLimitPerMinute, timeWindow: '1 minute' };
  const publicErrors = { 400: ErrorBodySchema, 429: ErrorBodySchema };

  // ----------------------------------------------------------------------------------------- public

  app.post(
    '/api/public/tickets',
    {
      config: { public: true, rateLimit: publicLimit },
      schema: {
        tags,
        summary: 'Ask for help online (no login): routed to the station of your community',
        description: 'Rate-limited per address. Leave `website` empty. Answers the reference to quote and the unit that will call back.',
        security: [],
        body: PublicTicketBodySchema,
        response: { 201: PublicTicketReceiptSchema, ...publicErrors },
      },
    },
    async (req, reply) => {
      const receipt = await inTransaction(req, (tx) => submitPublicTicket({ db: tx, crypto: cryptoOf(req), input: req.body, ip: req.ip }));
      return reply.status(201).send({ code: receipt.code, unitName: receipt.unitName, unitPhone: receipt.unitPhone });
    },
  );

  app.get(
    '/api/public/ticket-areas',
    {
      config: { public: true, rateLimit: { ...publicLimit, max: publicLimit.max * 10 } },
      schema: {
        tags,
        summary: 'Communities the online form can route (public reference data), by name',
        security: [],
        querystring: PublicAreasQuerySchema,
        response: { 200: z.object({ items: z.array(PublicAreaSchema) }), ...publicErrors },
      },
    },
    async (req) => ({ items: await publicAreas(dbOf(req), req.query.q) }),
  );

  // ----------------------------------------------------------------------------------------- tickets

  app.get(
    '/api/tickets',
    {
      config: { permission: 'tickets.read' },
      schema: {
        tags,
        summary: 'Tickets of your part of the network, newest first',
        querystring: TicketListQuerySchema,
        response: { 200: page(TicketSchema), ...errorResponses },
      },
    },
    async (req) => {
      const result = await findTickets(dbOf(req), actorOf(req), req.query);
      return { ...result, items: result.items.map(presentTicket) };
    },
  );

  app.get(
    '/api/tickets/export',
    {
      config: { permission: 'tickets.read' },
      schema: {
        tags,
        summary: 'The tickets of a list filter as xlsx (phones masked; at most 20,000, else 400 too_many_rows; audited)',
        querystring: TicketListQuerySchema.omit({ limit: true, cursor: true }),
        response: {
          200: { description: 'xlsx workbook', content: { [XLSX_MIME]: { schema: z.string().describe('binary xlsx') } } },
          ...errorResponses,
        },
      },
    },
    async (req, reply) => {
      const body = await inTransaction(req, (tx) => exportTickets(tx, actorOf(req), req.query));
      const day = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
      return sendFile(reply.header('cache-control', 'no-store'), `工单-${day}.xlsx`, XLSX_MIME, body);
    },
  );

  app.post(
    '/api/tickets',
    {
      config: { permission: 'tickets.write' },
      schema: {
        tags,
        summary: 'Register a ticket (a hotline call, a walk-in, a report): routed to the station of the caller’s community',
        body: CreateTicketBodySchema,
        response: { 201: TicketSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const t = await inTransaction(req, (tx) => createTicket({ db: tx, actor: actorOf(req), crypto: cryptoOf(req), input: req.body }));
      return reply.status(201).send(presentTicket(t));
    },
  );

  app.get(
    '/api/tickets/settings',
    {
      config: { permission: 'tickets.read' },
      schema: {
        tags,
        summary: 'Response and solution deadlines per urgency (minutes)',
        response: { 200: TicketSettingsSchema, ...errorResponses },
      },
    },
    async (req) => getTicketSettings(dbOf(req)),
  );

  app.put(
    '/api/tickets/settings',
    {
      config: { permission: 'settings.write' },
      schema: {
        tags,
        summary: 'Change the deadlines per urgency (for tickets received from now on)',
        body: UpdateTicketSettingsBodySchema,
        response: { 200: TicketSettingsSchema, ...errorResponses },
      },
    },
    async (req) => inTransaction(req, (tx) => updateTicketSettings({ db: tx, actor: actorOf(req), input: req.body })),
  );

  app.get(
    '/api/tickets/:id',
    {
      config: { permission: 'tickets.read' },
      schema: {
        tags,
        summary: 'One ticket with its timeline and the actions you may take',
        params: IdParamsSchema,
        response: { 200: TicketDetailSchema, ...errorResponses },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const t = await getTicket(dbOf(req), actor, req.params.id);
      const events = await ticketEvents(dbOf(req), t.id);
      return { ...presentTicket(t), events: events.map(presentEvent), actions: ticketActions(actor, t) };
    },
  );

  app.get(
    '/api/tickets/:id/caller-matches',
    {
      config: { permission: 'tickets.read' },
      schema: {
        tags,
        summary: 'Clients of your scope the caller may be (same phone, ID number, or name in the unit)',
        params: IdParamsSchema,
        querystring: CallerMatchQuerySchema,
        response: { 200: z.object({ items: z.array(CallerMatchSchema) }), ...errorResponses },
      },
    },
    async (req) => ({
      items: (await callerMatches(dbOf(req), actorOf(req), cryptoOf(req), req.params.id, req.query.idNumber)).map((m) => ({
        ...m,
        matchedBy: m.matchedBy as 'phone' | 'id_number' | 'name',
      })),
    }),
  );

  const actions: { action: TicketChange['action']; body: z.ZodType; summary: string }[] = [
    { action: 'accept', body: AcceptBodySchema, summary: 'Accept a new ticket (受理)' },
    { action: 'assign', body: AssignBodySchema, summary: 'Assign the ticket to a worker of its unit (派单)' },
    { action: 'progress', body: ProgressBodySchema, summary: 'Add a progress note (kept on the timeline)' },
    { action: 'solve', body: SolveBodySchema, summary: 'Mark the ticket solved, saying what was done (办结)' },
    { action: 'close', body: CloseBodySchema, summary: 'Close after the callback: result and satisfaction 1–5 (回访)' },
    { action: 'cancel', body: CancelBodySchema, summary: 'Cancel an open ticket with a reason' },
    { action: 'reopen', body: ReopenBodySchema, summary: 'Reopen a solved or closed ticket with a reason (重办): back in progress' },
  ];
  for (const a of actions) {
    app.post(
      `/api/tickets/:id/${a.action}`,
      {
        config: { permission: 'tickets.write' },
        schema: {
          tags,
          summary: a.summary,
          description:
            'Send the version you read: a stale version answers 409 stale_version; a move the status does not allow, 409 invalid_transition.',
          params: IdParamsSchema,
          body: a.body,
          response: { 200: TicketSchema, ...errorResponses },
        },
      },
      async (req) => {
        const change = { ...(req.body as object), action: a.action } as TicketChange;
        const t = await inTransaction(req, (tx) => changeTicket({ db: tx, actor: actorOf(req), id: req.params.id, change }));
        return presentTicket(t);
      },
    );
  }

  app.post(
    '/api/tickets/:id/reroute',
    {
      config: { permission: 'tickets.write' },
      schema: {
        tags,
        summary: 'Hand an open ticket to another unit of your scope (it starts again as new there)',
        params: IdParamsSchema,
        body: RerouteBodySchema,
        response: { 200: TicketSchema, ...errorResponses },
      },
    },
    async (req) =>
      presentTicket(await inTransaction(req, (tx) => rerouteTicket({ db: tx, actor: actorOf(req), id: req.params.id, ...req.body }))),
  );

  app.post(
    '/api/tickets/:id/client',
    {
      config: { permission: 'tickets.write' },
      schema: {
        tags,
        summary: 'Link the caller to a client of your scope, or register them as a client (needs clients.write)',
        params: IdParamsSchema,
        body: LinkClientBodySchema,
        response: { 200: TicketSchema, ...errorResponses },
      },
    },
    async (req) =>
      presentTicket(
        await inTransaction(req, (tx) =>
          linkClient({
            db: tx,
            actor: actorOf(req),
            crypto: cryptoOf(req),
            id: req.params.id,
            version: req.body.version,
            clientId: 'clientId' in req.body ? req.body.clientId : undefined,
            create: 'create' in req.body,
          }),
        ),
      ),
  );

  app.post(
    '/api/tickets/:id/reveal-phone',
    {
      config: { permission: 'tickets.write' },
      schema: {
        tags,
        summary: 'The caller’s full phone number, for the callback (audited)',
        params: IdParamsSchema,
        response: { 200: z.object({ phone: z.string() }), ...errorResponses },
      },
    },
    async (req) => inTransaction(req, (tx) => revealCallerPhone({ db: tx, actor: actorOf(req), crypto: cryptoOf(req), id: req.params.id })),
  );

  // ----------------------------------------------------------------------------------------- hotlines

  app.get(
    '/api/hotlines',
    {
      config: { permission: 'tickets.read' },
      schema: {
        tags: ['hotlines'],
        summary: 'Hotlines of your part of the network (number, unit, hours)',
        querystring: HotlineListQuerySchema,
        response: { 200: page(HotlineSchema), ...errorResponses },
      },
    },
    async (req) => {
      const r = await findHotlines(dbOf(req), actorOf(req), req.query);
      return { ...r, items: r.items.map(presentHotline) };
    },
  );

  app.post(
    '/api/hotlines',
    {
      config: { permission: 'tickets.write' },
      schema: {
        tags: ['hotlines'],
        summary: 'Add a hotline of a unit in your scope',
        body: CreateHotlineBodySchema,
        response: { 201: HotlineSchema, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(presentHotline(await inTransaction(req, (tx) => createHotline({ db: tx, actor: actorOf(req), input: req.body })))),
  );

  app.get(
    '/api/hotlines/:id',
    {
      config: { permission: 'tickets.read' },
      schema: { tags: ['hotlines'], summary: 'One hotline', params: IdParamsSchema, response: { 200: HotlineSchema, ...errorResponses } },
    },
    async (req) => presentHotline(await getHotline(dbOf(req), actorOf(req), req.params.id)),
  );

  app.patch(
    '/api/hotlines/:id',
    {
      config: { permission: 'tickets.write' },
      schema: {
        tags: ['hotlines'],
        summary: 'Change a hotline’s number, name or hours, or retire it',
        params: IdParamsSchema,
        body: UpdateHotlineBodySchema,
        response: { 200: HotlineSchema, ...errorResponses },
      },
    },
    async (req) =>
      presentHotline(await inTransaction(req, (tx) => updateHotline({ db: tx, actor: actorOf(req), id: req.params.id, input: req.body }))),
  );

  app.get(
    '/api/duty-shifts',
    {
      config: { permission: 'tickets.read' },
      schema: {
        tags: ['hotlines'],
        summary: 'Duty shifts (值班) on the hotlines of your part of the network, newest first',
        querystring: ShiftListQuerySchema,
        response: { 200: page(ShiftSchema), ...errorResponses },
      },
    },
    async (req) => {
      const r = await findShifts(dbOf(req), actorOf(req), req.query);
      return { ...r, items: r.items.map(presentShift) };
    },
  );

  app.post(
    '/api/duty-shifts',
    {
      config: { permission: 'tickets.write' },
      schema: {
        tags: ['hotlines'],
        summary: 'Record a duty shift: who, on which line, when, calls taken and people served',
        body: CreateShiftBodySchema,
        response: { 201: ShiftSchema, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply.status(201).send(presentShift(await inTransaction(req, (tx) => createShift({ db: tx, actor: actorOf(req), input: req.body })))),
  );

  app.patch(
    '/api/duty-shifts/:id',
    {
      config: { permission: 'tickets.write' },
      schema: {
        tags: ['hotlines'],
        summary: 'Correct a shift’s counts or notes',
        params: IdParamsSchema,
        body: UpdateShiftBodySchema,
        response: { 200: ShiftSchema, ...errorResponses },
      },
    },
    async (req) =>
      presentShift(await inTransaction(req, (tx) => updateShift({ db: tx, actor: actorOf(req), id: req.params.id, input: req.body }))),
  );

  app.get(
    '/api/duty-shifts/stats',
    {
      config: { permission: 'tickets.read' },
      schema: {
        tags: ['hotlines'],
        summary: 'Shifts, calls, people served, tickets received and solved per day, month or unit in a period',
        querystring: ShiftStatsQuerySchema,
        response: { 200: ShiftStatsSchema, ...errorResponses },
      },
    },
    async (req) => shiftStats(dbOf(req), actorOf(req), req.query),
  );
}
