/**
 * A worker thread for the life parity (life.test.ts): the browser's side of each case, in virtual
 * time. The clock is installed before the broker and the runtime start, so every timer they set
 * (the runtime's keep-alive and sleeps, aedes's keep-alive check) is on it.
 */
import { parentPort } from 'node:worker_threads';
import { install } from '@sinonjs/fake-timers';
import type { Effect } from './trace.ts';

const clock = install({
  toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
});
const { startParityBroker } = await import('./browser-board.ts');
const { runLifeOnBrowser } = await import('./life-browser.ts');
const broker = await startParityBroker();
const port = parentPort!;

/** What the test sends: a program and its script. */
export interface LifeRequest {
  id: number;
  typescript: string;
  lineBlocks: (string | null)[];
  script: import('../support/micropython-board.ts').TimedEvent[];
}

/** What the worker answers. */
export type LifeResult = { id: number; effects: Effect[] } | { id: number; failure: string };

port.on('message', async (request: LifeRequest | 'close') => {
  if (request === 'close') {
    await broker.close();
    clock.uninstall();
    port.close();
    return;
  }
  let result: LifeResult;
  try {
    // The last run's client must be gone: the next may use the same client ID.
    const deadline = performance.now() + 10_000;
    while (broker.clients() > 0 && performance.now() < deadline) {
      await clock.tickAsync(10);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const { typescript, lineBlocks, script } = request;
    const effects = await runLifeOnBrowser(typescript, lineBlocks, script, broker, clock);
    result = { id: request.id, effects };
  } catch (error) {
    result = {
      id: request.id,
      failure: error instanceof Error ? (error.stack ?? error.message) : String(error),
    };
  }
  port.postMessage(result);
});
port.postMessage('ready');
