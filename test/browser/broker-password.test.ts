/// <reference types="mocha" />
// A custom browser-broker address may carry `user:password@`. In real Chromium against the test
// broker (aedes): the program still logs in with those credentials, and no line the page receives
// (the connect line, errors) shows the password.
import { expect } from '@esm-bundle/chai';
import { ProgramRunner } from '../../src/run/program-runner.ts';
import type { FromWorker } from '../../src/run/protocol.ts';
import { serverCommand } from './server-command.ts';
import { waitFor } from './wait-for.ts';

const SECRET = 'top-secret-42';

const brokerUrl = () => serverCommand<string>('broker-url');
const login = (clientId: string) =>
  serverCommand<{ username: string | null; password: string | null } | false>('broker-login', {
    clientId,
  });

/** A program that connects as `clientId` with no username or password of its own, then waits. */
const program = (clientId: string) =>
  [
    'import { mqtt } from "@iot-blocks/runtime";',
    '',
    'await mqtt.connect({',
    '  server: "board.example",',
    '  port: 1883,',
    `  clientId: ${JSON.stringify(clientId)},`,
    '  username: "",',
    '  password: "",',
    '  keepalive: 10,',
    '});',
    'await mqtt.listenForever();',
    '',
  ].join('\n');

/** `ws://user:SECRET@host:port/mqtt` for the test broker's address. */
function withCredentials(url: string, user: string): string {
  return url.replace('ws://', `ws://${user}:${SECRET}@`);
}

/** Every text the page received: printed lines and error messages. */
const texts = (all: FromWorker[]) =>
  all.flatMap((m) => (m.type === 'print' ? [m.text] : m.type === 'error' ? [m.message] : []));

let runner: ProgramRunner;

beforeEach(() => {
  runner = new ProgramRunner();
});

afterEach(async () => {
  await runner.dispose();
});

describe('a broker address with a password', () => {
  it('logs in with it and prints the address with the password masked', async () => {
    const url = withCredentials(await brokerUrl(), 'teacher');
    const received: FromWorker[] = [];
    await runner.run(program('pw-1'), { url, sendCredentials: true }, (m) => received.push(m));
    await waitFor(
      () => received.some((m) => m.type === 'status' && m.status === 'online'),
      10000,
      'online',
    );
    expect(await login('pw-1')).to.deep.equal({ username: 'teacher', password: SECRET });
    const lines = texts(received);
    expect(lines.join('\n')).to.include('ws://teacher:•••@127.0.0.1:').and.not.include(SECRET);
  });

  it('masks it in the refusal and in "cannot reach"', async () => {
    // The test broker refuses this username (CONNACK 4).
    const refused = withCredentials(await brokerUrl(), 'wrong-user');
    const nowhere = `ws://u:${SECRET}@127.0.0.1:9/mqtt`;
    for (const url of [refused, nowhere]) {
      const received: FromWorker[] = [];
      await runner.run(program('pw-2'), { url, sendCredentials: true }, (m) => received.push(m));
      await waitFor(
        () => received.some((m) => m.type === 'status' && m.status === 'ended'),
        15000,
        `ended (${url})`,
      );
      const errors = received.flatMap((m) => (m.type === 'error' ? [m.message] : []));
      expect(errors, url).to.have.length(1);
      expect(errors[0]).to.include(':•••@127.0.0.1:');
      expect(texts(received).join('\n')).to.not.include(SECRET);
    }
  });
});
