import { z } from 'zod';
import { PagingQuerySchema } from '../../platform/http.js';

export const ACTIVITY_STATUSES = ['published', 'cancelled', 'closed'] as const;
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];
export const SIGNUP_STATUSES = ['signed_up', 'waitlisted', 'cancelled'] as const;
export type SignupStatus = (typeof SIGNUP_STATUSES)[number];
/** 五社联动 partners (the five-societies tags of the domain package). */
export const PARTNER_TAGS = ['community', 'social_worker', 'social_org', 'volunteer', 'charity'] as const;

const tags = z
  .array(z.string().trim().min(1).max(20))
  .max(20)
  .transform((xs) => [...new Set(xs)]);
const partners = z
  .array(z.enum(PARTNER_TAGS))
  .max(5)
  .transform((xs) => [...new Set(xs)])
  .describe('five-societies partners: community, social_worker, social_org, volunteer, charity');

const activityFields = {
  title: z.string().trim().min(1).max(100),
  description: z.string().trim().max(2000).nullable().optional(),
  startsAt: z.iso.datetime({ offset: true }),
  endsAt: z.iso.datetime({ offset: true }),
  place: z.string().trim().min(1).max(200),
  capacity: z.number().int().min(1).max(10_000),
  skills: tags.describe('skills wanted'),
  partners,
  teamId: z.uuid().nullable().optional(),
  leaderId: z.uuid().nullable().optional().describe('the volunteer leading on site (an active volunteer)'),
};

export const CreateActivityBodySchema = z
  .object({
    ...activityFields,
    unitId: z.uuid(),
    skills: activityFields.skills.default([]),
    partners: activityFields.partners.default([]),
  })
  .refine((b) => new Date(b.endsAt) > new Date(b.startsAt), { message: 'the activity must end after it starts', path: ['endsAt'] });
export type CreateActivityBody = z.infer<typeof CreateActivityBodySchema>;

export const UpdateActivityBodySchema = z.object({
  version: z.number().int().min(1),
  title: activityFields.title.optional(),
  description: activityFields.description,
  startsAt: activityFields.startsAt.optional(),
  endsAt: activityFields.endsAt.optional(),
  place: activityFields.place.optional(),
  capacity: activityFields.capacity.optional().describe('raising it moves the first on the waitlist up'),
  skills: activityFields.skills.optional(),
  partners: activityFields.partners.optional(),
  teamId: activityFields.teamId,
  leaderId: activityFields.leaderId,
  residentsServed: z.number().int().min(0).max(1_000_000).optional(),
  status: z.enum(ACTIVITY_STATUSES).optional().describe('cancelled or closed ends sign-ups'),
});
export type UpdateActivityBody = z.infer<typeof UpdateActivityBodySchema>;

export const ActivityListQuerySchema = PagingQuerySchema.extend({
  q: z.string().trim().max(50).optional().describe('part of the title or place'),
  status: z.enum(ACTIVITY_STATUSES).optional(),
  unitId: z.uuid().optional().describe('this unit and below'),
  leaderId: z.uuid().optional(),
});

export const MyActivitiesQuerySchema = PagingQuerySchema.extend({
  view: z.enum(['open', 'mine']).default('open').describe('open: activities to sign up for; mine: my sign-ups and hours'),
});

export const ActivitySchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  startsAt: z.string(),
  endsAt: z.string(),
  place: z.string(),
  unitId: z.string(),
  unitName: z.string().nullable(),
  capacity: z.number(),
  skills: z.array(z.string()),
  partners: z.array(z.string()),
  teamId: z.string().nullable(),
  teamName: z.string().nullable(),
  leaderId: z.string().nullable(),
  leaderName: z.string().nullable(),
  status: z.enum(ACTIVITY_STATUSES),
  residentsServed: z.number(),
  signedUp: z.number(),
  waitlisted: z.number(),
  checkedIn: z.number(),
  confirmedHours: z.number().describe('sum of the confirmed hours'),
  version: z.number(),
  createdAt: z.string(),
});

export const SignupSchema = z.object({
  id: z.string(),
  activityId: z.string(),
  volunteerId: z.string(),
  volunteerName: z.string(),
  phoneMasked: z.string().nullable(),
  status: z.enum(SIGNUP_STATUSES),
  waitlistPosition: z.number().nullable().describe('1 = next to move up; null unless waitlisted'),
  queuedAt: z.string(),
  checkInAt: z.string().nullable(),
  checkOutAt: z.string().nullable(),
  hours: z.number().nullable().describe('recorded hours: on-site time, or as adjusted by the leader'),
  adjustReason: z.string().nullable(),
  confirmedAt: z.string().nullable(),
  postingId: z.string().nullable(),
  version: z.number(),
});

export const MyActivitySchema = ActivitySchema.extend({
  isLeader: z.boolean(),
  mySignup: SignupSchema.nullable(),
});

export const SignupParamsSchema = z.object({ id: z.uuid(), signupId: z.uuid() });

export const TokenBodySchema = z.object({
  token: z.string().min(8).max(100).describe('the token in the QR code the volunteer scanned'),
});

export const LeaderCheckBodySchema = z.object({
  at: z.iso.datetime({ offset: true }).optional().describe('when the volunteer arrived / left (default: now)'),
});

export const StaffSignupBodySchema = z.object({ volunteerId: z.uuid() });

export const AdjustHoursBodySchema = z.object({
  version: z.number().int().min(1),
  hours: z
    .number()
    .min(0)
    .max(24)
    .refine((x) => Math.abs(Math.round(x * 100) - x * 100) < 1e-6, { message: 'hours have at most two decimals' }),
  reason: z.string().trim().min(2).max(500),
});

export const QrSchema = z.object({
  token: z.string(),
  path: z.string().describe('the console page the QR code opens: /v/checkin/<activity>?t=<token>'),
});
