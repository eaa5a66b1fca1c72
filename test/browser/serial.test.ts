/// <reference types="mocha" />
// The uploader (src/serial) against the real MicroPython REPL (WebAssembly) behind a stand-in
// Web Serial port: plain raw mode, raw-paste by its protocol, Save to board read back from the
// interpreter's filesystem, Run on board's output, and each fault.
import { expect } from '@esm-bundle/chai';
import { BoardError } from '../../src/serial/board-error.ts';
import {
  MicroPythonBoard,
  type BoardActivity,
  type BoardProgress,
  type BoardTimeouts,
} from '../../src/serial/micropython-board.ts';
import { MicroPythonStandIn, type StandInOptions } from '../support/serial-standin.ts';
import { waitFor } from './wait-for.ts';

const OLD_MAIN = 'print("the old program")\n';

/** What the board told the page. */
class Heard {
  text = '';
  activities: BoardActivity[] = [];
  lost: BoardError[] = [];
  private readonly decoder = new TextDecoder();
  readonly listener = {
    output: (bytes: Uint8Array) => (this.text += this.decoder.decode(bytes, { stream: true })),
    activity: (activity: BoardActivity) => this.activities.push(activity),
    lost: (error: BoardError) => this.lost.push(error),
  };
}

const standIns: MicroPythonStandIn[] = [];

async function connected(options: StandInOptions = {}, timeouts: Partial<BoardTimeouts> = {}) {
  const standIn = await MicroPythonStandIn.create(options);
  standIns.push(standIn);
  standIn.writeFile('/main.py', OLD_MAIN);
  const heard = new Heard();
  const board = await MicroPythonBoard.connect(standIn, heard.listener, timeouts);
  return { standIn, heard, board };
}

const utf8 = (text: string) => new TextEncoder().encode(text);

/** Rejection of `promise` as a BoardError (fails the test if it resolves). */
async function failure(promise: Promise<unknown>): Promise<BoardError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(BoardError);
    return error as BoardError;
  }
  throw new Error('expected the action to fail');
}

/** A program of about `size` bytes: Chinese and ASCII text, printing a line at the end. */
function bigProgram(size: number): string {
  const lines = ['# 一个很长的程序 — a long program'];
  for (let i = 0; lines.join('\n').length < size; i++) {
    lines.push(`x${i} = "第 ${i} 行: \\"quote\\" 'single' \\\\ back"  # 注释 ${i}`);
  }
  lines.push('print("done", x0)');
  return `${lines.join('\n')}\n`;
}

describe('serial uploader on the MicroPython REPL', () => {
  let board: MicroPythonBoard | undefined;
  afterEach(async () => {
    await board?.disconnect().catch(() => {});
    board = undefined;
    for (const standIn of standIns.splice(0)) standIn.dispose();
  });

  it('saves a program with Chinese text as main.py, byte for byte, and starts it', async () => {
    const setup = await connected();
    board = setup.board;
    const program = 'message = "你好，掌控板！ ✓"\nprint(message)\nprint("第二行")\n';
    const result = await board.save(program);
    expect(result).to.deep.equal({ size: utf8(program).length, hashChecked: true, started: true });
    expect(setup.standIn.readFile('/main.py')).to.deep.equal(utf8(program));
    expect(setup.standIn.readFile('/main.py.tmp')).to.equal(null);
    // The mPython firmware has no raw-paste mode: everything went in plain raw mode.
    expect(board.rawPasteMode).to.equal('no');
    await waitFor(() => setup.heard.text.includes('你好，掌控板！ ✓\r\n第二行'), 10000, 'output');
    await waitFor(() => board!.activity === 'idle', 10000, 'program ended');
  });

  it('saves a 30 kB program byte for byte, reporting progress up to the whole size', async () => {
    const setup = await connected();
    board = setup.board;
    const program = bigProgram(30 * 1024);
    const steps: BoardProgress[] = [];
    await board.save(program, (p) => steps.push(p));
    const bytes = utf8(program);
    expect(bytes.length).to.be.greaterThan(30 * 1024);
    expect(setup.standIn.readFile('/main.py')).to.deep.equal(bytes);
    const writing = steps.filter((s) => s.phase === 'writing').map((s) => s.done);
    expect(writing.length).to.be.greaterThan(100);
    expect(writing).to.deep.equal([...writing].sort((a, b) => a - b));
    expect(steps.at(-1)).to.deep.equal({
      phase: 'starting',
      done: bytes.length,
      total: bytes.length,
    });
    await waitFor(() => setup.heard.text.includes('done 第 0 行'), 10000, 'program output');
  });

  it('runs a program now: its output and its error arrive in the monitor', async () => {
    const setup = await connected();
    board = setup.board;
    await board.run('print("开始")\nfor i in range(3):\n    print(i * 10)\nprint(1 / 0)\n');
    await waitFor(() => board!.activity === 'idle', 10000, 'program ended');
    const text = setup.heard.text.replace(/\r/g, '');
    expect(text).to.include('开始\n0\n10\n20\n');
    expect(text).to.include('File "<stdin>", line 4');
    expect(text).to.include('ZeroDivisionError');
    expect(setup.heard.activities).to.deep.equal(['busy', 'running', 'idle']);
    // Back at the normal prompt: the REPL answers typed lines.
    await board.send('print(6 * 7)\r');
    await waitFor(() => setup.heard.text.includes('42'), 10000, 'REPL answer');
    // main.py was not touched.
    expect(setup.standIn.readFile('/main.py')).to.deep.equal(utf8(OLD_MAIN));
  });

  it('speaks raw-paste mode with flow control where the board has it', async () => {
    // Upstream MicroPython's raw-paste, with a small window, in front of the real raw REPL (the
    // WebAssembly REPL's own raw-paste would block the page).
    const setup = await connected({ firmware: 'upstream', pasteWindow: 32 });
    board = setup.board;
    const program = bigProgram(2000);
    await board.save(program);
    expect(board.rawPasteMode).to.equal('yes');
    expect(setup.standIn.pasteViolations).to.deep.equal([]);
    expect(setup.standIn.readFile('/main.py')).to.deep.equal(utf8(program));
    await waitFor(() => board!.activity === 'idle', 10000, 'saved program ended');
    setup.heard.text = '';
    await board.run('print("粘贴模式", 1 + 1)\n');
    await waitFor(() => setup.heard.text.includes('粘贴模式 2'), 10000, 'run output');
  });

  for (const how of ['error', 'end'] as const) {
    it(`leaves the old main.py intact when the board is unplugged mid-upload (readable ${how}s)`, async () => {
      const setup = await connected({ unplugAfter: { bytes: 6000, how } });
      board = setup.board;
      const error = await failure(board.save(bigProgram(20 * 1024)));
      expect(error.problem).to.equal('unplugged');
      expect(setup.standIn.written).to.be.greaterThan(6000);
      expect(setup.standIn.readFile('/main.py')).to.deep.equal(utf8(OLD_MAIN));
      // Part of the new program had reached the temporary file: the cut was mid-upload.
      expect(setup.standIn.readFile('/main.py.tmp')?.length).to.be.greaterThan(0);
      expect(setup.heard.lost.map((e) => e.problem)).to.deep.equal(['unplugged']);
      expect(board.activity).to.equal('disconnected');
    });
  }

  it('gets through to a program that catches Ctrl-C with a hard interrupt', async () => {
    // main.py waits for messages and catches its first three interrupts: the first try (two
    // Ctrl-Cs, Ctrl-A) gets no banner, the burst of Ctrl-Cs gets through.
    const setup = await connected({ catchInterrupts: 3 }, { interrupt: 1000, burstGap: 10 });
    board = setup.board;
    await board.run(
      'from umqtt.simple import MQTTClient\nc = MQTTClient("x", "y")\nc.connect()\nc.wait_msg()\n',
    );
    expect(setup.standIn.phase).to.equal('running');
    const program = 'print("硬中断")\n';
    await board.save(program);
    expect(setup.standIn.readFile('/main.py')).to.deep.equal(utf8(program));
  });

  it('says the board does not answer when nothing comes back, and keeps main.py', async () => {
    const setup = await connected({ silent: true }, { interrupt: 300, burstGap: 10 });
    board = setup.board;
    const error = await failure(board.save('print(1)\n'));
    expect(error.problem).to.equal('no-answer');
    expect(setup.standIn.readFile('/main.py')).to.deep.equal(utf8(OLD_MAIN));
    expect(board.activity).to.equal('idle');
  });

  for (const name of ['NetworkError', 'InvalidStateError'] as const) {
    it(`says another program holds the port when open() throws ${name}`, async () => {
      const standIn = await MicroPythonStandIn.create({ openError: name });
      const error = await failure(MicroPythonBoard.connect(standIn, new Heard().listener));
      expect(error.problem).to.equal('in-use');
    });
  }
});
