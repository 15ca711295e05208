import { ROLES } from '@wushe/domain';
import { z } from 'zod';

export const LoginBodySchema = z.object({
  username: z.string().trim().min(1).max(64).describe('user name'),
  password: z.string().min(1).max(256),
});

export const ChangePasswordBodySchema = z.object({
  currentPassword: z.string().min(1).max(256),
  newPassword: z.string().min(1).max(256).describe('at least 8 characters from 3 of 4 classes'),
});

export const MeSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  unit: z.object({ id: z.string(), name: z.string(), kind: z.string(), path: z.string(), regionCode: z.string() }).nullable(),
  permissions: z.array(z.string()),
  mustChangePassword: z.boolean(),
});
export type Me = z.infer<typeof MeSchema>;

export const SessionResponseSchema = z.object({ user: MeSchema, csrfToken: z.string() });
