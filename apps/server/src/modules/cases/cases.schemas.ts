import {
  CASE_ACTIONS,
  CASE_RISKS,
  CASE_SOURCES,
  CASE_STAGES,
  DEFAULT_CASE_DEADLINES,
  FIVE_SOCIETY_VALUES,
  GOAL_RESULTS,
  SERVICE_KINDS,
  SIGN_OFF_STATES,
} from '@wushe/domain';
import { z } from 'zod';
import { PagingQuerySchema } from '../../platform/http.js';

const isoDate = z.iso.date().describe('YYYY-MM-DD');
const line = (max: number) => z.string().trim().min(1).max(max);
const version = z.number().int().min(1).describe('the version you read (stale → 409 stale_version)');

export const AssessmentSchema = z.object({
  problems: z.array(line(500)).min(1).max(20).describe('problems and needs found (预估: 问题/需求)'),
  strengths: z.array(line(500)).max(20).default([]).describe('strengths and resources (优势/资源)'),
  risk: z.enum(CASE_RISKS),
  summary: z.string().trim().max(2000).nullable().optional(),
});

export const GoalInputSchema = z.object({
  id: z.uuid().optional().describe('kept when a returned plan is resubmitted; new goals get one'),
  goal: line(500),
  measures: line(2000).describe('what will be done (服务措施)'),
  targetDate: isoDate,
});

export const PlanInputSchema = z.object({
  goals: z.array(GoalInputSchema).min(1).max(20),
  summary: z.string().trim().max(2000).nullable().optional(),
});

export const EvaluationSchema = z.object({
  results: z
    .array(z.object({ goalId: z.uuid(), result: z.enum(GOAL_RESULTS), note: z.string().trim().max(1000).nullable().optional() }))
    .min(1)
    .max(20)
    .describe('one result per goal of the plan'),
  summary: z.string().trim().max(2000).nullable().optional(),
});

const reason = z.string().trim().min(2).max(2000);

export const WorkerActionBodySchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('assess'), version, assessment: AssessmentSchema }),
  z.object({ action: z.literal('submit_plan'), version, plan: PlanInputSchema }),
  z.object({ action: z.literal('start_intervention'), version }),
  z.object({ action: z.literal('evaluate'), version, evaluation: EvaluationSchema }),
  z.object({ action: z.literal('request_closure'), version, reason: reason.describe('why the case closes (结案原因)') }),
  z.object({ action: z.literal('reopen'), version, reason: reason.describe('why the case is reopened') }),
]);
export type WorkerActionBody = z.infer<typeof WorkerActionBodySchema>;

export const SignOffBodySchema = z.object({
  action: z.enum(['approve_plan', 'return_plan', 'approve_closure', 'return_closure']),
  version,
  comment: z.string().trim().max(2000).nullable().optional().describe('required when returning'),
});
export type SignOffBody = z.infer<typeof SignOffBodySchema>;

export const CreateCaseBodySchema = z.object({
  clientId: z.uuid(),
  title: line(200),
  source: z.enum(CASE_SOURCES),
  sourceRef: z.string().trim().max(100).nullable().optional().describe('id of the visit, ticket or referral, if any'),
  ownerId: z.uuid().optional().describe('the worker in charge; default: you'),
  unitId: z.uuid().optional().describe("the unit that holds the case: the client's unit (default) or one above it"),
});
export type CreateCaseBody = z.infer<typeof CreateCaseBodySchema>;

export const UpdateCaseBodySchema = z.object({
  version,
  title: line(200).optional(),
  sourceRef: z.string().trim().max(100).nullable().optional(),
});

export const TransferBodySchema = z.object({
  version,
  ownerId: z.uuid().describe('an active worker (cases.write) whose unit holds the case'),
  reason: reason,
});

export const CommentBodySchema = z.object({ body: z.string().trim().min(1).max(2000) });

export const ServiceBodySchema = z.object({
  serviceDate: isoDate,
  kind: z.enum(SERVICE_KINDS),
  durationMinutes: z.number().int().min(1).max(1440),
  workerIds: z.array(z.uuid()).max(20).default([]).describe('workers who took part (besides the one recording)'),
  societies: z.array(z.enum(FIVE_SOCIETY_VALUES)).max(5).default([]).describe('五社联动 tags'),
  notes: z.string().trim().max(4000).nullable().optional(),
});

export const CaseListQuerySchema = PagingQuerySchema.extend({
  stage: z.enum(CASE_STAGES).optional(),
  open: z.enum(['true', 'false']).optional().describe('true: not closed'),
  ownerId: z.uuid().optional(),
  clientId: z.uuid().optional(),
  unitId: z.uuid().optional().describe('this unit and below'),
  overdue: z.enum(['true', 'false']).optional(),
  sort: z.enum(['updated', 'due']).default('updated').describe('updated: latest change first; due: earliest due date first'),
});
export type CaseListQuery = z.infer<typeof CaseListQuerySchema>;

const GoalSchema = z.object({ id: z.string(), goal: z.string(), measures: z.string(), targetDate: z.string() });

export const CaseSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  clientId: z.string(),
  clientName: z.string().nullable(),
  unitId: z.string(),
  unitName: z.string().nullable(),
  ownerId: z.string(),
  ownerName: z.string().nullable(),
  source: z.enum(CASE_SOURCES),
  stage: z.enum(CASE_STAGES),
  planStatus: z.enum(SIGN_OFF_STATES),
  closureStatus: z.enum(SIGN_OFF_STATES),
  dueDate: z.string().nullable(),
  overdue: z.boolean(),
  openedAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
});

export const ServiceSchema = z.object({
  id: z.string(),
  serviceDate: z.string(),
  kind: z.enum(SERVICE_KINDS),
  durationMinutes: z.number(),
  workerIds: z.array(z.string()),
  workerNames: z.array(z.string()),
  societies: z.array(z.enum(FIVE_SOCIETY_VALUES)),
  notes: z.string().nullable(),
  createdByName: z.string().nullable(),
  createdAt: z.string(),
});

export const CaseEventSchema = z.object({
  id: z.string(),
  kind: z.enum(['comment', 'transition', 'transfer']),
  action: z.string().nullable(),
  fromStage: z.string().nullable(),
  toStage: z.string().nullable(),
  body: z.string().nullable(),
  authorName: z.string().nullable(),
  createdAt: z.string(),
});

export const CaseSchema = CaseSummarySchema.extend({
  sourceRef: z.string().nullable(),
  closureFromStage: z.enum(CASE_STAGES).nullable(),
  closureReason: z.string().nullable(),
  assessment: AssessmentSchema.extend({ strengths: z.array(z.string()) }).nullable(),
  plan: z.object({ goals: z.array(GoalSchema), summary: z.string().nullable().optional() }).nullable(),
  evaluation: EvaluationSchema.nullable(),
  reopenCount: z.number(),
  closedAt: z.string().nullable(),
  allowedActions: z.array(z.enum(CASE_ACTIONS)).describe('what you may do now (the transition table and the sign-off gates)'),
  services: z.array(ServiceSchema),
  events: z.array(CaseEventSchema).describe('the thread: comments, transitions, sign-offs and transfers, oldest first'),
});

const deadlineDays = z.number().int().min(1).max(365);
export const DeadlinesSchema = z.object({
  intake: deadlineDays.describe('intake → assessment done'),
  assessment: deadlineDays.describe('assessment → plan submitted'),
  plan: deadlineDays.describe('plan → intervention started'),
  intervention: deadlineDays.describe('intervention → evaluation, when the plan has no target dates'),
  evaluation: deadlineDays.describe('evaluation → closure requested'),
  closure: deadlineDays.describe('closure requested → signed off'),
});

export const CaseSettingsSchema = z.object({
  deadlines: DeadlinesSchema,
  requirePlanSignOff: z.boolean().describe('the intervention starts only after a supervisor approved the plan'),
  requireClosureSignOff: z.boolean().describe('a case closes only after a supervisor approved the closure'),
  version: z.number(),
});

export const UpdateCaseSettingsBodySchema = CaseSettingsSchema.extend({ version });

export const DEFAULT_DEADLINES = DEFAULT_CASE_DEADLINES;

export const OverdueSummaryQuerySchema = z.object({
  groupBy: z.enum(['owner', 'unit']).default('owner'),
});
export const OverdueSummarySchema = z.object({
  items: z.array(z.object({ id: z.string(), name: z.string().nullable(), open: z.number(), overdue: z.number() })),
});

// ------------------------------------------------------------------------------------------- groups

export const GroupListQuerySchema = PagingQuerySchema.extend({
  kind: z.enum(['group', 'activity']).optional(),
  clientId: z.uuid().optional().describe('groups this client attended'),
});

export const CreateGroupBodySchema = z.object({
  kind: z.enum(['group', 'activity']).describe('group: 小组工作; activity: 社区活动'),
  name: line(200),
  goals: z.string().trim().max(2000).nullable().optional(),
  unitId: z.uuid(),
  startsOn: isoDate.nullable().optional(),
  endsOn: isoDate.nullable().optional(),
});

export const SessionBodySchema = z.object({
  sessionDate: isoDate,
  topic: line(200),
  durationMinutes: z.number().int().min(1).max(1440).nullable().optional(),
  notes: z.string().trim().max(4000).nullable().optional(),
  clientIds: z.array(z.uuid()).max(500).default([]).describe('clients of the ledger who attended'),
});

export const GroupSummarySchema = z.object({
  id: z.string(),
  kind: z.enum(['group', 'activity']),
  name: z.string(),
  goals: z.string().nullable(),
  unitId: z.string(),
  unitName: z.string().nullable(),
  ownerId: z.string(),
  ownerName: z.string().nullable(),
  startsOn: z.string().nullable(),
  endsOn: z.string().nullable(),
  sessions: z.number(),
  attendance: z.number().describe('person-times (人次)'),
  createdAt: z.string(),
});

export const GroupSchema = GroupSummarySchema.extend({
  sessionList: z.array(
    z.object({
      id: z.string(),
      sessionDate: z.string(),
      topic: z.string(),
      durationMinutes: z.number().nullable(),
      notes: z.string().nullable(),
      attendees: z.array(z.object({ clientId: z.string(), name: z.string() })),
    }),
  ),
});
