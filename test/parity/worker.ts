/**
 * A worker thread that runs parity cases one at a time: the MicroPython on the real interpreter
 * (the stand-in board) and the TypeScript on the real browser runtime with its own broker. The
 * harness (`harness.ts`) ends the thread when a case runs past its deadline, so a loop that never
 * calls the board (which nothing inside the interpreter can stop) cannot hang the suite.
 */
import { parentPort } from 'node:worker_threads';
import { runOnBoard } from '../support/micropython-board.ts';
import { runOnBrowser, startParityBroker } from './browser-board.ts';
import { boardEffects } from './trace.ts';
import type { CaseRequest, CaseResult } from './harness.ts';

const broker = await startParityBroker();
const port = parentPort!;

port.on('message', async (request: CaseRequest | 'close') => {
  if (request === 'close') {
    await broker.close();
    port.close();
    return;
  }
  const { id, python, typescript, script, readings } = request;
  let result: CaseResult;
  try {
    const run = await runOnBoard(
      python,
      script,
      {
        recordPrints: true,
        reuseInterpreter: true,
        timeoutMs: 20_000,
      },
      readings,
    );
    const browser = await runOnBrowser(typescript, script, broker, readings);
    result = { id, board: boardEffects(run), browser, boardStdout: run.stdout };
  } catch (error) {
    result = {
      id,
      failure: error instanceof Error ? (error.stack ?? error.message) : String(error),
    };
  }
  port.postMessage(result);
});
port.postMessage('ready');
