import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { queryOne, sql } from '../../platform/db.js';
import { invalid } from '../../platform/errors.js';
import { actorOf, dbOf, errorResponses, inTransaction } from '../../platform/http.js';
import { inScope } from '../../platform/scope.js';
import { IdParamsSchema } from '../network/network.schemas.js';
import { presentActivity, presentSignup, qrPath } from './activities.presenter.js';
import {
  ActivityListQuerySchema,
  ActivitySchema,
  AdjustHoursBodySchema,
  CreateActivityBodySchema,
  LeaderCheckBodySchema,
  MyActivitiesQuerySchema,
  MyActivitySchema,
  QrSchema,
  SignupParamsSchema,
  SignupSchema,
  StaffSignupBodySchema,
  TokenBodySchema,
  UpdateActivityBodySchema,
} from './activities.schemas.js';
import {
  type ActivityRow,
  activityForVolunteer,
  activityToLead,
  adjustHours,
  cancelSignup,
  checkIn,
  checkOut,
  checkToken,
  confirmHours,
  createActivity,
  findActivities,
  getActivity,
  meAsVolunteer,
  myActivities,
  mySignup,
  rotateToken,
  type SignupRow,
  signUp,
  signupOfActivity,
  signupsOf,
  updateActivity,
} from './activities.service.js';

const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable(), total: z.number() });

const presentMine = (a: ActivityRow, signup: SignupRow | null, volunteerId: string) => ({
  ...presentActivity(a),
  isLeader: a.leaderId === volunteerId,
  mySignup: signup ? presentSignup(signup) : null,
});

export async function activitiesRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  // ----------------------------------------------------------------------------------------- staff

  app.get(
    '/api/activities',
    {
      config: { permission: 'activities.read' },
      schema: {
        tags: ['activities'],
        summary: 'Volunteer activities of your part of the network, latest start first',
        querystring: ActivityListQuerySchema,
        response: { 200: page(ActivitySchema), ...errorResponses },
      },
    },
    async (req) => {
      const result = await findActivities(dbOf(req), actorOf(req), req.query);
      return { ...result, items: result.items.map(presentActivity) };
    },
  );

  app.post(
    '/api/activities',
    {
      config: { permission: 'activities.write' },
      schema: {
        tags: ['activities'],
        summary: 'Publish an activity (time, place, unit, capacity, skills wanted, five-societies partners, leader)',
        body: CreateActivityBodySchema,
        response: { 201: ActivitySchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const a = await inTransaction(req, (tx) => createActivity({ db: tx, actor: actorOf(req), input: req.body }));
      return reply.status(201).send(presentActivity(a));
    },
  );

  app.get(
    '/api/activities/:id',
    {
      config: { permission: 'activities.read' },
      schema: {
        tags: ['activities'],
        summary: 'One activity with its counts (signed up, waitlisted, checked in, confirmed hours, residents served)',
        params: IdParamsSchema,
        response: { 200: ActivitySchema, ...errorResponses },
      },
    },
    async (req) => presentActivity(await getActivity(dbOf(req), actorOf(req), req.params.id)),
  );

  app.patch(
    '/api/activities/:id',
    {
      config: { permission: 'activities.write' },
      schema: {
        tags: ['activities'],
        summary: 'Change an activity (a raised capacity moves the waitlist up), record residents served, cancel or close it',
        params: IdParamsSchema,
        body: UpdateActivityBodySchema,
        response: { 200: ActivitySchema, ...errorResponses },
      },
    },
    async (req) =>
      presentActivity(
        await inTransaction(req, (tx) => updateActivity({ db: tx, actor: actorOf(req), id: req.params.id, patch: req.body })),
      ),
  );

  app.post(
    '/api/activities/:id/signups',
    {
      config: { permission: 'activities.write' },
      schema: {
        tags: ['activities'],
        summary: 'Sign a volunteer of your part of the network up (a full activity puts them on the waitlist)',
        params: IdParamsSchema,
        body: StaffSignupBodySchema,
        response: { 201: SignupSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const s = await inTransaction(req, async (tx) => {
        const activity = await getActivity(tx, actor, req.params.id, true);
        const v = await queryOne<{ path: string }>(
          tx,
          sql`select unit_path::text as path from volunteers where id = ${req.body.volunteerId}`,
        );
        if (!v || !inScope(actor, v.path))
          throw invalid('volunteerId', 'unknown_volunteer', 'no such volunteer in your part of the network');
        return signUp({ db: tx, actor, activity, volunteerId: req.body.volunteerId });
      });
      return reply.status(201).send(presentSignup(s));
    },
  );

  // ----------------------------------------------------------------------------------------- the leader (or staff)

  app.get(
    '/api/activities/:id/signups',
    {
      config: { signedIn: true },
      schema: {
        tags: ['activities'],
        summary: 'Sign-ups and attendance of an activity (its leader, or staff with activities.write)',
        params: IdParamsSchema,
        response: { 200: z.object({ items: z.array(SignupSchema) }), ...errorResponses },
      },
    },
    async (req) => {
      const db = dbOf(req);
      const a = await activityToLead(db, actorOf(req), req.params.id);
      return { items: (await signupsOf(db, a.id)).map(presentSignup) };
    },
  );

  app.get(
    '/api/activities/:id/qr',
    {
      config: { signedIn: true },
      schema: {
        tags: ['activities'],
        summary: 'The check-in QR of an activity: its token and the console page it opens (leader or staff)',
        params: IdParamsSchema,
        response: { 200: QrSchema, ...errorResponses },
      },
    },
    async (req) => {
      const a = await activityToLead(dbOf(req), actorOf(req), req.params.id);
      return { token: a.checkinToken, path: qrPath(a, a.checkinToken) };
    },
  );

  app.post(
    '/api/activities/:id/qr/rotate',
    {
      config: { signedIn: true },
      schema: {
        tags: ['activities'],
        summary: 'A new check-in QR (the old code stops working), e.g. after a photo of it went round',
        params: IdParamsSchema,
        response: { 200: QrSchema, ...errorResponses },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      return inTransaction(req, async (tx) => {
        const a = await activityToLead(tx, actor, req.params.id, true);
        const token = await rotateToken(tx, actor, a);
        return { token, path: qrPath(a, token) };
      });
    },
  );

  const leaderSignup = (summary: string) => ({
    config: { signedIn: true },
    schema: {
      tags: ['activities'],
      summary,
      params: SignupParamsSchema,
      body: LeaderCheckBodySchema,
      response: { 200: SignupSchema, ...errorResponses },
    },
  });

  app.post(
    '/api/activities/:id/signups/:signupId/check-in',
    leaderSignup('The leader checks a volunteer in (now or at a given time); double check-in → 409 already_checked_in'),
    async (req) => {
      const actor = actorOf(req);
      const s = await inTransaction(req, async (tx) => {
        const activity = await activityToLead(tx, actor, req.params.id, true);
        const signup = await signupOfActivity(tx, activity.id, req.params.signupId, true);
        return checkIn({ db: tx, actor, activity, signup, at: req.body?.at });
      });
      return presentSignup(s);
    },
  );

  app.post(
    '/api/activities/:id/signups/:signupId/check-out',
    leaderSignup('The leader checks a volunteer out; before check-in → 409 not_checked_in'),
    async (req) => {
      const actor = actorOf(req);
      const s = await inTransaction(req, async (tx) => {
        const activity = await activityToLead(tx, actor, req.params.id, true);
        const signup = await signupOfActivity(tx, activity.id, req.params.signupId, true);
        return checkOut({ db: tx, actor, activity, signup, at: req.body?.at });
      });
      return presentSignup(s);
    },
  );

  app.patch(
    '/api/activities/:id/signups/:signupId/hours',
    {
      config: { signedIn: true },
      schema: {
        tags: ['activities'],
        summary: 'The leader adjusts the recorded hours, with a reason, before confirming them',
        params: SignupParamsSchema,
        body: AdjustHoursBodySchema,
        response: { 200: SignupSchema, ...errorResponses },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const s = await inTransaction(req, async (tx) => {
        const activity = await activityToLead(tx, actor, req.params.id, true);
        const signup = await signupOfActivity(tx, activity.id, req.params.signupId, true);
        return adjustHours({ db: tx, actor, activity, signup, input: req.body });
      });
      return presentSignup(s);
    },
  );

  app.post(
    '/api/activities/:id/signups/:signupId/confirm',
    {
      config: { signedIn: true },
      schema: {
        tags: ['activities'],
        summary: 'The leader confirms the recorded hours: one time-bank earn posting (confirming again posts nothing)',
        params: SignupParamsSchema,
        response: { 200: SignupSchema, ...errorResponses },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const s = await inTransaction(req, async (tx) => {
        const activity = await activityToLead(tx, actor, req.params.id, true);
        return confirmHours({ db: tx, actor, activity, signupId: req.params.signupId });
      });
      return presentSignup(s);
    },
  );

  app.post(
    '/api/activities/:id/signups/:signupId/cancel',
    {
      config: { signedIn: true },
      schema: {
        tags: ['activities'],
        summary: "Cancel a volunteer's sign-up (leader or staff); the first on the waitlist moves up",
        params: SignupParamsSchema,
        response: { 200: SignupSchema, ...errorResponses },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const s = await inTransaction(req, async (tx) => {
        const activity = await activityToLead(tx, actor, req.params.id, true);
        const signup = await signupOfActivity(tx, activity.id, req.params.signupId, true);
        return cancelSignup({ db: tx, actor, activity, signup });
      });
      return presentSignup(s);
    },
  );

  // ----------------------------------------------------------------------------------------- the volunteer's own

  app.get(
    '/api/my/activities',
    {
      config: { signedIn: true },
      schema: {
        tags: ['activities'],
        summary: "The signed-in volunteer's activities: open ones of their street, or their own sign-ups with hours",
        querystring: MyActivitiesQuerySchema,
        response: { 200: page(MyActivitySchema), ...errorResponses },
      },
    },
    async (req) => {
      const db = dbOf(req);
      const me = await meAsVolunteer(db, actorOf(req), false);
      const result = await myActivities(db, me, req.query);
      return { ...result, items: result.items.map((x) => presentMine(x.activity, x.signup, me.id)) };
    },
  );

  app.get(
    '/api/my/activities/:id',
    {
      config: { signedIn: true },
      schema: {
        tags: ['activities'],
        summary: 'One activity as the signed-in volunteer sees it, with their sign-up',
        params: IdParamsSchema,
        response: { 200: MyActivitySchema, ...errorResponses },
      },
    },
    async (req) => {
      const db = dbOf(req);
      const me = await meAsVolunteer(db, actorOf(req), false);
      const a = await activityForVolunteer(db, me, req.params.id);
      const signup = await mySignup(db, a.id, me.id).catch(() => null);
      return presentMine(a, signup, me.id);
    },
  );

  const mine = (summary: string, body?: z.ZodType) => ({
    config: { signedIn: true },
    schema: {
      tags: ['activities'],
      summary,
      params: IdParamsSchema,
      ...(body ? { body } : {}),
      response: { 200: MyActivitySchema, ...errorResponses },
    },
  });

  app.post(
    '/api/my/activities/:id/signup',
    mine('Sign up (a full activity puts you on the waitlist: 200 with status waitlisted, not an error)'),
    async (req) => {
      const actor = actorOf(req);
      return inTransaction(req, async (tx) => {
        const me = await meAsVolunteer(tx, actor);
        const activity = await activityForVolunteer(tx, me, req.params.id, true);
        const s = await signUp({ db: tx, actor, activity, volunteerId: me.id });
        return presentMine(await activityForVolunteer(tx, me, activity.id), s, me.id);
      });
    },
  );

  app.post('/api/my/activities/:id/cancel', mine('Cancel your sign-up; the first on the waitlist moves up'), async (req) => {
    const actor = actorOf(req);
    return inTransaction(req, async (tx) => {
      const me = await meAsVolunteer(tx, actor, false);
      const activity = await activityForVolunteer(tx, me, req.params.id, true);
      const signup = await mySignup(tx, activity.id, me.id, true);
      const s = await cancelSignup({ db: tx, actor, activity, signup });
      return presentMine(await activityForVolunteer(tx, me, activity.id), s, me.id);
    });
  });

  for (const step of ['check-in', 'check-out'] as const) {
    app.post(
      `/api/my/activities/:id/${step}`,
      {
        config: { signedIn: true },
        schema: {
          tags: ['activities'],
          summary:
            step === 'check-in'
              ? 'Check in with the token of the QR code you scanned (double check-in → 409 already_checked_in)'
              : 'Check out with the QR token; before check-in → 409 not_checked_in; the hours are the time on site',
          params: IdParamsSchema,
          body: TokenBodySchema,
          response: { 200: MyActivitySchema, ...errorResponses },
        },
      },
      async (req) => {
        const actor = actorOf(req);
        return inTransaction(req, async (tx) => {
          const me = await meAsVolunteer(tx, actor);
          const activity = await activityForVolunteer(tx, me, req.params.id, true);
          checkToken(activity, req.body.token);
          const signup = await mySignup(tx, activity.id, me.id, true);
          const s =
            step === 'check-in' ? await checkIn({ db: tx, actor, activity, signup }) : await checkOut({ db: tx, actor, activity, signup });
          return presentMine(await activityForVolunteer(tx, me, activity.id), s, me.id);
        });
      },
    );
  }
}
