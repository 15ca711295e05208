import { ApartmentOutlined, PlusOutlined, SearchOutlined, UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { UNIT_KIND_LABELS, type UnitStatus } from '@wushe/domain';
import type { TreeDataNode } from 'antd';
import { AutoComplete, Button, Card, Col, Empty, Input, Row, Space, Tag, Tree, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useAuth } from '../../app/auth';
import { useDebounced } from '../../app/hooks';
import type { Unit, UnitDetail } from '../../app/types';
import { ErrorState, Loading, useIsMobile, useLabel } from '../../app/ui';
import { ImportModal } from './ImportModal';
import { loadChildren, ROOT, useUnit, useUnitSearch } from './queries';
import { UnitFormDrawer, type UnitFormMode } from './UnitForm';
import { STATUS_COLOR, UnitPanel } from './UnitPanel';

type ChildrenMap = Record<string, Unit[]>;

export default function NetworkPage() {
  const { t } = useTranslation();
  const label = useLabel();
  const { can, user } = useAuth();
  const qc = useQueryClient();
  const mobile = useIsMobile();
  const [params, setParams] = useSearchParams();
  const selectedId = params.get('unit');
  const [children, setChildren] = useState<ChildrenMap>({});
  const [expanded, setExpanded] = useState<string[]>([]);
  const [rootError, setRootError] = useState<unknown>(null);
  const [rootLoading, setRootLoading] = useState(true);
  const [revealId, setRevealId] = useState<string | null>(selectedId);
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 250);
  const results = useUnitSearch(q);
  const [formTarget, setFormTarget] = useState<UnitFormMode | null>(null);
  const [importOpen, setImportOpen] = useState(false);
  const panelRef = useRef<HTMLDivElement>(null);
  const canWrite = can('network.write');

  const select = useCallback(
    (id: string | null, opts: { reveal?: boolean; scroll?: boolean } = {}) => {
      setParams(id ? { unit: id } : {}, { replace: false });
      if (opts.reveal && id) setRevealId(id);
      if (opts.scroll && mobile) setTimeout(() => panelRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' }), 50);
    },
    [setParams, mobile],
  );

  const load = useCallback(
    async (parentId: string, fresh = false) => {
      const list = await loadChildren(qc, parentId, fresh);
      setChildren((m) => ({ ...m, [parentId]: list }));
      return list;
    },
    [qc],
  );

  const loadRoots = useCallback(async () => {
    setRootLoading(true);
    setRootError(null);
    try {
      const roots = await load(ROOT);
      if (roots.length === 1) {
        setExpanded((e) => (e.includes(roots[0].id) ? e : [...e, roots[0].id]));
        await load(roots[0].id);
      }
      if (!params.get('unit') && roots[0]) select(roots[0].id);
    } catch (e) {
      setRootError(e);
    } finally {
      setRootLoading(false);
    }
  }, [load, params, select]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: load the roots once per mount
  useEffect(() => {
    void loadRoots();
  }, []);

  // reveal a unit chosen from the search box or the address bar: expand its ancestors
  const revealDetail = useUnit(revealId);
  useEffect(() => {
    const d = revealDetail.data;
    if (!d || d.id !== revealId) return;
    let cancelled = false;
    void (async () => {
      const keys: string[] = [];
      for (const a of d.ancestors) {
        try {
          await load(a.id);
          keys.push(a.id);
        } catch {
          // an ancestor above the user's scope is not in the tree: skip it
        }
      }
      if (!cancelled) {
        setExpanded((e) => [...new Set([...e, ...keys])]);
        setRevealId(null);
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [revealDetail.data, revealId, load]);

  const refreshLoaded = useCallback(async () => {
    await Promise.all(Object.keys(children).map((k) => load(k, true).catch(() => undefined)));
  }, [children, load]);

  const onSaved = async (unit: UnitDetail) => {
    setFormTarget(null);
    await refreshLoaded();
    if (unit.parentId) {
      await load(unit.parentId, true).catch(() => undefined);
      setExpanded((e) => (unit.parentId && !e.includes(unit.parentId) ? [...e, unit.parentId] : e));
    }
    select(unit.id);
  };

  const onDeleted = async (unit: UnitDetail) => {
    await refreshLoaded();
    select(unit.parentId ?? null);
  };

  const treeData = useMemo(() => {
    const build = (parentId: string): TreeDataNode[] =>
      (children[parentId] ?? []).map((u) => ({
        key: u.id,
        isLeaf: u.childCount === 0,
        title: (
          <span data-testid="tree-node" data-unit-id={u.id} data-unit-name={u.name} style={{ whiteSpace: 'nowrap' }}>
            {u.name}
            <Tag style={{ marginInlineStart: 6, fontSize: 11, lineHeight: '16px' }} variant="filled">
              {label(UNIT_KIND_LABELS, u.kind)}
            </Tag>
            {u.status !== 'operating' ? (
              <Tag color={STATUS_COLOR[u.status as UnitStatus]} style={{ fontSize: 11, lineHeight: '16px' }}>
                {t(`network.statusShort.${u.status}`)}
              </Tag>
            ) : null}
            {u.childCount > 0 ? (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                ({u.childCount})
              </Typography.Text>
            ) : null}
          </span>
        ),
        children: children[u.id] ? build(u.id) : undefined,
      }));
    return build(ROOT);
  }, [children, label, t]);

  const searchOptions = (results.data?.items ?? []).map((u) => ({
    value: u.id,
    label: (
      <div data-testid="unit-search-option" data-unit-name={u.name}>
        <div>{u.name}</div>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {label(UNIT_KIND_LABELS, u.kind)} · {u.regionName}
        </Typography.Text>
      </div>
    ),
  }));

  const roots = children[ROOT];

  return (
    <div data-testid="network-page">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>
          <ApartmentOutlined /> {t('network.title')}
        </Typography.Title>
        <Space wrap>
          {can('network.import') ? (
            <Button icon={<UploadOutlined />} onClick={() => setImportOpen(true)} data-testid="import-open">
              {t('network.import')}
            </Button>
          ) : null}
          {canWrite && user && !user.unit ? (
            <Button icon={<PlusOutlined />} onClick={() => setFormTarget({ mode: 'create', parent: null })} data-testid="unit-add-root">
              {t('network.addUnit')}
            </Button>
          ) : null}
        </Space>
      </Space>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={9} xl={8}>
          <Card size="small" styles={{ body: { padding: 12 } }}>
            <AutoComplete
              value={search}
              options={searchOptions}
              onSearch={setSearch}
              onChange={(v) => setSearch(typeof v === 'string' ? v : '')}
              onSelect={(id: string) => {
                setSearch('');
                select(id, { reveal: true, scroll: true });
              }}
              style={{ width: '100%', marginBottom: 12 }}
              notFoundContent={q ? (results.isFetching ? t('common.loading') : t('network.searchNone')) : null}
            >
              <Input prefix={<SearchOutlined />} placeholder={t('network.searchPlaceholder')} allowClear data-testid="unit-search" />
            </AutoComplete>
            {rootLoading && !roots ? (
              <Loading rows={6} />
            ) : rootError ? (
              <ErrorState compact error={rootError} onRetry={() => void loadRoots()} />
            ) : !roots?.length ? (
              <Empty description={t('network.empty')} />
            ) : (
              <div style={{ maxHeight: mobile ? 360 : 'calc(100vh - 240px)', overflow: 'auto' }} data-testid="unit-tree">
                <Tree
                  showLine
                  blockNode
                  treeData={treeData}
                  expandedKeys={expanded}
                  onExpand={(keys) => setExpanded(keys.map(String))}
                  loadData={async (node) => {
                    await load(String(node.key));
                  }}
                  loadedKeys={Object.keys(children).filter((k) => k !== ROOT)}
                  selectedKeys={selectedId ? [selectedId] : []}
                  onSelect={(keys) => {
                    if (keys[0]) select(String(keys[0]), { scroll: true });
                  }}
                />
              </div>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={15} xl={16}>
          <div ref={panelRef} style={{ scrollMarginTop: 72 }}>
            {selectedId ? (
              <UnitPanel
                unitId={selectedId}
                canWrite={canWrite}
                onSelect={(id) => select(id, { reveal: true })}
                onEdit={(unit) => setFormTarget({ mode: 'edit', unit })}
                onAddChild={(unit) => setFormTarget({ mode: 'create', parent: unit })}
                onDeleted={(unit) => void onDeleted(unit)}
              />
            ) : (
              <Card>
                <Empty description={t('network.pickUnit')} />
              </Card>
            )}
          </div>
        </Col>
      </Row>
      <UnitFormDrawer target={formTarget} onClose={() => setFormTarget(null)} onSaved={(u) => void onSaved(u)} />
      <ImportModal open={importOpen} onClose={() => setImportOpen(false)} />
    </div>
  );
}
