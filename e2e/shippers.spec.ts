// Lines a shipper pushed (Loki push from Alloy or Vector, OTLP from the OpenTelemetry Collector)
// are found on the page like a collector's: by their words, and by a click on their pod; the
// header counts the shippers apart from Logpond's collectors.
import { expect, test } from '@playwright/test';
import { DiscoverPage } from './pages/discover-page';
import { marker, serverUrl } from './seed';

async function post(path: string, body: unknown, headers: Record<string, string>): Promise<void> {
  const response = await fetch(`${serverUrl()}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
}

test('lines pushed over Loki and OTLP are searched and filtered by pod like a collector\'s', async ({ page }) => {
  const m = marker();
  const ns = `${Date.now() - 2000}000000`;
  await post('/loki/api/v1/push', { streams: [{ stream: { namespace: 'shop', pod: `web-${m}`, container: 'nginx' }, values: [[ns, `GET /cart 200 ${m}`]] }] }, { 'user-agent': 'Vector/0.44.0' });
  await post(
    '/v1/logs',
    {
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'k8s.namespace.name', value: { stringValue: 'shop' } }, { key: 'k8s.pod.name', value: { stringValue: `api-${m}` } }] },
          scopeLogs: [{ logRecords: [{ timeUnixNano: ns, severityNumber: 17, body: { stringValue: `payment failed ${m}` } }] }],
        },
      ],
    },
    { 'user-agent': 'OTel-OTLP-Exporter-Go/1.34.0' },
  );
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.rows).toHaveCount(2);
  await expect(page.getByTestId('status-line')).toContainText(/\d+ shippers?/);

  await discover.openField('pod');
  await discover.fieldList.filterFor('pod', `api-${m}`);
  await expect(discover.rows).toHaveCount(1);
  await expect(discover.messages.first()).toContainText(`payment failed ${m}`);
});
