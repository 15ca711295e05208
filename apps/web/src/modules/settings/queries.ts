import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api';
import { useLang } from '../../app/ui';

/** One entry of the deployment's list of client categories (系统设置 → 对象类别). */
export interface CategoryDefinition {
  code: string;
  labelZh: string;
  labelEn: string;
  sortOrder: number;
  /** false: retired — still shown on the clients that have it, not offered for new entries. */
  active: boolean;
  builtin: boolean;
  /** Some client has (or had) it: it can be retired, not deleted. */
  used: boolean;
  version: number;
  updatedAt: string;
}

export const CATEGORIES_KEY = ['settings', 'categories'] as const;

/** The list as the server has it, retired entries included; it changes rarely, so it is kept for 10 minutes. */
export function useCategoryList() {
  return useQuery({
    queryKey: CATEGORIES_KEY,
    queryFn: () => api<{ items: CategoryDefinition[] }>('/api/settings/categories').then((r) => r.items),
    staleTime: 10 * 60_000,
  });
}

export interface CategoryOption {
  value: string;
  label: string;
}

/**
 * The deployment's client categories for forms, filters and tags: `options` offers the active ones (for new
 * entries), `allOptions` every one, retired ones marked (filters: clients keep retired categories), `label(code)` names any code in
 * the current language — a retired one too, an unknown code as itself.
 */
export function useCategories() {
  const lang = useLang();
  const { t } = useTranslation();
  const query = useCategoryList();
  const items = query.data;
  const byCode = useMemo(() => new Map((items ?? []).map((c) => [c.code, c])), [items]);
  const label = useCallback(
    (code: string) => {
      const c = byCode.get(code);
      return c ? (lang === 'en' ? c.labelEn : c.labelZh) : code;
    },
    [byCode, lang],
  );
  const isRetired = useCallback((code: string) => byCode.get(code)?.active === false, [byCode]);
  const options = useMemo<CategoryOption[]>(
    () => (items ?? []).filter((c) => c.active).map((c) => ({ value: c.code, label: label(c.code) })),
    [items, label],
  );
  const allOptions = useMemo<CategoryOption[]>(
    () =>
      (items ?? []).map((c) => ({ value: c.code, label: c.active ? label(c.code) : `${label(c.code)}${t('categories.retiredSuffix')}` })),
    [items, label, t],
  );
  return { options, allOptions, label, isRetired, loading: query.isLoading };
}
