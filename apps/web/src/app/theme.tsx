import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import type { ReactNode } from 'react';
import { ApiError } from './api';
import { AuthProvider } from './auth';
import { useLang } from './ui';

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      // client errors will not get better by asking again
      retry: (count, err) => !(err instanceof ApiError && err.status >= 400 && err.status < 500) && count < 2,
    },
  },
});

/** The one place the console is themed: warm civic orange on stone neutrals. */
export const themeConfig = {
  token: {
    colorPrimary: '#c2410c',
    colorInfo: '#c2410c',
    colorLink: '#b45309',
    borderRadius: 8,
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', 'WenQuanYi Micro Hei', sans-serif",
    colorBgLayout: '#f5f5f4',
  },
  components: {
    Layout: { siderBg: '#1c1917', headerHeight: 60 },
    Menu: { darkItemBg: '#1c1917', darkSubMenuItemBg: '#1c1917', darkItemSelectedBg: '#c2410c' },
  },
};

function Themed({ children }: { children: ReactNode }) {
  const lang = useLang();
  return (
    <ConfigProvider locale={lang === 'en' ? enUS : zhCN} theme={themeConfig} button={{ autoInsertSpace: false }}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

export function AppProviders({ children }: { children: ReactNode }) {
  return (
    <QueryClientProvider client={queryClient}>
      <Themed>
        <AuthProvider>{children}</AuthProvider>
      </Themed>
    </QueryClientProvider>
  );
}
