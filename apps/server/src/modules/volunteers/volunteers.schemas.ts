import { z } from 'zod';
import { PagingQuerySchema } from '../../platform/http.js';
import { CreateUserBodySchema } from '../users/users.schemas.js';

export const VOLUNTEER_STATUSES = ['pending', 'active', 'suspended', 'rejected'] as const;
export type VolunteerStatusValue = (typeof VOLUNTEER_STATUSES)[number];

const skills = z
  .array(z.string().trim().min(1).max(20))
  .max(20)
  .describe('skills as short tags: 助老, 理发, 心理疏导, 电工 …')
  .transform((xs) => [...new Set(xs)]);
const availability = z.string().trim().max(200).nullable().optional().describe('when the volunteer can serve, free text');
const idNumber = z.string().trim().min(15).max(18).describe('居民身份证号码 (18 characters, or 15 digits), validated and encrypted');
const phone = z
  .string()
  .trim()
  .regex(/^[\d\s\-+()]{7,20}$/, 'a phone number')
  .describe('encrypted; lists show it masked');

export const RegisterVolunteerBodySchema = z.object({
  name: z.string().trim().min(1).max(50),
  idNumber,
  phone,
  unitId: z.uuid().describe('the station or community office to serve with (GET /api/public/volunteer-units)'),
  skills: skills.default([]),
  availability,
  isCourier: z.boolean().default(false).describe('wants to run errands (跑腿) for residents'),
  /** Honeypot: people never see this field; a filled-in one marks a bot. */
  website: z.string().max(200).optional().describe('leave empty'),
});
export type RegisterVolunteerBody = z.infer<typeof RegisterVolunteerBodySchema>;

export const CreateVolunteerBodySchema = RegisterVolunteerBodySchema.omit({ website: true });
export type CreateVolunteerBody = z.infer<typeof CreateVolunteerBodySchema>;

export const UpdateVolunteerBodySchema = z.object({
  version: z.number().int().min(1),
  name: z.string().trim().min(1).max(50).optional(),
  phone: phone.optional(),
  unitId: z.uuid().optional(),
  skills: skills.optional(),
  availability,
  isCourier: z.boolean().optional(),
});
export type UpdateVolunteerBody = z.infer<typeof UpdateVolunteerBodySchema>;

export const ApproveVolunteerBodySchema = z
  .object({
    version: z.number().int().min(1),
    userId: z.uuid().optional().describe('link an existing login of role volunteer (not yet linked) instead of creating one'),
    username: CreateUserBodySchema.shape.username.optional().describe('the new login (role volunteer)'),
    password: z.string().min(1).max(128).optional().describe('its initial password; the volunteer changes it at first sign-in'),
  })
  .refine((b) => b.userId || (b.username && b.password), {
    message: 'give userId, or username and password for a new login',
    path: ['username'],
  });
export type ApproveVolunteerBody = z.infer<typeof ApproveVolunteerBodySchema>;

export const ReasonBodySchema = z.object({
  version: z.number().int().min(1),
  reason: z.string().trim().min(2).max(500),
});
export const VersionBodySchema = z.object({ version: z.number().int().min(1) });

export const VOLUNTEER_SORTS = ['name', '-name', 'createdAt', '-createdAt', 'hours', '-hours'] as const;

export const VolunteerListQuerySchema = PagingQuerySchema.extend({
  q: z.string().trim().max(50).optional().describe('name, pinyin or initials; a full ID number or phone (exact)'),
  status: z.enum(VOLUNTEER_STATUSES).optional(),
  unitId: z.uuid().optional().describe('this unit and below'),
  teamId: z.uuid().optional(),
  skill: z.string().trim().max(20).optional(),
  courier: z.enum(['true', 'false']).optional(),
  sort: z.enum(VOLUNTEER_SORTS).default('-createdAt'),
});
export type VolunteerListQuery = z.infer<typeof VolunteerListQuerySchema>;

export const VolunteerSchema = z.object({
  id: z.string(),
  name: z.string(),
  idNumberMasked: z.string(),
  phoneMasked: z.string().nullable(),
  sex: z.enum(['male', 'female']).nullable(),
  birthDate: z.string().nullable(),
  unitId: z.string(),
  unitName: z.string().nullable(),
  skills: z.array(z.string()),
  availability: z.string().nullable(),
  isCourier: z.boolean(),
  status: z.enum(VOLUNTEER_STATUSES),
  statusReason: z.string().nullable(),
  source: z.enum(['self', 'station']),
  userId: z.string().nullable(),
  username: z.string().nullable(),
  timebankAccountId: z.string().nullable(),
  balance: z.number().nullable().describe('time-bank credits'),
  hours: z.number().describe('confirmed service hours'),
  stars: z.number().int().min(0).max(5).describe('star level 0–5 from the confirmed hours (settings)'),
  reviewedAt: z.string().nullable(),
  version: z.number(),
  createdAt: z.string(),
});

export const ApprovedVolunteerSchema = VolunteerSchema;

export const PublicUnitSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  stationName: z.string().nullable(),
});

export const RegisteredSchema = z.object({
  ok: z.literal(true),
  message: z.string(),
});

export const VolunteerSettingsSchema = z.object({
  starHours: z.array(z.number()).length(5).describe('confirmed hours for 一星 … 五星'),
  version: z.number(),
});

export const UpdateVolunteerSettingsBodySchema = z.object({
  version: z.number().int().min(1),
  starHours: z
    .array(z.number().int().min(1).max(100_000))
    .length(5)
    .refine((xs) => xs.every((x, i) => i === 0 || x > xs[i - 1]), { message: 'the thresholds must rise' }),
});

// ------------------------------------------------------------------------------------------- teams

export const TeamListQuerySchema = PagingQuerySchema.extend({
  q: z.string().trim().max(50).optional(),
  unitId: z.uuid().optional(),
});

export const CreateTeamBodySchema = z.object({
  name: z.string().trim().min(1).max(60),
  unitId: z.uuid(),
  leaderId: z.uuid().nullable().optional().describe('a volunteer (becomes a member)'),
  description: z.string().trim().max(500).nullable().optional(),
});

export const UpdateTeamBodySchema = z.object({
  version: z.number().int().min(1),
  name: z.string().trim().min(1).max(60).optional(),
  leaderId: z.uuid().nullable().optional(),
  description: z.string().trim().max(500).nullable().optional(),
});

export const TeamMemberBodySchema = z.object({ volunteerId: z.uuid() });
export const TeamMemberParamsSchema = z.object({ id: z.uuid(), volunteerId: z.uuid() });

export const TeamSchema = z.object({
  id: z.string(),
  name: z.string(),
  unitId: z.string(),
  unitName: z.string().nullable(),
  leaderId: z.string().nullable(),
  leaderName: z.string().nullable(),
  description: z.string().nullable(),
  memberCount: z.number(),
  version: z.number(),
  createdAt: z.string(),
});

export const TeamMemberSchema = z.object({
  volunteerId: z.string(),
  name: z.string(),
  phoneMasked: z.string().nullable(),
  status: z.enum(VOLUNTEER_STATUSES),
  hours: z.number(),
  joinedAt: z.string(),
});

export const TeamDetailSchema = TeamSchema.extend({ members: z.array(TeamMemberSchema) });

// ------------------------------------------------------------------------------------------- record

export const RecordQuerySchema = z.object({
  from: z.iso.date().optional().describe('first day (Asia/Shanghai), inclusive'),
  to: z.iso.date().optional().describe('last day, inclusive'),
});

export const CertificateSchema = z.object({
  volunteerId: z.string(),
  name: z.string(),
  idNumberMasked: z.string(),
  organisation: z.string().describe('the unit the volunteer serves with'),
  issuingUnit: z.string().describe('the station that issues the certificate'),
  from: z.string().nullable(),
  to: z.string().nullable(),
  totalHours: z.number(),
  activityCount: z.number(),
  byPeriod: z.array(z.object({ period: z.string().describe('YYYY-MM'), hours: z.number(), activities: z.number() })),
  issuedAt: z.string(),
  serialNumber: z.string(),
});
