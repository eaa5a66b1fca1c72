#!/usr/bin/env node
// The `iot-blocks` command: the CLI in main.ts, run through tsx.
import { runWithTsx } from './with-tsx.js';

await runWithTsx(new URL('./main.ts', import.meta.url).href, process.argv.slice(2));
