// Worker threads on Node 20 do not inherit `--import tsx`: this shim registers tsx and loads the
// TypeScript worker named in `workerData.module` (worker.ts unless told).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData?.module ?? './worker.ts');
