import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Modal, Result, Space, Statistic, Table, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, download } from '../../app/api';
import type { ImportReport } from '../../app/types';
import { useErrorText, useIsMobile } from '../../app/ui';

/** randomUUID exists only in secure contexts (https, localhost); plain-http deployments get a random fallback. */
function newKey(): string {
  return typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
}

/** Bulk import of units from an xlsx sheet: template → upload → dry-run report → commit. */
export function ImportModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const mobile = useIsMobile();
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<'check' | 'commit' | 'template' | null>(null);
  // one idempotency key per chosen file: a repeated "import" click replays the first answer instead of importing twice
  const [idempotencyKey, setIdempotencyKey] = useState('');

  const reset = () => {
    setFile(null);
    setReport(null);
    setError(null);
  };

  const send = async (f: File, commit: boolean) => {
    setBusy(commit ? 'commit' : 'check');
    setError(null);
    try {
      const body = new FormData();
      body.append('file', f);
      const r = await api<ImportReport>('/api/units/import', {
        method: 'POST',
        body,
        query: { commit: commit ? 'true' : undefined },
        headers: commit && idempotencyKey ? { 'idempotency-key': idempotencyKey } : undefined,
      });
      setReport(r);
      if (r.committed) {
        message.success(t('network.importDone', { count: r.created }));
        await qc.invalidateQueries({ queryKey: ['units'] });
        await qc.invalidateQueries({ queryKey: ['coverage'] });
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const getTemplate = async () => {
    setBusy('template');
    try {
      await download('/api/units/import/template', undefined, 'units-template.xlsx');
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  const close = () => {
    reset();
    onClose();
  };

  return (
    <Modal
      open={open}
      title={t('network.import')}
      onCancel={close}
      footer={null}
      width={mobile ? '100%' : 760}
      destroyOnHidden
      data-testid="import-modal"
    >
      <Space orientation="vertical" style={{ width: '100%' }} size="middle">
        <Alert type="info" showIcon title={t('network.importHelp')} />
        <Button icon={<DownloadOutlined />} onClick={getTemplate} loading={busy === 'template'} data-testid="import-template">
          {t('network.importTemplate')}
        </Button>
        <Upload.Dragger
          accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          maxCount={1}
          fileList={file ? [{ uid: '1', name: file.name, status: 'done' }] : []}
          beforeUpload={(f) => {
            setFile(f);
            setReport(null);
            setIdempotencyKey(newKey());
            void send(f, false);
            return false;
          }}
          onRemove={() => reset()}
          data-testid="import-upload"
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{t('network.importDrop')}</p>
        </Upload.Dragger>
        {error ? <Alert type="error" showIcon title={errorText(error)} /> : null}
        {busy === 'check' ? <Alert type="info" title={t('network.importChecking')} /> : null}
        {report ? (
          report.committed ? (
            <Result status="success" title={t('network.importDone', { count: report.created })} data-testid="import-result" />
          ) : (
            <div data-testid="import-report">
              <Space size="large" wrap style={{ marginBottom: 12 }}>
                <Statistic title={t('network.importRows')} value={report.rows} />
                <Statistic title={t('network.importValid')} value={report.valid} />
                <Statistic title={t('network.importErrors')} value={report.errors.length} />
              </Space>
              {report.errors.length > 0 ? (
                <Table
                  size="small"
                  rowKey={(r) => `${r.row}-${r.column}-${r.code}`}
                  dataSource={report.errors}
                  pagination={{ pageSize: 10, hideOnSinglePage: true }}
                  scroll={{ x: 'max-content' }}
                  columns={[
                    { title: t('network.importRow'), dataIndex: 'row', width: 70 },
                    { title: t('network.importColumn'), dataIndex: 'column', width: 120 },
                    {
                      title: t('network.importMessage'),
                      dataIndex: 'message',
                      render: (m: string, r) => t(`errors.${r.code}`, { defaultValue: m }),
                    },
                  ]}
                />
              ) : (
                <Alert type="success" showIcon title={t('network.importAllValid')} />
              )}
              {report.errors.length > 0 ? (
                <Alert type="warning" showIcon title={t('network.importFixFirst')} style={{ marginTop: 12 }} />
              ) : null}
              <Space style={{ marginTop: 12 }}>
                <Button
                  type="primary"
                  disabled={!file || report.valid === 0 || report.errors.length > 0}
                  loading={busy === 'commit'}
                  onClick={() => file && void send(file, true)}
                  data-testid="import-commit"
                >
                  {t('network.importCommit', { count: report.valid })}
                </Button>
                <Button onClick={reset}>{t('network.importAgain')}</Button>
              </Space>
            </div>
          )
        ) : null}
      </Space>
    </Modal>
  );
}
