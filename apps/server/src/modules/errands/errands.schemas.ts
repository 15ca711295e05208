import { z } from 'zod';
import { PagingQuerySchema } from '../../platform/http.js';

export const ERRAND_KINDS = ['shopping', 'delivery', 'escort', 'other'] as const;
export type ErrandKind = (typeof ERRAND_KINDS)[number];
export const ERRAND_STATUSES = ['open', 'assigned', 'done', 'confirmed', 'cancelled', 'expired'] as const;
export type ErrandStatus = (typeof ERRAND_STATUSES)[number];
export const ERRAND_ACTIONS = ['grab', 'assign', 'release', 'complete', 'confirm', 'cancel'] as const;
export type ErrandAction = (typeof ERRAND_ACTIONS)[number];

/** The most one errand may pay: 1,000 credits. */
export const MAX_REWARD = 1000;

const datetime = z.iso.datetime({ offset: true });

export const CreateErrandBodySchema = z
  .object({
    kind: z.enum(ERRAND_KINDS).describe('shopping 代购 | delivery 送物 | escort 陪同就医 | other'),
    title: z.string().trim().min(1).max(100),
    details: z.string().trim().max(1000).nullable().optional(),
    place: z.string().trim().min(1).max(200).describe('address or meeting point'),
    unitId: z.uuid().describe('the community (or other unit) the errand belongs to; couriers of that area see it'),
    windowFrom: datetime.describe('start of the time window (ISO 8601 with offset)'),
    windowTo: datetime.describe('end of the time window; after windowFrom and in the future'),
    reward: z
      .number()
      .positive()
      .max(MAX_REWARD)
      .refine((x) => Math.abs(Math.round(x * 100) - x * 100) < 1e-6, { message: 'credits have at most two decimals' })
      .describe(`credits paid to the courier on confirmation, > 0, at most ${MAX_REWARD}, two decimals at most`),
    fundingAccountId: z
      .uuid()
      .optional()
      .describe(
        'the time-bank account that pays: a unit pool at or above the unit (default: the nearest one), or your own person account (volunteers: the default)',
      ),
    clientId: z.uuid().nullable().optional().describe('the resident in the client ledger the errand is for (needs clients.read)'),
  })
  .refine((b) => new Date(b.windowTo) > new Date(b.windowFrom), { path: ['windowTo'], message: 'the window must end after it starts' });
export type CreateErrandInput = z.infer<typeof CreateErrandBodySchema>;

export const ErrandListQuerySchema = PagingQuerySchema.extend({
  view: z
    .enum(['board', 'mine', 'all'])
    .default('all')
    .describe('board: open errands of your area; mine: grabbed by you or posted by you; all: everything in your scope'),
  status: z.enum(ERRAND_STATUSES).optional().describe('expired = open whose window has ended'),
  unitId: z.uuid().optional().describe('this unit and below'),
});

export const VersionBodySchema = z.object({ version: z.number().int().min(1).describe('the version you saw (stale → 409)') });

export const GrabBodySchema = VersionBodySchema.extend({
  assigneeUserId: z
    .uuid()
    .optional()
    .describe('staff only: the courier (a volunteer login of the area) to assign the errand to; couriers leave it out'),
});

export const CancelBodySchema = VersionBodySchema.extend({ reason: z.string().trim().max(500).nullable().optional() });

const Person = z.object({ id: z.string(), name: z.string().nullable() }).nullable();

export const ErrandSchema = z.object({
  id: z.string(),
  kind: z.enum(ERRAND_KINDS),
  title: z.string(),
  details: z.string().nullable(),
  place: z.string(),
  unitId: z.string(),
  unitName: z.string().nullable(),
  windowFrom: z.string(),
  windowTo: z.string(),
  reward: z.number().describe('credits'),
  fundingAccountId: z.string(),
  clientId: z.string().nullable(),
  requestedBy: Person,
  assignee: Person,
  status: z.enum(ERRAND_STATUSES),
  assignedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  confirmedAt: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  cancelReason: z.string().nullable(),
  rewardPostingId: z.string().nullable(),
  actions: z.array(z.enum(ERRAND_ACTIONS)).describe('what you may do with it now'),
  version: z.number(),
  createdAt: z.string(),
});

export const CourierSchema = z.object({ id: z.string(), name: z.string(), unitName: z.string().nullable() });

export const MySummarySchema = z.object({
  accountId: z.string().nullable().describe('your time-bank person account (null until your first reward)'),
  balance: z.number().describe('its balance in credits'),
  assigned: z.number().describe('errands you hold'),
  done: z.number().describe('errands you completed that wait for confirmation'),
  posted: z.number().describe('your own errands not yet confirmed or cancelled'),
});
