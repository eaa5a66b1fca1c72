// The shared start of our Node commands (`iot-blocks`, `npm start`). Node 20 cannot run
// TypeScript itself, so this registers tsx and then runs a `main` from a .ts module; it is plain
// JavaScript so it works right after `npm ci`.
import { fileURLToPath } from 'node:url';

/**
 * Registers tsx with the project's tsconfig (class-field semantics, path aliases apply from any
 * cwd), imports `moduleUrl` and sets the process's exit code to what its `main(...args)` returns.
 */
export async function runWithTsx(moduleUrl, ...args) {
  try {
    const { register } = await import('tsx/esm/api');
    register({ tsconfig: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)) });
  } catch {
    // Before `npm ci` there is no tsx: say so in one line rather than with a stack trace.
    process.stderr.write('iot-blocks: cannot start: run "npm ci" in the IoT Blocks folder first\n');
    process.exit(1);
  }
  const { main } = await import(moduleUrl);
  // exitCode, not exit(): stdout may still be flushing to a pipe.
  process.exitCode = await main(...args);
}
