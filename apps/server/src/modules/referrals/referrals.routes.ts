import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, cryptoOf, dbOf, errorResponses, inTransaction } from '../../platform/http.js';
import { IdParamsSchema } from '../network/network.schemas.js';
import { presentReferral, presentReferralDetail, presentSettings } from './referrals.presenter.js';
import {
  ActionBodySchema,
  CreateReferralBodySchema,
  LookupBodySchema,
  LookupResultSchema,
  ReceiversQuerySchema,
  ReceiversSchema,
  ReferralDetailSchema,
  ReferralListQuerySchema,
  ReferralSchema,
  ReferralSettingsSchema,
  TransferRequestBodySchema,
  UpdateReferralSettingsBodySchema,
} from './referrals.schemas.js';
import {
  applyReferralAction,
  createReferral,
  createTransferRequest,
  findReceivers,
  findReferrals,
  getReferralSettings,
  lookupClient,
  referralDetail,
  updateReferralSettings,
  visibleTo,
} from './referrals.service.js';

const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable(), total: z.number() });

export async function referralsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/referrals',
    {
      config: { permission: 'referrals.read' },
      schema: {
        tags: ['referrals'],
        summary: 'Referrals, transfers and transfer requests sent by or to your part of the network, latest change first',
        description:
          'A receiver sees a referral or transfer while it is open (declined or closed ones are gone for it); names of clients outside your part are masked. overdue=true: answers or feedback past their due day.',
        querystring: ReferralListQuerySchema,
        response: { 200: page(ReferralSchema), ...errorResponses },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const result = await findReferrals(dbOf(req), actor, req.query);
      return { ...result, items: result.items.map((r) => presentReferral(actor, r)) };
    },
  );

  app.post(
    '/api/referrals',
    {
      config: { permission: 'referrals.write' },
      schema: {
        tags: ['referrals'],
        summary: "Refer a client's need or case to a unit, organization or department, or transfer the client to a unit",
        description: "The client's consent (or the documented reason it was not needed) is required: without it 400 consent_required.",
        body: CreateReferralBodySchema,
        response: { 201: ReferralDetailSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const detail = await inTransaction(req, async (tx) => {
        const r = await createReferral({ db: tx, actor, input: req.body });
        return referralDetail(tx, actor, r.id);
      });
      return reply.status(201).send(presentReferralDetail(actor, detail));
    },
  );

  app.post(
    '/api/referrals/lookup',
    {
      config: { permission: 'referrals.write' },
      schema: {
        tags: ['referrals'],
        summary: 'Find a client by exact ID number: its id when it is yours, else only a minimal card (masked name, sex, birth year, unit)',
        description: 'A POST so that ID numbers stay out of URLs and logs; each lookup of a client outside your part is audited.',
        body: LookupBodySchema,
        response: { 200: LookupResultSchema, ...errorResponses },
      },
    },
    async (req) =>
      inTransaction(req, (tx) => lookupClient({ db: tx, actor: actorOf(req), crypto: cryptoOf(req), idNumber: req.body.idNumber })),
  );

  app.post(
    '/api/referrals/transfer-requests',
    {
      config: { permission: 'referrals.write' },
      schema: {
        tags: ['referrals'],
        summary: 'Ask the owning unit to transfer a client you cannot see (by exact ID number)',
        body: TransferRequestBodySchema,
        response: { 201: ReferralDetailSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const detail = await inTransaction(req, async (tx) => {
        const r = await createTransferRequest({ db: tx, actor, crypto: cryptoOf(req), input: req.body });
        return referralDetail(tx, actor, r.id);
      });
      return reply.status(201).send(presentReferralDetail(actor, detail));
    },
  );

  app.get(
    '/api/referrals/receivers',
    {
      config: { permission: 'referrals.write' },
      schema: {
        tags: ['referrals'],
        summary: 'Whom a referral can go to: units of any tier across the network and social organizations, by name or pinyin',
        description: "A directory of names (as on their doors), the same for every sender; nothing of any unit's clients.",
        querystring: ReceiversQuerySchema,
        response: { 200: ReceiversSchema, ...errorResponses },
      },
    },
    async (req) => findReceivers(dbOf(req), req.query),
  );

  app.get(
    '/api/referrals/settings',
    {
      config: { permission: 'referrals.read' },
      schema: {
        tags: ['referrals'],
        summary: 'Follow-up days: to answer a referral or transfer, and from acceptance to the feedback',
        response: { 200: ReferralSettingsSchema, ...errorResponses },
      },
    },
    async (req) => presentSettings(await getReferralSettings(dbOf(req))),
  );

  app.put(
    '/api/referrals/settings',
    {
      config: { permission: 'settings.write' },
      schema: {
        tags: ['referrals'],
        summary: 'Change the follow-up days (due days of open hand-overs are recomputed)',
        body: UpdateReferralSettingsBodySchema,
        response: { 200: ReferralSettingsSchema, ...errorResponses },
      },
    },
    async (req) =>
      presentSettings(await inTransaction(req, (tx) => updateReferralSettings({ db: tx, actor: actorOf(req), input: req.body }))),
  );

  app.get(
    '/api/referrals/:id',
    {
      config: { permission: 'referrals.read' },
      schema: {
        tags: ['referrals'],
        summary: 'One hand-over with the referral card (or the minimal card) and the actions you may take',
        description:
          "A receiver outside the client's part of the network reads the card only while the referral is open; each such read is audited.",
        params: IdParamsSchema,
        response: { 200: ReferralDetailSchema, ...errorResponses },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      return presentReferralDetail(actor, await inTransaction(req, (tx) => referralDetail(tx, actor, req.params.id)));
    },
  );

  app.post(
    '/api/referrals/:id/actions',
    {
      config: { permission: 'referrals.write' },
      schema: {
        tags: ['referrals'],
        summary: 'accept | decline (reason) | start | feedback (text) | close — by the side whose turn it is',
        description:
          'Accepting a transfer moves the client (one transaction); accepting a transfer request needs the consent. A stale version → 409 stale_version; an action the status does not allow → 409 invalid_transition.',
        params: IdParamsSchema,
        body: ActionBodySchema,
        response: { 200: ReferralDetailSchema, ...errorResponses },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const detail = await inTransaction(req, async (tx) => {
        const after = await applyReferralAction({ db: tx, actor, id: req.params.id, input: req.body });
        // A receiver that declined no longer sees the referral: it gets the answer it gave, without any card.
        if (!visibleTo(actor, after)) return { ...after, card: null, minimalCard: null };
        return referralDetail(tx, actor, req.params.id);
      });
      return presentReferralDetail(actor, detail);
    },
  );
}
