/**
 * The Worker a child's program runs in (DESIGN.md, boundary 5), started by `ProgramRunner` as a
 * module worker. On `run` it turns the generated TypeScript into JavaScript with sucrase, builds
 * the browser runtime and runs the program as the body of an async function (so top-level
 * `await` works), reporting errors at their line in the generated TypeScript. On `stop` it ends
 * the MQTT client cleanly and answers `stopped`; a program stuck in a loop never reads `stop`,
 * which is why the page terminates the worker anyway.
 *
 * The program runs in this worker's realm, so it can reach worker globals; what it cannot reach
 * is the page. Sucrase keeps every line where it was (its `"use strict"` and `require` go on
 * line 1), so a line in the JavaScript is the same line in the generated TypeScript.
 */
import { transform } from 'sucrase';
import { RUNTIME_MODULE } from '../runtime/contract.ts';
import { createBrowserRuntime, type BrowserRuntime } from '../runtime/browser-runtime.ts';
import type { BoardState } from '../board/board-state.ts';
import type { Language } from '../i18n/language.ts';
import type { BrowserBrokerTarget, FromWorker, ToWorker } from './protocol.ts';
import { AsyncFunction, programLinesOf, type ProgramFunction } from './program-line.ts';
import type { PartRuntime } from '../parts/part-runtime.ts';

/**
 * The board parts' runtime pieces, found by file name (src/parts/<name>/runtime.ts): the Worker
 * loads no part's blocks or generators, only what runs.
 */
const PART_RUNTIMES = Object.values(
  import.meta.glob<PartRuntime>('../parts/*/runtime.ts', { eager: true, import: 'runtime' }),
);

/**
 * The parts of the worker's global scope used here, typed by hand: a `/// <reference
 * lib="webworker" />` would apply to the whole project, not this file, mixing worker globals
 * into the page's DOM types.
 */
interface WorkerScope {
  postMessage(message: FromWorker): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<ToWorker>) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  addEventListener(
    type: 'unhandledrejection',
    listener: (event: PromiseRejectionEvent) => void,
  ): void;
}

const scope = self as unknown as WorkerScope;
const post = (message: FromWorker) => scope.postMessage(message);
let runtime: BrowserRuntime | null = null;
let stopping: Promise<void> | null = null;

/** Starts the program; a worker runs one program in its life. */
function run(
  code: string,
  broker: BrowserBrokerTarget,
  sensors?: Pick<BoardState, 'light' | 'sound'>,
  language?: Language,
): void {
  if (runtime || stopping) return;
  const current = createBrowserRuntime({ post }, broker, {
    linesOf: programLinesOf,
    parts: PART_RUNTIMES,
    sensors,
    language,
  });
  runtime = current;
  let program: ProgramFunction;
  try {
    const js = transform(code, { transforms: ['typescript', 'imports'] }).code;
    program = new AsyncFunction('require', 'exports', js);
  } catch (error) {
    void current.topLevelDone({ error });
    return;
  }
  const require = (name: string): unknown => {
    if (name === RUNTIME_MODULE) return current.runtime;
    throw new Error(`A program can import only ${RUNTIME_MODULE}, not ${JSON.stringify(name)}.`);
  };
  post({ type: 'status', status: 'running' });
  program(require, {}).then(
    () => current.topLevelDone(),
    (error: unknown) => current.topLevelDone({ error }),
  );
}

/** Stops the program and the MQTT client, then says `stopped` (once, however often asked). */
function stop(): Promise<void> {
  stopping ??= (async () => {
    try {
      await runtime?.stop();
    } finally {
      post({ type: 'stopped' });
    }
  })();
  return stopping;
}

scope.addEventListener('message', (event) => {
  const message = event.data;
  switch (message.type) {
    case 'run':
      run(message.code, message.broker, message.sensors, message.language);
      break;
    case 'input':
      runtime?.input(message.input);
      break;
    case 'stop':
      void stop();
      break;
  }
});

// What escapes the program's own promises (a timer callback, a promise nobody awaited) is
// reported the same way as a handler's error, and the program keeps going.
scope.addEventListener('error', (event) => {
  event.preventDefault();
  runtime?.reportError(event.error ?? event.message);
});
scope.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  runtime?.reportError(event.reason);
});

// Everything above has loaded: the page may now wait for a clean stop instead of terminating.
post({ type: 'ready' });
