import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { cookies } from 'next/headers';
import { Providers } from '@/components/providers';
import { THEME_COOKIE } from '@/components/theme-cookie';
import './globals.css';

// Every page is rendered per request: the CSP nonce (proxy.ts) differs per response, and a page
// prerendered at build time would carry none, so its scripts would be blocked. It also keeps
// Next from sending a signed-in page as shared-cacheable (s-maxage).
export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: 'Logpond',
  description: 'Kubernetes logs, searchable, in one small app.',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The theme chosen on the page (components/preferences.ts), from the first paint.
  const theme = (await cookies()).get(THEME_COOKIE)?.value;
  return (
    <html lang="en" data-theme={theme === 'dark' || theme === 'light' ? theme : undefined}>
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
