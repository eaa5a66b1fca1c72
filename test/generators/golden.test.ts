// Whole-program golden outputs for the OneNET example. The golden files change only when someone
// runs this test with UPDATE_GOLDEN=1 and commits what it wrote.
import '../../src/cli/headless-dom.ts';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { before, describe, it } from 'node:test';
import * as Blockly from 'blockly';
import { registerBlocks } from '../../src/editor/register.ts';
import { generateMicroPython } from '../../generators/micropython/index.ts';
import { generateTypeScript } from '../../generators/typescript/index.ts';
import example from '../../src/examples/onenet-rgb.json' with { type: 'json' };

registerBlocks();

const update = process.env.UPDATE_GOLDEN === '1';

/** The example's program in each language, with the golden file it must equal. */
const outputs = (() => {
  const workspace = new Blockly.Workspace();
  try {
    Blockly.serialization.workspaces.load(example.workspace, workspace);
    return [
      { file: 'onenet-rgb.py', code: generateMicroPython(workspace).code },
      { file: 'onenet-rgb.ts', code: generateTypeScript(workspace).code },
    ].map((o) => ({ ...o, path: fileURLToPath(new URL(`../golden/${o.file}`, import.meta.url)) }));
  } finally {
    workspace.dispose();
  }
})();

describe('golden outputs (the OneNET example)', () => {
  for (const { file, path, code } of outputs) {
    it(`matches test/golden/${file}`, () => {
      if (update) {
        writeFileSync(path, code);
        console.log(`UPDATE_GOLDEN=1: rewrote test/golden/${file}`);
        return;
      }
      assert.ok(existsSync(path), `test/golden/${file} is missing: run with UPDATE_GOLDEN=1`);
      assert.equal(
        code,
        readFileSync(path, 'utf8'),
        `generated code differs from test/golden/${file}; if the change is intended, run with UPDATE_GOLDEN=1 and review the diff`,
      );
    });
  }
});

/** Stand-ins for the board's modules that record what the program does. */
const STUBS: Record<string, string> = {
  '/lib/mpython.py': `
log = []
class _Rgb:
    def fill(self, colour):
        log.append(("rgb.fill", colour))
    def __setitem__(self, index, colour):
        log.append(("rgb[]", index, colour))
    def write(self):
        log.append(("rgb.write",))
rgb = _Rgb()
class wifi:
    def connectWiFi(self, ssid, password):
        log.append(("connectWiFi", ssid, password))
`,
  '/lib/machine.py': `
from mpython import log
class Timer:
    PERIODIC = 1
    def __init__(self, number):
        self.number = number
    def init(self, period, mode, callback):
        log.append(("Timer.init", self.number, period, mode))
        callback(self)
`,
  '/lib/umqtt/__init__.py': '',
  '/lib/umqtt/simple.py': `
from mpython import log
class Stop(Exception):
    pass
class MQTTClient:
    inbox = []
    def __init__(self, client_id, server, port, user, password, keepalive=0):
        log.append(("MQTTClient", client_id, server, port, user, password, keepalive))
    def set_callback(self, callback):
        self.callback = callback
    def connect(self):
        log.append(("connect",))
    def ping(self):
        log.append(("ping",))
    def wait_msg(self):
        if not MQTTClient.inbox:
            raise Stop()
        self.callback(*MQTTClient.inbox.pop(0))
    def disconnect(self):
        log.append(("disconnect",))
`,
};

describe('the golden main.py on MicroPython, with stand-in board modules', () => {
  const python = outputs[0].code;
  let run: { log: unknown; printed: string[] };

  before(async () => {
    // No type declarations ship with the package; a variable keeps tsc from looking for them.
    const pkg = '@micropython/micropython-webassembly-pyscript';
    const { loadMicroPython } = (await import(pkg)) as {
      loadMicroPython(options: { stdout: (line: string) => void }): Promise<{
        FS: { mkdirTree(path: string): void; writeFile(path: string, data: string): void };
        globals: { get(name: string): unknown; set(name: string, value: unknown): void };
        runPython(code: string): unknown;
      }>;
    };
    const printed: string[] = [];
    const micropython = await loadMicroPython({ stdout: (line) => printed.push(line) });
    micropython.FS.mkdirTree('/lib/umqtt');
    for (const [path, source] of Object.entries(STUBS)) micropython.FS.writeFile(path, source);
    micropython.globals.set('source', python);
    micropython.runPython(`
import json, mpython, umqtt.simple
umqtt.simple.MQTTClient.inbox = [(b"$creq/1", b"on"), (b"$creq/2", b"off"), (b"$creq/3", b"ON")]
try:
    exec(source, {})
except umqtt.simple.Stop:
    pass
log = json.dumps(mpython.log)
`);
    run = { log: JSON.parse(String(micropython.globals.get('log'))), printed };
  });

  it('does what the seed program does, in its order', () => {
    assert.deepEqual(run.log, [
      ['connectWiFi', 'ssid', 'password'],
      ['MQTTClient', 'deviceID', '183.230.40.39', 6002, 'productID', 'APIKey', 10],
      ['connect'],
      ['Timer.init', 1, 2000, 1],
      ['ping'],
      ['rgb.fill', [50, 0, 0]],
      ['rgb.write'],
      ['rgb.fill', [0, 0, 0]],
      ['rgb.write'],
      ['disconnect'],
    ]);
  });

  it('prints each message’s topic and text', () => {
    assert.deepEqual(run.printed, ['$creq/1 on', '$creq/2 off', '$creq/3 ON']);
  });
});
