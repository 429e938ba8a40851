// Worker entry in plain JavaScript: it registers tsx inside the worker, then loads the
// TypeScript worker. Kept outside the Next bundle on purpose (see decode-pool.ts).
import { tsImport } from 'tsx/esm/api';

await tsImport('./decode-worker.ts', import.meta.url);
