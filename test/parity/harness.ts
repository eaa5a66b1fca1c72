/**
 * The parity harness: generates both programs from a workspace, runs them in worker threads
 * (`worker.ts`) under a deadline, and compares their effects (`trace.ts`).
 */
import '../../src/cli/headless-dom.ts';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import * as Blockly from 'blockly';
import { registerBlocks } from '../../src/editor/register.ts';
import { generateMicroPython } from '../../generators/micropython/index.ts';
import { generateTypeScript } from '../../generators/typescript/index.ts';
import type { BlockJson } from '../support/block-json.ts';
import type { Event, SensorReadings } from '../support/micropython-board.ts';
import { compare, type Effect } from './trace.ts';

/** A program as Blockly's workspace JSON (variables with id = name), and what to feed it. */
export interface ParityCase {
  blocks: BlockJson[];
  variables: string[];
  script: Event[];
  readings?: SensorReadings;
}

/** What the main thread sends a worker. */
export interface CaseRequest {
  id: number;
  python: string;
  typescript: string;
  script: Event[];
  readings: SensorReadings;
}

/** What a worker answers. */
export type CaseResult =
  | { id: number; board: Effect[]; browser: Effect[]; boardStdout: string }
  | { id: number; failure: string };

/** The outcome of one case: `difference` is null when both programs did the same. */
export interface CaseOutcome {
  python: string;
  typescript: string;
  difference: string | null;
  result?: CaseResult;
}

/** How long one case may run (both programs) before its worker is ended. */
const CASE_DEADLINE_MS = 30_000;

/** The MicroPython and TypeScript generated for `parityCase`, from a fresh workspace. */
export function generateBoth(parityCase: Pick<ParityCase, 'blocks' | 'variables'>) {
  registerBlocks();
  const workspace = new Blockly.Workspace();
  // Events only slow a headless load down (by half): nothing listens to them here.
  Blockly.Events.disable();
  try {
    Blockly.serialization.workspaces.load(
      {
        variables: parityCase.variables.map((name) => ({ name, id: name })),
        blocks: { languageVersion: 0, blocks: parityCase.blocks },
      },
      workspace,
    );
    return {
      python: generateMicroPython(workspace).code,
      typescript: generateTypeScript(workspace).code,
    };
  } finally {
    workspace.dispose();
    Blockly.Events.enable();
  }
}

interface Slot {
  worker: Promise<Worker>;
  busy: Promise<unknown>;
}

function startWorker(): Promise<Worker> {
  const worker = new Worker(new URL('./worker.js', import.meta.url));
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', () => {
      worker.off('error', reject);
      resolve(worker);
    });
  });
}

/** A pool of worker threads that run cases, each under `CASE_DEADLINE_MS`. */
export class ParityPool {
  private slots: Slot[];
  private next = 0;
  private ids = 0;

  constructor(size = Math.max(1, Math.min(2, availableParallelism()))) {
    this.slots = Array.from({ length: size }, () => ({
      worker: startWorker(),
      busy: Promise.resolve(),
    }));
  }

  /** Generates and runs one case on the next free worker. */
  check(parityCase: ParityCase): Promise<CaseOutcome> {
    const { python, typescript } = generateBoth(parityCase);
    const slot = this.slots[this.next++ % this.slots.length];
    const request: CaseRequest = {
      id: this.ids++,
      python,
      typescript,
      script: parityCase.script,
      readings: parityCase.readings ?? {},
    };
    const run = slot.busy.then(() => this.runOn(slot, request));
    slot.busy = run.catch(() => undefined);
    return run.then((result) => ({
      python,
      typescript,
      result,
      ...('failure' in result
        ? { difference: `the run failed: ${result.failure}` }
        : compare(result.board, result.browser)),
    }));
  }

  private async runOn(slot: Slot, request: CaseRequest): Promise<CaseResult> {
    const worker = await slot.worker;
    return new Promise<CaseResult>((resolve) => {
      const done = (result: CaseResult) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        resolve(result);
      };
      const onMessage = (result: CaseResult) => {
        if (result.id === request.id) done(result);
      };
      const onError = (error: Error) => {
        slot.worker = startWorker();
        done({ id: request.id, failure: `the worker crashed: ${error.stack ?? error.message}` });
      };
      const timer = setTimeout(() => {
        void worker.terminate();
        slot.worker = startWorker();
        done({ id: request.id, failure: `still running after ${CASE_DEADLINE_MS / 1000} s` });
      }, CASE_DEADLINE_MS);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.postMessage(request);
    });
  }

  /** Ends every worker. */
  async close(): Promise<void> {
    await Promise.all(
      this.slots.map(async (slot) => {
        await slot.busy;
        const worker = await slot.worker;
        const exited = new Promise((resolve) => worker.once('exit', resolve));
        worker.postMessage('close');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
        await worker.terminate();
      }),
    );
  }
}
