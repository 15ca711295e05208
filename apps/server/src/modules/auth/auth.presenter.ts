import { ROLE_PERMISSIONS } from '@wushe/domain';
import type { Me } from './auth.schemas.js';
import type { SessionRow } from './auth.service.js';

export function presentMe(row: SessionRow): Me {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    unit:
      row.unit_id && row.unit_path
        ? {
            id: row.unit_id,
            name: row.unit_name ?? '',
            kind: row.unit_kind ?? '',
            path: row.unit_path,
            regionCode: row.unit_region_code ?? '',
          }
        : null,
    permissions: [...ROLE_PERMISSIONS[row.role]],
    mustChangePassword: row.must_change_password === 1,
  };
}
