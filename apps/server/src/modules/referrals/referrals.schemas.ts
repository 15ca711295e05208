import { CONSENT_EXEMPTIONS, CONSENT_METHODS, RECEIVER_KINDS, REFERRAL_ACTIONS, REFERRAL_KINDS, REFERRAL_STATUSES } from '@wushe/domain';
import { z } from 'zod';
import { PagingQuerySchema } from '../../platform/http.js';

const line = (max: number) => z.string().trim().min(1).max(max);
const version = z.number().int().min(1).describe('the version you read (stale → 409 stale_version)');
const text = (max: number) => z.string().trim().max(max).nullable().optional();

export const ConsentInputSchema = z
  .object({
    method: z.enum(CONSENT_METHODS).describe('written | verbal | guardian, or not_needed with the reason in exemption'),
    exemption: z.enum(CONSENT_EXEMPTIONS).nullable().optional().describe('why consent was not needed (method not_needed)'),
    recordedBy: line(100).describe('who took the consent (name)'),
    recordedAt: z.iso.datetime({ offset: true }).optional().describe('when; now when left out'),
    note: text(1000).describe('details; required for the exemption "other"'),
  })
  .describe("the client's consent to share, or the documented reason it was not needed");

const ReceiverSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('unit'), unitId: z.uuid() }),
  z.object({ kind: z.literal('operator'), operatorId: z.uuid() }),
  z.object({ kind: z.literal('department'), name: line(200).describe('the government department, by name') }),
]);

export const CreateReferralBodySchema = z.object({
  kind: z.enum(['referral', 'transfer']),
  clientId: z.uuid(),
  to: ReceiverSchema.describe('a unit of any tier; for a referral also a social organization or a department'),
  needId: z.uuid().nullable().optional().describe("the client's need being shared"),
  caseId: z.uuid().nullable().optional().describe("the client's case being shared"),
  summary: line(4000).describe('what the receiver needs to know (referral) or why the client moves (transfer)'),
  consent: ConsentInputSchema.nullable().optional().describe('required: without it 400 consent_required'),
});
export type CreateReferralBody = z.infer<typeof CreateReferralBodySchema>;

export const LookupBodySchema = z.object({ idNumber: z.string().trim().min(15).max(18) });

export const TransferRequestBodySchema = z.object({
  idNumber: z.string().trim().min(15).max(18).describe('the exact ID number of the client you need'),
  unitId: z.uuid().optional().describe('the unit that asks (in your part of the network); your own unit when left out'),
  summary: line(4000).describe('why your unit needs the client'),
});

export const ActionBodySchema = z.object({
  action: z.enum(REFERRAL_ACTIONS),
  version,
  reason: text(2000).describe('decline: why (required); close before feedback: why'),
  note: text(4000).describe('start: the first steps; close: a closing note'),
  feedback: text(4000).describe('feedback: what was done (required)'),
  consent: ConsentInputSchema.nullable().optional().describe('accepting a transfer request: the consent (required)'),
  responsibleUserId: z.uuid().nullable().optional().describe('accepting a transfer: the new responsible worker'),
  regionCode: z.string().trim().max(12).optional().describe('accepting a transfer into a station: the community'),
});
export type ActionBody = z.infer<typeof ActionBodySchema>;

export const ReferralListQuerySchema = PagingQuerySchema.extend({
  box: z.enum(['all', 'sent', 'received']).default('all').describe('sent: by your part; received: to it (or asked of it)'),
  kind: z.enum(REFERRAL_KINDS).optional(),
  status: z.enum(REFERRAL_STATUSES).optional(),
  open: z.enum(['true', 'false']).optional(),
  overdue: z.enum(['true', 'false']).optional().describe('an answer or feedback past its due day'),
  clientId: z.uuid().optional(),
});
export type ReferralListQuery = z.infer<typeof ReferralListQuerySchema>;

const ConsentSchema = z.object({
  method: z.enum(CONSENT_METHODS),
  exemption: z.enum(CONSENT_EXEMPTIONS).nullable(),
  recordedBy: z.string(),
  recordedAt: z.string(),
  note: z.string().nullable(),
});

export const MinimalCardSchema = z
  .object({
    maskedName: z.string(),
    sex: z.enum(['male', 'female']).nullable(),
    birthYear: z.number().nullable(),
    unitName: z.string().nullable(),
  })
  .describe('what a unit that cannot see the client learns: no full name, no ID number');

export const ReferralCardSchema = z
  .object({
    clientName: z.string(),
    age: z.number().nullable(),
    sex: z.enum(['male', 'female']).nullable(),
    phoneMasked: z.string().nullable(),
    address: z.string().nullable(),
    need: z.object({ id: z.string(), needType: z.string(), severity: z.string(), description: z.string().nullable() }).nullable(),
    case: z.object({ id: z.string(), title: z.string(), stage: z.string() }).nullable(),
  })
  .describe('the data a referral needs');

export const ReferralSchema = z.object({
  id: z.uuid(),
  kind: z.enum(REFERRAL_KINDS),
  status: z.enum(REFERRAL_STATUSES),
  clientId: z.uuid().nullable().describe('null for a side that cannot see the client'),
  clientLabel: z.string().describe('the name, or the masked name for a side that cannot see the client'),
  fromUnitId: z.uuid(),
  fromUnitName: z.string().nullable(),
  toKind: z.enum(RECEIVER_KINDS),
  toUnitId: z.uuid().nullable(),
  toUnitKind: z.string().nullable().describe('the receiving unit kind (a transfer into a station may need the community)'),
  toUnitRegionCode: z.string().nullable(),
  toName: z.string().nullable().describe('the receiving unit, organization or department'),
  summary: z.string(),
  declineReason: z.string().nullable(),
  progressNote: z.string().nullable(),
  feedback: z.string().nullable(),
  closeNote: z.string().nullable(),
  consent: ConsentSchema.nullable(),
  dueDate: z.string().nullable(),
  overdue: z.boolean(),
  sentByName: z.string().nullable(),
  sentAt: z.string(),
  answeredAt: z.string().nullable(),
  feedbackAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  updatedAt: z.string(),
  version: z.number(),
  /** sender: your part sent it (or holds the client); receiver: it was sent to your part. */
  sides: z.array(z.enum(['sender', 'receiver'])),
});

export const ReferralDetailSchema = ReferralSchema.extend({
  card: ReferralCardSchema.nullable(),
  minimalCard: MinimalCardSchema.nullable(),
  allowedActions: z.array(z.enum(REFERRAL_ACTIONS)),
});

export const LookupResultSchema = z.object({
  found: z.boolean(),
  inScope: z.boolean().describe('true: the client is in your part of the network (use its id)'),
  clientId: z.uuid().nullable(),
  card: MinimalCardSchema.nullable(),
  pendingRequest: z.boolean().describe('a transfer or transfer request of this client is already open'),
});

export const ReferralSettingsSchema = z.object({
  answerDays: z.number().int().min(1).max(365).describe('days the receiver has to accept or decline'),
  feedbackDays: z.number().int().min(1).max(365).describe('days from acceptance to the feedback'),
  version: z.number(),
});
export const UpdateReferralSettingsBodySchema = ReferralSettingsSchema.extend({ version });

export const ReceiversQuerySchema = z.object({
  q: z.string().trim().max(50).optional().describe('name, full pinyin or initials'),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export const ReceiversSchema = z.object({
  units: z.array(z.object({ id: z.uuid(), name: z.string(), kind: z.string(), parentName: z.string().nullable() })),
  operators: z.array(z.object({ id: z.uuid(), name: z.string() })),
});
