import { Select, Tag } from 'antd';
import { type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDebounced } from '../../app/hooks';
import type { Region } from '../../app/types';
import { useRegion, useRegions } from './queries';

interface Props {
  value?: string | string[] | null;
  onChange?: (value: string | string[] | null, region?: Region) => void;
  /** Restrict to the children of this region (e.g. the parent unit's region). */
  parentCode?: string | null;
  level?: number;
  multiple?: boolean;
  /** Extra mark shown after a region (e.g. "has an office"), and whether to push it down the list. */
  marks?: Map<string, ReactNode>;
  placeholder?: string;
  /** Hold the options back until the marks are known. */
  pending?: boolean;
  disabled?: boolean;
  allowClear?: boolean;
  style?: React.CSSProperties;
  'data-testid'?: string;
  id?: string;
}

/** Region picker with remote search (name, code prefix, pinyin or initials) on GET /api/regions. */
export function RegionSelect({
  value,
  onChange,
  parentCode,
  level,
  multiple,
  marks,
  placeholder,
  pending,
  disabled,
  allowClear = true,
  style,
  id,
  'data-testid': testId,
}: Props) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 250);
  const regions = useRegions({ q: q || undefined, parentCode, level });
  const single = !multiple && typeof value === 'string' ? value : null;
  const current = useRegion(single && !regions.data?.items.some((r) => r.code === single) ? single : null);

  const options = useMemo(() => {
    const list = [...(regions.data?.items ?? [])];
    if (current.data && !list.some((r) => r.code === current.data.code)) list.unshift(current.data);
    if (marks) list.sort((a, b) => Number(marks.has(a.code)) - Number(marks.has(b.code)));
    return list.map((r) => ({
      value: r.code,
      region: r,
      label: (
        <span data-testid={`region-option-${r.code}`} data-marked={marks?.has(r.code) ? 'true' : 'false'}>
          {r.name} <span style={{ color: '#a8a29e', fontSize: 12 }}>{r.code}</span>
          {marks?.get(r.code) ? (
            <Tag style={{ marginInlineStart: 6 }} variant="filled">
              {marks.get(r.code)}
            </Tag>
          ) : null}
        </span>
      ),
    }));
  }, [regions.data, current.data, marks]);

  return (
    <Select
      id={id}
      mode={multiple ? 'multiple' : undefined}
      value={value ?? undefined}
      onChange={(v: string | string[] | undefined, opt) => {
        const region = !Array.isArray(opt) && opt ? (opt as { region?: Region }).region : undefined;
        setSearch('');
        onChange?.(v ?? null, region);
      }}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      options={pending ? [] : options}
      loading={regions.isFetching || pending}
      notFoundContent={regions.isError ? t('common.loadFailed') : regions.isFetching || pending ? t('common.loading') : t('common.noData')}
      placeholder={placeholder ?? t('network.regionPlaceholder')}
      disabled={disabled}
      allowClear={allowClear}
      style={{ width: '100%', ...style }}
      optionLabelProp="label"
      data-testid={testId}
    />
  );
}
