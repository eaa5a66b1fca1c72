/**
 * The studio server the broker's security tests run against: the real `startStudio` on free
 * loopback ports, serving a one-line fixture page and collecting its terminal lines, and MQTT
 * clients that never reconnect, all ended with it.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { startStudio, type Studio } from '../../src/server/studio-server.ts';

/** The interface every test server listens on and every client connects to. */
export const HOST = '127.0.0.1';
/** Generous: tests wait on outcomes, never on how fast they came. */
export const DEADLINE = 30_000;

/** A running studio and what the tests use of it. */
export interface BrokerFixture {
  studio: Studio;
  /** Every line the studio printed, in order. */
  lines: string[];
  /** A connected mqtt.js client over TCP (or WebSocket at /mqtt) that never reconnects. */
  connect(
    clientId: string,
    options?: { over?: 'tcp' | 'ws'; username?: string; password?: string },
  ): Promise<MqttClient>;
  /** Waits until `check()` gives a value; fails with `what` and the terminal after DEADLINE. */
  until<T>(what: string, check: () => T | undefined | false): Promise<T>;
  /** Ends the clients and the studio, and removes the fixture page. */
  close(): Promise<void>;
}

/** Starts a studio for the test file `name`. */
export async function startBrokerFixture(name: string): Promise<BrokerFixture> {
  const root = await mkdtemp(join(tmpdir(), `iot-blocks-${name}-`));
  await mkdir(join(root, 'dist'));
  await writeFile(join(root, 'dist', 'index.html'), '<!doctype html><iot-studio></iot-studio>\n');
  const lines: string[] = [];
  const clients: MqttClient[] = [];
  const studio = await startStudio({
    root,
    port: 0,
    mqttPort: 0,
    host: HOST,
    log: (line) => lines.push(line),
  });
  return {
    studio,
    lines,
    async connect(clientId, { over = 'tcp', username, password } = {}) {
      const url =
        over === 'tcp'
          ? `mqtt://${HOST}:${studio.mqttPort}`
          : `ws://${HOST}:${studio.httpPort}/mqtt`;
      const client = await mqtt.connectAsync(url, {
        clientId,
        username,
        password,
        reconnectPeriod: 0,
        connectTimeout: DEADLINE,
      });
      client.on('error', () => {});
      clients.push(client);
      return client;
    },
    async until(what, check) {
      const end = Date.now() + DEADLINE;
      for (;;) {
        const value = check();
        if (value !== undefined && value !== false) return value;
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${lines.join('\n')}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async close() {
      await Promise.all(clients.map((client) => client.endAsync(true)));
      await studio.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
