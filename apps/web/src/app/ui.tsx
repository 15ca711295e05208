import { type Labelled, labelOf } from '@wushe/domain';
import type { FormInstance } from 'antd';
import { Alert, Button, Grid, Result, Skeleton, Space, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from './api';

export type Lang = 'zh' | 'en';

/** Current UI language as the domain label lists know it. */
export function useLang(): Lang {
  const { i18n } = useTranslation();
  return i18n.language?.startsWith('en') ? 'en' : 'zh';
}

/** Label of an enum value (unit kind, status, role…) in the current language. */
export function useLabel() {
  const lang = useLang();
  return useCallback(
    <T extends string>(list: readonly Labelled<T>[], value: T | string | null | undefined) =>
      value ? labelOf(list as unknown as Labelled<string>[], value, lang) : '',
    [lang],
  );
}

/** Translated message of any error: `errors.<code>` with the server's message as fallback. */
export function errorText(t: TFunction, err: unknown): string {
  if (err instanceof ApiError) return t(`errors.${err.code}`, { defaultValue: err.message || t('errors.unknown') });
  if (err instanceof Error) return err.message;
  return t('errors.unknown');
}

export function useErrorText() {
  const { t } = useTranslation();
  return useCallback((err: unknown) => errorText(t, err), [t]);
}

/**
 * Put server validation details onto the form fields they name (`details[].path` like "name" or
 * "posts.0.headcount"); returns true when at least one landed on a field.
 */
export function applyFieldErrors(
  form: FormInstance,
  err: unknown,
  t: TFunction,
  rename: Record<string, string | (string | number)[]> = {},
): boolean {
  if (!(err instanceof ApiError) || err.details.length === 0) return false;
  const known = new Set(Object.keys(form.getFieldsValue(true) ?? {}));
  const byField = new Map<string, { name: (string | number)[]; errors: string[] }>();
  for (const d of err.details) {
    const raw = d.path.replace(/^body[./]/, '').replace(/^\//, '');
    const mapped = rename[raw];
    const name: (string | number)[] = Array.isArray(mapped)
      ? mapped
      : (mapped ?? raw)
          .split(/[./]/)
          .filter(Boolean)
          .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    if (name.length === 0 || !known.has(String(name[0]))) continue;
    const key = name.join('.');
    const entry = byField.get(key) ?? { name, errors: [] };
    entry.errors.push(t(`errors.${d.code}`, { defaultValue: d.message || d.code }));
    byField.set(key, entry);
  }
  if (byField.size === 0) return false;
  form.setFields([...byField.values()].map((f) => ({ name: f.name, errors: f.errors })));
  return true;
}

export function useIsMobile(): boolean {
  const screens = Grid.useBreakpoint();
  // before the first measurement every breakpoint is undefined: assume desktop only if md is known true
  return screens.md === false;
}

export function Loading({ rows = 4 }: { rows?: number }) {
  return <Skeleton active paragraph={{ rows }} data-testid="loading" />;
}

/** Error state with the translated message and a retry button. */
export function ErrorState({ error, onRetry, compact }: { error: unknown; onRetry?: () => void; compact?: boolean }) {
  const { t } = useTranslation();
  const message = errorText(t, error);
  const requestId = error instanceof ApiError ? error.requestId : undefined;
  const action = onRetry ? (
    <Button size={compact ? 'small' : 'middle'} onClick={onRetry} data-testid="retry">
      {t('common.retry')}
    </Button>
  ) : undefined;
  if (compact)
    return (
      <Alert
        type="error"
        showIcon
        title={message}
        description={requestId ? t('common.requestId', { id: requestId }) : undefined}
        action={action}
        data-testid="error-state"
      />
    );
  return (
    <Result
      status={error instanceof ApiError && error.status === 403 ? '403' : 'warning'}
      title={t('common.loadFailed')}
      subTitle={
        <>
          {message}
          {requestId ? <div style={{ fontSize: 12 }}>{t('common.requestId', { id: requestId })}</div> : null}
        </>
      }
      extra={action}
      data-testid="error-state"
    />
  );
}

export function formatPercent(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || Number.isNaN(rate)) return '—';
  return `${(rate * 100).toFixed(1)}%`;
}

/** What a keyset-paged ("load more") query offers its footer; TanStack's infinite queries fit it. */
interface MorePages {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
}

/** A count with thousands separators (10,000), the same in both languages. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * "共 N 条" of a list whose API counts only up to a cap: a capped total is a lower bound and reads
 * "超过 10,000 条" / "10,000+ in total", never as if it were exact.
 */
export function useTotalText() {
  const { t } = useTranslation();
  return useCallback(
    (total: number, capped?: boolean) => t(capped ? 'common.totalCapped' : 'common.totalN', { n: formatCount(total) }),
    [t],
  );
}

/** The footer of a "load more" list: "shown N of M" (or "of M+" when the API capped its count) and the next-page button. */
export function LoadMoreFooter(props: {
  pages: MorePages;
  shown: number;
  total: number | undefined;
  /** The API stopped counting at `total`: there are more. */
  totalCapped?: boolean;
  totalTestId: string;
  moreTestId: string;
  marginTop?: number;
}) {
  const { t } = useTranslation();
  const { pages } = props;
  return (
    <Space style={{ marginTop: props.marginTop ?? 0, justifyContent: 'space-between', width: '100%' }} wrap>
      <Typography.Text type="secondary" data-testid={props.totalTestId} data-total-capped={props.totalCapped ? 'true' : 'false'}>
        {props.total !== undefined
          ? t(props.totalCapped ? 'clients.shownOfCapped' : 'clients.shownOf', {
              shown: formatCount(props.shown),
              total: formatCount(props.total),
            })
          : null}
      </Typography.Text>
      {pages.hasNextPage ? (
        <Button onClick={() => void pages.fetchNextPage()} loading={pages.isFetchingNextPage} data-testid={props.moreTestId}>
          {t('common.loadMore')}
        </Button>
      ) : null}
    </Space>
  );
}
