import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../../platform/actor.js';
import type { Db } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { actorOf, cryptoOf, dbOf, errorResponses, inTransaction, OkSchema, sendFile, XLSX_MIME } from '../../platform/http.js';
import { IdParamsSchema } from '../network/network.schemas.js';
import { presentTeam, presentVolunteer } from './volunteers.presenter.js';
import { certificateOf, serviceRecordXlsx } from './volunteers.record.js';
import {
  ApproveVolunteerBodySchema,
  CertificateSchema,
  CreateTeamBodySchema,
  CreateVolunteerBodySchema,
  PublicUnitSchema,
  ReasonBodySchema,
  RecordQuerySchema,
  RegisteredSchema,
  RegisterVolunteerBodySchema,
  TeamDetailSchema,
  TeamListQuerySchema,
  TeamMemberBodySchema,
  TeamMemberParamsSchema,
  TeamSchema,
  UpdateTeamBodySchema,
  UpdateVolunteerBodySchema,
  UpdateVolunteerSettingsBodySchema,
  VersionBodySchema,
  VolunteerListQuerySchema,
  VolunteerSchema,
  VolunteerSettingsSchema,
} from './volunteers.schemas.js';
import {
  addTeamMember,
  approveVolunteer,
  createTeam,
  findTeams,
  findVolunteers,
  getTeam,
  getVolunteer,
  getVolunteerSettings,
  publicVolunteerUnits,
  registerVolunteer,
  reinstateVolunteer,
  rejectVolunteer,
  removeTeamMember,
  suspendVolunteer,
  teamMembers,
  updateTeam,
  updateVolunteer,
  updateVolunteerSettings,
  type VolunteerRow,
  volunteerForUser,
} from './volunteers.service.js';

const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable(), total: z.number() });

const REGISTERED = {
  ok: true as const,
  message: 'thank you: the station will check your application and contact you',
};

export async function volunteersRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const config = app.config;

  // ----------------------------------------------------------------------------------------- public

  app.get(
    '/api/public/volunteer-units',
    {
      config: { public: true },
      schema: {
        tags: ['volunteers'],
        summary: 'Stations and community offices a resident may register with as a volunteer (public)',
        response: { 200: z.object({ items: z.array(PublicUnitSchema) }), ...errorResponses },
        security: [],
      },
    },
    async (req) => ({ items: await publicVolunteerUnits(dbOf(req)) }),
  );

  app.post(
    '/api/public/volunteers',
    {
      config: { public: true, rateLimit: { max: config.loginRateLimitPerMinute, timeWindow: '1 minute' } },
      schema: {
        tags: ['volunteers'],
        summary: 'A resident registers as a volunteer (public, rate-limited); the station approves',
        description:
          'Real name and ID number (validated, stored encrypted). The application waits for the station (status pending). `website` is a honeypot: leave it empty.',
        body: RegisterVolunteerBodySchema,
        response: { 202: RegisteredSchema, ...errorResponses, 429: errorResponses[400] },
        security: [],
      },
    },
    async (req, reply) => {
      const { website, ...input } = req.body;
      // A bot filled in the field people never see: answer as if it worked, keep nothing.
      if (website && website.trim() !== '') return reply.status(202).send(REGISTERED);
      await inTransaction(req, (tx) => registerVolunteer({ db: tx, actor: null, crypto: cryptoOf(req), input }));
      return reply.status(202).send(REGISTERED);
    },
  );

  // ----------------------------------------------------------------------------------------- volunteers

  app.get(
    '/api/volunteers',
    {
      config: { permission: 'volunteers.read' },
      schema: {
        tags: ['volunteers'],
        summary: 'Volunteers of your part of the network (search, filters, sort, paging; ID numbers and phones masked)',
        querystring: VolunteerListQuerySchema,
        response: { 200: page(VolunteerSchema), ...errorResponses },
      },
    },
    async (req) => {
      const db = dbOf(req);
      const settings = await getVolunteerSettings(db);
      const result = await findVolunteers(db, actorOf(req), cryptoOf(req), req.query);
      return { ...result, items: result.items.map((v) => presentVolunteer(v, settings.starHours)) };
    },
  );

  app.post(
    '/api/volunteers',
    {
      config: { permission: 'volunteers.write' },
      schema: {
        tags: ['volunteers'],
        summary: 'Register a volunteer at the station (status pending until approved)',
        body: CreateVolunteerBodySchema,
        response: { 201: VolunteerSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const v = await inTransaction(req, async (tx) => {
        const id = await registerVolunteer({ db: tx, actor, crypto: cryptoOf(req), input: req.body });
        return getVolunteer(tx, actor, id);
      });
      return reply.status(201).send(presentVolunteer(v, (await getVolunteerSettings(dbOf(req))).starHours));
    },
  );

  app.get(
    '/api/volunteers/:id',
    {
      config: { permission: 'volunteers.read' },
      schema: {
        tags: ['volunteers'],
        summary: 'One volunteer',
        params: IdParamsSchema,
        response: { 200: VolunteerSchema, ...errorResponses },
      },
    },
    async (req) => {
      const db = dbOf(req);
      return presentVolunteer(await getVolunteer(db, actorOf(req), req.params.id), (await getVolunteerSettings(db)).starHours);
    },
  );

  app.patch(
    '/api/volunteers/:id',
    {
      config: { permission: 'volunteers.write' },
      schema: {
        tags: ['volunteers'],
        summary: 'Change a volunteer (name, phone, unit, skills, availability, courier); stale version → 409',
        params: IdParamsSchema,
        body: UpdateVolunteerBodySchema,
        response: { 200: VolunteerSchema, ...errorResponses },
      },
    },
    async (req) => {
      const v = await inTransaction(req, (tx) =>
        updateVolunteer({ db: tx, actor: actorOf(req), crypto: cryptoOf(req), id: req.params.id, patch: req.body }),
      );
      return presentVolunteer(v, (await getVolunteerSettings(dbOf(req))).starHours);
    },
  );

  const reviewed = async (req: FastifyRequest, run: (tx: Db, actor: Actor) => Promise<VolunteerRow>) => {
    const v = await inTransaction(req, (tx) => run(tx, actorOf(req)));
    return presentVolunteer(v, (await getVolunteerSettings(dbOf(req))).starHours);
  };
  const reviewSchema = <B extends z.ZodType>(summary: string, body: B) => ({
    tags: ['volunteers'],
    summary,
    params: IdParamsSchema,
    body,
    response: { 200: VolunteerSchema, ...errorResponses },
  });

  app.post(
    '/api/volunteers/:id/approve',
    {
      config: { permission: 'volunteers.write' },
      schema: reviewSchema(
        'Approve a pending volunteer: a login of role volunteer (new or linked) and a time-bank account; status active',
        ApproveVolunteerBodySchema,
      ),
    },
    async (req) => reviewed(req, (tx, actor) => approveVolunteer({ db: tx, actor, id: req.params.id, input: req.body })),
  );
  app.post(
    '/api/volunteers/:id/reject',
    { config: { permission: 'volunteers.write' }, schema: reviewSchema('Reject a pending application, with a reason', ReasonBodySchema) },
    async (req) => reviewed(req, (tx, actor) => rejectVolunteer({ db: tx, actor, id: req.params.id, input: req.body })),
  );
  app.post(
    '/api/volunteers/:id/suspend',
    {
      config: { permission: 'volunteers.write' },
      schema: reviewSchema('Suspend an active volunteer, with a reason (no sign-ups or check-ins meanwhile)', ReasonBodySchema),
    },
    async (req) => reviewed(req, (tx, actor) => suspendVolunteer({ db: tx, actor, id: req.params.id, input: req.body })),
  );
  app.post(
    '/api/volunteers/:id/reinstate',
    { config: { permission: 'volunteers.write' }, schema: reviewSchema('Reinstate a suspended volunteer', VersionBodySchema) },
    async (req) => reviewed(req, (tx, actor) => reinstateVolunteer({ db: tx, actor, id: req.params.id, input: req.body })),
  );

  app.get(
    '/api/volunteers/:id/record.xlsx',
    {
      config: { permission: 'volunteers.read' },
      schema: {
        tags: ['volunteers'],
        summary: "A volunteer's service record (confirmed attendances) as xlsx, optionally between two days",
        params: IdParamsSchema,
        querystring: RecordQuerySchema,
        response: { ...errorResponses },
      },
    },
    async (req, reply) => {
      const db = dbOf(req);
      const v = await getVolunteer(db, actorOf(req), req.params.id);
      return sendFile(reply, `志愿服务记录-${v.name}.xlsx`, XLSX_MIME, await serviceRecordXlsx(db, v, req.query));
    },
  );

  app.get(
    '/api/volunteers/:id/certificate',
    {
      config: { permission: 'volunteers.read' },
      schema: {
        tags: ['volunteers'],
        summary: 'The hours certificate (志愿服务记录证明) of a volunteer: the console prints it',
        params: IdParamsSchema,
        querystring: RecordQuerySchema,
        response: { 200: CertificateSchema, ...errorResponses },
      },
    },
    async (req) => {
      const db = dbOf(req);
      return certificateOf(db, await getVolunteer(db, actorOf(req), req.params.id), req.query);
    },
  );

  // ----------------------------------------------------------------------------------------- the volunteer's own

  const myVolunteer = async (req: FastifyRequest) => {
    const actor = actorOf(req);
    const mine = actor.userId ? await volunteerForUser(dbOf(req), actor.userId) : null;
    if (!mine) throw new AppError('not_a_volunteer', { status: 404, message: 'your login belongs to no volunteer' });
    return getVolunteer(dbOf(req), { ...actor, scopePath: null }, mine.id);
  };

  app.get(
    '/api/my/volunteer',
    {
      config: { signedIn: true },
      schema: {
        tags: ['volunteers'],
        summary: 'The signed-in volunteer: status, hours, star level, balance (404 not_a_volunteer for other logins)',
        response: { 200: VolunteerSchema, ...errorResponses },
      },
    },
    async (req) => presentVolunteer(await myVolunteer(req), (await getVolunteerSettings(dbOf(req))).starHours),
  );

  app.get(
    '/api/my/volunteer/certificate',
    {
      config: { signedIn: true },
      schema: {
        tags: ['volunteers'],
        summary: "The signed-in volunteer's hours certificate",
        querystring: RecordQuerySchema,
        response: { 200: CertificateSchema, ...errorResponses },
      },
    },
    async (req) => certificateOf(dbOf(req), await myVolunteer(req), req.query),
  );

  // ----------------------------------------------------------------------------------------- settings

  app.get(
    '/api/volunteer-settings',
    {
      config: { permission: 'volunteers.read' },
      schema: {
        tags: ['volunteers'],
        summary: 'Star levels: confirmed hours for 一星 … 五星 (default 100 / 300 / 600 / 1,000 / 1,500)',
        response: { 200: VolunteerSettingsSchema, ...errorResponses },
      },
    },
    async (req) => getVolunteerSettings(dbOf(req)),
  );

  app.put(
    '/api/volunteer-settings',
    {
      config: { permission: 'settings.write' },
      schema: {
        tags: ['volunteers'],
        summary: 'Change the star-level thresholds (five rising whole hours); stale version → 409',
        body: UpdateVolunteerSettingsBodySchema,
        response: { 200: VolunteerSettingsSchema, ...errorResponses },
      },
    },
    async (req) => inTransaction(req, (tx) => updateVolunteerSettings({ db: tx, actor: actorOf(req), input: req.body })),
  );

  // ----------------------------------------------------------------------------------------- teams

  app.get(
    '/api/volunteer-teams',
    {
      config: { permission: 'volunteers.read' },
      schema: {
        tags: ['volunteers'],
        summary: 'Volunteer teams (志愿服务队) of your part of the network, by name',
        querystring: TeamListQuerySchema,
        response: { 200: page(TeamSchema), ...errorResponses },
      },
    },
    async (req) => {
      const result = await findTeams(dbOf(req), actorOf(req), req.query);
      return { ...result, items: result.items.map(presentTeam) };
    },
  );

  app.post(
    '/api/volunteer-teams',
    {
      config: { permission: 'volunteers.write' },
      schema: {
        tags: ['volunteers'],
        summary: 'Create a team at a unit, optionally with its leader (an active volunteer)',
        body: CreateTeamBodySchema,
        response: { 201: TeamSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const team = await inTransaction(req, (tx) => createTeam({ db: tx, actor: actorOf(req), input: req.body }));
      return reply.status(201).send(presentTeam(team));
    },
  );

  app.get(
    '/api/volunteer-teams/:id',
    {
      config: { permission: 'volunteers.read' },
      schema: {
        tags: ['volunteers'],
        summary: 'One team and its members',
        params: IdParamsSchema,
        response: { 200: TeamDetailSchema, ...errorResponses },
      },
    },
    async (req) => {
      const db = dbOf(req);
      const team = await getTeam(db, actorOf(req), req.params.id);
      return { ...presentTeam(team), members: await teamMembers(db, team.id) };
    },
  );

  app.patch(
    '/api/volunteer-teams/:id',
    {
      config: { permission: 'volunteers.write' },
      schema: {
        tags: ['volunteers'],
        summary: 'Rename a team, change its description or leader (the leader joins the team)',
        params: IdParamsSchema,
        body: UpdateTeamBodySchema,
        response: { 200: TeamSchema, ...errorResponses },
      },
    },
    async (req) =>
      presentTeam(await inTransaction(req, (tx) => updateTeam({ db: tx, actor: actorOf(req), id: req.params.id, patch: req.body }))),
  );

  app.post(
    '/api/volunteer-teams/:id/members',
    {
      config: { permission: 'volunteers.write' },
      schema: {
        tags: ['volunteers'],
        summary: 'Add an active volunteer to a team',
        params: IdParamsSchema,
        body: TeamMemberBodySchema,
        response: { 200: OkSchema, ...errorResponses },
      },
    },
    async (req) => {
      await inTransaction(req, (tx) =>
        addTeamMember({ db: tx, actor: actorOf(req), id: req.params.id, volunteerId: req.body.volunteerId }),
      );
      return { ok: true as const };
    },
  );

  app.delete(
    '/api/volunteer-teams/:id/members/:volunteerId',
    {
      config: { permission: 'volunteers.write' },
      schema: {
        tags: ['volunteers'],
        summary: 'Remove a member (not the leader) from a team',
        params: TeamMemberParamsSchema,
        response: { 200: OkSchema, ...errorResponses },
      },
    },
    async (req) => {
      await inTransaction(req, (tx) =>
        removeTeamMember({ db: tx, actor: actorOf(req), id: req.params.id, volunteerId: req.params.volunteerId }),
      );
      return { ok: true as const };
    },
  );
}
