// `npm run bench:collector -- --soak 10`: the collector for N minutes on a node that churns pods
// and rotates files, with pod metadata from a stand-in API server; its RSS sampled every 10 s.
// The question is whether memory stays flat (tailers, checkpoint entries, source metadata and
// the pod cache must all be let go of when their pod is gone).
import fs from 'node:fs/promises';
import path from 'node:path';
import { startKubeApiStandIn } from '../collector/test-support/kube-api-stand-in';
import { collectorCounters, corpusChunks, finish, launch, log, mib, startRun, waitDelivered } from './collector-run';

export interface SoakOptions {
  minutes: number;
  /** Lines per second over all files. */
  rate: number;
  pinned: boolean;
  multiline: string;
}

const FILES = 200;
const CHURN_EVERY_MS = 5_000;
const PODS_PER_CHURN = 5;
const ROTATE_EVERY_MS = 30_000;
const FILES_PER_ROTATION = 10;
const SAMPLE_EVERY_MS = 10_000;
const WARM_UP_MS = 60_000;

export async function soak(options: SoakOptions): Promise<void> {
  const setup = await startRun();
  const kube = await startKubeApiStandIn();
  const kubeconfig = await kube.writeKubeconfig(setup.dir);
  const lines = corpusChunks(100_000, 50).chunks.flat().flatMap((c) => c.text.split(/(?<=\n)/));
  let nextLine = 0;
  let podSerial = 0;
  const live = new Map<string, string>(); // file path → pod name

  const addPod = async () => {
    const name = `app-${(podSerial++).toString(36).padStart(5, '0')}-x7k2p`;
    kube.addPod({ namespace: 'soak', name, node: 'node-1', labels: { app: 'soak', serial: String(podSerial) }, containers: ['main'] });
    const file = path.join(setup.logDir, `${name}_soak_main-${podSerial.toString(16).padStart(12, '0')}.log`);
    await fs.writeFile(file, '');
    live.set(file, name);
  };
  for (let i = 0; i < FILES; i++) await addPod();

  const run = launch(setup, options.pinned, { KUBECONFIG: kubeconfig, LOGPOND_NODE_NAME: 'node-1', LOGPOND_POD_GRACE: '30s', LOGPOND_MULTILINE: options.multiline });
  const started = Date.now();
  const end = started + options.minutes * 60_000;
  let written = 0;
  let churned = 0;
  let rotated = 0;
  const samples: Array<{ atS: number; rss: number; pods: number; files: number }> = [];
  let nextChurn = started + CHURN_EVERY_MS;
  let nextRotation = started + ROTATE_EVERY_MS;
  let nextSample = started + SAMPLE_EVERY_MS;
  log(`soak: ${options.minutes} min, ${options.rate} lines/s over ${FILES} files, ${PODS_PER_CHURN} pods replaced every ${CHURN_EVERY_MS / 1000} s, ${FILES_PER_ROTATION} files rotated every ${ROTATE_EVERY_MS / 1000} s`);

  while (Date.now() < end) {
    const tick = Date.now();
    const files = [...live.keys()];
    const perTick = Math.round(options.rate / 10);
    const batches = new Map<string, string>();
    for (let i = 0; i < perTick; i++) {
      const file = files[(i * 7919 + written) % files.length];
      batches.set(file, (batches.get(file) ?? '') + lines[nextLine++ % lines.length]);
    }
    await Promise.all([...batches].map(([file, text]) => fs.appendFile(file, text)));
    written += perTick;
    if (tick >= nextChurn) {
      nextChurn += CHURN_EVERY_MS;
      for (const file of files.slice(0, PODS_PER_CHURN)) {
        kube.deletePod('soak', live.get(file)!);
        live.delete(file);
        await fs.unlink(file);
        await addPod();
        churned++;
      }
    }
    if (tick >= nextRotation) {
      nextRotation += ROTATE_EVERY_MS;
      for (const file of files.slice(PODS_PER_CHURN, PODS_PER_CHURN + FILES_PER_ROTATION)) {
        if (!live.has(file)) continue;
        await fs.rename(file, `${file}.1`); // kubelet keeps one uncompressed rotated file
        await fs.writeFile(file, '');
        rotated++;
      }
    }
    if (tick >= nextSample) {
      nextSample += SAMPLE_EVERY_MS;
      const text = await fetch(`http://127.0.0.1:${run.port}/metrics`).then((r) => r.text(), () => '');
      const gauge = (name: string) => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
      samples.push({ atS: Math.round((tick - started) / 1000), rss: run.child.rss(), pods: gauge('logpond_collector_pods_known'), files: gauge('logpond_collector_files_tailed') });
      const last = samples.at(-1)!;
      log(`${String(last.atS).padStart(4)} s  RSS ${mib(last.rss)}  files ${last.files}  pods known ${last.pods}  lines written ${written.toLocaleString()}`);
    }
    await new Promise((r) => setTimeout(r, Math.max(0, 100 - (Date.now() - tick))));
  }
  // Every line written, rotated-away and deleted files included, read and acknowledged.
  await waitDelivered(run, written, 120_000);
  const counters = await collectorCounters(run);
  const steady = samples.filter((s) => s.atS * 1000 >= WARM_UP_MS).map((s) => s.rss);
  const mean = steady.reduce((a, b) => a + b, 0) / Math.max(1, steady.length);
  const spread = steady.length > 0 ? (Math.max(...steady) - Math.min(...steady)) / mean : NaN;
  log('');
  log(`| figure | value | target |`);
  log(`|---|---|---|`);
  log(`| collector RSS after the first minute: min / mean / max | ${mib(Math.min(...steady))} / ${mib(mean)} / ${mib(Math.max(...steady))} | < 100 MiB |`);
  log(`| RSS spread (max − min) / mean | ${(spread * 100).toFixed(1)} % | ≤ ±10 % (20 % spread) |`);
  log(`| pods replaced / files rotated | ${churned} / ${rotated} | |`);
  log(`| lines written / read by the collector | ${written.toLocaleString()} / ${(counters?.linesRead ?? 0).toLocaleString()} | equal |`);
  await finish(run);
  await kube.close();
}
