/// <reference types="mocha" />
// <message-console> in real Chromium against a real console WebSocket server
// (test/support/console-test-server.js), asserted on what a person sees and on the frames the
// server received.
import { expect } from '@esm-bundle/chai';
import '../../src/console/message-console.ts';
import { MAX_LOG_ENTRIES, type MessageConsole } from '../../src/console/message-console.ts';
import { MIN_INTERVAL_MS, SETTLE_MS } from '../../src/board/announcer.ts';
import { setLanguage } from '../../src/i18n/language.ts';
import { ManualClock, listen } from './announce-clock.ts';
import { sendKeys, serverCommand } from './server-command.ts';
import { waitFor } from './wait-for.ts';

/** A frame the test server received from a console. */
type Received = Record<string, unknown> | string;

const startServer = (online: string[] = []) =>
  serverCommand<{ url: string }>('console-server-start', { online });
const received = () => serverCommand<Received[]>('console-server-received');
/** Sends `frames` to every console; resolves with how many consoles are connected. */
const push = (...frames: unknown[]) =>
  serverCommand<{ clients: number }>('console-server-push', { frames });
const dropConnections = () => serverCommand<{ clients: number }>('console-server-drop');

const base64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

/** A `message` frame as the server sends it, with `payload` as UTF-8 text or raw bytes. */
function message(topic: string, payload: string | Uint8Array, extra: object = {}) {
  const bytes = typeof payload === 'string' ? new TextEncoder().encode(payload) : payload;
  return {
    type: 'message',
    time: Date.now(),
    topic,
    payloadBase64: base64(bytes),
    from: null,
    ...extra,
  };
}

let container: HTMLDivElement;
let serverUrl: string;

async function mountConsole(online = ['deviceID', 'board-2']): Promise<MessageConsole> {
  ({ url: serverUrl } = await startServer(online));
  container = document.createElement('div');
  container.style.cssText = 'position: fixed; inset: 0; width: 460px; height: 640px;';
  const panel = document.createElement('message-console');
  panel.deviceId = 'deviceID';
  panel.url = serverUrl;
  container.append(panel);
  document.body.append(container);
  await waitFor(() => stateOf(panel) === 'open', 10000, 'console connected');
  // The server says who is online in its first frame, just after the link opens.
  await waitFor(
    () => rootOf(panel).querySelectorAll('.device').length === online.length,
    10000,
    'devices online listed',
  );
  return panel;
}

const rootOf = (panel: MessageConsole) => panel.shadowRoot!;
const stateOf = (panel: MessageConsole) =>
  rootOf(panel).querySelector<HTMLElement>('.state')?.dataset.state;

function button(panel: MessageConsole, action: string): HTMLButtonElement {
  const found = rootOf(panel).querySelector<HTMLButtonElement>(`[data-action="${action}"]`);
  if (!found) throw new Error(`no ${action} button`);
  return found;
}

/** What the log shows, top to bottom: each entry's kind, topic (or badge) and payload text. */
function shownEntries(panel: MessageConsole) {
  return [...rootOf(panel).querySelectorAll<HTMLElement>('.entry')].map((entry) => ({
    kind: entry.dataset.kind,
    topic: entry.querySelector('.topic, .badge')?.textContent?.trim(),
    payload: entry.querySelector('.payload')?.textContent,
    binary: entry.querySelector('.tag') !== null,
  }));
}

/** Waits for an entry with `payload` and returns it. */
const entryWith = (panel: MessageConsole, payload: string) =>
  waitFor(
    () => shownEntries(panel).find((entry) => entry.payload === payload),
    10000,
    `an entry showing ${JSON.stringify(payload)}`,
  );

/** Waits until the server has received `frame` and returns every frame it received. */
async function serverReceived(frame: Received): Promise<Received[]> {
  const wanted = JSON.stringify(frame);
  return waitFor(
    async () => {
      const frames = await received();
      return frames.some((f) => JSON.stringify(f) === wanted) ? frames : null;
    },
    10000,
    `the server received ${wanted}`,
  );
}

afterEach(() => container?.remove());

describe('<message-console>', () => {
  it('lists the devices online and sends to the studio’s device by default', async () => {
    const panel = await mountConsole();
    const chips = [...rootOf(panel).querySelectorAll<HTMLElement>('.device')];
    expect(chips.map((chip) => chip.textContent?.trim())).to.deep.equal(['board-2', 'deviceID']);
    expect(rootOf(panel).querySelector('select')!.value).to.equal('deviceID');
    expect(chips[1].getAttribute('aria-pressed')).to.equal('true');

    await push({ type: 'connect', clientId: 'board-3' });
    await waitFor(() => rootOf(panel).querySelector('[data-device="board-3"]'));
    // In the order a person counts: board-10 after board-3.
    await push({ type: 'connect', clientId: 'board-10' });
    await waitFor(() => rootOf(panel).querySelector('[data-device="board-10"]'));
    expect(
      [...rootOf(panel).querySelectorAll<HTMLElement>('.device')].map(
        (chip) => chip.dataset.device,
      ),
    ).to.deep.equal(['board-2', 'board-3', 'board-10', 'deviceID']);
    await push({ type: 'disconnect', clientId: 'board-2' });
    await waitFor(() => !rootOf(panel).querySelector('[data-device="board-2"]'));
    await push({ type: 'clients', online: [] });
    await waitFor(() => rootOf(panel).querySelectorAll('.device').length === 0);
    // The studio's own device stays pickable, marked offline.
    expect(rootOf(panel).querySelector('select')!.selectedOptions[0].textContent?.trim()).to.equal(
      'deviceID (offline)',
    );
  });

  it('“on” sends {type: send} for the device, one line with its direct delivery inside', async () => {
    const panel = await mountConsole();
    button(panel, 'send-on').click();
    const frames = await serverReceived({ type: 'send', clientId: 'deviceID', payloadText: 'on' });
    expect(frames).to.have.length(1);

    const delivered = await waitFor(
      () => rootOf(panel).querySelector<HTMLElement>('.entry .delivered'),
      10000,
      'the delivery shown in the send’s line',
    );
    expect(shownEntries(panel)).to.deep.equal([
      { kind: 'message', topic: 'cmd/deviceID', payload: 'on', binary: false },
    ]);
    expect(delivered.textContent?.trim()).to.equal('delivered directly to deviceID');
    // Nothing is lost: the topic it was delivered on is in the line's hints.
    expect(delivered.title).to.match(/^The broker delivered it straight to deviceID on \$creq\//);
    const topic = rootOf(panel).querySelector<HTMLElement>('.entry .topic')!;
    expect(topic.title).to.match(
      /^cmd\/deviceID\nDelivered straight to deviceID on \$creq\/[0-9a-f-]{36}$/,
    );
    const time = rootOf(panel).querySelector('.entry time')!.textContent!;
    expect(time).to.match(/^\d\d:\d\d:\d\d$/);

    // Two sends of the same text: two lines, each with its own delivery.
    button(panel, 'send-off').click();
    button(panel, 'send-off').click();
    await waitFor(
      () => rootOf(panel).querySelectorAll('.entry .delivered').length === 3,
      10000,
      'three deliveries',
    );
    expect(shownEntries(panel).map((entry) => `${entry.topic} ${entry.payload}`)).to.deep.equal([
      'cmd/deviceID on',
      'cmd/deviceID off',
      'cmd/deviceID off',
    ]);

    // A delivery whose send is not in the log (it was cleared) keeps a line of its own.
    await push(message('$creq/1234', 'late', { to: 'deviceID', direct: true }));
    await entryWith(panel, 'late');
    expect(shownEntries(panel).at(-1)!.topic).to.equal('→ deviceID (direct)');
  });

  it('sends to the device the picker shows, only while it is online', async () => {
    // A teacher's studio: no connect block, so no client ID of its own.
    const panel = await mountConsole(['deviceID', 'board-2']);
    panel.deviceId = '';
    const select = rootOf(panel).querySelector('select')!;
    await waitFor(() => select.value === 'board-2', 10000, 'the first device online shown');
    await waitFor(() => !button(panel, 'send-on').disabled, 10000, 'on enabled');
    button(panel, 'send-on').click();
    await serverReceived({ type: 'send', clientId: 'board-2', payloadText: 'on' });

    // The child's own device, offline: shown so, and on/off say why they are grey.
    panel.deviceId = 'my-board';
    await waitFor(() => select.selectedOptions[0]?.textContent?.trim() === 'my-board (offline)');
    expect(button(panel, 'send-on').disabled).to.equal(true);
    expect(button(panel, 'send-off').disabled).to.equal(true);
    const note = rootOf(panel).querySelector('[data-note="offline"]')!;
    expect(note.textContent).to.contain('my-board is not online');
    await push({ type: 'connect', clientId: 'my-board' });
    await waitFor(() => !button(panel, 'send-on').disabled, 10000, 'on enabled once online');
    expect(rootOf(panel).querySelector('[data-note]')).to.equal(null);
  });

  it('says so when the blocks’ client ID changes while the program runs, and keeps its target', async () => {
    const panel = await mountConsole(['deviceID']);
    panel.programId = 'deviceID';
    // The child edits the client ID in the running program's blocks.
    panel.deviceId = 'board-7';
    const note = await waitFor(
      () => rootOf(panel).querySelector('[data-note="id-changed"]'),
      10000,
      'the notice',
    );
    expect(note.textContent).to.equal(
      'Your blocks now say client ID “board-7”, but the running program is still connected as “deviceID”: messages go to deviceID. Run it again to use board-7.',
    );
    expect(rootOf(panel).querySelector('select')!.value).to.equal('deviceID');
    button(panel, 'send-on').click();
    await serverReceived({ type: 'send', clientId: 'deviceID', payloadText: 'on' });
    setLanguage('zh-hans');
    try {
      await waitFor(() =>
        rootOf(panel).querySelector('[data-note="id-changed"]')?.textContent?.includes('重新运行'),
      );
    } finally {
      setLanguage('en');
    }

    // Run again: the program connects as the new ID, and the notice goes.
    panel.programId = 'board-7';
    await push({ type: 'disconnect', clientId: 'deviceID' });
    await push({ type: 'connect', clientId: 'board-7' });
    await waitFor(() => !rootOf(panel).querySelector('[data-note]'), 10000, 'no notice');
    expect(rootOf(panel).querySelector('select')!.value).to.equal('board-7');
    expect(button(panel, 'send-on').disabled).to.equal(false);
  });

  it('sends typed text with Enter, to the device picked, and publishes to a topic', async () => {
    const panel = await mountConsole();
    rootOf(panel).querySelector<HTMLButtonElement>('[data-device="board-2"]')!.click();
    await waitFor(() => rootOf(panel).querySelector('select')!.value === 'board-2');

    const text = rootOf(panel).querySelector<HTMLInputElement>('[data-form="send"] input')!;
    text.focus();
    await sendKeys({ type: 'blink 3' });
    await sendKeys({ press: 'Enter' });
    await serverReceived({ type: 'send', clientId: 'board-2', payloadText: 'blink 3' });
    await waitFor(() => text.value === '', 10000, 'the box emptied after sending');

    // Publishing to any topic is folded away until asked for.
    const fold = rootOf(panel).querySelector<HTMLDetailsElement>('details.publish')!;
    expect(fold.open).to.equal(false);
    fold.querySelector('summary')!.click();
    const publishForm = rootOf(panel).querySelector('[data-form="publish"]')!;
    const [topic, payload] = publishForm.querySelectorAll('input');
    topic.focus();
    await sendKeys({ type: 'class/+/temp' });
    payload.focus();
    await sendKeys({ type: '21' });
    await sendKeys({ press: 'Enter' });
    const error = await waitFor(() => publishForm.querySelector('[role="alert"]'));
    expect(error.textContent).to.equal('A topic to publish to cannot contain + or #.');

    topic.select();
    await sendKeys({ type: ' class/3/temp ' });
    button(panel, 'publish').click();
    await serverReceived({ type: 'publish', topic: 'class/3/temp', payloadText: '21' });
    const entry = await entryWith(panel, '21');
    expect(entry.topic).to.equal('class/3/temp');
    expect(
      (await received()).filter((f) => typeof f !== 'string' && f.type === 'publish'),
    ).to.have.length(1);
  });

  it('words the lines already in the log again after a language switch', async () => {
    const panel = await mountConsole();
    await push(
      message('$creq/1234', 'late', { to: 'deviceID', direct: true }),
      { type: 'connect', clientId: 'deviceID' },
      { type: 'disconnect', clientId: 'deviceID' },
    );
    await entryWith(panel, 'deviceID went offline.');
    const lines = () =>
      shownEntries(panel).map((entry) => `${entry.topic ?? ''} ${entry.payload ?? ''}`);
    expect(lines()).to.deep.equal([
      '→ deviceID (direct) late',
      'info deviceID is online.',
      'info deviceID went offline.',
    ]);
    setLanguage('zh-hans');
    try {
      await waitFor(() => lines()[0] === '→ deviceID（直接发送） late', 10000, 'lines in Chinese');
      expect(lines()).to.deep.equal([
        '→ deviceID（直接发送） late',
        '提示 deviceID 上线了。',
        '提示 deviceID 下线了。',
      ]);
    } finally {
      setLanguage('en');
    }
    await waitFor(() => lines()[2] === 'info deviceID went offline.', 10000, 'back in English');
  });

  it('shows an HTML payload as the text it is', async () => {
    const panel = await mountConsole();
    const hostile = '<img src=x onerror=alert(1)>';
    await push(message('class/chat', hostile), message('cmd/<b>x</b>', 'ok'));
    expect((await entryWith(panel, hostile)).topic).to.equal('class/chat');
    expect((await entryWith(panel, 'ok')).topic).to.equal('cmd/<b>x</b>');
    expect(rootOf(panel).querySelector('.log img, .log b')).to.equal(null);
  });

  it('shows bytes that are not UTF-8 as \\xNN escapes, tagged binary', async () => {
    const panel = await mountConsole();
    await push(
      message('sensor/raw', new Uint8Array([0x68, 0x69, 0xff, 0x00, 0xe4, 0xba])),
      message('sensor/text', '亮 on ✓'),
    );
    const raw = await entryWith(panel, 'hi\\xFF\\x00\\xE4\\xBA');
    expect(raw.binary).to.equal(true);
    expect((await entryWith(panel, '亮 on ✓')).binary).to.equal(false);
  });

  it('ignores malformed frames and keeps working', async () => {
    const panel = await mountConsole();
    await push(
      'not json',
      'null',
      '[1, 2]',
      { type: 'message' },
      { ...message('a/b', 'x'), payloadBase64: '%%%' },
      { ...message('a/b', 'x'), time: 'noon' },
      { ...message('a/b', 'x'), from: 42 },
      { type: 'clients', online: 'deviceID' },
      { type: 'takeover' },
      { type: 'launch-rockets' },
      message('a/b', 'after the bad ones'),
    );
    await entryWith(panel, 'after the bad ones');
    expect(shownEntries(panel)).to.have.length(1);
    expect(stateOf(panel)).to.equal('open');
    expect(rootOf(panel).querySelectorAll('.device')).to.have.length(2);
    button(panel, 'send-on').click();
    await serverReceived({ type: 'send', clientId: 'deviceID', payloadText: 'on' });
  });

  it('says when another board took over the device’s client ID', async () => {
    const panel = await mountConsole();
    await push({ type: 'takeover', clientId: 'deviceID' });
    const entry = await entryWith(
      panel,
      'Another board connected as deviceID; the earlier one was disconnected.',
    );
    expect(entry.kind).to.equal('info');
  });

  it('shows program output; an error’s button asks the studio to show its block', async () => {
    const panel = await mountConsole();
    const shown: string[] = [];
    container.addEventListener('show-block', (event) => shown.push(event.detail.blockId));
    panel.addProgramLine({ kind: 'print', text: 'hello <b>world</b>' });
    panel.addProgramLine({ kind: 'info', text: 'Program started' });
    panel.addProgramLine({ kind: 'error', text: 'WiFi name is empty', blockId: 'wifi' });
    panel.addProgramLine({ kind: 'error', text: 'Something broke' });
    await waitFor(() => shownEntries(panel).length === 4);
    expect(shownEntries(panel).map(({ kind, payload }) => [kind, payload])).to.deep.equal([
      ['print', 'hello <b>world</b>'],
      ['info', 'Program started'],
      ['error', 'WiFi name is empty'],
      ['error', 'Something broke'],
    ]);
    const buttons = rootOf(panel).querySelectorAll<HTMLButtonElement>('[data-action="show-block"]');
    expect(buttons).to.have.length(1);
    expect(buttons[0].closest('.entry')!.querySelector('.payload')!.textContent).to.equal(
      'WiFi name is empty',
    );
    const color = getComputedStyle(buttons[0].closest('.entry')!).color;
    expect(color).to.equal('rgb(155, 28, 28)');
    buttons[0].click();
    expect(shown).to.deep.equal(['wifi']);
  });

  it(`keeps only the last ${MAX_LOG_ENTRIES} entries and follows the newest`, async () => {
    const panel = await mountConsole();
    const total = MAX_LOG_ENTRIES + 120;
    await push(...Array.from({ length: total }, (_, i) => message('class/count', `n${i}`)));
    await entryWith(panel, `n${total - 1}`);
    const log = rootOf(panel).querySelector<HTMLElement>('.log')!;
    // Following the newest, the log holds about what fits, with room to scroll up into.
    const following = shownEntries(panel);
    expect(following.length).to.be.below(100);
    expect(following.at(-1)!.payload).to.equal(`n${total - 1}`);
    expect(log.scrollHeight).to.be.above(log.clientHeight);
    expect(log.scrollHeight - log.scrollTop - log.clientHeight).to.be.below(2);

    // Scrolled up to read: every kept entry is back, the oldest first.
    const scrollUp = () => {
      log.scrollTop = 0;
      // The browser fires its scroll event a frame later; the console must know at once.
      log.dispatchEvent(new Event('scroll'));
    };
    scrollUp();
    const entries = shownEntries(panel);
    expect(entries).to.have.length(MAX_LOG_ENTRIES);
    expect(entries[0].payload).to.equal(`n${total - MAX_LOG_ENTRIES}`);
    scrollUp();

    // New messages do not pull the log down, a button offers to.
    await push(message('class/count', 'later'));
    await entryWith(panel, 'later');
    const jump = await waitFor(() => rootOf(panel).querySelector<HTMLButtonElement>('.jump'));
    expect(jump.textContent?.trim()).to.equal('↓ 1 new');
    expect(log.scrollTop).to.be.below(log.scrollHeight / 2);
    expect(shownEntries(panel)).to.have.length(MAX_LOG_ENTRIES);
    jump.click();
    await waitFor(() => log.scrollHeight - log.scrollTop - log.clientHeight < 2);
    await waitFor(() => !rootOf(panel).querySelector('.jump'));
    expect(shownEntries(panel).at(-1)!.payload).to.equal('later');
  });

  it('follows the newest again after Clear, even when it was scrolled up to read', async () => {
    const panel = await mountConsole();
    await push(...Array.from({ length: 100 }, (_, i) => message('class/count', `c${i}`)));
    await entryWith(panel, 'c99');
    const log = rootOf(panel).querySelector<HTMLElement>('.log')!;
    // Scrolled right to the top, so emptying the log moves nothing and fires no scroll event.
    for (let i = 0; i < 2; i++) {
      log.scrollTop = 0;
      log.dispatchEvent(new Event('scroll'));
    }
    // The browser's own scroll events for those have come and gone before Clear.
    for (let i = 0; i < 3; i++) await new Promise(requestAnimationFrame);
    expect(rootOf(panel).querySelectorAll('.jump')).to.have.length(0);
    button(panel, 'clear').click();
    await push(message('class/count', 'fresh'));
    await entryWith(panel, 'fresh');
    expect(rootOf(panel).querySelectorAll('.jump')).to.have.length(0);
    expect(shownEntries(panel).map((entry) => entry.payload)).to.deep.equal(['fresh']);
  });

  it('shows the newest lines when its tab is shown again after messages came in hidden', async () => {
    const panel = await mountConsole();
    panel.hidden = true;
    panel.style.display = 'none';
    await push(...Array.from({ length: 80 }, (_, i) => message('class/count', `h${i}`)));
    await waitFor(() => shownEntries(panel).some((entry) => entry.payload === 'h79'));
    panel.hidden = false;
    panel.style.display = '';
    const log = rootOf(panel).querySelector<HTMLElement>('.log')!;
    // Lines enough to fill the panel, scrolled to the newest.
    await waitFor(() => log.scrollHeight > log.clientHeight, 10000, 'the log filled');
    await waitFor(
      () => log.scrollHeight - log.scrollTop - log.clientHeight < 2,
      10000,
      'at the bottom',
    );
    expect(shownEntries(panel).at(-1)!.payload).to.equal('h79');
  });

  it('reconnects when the server drops it, and says so', async () => {
    const panel = await mountConsole();
    await dropConnections();
    await entryWith(panel, 'Lost the connection to the studio server. Trying again…');
    await waitFor(() => stateOf(panel) === 'open', 10000, 'reconnected');
    await entryWith(panel, 'Connected to the studio server.');
    await waitFor(() => rootOf(panel).querySelectorAll('.device').length === 2);
    button(panel, 'send-on').click();
    await serverReceived({ type: 'send', clientId: 'deviceID', payloadText: 'on' });
  });

  it('closes its connection when removed, and says so for an address that is not ws://', async () => {
    const panel = await mountConsole();
    container.remove();
    await waitFor(async () => {
      const { clients } = await push({ type: 'clients', online: [] });
      return clients === 0;
    });
    expect(stateOf(panel)).to.equal('none');

    panel.url = 'http://localhost/panel';
    document.body.append(container);
    await waitFor(() => stateOf(panel) === 'invalid');
    expect(rootOf(panel).querySelector('.state')!.textContent?.trim()).to.equal(
      'Bad console address',
    );
    expect(button(panel, 'send-on').disabled).to.equal(true);
  });

  it('announces arriving messages politely, a burst as one sentence, in en and zh', async () => {
    const panel = await mountConsole();
    const clock = new ManualClock();
    panel.announcer.clock = clock;
    const region = rootOf(panel).querySelector('[aria-live="polite"]')!;
    // The log itself is no live region (no role="log"): a burst would be read line by line.
    expect(rootOf(panel).querySelector('.log')!.hasAttribute('role')).to.equal(false);
    const heard = listen(region);
    const sayNow = async (ms: number) => {
      clock.advance(ms);
      await panel.updateComplete;
      return heard.said();
    };
    try {
      await push(message('class/x', 'one'), message('class/y', 'two'), message('class/x', 'hi'));
      await entryWith(panel, 'hi');
      expect(await sayNow(SETTLE_MS)).to.deep.equal(['3 new messages, the last on class/x: hi']);

      await push(message('class/z', 'alone'));
      await entryWith(panel, 'alone');
      expect(await sayNow(MIN_INTERVAL_MS)).to.deep.equal([
        '3 new messages, the last on class/x: hi',
        'new message on class/z: alone',
      ]);

      setLanguage('zh-hans');
      await push(message('class/x', '开'), message('class/y', '你好'));
      await entryWith(panel, '你好');
      expect((await sayNow(MIN_INTERVAL_MS)).at(-1)).to.equal(
        '2 条新消息，最后一条在 class/y：你好',
      );

      panel.announce = false;
      await panel.updateComplete;
      await push(message('class/x', 'quiet'));
      await entryWith(panel, 'quiet');
      expect(await sayNow(10 * MIN_INTERVAL_MS)).to.have.length(3);
      expect(region.textContent?.trim()).to.equal('');
    } finally {
      heard.stop();
      setLanguage('en');
    }
  });
});
