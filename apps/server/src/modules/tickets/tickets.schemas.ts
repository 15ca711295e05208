import {
  CALLBACK_RESULTS,
  TICKET_CATEGORIES,
  TICKET_CHANNELS,
  TICKET_EVENT_LABELS,
  TICKET_STATUSES,
  TICKET_URGENCIES,
  type TicketUrgency,
} from '@wushe/domain';
import { z } from 'zod';
import { PagingQuerySchema } from '../../platform/http.js';

const phone = z
  .string()
  .trim()
  .regex(/^[0-9+\-() ]{5,30}$/, 'digits, spaces and + - ( ) only');
const regionCode = z
  .string()
  .trim()
  .regex(/^\d{12}$/, 'a 12-digit village/community code')
  .describe('the caller’s village/community (12-digit region code)');
const version = z.number().int().min(1).describe('the version you read (stale → 409)');
const note = z.string().trim().max(2000);
const when = z.iso.datetime({ offset: true });

export const CreateTicketBodySchema = z
  .object({
    channel: z.enum(TICKET_CHANNELS).exclude(['online_form']).describe('the public form files its own tickets'),
    category: z.enum(TICKET_CATEGORIES),
    urgency: z.enum(TICKET_URGENCIES).default('normal'),
    summary: z.string().trim().min(2).max(2000).describe('what the caller needs'),
    regionCode: regionCode.nullable().optional(),
    unitId: z.uuid().nullable().optional().describe('the responsible unit, when not routed by the community'),
    address: z.string().trim().max(200).nullable().optional(),
    callerName: z.string().trim().max(50).nullable().optional(),
    callerPhone: phone.nullable().optional(),
    hotlineId: z.uuid().nullable().optional().describe('the line the call came in on'),
    clientId: z.uuid().nullable().optional().describe('a client of your scope the caller is'),
    receivedAt: when.optional().describe('when the call came in (default now; not in the future)'),
  })
  .refine((b) => b.regionCode || b.unitId, {
    message: 'choose the caller’s community or the responsible unit',
    path: ['regionCode'],
  });
export type CreateTicketInput = z.infer<typeof CreateTicketBodySchema>;

export const PublicTicketBodySchema = z.object({
  category: z.enum(TICKET_CATEGORIES),
  summary: z.string().trim().min(5, 'tell us a little more (5 characters at least)').max(1000),
  regionCode,
  address: z.string().trim().max(200).nullable().optional(),
  callerName: z.string().trim().min(1, 'your name, so that we can call you back').max(50),
  callerPhone: phone,
  urgent: z.boolean().default(false).describe('the caller says it cannot wait'),
  website: z.string().max(500).optional().describe('leave empty (a field people do not see)'),
});
export type PublicTicketInput = z.infer<typeof PublicTicketBodySchema>;

export const PublicTicketReceiptSchema = z.object({
  code: z.string().describe('the reference to quote when calling'),
  unitName: z.string().nullable(),
  unitPhone: z.string().nullable(),
});

export const PublicAreasQuerySchema = z.object({
  q: z.string().trim().min(1).max(30).optional().describe('part of the community or street name'),
});
export const PublicAreaSchema = z.object({ code: z.string(), name: z.string(), streetName: z.string().nullable() });

export const TicketListQuerySchema = PagingQuerySchema.extend({
  status: z.enum(TICKET_STATUSES).optional(),
  open: z.enum(['true', 'false']).optional().describe('true: new, accepted, assigned or in progress'),
  category: z.enum(TICKET_CATEGORIES).optional(),
  urgency: z.enum(TICKET_URGENCIES).optional(),
  channel: z.enum(TICKET_CHANNELS).optional(),
  overdue: z.enum(['true', 'false']).optional().describe('true: open and past the response or the solution deadline'),
  escalated: z.enum(['true', 'false']).optional().describe('true: escalated to a parent unit'),
  unitId: z.uuid().optional().describe('this unit and everything below it'),
  assignedUserId: z.uuid().optional(),
  clientId: z.uuid().optional(),
  q: z.string().trim().max(50).optional().describe('the reference (GD-…) or words of the summary'),
});
export type TicketListQuery = z.infer<typeof TicketListQuerySchema>;

export const TicketSchema = z.object({
  id: z.string(),
  code: z.string(),
  unitId: z.string(),
  unitName: z.string().nullable(),
  channel: z.enum(TICKET_CHANNELS),
  category: z.enum(TICKET_CATEGORIES),
  urgency: z.enum(TICKET_URGENCIES),
  status: z.enum(TICKET_STATUSES),
  summary: z.string(),
  regionCode: z.string().nullable(),
  regionName: z.string().nullable(),
  address: z.string().nullable(),
  callerName: z.string().nullable(),
  callerPhone: z.string().nullable().describe('masked (reveal with POST …/reveal-phone)'),
  clientId: z.string().nullable(),
  clientName: z.string().nullable(),
  hotlineId: z.string().nullable(),
  assignedUserId: z.string().nullable(),
  assignedUserName: z.string().nullable(),
  receivedAt: z.string(),
  respondDueAt: z.string(),
  solveDueAt: z.string(),
  acceptedAt: z.string().nullable(),
  assignedAt: z.string().nullable(),
  solvedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  solution: z.string().nullable(),
  callbackResult: z.enum(CALLBACK_RESULTS).nullable(),
  satisfaction: z.number().nullable(),
  feedback: z.string().nullable(),
  cancelReason: z.string().nullable(),
  overdue: z.enum(['response', 'solution']).nullable().describe('which deadline an open ticket has missed'),
  escalatedToUnitId: z.string().nullable(),
  escalatedToUnitName: z.string().nullable(),
  escalatedAt: z.string().nullable(),
  escalationReason: z.enum(['response', 'solution']).nullable(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const TicketEventSchema = z.object({
  id: z.string(),
  kind: z.enum(TICKET_EVENT_LABELS.map((l) => l.value) as [string, ...string[]]),
  fromStatus: z.string().nullable(),
  toStatus: z.string().nullable(),
  note: z.string().nullable(),
  userName: z.string().nullable(),
  createdAt: z.string(),
});

export const TicketDetailSchema = TicketSchema.extend({
  events: z.array(TicketEventSchema),
  actions: z.array(z.string()).describe('what the signed-in user may do now'),
});

export const AcceptBodySchema = z.object({ version, note: note.nullable().optional() });
export const AssignBodySchema = z.object({
  version,
  userId: z.uuid().describe('an active worker of the ticket’s unit or below'),
  note: note.nullable().optional(),
});
export const ProgressBodySchema = z.object({ version, note: note.min(1) });
export const SolveBodySchema = z.object({ version, solution: note.min(2).describe('what was done') });
export const CloseBodySchema = z
  .object({
    version,
    callbackResult: z.enum(CALLBACK_RESULTS).describe('the callback to the caller'),
    satisfaction: z.number().int().min(1).max(5).nullable().optional().describe('1–5, needed when the caller was reached'),
    feedback: note.nullable().optional(),
  })
  .refine((b) => b.callbackResult !== 'reached' || b.satisfaction != null, {
    message: 'ask the caller how satisfied they are (1–5)',
    path: ['satisfaction'],
  });
export const CancelBodySchema = z.object({ version, reason: note.min(2) });
export const ReopenBodySchema = z.object({ version, reason: note.min(2).describe('why the problem is not solved (the caller’s words)') });
export const RerouteBodySchema = z.object({
  version,
  unitId: z.uuid().describe('a unit of your scope that should answer instead'),
  note: note.min(2).describe('why'),
});
export const LinkClientBodySchema = z.union([
  z.object({ version, clientId: z.uuid() }),
  z.object({ version, create: z.literal(true).describe('register the caller as a client of the ticket’s unit') }),
]);

export const CallerMatchSchema = z.object({
  id: z.string(),
  name: z.string(),
  unitName: z.string().nullable(),
  phone: z.string().nullable().describe('masked'),
  idNumber: z.string().nullable().describe('masked'),
  matchedBy: z.enum(['phone', 'id_number', 'name']),
});
export const CallerMatchQuerySchema = z.object({
  idNumber: z.string().trim().max(18).optional().describe('the caller’s ID number, if they gave it'),
});

export type Deadlines = Record<TicketUrgency, { respondMinutes: number; solveMinutes: number }>;
const minutes = z
  .number()
  .int()
  .min(5)
  .max(60 * 24 * 90);
const deadline = z.object({ respondMinutes: minutes, solveMinutes: minutes });
export const TicketSettingsSchema = z.object({
  deadlines: z.object({ urgent: deadline, normal: deadline, low: deadline }),
  version: z.number(),
});
export const UpdateTicketSettingsBodySchema = z.object({
  version,
  deadlines: z
    .object({ urgent: deadline, normal: deadline, low: deadline })
    .refine((d) => Object.values(d).every((x) => x.solveMinutes >= x.respondMinutes), {
      message: 'the solution deadline cannot come before the response deadline',
    }),
});

// ------------------------------------------------------------------------------------------- hotlines

export const HotlineSchema = z.object({
  id: z.string(),
  unitId: z.string(),
  unitName: z.string().nullable(),
  number: z.string(),
  name: z.string(),
  hours: z.string(),
  active: z.boolean(),
  version: z.number(),
});
export const HotlineListQuerySchema = PagingQuerySchema.extend({
  unitId: z.uuid().optional().describe('this unit and everything below it'),
  active: z.enum(['true', 'false']).optional(),
});
export const CreateHotlineBodySchema = z.object({
  unitId: z.uuid(),
  number: phone,
  name: z.string().trim().min(1).max(100),
  hours: z.string().trim().min(1).max(100).describe('e.g. 24小时, 周一至周五 9:00-17:30'),
});
export const UpdateHotlineBodySchema = z.object({
  version,
  number: phone.optional(),
  name: z.string().trim().min(1).max(100).optional(),
  hours: z.string().trim().min(1).max(100).optional(),
  active: z.boolean().optional(),
});

export const ShiftSchema = z.object({
  id: z.string(),
  hotlineId: z.string(),
  hotlineName: z.string().nullable(),
  hotlineNumber: z.string().nullable(),
  unitId: z.string(),
  unitName: z.string().nullable(),
  userId: z.string(),
  userName: z.string().nullable(),
  startsAt: z.string(),
  endsAt: z.string(),
  calls: z.number(),
  peopleServed: z.number(),
  notes: z.string().nullable(),
  version: z.number(),
});
export const ShiftListQuerySchema = PagingQuerySchema.extend({
  hotlineId: z.uuid().optional(),
  unitId: z.uuid().optional().describe('this unit and everything below it'),
  userId: z.uuid().optional(),
  from: z.iso.date().optional().describe('shifts starting on or after this day (Asia/Shanghai)'),
  to: z.iso.date().optional().describe('shifts starting on or before this day (Asia/Shanghai)'),
});
const count = z.number().int().min(0).max(100_000);
export const CreateShiftBodySchema = z
  .object({
    hotlineId: z.uuid(),
    userId: z.uuid().describe('the worker on duty (of the hotline’s unit or below)'),
    startsAt: when,
    endsAt: when,
    calls: count.default(0),
    peopleServed: count.default(0),
    notes: z.string().trim().max(1000).nullable().optional(),
  })
  .refine((b) => Date.parse(b.endsAt) > Date.parse(b.startsAt), { message: 'a shift ends after it starts', path: ['endsAt'] })
  .refine((b) => Date.parse(b.endsAt) - Date.parse(b.startsAt) <= 48 * 3600_000, {
    message: 'a shift lasts 48 hours at most',
    path: ['endsAt'],
  });
export const UpdateShiftBodySchema = z.object({
  version,
  calls: count.optional(),
  peopleServed: count.optional(),
  notes: z.string().trim().max(1000).nullable().optional(),
});

export const ShiftStatsQuerySchema = z.object({
  from: z.iso.date().describe('first day (Asia/Shanghai)'),
  to: z.iso.date().describe('last day (Asia/Shanghai), at most 400 days after from'),
  groupBy: z.enum(['unit', 'day', 'month']).default('day'),
  unitId: z.uuid().optional().describe('this unit and everything below it (default: your scope)'),
});
export const ShiftStatsSchema = z.object({
  rows: z.array(
    z.object({
      key: z.string().describe('the unit id, the day (YYYY-MM-DD) or the month (YYYY-MM)'),
      label: z.string(),
      shifts: z.number(),
      calls: z.number(),
      peopleServed: z.number(),
      tickets: z.number().describe('tickets received (by day/month/unit)'),
      solved: z.number().describe('tickets solved'),
    }),
  ),
  totals: z.object({ shifts: z.number(), calls: z.number(), peopleServed: z.number(), tickets: z.number(), solved: z.number() }),
});
