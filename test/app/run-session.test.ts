// The studio's run session (src/app/run-session.ts) in Node: what a Run does to the board,
// Messages and the blocks for every message the program's Worker can send. The Worker is the
// test's runner (the real one needs a browser; test/browser/program-runner.test.ts runs it), so
// the test says what the program sends and sees what the studio would show.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Host } from './host.ts';
import type { GeneratedProgram } from '../../generators/line-map.ts';
import { idleBoard, type BoardInput, type BoardState } from '../../src/board/board-state.ts';
import { defaultSettings, type BrowserBroker } from '../../src/project/project-file.ts';
import type { BrowserBrokerTarget, FromWorker, ProgramHandler } from '../../src/run/protocol.ts';
import {
  RunSession,
  type BoardMirror,
  type ConsoleLine,
  type Runner,
  type RunView,
} from '../../src/app/run-session.ts';
import { t } from '../../src/app/strings.ts';
import { worded } from '../../src/i18n/translate.ts';

/** A runner that records what it was asked and lets the test speak as the program. */
class TestRunner implements Runner {
  runs: { code: string; broker: BrowserBrokerTarget }[] = [];
  inputs: BoardInput[] = [];
  stops = 0;
  prewarms = 0;
  disposed = false;
  private _onMessage: ((message: FromWorker) => void) | null = null;
  async run(code: string, broker: BrowserBrokerTarget, onMessage: (m: FromWorker) => void) {
    this.runs.push({ code, broker });
    this._onMessage = onMessage;
  }
  async stop() {
    this.stops++;
    this._onMessage = null;
  }
  input(input: BoardInput) {
    this.inputs.push(input);
  }
  prewarm() {
    this.prewarms++;
  }
  async dispose() {
    this.disposed = true;
  }
  /** The program sends `message`. */
  send(message: FromWorker): void {
    assert.ok(this._onMessage, 'a program runs');
    this._onMessage(message);
  }
}

/** The page around the session: Messages, the board, the blocks. */
class Page implements RunView {
  boards: BoardState[] = [];
  /** The lines as the session gave them (a function of the language, for its own words). */
  said: ConsoleLine[] = [];
  /** The same lines in the language of the moment. */
  lines: ConsoleLine[] = [];
  messagesShown = 0;
  ended: (string | undefined)[] = [];
  errorsShown: { id: string; text: string }[] = [];
  cleared = 0;
  name = 'Doorbell';
  /** The blocks in the program. */
  blocks = new Set(['connect', 'print', 'helper']);
  boardChanged(board: BoardState): void {
    this.boards.push(board);
  }
  addLine(line: ConsoleLine): void {
    this.said.push(line);
    this.lines.push({ ...line, text: worded(line.text) });
  }
  showMessages(): void {
    this.messagesShown++;
  }
  programEnded(reason: string | undefined): void {
    this.ended.push(reason);
  }
  hasBlock(id: string): boolean {
    return this.blocks.has(id);
  }
  showError(id: string, text: string): void {
    this.errorsShown.push({ id, text });
  }
  clearErrors(): void {
    this.cleared++;
  }
  handlerName(handler: ProgramHandler): string {
    return handler.kind === 'message' ? 'when a message arrives' : `when ${handler.button} pressed`;
  }
  projectName(): string {
    return this.name;
  }
}

class TestMirror implements BoardMirror {
  shown: { project: string; board: BoardState }[] = [];
  closed = false;
  constructor(
    readonly url: string,
    readonly run: string,
    readonly stop: () => void,
  ) {}
  show(project: string, board: BoardState): void {
    this.shown.push({ project, board });
  }
  close(): void {
    this.closed = true;
  }
}

/** Lines 1–3 made by blocks `connect`, `print` and `helper`, line 4 by a block since deleted. */
const PROGRAM: GeneratedProgram = {
  code: 'await connect();\nprint(x);\nhelper();\nold();\n',
  lineBlocks: ['connect', 'print', 'helper', 'deleted'],
} as GeneratedProgram;

function setUp(broker: BrowserBroker = { kind: 'embedded' }) {
  const host = new Host();
  const page = new Page();
  const runner = new TestRunner();
  const mirrors: TestMirror[] = [];
  const session = new RunSession(host, page, runner, {
    pageUrl: () => 'http://192.168.1.5:8080/?lang=zh',
    mirror: (url, run, onStop) => {
      const mirror = new TestMirror(url, run, onStop);
      mirrors.push(mirror);
      return mirror;
    },
  });
  const settings = { ...defaultSettings('Doorbell'), browserBroker: broker };
  return { host, page, runner, mirrors, session, settings };
}

describe('run session', () => {
  it('Run starts the program on the studio’s broker, on a dark board, mirrored on the wall', async () => {
    const { page, runner, mirrors, session, settings } = setUp();
    session.input({ kind: 'light', level: 100 });
    await session.run(PROGRAM, settings, 'mpython-1a2b3c4d');
    assert.equal(session.running, true);
    assert.equal(session.programId, 'mpython-1a2b3c4d');
    assert.equal(runner.runs.length, 1);
    assert.equal(runner.runs[0].code, PROGRAM.code);
    const url = new URL(runner.runs[0].broker.url);
    assert.equal(`${url.protocol}//${url.host}${url.pathname}`, 'ws://192.168.1.5:8080/mqtt');
    assert.equal(runner.runs[0].broker.sendCredentials, true);
    // The run's secret: in the program's address and the wall's link, and nowhere else.
    assert.equal(mirrors.length, 1);
    assert.equal(mirrors[0].url, 'ws://192.168.1.5:8080/board');
    assert.ok(mirrors[0].run.length >= 16);
    assert.ok(url.search.includes(mirrors[0].run));
    assert.deepEqual(session.board, idleBoard({ light: 100, sound: 0 }), 'dark, slider kept');
    assert.deepEqual(mirrors[0].shown.at(-1), { project: 'Doorbell', board: session.board });
    assert.equal(page.cleared, 1);
    assert.ok(page.messagesShown >= 1);
    assert.deepEqual(page.lines, [{ kind: 'info', text: t('programStarted') }]);
    const started = page.said[0].text;
    assert.equal(typeof started, 'function', 'worded again when the language changes');
    assert.equal(worded(started, 'zh-hans'), t('programStarted', {}, 'zh-hans'));
    assert.equal(worded(started, 'en'), t('programStarted', {}, 'en'));
  });

  it('a public broker gets no password and no wall', async () => {
    const { runner, mirrors, session, settings } = setUp({ kind: 'preset', preset: 'emqx' });
    await session.run(PROGRAM, settings, 'mpython-1');
    assert.equal(runner.runs[0].broker.sendCredentials, false);
    assert.doesNotMatch(runner.runs[0].broker.url, /192\.168/);
    assert.equal(mirrors.length, 0);
  });

  it('the board shows what the program writes and how it is doing', async () => {
    const { page, runner, mirrors, session, settings } = setUp();
    await session.run(PROGRAM, settings, 'mpython-1');
    runner.send({ type: 'status', status: 'online' });
    runner.send({
      type: 'board',
      patch: {
        leds: [
          [50, 0, 0],
          [0, 50, 0],
          [0, 0, 50],
        ],
      },
    });
    runner.send({ type: 'board', patch: { oled: ['Hello', '', '', '你好'] } });
    assert.equal(session.board.online, true);
    assert.deepEqual(session.board.leds, [
      [50, 0, 0],
      [0, 50, 0],
      [0, 0, 50],
    ]);
    assert.deepEqual(session.board.oled, ['Hello', '', '', '你好']);
    assert.equal(page.boards.at(-1), session.board, 'the page gets every new board');
    assert.equal(mirrors[0].shown.at(-1)!.board, session.board, 'and so does the wall');
    runner.send({ type: 'status', status: 'offline', detail: 'dropped' });
    assert.equal(session.board.online, false);
    assert.deepEqual(session.board.leds[0], [50, 0, 0], 'an LED stays lit offline');
  });

  it('prints and notices go to Messages', async () => {
    const { page, runner, session, settings } = setUp();
    await session.run(PROGRAM, settings, 'mpython-1');
    const shown = page.messagesShown;
    runner.send({ type: 'print', text: 'hello "world"\n你好' });
    assert.deepEqual(page.lines.at(-1), { kind: 'print', text: 'hello "world"\n你好' });
    assert.equal(page.messagesShown, shown, 'a print does not switch tabs');
    runner.send({ type: 'notice', message: 'The broker is far away.' });
    assert.deepEqual(page.lines.at(-1), { kind: 'error', text: 'The broker is far away.' });
    assert.equal(page.messagesShown, shown + 1);
  });

  it('an error is shown at the first block of its stack that is still in the program', async () => {
    const { page, runner, session, settings } = setUp();
    await session.run(PROGRAM, settings, 'mpython-1');
    // Thrown in line 4 (a block since deleted), called from line 3.
    runner.send({ type: 'error', message: 'x is not defined', lines: [4, 3, 1] });
    assert.deepEqual(page.errorsShown, [{ id: 'helper', text: 'x is not defined' }]);
    assert.deepEqual(page.lines.at(-1), {
      kind: 'error',
      text: 'x is not defined',
      blockId: 'helper',
    });
    // Line 99 is no block's: shown in Messages only.
    runner.send({ type: 'error', message: 'lost', line: 99 });
    assert.equal(page.errorsShown.length, 1);
    assert.equal(page.lines.at(-1)!.blockId, undefined);
  });

  it('a handler’s error names the handler and the program goes on; a top-level one ends it', async () => {
    const { page, runner, session, settings } = setUp();
    await session.run(PROGRAM, settings, 'mpython-1');
    runner.send({
      type: 'error',
      message: 'bad payload.',
      line: 2,
      handler: { kind: 'message' },
    });
    const handlerText = t('messageHandlerFailed', {
      handler: 'when a message arrives',
      reason: 'bad payload',
    });
    assert.deepEqual(page.errorsShown.at(-1), { id: 'print', text: handlerText });
    runner.send({
      type: 'error',
      message: 'oops',
      line: 2,
      handler: { kind: 'button', button: 'a' },
    });
    assert.equal(
      page.lines.at(-1)!.text,
      t('buttonHandlerFailed', { handler: 'when a pressed', reason: 'oops' }),
    );
    runner.send({ type: 'status', status: 'ended' });
    assert.deepEqual(page.ended, [undefined], 'ended by itself: no handler error is its reason');
    runner.send({ type: 'error', message: 'WiFi name is empty', line: 1 });
    runner.send({ type: 'status', status: 'ended' });
    assert.deepEqual(page.ended, [undefined, 'WiFi name is empty']);
    assert.deepEqual(page.lines.at(-1), { kind: 'info', text: t('programEnded') });
  });

  it('Stop ends the run: board dark (sliders kept), wall closed, next Worker readied', async () => {
    const { page, runner, mirrors, session, settings } = setUp();
    await session.run(PROGRAM, settings, 'mpython-1');
    runner.send({
      type: 'board',
      patch: {
        leds: [
          [9, 9, 9],
          [9, 9, 9],
          [9, 9, 9],
        ],
      },
    });
    session.input({ kind: 'sound', level: 3000 });
    session.input({ kind: 'button', button: 'a' });
    assert.deepEqual(runner.inputs, [
      { kind: 'sound', level: 3000 },
      { kind: 'button', button: 'a' },
    ]);
    assert.equal(session.board.sound, 3000);
    await session.stop();
    assert.equal(session.running, false);
    assert.equal(session.programId, '');
    assert.equal(runner.stops, 1);
    assert.equal(runner.prewarms, 1);
    assert.equal(mirrors[0].closed, true);
    assert.deepEqual(session.board, idleBoard({ light: 2048, sound: 3000 }));
    assert.deepEqual(page.lines.at(-1), { kind: 'info', text: t('programStopped') });
    // Stopping again does nothing.
    await session.stop();
    assert.equal(runner.stops, 1);
  });

  it('the teacher’s Stop on the wall stops the run', async () => {
    const { runner, mirrors, session, settings } = setUp();
    await session.run(PROGRAM, settings, 'mpython-1');
    mirrors[0].stop();
    await Promise.resolve();
    assert.equal(session.running, false);
    assert.equal(runner.stops, 1);
  });

  it('leaving the page ends the Worker', async () => {
    const { host, runner, session, settings } = setUp();
    await session.run(PROGRAM, settings, 'mpython-1');
    for (const controller of host.controllers) controller.hostDisconnected?.();
    assert.equal(session.running, false);
    assert.equal(runner.disposed, true);
  });
});
