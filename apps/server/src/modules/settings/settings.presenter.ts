import type { CategoryRow } from './settings.service.js';

export function presentCategory(c: CategoryRow) {
  return {
    code: c.code,
    labelZh: c.labelZh,
    labelEn: c.labelEn,
    sortOrder: Number(c.sortOrder),
    active: Boolean(c.active),
    builtin: Boolean(c.builtin),
    used: Boolean(c.used),
    version: Number(c.version),
    updatedAt: new Date(c.updatedAt).toISOString(),
  };
}
