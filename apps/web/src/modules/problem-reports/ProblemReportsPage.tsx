import { CameraOutlined, PictureOutlined } from '@ant-design/icons';
import { PROBLEM_REPORT_LIMITS, TICKET_CATEGORY_LABELS, type TicketCategory } from '@wushe/domain';
import { App, Button, Card, Empty, Form, Image, Input, List, Select, Space, Tabs, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useAuth } from '../../app/auth';
import { FormModal } from '../../app/FormModal';
import { useUrlSearch } from '../../app/hooks';
import { ErrorState, LoadMoreFooter, useIsMobile, useLabel } from '../../app/ui';
import { AreaSelect } from '../tickets/AreaSelect';
import { StatusTag } from '../tickets/TicketParts';
import { type NewReport, type ProblemReport, photoUrl, useProblemReports, useReportProblem } from './queries';

const PHOTO_ACCEPT = 'image/jpeg,image/png,image/webp,image/heic,.heic';

/** The photo picker of the report form: the phone's camera or a picture, checked for size, shown small. */
function PhotoPicker({ value, onChange }: { value: File | null; onChange: (f: File | null) => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const preview = useMemo(() => (value ? URL.createObjectURL(value) : null), [value]);
  useEffect(() => () => (preview ? URL.revokeObjectURL(preview) : undefined), [preview]);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Button icon={<CameraOutlined />} onClick={() => document.getElementById('problem-photo-input')?.click()}>
          {value ? t('problemReports.photoChange') : t('problemReports.photoTake')}
        </Button>
        {value ? (
          <Button type="link" onClick={() => onChange(null)} data-testid="problem-photo-remove">
            {t('problemReports.photoRemove')}
          </Button>
        ) : null}
      </Space>
      <input
        id="problem-photo-input"
        type="file"
        accept={PHOTO_ACCEPT}
        capture="environment"
        style={{ display: 'none' }}
        data-testid="problem-photo-input"
        onChange={(e) => {
          const file = e.target.files?.[0] ?? null;
          e.target.value = '';
          if (file && file.size > PROBLEM_REPORT_LIMITS.photoMaxBytes) {
            setError(t('problemReports.photoTooLarge', { mb: PROBLEM_REPORT_LIMITS.photoMaxBytes / 1024 / 1024 }));
            return;
          }
          setError(null);
          onChange(file);
        }}
      />
      {error ? <Typography.Text type="danger">{error}</Typography.Text> : null}
      {preview ? (
        <img
          src={preview}
          alt={t('problemReports.photo')}
          style={{ maxWidth: 200, maxHeight: 150, borderRadius: 6 }}
          data-testid="problem-photo-preview"
        />
      ) : null}
    </Space>
  );
}

/** One report in a list: what, where, when, by whom, and what became of it. */
function ReportItem({ r, staff }: { r: ProblemReport; staff: boolean }) {
  const { t } = useTranslation();
  const label = useLabel();
  return (
    <List.Item data-testid="problem-report-row" data-report-id={r.id} style={{ display: 'block' }}>
      <Space align="start" style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Space direction="vertical" size={2} style={{ minWidth: 0, flex: 1 }}>
          <Space wrap size={4}>
            <Tag>{label(TICKET_CATEGORY_LABELS, r.category)}</Tag>
            {r.ticket ? <StatusTag status={r.ticket.status} /> : null}
            <Typography.Text strong>{r.place}</Typography.Text>
          </Space>
          <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
            {r.description}
          </Typography.Paragraph>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {[dayjs(r.createdAt).format('YYYY-MM-DD HH:mm'), staff ? r.reporterName : r.unitName].filter(Boolean).join(' · ')}
          </Typography.Text>
          {r.ticket ? (
            staff ? (
              <Link to={`/tickets/${r.ticket.id}`} data-testid="problem-report-ticket">
                {t('problemReports.ticket', { code: r.ticket.code })}
              </Link>
            ) : (
              <Typography.Text type="secondary" data-testid="problem-report-ticket">
                {t('problemReports.ticket', { code: r.ticket.code })}
              </Typography.Text>
            )
          ) : null}
        </Space>
        {r.photo ? (
          <Image
            src={photoUrl(r.id)}
            width={96}
            height={72}
            style={{ objectFit: 'cover', borderRadius: 6 }}
            alt={t('problemReports.photo')}
            preview={{ mask: <PictureOutlined /> }}
            data-testid="problem-report-photo"
          />
        ) : null}
      </Space>
    </List.Item>
  );
}

function ReportList({ scope, staff, category, q }: { scope: 'mine' | 'all'; staff: boolean; category?: string; q?: string }) {
  const { t } = useTranslation();
  const list = useProblemReports(scope, { category, q });
  const items = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  if (list.error && !list.data) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />;
  return (
    <List<ProblemReport>
      loading={list.isFetching && !list.isFetchingNextPage}
      dataSource={items}
      locale={{ emptyText: <Empty description={scope === 'mine' ? t('problemReports.emptyMine') : t('problemReports.empty')} /> }}
      renderItem={(r) => <ReportItem r={r} staff={staff} />}
      data-testid={`problem-reports-${scope}`}
      footer={
        <LoadMoreFooter
          pages={list}
          shown={items.length}
          total={list.data?.pages[0]?.total}
          totalTestId={`problem-reports-${scope}-total`}
          moreTestId={`problem-reports-${scope}-more`}
        />
      }
    />
  );
}

/** 随手拍: report a problem with a photo (it becomes a ticket); staff also see their part of the network's reports. */
export default function ProblemReportsPage() {
  const { t } = useTranslation();
  const label = useLabel();
  const mobile = useIsMobile();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const canReport = can('problem_reports.write');
  const staff = can('tickets.read');
  const tab = params.get('tab') === 'mine' || !staff ? 'mine' : 'all';
  const category = params.get('category') ?? undefined;
  const setParam = (key: string, value: string | undefined) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  const { search, setSearch } = useUrlSearch(params.get('q') ?? '', (q) => setParam('q', q || undefined));
  const [open, setOpen] = useState(false);
  const [photo, setPhoto] = useState<File | null>(null);
  const report = useReportProblem();

  const submit = async (v: NewReport) => {
    const saved = await report.mutateAsync({ ...v, photo });
    setOpen(false);
    setPhoto(null);
    message.success(t('problemReports.sent', { code: saved.ticket?.code ?? '', unit: saved.unitName ?? '' }));
    if (staff) setParam('tab', 'mine');
  };

  const filters = staff ? (
    <Space wrap style={{ marginBottom: 12 }}>
      <Select
        allowClear
        placeholder={t('problemReports.category')}
        value={category}
        onChange={(v) => setParam('category', v)}
        style={{ width: 140 }}
        options={TICKET_CATEGORY_LABELS.map((c) => ({ value: c.value, label: label(TICKET_CATEGORY_LABELS, c.value) }))}
        data-testid="problem-reports-filter-category"
      />
      <Input.Search
        allowClear
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        placeholder={t('problemReports.searchPlaceholder')}
        style={{ width: mobile ? '100%' : 260 }}
        data-testid="problem-reports-search"
      />
    </Space>
  ) : null;

  return (
    <div data-testid="problem-reports-page">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          <CameraOutlined /> {t('problemReports.title')}
        </Typography.Title>
        {canReport ? (
          <Button type="primary" icon={<CameraOutlined />} onClick={() => setOpen(true)} data-testid="problem-report-new">
            {t('problemReports.new')}
          </Button>
        ) : null}
      </Space>
      <Typography.Paragraph type="secondary">{t('problemReports.intro')}</Typography.Paragraph>
      <Card styles={{ body: { padding: mobile ? 12 : undefined } }}>
        {staff ? (
          <Tabs
            activeKey={tab}
            onChange={(k) => setParam('tab', k === 'all' ? undefined : k)}
            items={[
              {
                key: 'all',
                label: <span data-testid="problem-reports-tab-all">{t('problemReports.tabAll')}</span>,
                children: (
                  <>
                    {filters}
                    <ReportList scope="all" staff category={category} q={params.get('q') ?? undefined} />
                  </>
                ),
              },
              ...(canReport
                ? [
                    {
                      key: 'mine',
                      label: <span data-testid="problem-reports-tab-mine">{t('problemReports.tabMine')}</span>,
                      children: <ReportList scope="mine" staff={false} />,
                    },
                  ]
                : []),
            ]}
          />
        ) : (
          <ReportList scope="mine" staff={false} />
        )}
      </Card>
      <FormModal<NewReport>
        open={open}
        title={t('problemReports.new')}
        onCancel={() => {
          setOpen(false);
          setPhoto(null);
        }}
        onSubmit={submit}
        okText={t('problemReports.send')}
        initialValues={{ category: 'other' as TicketCategory }}
        data-testid="problem-report-form"
      >
        <Form.Item label={t('problemReports.photo')}>
          <PhotoPicker value={photo} onChange={setPhoto} />
        </Form.Item>
        <Form.Item name="category" label={t('problemReports.category')} rules={[{ required: true }]}>
          <Select
            options={TICKET_CATEGORY_LABELS.map((c) => ({ value: c.value, label: label(TICKET_CATEGORY_LABELS, c.value) }))}
            data-testid="problem-report-category"
          />
        </Form.Item>
        <Form.Item
          name="description"
          label={t('problemReports.description')}
          rules={[{ required: true, min: 2, max: PROBLEM_REPORT_LIMITS.descriptionMax, message: t('problemReports.descriptionRule') }]}
        >
          <Input.TextArea rows={3} placeholder={t('problemReports.descriptionPlaceholder')} data-testid="problem-report-description" />
        </Form.Item>
        <Form.Item
          name="place"
          label={t('problemReports.place')}
          rules={[{ required: true, min: 2, max: PROBLEM_REPORT_LIMITS.placeMax, message: t('problemReports.placeRule') }]}
        >
          <Input placeholder={t('problemReports.placePlaceholder')} data-testid="problem-report-place" />
        </Form.Item>
        <Form.Item name="regionCode" label={t('problemReports.community')} extra={t('problemReports.communityHelp')}>
          <AreaSelect data-testid="problem-report-area" />
        </Form.Item>
      </FormModal>
    </div>
  );
}
