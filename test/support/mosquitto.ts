/**
 * Mosquitto for tests and the benchmark: its own process with a TCP and a WebSocket listener on
 * loopback ports that were free a moment ago (Mosquitto cannot be told to pick one itself), never
 * the 1883 a system Mosquitto may hold.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';

const BINARIES = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'];
/** How long Mosquitto may take to answer after it starts. */
const START_DEADLINE_MS = 20_000;

/** A running Mosquitto. */
export interface Mosquitto {
  tcpPort: number;
  wsPort: number;
  /** Ends the process and removes its configuration. */
  stop(): Promise<void>;
}

/** A loopback port that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Starts Mosquitto and resolves once it answers an MQTT connect over TCP. */
export async function startMosquitto(): Promise<Mosquitto> {
  const binary = BINARIES.find((path) => existsSync(path));
  if (!binary) throw new Error('Mosquitto is not installed (apt-get install mosquitto)');
  const dir = await mkdtemp(join(tmpdir(), 'iot-blocks-mosquitto-'));
  const [tcpPort, wsPort] = [await freePort(), await freePort()];
  const config = join(dir, 'mosquitto.conf');
  await writeFile(
    config,
    [
      'allow_anonymous true',
      `listener ${tcpPort} 127.0.0.1`,
      `listener ${wsPort} 127.0.0.1`,
      'protocol websockets',
      '',
    ].join('\n'),
  );
  const child = spawn(binary, ['-c', config], { stdio: 'ignore' });
  const mosquitto: Mosquitto = {
    tcpPort,
    wsPort,
    stop: async () => {
      await stopProcess(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
  const end = Date.now() + START_DEADLINE_MS;
  for (;;) {
    try {
      const probe = await mqtt.connectAsync(`mqtt://127.0.0.1:${tcpPort}`, {
        reconnectPeriod: 0,
        connectTimeout: 2000,
      });
      await probe.endAsync();
      return mosquitto;
    } catch (error) {
      if (Date.now() > end) {
        await mosquitto.stop();
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
