// First: it configures zod before any schema is built (see the module).
import './lib/zod-jitless.ts';
import '@mantine/core/styles.css';
import './i18n/index.ts';
import { Badge, createTheme, MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App } from './App.tsx';

const theme = createTheme({
  primaryColor: 'indigo',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", "Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", sans-serif',
  components: {
    // A badge is as wide as its label: Mantine's badge clips its label with an ellipsis when its box is squeezed,
    // and a table's column squeezed it (the security list read UNAUTHORIZED A… and CLOS…, the risk list M… and ON S…).
    // A column that cannot give the width scrolls sideways in its Table.ScrollContainer instead.
    Badge: Badge.extend({ styles: { root: { minWidth: 'max-content' } } }),
  },
});

const queryClient = new QueryClient({ defaultOptions: { queries: { refetchOnWindowFocus: true } } });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme}>
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <App />
        </BrowserRouter>
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
