/// <reference types="mocha" />
// ProgramRunner in real Chromium: programs generated from blocks run in a Worker against a real
// MQTT broker (aedes, test/support/test-broker.js), asserted on what the page receives and on
// what the broker sees.
import { expect } from '@esm-bundle/chai';
import * as Blockly from 'blockly';
import { transform } from 'sucrase';
import { generateTypeScript } from '../../generators/typescript/index.ts';
import { registerBlocks } from '../../src/editor/register.ts';
import { exampleText } from '../../src/examples/index.ts';
import { loadProject, parseProject } from '../../src/project/project-file.ts';
import type { Rgb } from '../../src/board/board-state.ts';
import { ProgramRunner } from '../../src/run/program-runner.ts';
import { runtimeStringMaps } from '../../src/runtime/strings.ts';
import type { BrowserBrokerTarget, FromWorker, ProgramStatus } from '../../src/run/protocol.ts';
import { serverCommand } from './server-command.ts';
import { nextFrame, waitFor } from './wait-for.ts';

registerBlocks();

// --- the test broker, driven from Node through WTR server commands --------------------------

const brokerUrl = () => serverCommand<string>('broker-url');
const publish = (topic: string, payload: string | number[]) =>
  serverCommand<boolean>('broker-publish', { topic, payload });
/** Delivers to one client without a subscription, as OneNET delivers commands. */
const deliver = (clientId: string, topic: string, payload: string) =>
  serverCommand<boolean>('broker-deliver', { clientId, topic, payload });
const clients = () => serverCommand<{ mqtt: number; sockets: number }>('broker-clients');
const subscribers = (topic: string) => serverCommand<number>('broker-subscribers', { topic });
const brokerMessages = (topic: string) => serverCommand<number[][]>('broker-messages', { topic });
const login = (clientId: string) =>
  serverCommand<{ username: string | null; password: string | null } | false>('broker-login', {
    clientId,
  });
const restartBroker = () => serverCommand<boolean>('broker-restart');

// --- programs ----------------------------------------------------------------------------------

/**
 * The TypeScript for a serialized workspace, the line each block id starts at, and the block that
 * made a line (a block may make several: the listen block's `try {` and its `listenForever`).
 */
function generate(workspaceJson: object): {
  code: string;
  lineOf(id: string): number;
  blockAt(line: number | undefined): string | undefined;
} {
  const workspace = new Blockly.Workspace();
  try {
    Blockly.serialization.workspaces.load(workspaceJson, workspace);
    const { code, lineBlocks } = generateTypeScript(workspace);
    return {
      code,
      lineOf(id) {
        const index = lineBlocks.indexOf(id);
        if (index < 0) throw new Error(`block ${id} made no line`);
        return index + 1;
      },
      blockAt: (line) => (line ? (lineBlocks[line - 1] ?? undefined) : undefined),
    };
  } finally {
    workspace.dispose();
  }
}

const number = (id: string, value: number) => ({
  shadow: { type: 'math_number', id, fields: { NUM: value } },
});
const text = (id: string, value: string) => ({
  block: { type: 'text', id, fields: { TEXT: value } },
});
const fill = (id: string, [r, g, b]: Rgb, next?: object) => ({
  type: 'rgb_fill',
  id,
  inputs: { RED: number(`${id}-r`, r), GREEN: number(`${id}-g`, g), BLUE: number(`${id}-b`, b) },
  ...(next ? { next: { block: next } } : {}),
});

/**
 * Blocks: connect as `clientId`, subscribe to `lights`, listen forever; on a message, `on` fills
 * the LEDs red, `off` dark, and `boom` prints the length of a variable never set (a TypeError,
 * the kind of mistake a child makes).
 */
function lightsWorkspace(clientId: string, username = '', password = ''): object {
  return {
    blocks: {
      languageVersion: 0,
      blocks: [
        {
          type: 'mqtt_connect',
          id: 'connect',
          fields: {
            SERVER: 'board.example',
            PORT: 1883,
            CLIENT_ID: clientId,
            USERNAME: username,
            PASSWORD: password,
            KEEPALIVE: 10,
          },
          next: {
            block: {
              type: 'mqtt_subscribe',
              id: 'subscribe',
              inputs: { TOPIC: text('topic', 'lights') },
              next: { block: { type: 'mqtt_listen_forever', id: 'listen' } },
            },
          },
        },
        {
          type: 'mqtt_on_message',
          id: 'on-message',
          y: 300,
          inputs: {
            DO: {
              block: {
                type: 'controls_if',
                id: 'if',
                extraState: { elseIfCount: 2 },
                inputs: {
                  IF0: { block: { type: 'mqtt_message_is', id: 'is-on', fields: { TEXT: 'on' } } },
                  DO0: { block: fill('red', [50, 0, 0]) },
                  IF1: {
                    block: { type: 'mqtt_message_is', id: 'is-off', fields: { TEXT: 'off' } },
                  },
                  DO1: { block: fill('dark', [0, 0, 0]) },
                  IF2: {
                    block: { type: 'mqtt_message_is', id: 'is-boom', fields: { TEXT: 'boom' } },
                  },
                  DO2: {
                    block: {
                      type: 'text_print',
                      id: 'boom-print',
                      inputs: {
                        TEXT: {
                          block: {
                            type: 'text_length',
                            id: 'length',
                            inputs: {
                              VALUE: {
                                block: {
                                  type: 'variables_get',
                                  id: 'get-x',
                                  fields: { VAR: { id: 'var-x' } },
                                },
                              },
                            },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      ],
    },
    variables: [{ name: 'x', id: 'var-x' }],
  };
}

function exampleProgram(): string {
  const workspace = new Blockly.Workspace();
  try {
    loadProject(workspace, parseProject(exampleText('onenet-rgb')!));
    return generateTypeScript(workspace).code;
  } finally {
    workspace.dispose();
  }
}

// --- what the page receives --------------------------------------------------------------------

/** Collects every message a run sends the page. */
class Received {
  readonly all: FromWorker[] = [];
  readonly onMessage = (message: FromWorker) => this.all.push(message);

  statuses(): ProgramStatus[] {
    return this.all.flatMap((m) => (m.type === 'status' ? [m.status] : []));
  }
  leds(): (readonly Rgb[])[] {
    return this.all.flatMap((m) => (m.type === 'board' && m.patch.leds ? [m.patch.leds] : []));
  }
  prints(): string[] {
    return this.all.flatMap((m) => (m.type === 'print' ? [m.text] : []));
  }
  errors(): { message: string; line?: number }[] {
    return this.all.flatMap((m) => (m.type === 'error' ? [m] : []));
  }
  /** Resolves once the status list has `status` at or after index `from`. */
  status(status: ProgramStatus, from = 0, timeout = 10000): Promise<number> {
    return waitFor(
      () => {
        const index = this.statuses().indexOf(status, from);
        return index >= 0 ? index + 1 : 0;
      },
      timeout,
      `status ${status} (statuses so far: ${this.statuses().join(', ')})`,
    ).then((n) => n - 1);
  }
}

const RED: Rgb[] = [
  [50, 0, 0],
  [50, 0, 0],
  [50, 0, 0],
];
const DARK: Rgb[] = [
  [0, 0, 0],
  [0, 0, 0],
  [0, 0, 0],
];

let url: string;
let runner: ProgramRunner;
let target: BrowserBrokerTarget;

before(async () => {
  url = await brokerUrl();
});

beforeEach(() => {
  runner = new ProgramRunner();
  target = { url, sendCredentials: false };
});

afterEach(async () => {
  await runner.dispose();
});

/** Runs `code` and waits until it is online and subscribed to `lights`. */
async function runLights(code: string): Promise<Received> {
  const received = new Received();
  await runner.run(code, target, received.onMessage);
  await received.status('online');
  await waitFor(async () => (await subscribers('lights')) >= 1, 10000, 'subscribed to lights');
  return received;
}

describe('ProgramRunner', () => {
  it('runs the OneNET example: online, and a command sent to its client ID lights the LEDs', async () => {
    const received = new Received();
    await runner.run(exampleProgram(), target, received.onMessage);
    await received.status('online');
    expect(received.statuses().slice(0, 2)).to.deep.equal(['running', 'online']);
    expect(received.prints()[0]).to.equal('WiFi "ssid": the browser is already online');
    expect(received.prints()[1]).to.include(url).and.include('183.230.40.39:6002');
    // Without sendCredentials the block's username and password stay in the browser.
    expect(await login('deviceID')).to.deep.equal({ username: null, password: null });

    // The test broker delivers straight to the client, as OneNET does with its commands.
    expect(await deliver('deviceID', '$creq/4f2a', 'on')).to.equal(true);
    await waitFor(() => received.leds().length === 1, 10000, 'LEDs lit');
    expect(received.leds()).to.deep.equal([RED]);
    expect(received.prints()).to.include('$creq/4f2a on');
    await deliver('deviceID', '$creq/4f2b', 'off');
    await waitFor(() => received.leds().length === 2, 10000, 'LEDs dark');
    expect(received.leds()[1]).to.deep.equal(DARK);
    expect(received.errors()).to.deep.equal([]);
  });

  it('subscribes from blocks and handles each message in order', async () => {
    const { code } = generate(lightsWorkspace('lights-1'));
    const received = await runLights(code);
    await publish('lights', 'on');
    await publish('lights', 'off');
    await publish('lights', 'on ');
    await publish('lights', 'off');
    await waitFor(() => received.leds().length === 3, 10000, 'three LED writes');
    expect(received.leds()).to.deep.equal([RED, DARK, DARK]);
    expect(received.errors()).to.deep.equal([]);
  });

  it("reports a handler's error at the throwing block's line and handles later messages", async () => {
    const program = generate(lightsWorkspace('lights-2'));
    const line = program.lineOf('boom-print');
    // The length of `x` (never set: None on the board) is taken on this line.
    expect(program.code.split('\n')[line - 1]).to.match(/\bx\b.*\.length/);
    const received = await runLights(program.code);

    await publish('lights', 'boom');
    const [error] = await waitFor(() => (received.errors().length ? received.errors() : null));
    expect(error.line).to.equal(line);
    // A TypeError, as `len(None)` raises on the board.
    expect(error.message).to.match(/^TypeError: /);

    await publish('lights', 'on');
    await waitFor(() => received.leds().length === 1, 10000, 'the next message handled');
    expect(received.leds()).to.deep.equal([RED]);
    await publish('lights', 'boom');
    await publish('lights', 'off');
    await waitFor(() => received.leds().length === 2, 10000, 'and the one after another error');
    expect(received.errors().map((e) => e.line)).to.deep.equal([line, line]);
    expect(received.statuses()).to.deep.equal(['running', 'online']);
  });

  it('sends the username and password only when the broker target allows it', async () => {
    const { code } = generate(lightsWorkspace('lights-3', 'teacher', 'secret'));
    await runLights(code);
    expect(await login('lights-3')).to.deep.equal({ username: null, password: null });
    await runner.stop();

    target = { url, sendCredentials: true };
    await runLights(code);
    expect(await login('lights-3')).to.deep.equal({ username: 'teacher', password: 'secret' });
  });

  it('says so in words when the broker refuses the password, at the connect line', async () => {
    const program = generate(lightsWorkspace('lights-4', 'wrong-user', 'nope'));
    target = { url, sendCredentials: true };
    const received = new Received();
    await runner.run(program.code, target, received.onMessage);
    await received.status('ended');
    const [error] = received.errors();
    expect(error.message).to.equal(
      `The broker at ${url} refused the connection: the username or password is wrong.`,
    );
    expect(error.line).to.equal(program.lineOf('connect'));
    expect(received.statuses()).to.deep.equal(['running', 'ended']);
  });

  it('says so in words when there is no broker at the address', async () => {
    const program = generate(lightsWorkspace('lights-5'));
    const nowhere = 'ws://127.0.0.1:9/mqtt';
    const received = new Received();
    await runner.run(program.code, { url: nowhere, sendCredentials: false }, received.onMessage);
    await received.status('ended');
    expect(received.errors()).to.deep.equal([
      {
        type: 'error',
        message: `Cannot reach the broker at ${nowhere}. Is the broker running, and is the address right?`,
        // What to say, so the page can word it again after a language switch.
        sentence: { key: 'cannotReachBroker', args: [nowhere] },
        line: program.lineOf('connect'),
        lines: [program.lineOf('connect')],
      },
    ]);
  });

  it('stops a program stuck in while (true) {} and the page stays responsive', async () => {
    const code = [
      'import { print } from "@iot-blocks/runtime";',
      '',
      'print("spinning");',
      'while (true) {}',
      '',
    ].join('\n');
    const received = new Received();
    await runner.run(code, target, received.onMessage);
    await waitFor(() => received.prints().includes('spinning'), 10000, 'the loop started');
    // The page paints frames while the program spins.
    await nextFrame();
    await nextFrame();
    const started = performance.now();
    await runner.stop();
    const took = performance.now() - started;
    expect(took).to.be.below(3000);
    expect(runner.running).to.equal(false);
    // The page still paints frames and runs timers.
    await nextFrame();
    await new Promise((resolve) => setTimeout(resolve, 0));
    const count = received.all.length;
    await nextFrame();
    expect(received.all.length, 'nothing reaches the page after stop').to.equal(count);
  });

  it('leaves no client on the broker after 20 Run/Stop cycles', async () => {
    const { code } = generate(lightsWorkspace('cycles'));
    for (let cycle = 0; cycle < 20; cycle++) {
      const received = new Received();
      // Every other run starts from a prewarmed worker, and every other stop comes at once.
      if (cycle % 2) runner.prewarm();
      await runner.run(code, target, received.onMessage);
      if (cycle % 4 < 2) await received.status('online');
      await runner.stop();
    }
    await waitFor(
      async () => {
        const { mqtt, sockets } = await clients();
        return mqtt === 0 && sockets === 0;
      },
      20000,
      'no clients left',
    );
  });

  it('stays offline after the broker restarts: the listen block fails with why, and it ends', async () => {
    const program = generate(lightsWorkspace('lights-6'));
    const received = await runLights(program.code);
    await publish('lights', 'on');
    await waitFor(() => received.leds().length === 1);

    // umqtt.simple never reconnects: the board's wait_msg() raises and main.py ends there.
    await restartBroker();
    await received.status('ended');
    expect(received.statuses()).to.deep.equal(['running', 'online', 'offline', 'ended']);
    const { droppedOther } = runtimeStringMaps.en;
    expect(received.all.find((m) => m.type === 'status' && m.status === 'offline')).to.deep.equal({
      type: 'status',
      status: 'offline',
      detail: droppedOther,
    });
    const errors = received.errors();
    expect(errors.map((e) => [e.message, program.blockAt(e.line)])).to.deep.equal([
      [droppedOther, 'listen'],
    ]);

    // The restarted broker takes a new program at once; the ended one never comes back to it.
    const next = new ProgramRunner();
    try {
      const again = new Received();
      await next.run(generate(lightsWorkspace('lights-6-again')).code, target, again.onMessage);
      await again.status('online');
      await waitFor(async () => (await subscribers('lights')) >= 1, 10000, 'the new subscription');
      await publish('lights', 'off');
      await waitFor(() => again.leds().length === 1, 10000, 'the new program handles a message');
      expect(again.leds()).to.deep.equal([DARK]);
      expect(await subscribers('lights')).to.equal(1);
      expect((await clients()).mqtt).to.equal(1);
      expect(received.statuses()).to.deep.equal(['running', 'online', 'offline', 'ended']);
      expect(received.leds()).to.deep.equal([RED]);
      expect(received.errors()).to.have.length(1);
    } finally {
      await next.dispose();
    }
  });

  it('handles a message that came before the program listens once it listens, not before', async () => {
    // Button A lets the top level go on to listen: the message is in by then (its publish has
    // been written to the program's connection), and on the board it waits in the socket.
    const code = [
      'import { buttons, mqtt, print } from "@iot-blocks/runtime";',
      'mqtt.onMessage(async (message) => {',
      '  print("got " + message.text);',
      '});',
      'await mqtt.connect({ server: "", port: 1883, clientId: "early", username: "", password: "", keepalive: 10 });',
      'await mqtt.subscribe("early");',
      'print("subscribed");',
      'await new Promise<void>((resolve) => buttons.onPressed("a", async () => resolve()));',
      'print("listening");',
      'await mqtt.listenForever();',
    ].join('\n');
    const received = new Received();
    await runner.run(code, target, received.onMessage);
    await waitFor(() => received.prints().includes('subscribed'), 10000, 'subscribed');
    await publish('early', 'first');
    runner.input({ kind: 'button', button: 'a' });
    await waitFor(() => received.prints().includes('got first'), 10000, 'the message handled');
    await publish('early', 'second');
    await waitFor(() => received.prints().includes('got second'), 10000, 'the next one too');
    expect(received.prints().slice(1)).to.deep.equal([
      'subscribed',
      'listening',
      'got first',
      'got second',
    ]);
    expect(received.all.filter((m) => m.type === 'notice')).to.deep.equal([]);
  });

  it('moves payloads as bytes both ways and keeps a BOM in the text', async () => {
    const code = [
      'import { mqtt, print } from "@iot-blocks/runtime";',
      'mqtt.onMessage(async (message) => {',
      '  print([message.topic, JSON.stringify(message.text), message.is("\\ufeffhi")].join(" "));',
      '  await mqtt.publish("bytes/echo", message.payload);',
      '  await mqtt.publish("bytes/text", "好 " + message.text.length);',
      '});',
      'await mqtt.connect({ server: "", port: 1883, clientId: "bytes", username: "", password: "", keepalive: 10 });',
      'await mqtt.subscribe("bytes");',
      'await mqtt.listenForever();',
    ].join('\n');
    const received = new Received();
    await runner.run(code, target, received.onMessage);
    await waitFor(async () => (await subscribers('bytes')) >= 1, 10000, 'subscribed');
    const bytes = [0xef, 0xbb, 0xbf, 0x68, 0x69];
    await publish('bytes', bytes);
    await waitFor(async () => (await brokerMessages('bytes/text')).length === 1);
    expect(await brokerMessages('bytes/echo')).to.deep.equal([bytes]);
    expect(await brokerMessages('bytes/text')).to.deep.equal([
      [...new TextEncoder().encode('好 3')],
    ]);
    expect(received.prints().at(-1)).to.equal('bytes "\ufeffhi" true');

    await publish('bytes', [0x68, 0xff, 0x69]);
    await waitFor(() => received.prints().length >= 3);
    expect(received.prints().at(-1)).to.equal('bytes "h\ufffdi" false');
  });

  it('prints values as Python would, runs button handlers, drives the screen, then ends', async () => {
    const code = [
      'import { buttons, oled, print, rgb, sleep } from "@iot-blocks/runtime";',
      'buttons.onPressed("a", async () => {',
      '  rgb.set(1, 300, -4, 7.9);',
      '  oled.showText("A pressed", 2);',
      '});',
      'print(true); print(false); print(null); print(3); print(2.5); print(1e21);',
      'print([1, "a", true, null]); print("text");',
      'await sleep(NaN);',
      'await sleep(-5);',
      'print("slept");',
    ].join('\n');
    const received = new Received();
    await runner.run(code, target, received.onMessage);
    await waitFor(() => received.prints().includes('slept'));
    expect(received.prints()).to.deep.equal([
      'True',
      'False',
      'None',
      '3',
      '2.5',
      '1000000000000000000000',
      "[1, 'a', True, None]",
      'text',
      'slept',
    ]);
    // A button handler keeps the program alive.
    expect(received.statuses()).to.deep.equal(['running']);
    runner.input({ kind: 'button', button: 'a' });
    await waitFor(() => received.leds().length === 1);
    expect(received.leds()[0]).to.deep.equal([
      [0, 0, 0],
      [255, 0, 7],
      [0, 0, 0],
    ]);
    await waitFor(() => received.all.some((m) => m.type === 'board' && m.patch.oled));
    expect(received.all.find((m) => m.type === 'board' && m.patch.oled)).to.deep.equal({
      type: 'board',
      patch: { oled: ['', 'A pressed', '', ''] },
    });
  });

  it('reads the light and sound sliders: their levels at Run, then every change', async () => {
    // Moved before Run: the runner keeps it for the program it starts next.
    runner.input({ kind: 'light', level: 300 });
    const code = [
      'import { buttons, print, sensors } from "@iot-blocks/runtime";',
      'print([sensors.light(), sensors.sound()]);',
      'buttons.onPressed("a", async () => {',
      '  print([sensors.light(), sensors.sound()]);',
      '});',
    ].join('\n');
    const received = new Received();
    await runner.run(code, target, received.onMessage);
    await waitFor(() => received.prints().length === 1);
    expect(received.prints()).to.deep.equal(['[300, 0]']);
    runner.input({ kind: 'light', level: 4095 });
    runner.input({ kind: 'sound', level: 1234.6 });
    runner.input({ kind: 'button', button: 'a' });
    await waitFor(() => received.prints().length === 2);
    expect(received.prints()[1]).to.equal('[4095, 1235]');
  });

  it('ends a program whose top level finished with nothing left to run', async () => {
    const received = new Received();
    await runner.run(
      'import { print } from "@iot-blocks/runtime";\nprint("hello");\n',
      target,
      received.onMessage,
    );
    await received.status('ended');
    expect(received.statuses()).to.deep.equal(['running', 'ended']);
    expect(received.prints()).to.deep.equal(['hello']);
  });

  it('sucrase keeps every line of a generated program where it was', () => {
    const program = generate(lightsWorkspace('lines'));
    const js = transform(program.code, { transforms: ['typescript', 'imports'] }).code;
    const tsLines = program.code.split('\n');
    const jsLines = js.split('\n');
    expect(jsLines).to.have.length(tsLines.length);
    // Every string literal stays on its line.
    tsLines.forEach((line, i) => {
      for (const literal of line.match(/"[^"]*"/g) ?? []) {
        if (literal !== '"@iot-blocks/runtime"') expect(jsLines[i]).to.include(literal);
      }
    });
  });
});
