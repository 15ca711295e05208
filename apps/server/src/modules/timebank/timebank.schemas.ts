import { z } from 'zod';
import { PagingQuerySchema } from '../../platform/http.js';

export const ACCOUNT_KINDS = ['person', 'unit_pool', 'catalogue', 'system'] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];
export const POSTING_KINDS = ['earn', 'spend', 'transfer', 'grant', 'correction'] as const;
export type PostingKind = (typeof POSTING_KINDS)[number];

/** The most one posting may move: 100,000 credits (amounts are kept in hundredths, in 32-bit integers). */
export const MAX_CREDITS = 100_000;

/** Credits (or hours) with at most two decimals, > 0. */
const hundredths = (max: number, what: string) =>
  z
    .number()
    .positive()
    .max(max)
    .refine((x) => Math.abs(Math.round(x * 100) - x * 100) < 1e-6, { message: `${what} have at most two decimals` })
    .describe(`${what}, > 0, at most ${max}, two decimals at most`);

const credits = hundredths(MAX_CREDITS, 'credits');
const memo = z.string().trim().max(500).nullable().optional();

export const CreateAccountBodySchema = z.object({
  kind: z.enum(['person', 'unit_pool', 'catalogue']).describe("the unit's issuing account (system) is created by the server"),
  unitId: z.uuid().describe('the station, office or point that keeps the account'),
  name: z.string().trim().min(1).max(100),
  ownerId: z.uuid().nullable().optional().describe('who holds a person account (a volunteer or family member, later module)'),
});

export const AccountListQuerySchema = PagingQuerySchema.extend({
  kind: z.enum(ACCOUNT_KINDS).optional(),
  unitId: z.uuid().optional().describe('this unit and below'),
  ownerId: z.uuid().optional(),
});

export const AccountSchema = z.object({
  id: z.string(),
  kind: z.enum(ACCOUNT_KINDS),
  name: z.string(),
  ownerId: z.string().nullable(),
  unitId: z.string(),
  unitName: z.string().nullable(),
  balance: z.number().describe('credits; only a system (issuing) account can be below 0'),
  createdAt: z.string(),
});

export const EntrySchema = z.object({
  id: z.string(),
  postingId: z.string(),
  kind: z.enum(POSTING_KINDS),
  amount: z.number().describe('credits: > 0 in, < 0 out'),
  memo: z.string().nullable(),
  counterpartyAccountId: z.string().nullable(),
  counterpartyName: z.string().nullable(),
  createdByName: z.string().nullable(),
  createdAt: z.string(),
});

export const PostingBodySchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('earn'),
    toAccountId: z.uuid().describe('a person account'),
    hours: hundredths(1000, 'confirmed hours'),
    memo,
  }),
  z.object({
    kind: z.literal('grant'),
    toAccountId: z.uuid().describe('a unit pool, funded by the unit issuing account'),
    amount: credits,
    memo,
  }),
  z.object({
    kind: z.literal('spend'),
    fromAccountId: z.uuid().describe('a person account or a unit pool'),
    toAccountId: z.uuid().describe('a catalogue account'),
    amount: credits,
    memo,
  }),
  z.object({
    kind: z.literal('transfer'),
    fromAccountId: z.uuid().describe('a person account (needs transfersAllowed) or a unit pool'),
    toAccountId: z.uuid().describe('a person account'),
    amount: credits,
    memo,
  }),
  z.object({
    kind: z.literal('correction'),
    correctsPostingId: z.uuid().describe('the posting to reverse (once)'),
    memo: z.string().trim().min(2).max(500).describe('why'),
  }),
]);
export type PostingInput = z.infer<typeof PostingBodySchema>;

export const PostingSchema = z.object({
  id: z.string(),
  kind: z.enum(POSTING_KINDS),
  memo: z.string().nullable(),
  hours: z.number().nullable(),
  amount: z.number().describe('credits moved'),
  fromAccountId: z.string(),
  toAccountId: z.string(),
  correctsPostingId: z.string().nullable(),
  createdAt: z.string(),
});

export const TimebankSettingsSchema = z.object({
  creditsPerHour: z.number(),
  yearlyEarnCap: z.number().nullable(),
  lifetimeEarnCap: z.number().nullable(),
  transfersAllowed: z.boolean(),
  version: z.number(),
});

export const UpdateSettingsBodySchema = z.object({
  version: z.number().int().min(1),
  creditsPerHour: hundredths(1000, 'credits per hour'),
  yearlyEarnCap: credits.nullable().describe('credits a person account may earn per calendar year; null = no cap'),
  lifetimeEarnCap: credits.nullable().describe('credits a person account may earn in all; null = no cap'),
  transfersAllowed: z.boolean().describe('whether a person may transfer credits to another person (family members)'),
});
