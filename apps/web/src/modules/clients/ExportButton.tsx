import { DownOutlined, ExportOutlined } from '@ant-design/icons';
import { App, Button, Dropdown } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { download } from '../../app/api';
import { useAuth } from '../../app/auth';
import { useErrorText } from '../../app/ui';
import { type ClientFilters, clientListQuery } from './queries';

/** The filtered ledger as xlsx: masked by default; full numbers only for roles that may reveal (audited). */
export function ExportButton({ filters }: { filters: ClientFilters }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message, modal } = App.useApp();
  const errorText = useErrorText();
  const [busy, setBusy] = useState(false);
  const query = clientListQuery(filters);
  const run = async (reveal: boolean) => {
    setBusy(true);
    try {
      await download('/api/clients/export', { ...query, reveal: reveal ? 'true' : undefined }, 'clients.xlsx');
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  if (!can('clients.reveal')) {
    return (
      <Button icon={<ExportOutlined />} loading={busy} onClick={() => run(false)} data-testid="client-export">
        {t('clients.export')}
      </Button>
    );
  }
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: [
          { key: 'masked', label: t('clients.exportMasked') },
          { key: 'reveal', label: t('clients.exportRevealed'), danger: true },
        ],
        onClick: ({ key }) => {
          if (key === 'masked') void run(false);
          else
            modal.confirm({
              title: t('clients.exportRevealed'),
              content: t('clients.exportRevealedWarning'),
              okText: t('clients.export'),
              onOk: () => run(true),
            });
        },
      }}
    >
      <Button icon={<ExportOutlined />} loading={busy} data-testid="client-export">
        {t('clients.export')} <DownOutlined />
      </Button>
    </Dropdown>
  );
}
