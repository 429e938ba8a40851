import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { Providers } from '@/components/providers';
import './globals.css';

// Every page is rendered per request: the CSP nonce (proxy.ts) differs per response, and a page
// prerendered at build time would carry none, so its scripts would be blocked. It also keeps
// Next from sending a signed-in page as shared-cacheable (s-maxage).
export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: 'Logpond',
  description: 'Kubernetes logs, searchable, in one small app.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
