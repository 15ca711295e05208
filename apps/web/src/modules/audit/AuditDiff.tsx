import { Table, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';

/** Audit actions are dotted (`unit.created`); catalogue keys use underscores. */
export function actionLabel(t: TFunction, action: string): string {
  return t(`audit.actions.${action.replace(/\./g, '_')}`, { defaultValue: action });
}

type Json = unknown;

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function show(v: Json): string {
  if (v === undefined) return '';
  if (v === null) return 'null';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

export interface DiffRow {
  key: string;
  before: Json;
  after: Json;
  changed: boolean;
}

/** Field-by-field comparison of two audit snapshots (top level; nested values compared as JSON). */
export function diffRows(before: Json, after: Json): DiffRow[] {
  const b = isObject(before) ? before : before === null || before === undefined ? {} : { value: before };
  const a = isObject(after) ? after : after === null || after === undefined ? {} : { value: after };
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return keys.map((key) => ({ key, before: b[key], after: a[key], changed: JSON.stringify(b[key]) !== JSON.stringify(a[key]) }));
}

/** Before/after view of an audit entry; `compact` lists only the changed fields. */
export function AuditDiff({ before, after, compact }: { before: Json; after: Json; compact?: boolean }) {
  const { t } = useTranslation();
  const rows = diffRows(before, after);
  const changed = rows.filter((r) => r.changed);
  if (compact) {
    if (changed.length === 0) return null;
    return (
      <ul style={{ margin: '4px 0 0', paddingInlineStart: 18, fontSize: 12 }}>
        {changed.slice(0, 8).map((r) => (
          <li key={r.key}>
            <Typography.Text code>{r.key}</Typography.Text>{' '}
            <Typography.Text delete type="secondary">
              {show(r.before)}
            </Typography.Text>{' '}
            → <Typography.Text>{show(r.after)}</Typography.Text>
          </li>
        ))}
        {changed.length > 8 ? <li>…</li> : null}
      </ul>
    );
  }
  return (
    <Table<DiffRow>
      size="small"
      rowKey="key"
      pagination={false}
      dataSource={rows}
      scroll={{ x: 'max-content' }}
      data-testid="audit-diff"
      rowClassName={(r) => (r.changed ? 'diff-changed' : '')}
      onRow={(r) => ({ style: r.changed ? { background: '#fff7ed' } : undefined })}
      columns={[
        {
          title: t('audit.field'),
          dataIndex: 'key',
          width: 160,
          render: (k: string, r) => <Typography.Text strong={r.changed}>{k}</Typography.Text>,
        },
        {
          title: t('audit.before'),
          dataIndex: 'before',
          render: (v: Json, r) => (
            <Typography.Text
              type={r.changed ? 'danger' : undefined}
              style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', fontFamily: 'monospace', fontSize: 12 }}
            >
              {show(v)}
            </Typography.Text>
          ),
        },
        {
          title: t('audit.after'),
          dataIndex: 'after',
          render: (v: Json, r) => (
            <Typography.Text
              type={r.changed ? 'success' : undefined}
              style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', fontFamily: 'monospace', fontSize: 12 }}
            >
              {show(v)}
            </Typography.Text>
          ),
        },
      ]}
    />
  );
}
