import { ROLES } from '@wushe/domain';
import { z } from 'zod';
import { PagingQuerySchema } from '../../platform/http.js';

export const UserSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  unitId: z.string().nullable(),
  unitName: z.string().nullable(),
  status: z.enum(['active', 'disabled']),
  locked: z.boolean(),
  mustChangePassword: z.boolean(),
  lastLoginAt: z.string().nullable(),
  version: z.number(),
  createdAt: z.string(),
});

export const UserListQuerySchema = PagingQuerySchema.extend({
  q: z.string().trim().max(50).optional().describe('user name or display name contains'),
  role: z.enum(ROLES).optional(),
  unitId: z.uuid().optional(),
  sort: z.enum(['username', '-username', 'createdAt', '-createdAt']).default('username'),
});
export type UserListQuery = z.infer<typeof UserListQuerySchema>;

export const CreateUserBodySchema = z.object({
  username: z
    .string()
    .trim()
    .min(3)
    .max(32)
    .regex(/^[a-zA-Z0-9_.-]+$/, 'letters, digits and _ . - only'),
  displayName: z.string().trim().min(1).max(50),
  role: z.enum(ROLES),
  unitId: z.uuid().nullable(),
  password: z.string().min(1).max(128).describe('initial password; the user must change it at first sign-in'),
});
export type CreateUserBody = z.infer<typeof CreateUserBodySchema>;

export const UpdateUserBodySchema = z.object({
  version: z.number().int().min(1),
  displayName: z.string().trim().min(1).max(50).optional(),
  role: z.enum(ROLES).optional(),
  unitId: z.uuid().nullable().optional(),
  status: z.enum(['active', 'disabled']).optional(),
});
export type UpdateUserBody = z.infer<typeof UpdateUserBodySchema>;

export const ResetPasswordBodySchema = z.object({ password: z.string().min(1).max(128) });

export const RolesResponseSchema = z.object({
  roles: z.array(z.object({ value: z.string(), zh: z.string(), en: z.string(), permissions: z.array(z.string()) })),
  permissions: z.array(z.object({ value: z.string(), zh: z.string(), en: z.string() })),
});
