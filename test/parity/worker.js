// Worker threads on Node 20 do not inherit `--import tsx`: this shim registers tsx and loads the
// TypeScript worker (worker.ts).
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
