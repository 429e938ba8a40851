import { Suspense } from 'react';
import { AfterHydration } from '@/components/after-hydration';
import { Discover } from '@/components/discover';

export default function HomePage() {
  // useSearchParams needs a Suspense boundary; the fallback is what a slow first paint shows.
  const loading = <div className="discover muted">Loading Logpond…</div>;
  return (
    <AfterHydration fallback={loading}>
      <Suspense fallback={loading}>
        <Discover />
      </Suspense>
    </AfterHydration>
  );
}
