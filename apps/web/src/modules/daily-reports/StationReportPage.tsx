import { CheckCircleOutlined, FileTextOutlined, ReloadOutlined, SaveOutlined, SendOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { COUNT_FIGURE_LABELS, type DailyFigures, SOLVED_CATEGORY_LABELS } from '@wushe/domain';
import { Alert, App, Button, Card, Col, DatePicker, Descriptions, Form, Input, InputNumber, Row, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api';
import { ErrorState, Loading, useErrorText, useIsMobile, useLabel } from '../../app/ui';
import { HistoryChart } from './HistoryChart';
import { addDays, shanghaiToday, useReportForm, useSeries } from './queries';
import { StatusTag } from './StatusTag';
import type { DailyReport } from './types';

interface FormValues {
  figures: DailyFigures;
  highlights?: string | null;
}

/** 每日一报 of one reporting unit (a station): the day's form with pre-filled figures, submit, and its history. */
export function StationReportPage({ unitId, unitName }: { unitId: string; unitName: string }) {
  const { t } = useTranslation();
  const label = useLabel();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const mobile = useIsMobile();
  const qc = useQueryClient();
  const today = shanghaiToday();
  const [day, setDay] = useState(today);
  const form = useReportForm(unitId, day);
  const history = useSeries({ unitId, from: addDays(today, -29), to: today });
  const [values] = Form.useForm<FormValues>();
  const [busy, setBusy] = useState<'save' | 'submit' | null>(null);
  const data = form.data;
  const report = data?.report ?? null;
  const locked = report?.status === 'submitted';

  useEffect(() => {
    if (!data) return;
    values.setFieldsValue({ figures: data.report?.figures ?? data.prefill, highlights: data.report?.highlights ?? '' });
  }, [data, values]);

  const refresh = async () => {
    await qc.invalidateQueries({ queryKey: ['daily-reports'] });
  };

  /** Creates the draft or saves the changes; returns the saved report. */
  const save = async (): Promise<DailyReport> => {
    const v = await values.validateFields();
    const body = { figures: v.figures, highlights: v.highlights?.trim() ? v.highlights.trim() : null };
    if (!report) return api<DailyReport>('/api/daily-reports', { method: 'POST', body: { unitId, day, ...body } });
    return api<DailyReport>(`/api/daily-reports/${report.id}`, { method: 'PATCH', body: { version: report.version, ...body } });
  };

  const onSave = async () => {
    setBusy('save');
    try {
      await save();
      message.success(t('dailyReports.saved'));
      await refresh();
    } catch (e) {
      if (e instanceof Error && 'errorFields' in e) return;
      message.error(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  const onSubmit = async () => {
    setBusy('submit');
    try {
      const saved = await save();
      await api<DailyReport>(`/api/daily-reports/${saved.id}/submit`, { method: 'POST', body: { version: saved.version } });
      message.success(t('dailyReports.submittedOk'));
      await refresh();
    } catch (e) {
      if (e && typeof e === 'object' && 'errorFields' in e) return;
      message.error(errorText(e));
      await refresh();
    } finally {
      setBusy(null);
    }
  };

  const prefillHint = (value: number | undefined) =>
    data ? <span data-testid="prefill-hint">{t('dailyReports.fromRecords', { n: value ?? 0 })}</span> : null;

  const numberField = (name: (string | number)[], title: string, prefill: number | undefined, testId: string, step = 1) => (
    <Col xs={12} sm={8} lg={6} key={testId}>
      <Form.Item name={name} label={title} extra={prefillHint(prefill)} rules={[{ required: true, message: t('common.required') }]}>
        <InputNumber
          min={0}
          max={step === 1 ? 1_000_000 : 100_000}
          precision={step === 1 ? 0 : 2}
          step={step}
          disabled={locked}
          style={{ width: '100%' }}
          inputMode={step === 1 ? 'numeric' : 'decimal'}
          data-testid={testId}
        />
      </Form.Item>
    </Col>
  );

  return (
    <div data-testid="daily-report-page">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          <FileTextOutlined /> {t('dailyReports.title')}
        </Typography.Title>
        <DatePicker
          value={dayjs(day)}
          allowClear={false}
          disabledDate={(d) => d.format('YYYY-MM-DD') > today}
          onChange={(d) => d && setDay(d.format('YYYY-MM-DD'))}
          data-testid="daily-report-day"
        />
      </Space>
      <Row gutter={[16, 16]}>
        <Col xs={24}>
          <Card
            title={
              <Space wrap>
                <span>{t('dailyReports.formTitle', { unit: unitName, day })}</span>
                <StatusTag status={report?.status ?? null} late={report?.late ?? false} />
              </Space>
            }
            data-testid="daily-report-form"
            data-status={report?.status ?? 'missing'}
          >
            {form.isLoading ? (
              <Loading rows={6} />
            ) : form.isError ? (
              <ErrorState error={form.error} onRetry={() => void form.refetch()} />
            ) : data ? (
              <>
                {report?.status === 'returned' ? (
                  <Alert
                    type="warning"
                    showIcon
                    style={{ marginBottom: 16 }}
                    title={t('dailyReports.returnedBy', { name: report.returnedByName ?? '' })}
                    description={report.returnReason}
                    data-testid="daily-report-return-reason"
                  />
                ) : null}
                {locked ? (
                  <Alert
                    type="success"
                    showIcon
                    icon={<CheckCircleOutlined />}
                    style={{ marginBottom: 16 }}
                    title={t('dailyReports.lockedNote', {
                      name: report?.submittedByName ?? '',
                      at: report?.submittedAt ? dayjs(report.submittedAt).format('MM-DD HH:mm') : '',
                    })}
                    data-testid="daily-report-locked"
                  />
                ) : data.lateIfSubmittedNow ? (
                  <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('dailyReports.lateNote')} />
                ) : null}
                <Form form={values} layout="vertical" disabled={locked} requiredMark={false}>
                  <Typography.Text strong>{t('dailyReports.services')}</Typography.Text>
                  <Row gutter={12} style={{ marginTop: 8 }}>
                    {COUNT_FIGURE_LABELS.map((l) =>
                      numberField(['figures', l.value], label(COUNT_FIGURE_LABELS, l.value), data.prefill[l.value], `figure-${l.value}`),
                    )}
                    {numberField(
                      ['figures', 'volunteerHours'],
                      t('dailyReports.volunteerHours'),
                      data.prefill.volunteerHours,
                      'figure-volunteerHours',
                      0.5,
                    )}
                  </Row>
                  <Typography.Text strong>{t('dailyReports.solvedByCategory')}</Typography.Text>
                  <Row gutter={12} style={{ marginTop: 8 }}>
                    {SOLVED_CATEGORY_LABELS.map((l) =>
                      numberField(
                        ['figures', 'solved', l.value],
                        label(SOLVED_CATEGORY_LABELS, l.value),
                        data.prefill.solved[l.value],
                        `solved-${l.value}`,
                      ),
                    )}
                  </Row>
                  <Form.Item name="highlights" label={t('dailyReports.highlights')}>
                    <Input.TextArea
                      rows={mobile ? 3 : 4}
                      maxLength={4000}
                      showCount
                      placeholder={t('dailyReports.highlightsPlaceholder')}
                      data-testid="daily-report-highlights"
                    />
                  </Form.Item>
                </Form>
                {locked ? null : (
                  <Space wrap style={{ width: '100%', justifyContent: mobile ? 'stretch' : 'flex-end' }}>
                    <Button
                      icon={<ReloadOutlined />}
                      onClick={() => values.setFieldsValue({ figures: data.prefill })}
                      data-testid="daily-report-use-prefill"
                    >
                      {t('dailyReports.usePrefill')}
                    </Button>
                    <Button
                      icon={<SaveOutlined />}
                      onClick={onSave}
                      loading={busy === 'save'}
                      disabled={!!busy}
                      data-testid="daily-report-save"
                    >
                      {t('dailyReports.saveDraft')}
                    </Button>
                    <Button
                      type="primary"
                      icon={<SendOutlined />}
                      onClick={onSubmit}
                      loading={busy === 'submit'}
                      disabled={!!busy}
                      data-testid="daily-report-submit"
                    >
                      {t('dailyReports.submit')}
                    </Button>
                  </Space>
                )}
              </>
            ) : null}
          </Card>
        </Col>
        <Col xs={24}>
          <Card title={t('dailyReports.historyTitle')}>
            {history.data ? (
              <>
                <HistoryChart series={history.data.series} testId="daily-report-history" />
                <Descriptions size="small" column={mobile ? 1 : 3} style={{ marginTop: 12 }}>
                  <Descriptions.Item label={t('dailyReports.completeness')}>
                    {history.data.totals.filed}/{history.data.totals.due}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('dailyReports.lateCount')}>{history.data.totals.late}</Descriptions.Item>
                  <Descriptions.Item label={t('dailyReports.peopleServed')}>{history.data.totals.figures.peopleServed}</Descriptions.Item>
                </Descriptions>
              </>
            ) : history.isError ? (
              <ErrorState error={history.error} compact />
            ) : (
              <Loading rows={4} />
            )}
          </Card>
        </Col>
      </Row>
    </div>
  );
}
