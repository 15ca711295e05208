import { PERMISSION_LABELS, ROLE_LABELS, ROLE_PERMISSIONS } from './roles.js';

/** The permission matrix as a Markdown table: docs/PERMISSIONS.md is this text, checked by a test. */
export function permissionMatrixMarkdown(): string {
  const head = `| 权限 Permission | ${ROLE_LABELS.map((r) => `${r.zh}<br>${r.en}`).join(' | ')} |`;
  const sep = `|---|${ROLE_LABELS.map(() => ':-:').join('|')}|`;
  const rows = PERMISSION_LABELS.map(
    (p) =>
      `| ${p.zh} · ${p.en} (\`${p.value}\`) | ${ROLE_LABELS.map((r) => (ROLE_PERMISSIONS[r.value].includes(p.value) ? '✓' : '')).join(' | ')} |`,
  );
  return [
    '# 权限矩阵 · Permission matrix',
    '',
    'Generated from `packages/domain/src/roles.ts` (`npm run docs:permissions`); a test fails when this file drifts.',
    'Every role is bound to a unit and acts only on that unit and what lies below it; a system administrator',
    'without a unit sees the whole network. Roles can only grant roles whose permissions they hold themselves.',
    '',
    head,
    sep,
    ...rows,
    '',
  ].join('\n');
}
