import { UNIT_KIND_LABELS } from '@wushe/domain';
import { Select } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDebounced } from '../../app/hooks';
import { useLabel } from '../../app/ui';
import { useUnitSearch } from '../network/queries';

/** Unit picker with remote search on GET /api/units (only units in the user's scope come back). */
export function UnitSelect({
  value,
  onChange,
  initial,
  id,
}: {
  value?: string | null;
  onChange?: (v: string | null) => void;
  initial?: { id: string; name: string } | null;
  id?: string;
}) {
  const { t } = useTranslation();
  const label = useLabel();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 250);
  const results = useUnitSearch(q, true);
  const options = useMemo(() => {
    const list = (results.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.name}（${label(UNIT_KIND_LABELS, u.kind)}）` }));
    if (initial && !list.some((o) => o.value === initial.id)) list.unshift({ value: initial.id, label: initial.name });
    return list;
  }, [results.data, initial, label]);
  return (
    <Select
      id={id}
      value={value ?? undefined}
      onChange={(v: string | undefined) => onChange?.(v ?? null)}
      allowClear
      showSearch={{ filterOption: false, onSearch: setSearch }}
      options={options}
      loading={results.isFetching}
      placeholder={t('users.unitPlaceholder')}
      notFoundContent={t('common.noData')}
      data-testid="user-unit"
    />
  );
}
