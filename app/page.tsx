import { Suspense } from 'react';
import { Discover } from '@/components/discover';

export default function HomePage() {
  // useSearchParams needs a Suspense boundary; the fallback is what a slow first paint shows.
  return (
    <Suspense fallback={<div className="discover muted">Loading Logpond…</div>}>
      <Discover />
    </Suspense>
  );
}
