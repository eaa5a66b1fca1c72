#!/usr/bin/env node
// `npm start`: the server in main.ts, run through tsx.
import { runWithTsx } from '../cli/with-tsx.js';

await runWithTsx(new URL('./main.ts', import.meta.url).href);
// Everything is closed by now; should a stray handle keep the process alive, it still ends.
setTimeout(() => process.exit(), 3000).unref();
