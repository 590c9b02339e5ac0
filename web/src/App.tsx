import { useEffect } from 'react';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter } from 'react-router';
import { useTranslation } from 'react-i18next';
import { AuthProvider } from './auth/AuthContext';
import { reportError, setNotifier } from './api/errors';
import { ApiError } from './api/request';
import ErrorBoundary from './components/ErrorBoundary';
import i18n from './i18n';
import type { Entity } from './api/types';
import { entityLabeler } from './services/entity';
import AppRoutes from './routes';

const queryClient = new QueryClient({
  queryCache: new QueryCache({
    onError: (error, query) => {
      // A page may handle some statuses itself (a 404 customer page, say).
      const quiet = query.meta?.quietStatuses;
      if (error instanceof ApiError && Array.isArray(quiet) && quiet.includes(error.status)) return;
      // Queries are mostly about customers (the list's filters): their fields are named by the form's labels.
      reportError(error, undefined, entityLabeler(queryClient.getQueryData<Entity>(['entity', 'customer']), i18n.language));
    },
  }),
  defaultOptions: {
    queries: {
      retry: (count, error) => !(error instanceof ApiError && error.status > 0 && error.status < 500) && count < 1,
      refetchOnWindowFocus: false,
      staleTime: 10_000,
    },
  },
});

function NotifierBridge() {
  const { notification } = AntApp.useApp();
  useEffect(() => {
    setNotifier(notification);
    return () => setNotifier(null);
  }, [notification]);
  return null;
}

export default function App() {
  const { i18n } = useTranslation();
  const lang = i18n.language;
  useEffect(() => {
    dayjs.locale(lang === 'en-US' ? 'en' : 'zh-cn');
  }, [lang]);
  return (
    <ConfigProvider locale={lang === 'en-US' ? enUS : zhCN} button={{ autoInsertSpace: false }} theme={{ token: { colorPrimary: '#1677ff', borderRadius: 4 } }}>
      <AntApp>
        <NotifierBridge />
        <ErrorBoundary>
          <QueryClientProvider client={queryClient}>
            <BrowserRouter>
              <AuthProvider>
                <AppRoutes />
              </AuthProvider>
            </BrowserRouter>
          </QueryClientProvider>
        </ErrorBoundary>
      </AntApp>
    </ConfigProvider>
  );
}
