import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Empty, Form, Input, Popconfirm, Space, Table, Tag } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api';
import { FormModal } from '../../app/FormModal';
import type { UnitDetail, Zone } from '../../app/types';
import { ErrorState, Loading, useErrorText } from '../../app/ui';
import { useRegions, useZones } from './queries';
import { RegionSelect } from './RegionSelect';

interface ZoneForm {
  name: string;
  regionCodes: string[];
}

/** Zones (片区) of a station: each groups some of the station's communities. */
export function ZonesTab({ station, canWrite }: { station: UnitDetail; canWrite: boolean }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const zones = useZones(station.id);
  const communities = useRegions({ parentCode: station.regionCode });
  const names = useMemo(() => new Map((communities.data?.items ?? []).map((r) => [r.code, r.name])), [communities.data]);
  const [editing, setEditing] = useState<Zone | 'new' | null>(null);

  const onSubmit = async (v: ZoneForm) => {
    if (editing === 'new') {
      await api('/api/zones', { method: 'POST', body: { stationId: station.id, name: v.name.trim(), regionCodes: v.regionCodes ?? [] } });
    } else if (editing) {
      await api(`/api/zones/${editing.id}`, {
        method: 'PATCH',
        body: { version: editing.version, name: v.name.trim(), regionCodes: v.regionCodes ?? [] },
      });
    }
    await qc.invalidateQueries({ queryKey: ['zones', station.id] });
    message.success(t('network.zoneSaved'));
    setEditing(null);
  };

  const remove = async (zone: Zone) => {
    try {
      await api(`/api/zones/${zone.id}`, { method: 'DELETE' });
      await qc.invalidateQueries({ queryKey: ['zones', station.id] });
      message.success(t('network.zoneDeleted'));
    } catch (e) {
      message.error(errorText(e));
    }
  };

  if (zones.isLoading) return <Loading rows={3} />;
  if (zones.isError) return <ErrorState compact error={zones.error} onRetry={() => void zones.refetch()} />;

  return (
    <div data-testid="zones-tab">
      {canWrite ? (
        <Button icon={<PlusOutlined />} onClick={() => setEditing('new')} style={{ marginBottom: 12 }} data-testid="zone-create">
          {t('network.newZone')}
        </Button>
      ) : null}
      <Table<Zone>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={zones.data?.items ?? []}
        locale={{ emptyText: <Empty description={t('network.noZones')} /> }}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('network.zoneName'), dataIndex: 'name', width: 120 },
          {
            title: t('network.zoneCommunities'),
            dataIndex: 'regionCodes',
            render: (codes: string[]) => (
              <Space size={[4, 4]} wrap>
                {codes.map((c) => (
                  <Tag key={c}>{names.get(c) ?? c}</Tag>
                ))}
              </Space>
            ),
          },
          ...(canWrite
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 100,
                  render: (_: unknown, z: Zone) => (
                    <Space>
                      <Button
                        size="small"
                        type="text"
                        icon={<EditOutlined />}
                        onClick={() => setEditing(z)}
                        aria-label={t('common.edit')}
                      />
                      <Popconfirm
                        title={t('network.deleteZoneConfirm', { name: z.name })}
                        onConfirm={() => remove(z)}
                        okText={t('common.delete')}
                        cancelText={t('common.cancel')}
                      >
                        <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <FormModal<ZoneForm>
        open={!!editing}
        title={editing === 'new' ? t('network.newZone') : t('network.editZone')}
        initialValues={editing && editing !== 'new' ? { name: editing.name, regionCodes: editing.regionCodes } : { regionCodes: [] }}
        onCancel={() => setEditing(null)}
        onSubmit={onSubmit}
        data-testid="zone-form"
      >
        <Form.Item name="name" label={t('network.zoneName')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
          <Input autoFocus data-testid="zone-name" />
        </Form.Item>
        <Form.Item name="regionCodes" label={t('network.zoneCommunities')}>
          <RegionSelect multiple parentCode={station.regionCode} data-testid="zone-communities" />
        </Form.Item>
      </FormModal>
    </div>
  );
}
