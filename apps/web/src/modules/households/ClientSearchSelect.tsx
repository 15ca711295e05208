import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Page } from '../../app/api';
import { useDebounced } from '../../app/hooks';
import type { Client } from '../clients/types';

/** Picks a client of the ledger by searching it (name, initials, last four ID digits …) as one types. */
export function ClientSearchSelect({
  value,
  onChange,
  id,
  exclude = [],
  'data-testid': testId,
}: {
  value?: string;
  onChange?: (v: string | undefined) => void;
  id?: string;
  exclude?: string[];
  'data-testid'?: string;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 250);
  const found = useQuery({
    queryKey: ['clients', 'pick', q],
    queryFn: ({ signal }) => api<Page<Client>>('/api/clients', { query: { q, status: 'active', limit: 20 }, signal }),
    enabled: q.length > 0,
  });
  const options = useMemo(
    () =>
      (found.data?.items ?? [])
        .filter((c) => !exclude.includes(c.id))
        .map((c) => ({
          value: c.id,
          label: (
            <span data-testid="client-pick-option" data-client-name={c.name}>
              {c.name}
              <span style={{ opacity: 0.6, marginLeft: 8 }}>{[c.idNumber, c.birthDate, c.address].filter(Boolean).join(' · ')}</span>
            </span>
          ),
        })),
    [found.data, exclude],
  );
  return (
    <Select
      id={id}
      value={value}
      onChange={onChange}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      options={options}
      loading={found.isFetching}
      placeholder={t('households.clientSearch')}
      notFoundContent={q ? t('common.noData') : null}
      data-testid={testId}
    />
  );
}
