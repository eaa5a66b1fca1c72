// The classroom wall's server side against the real studio server and its broker: the teacher's
// page behind its token and the class password, and a board's state shown only on the tile of
// the client whose connection carried the run's secret.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mqtt, { type MqttClient } from 'mqtt';
import WebSocket from 'ws';
import type { Tile } from '../../src/class/class-protocol.ts';
import { buildIfStale } from '../../src/server/build.ts';
import { startStudio, type Studio } from '../../src/server/studio-server.ts';
import { DEADLINE, ROOT, eventually } from '../e2e/studio.ts';

const PASSWORD = 'apple';

describe('the classroom wall’s server', () => {
  let studio: Studio;
  let cookie: string;
  const clients: MqttClient[] = [];
  const sockets: WebSocket[] = [];

  before(async () => {
    await buildIfStale(ROOT, () => {});
    studio = await startStudio({
      root: ROOT,
      port: 0,
      mqttPort: 0,
      host: '127.0.0.1',
      log: () => {},
      classPassword: PASSWORD,
    });
    const res = await fetch(`${studio.url}class-password`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Origin: studio.url.slice(0, -1),
      },
      body: new URLSearchParams({ password: PASSWORD, next: '/' }).toString(),
    });
    cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
    assert.ok(cookie);
  });

  after(async () => {
    for (const client of clients) client.end(true);
    for (const ws of sockets) ws.terminate();
    await studio?.close();
  });

  /** Opens a WebSocket on the studio with the class cookie. */
  async function open(path: string): Promise<WebSocket> {
    const ws = new WebSocket(`${studio.url.replace('http', 'ws')}${path.slice(1)}`, {
      headers: { Cookie: cookie },
    });
    sockets.push(ws);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    return ws;
  }

  /** A program's connection as a studio page makes it: over WebSocket, with the run's secret. */
  async function program(clientId: string, run: string): Promise<MqttClient> {
    const client = await mqtt.connectAsync(`${studio.url.replace('http', 'ws')}mqtt?run=${run}`, {
      clientId,
      reconnectPeriod: 0,
      wsOptions: { headers: { Cookie: cookie } },
    });
    clients.push(client);
    return client;
  }

  it('asks for the class password before the teacher’s page, then comes back to it', async () => {
    const link = `/class?token=${studio.wall.token}`;
    const res = await fetch(`${studio.url}${link.slice(1)}`);
    assert.equal(res.status, 401);
    assert.ok((await res.text()).includes(`value="${link}"`));
    const page = await fetch(`${studio.url}${link.slice(1)}`, { headers: { Cookie: cookie } });
    assert.equal(page.status, 200);
    const refused = await fetch(`${studio.url}class?token=x`, { headers: { Cookie: cookie } });
    assert.equal(refused.status, 403);
  });

  it('shows a page’s board only on the tile of the client that carried its run’s secret', async () => {
    const tiles = new Map<string, Tile>();
    const wall = await open(`/classroom?token=${studio.wall.token}`);
    wall.on('message', (data) => {
      for (const tile of (JSON.parse(String(data)) as { tiles: Tile[] }).tiles) {
        tiles.set(tile.clientId, tile);
      }
    });
    const mine = 'a'.repeat(32);
    const theirs = 'b'.repeat(32);
    await program('kid-1', mine);
    await program('kid-2', theirs);
    await eventually(() => tiles.get('kid-2')?.online === true, 'both tiles');
    const board = await open('/board');
    const state = (run: string, red: number) =>
      JSON.stringify({
        type: 'state',
        run,
        project: `p${red}`,
        leds: [
          [red, 0, 0],
          [red, 0, 0],
          [red, 0, 0],
        ],
        oled: ['', '', '', ''],
      });
    board.send(state(mine, 10));
    await eventually(() => tiles.get('kid-1')?.board?.leds[0][0] === 10, 'kid-1’s state');
    // A guessed secret paints nothing; kid-2's own secret paints kid-2 only.
    board.send(state('c'.repeat(32), 99));
    board.send(state(theirs, 20));
    await eventually(() => tiles.get('kid-2')?.board?.leds[0][0] === 20, 'kid-2’s state');
    assert.equal(tiles.get('kid-1')?.board?.leds[0][0], 10);
    assert.equal(tiles.get('kid-1')?.project, 'p10');

    // Someone else connecting as kid-1 takes the ID, but not the old run's tile.
    await program('kid-1', 'd'.repeat(32));
    board.send(state('d'.repeat(32), 40));
    await eventually(() => tiles.get('kid-1')?.board?.leds[0][0] === 40, 'the new run', DEADLINE);
    board.send(state(mine, 30));
    board.send(state(theirs, 21));
    await eventually(() => tiles.get('kid-2')?.board?.leds[0][0] === 21, 'kid-2 again');
    assert.equal(tiles.get('kid-1')?.board?.leds[0][0], 40);
  });

  it('disconnects a client publishing another client’s state', async () => {
    const forger = await program('kid-3', 'e'.repeat(32));
    const closed = new Promise<void>((resolve) => forger.once('close', () => resolve()));
    forger.publish('$iot/state/kid-1', '{}');
    await closed;
  });
});
