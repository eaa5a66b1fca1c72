/// <reference types="mocha" />
// What <virtual-board> tells a screen reader: its polite live region, in English and Chinese,
// coalesced per kind (time moved by a manual clock, never slept), and silent when turned off.
import { expect } from '@esm-bundle/chai';
import { MIN_INTERVAL_MS, SETTLE_MS } from '../../src/board/announcer.ts';
import { idleBoard, type BoardState, type Rgb } from '../../src/board/board-state.ts';
import '../../src/board/virtual-board.ts';
import type { VirtualBoard } from '../../src/board/virtual-board.ts';
import { setLanguage } from '../../src/i18n/language.ts';
import { ManualClock, listen } from './announce-clock.ts';

let container: HTMLDivElement | undefined;
let clock: ManualClock;
let heard: ReturnType<typeof listen> | undefined;

afterEach(() => {
  heard?.stop();
  container?.remove();
  setLanguage('en');
});

async function mount(): Promise<VirtualBoard> {
  clock = new ManualClock();
  container = document.createElement('div');
  container.style.cssText = 'width: 400px;';
  const board = document.createElement('virtual-board');
  board.announcer.clock = clock;
  container.append(board);
  document.body.append(container);
  await board.updateComplete;
  heard = listen(region(board));
  return board;
}

function region(board: VirtualBoard): HTMLElement {
  const found = board.shadowRoot!.querySelector<HTMLElement>('[aria-live="polite"]');
  if (!found) throw new Error('no live region');
  return found;
}

/** Gives the board a new state and lets it render. */
async function show(board: VirtualBoard, change: Partial<BoardState>): Promise<void> {
  board.state = { ...board.state, ...change };
  await board.updateComplete;
}

/** Moves time by `ms` and returns what the live region said in that time. */
async function after(board: VirtualBoard, ms: number): Promise<string[]> {
  const before = heard!.said().length;
  clock.advance(ms);
  await board.updateComplete;
  return heard!.said().slice(before);
}

const all = (rgb: Rgb): BoardState['leds'] => [rgb, rgb, rgb];

describe('<virtual-board> announcements', () => {
  it('has a polite, visually hidden live region and keeps its test hooks', async () => {
    const board = await mount();
    const live = region(board);
    expect(live.getAttribute('aria-live')).to.equal('polite');
    const box = live.getBoundingClientRect();
    expect(box.width * box.height).to.be.at.most(1);
    expect(live.textContent?.trim()).to.equal('');
    await show(board, { leds: all([50, 0, 0]), online: true });
    expect(board.shadowRoot!.querySelectorAll('[data-led][data-rgb="50,0,0"]')).to.have.length(3);
    expect(board.shadowRoot!.querySelector('.status[data-online="true"]')).to.not.equal(null);
    // The status pill is no live region of its own: the board's region says "online" once.
    expect(board.shadowRoot!.querySelector('.status')!.getAttribute('role')).to.equal(null);
  });

  it('says LED, screen, status and program changes in English', async () => {
    const board = await mount();
    await show(board, { leds: all([50, 0, 0]) });
    expect(await after(board, SETTLE_MS)).to.deep.equal(['LEDs red (50, 0, 0)']);

    await show(board, {
      leds: [
        [50, 0, 0],
        [0, 30, 0],
        [50, 0, 0],
      ],
    });
    expect(await after(board, MIN_INTERVAL_MS)).to.deep.equal(['LED 2 green (0, 30, 0)']);

    await show(board, { leds: all([120, 40, 200]) });
    expect(await after(board, MIN_INTERVAL_MS)).to.deep.equal(['LEDs red 120, green 40, blue 200']);

    await show(board, { leds: all([0, 0, 0]) });
    expect(await after(board, MIN_INTERVAL_MS)).to.deep.equal(['LEDs off']);

    await show(board, { oled: ['hello', '', '', ''] });
    expect(await after(board, SETTLE_MS)).to.deep.equal(['screen line 1: hello']);

    await show(board, { oled: ['hello', '', 'x = 3', ''] });
    expect(await after(board, MIN_INTERVAL_MS)).to.deep.equal(['screen line 3: x = 3']);

    await show(board, { oled: ['', '', '', ''] });
    expect(await after(board, MIN_INTERVAL_MS)).to.deep.equal(['screen cleared']);

    await show(board, { online: true });
    expect(await after(board, SETTLE_MS)).to.deep.equal(['online']);
    await show(board, { online: false });
    expect(await after(board, MIN_INTERVAL_MS)).to.deep.equal(['offline']);

    board.programEnded('WiFi name is empty');
    expect(await after(board, SETTLE_MS)).to.deep.equal(['program ended: WiFi name is empty']);
    // The region holds the newest sentence last.
    expect(region(board).lastElementChild?.textContent).to.equal(
      'program ended: WiFi name is empty',
    );
  });

  it('says them in Chinese when the studio speaks Chinese', async () => {
    setLanguage('zh-hans');
    const board = await mount();
    await show(board, { leds: all([50, 0, 0]), oled: ['你好', '', '', ''], online: true });
    const said = await after(board, SETTLE_MS);
    expect(said).to.have.members(['RGB 灯全部：红（50, 0, 0）', '屏幕第 1 行：你好', '在线']);

    await show(board, {
      leds: [
        [0, 0, 0],
        [50, 0, 0],
        [50, 0, 0],
      ],
      online: false,
    });
    expect(await after(board, MIN_INTERVAL_MS)).to.have.members(['RGB 灯 1：关', '离线']);

    await show(board, { leds: all([120, 40, 200]) });
    expect(await after(board, MIN_INTERVAL_MS)).to.deep.equal([
      'RGB 灯全部：红 120，绿 40，蓝 200',
    ]);

    board.programEnded();
    expect(await after(board, SETTLE_MS)).to.deep.equal(['程序结束了']);
  });

  it('tells a burst of 50 LED changes as one sentence with the last colour', async () => {
    const board = await mount();
    for (let i = 1; i <= 50; i++) {
      await show(board, { leds: all([i * 5, 0, i === 50 ? 0 : 1]) });
      clock.advance(SETTLE_MS / 100);
    }
    const said = await after(board, SETTLE_MS);
    expect(said).to.deep.equal(['LEDs red (250, 0, 0)']);
    expect(heard!.said()).to.have.length(1);

    // Another burst just after: at most one sentence a second per kind, with the latest state.
    for (let i = 0; i < 50; i++) await show(board, { leds: all([0, 0, 1 + i]) });
    expect(await after(board, SETTLE_MS)).to.deep.equal([]);
    expect(await after(board, MIN_INTERVAL_MS)).to.deep.equal(['LEDs blue (0, 0, 50)']);
    expect(heard!.said()).to.have.length(2);
  });

  it('says nothing when announcements are turned off, and again when turned on', async () => {
    const board = await mount();
    await show(board, { leds: all([50, 0, 0]) });
    // Turned off while a sentence waits: it is dropped.
    board.announce = false;
    await board.updateComplete;
    await show(board, { leds: all([0, 50, 0]), oled: ['hi', '', '', ''], online: true });
    board.programEnded();
    expect(await after(board, 10 * MIN_INTERVAL_MS)).to.deep.equal([]);
    expect(region(board).textContent?.trim()).to.equal('');

    board.announce = true;
    await board.updateComplete;
    await show(board, { leds: all([0, 0, 50]) });
    expect(await after(board, SETTLE_MS)).to.deep.equal(['LEDs blue (0, 0, 50)']);
  });

  it('starts quiet: the first state it is given is not news', async () => {
    clock = new ManualClock();
    container = document.createElement('div');
    const board = document.createElement('virtual-board');
    board.announcer.clock = clock;
    board.state = { ...idleBoard(), leds: all([50, 0, 0]), online: true };
    container.append(board);
    document.body.append(container);
    await board.updateComplete;
    clock.advance(10 * MIN_INTERVAL_MS);
    await board.updateComplete;
    expect(region(board).textContent?.trim()).to.equal('');
  });
});
