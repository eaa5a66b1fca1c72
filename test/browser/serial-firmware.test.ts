/// <reference types="mocha" />
// The uploader (src/serial) against a stand-in that behaves as the mPython board's firmware does
// (test/support/serial-standin.ts): no raw-paste, a soft reset's boot markers, timers that go on
// after Ctrl-C and print at the raw prompt, input queued while the board is busy, resets. Each
// fault of issue 15 is one test here; the tutorial's program saved over itself is the last.
import { expect } from '@esm-bundle/chai';
import * as Blockly from 'blockly';
import { generateMicroPython } from '../../generators/micropython/index.ts';
import tutorial from '../../src/examples/onenet-rgb.json';
import { registerBlocks } from '../../src/editor/register.ts';
import { BoardError } from '../../src/serial/board-error.ts';
import {
  MicroPythonBoard,
  type BoardActivity,
  type BoardTimeouts,
} from '../../src/serial/micropython-board.ts';
import { MicroPythonStandIn, type StandInOptions } from '../support/serial-standin.ts';
import { waitFor } from './wait-for.ts';

registerBlocks();

/** The tutorial's program as `iot-blocks generate src/examples/onenet-rgb.json` makes it. */
function tutorialProgram(): string {
  const workspace = new Blockly.Workspace();
  try {
    Blockly.serialization.workspaces.load(tutorial.workspace, workspace);
    return generateMicroPython(workspace).code;
  } finally {
    workspace.dispose();
  }
}

/** What the board told the page. */
class Heard {
  text = '';
  activities: BoardActivity[] = [];
  lost: BoardError[] = [];
  restarts: boolean[] = [];
  private readonly decoder = new TextDecoder();
  readonly listener = {
    output: (bytes: Uint8Array) => (this.text += this.decoder.decode(bytes, { stream: true })),
    activity: (activity: BoardActivity) => this.activities.push(activity),
    lost: (error: BoardError) => this.lost.push(error),
    restarted: (endedRun: boolean) => this.restarts.push(endedRun),
  };
}

/** Quick deadlines for tests: a stuck board is given up on after a second, not two. */
const QUICK: Partial<BoardTimeouts> = { interrupt: 1000, burstGap: 10 };

const standIns: MicroPythonStandIn[] = [];
async function standIn(options: StandInOptions = {}): Promise<MicroPythonStandIn> {
  const made = await MicroPythonStandIn.create(options);
  standIns.push(made);
  return made;
}

const utf8 = (text: string) => new TextEncoder().encode(text);

/** Rejection of `promise` as a BoardError, or null when it resolves. */
async function outcome(promise: Promise<unknown>): Promise<BoardError | null> {
  try {
    await promise;
    return null;
  } catch (error) {
    if (error instanceof BoardError) return error;
    throw error;
  }
}

/** A keep-alive timer that goes on pinging after the program's `finally` disconnected. */
const CHATTY_MAIN = `from machine import Timer
from umqtt.simple import MQTTClient
client = MQTTClient("board", "broker")
client.connect()
Timer(1).init(period=10, mode=Timer.PERIODIC, callback=lambda t: client.ping())
try:
    while True:
        client.wait_msg()
finally:
    client.disconnect()
`;

describe('serial uploader on the mPython firmware', function () {
  this.timeout(30000);
  let boards: MicroPythonBoard[] = [];
  afterEach(async () => {
    for (const board of boards) await board.disconnect().catch(() => {});
    boards = [];
    for (const made of standIns.splice(0)) made.dispose();
  });
  async function connect(port: MicroPythonStandIn, timeouts = QUICK, heard = new Heard()) {
    const board = await MicroPythonBoard.connect(port, heard.listener, timeouts);
    boards.push(board);
    return { board, heard };
  }

  it('opens the port without pulling IO0 (button A) low or resetting the board', async () => {
    const port = await standIn();
    await connect(port);
    expect(port.io0Pulls).to.equal(0);
    expect(port.resets).to.equal(0);
    expect(port.signalLog).to.deep.equal([{ dataTerminalReady: false, requestToSend: false }]);
  });

  it('saves and runs in plain raw mode on firmware without raw-paste, asking once', async () => {
    const port = await standIn();
    const { board, heard } = await connect(port);
    const program = 'print("无原始粘贴", 1 + 1)\n';
    const result = await board.save(program);
    expect(result).to.deep.equal({ size: utf8(program).length, hashChecked: true, started: true });
    expect(board.rawPasteMode).to.equal('no');
    expect(port.readFile('/main.py')).to.deep.equal(utf8(program));
    await waitFor(() => heard.text.includes('无原始粘贴 2'), 10000, 'saved program ran');
    await waitFor(() => board.activity === 'idle', 10000, 'saved program ended');
    heard.text = '';
    await board.run('print("再运行", 3 * 4)\n');
    await waitFor(() => heard.text.includes('再运行 12'), 10000, 'run output');
    await waitFor(() => board.activity === 'idle', 10000, 'run ended');
    expect(port.pasteRequests).to.equal(1);
    // The board's own chatter never reached the monitor as an answer or an error.
    expect(heard.text).not.to.include('raw REPL');
  });

  it('gets through a board busy in a blocking call, whose Ctrl-As queue up (two banners)', async () => {
    // The tutorial's board is held 2.5 s in connect() (a slow DNS look-up): every byte waits in
    // its UART buffer, so a second Ctrl-A gives a second raw REPL banner once it is free.
    const port = await standIn({ connectBlocksMs: 2500 });
    const { board } = await connect(port);
    await board.save(tutorialProgram());
    await waitFor(() => port.life.includes('connect deviceID'), 10000, 'the board is connecting');
    const banners = port.rawBanners;
    const changed = tutorialProgram().replace('(50, 0, 0)', '(0, 50, 0)');
    const error = await outcome(board.save(changed));
    expect(error, String(error)).to.equal(null);
    expect(port.rawBanners - banners).to.be.greaterThan(2);
    expect(port.readFile('/main.py')).to.deep.equal(utf8(changed));
  });

  it('soft-resets before saving, so a timer printing at the raw prompt cannot confuse it', async () => {
    const port = await standIn();
    port.writeFile('/main.py', CHATTY_MAIN);
    port.pressReset();
    await waitFor(() => port.phase === 'running', 10000, 'main.py waiting for messages');
    const { board } = await connect(port);
    const program = tutorialProgram();
    const error = await outcome(board.save(program));
    expect(error, String(error)).to.equal(null);
    // The Ctrl-Cs stopped main.py but not its timer (the second came while it stopped): the timer
    // went on, printing EBADF every 10 ms, until the soft reset stopped it.
    const life = port.life.slice(port.life.indexOf('interrupted'));
    expect(life.indexOf('soft reset')).to.be.greaterThan(0);
    expect(life.slice(0, life.indexOf('soft reset'))).not.to.include('timers stopped');
    expect(port.readFile('/main.py')).to.deep.equal(utf8(program));
  });

  it('waits until a board that resets when the port opens has started', async () => {
    const port = await standIn({ resetOnOpen: true });
    const { board, heard } = await connect(port);
    // Pressed as soon as the bootloader is done, when `_boot.py` has not mounted the filesystem.
    await waitFor(() => heard.text.includes('Disabling RNG'), 10000, 'the bootloader finished');
    const program = 'print("开机后保存")\n';
    const error = await outcome(board.save(program));
    expect(error, String(error)).to.equal(null);
    expect(port.readFile('/main.py')).to.deep.equal(utf8(program));
    expect(heard.text).to.include('rst:0x1 (POWERON_RESET)');
  });

  it('ends a followed Run when the board is reset (RST), and settles before going on', async () => {
    const port = await standIn();
    const { board, heard } = await connect(port);
    await board.run(tutorialProgram());
    expect(board.activity).to.equal('running');
    port.pressReset();
    await waitFor(() => board.activity !== 'running', 10000, 'the Run ended');
    expect(heard.restarts).to.deep.equal([true]);
    await waitFor(() => board.activity === 'idle', 10000, 'settled after the restart');
    // The board works again.
    heard.text = '';
    await board.run('print("重启以后")\n');
    await waitFor(() => heard.text.includes('重启以后'), 10000, 'run after the restart');
  });

  it('ends a followed Run whose program calls machine.reset()', async () => {
    const port = await standIn();
    const { board, heard } = await connect(port);
    await board.run('print("再见")\nimport machine\nmachine.reset()\n');
    await waitFor(() => heard.text.includes('rst:0xc (SW_CPU_RESET)'), 10000, 'the reset');
    await waitFor(() => board.activity !== 'running', 10000, 'the Run ended');
    expect(heard.restarts).to.deep.equal([true]);
    await waitFor(() => board.activity === 'idle', 10000, 'settled after the restart');
  });

  it('leaves the raw REPL on disconnect, so the next session gets the friendly REPL', async () => {
    const port = await standIn();
    const first = await connect(port);
    await first.board.run(tutorialProgram());
    await first.board.disconnect();
    expect(port.phase).to.equal('running');
    // Another session stops the program and types a line: it is echoed and answered.
    const second = await connect(port);
    await second.board.interrupt();
    await second.board.send('print(6 * 7)\r');
    await waitFor(() => second.heard.text.includes('print(6 * 7)\r\n42'), 10000, 'REPL answer');
  });

  it('stops the timers of a stopped program (a second Ctrl-C at the >>> prompt)', async () => {
    const port = await standIn();
    const { board } = await connect(port);
    await board.run(tutorialProgram());
    expect(port.timersRunning).to.equal(1);
    await board.interrupt();
    await waitFor(() => board.activity === 'idle', 10000, 'stopped');
    await waitFor(() => port.timersRunning === 0, 10000, 'the keep-alive timer stopped');
  });

  it('saves the tutorial, then a changed one over it while the first runs with its keep-alive', async () => {
    const port = await standIn();
    const { board, heard } = await connect(port, {});
    const first = tutorialProgram();
    expect(first).to.include('Timer(1).init(period=');
    expect(first).to.include('except Exception as error:');
    const saved = await board.save(first);
    expect(saved).to.deep.equal({ size: utf8(first).length, hashChecked: true, started: true });
    await waitFor(() => port.phase === 'running', 10000, 'the tutorial waiting for messages');
    port.deliver('$creq/1', 'on');
    expect(port.leds[0]).to.deep.equal([50, 0, 0]);
    // Saved again just before the keep-alive's next ping: after the Ctrl-C, that ping fails
    // (EBADF) and prints its traceback while the raw REPL waits for the upload.
    await waitFor(() => (port.timerDueIn(1) ?? Infinity) < 250, 10000, 'a ping is near');

    const second = first.replace('(50, 0, 0)', '(0, 0, 50)');
    expect(second).to.not.equal(first);
    const savedAgain = await board.save(second);
    expect(savedAgain).to.deep.equal({
      size: utf8(second).length,
      hashChecked: true,
      started: true,
    });
    expect(port.readFile('/main.py')).to.deep.equal(utf8(second));
    expect(port.readFile('/main.py.tmp')).to.equal(null);
    // The second one runs: it waits for messages, with its keep-alive, and lights blue.
    await waitFor(() => port.phase === 'running', 10000, 'the changed program running');
    expect(port.timersRunning).to.equal(1);
    port.deliver('$creq/2', 'on');
    expect(port.leds[0]).to.deep.equal([0, 0, 50]);
    await waitFor(() => heard.text.includes('$creq/2 on\r\n'), 10000, 'the handler printed');
    expect(board.activity).to.equal('running');
  });
});
