import { useEffect } from 'react';
import { Route, Routes, useNavigate } from 'react-router';
import { App as AntApp, ConfigProvider } from 'antd';
import zh_CN from 'antd/locale/zh_CN';
import en_US from 'antd/locale/en_US';
import { useTranslation } from 'react-i18next';
import { setUnauthenticatedHandler } from './api/client';
import { AppLayout } from './components/AppLayout';
import { NotFound } from './components/Results';
import { LoginPage } from './pages/login/LoginPage';
import { HomePage } from './pages/home/HomePage';
import { AuditPage } from './pages/audit/AuditPage';
import { OrgsPage } from './pages/admin/OrgsPage';
import { UsersPage } from './pages/admin/UsersPage';
import { UserDetailPage } from './pages/admin/UserDetailPage';
import { ClientsPage } from './pages/admin/ClientsPage';
import { SHARING_ROUTES } from './pages/sharing/routes';
import { POOL_ROUTES } from './pages/pool/routes';
import { CATALOG_ROUTES } from './pages/catalog/routes';

export function App() {
  const { i18n } = useTranslation();
  const navigate = useNavigate();
  useEffect(
    () => setUnauthenticatedHandler((path) => navigate(path, { replace: true })),
    [navigate],
  );

  return (
    <ConfigProvider
      locale={i18n.language === 'en-US' ? en_US : zh_CN}
      theme={{ token: { colorPrimary: '#1677ff', borderRadius: 6 } }}
    >
      <AntApp component={false}>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route element={<AppLayout />}>
            <Route index element={<HomePage />} />
            <Route path="audit" element={<AuditPage />} />
            <Route path="admin/orgs" element={<OrgsPage />} />
            <Route path="admin/users" element={<UsersPage />} />
            <Route path="admin/users/:id" element={<UserDetailPage />} />
            <Route path="admin/clients" element={<ClientsPage />} />
            {SHARING_ROUTES.map(([path, Page]) => (
              <Route key={path} path={path} element={<Page />} />
            ))}
            {CATALOG_ROUTES.map(([path, Page]) => (
              <Route key={path} path={path} element={<Page />} />
            ))}
            {POOL_ROUTES.map(([path, Page]) => (
              <Route key={path} path={path} element={<Page />} />
            ))}
            <Route path="*" element={<NotFound />} />
          </Route>
        </Routes>
      </AntApp>
    </ConfigProvider>
  );
}
