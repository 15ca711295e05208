import { Select } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDebounced } from '../../app/hooks';
import { useAreas } from './queries';

/** A village/community the ticket is routed by, found by typing part of its name (or its street's). */
export function AreaSelect(props: { value?: string; onChange?: (v: string | undefined) => void; id?: string; 'data-testid'?: string }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const settled = useDebounced(q.trim(), 250);
  const areas = useAreas(settled);
  const [picked, setPicked] = useState<{ value: string; label: ReactNode } | null>(null);
  const options: { value: string; label: ReactNode }[] = (areas.data?.items ?? []).map((a) => ({
    value: a.code,
    label: <span data-testid={`area-option-${a.code}`}>{a.streetName ? `${a.streetName} · ${a.name}` : a.name}</span>,
  }));
  if (picked && props.value === picked.value && !options.some((o) => o.value === picked.value)) options.unshift(picked);
  return (
    <Select
      id={props.id}
      showSearch={{ filterOption: false, onSearch: setQ }}
      allowClear
      value={props.value}
      onChange={(v, opt) => {
        const o = Array.isArray(opt) ? opt[0] : opt;
        setPicked(v && o ? { value: v, label: o.label } : null);
        props.onChange?.(v);
      }}
      loading={areas.isFetching}
      placeholder={t('tickets.areaPlaceholder')}
      notFoundContent={areas.isFetching ? t('common.loading') : t('tickets.areaNone')}
      options={options}
      data-testid={props['data-testid']}
    />
  );
}
