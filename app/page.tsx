import { StoreStatus } from '@/components/store-status';

export default function HomePage() {
  return (
    <main>
      <h1>Logpond</h1>
      <p className="muted">Kubernetes logs, searchable, in one small app.</p>
      <StoreStatus />
    </main>
  );
}
