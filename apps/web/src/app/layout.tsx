import {
  AlertOutlined,
  AuditOutlined,
  CalendarOutlined,
  CameraOutlined,
  CustomerServiceOutlined,
  DeploymentUnitOutlined,
  FileSearchOutlined,
  FileTextOutlined,
  FolderOpenOutlined,
  HeartOutlined,
  HomeOutlined,
  IdcardOutlined,
  KeyOutlined,
  LogoutOutlined,
  MenuOutlined,
  PhoneOutlined,
  PieChartOutlined,
  SettingOutlined,
  ShareAltOutlined,
  ShoppingOutlined,
  SmileOutlined,
  SolutionOutlined,
  TeamOutlined,
  UsergroupAddOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { ROLE_LABELS } from '@wushe/domain';
import type { MenuProps } from 'antd';
import { Avatar, Button, Drawer, Dropdown, Layout, Menu, Segmented, Space, Typography, theme } from 'antd';
import { Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { NotificationBell } from '../modules/notifications/NotificationBell';
import { useAuth } from './auth';
import { setLanguage } from './i18n';
import { Loading, useIsMobile, useLabel, useLang } from './ui';

const { Header, Sider, Content } = Layout;

export function useMenuItems(): NonNullable<MenuProps['items']> {
  const { t } = useTranslation();
  const { can, user } = useAuth();
  const items: NonNullable<MenuProps['items']> = [];
  if (can('network.read'))
    items.push({ key: '/network', icon: <DeploymentUnitOutlined />, label: <span data-testid="nav-network">{t('nav.network')}</span> });
  if (can('coverage.read'))
    items.push({ key: '/coverage', icon: <PieChartOutlined />, label: <span data-testid="nav-coverage">{t('nav.coverage')}</span> });
  if (can('clients.read'))
    items.push(
      { key: '/clients', icon: <SolutionOutlined />, label: <span data-testid="nav-clients">{t('nav.clients')}</span> },
      { key: '/households', icon: <HomeOutlined />, label: <span data-testid="nav-households">{t('nav.households')}</span> },
      {
        key: '/duplicates',
        icon: <UsergroupAddOutlined />,
        label: <span data-testid="nav-duplicates">{t('nav.duplicates')}</span>,
      },
      { key: '/needs', icon: <HeartOutlined />, label: <span data-testid="nav-needs">{t('nav.needs')}</span> },
      { key: '/nominations', icon: <FileSearchOutlined />, label: <span data-testid="nav-nominations">{t('nav.nominations')}</span> },
    );
  if (can('cases.read'))
    items.push(
      { key: '/cases', icon: <FolderOpenOutlined />, label: <span data-testid="nav-cases">{t('cases.nav')}</span> },
      { key: '/case-groups', icon: <TeamOutlined />, label: <span data-testid="nav-case-groups">{t('cases.groups.nav')}</span> },
    );
  if (can('referrals.read'))
    items.push({ key: '/referrals', icon: <ShareAltOutlined />, label: <span data-testid="nav-referrals">{t('referrals.nav')}</span> });
  if (can('visits.read'))
    items.push({ key: '/visits', icon: <AlertOutlined />, label: <span data-testid="nav-visits">{t('nav.visits')}</span> });
  if (can('daily_reports.read'))
    items.push({
      key: '/daily-report',
      icon: <FileTextOutlined />,
      label: <span data-testid="nav-daily-report">{t('dailyReports.nav')}</span>,
    });
  if (can('volunteers.read'))
    items.push(
      { key: '/volunteers', icon: <IdcardOutlined />, label: <span data-testid="nav-volunteers">{t('volunteers.nav')}</span> },
      { key: '/volunteer-teams', icon: <TeamOutlined />, label: <span data-testid="nav-volunteer-teams">{t('volunteers.navTeams')}</span> },
    );
  if (can('activities.read') && user?.role !== 'volunteer')
    items.push({
      key: '/activities',
      icon: <CalendarOutlined />,
      label: <span data-testid="nav-activities">{t('volunteers.navActivities')}</span>,
    });
  if (user?.role === 'volunteer')
    items.push({
      key: '/my/volunteer',
      icon: <SmileOutlined />,
      label: <span data-testid="nav-my-volunteer">{t('volunteers.navMine')}</span>,
    });
  if (can('errands.read'))
    items.push({ key: '/errands', icon: <ShoppingOutlined />, label: <span data-testid="nav-errands">{t('nav.errands')}</span> });
  if (can('problem_reports.write') || can('tickets.read'))
    items.push({
      key: '/problem-reports',
      icon: <CameraOutlined />,
      label: <span data-testid="nav-problem-reports">{t('problemReports.nav')}</span>,
    });
  if (can('tickets.read'))
    items.push(
      { key: '/tickets', icon: <PhoneOutlined />, label: <span data-testid="nav-tickets">{t('tickets.nav')}</span> },
      {
        key: '/hotlines',
        icon: <CustomerServiceOutlined />,
        label: <span data-testid="nav-hotlines">{t('tickets.navHotlines')}</span>,
      },
    );
  if (can('users.read'))
    items.push({ key: '/users', icon: <TeamOutlined />, label: <span data-testid="nav-users">{t('nav.users')}</span> });
  if (can('audit.read'))
    items.push({ key: '/audit', icon: <AuditOutlined />, label: <span data-testid="nav-audit">{t('nav.audit')}</span> });
  if (can('settings.write'))
    items.push({
      key: 'settings',
      icon: <SettingOutlined />,
      label: <span data-testid="nav-settings">{t('nav.settings')}</span>,
      children: [
        { key: '/settings/categories', label: <span data-testid="nav-settings-categories">{t('nav.categories')}</span> },
        { key: '/settings/cases', label: <span data-testid="nav-settings-cases">{t('cases.settings.nav')}</span> },
        {
          key: '/settings/daily-reports',
          label: <span data-testid="nav-settings-daily-reports">{t('dailyReports.navSettings')}</span>,
        },
      ],
    });
  return items;
}

export function LanguageSwitch({ size }: { size?: 'small' | 'middle' }) {
  const lang = useLang();
  return (
    <Segmented
      size={size}
      value={lang}
      onChange={(v) => setLanguage(v as 'zh' | 'en')}
      options={[
        { value: 'zh', label: <span data-testid="lang-zh">中文</span> },
        { value: 'en', label: <span data-testid="lang-en">English</span> },
      ]}
      data-testid="lang-switch"
    />
  );
}

function Brand({ collapsed }: { collapsed?: boolean }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  return (
    <div style={{ display: 'flex', alignItems: 'center', gap: 10, padding: '16px 20px', color: '#fff' }}>
      <div
        style={{
          width: 32,
          height: 32,
          borderRadius: 8,
          background: token.colorPrimary,
          display: 'grid',
          placeItems: 'center',
          fontWeight: 700,
          flex: 'none',
        }}
      >
        五
      </div>
      {collapsed ? null : (
        <div style={{ lineHeight: 1.2 }}>
          <div style={{ fontWeight: 600, fontSize: 15 }}>{t('app.name')}</div>
          <div style={{ fontSize: 12, opacity: 0.65 }}>{t('app.tagline')}</div>
        </div>
      )}
    </div>
  );
}

export function AppLayout() {
  const { t } = useTranslation();
  const { user, logout } = useAuth();
  const label = useLabel();
  const mobile = useIsMobile();
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [collapsed, setCollapsed] = useState(false);
  const navigate = useNavigate();
  const location = useLocation();
  const items = useMenuItems();
  const { token } = theme.useToken();
  const top = location.pathname.split('/')[1] ?? '';
  // Items of a submenu (系统设置 → 对象类别) are keyed by their whole path, the others by their first segment.
  const selected = top === 'settings' ? location.pathname.split('/').slice(0, 3).join('/') : `/${top}`;

  const onMenu: MenuProps['onClick'] = ({ key }) => {
    setDrawerOpen(false);
    navigate(key);
  };

  const signOut = async () => {
    await logout();
    navigate('/login', { replace: true });
  };

  const roleLabel = user ? label(ROLE_LABELS, user.role) : '';
  const userMenu: MenuProps = {
    items: [
      { key: 'who', disabled: true, label: <span>{[roleLabel, user?.unit?.name].filter(Boolean).join(' · ')}</span> },
      { type: 'divider' },
      { key: 'password', icon: <KeyOutlined />, label: <span data-testid="menu-change-password">{t('auth.changePassword')}</span> },
      { key: 'logout', icon: <LogoutOutlined />, label: <span data-testid="menu-logout">{t('auth.signOut')}</span> },
    ],
    onClick: ({ key }) => {
      if (key === 'password') navigate('/change-password');
      if (key === 'logout') void signOut();
    },
  };

  const menu = (
    <Menu
      theme="dark"
      mode="inline"
      selectedKeys={[selected]}
      defaultOpenKeys={top === 'settings' ? ['settings'] : []}
      items={items}
      onClick={onMenu}
      data-testid="side-menu"
    />
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {mobile ? (
        <Drawer
          placement="left"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          size={260}
          styles={{ body: { padding: 0, background: '#1c1917' }, header: { display: 'none' } }}
          data-testid="nav-drawer"
        >
          <Brand />
          {menu}
        </Drawer>
      ) : (
        <Sider
          width={228}
          breakpoint="lg"
          collapsedWidth={72}
          collapsed={collapsed}
          onBreakpoint={setCollapsed}
          style={{ background: '#1c1917' }}
          theme="dark"
        >
          <Brand collapsed={collapsed} />
          {menu}
        </Sider>
      )}
      <Layout>
        <Header
          style={{
            background: token.colorBgContainer,
            padding: mobile ? '0 12px' : '0 24px',
            display: 'flex',
            alignItems: 'center',
            gap: 12,
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
            position: 'sticky',
            top: 0,
            zIndex: 10,
          }}
          data-testid="app-header"
        >
          {mobile ? (
            <Button
              type="text"
              icon={<MenuOutlined />}
              onClick={() => setDrawerOpen(true)}
              aria-label={t('nav.openMenu')}
              data-testid="nav-toggle"
            />
          ) : null}
          {mobile ? (
            <Typography.Text strong ellipsis style={{ minWidth: 0 }}>
              {t('app.name')}
            </Typography.Text>
          ) : null}
          <div style={{ flex: 1 }} />
          <LanguageSwitch size={mobile ? 'small' : 'middle'} />
          <NotificationBell />
          <Dropdown menu={userMenu} trigger={['click']} placement="bottomRight">
            <Button type="text" style={{ height: 'auto', padding: '4px 8px' }} data-testid="user-menu">
              <Space size={8}>
                <Avatar size="small" icon={<UserOutlined />} style={{ background: token.colorPrimary }} />
                {mobile ? null : (
                  <span style={{ display: 'inline-flex', flexDirection: 'column', alignItems: 'flex-start', lineHeight: 1.25 }}>
                    <span data-testid="user-display-name">{user?.displayName}</span>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="user-role-unit">
                      {[roleLabel, user?.unit?.name].filter(Boolean).join(' · ')}
                    </Typography.Text>
                  </span>
                )}
              </Space>
            </Button>
          </Dropdown>
        </Header>
        <Content style={{ padding: mobile ? 12 : 24, minWidth: 0 }}>
          <Suspense fallback={<Loading rows={8} />}>
            <Outlet />
          </Suspense>
        </Content>
      </Layout>
    </Layout>
  );
}
