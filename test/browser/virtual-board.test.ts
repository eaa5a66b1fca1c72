/// <reference types="mocha" />
// <virtual-board> in real Chromium: what it shows for a board state (LED colours, the OLED's
// text, online or offline, sensor levels) and the one `board-input` each thing a child does sends.
import { expect } from '@esm-bundle/chai';
import { idleBoard, type BoardInput, type BoardState } from '../../src/board/board-state.ts';
import '../../src/board/virtual-board.ts';
import type { VirtualBoard } from '../../src/board/virtual-board.ts';
import { nextFrame, waitFor } from './wait-for.ts';

let container: HTMLDivElement;
let inputs: BoardInput[];
const record = (event: CustomEvent<BoardInput>) => inputs.push(event.detail);

beforeEach(() => {
  inputs = [];
  // On the document: the event must bubble out of the board's shadow root.
  document.addEventListener('board-input', record);
});

afterEach(() => {
  document.removeEventListener('board-input', record);
  container?.remove();
});

async function mount(state?: BoardState): Promise<VirtualBoard> {
  container = document.createElement('div');
  container.style.cssText = 'width: 400px;';
  const board = document.createElement('virtual-board');
  if (state) board.state = state;
  container.append(board);
  document.body.append(container);
  await board.updateComplete;
  return board;
}

function part<T extends Element = Element>(board: VirtualBoard, selector: string): T {
  const found = board.shadowRoot!.querySelector<T>(selector);
  if (!found) throw new Error(`no ${selector}`);
  return found;
}

function ledColours(board: VirtualBoard): string[] {
  return [0, 1, 2].map((i) => part(board, `[data-led="${i}"]`).getAttribute('data-rgb')!);
}

/** The `rgb()` a person sees on `element`, as numbers. */
function shownFill(element: Element): number[] {
  const fill = getComputedStyle(element).fill;
  const match = /^rgb\((\d+), (\d+), (\d+)\)$/.exec(fill);
  if (!match) throw new Error(`fill is ${fill}`);
  return match.slice(1).map(Number);
}

/** Clicks where a mouse would, at `element`'s centre: pointer down, pointer up, click. */
function click(board: VirtualBoard, element: Element): void {
  const box = element.getBoundingClientRect();
  const [clientX, clientY] = [box.left + box.width / 2, box.top + box.height / 2];
  const target = board.shadowRoot!.elementFromPoint(clientX, clientY)!;
  expect(element.contains(target), 'the control is what is under the pointer').to.equal(true);
  const init = { bubbles: true, composed: true, clientX, clientY, button: 0, pointerId: 1 };
  target.dispatchEvent(new PointerEvent('pointerdown', { ...init, pointerType: 'mouse' }));
  target.dispatchEvent(new PointerEvent('pointerup', { ...init, pointerType: 'mouse' }));
  target.dispatchEvent(new MouseEvent('click', { ...init, detail: 1 }));
}

function pressKey(target: Element, key: string): void {
  const init = { key, bubbles: true, composed: true, cancelable: true };
  target.dispatchEvent(new KeyboardEvent('keydown', init));
  target.dispatchEvent(new KeyboardEvent('keyup', init));
}

/** Waits for the first input, then a little longer, and returns every input that came. */
async function inputsAfter(board: VirtualBoard, action: () => void): Promise<BoardInput[]> {
  action();
  await waitFor(() => inputs.length > 0, 5000, 'a board-input event');
  await board.updateComplete;
  await nextFrame();
  return inputs.splice(0);
}

describe('<virtual-board>', () => {
  it('shows an idle board: LEDs off, blank screen, offline, sensor levels', async () => {
    const board = await mount(idleBoard());
    expect(ledColours(board)).to.deep.equal(['0,0,0', '0,0,0', '0,0,0']);
    const [r, g, b] = shownFill(part(board, '[data-led="0"]'));
    expect(Math.max(r, g, b) - Math.min(r, g, b), 'an off LED is grey').to.be.below(30);
    const status = part(board, '[data-online]');
    expect(status.getAttribute('data-online')).to.equal('false');
    expect(status.textContent?.trim()).to.equal('offline');
    for (const line of [1, 2, 3, 4])
      expect(part(board, `[data-line="${line}"]`).textContent).to.equal('');
    expect(part<HTMLInputElement>(board, '[data-sensor="light"]').value).to.equal('2048');
    expect(part<HTMLInputElement>(board, '[data-sensor="sound"]').value).to.equal('0');
  });

  it('shows each LED colour exactly, and a dim red as clearly red', async () => {
    const board = await mount();
    board.state = {
      ...idleBoard(),
      leds: [
        [50, 0, 0],
        [0, 255, 0],
        [1, 2, 3],
      ],
    };
    await board.updateComplete;
    expect(ledColours(board)).to.deep.equal(['50,0,0', '0,255,0', '1,2,3']);
    const [r, g, b] = shownFill(part(board, '[data-led="0"]'));
    expect(r, 'red over green').to.be.above(g);
    expect(r, 'red over blue').to.be.above(b);
    expect(r, 'not near black').to.be.above(150);
    const [r2, g2, b2] = shownFill(part(board, '[data-led="1"]'));
    expect(g2).to.be.above(Math.max(r2, b2));
  });

  it('shows the OLED lines as text, Chinese and HTML-looking text included', async () => {
    const board = await mount();
    const oled = ['Hello 你好', '<b>x</b>', '  indented', 'a line far too long for a screen'];
    board.state = { ...idleBoard(), oled: oled as unknown as BoardState['oled'] };
    await board.updateComplete;
    expect([1, 2, 3, 4].map((n) => part(board, `[data-line="${n}"]`).textContent)).to.deep.equal(
      oled,
    );
    expect(board.shadowRoot!.querySelector('b')).to.equal(null);
    expect(part(board, '[data-line="2"]').children).to.have.length(0);
    expect(part(board, '[data-line="4"]').closest('[clip-path]')).not.to.equal(null);
  });

  it('says online when the program is connected', async () => {
    const board = await mount();
    board.state = { ...idleBoard(), online: true };
    await board.updateComplete;
    const status = part(board, '[data-online]');
    expect(status.getAttribute('data-online')).to.equal('true');
    expect(status.textContent?.trim()).to.equal('online');
  });

  it('shows new sensor levels on its sliders', async () => {
    const board = await mount();
    board.state = { ...idleBoard(), light: 100, sound: 4095 };
    await board.updateComplete;
    expect(part<HTMLInputElement>(board, '[data-sensor="light"]').value).to.equal('100');
    expect(part<HTMLInputElement>(board, '[data-sensor="sound"]').value).to.equal('4095');
  });

  describe('inputs: exactly one board-input each', () => {
    it('clicking button A', async () => {
      const board = await mount();
      const a = part(board, '[data-button="a"]');
      expect(await inputsAfter(board, () => click(board, a))).to.deep.equal([
        { kind: 'button', button: 'a' },
      ]);
      await waitFor(() => a.classList.contains('pressed') === false, 5000, 'press feedback ends');
    });

    it('a click with no pointer, as assistive technology sends', async () => {
      const board = await mount();
      const a = part(board, '[data-button="a"]');
      expect(
        await inputsAfter(board, () => a.dispatchEvent(new MouseEvent('click', { bubbles: true }))),
      ).to.deep.equal([{ kind: 'button', button: 'a' }]);
    });

    it('Enter on focused button B, Space on a focused pad', async () => {
      const board = await mount();
      const b = part<SVGGElement>(board, '[data-button="b"]');
      b.focus();
      expect(board.shadowRoot!.activeElement).to.equal(b);
      expect(await inputsAfter(board, () => pressKey(b, 'Enter'))).to.deep.equal([
        { kind: 'button', button: 'b' },
      ]);
      const o = part<SVGGElement>(board, '[data-pad="O"]');
      o.focus();
      expect(await inputsAfter(board, () => pressKey(o, ' '))).to.deep.equal([
        { kind: 'touch', pad: 'O' },
      ]);
    });

    it('key b on the board, even while button B has focus', async () => {
      const board = await mount();
      const svg = part<SVGSVGElement>(board, 'svg');
      svg.focus();
      expect(board.shadowRoot!.activeElement).to.equal(svg);
      expect(await inputsAfter(board, () => pressKey(svg, 'b'))).to.deep.equal([
        { kind: 'button', button: 'b' },
      ]);
      const b = part<SVGGElement>(board, '[data-button="b"]');
      b.focus();
      expect(await inputsAfter(board, () => pressKey(b, 'B'))).to.deep.equal([
        { kind: 'button', button: 'b' },
      ]);
    });

    it('clicking touch pad T', async () => {
      const board = await mount();
      expect(
        await inputsAfter(board, () => click(board, part(board, '[data-pad="T"]'))),
      ).to.deep.equal([{ kind: 'touch', pad: 'T' }]);
    });

    it('moving the light and sound sliders', async () => {
      const board = await mount();
      const light = part<HTMLInputElement>(board, '[data-sensor="light"]');
      const move = (slider: HTMLInputElement, value: string) => () => {
        slider.value = value;
        slider.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
      };
      expect(await inputsAfter(board, move(light, '1000'))).to.deep.equal([
        { kind: 'light', level: 1000 },
      ]);
      const sound = part<HTMLInputElement>(board, '[data-sensor="sound"]');
      expect(await inputsAfter(board, move(sound, '4095'))).to.deep.equal([
        { kind: 'sound', level: 4095 },
      ]);
    });

    it('nothing for a click on the board itself or a key that means nothing', async () => {
      const board = await mount();
      const svg = part<SVGSVGElement>(board, 'svg');
      svg.focus();
      pressKey(svg, 'x');
      pressKey(svg, 'Enter');
      click(board, part(board, '.brand'));
      // Then a real input, so the wait has an end: it must be the only one that came.
      expect(await inputsAfter(board, () => pressKey(svg, 'a'))).to.deep.equal([
        { kind: 'button', button: 'a' },
      ]);
    });
  });
});
