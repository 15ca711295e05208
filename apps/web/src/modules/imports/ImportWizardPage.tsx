import { CloudUploadOutlined, DownloadOutlined, InboxOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { IMPORT_ERROR_LABELS } from '@wushe/domain';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Progress,
  Radio,
  Result,
  Row,
  Select,
  Space,
  Statistic,
  Steps,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { download } from '../../app/api';
import { ErrorState, useErrorText, useIsMobile, useLang } from '../../app/ui';
import { useImportJob, useImportJobs, useRerunImport, useStartImport } from './queries';
import { CLIENT_SHEET_FIELDS, type ClientSheetField, type ImportJob, REQUIRED_FIELDS } from './types';

const MAX_BYTES = 20 * 1024 * 1024;
const STATUS_COLORS: Record<ImportJob['status'], string> = {
  queued: 'default',
  running: 'processing',
  succeeded: 'success',
  failed: 'error',
  interrupted: 'warning',
};

const isOpen = (j: ImportJob | undefined) => j?.status === 'queued' || j?.status === 'running';

/** The meaning of an import error code in the console's language, else the server's message. */
function useCodeText() {
  const lang = useLang();
  return (code: string, fallback: string) => IMPORT_ERROR_LABELS.find((l) => l.value === code)?.[lang] ?? fallback;
}

/** Progress of a running job: rows read, then rows written, with the phase in words. */
function JobProgress({ job }: { job: ImportJob }) {
  const { t } = useTranslation();
  const percent = job.total ? Math.min(100, Math.round((job.processed / job.total) * 100)) : undefined;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="import-progress">
      <Typography.Text>
        {t(`imports.phase.${job.phase ?? 'queued'}`)}
        {job.phase === 'reading' ? ` · ${t('imports.rowsRead', { count: job.processed })}` : null}
        {job.phase === 'writing' && job.total ? ` · ${job.processed} / ${job.total}` : null}
      </Typography.Text>
      <Progress percent={percent ?? 99} status="active" showInfo={percent !== undefined} />
    </Space>
  );
}

function Summary({ job }: { job: ImportJob }) {
  const { t } = useTranslation();
  const s = job.report?.summary;
  if (!s || !job.report) return null;
  const items: [string, number, string?][] = [
    ['rows', job.report.rows],
    ['new', s.new, '#389e0d'],
    ['updated', s.updated, '#1677ff'],
    ['unchanged', s.unchanged],
    ['rejected', s.rejected, s.rejected ? '#cf1322' : undefined],
    ['duplicatesInFile', s.duplicatesInFile],
    ['duplicatesInLedger', s.duplicatesInLedger],
  ];
  return (
    <Row gutter={[16, 16]} data-testid="import-summary">
      {items.map(([k, v, color]) => (
        <Col key={k} xs={12} sm={8} md={6} lg={3}>
          <Statistic
            title={t(`imports.summary.${k}`)}
            value={v}
            valueStyle={color ? { color } : undefined}
            data-testid={`import-summary-${k}`}
          />
        </Col>
      ))}
    </Row>
  );
}

function ErrorTable({ job }: { job: ImportJob }) {
  const { t } = useTranslation();
  const codeText = useCodeText();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const errors = job.report?.errors ?? [];
  const count = job.report?.errorCount ?? 0;
  if (count === 0) return null;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Typography.Text type="danger" data-testid="import-error-count">
          {t('imports.errorsFound', { count })}
        </Typography.Text>
        <Button
          icon={<DownloadOutlined />}
          data-testid="import-error-sheet"
          onClick={() =>
            download(`/api/import-jobs/${job.id}/errors`, undefined, 'import-errors.xlsx').catch((e) => message.error(errorText(e)))
          }
        >
          {t('imports.downloadErrors')}
        </Button>
      </Space>
      <Table
        size="small"
        rowKey={(e) => `${e.row}-${e.column}-${e.code}`}
        dataSource={errors}
        pagination={errors.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
        scroll={{ x: 600 }}
        columns={[
          { title: t('imports.row'), dataIndex: 'row', width: 70 },
          { title: t('imports.column'), dataIndex: 'column', width: 130, render: (v: string | null) => v ?? '—' },
          {
            title: t('imports.problem'),
            key: 'message',
            render: (_: unknown, e) => <span data-code={e.code}>{codeText(e.code, e.message)}</span>,
          },
        ]}
      />
      {count > errors.length ? (
        <Typography.Text type="secondary">{t('imports.moreErrors', { shown: errors.length, count })}</Typography.Text>
      ) : null}
    </Space>
  );
}

/** Sheet header → field, with the required fields checked and each field used once. */
function MappingEditor({
  headers,
  value,
  onChange,
}: {
  headers: string[];
  value: Record<string, string | null>;
  onChange: (v: Record<string, string | null>) => void;
}) {
  const { t } = useTranslation();
  const used = Object.values(value).filter(Boolean) as string[];
  const missing = REQUIRED_FIELDS.filter((f) => !used.includes(f));
  const twice = used.filter((f, i) => used.indexOf(f) !== i);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="import-mapping">
      <Typography.Text type="secondary">{t('imports.mappingHelp')}</Typography.Text>
      <Table
        size="small"
        rowKey="header"
        pagination={false}
        dataSource={headers.map((header) => ({ header }))}
        columns={[
          { title: t('imports.sheetColumn'), dataIndex: 'header', width: '45%' },
          {
            title: t('imports.meansField'),
            key: 'field',
            render: (_: unknown, r: { header: string }) => (
              <Select
                style={{ width: '100%', minWidth: 140 }}
                virtual={false}
                showSearch={{ optionFilterProp: 'label' }}
                value={value[r.header] ?? ''}
                aria-label={r.header}
                data-testid={`mapping-${r.header}`}
                onChange={(v: string) => onChange({ ...value, [r.header]: v || null })}
                options={[
                  { value: '', label: t('imports.ignoreColumn') },
                  ...CLIENT_SHEET_FIELDS.map((f) => ({
                    value: f,
                    label: `${t(`imports.field.${f}`)}${REQUIRED_FIELDS.includes(f) ? ' *' : ''}`,
                  })),
                ]}
                status={value[r.header] && twice.includes(value[r.header] as string) ? 'error' : undefined}
              />
            ),
          },
        ]}
      />
      {missing.length ? (
        <Alert
          type="warning"
          showIcon
          title={t('imports.mappingMissing', { fields: missing.map((f) => t(`imports.field.${f}`)).join('、') })}
        />
      ) : null}
      {twice.length ? (
        <Alert
          type="error"
          showIcon
          title={t('imports.mappingTwice', { fields: [...new Set(twice)].map((f) => t(`imports.field.${f}`)).join('、') })}
        />
      ) : null}
    </Space>
  );
}

/** The mapping a job used or suggests: what the server matched, else the header row of a failed job. */
function initialMapping(job: ImportJob): { headers: string[]; mapping: Record<string, string | null> } {
  if (job.report) {
    const mapping: Record<string, string | null> = {};
    for (const h of job.report.headers) mapping[h] = job.report.mapping[h] ?? null;
    return { headers: job.report.headers, mapping };
  }
  const headers = (job.error?.details ?? []).filter((d) => d.code === 'sheet_header').map((d) => d.path);
  const mapping: Record<string, string | null> = {};
  for (const h of headers) mapping[h] = job.mapping?.[h] ?? null;
  return { headers, mapping };
}

function RecentJobs({ onOpen }: { onOpen: (j: ImportJob) => void }) {
  const { t } = useTranslation();
  const mobile = useIsMobile();
  const jobs = useImportJobs();
  if (jobs.isError) return <ErrorState error={jobs.error} onRetry={() => jobs.refetch()} compact />;
  return (
    <Table
      size="small"
      rowKey="id"
      loading={jobs.isLoading}
      dataSource={jobs.data?.items ?? []}
      pagination={false}
      scroll={mobile ? undefined : { x: 640 }}
      locale={{ emptyText: t('imports.noJobs') }}
      // On a phone: when, kind, status and the link; the file and the result are on the job's page.
      columns={[
        {
          title: t('imports.when'),
          dataIndex: 'createdAt',
          width: mobile ? 96 : 150,
          render: (v: string) => dayjs(v).format(mobile ? 'MM-DD HH:mm' : 'YYYY-MM-DD HH:mm'),
        },
        ...(mobile ? [] : [{ title: t('imports.file'), dataIndex: 'fileName', ellipsis: true, render: (v: string | null) => v ?? '—' }]),
        {
          title: t('imports.kind'),
          dataIndex: 'commit',
          width: 90,
          render: (v: boolean) => (v ? t('imports.kindCommit') : t('imports.kindDry')),
        },
        {
          title: t('imports.status'),
          dataIndex: 'status',
          width: 100,
          render: (v: ImportJob['status'], j) => (
            <Tag color={STATUS_COLORS[v]}>
              {j.commit && v === 'succeeded' && !j.report?.committed ? t('imports.notKept') : t(`imports.statusLabel.${v}`)}
            </Tag>
          ),
        },
        ...(mobile
          ? []
          : [
              {
                title: t('imports.result'),
                key: 'result',
                render: (_: unknown, j: ImportJob) =>
                  j.report
                    ? t('imports.resultLine', {
                        rows: j.report.rows,
                        new: j.report.summary.new,
                        updated: j.report.summary.updated,
                        rejected: j.report.summary.rejected,
                      })
                    : (j.error?.message ?? '—'),
              },
            ]),
        {
          title: '',
          key: 'open',
          width: 80,
          render: (_: unknown, j) => (
            <Button type="link" size="small" onClick={() => onOpen(j)}>
              {t('imports.open')}
            </Button>
          ),
        },
      ]}
    />
  );
}

/**
 * 批量导入服务对象: upload → check (a dry-run job with progress, the report, the column mapping, the error
 * sheet) → import (all or nothing, or the valid rows) → result. The step lives in the URL (?check=…&run=…),
 * so a reload or a link resumes it.
 */
export default function ImportWizardPage() {
  const { t } = useTranslation();
  const mobile = useIsMobile();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const codeText = useCodeText();
  const [params, setParams] = useSearchParams();
  const checkId = params.get('check');
  const runId = params.get('run');
  const check = useImportJob(checkId);
  const run = useImportJob(runId);
  const start = useStartImport();
  const rerun = useRerunImport();
  const [mode, setMode] = useState<'all' | 'valid'>('all');
  const [mapping, setMapping] = useState<Record<string, string | null>>({});
  const [headers, setHeaders] = useState<string[]>([]);

  const go = (next: { check?: string | null; run?: string | null }) => {
    const p = new URLSearchParams();
    const c = next.check === undefined ? checkId : next.check;
    const r = next.run === undefined ? runId : next.run;
    if (c) p.set('check', c);
    if (r) p.set('run', r);
    setParams(p);
  };

  // The mapping editor starts from what the check found.
  const checked = check.data && !isOpen(check.data) ? check.data : undefined;
  useEffect(() => {
    if (!checked) return;
    const m = initialMapping(checked);
    setHeaders(m.headers);
    setMapping(m.mapping);
    if (checked.report && checked.report.summary.rejected > 0 && checked.report.summary.new + checked.report.summary.updated > 0)
      setMode('valid');
  }, [checked]);

  // A finished import refreshes the ledger.
  const runDone = run.data && !isOpen(run.data);
  useEffect(() => {
    if (runDone && run.data?.report?.committed) {
      void qc.invalidateQueries({ queryKey: ['clients'] });
      void qc.invalidateQueries({ queryKey: ['overdue'] });
    }
  }, [runDone, run.data, qc]);

  const choose = async (file: File) => {
    if (file.size > MAX_BYTES) {
      message.error(t('imports.tooBig'));
      return;
    }
    try {
      const job = await start.mutateAsync({ file, commit: false, mode: 'all' });
      go({ check: job.id, run: null });
    } catch (e) {
      message.error(errorText(e));
    }
  };

  const mappingChanged = useMemo(() => {
    if (!checked) return false;
    const m = initialMapping(checked).mapping;
    return Object.keys(mapping).some((h) => (mapping[h] ?? null) !== (m[h] ?? null));
  }, [checked, mapping]);
  const mappingValid = (() => {
    const used = Object.values(mapping).filter(Boolean) as string[];
    return REQUIRED_FIELDS.every((f) => used.includes(f as ClientSheetField)) && new Set(used).size === used.length;
  })();

  const recheck = async () => {
    if (!checkId) return;
    try {
      const job = await rerun.mutateAsync({ id: checkId, commit: false, mode: 'all', mapping });
      go({ check: job.id, run: null });
    } catch (e) {
      message.error(errorText(e));
    }
  };

  const commit = async () => {
    if (!checkId) return;
    try {
      const job = await rerun.mutateAsync({ id: checkId, commit: true, mode });
      go({ run: job.id });
    } catch (e) {
      message.error(errorText(e));
    }
  };

  const restart = () => setParams(new URLSearchParams());

  const rejected = checked?.report?.summary.rejected ?? 0;
  const writable = (checked?.report?.summary.new ?? 0) + (checked?.report?.summary.updated ?? 0);
  const step = runId ? (runDone ? 3 : 2) : checkId ? (checked?.status === 'succeeded' && writable > 0 ? 2 : 1) : 0;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="import-wizard">
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          <CloudUploadOutlined /> {t('imports.title')}
        </Typography.Title>
        <Space wrap>
          <Button
            icon={<DownloadOutlined />}
            onClick={() => download('/api/clients/import/template').catch((e) => message.error(errorText(e)))}
          >
            {t('imports.template')}
          </Button>
          <Link to="/clients">{t('imports.backToLedger')}</Link>
        </Space>
      </Space>
      <Card styles={{ body: { padding: mobile ? 12 : undefined } }}>
        <Steps
          size="small"
          current={step}
          responsive={false}
          // On a phone only the current step is named: four long titles do not fit side by side.
          items={(['upload', 'check', 'import', 'done'] as const).map((k, i) => ({
            title: !mobile || i === step ? t(`imports.step.${k}`) : '',
          }))}
          style={{ marginBottom: 24 }}
        />

        {!checkId ? (
          <Space orientation="vertical" size="large" style={{ width: '100%' }}>
            <Upload.Dragger
              accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
              multiple={false}
              showUploadList={false}
              disabled={start.isPending}
              beforeUpload={(f) => {
                void choose(f);
                return false;
              }}
              data-testid="import-upload"
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">{start.isPending ? t('imports.uploading') : t('imports.dropHere')}</p>
              <p className="ant-upload-hint">{t('imports.uploadHint')}</p>
            </Upload.Dragger>
            <div>
              <Typography.Title level={5}>{t('imports.recent')}</Typography.Title>
              <RecentJobs onOpen={(j) => (j.commit ? go({ check: null, run: j.id }) : go({ check: j.id, run: null }))} />
            </div>
          </Space>
        ) : null}

        {checkId && !runId ? (
          check.isError ? (
            <ErrorState error={check.error} onRetry={() => check.refetch()} />
          ) : !check.data || isOpen(check.data) ? (
            check.data ? (
              <JobProgress job={check.data} />
            ) : null
          ) : (
            <Space orientation="vertical" size="large" style={{ width: '100%' }} data-testid="import-check">
              <Typography.Text type="secondary">
                {check.data.fileName} · {(check.data.fileSize / 1024).toFixed(0)} KB
              </Typography.Text>
              {check.data.status === 'succeeded' ? (
                <>
                  <Summary job={check.data} />
                  {rejected === 0 ? (
                    <Alert type="success" showIcon title={t('imports.checkClean', { count: check.data.report?.rows ?? 0 })} />
                  ) : (
                    <ErrorTable job={check.data} />
                  )}
                </>
              ) : (
                <Alert
                  type="error"
                  showIcon
                  data-testid="import-failed"
                  title={t(`imports.statusLabel.${check.data.status}`)}
                  description={
                    <Space orientation="vertical">
                      {(check.data.error?.details ?? [])
                        .filter((d) => d.code !== 'sheet_header')
                        .map((d) => (
                          <span key={`${d.path}-${d.code}`} data-code={d.code}>
                            {d.code === 'missing_column'
                              ? t('imports.missingColumn', { column: d.path })
                              : codeText(d.code, d.message ?? check.data?.error?.message ?? d.code)}
                          </span>
                        ))}
                    </Space>
                  }
                />
              )}
              {headers.length ? (
                <Card size="small" title={t('imports.mapping')}>
                  <MappingEditor headers={headers} value={mapping} onChange={setMapping} />
                  <Button
                    style={{ marginTop: 12 }}
                    icon={<ReloadOutlined />}
                    disabled={!mappingValid || (!mappingChanged && check.data.status === 'succeeded') || !check.data.uploadKept}
                    loading={rerun.isPending}
                    onClick={recheck}
                    data-testid="import-recheck"
                  >
                    {t('imports.recheck')}
                  </Button>
                </Card>
              ) : null}
              {check.data.status === 'succeeded' && writable > 0 ? (
                <Card size="small" title={t('imports.step.import')}>
                  <Space orientation="vertical" style={{ width: '100%' }}>
                    <Radio.Group value={mode} onChange={(e) => setMode(e.target.value)} data-testid="import-mode">
                      <Space orientation="vertical">
                        <Radio value="all" disabled={rejected > 0}>
                          {t('imports.modeAll')}
                          <Typography.Text type="secondary"> — {t('imports.modeAllHelp')}</Typography.Text>
                        </Radio>
                        <Radio value="valid">
                          {t('imports.modeValid', { count: writable })}
                          <Typography.Text type="secondary"> — {t('imports.modeValidHelp', { rejected })}</Typography.Text>
                        </Radio>
                      </Space>
                    </Radio.Group>
                    <Space wrap>
                      <Button
                        type="primary"
                        onClick={commit}
                        loading={rerun.isPending}
                        disabled={mappingChanged || (mode === 'all' && rejected > 0) || !check.data.uploadKept}
                        data-testid="import-commit"
                      >
                        {t('imports.commit', { count: writable })}
                      </Button>
                      {mappingChanged ? <Typography.Text type="warning">{t('imports.recheckFirst')}</Typography.Text> : null}
                    </Space>
                  </Space>
                </Card>
              ) : check.data.status === 'succeeded' ? (
                <Alert type="info" showIcon title={t('imports.nothingToWrite')} />
              ) : null}
              {!check.data.uploadKept ? <Alert type="warning" showIcon title={t('imports.uploadGone')} /> : null}
              <Button onClick={restart}>{t('imports.chooseAnother')}</Button>
            </Space>
          )
        ) : null}

        {runId ? (
          run.isError ? (
            <ErrorState error={run.error} onRetry={() => run.refetch()} />
          ) : !run.data || isOpen(run.data) ? (
            run.data ? (
              <JobProgress job={run.data} />
            ) : null
          ) : (
            <Space orientation="vertical" size="large" style={{ width: '100%' }} data-testid="import-result">
              {run.data.status === 'succeeded' && run.data.report?.committed ? (
                <Result
                  status="success"
                  title={t('imports.doneTitle')}
                  subTitle={t('imports.doneLine', {
                    new: run.data.report.summary.new,
                    updated: run.data.report.summary.updated,
                    unchanged: run.data.report.summary.unchanged,
                    rejected: run.data.report.summary.rejected,
                  })}
                  extra={[
                    <Link key="ledger" to="/clients">
                      <Button type="primary">{t('imports.toLedger')}</Button>
                    </Link>,
                    <Button key="again" onClick={restart}>
                      {t('imports.another')}
                    </Button>,
                  ]}
                />
              ) : (
                <Result
                  status="warning"
                  title={run.data.status === 'succeeded' ? t('imports.notKeptTitle') : t(`imports.statusLabel.${run.data.status}`)}
                  subTitle={
                    run.data.status === 'succeeded'
                      ? t('imports.notKeptLine', { rejected: run.data.report?.summary.rejected ?? 0 })
                      : codeText(run.data.error?.code ?? 'import_failed', run.data.error?.message ?? '')
                  }
                  extra={[
                    <Button key="again" onClick={restart}>
                      {t('imports.another')}
                    </Button>,
                  ]}
                />
              )}
              <Summary job={run.data} />
              <ErrorTable job={run.data} />
            </Space>
          )
        ) : null}
      </Card>
    </Space>
  );
}
