import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { ApiError, isPending } from './shared/api/client.ts';
import './app/styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 5 * 60_000,
      refetchOnWindowFocus: false,
      // Refusals and bad requests will not change by asking again; a forecast being computed (202)
      // will, after Retry-After, for up to ten minutes.
      retry: (count, error) =>
        isPending(error)
          ? count < 120
          : !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
      retryDelay: (count, error) =>
        isPending(error) ? (error.retryAfter ?? 5) * 1000 : Math.min(1000 * 2 ** count, 30_000),
    },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
