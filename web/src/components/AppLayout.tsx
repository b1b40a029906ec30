/**
 * The signed-in shell: top bar (deployment, organisation, user, language, sign out), side menu by
 * permission.
 */
import { useEffect, useMemo, useState } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { Button, Layout, Menu, Result, Spin, Tooltip, type MenuProps } from 'antd';
import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../api/client';
import { useMe } from '../api/hooks';
import { entryFor, mayOpen, openKeysFor, visibleMenu, type MenuEntry } from './menu';
import { LanguageSwitch } from './LanguageSwitch';
import { Forbidden } from './Results';

const { Header, Sider, Content } = Layout;

export function AppLayout() {
  const { t } = useTranslation();
  const me = useMe();
  const location = useLocation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const perms = me.data?.permissions ?? [];
  // the group of wherever the user goes opens, also when a link on a page took them there
  const [openKeys, setOpenKeys] = useState<string[]>(() => [
    'admin',
    ...openKeysFor(location.pathname),
  ]);
  useEffect(
    () => setOpenKeys((keys) => [...new Set([...keys, ...openKeysFor(location.pathname)])]),
    [location.pathname],
  );

  const items = useMemo<MenuProps['items']>(() => {
    const toItem = (e: MenuEntry): NonNullable<MenuProps['items']>[number] => {
      const Icon = e.icon;
      return {
        key: e.key,
        icon: Icon ? <Icon /> : undefined,
        label: e.path ? <Link to={e.path}>{t(e.label)}</Link> : t(e.label),
        children: e.children?.map(toItem),
      };
    };
    return visibleMenu(perms).map(toItem);
  }, [perms, t]);

  if (me.isPending) return <Spin fullscreen description={t('common.loading')} />;
  if (me.isError) {
    // 401 has already sent the browser to sign-in; anything else is shown.
    if (me.error instanceof ApiError && me.error.status === 401) return <Spin fullscreen />;
    return <Result status="error" title={t('error.load')} subTitle={me.error.message} />;
  }

  const signOut = async () => {
    try {
      await api('/auth/logout', { method: 'POST', noAuthRedirect: true });
    } catch {
      /* the session may already be gone; signing out locally is what matters */
    }
    qc.clear();
    void navigate('/login', { replace: true });
  };

  const { user, organisation, deployment } = me.data;
  const selected = entryFor(location.pathname)?.key;
  return (
    <Layout style={{ minHeight: '100%' }}>
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <Header className="gs-header">
        <Link to="/" className="gs-brand" data-testid="deployment-name">
          <span className="gs-brand-mark" aria-hidden>
            数
          </span>
          {deployment.name}
        </Link>
        <div className="gs-header-spacer" />
        <div className="gs-header-who" data-testid="current-user">
          <strong>
            <UserOutlined aria-hidden /> <span className="gs-sr-only">{t('layout.user')}: </span>
            {user.displayName}
          </strong>
          <span className="gs-sr-only">{t('layout.organisation')}: </span>
          <span data-testid="current-org">{organisation.name}</span>
        </div>
        <LanguageSwitch />
        <Tooltip title={t('layout.signOut')}>
          <Button icon={<LogoutOutlined />} onClick={signOut} data-testid="sign-out">
            {t('layout.signOut')}
          </Button>
        </Tooltip>
      </Header>
      <Layout>
        <Sider width={240} theme="light" style={{ borderRight: '1px solid #f0f0f0' }}>
          <nav aria-label={t('layout.menu')} data-testid="side-menu">
            <Menu
              mode="inline"
              items={items}
              selectedKeys={selected ? [selected] : []}
              openKeys={openKeys}
              onOpenChange={setOpenKeys}
              style={{ borderInlineEnd: 0 }}
            />
          </nav>
        </Sider>
        <Content id="main" className="gs-content" tabIndex={-1}>
          {mayOpen(location.pathname, perms) ? <Outlet /> : <Forbidden />}
        </Content>
      </Layout>
    </Layout>
  );
}
