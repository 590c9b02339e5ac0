import { useMemo, useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { Avatar, Button, Dropdown, Layout, Menu, Segmented, Space, Typography } from 'antd';
import type { MenuProps } from 'antd';
import { KeyOutlined, LogoutOutlined, MenuFoldOutlined, MenuUnfoldOutlined, UserOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../auth/AuthContext';
import { isLanguage } from '../i18n';
import { reportError } from '../api/errors';
import { getTodoCounts } from '../pages/todos/service';
import BusinessDateText from './components/BusinessDateText';
import LiveUpdates from './components/LiveUpdates';
import NotificationBell from './components/NotificationBell';
import TodoBadge from './components/TodoBadge';
import { visibleMenu } from './menu';

const { Header, Sider, Content } = Layout;

export default function BasicLayout() {
  const { t } = useTranslation();
  const { session, user, can, logout, setLanguage } = useAuth();
  // Until a required password change is done the server answers nothing else (403): the top bar's
  // counts, business date and live stream wait for it.
  const working = session ? !session.must_change_password : false;
  const navigate = useNavigate();
  const location = useLocation();
  const [collapsed, setCollapsed] = useState(false);
  const { i18n } = useTranslation();
  // Kept current by the live stream (LiveUpdates), not by polling.
  const counts = useQuery({ queryKey: ['todo-counts'], queryFn: getTodoCounts, staleTime: 300_000, meta: { quietStatuses: [404] }, enabled: working });

  const groups = visibleMenu(can);
  const items: MenuProps['items'] = useMemo(
    () =>
      groups.map((g) => ({
        type: 'group' as const,
        key: g.key,
        label: collapsed ? null : t(g.labelKey),
        children: g.items.map((i) => ({ key: i.path, icon: i.icon, label: t(i.labelKey) })),
      })),
    [groups, t, collapsed],
  );
  const allPaths = groups.flatMap((g) => g.items.map((i) => i.path));
  const selected = allPaths.filter((p) => location.pathname === p || location.pathname.startsWith(`${p}/`));

  const userMenu: MenuProps['items'] = [
    { key: 'password', icon: <KeyOutlined />, label: t('layout.changePassword') },
    { type: 'divider' },
    { key: 'logout', icon: <LogoutOutlined />, label: t('layout.logout') },
  ];

  const onUserMenu: MenuProps['onClick'] = ({ key }) => {
    if (key === 'password') navigate('/account/password');
    if (key === 'logout') {
      void logout().then(() => navigate('/login', { replace: true }));
    }
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {working && <LiveUpdates />}
      <Sider
        collapsible
        collapsed={collapsed}
        trigger={null}
        width={208}
        theme="dark"
        breakpoint="lg"
        onBreakpoint={(broken) => setCollapsed(broken)}
      >
        <div
          style={{ height: 56, display: 'flex', alignItems: 'center', justifyContent: 'center', color: '#fff', fontWeight: 600, fontSize: collapsed ? 14 : 18 }}
        >
          {collapsed ? 'OC' : t('app.short')}
        </div>
        <nav aria-label={t('layout.mainMenu')}>
          <Menu
            theme="dark"
            mode="inline"
            selectedKeys={selected}
            items={items}
            onClick={({ key }) => navigate(key)}
          />
        </nav>
      </Sider>
      <Layout>
        <Header
          style={{ background: '#fff', padding: '0 16px', display: 'flex', alignItems: 'center', justifyContent: 'space-between', borderBottom: '1px solid #f0f0f0', height: 56, lineHeight: '56px' }}
        >
          <Button
            type="text"
            aria-label={collapsed ? t('layout.expandMenu') : t('layout.collapseMenu')}
            icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
            onClick={() => setCollapsed(!collapsed)}
          />
          <Space size="middle">
            {working && (
              <>
                <BusinessDateText />
                <TodoBadge counts={counts.data} />
                <NotificationBell unread={counts.data?.unread_notifications ?? 0} />
              </>
            )}
            <Segmented
              size="small"
              aria-label={t('layout.language')}
              value={i18n.language}
              options={[
                { label: '中文', value: 'zh-CN' },
                { label: 'English', value: 'en-US' },
              ]}
              onChange={(v) => {
                if (isLanguage(v)) setLanguage(v).catch((e: unknown) => reportError(e));
              }}
            />
            <Dropdown menu={{ items: userMenu, onClick: onUserMenu }} trigger={['click']}>
              <Button type="text" data-testid="user-menu" aria-label={t('layout.userMenu')}>
                <Space>
                  <Avatar size="small" icon={<UserOutlined />} />
                  <Typography.Text>{user?.display_name ?? user?.username}</Typography.Text>
                </Space>
              </Button>
            </Dropdown>
          </Space>
        </Header>
        <Content style={{ margin: 16 }}>
          <main>
            <Outlet />
          </main>
        </Content>
      </Layout>
    </Layout>
  );
}
