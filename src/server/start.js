#!/usr/bin/env node
// `npm start`. Node 20 cannot run TypeScript itself, so this shim registers tsx and then runs the
// server in main.ts; it is plain JavaScript so it works right after `npm ci`.
import { fileURLToPath } from 'node:url';

try {
  const { register } = await import('tsx/esm/api');
  // The project's tsconfig (class-field semantics, path aliases) applies from any cwd.
  register({ tsconfig: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)) });
} catch {
  // Before `npm ci` there is no tsx: say so in one line rather than with a stack trace.
  process.stderr.write('iot-blocks: cannot start: run "npm ci" in the IoT Blocks folder first\n');
  process.exit(1);
}
const { main } = await import('./main.ts');
// exitCode, not exit(): stdout may still be flushing to a pipe.
process.exitCode = await main();
// Everything is closed by now; should a stray handle keep the process alive, it still ends.
setTimeout(() => process.exit(), 3000).unref();
