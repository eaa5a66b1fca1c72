// A child who cannot use a mouse, end to end: the built studio in headless Chromium against the
// real server and its broker, driven by the keyboard alone (page.keyboard, no clicks, nothing
// built or pressed through `evaluate`). From an empty workspace the child builds a program with
// Blockly 13's own keys (T for the toolbox, arrows, Enter to take a block and Enter to drop it),
// edits a number, runs it and sends `on` from Messages; the LEDs show 50,0,0. Every press is
// counted and the count printed. The page is only read: what has focus, what a screen reader
// would say there, whether the focus ring shows, and the blocks.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { LANGUAGE_STORAGE_KEY, type Language } from '../../src/i18n/language.ts';
import type { Studio } from '../../src/server/studio-server.ts';
import { DEADLINE, launchChromium, startTestStudio, waitForLeds, waitForOnline } from './studio.ts';

/** Where keyboard focus is: what a screen reader names it, and whether its ring shows. */
interface Focus {
  /** The element's aria-label, or its text. */
  label: string;
  /** Its `data-action`, `data-tab`, … as `key=value`, when it has one. */
  data: string;
  /** Its role. */
  role: string;
  /** Whether it is ours (in the studio's shadow DOM) or Blockly's. */
  ours: boolean;
  /** Our own control: its focus ring's colour and width, and the colour behind it. */
  ring: { colour: string; width: number; behind: string } | null;
}

/** The element keyboard focus is on, through open shadow roots; null on the page's body. */
function focused(page: Page): Promise<Focus | null> {
  return page.evaluate(() => {
    let element: Element | null = document.activeElement;
    let ours = false;
    while (element?.shadowRoot?.activeElement) {
      element = element.shadowRoot.activeElement;
      ours = true;
    }
    if (!element || element === document.body) return null;
    const data = Object.entries((element as HTMLElement).dataset ?? {})
      .map(([key, value]) => `${key}=${value}`)
      .join(' ');
    const label = (element.getAttribute('aria-label') || element.textContent || '')
      .replace(/\s+/g, ' ')
      .trim();
    let ring = null;
    if (ours) {
      // An SVG control of the board draws its own ring; anything else has an outline.
      const svgRing = element.querySelector(':scope > .focus-ring');
      const style = getComputedStyle(svgRing ?? element);
      // What the ring is drawn on: the board's circuit board, or the nearest painted box.
      let behind = 'rgb(255, 255, 255)';
      if (svgRing) {
        behind = getComputedStyle(element.closest('svg')!.querySelector('.pcb')!).fill;
      } else {
        let node: Node | null = element.parentNode;
        while (node) {
          const colour = node instanceof Element ? getComputedStyle(node).backgroundColor : '';
          if (colour && colour !== 'rgba(0, 0, 0, 0)' && colour !== 'transparent') {
            behind = colour;
            break;
          }
          node = node instanceof ShadowRoot ? node.host : node.parentNode;
        }
      }
      ring = svgRing
        ? { colour: style.stroke, width: parseFloat(style.strokeWidth), behind }
        : {
            colour: style.outlineStyle === 'none' ? 'none' : style.outlineColor,
            width: parseFloat(style.outlineWidth),
            behind,
          };
    }
    return { label, data, role: element.getAttribute('role') ?? element.localName, ours, ring };
  });
}

/** WCAG's contrast ratio of two `rgb(…)` colours. */
function contrast(a: string, b: string): number {
  const luminance = (colour: string) => {
    const [r, g, b] = (colour.match(/[\d.]+/g) ?? []).slice(0, 3).map((part) => {
      const c = Number(part) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

/** Fails unless `focus` (one of our controls) shows a ring at least 2 px wide, 3:1 to its backdrop. */
function assertRing(focus: Focus): void {
  const ring = focus.ring;
  assert.ok(ring && ring.colour !== 'none' && ring.width >= 2, `no ring: ${JSON.stringify(focus)}`);
  assert.ok(
    contrast(ring.colour, ring.behind) >= 3,
    `ring ${ring.colour} on ${ring.behind} is ${contrast(ring.colour, ring.behind).toFixed(2)}:1 ` +
      `at ${focus.data || focus.label}`,
  );
}

/** A child's hands on the keyboard: every key press goes through here and is counted. */
class Keyboard {
  presses = 0;
  /** Every place focus stopped at, in order. */
  readonly stops: Focus[] = [];

  constructor(private readonly page: Page) {}

  /** Presses `key` (`Tab`, `Shift+Tab`, `Enter`, `t`, …) once. */
  async press(key: string): Promise<void> {
    await this.page.keyboard.press(key);
    this.presses++;
  }

  /** Types `text`, one key press per character. */
  async type(text: string): Promise<void> {
    for (const character of text) await this.press(character);
  }

  /**
   * Presses `key` once, then waits until focus is on what `wanted` says (its data and label, or
   * its role when a string), as a child waits to see (or hear) where they are before the next key.
   */
  async pressTo(key: string, wanted: RegExp | string): Promise<Focus> {
    await this.press(key);
    return this.settle(wanted);
  }

  /** Presses `key` until focus is on what `wanted` says; at most `most` times. */
  async pressUntil(key: string, wanted: RegExp, most = 40): Promise<Focus> {
    for (let i = 0; i < most; i++) {
      await this.press(key);
      const now = await this.settled();
      if (now) this.stops.push(now);
      if (now && wanted.test(`${now.data} ${now.label}`)) return now;
    }
    throw new Error(`${key} × ${most} never reached ${wanted}: ${JSON.stringify(this.stops)}`);
  }

  /** Waits until focus rests on something (not the page's body) and returns it. */
  private async settled(): Promise<Focus | null> {
    const end = Date.now() + DEADLINE;
    for (;;) {
      const now = await focused(this.page);
      if (now || Date.now() > end) return now;
      await this.page.waitForTimeout(25);
    }
  }

  /** Waits until focus is on what `wanted` says. */
  private async settle(wanted: RegExp | string): Promise<Focus> {
    const end = Date.now() + DEADLINE;
    for (;;) {
      const now = await focused(this.page);
      const reached =
        now &&
        (typeof wanted === 'string'
          ? now.role === wanted
          : wanted.test(`${now.data} ${now.label}`));
      if (reached) {
        this.stops.push(now);
        return now;
      }
      if (Date.now() > end)
        throw new Error(`focus never reached ${wanted}: ${JSON.stringify(now)}`);
      await this.page.waitForTimeout(25);
    }
  }
}

/** The program on the page: one line per block, `type in parent.INPUT` (or `in top`), sorted. */
function program(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const workspace = document.querySelector('iot-studio')!.editor!.workspace!;
    return workspace
      .getAllBlocks(false)
      .map((block) => {
        const parent = block.getParent();
        const where = parent
          ? `${parent.type}.${parent.getInputWithBlock(block)?.name ?? 'next'}`
          : 'top';
        const number = block.type === 'math_number' ? `=${block.getFieldValue('NUM')}` : '';
        return `${block.type}${number} in ${where}`;
      })
      .sort();
  });
}

/** Waits until the program on the page is `wanted` (sorted lines as `program` gives them). */
async function waitForProgram(page: Page, wanted: string[]): Promise<void> {
  const end = Date.now() + DEADLINE;
  let now: string[] = [];
  while (Date.now() < end) {
    now = await program(page);
    if (JSON.stringify(now) === JSON.stringify([...wanted].sort())) return;
    await page.waitForTimeout(50);
  }
  assert.deepEqual(now, [...wanted].sort(), 'the program built with keys');
}

/** The lines `program` gives for the blocks a child has added so far. */
const CONNECT = ['mqtt_connect in top'];
const LISTEN = [...CONNECT, 'mqtt_listen_forever in mqtt_connect.next'];
const HANDLER = [...LISTEN, 'mqtt_on_message in top'];
const IS_ON = [...HANDLER, 'mqtt_if_message in mqtt_on_message.DO'];
const FILL = (red: number) => [
  ...IS_ON,
  'rgb_fill in mqtt_if_message.DO',
  `math_number=${red} in rgb_fill.RED`,
  'math_number=0 in rgb_fill.GREEN',
  'math_number=0 in rgb_fill.BLUE',
];

describe('keyboard only', () => {
  let studio: Studio;
  let browser: Browser;

  before(async () => {
    ({ studio } = await startTestStudio());
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await studio?.close();
  });

  /** A new page in `lang` with nothing saved: the studio opens on an empty project. */
  async function openStudio(lang: Language): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript(
      ([key, value]) => localStorage.setItem(key, value),
      [LANGUAGE_STORAGE_KEY, lang],
    );
    const page = await context.newPage();
    await page.goto(studio.url);
    await page.waitForFunction(
      () => document.querySelector('iot-studio')?.editor?.workspace,
      null,
      {
        timeout: DEADLINE,
      },
    );
    return page;
  }

  it('builds the program, runs it and sends `on`: the LEDs show 50,0,0', async () => {
    const page = await openStudio('en');
    const keys = new Keyboard(page);
    try {
      assert.deepEqual(await program(page), [], 'an empty workspace to start from');

      // Tab from the top of the page, through the toolbar, to the toolbox.
      await keys.pressUntil('Tab', /^ WiFi$/);
      // A category, then into its flyout; Enter takes a block, Enter again puts it down.
      await keys.pressTo('ArrowDown', /^ MQTT$/);
      await keys.pressTo('ArrowRight', /^ connect to MQTT broker/);
      await keys.pressTo('Enter', /^ connect to MQTT broker/);
      await keys.press('Enter');
      await waitForProgram(page, CONNECT);

      // T goes back to the toolbox. A new block starts next to the focused one.
      await keys.pressTo('t', /^ MQTT$/);
      await keys.pressTo('ArrowRight', /^ connect to MQTT broker/);
      await keys.pressUntil('ArrowDown', /^ keep listening for messages forever/);
      await keys.pressTo('Enter', /^ keep listening for messages forever/);
      await keys.press('Enter');
      await waitForProgram(page, LISTEN);

      await keys.pressTo('t', /^ MQTT$/);
      await keys.pressTo('ArrowRight', /^ connect to MQTT broker/);
      await keys.pressUntil('ArrowDown', /^ when a message arrives/);
      await keys.pressTo('Enter', /^ when a message arrives/);
      await keys.press('Enter');
      await waitForProgram(page, HANDLER);

      await keys.pressTo('t', /^ MQTT$/);
      await keys.pressTo('ArrowRight', /^ connect to MQTT broker/);
      await keys.pressUntil('ArrowDown', /^ if the message is, on/);
      await keys.pressTo('Enter', /^ if the message is, on/);
      await keys.press('Enter');
      await waitForProgram(page, IS_ON);

      await keys.pressTo('t', /^ MQTT$/);
      await keys.pressUntil('ArrowDown', /^ RGB LEDs$/);
      await keys.pressTo('ArrowRight', /^ set all LEDs to/);
      await keys.pressTo('Enter', /^ set all LEDs to/);
      await keys.press('Enter');
      await waitForProgram(page, FILL(255));

      // Into the new block, to its red number; Enter edits it, Enter again keeps it.
      await keys.pressUntil('ArrowRight', /^ Edit red: 255$/);
      await keys.pressTo('Enter', 'input');
      await keys.type('50');
      await keys.pressTo('Enter', /^ Edit red: 50$/);
      await waitForProgram(page, FILL(50));

      // Back up the page to Run.
      const run = await keys.pressUntil('Shift+Tab', /action=run/);
      assertRing(run);
      await keys.press('Enter');
      await waitForOnline(page);
      // Messages enables "on" once the studio's server has seen the device connect (a button that
      // is still disabled is not a Tab stop); a person sees it turn from grey to red.
      await page
        .locator('[data-action="send-on"]:not([disabled])')
        .waitFor({ state: 'attached', timeout: DEADLINE });

      // Run opened Messages: on through the board and the side panel to its "on" button.
      const sendOn = await keys.pressUntil('Tab', /action=send-on/);
      assertRing(sendOn);
      await keys.press('Enter');
      await waitForLeds(page, '50,0,0');

      // Every control of ours that focus passed showed where it was.
      for (const stop of keys.stops.filter((stop) => stop.ours)) assertRing(stop);
      const passed = keys.stops.map((stop) => stop.data || stop.label);
      for (const name of ['action=run', 'button=a', 'pad=N', 'tab=messages', 'action=send-on']) {
        assert.ok(passed.includes(name), `${name} reached: ${JSON.stringify(passed)}`);
      }
      console.log(`keyboard only: ${keys.presses} key presses from an empty workspace to 50,0,0`);
    } finally {
      await page.context().close();
    }
  });

  it('reaches the toolbar, the Project menu and the examples dialog, focus shown; Escape returns', async () => {
    const page = await openStudio('en');
    const keys = new Keyboard(page);
    try {
      assertRing(await keys.pressUntil('Tab', /^ Project$/));
      await keys.press('Enter');
      assertRing(await keys.pressTo('Tab', /action=new/));
      assertRing(await keys.pressUntil('Tab', /action=examples/));
      assertRing(await keys.pressTo('Enter', /action=close-examples/));
      assertRing(await keys.pressTo('Tab', /Open OneNET RGB remote control/));
      // Escape closes the dialog; focus goes back to the menu's button, not to the page's top.
      assertRing(await keys.pressTo('Escape', /^ Project$/));
      await keys.press('Enter');
      await keys.pressTo('Tab', /action=new/);
      assertRing(await keys.pressTo('Escape', /^ Project$/));
      assertRing(await keys.pressUntil('Tab', /action=language/));
      assertRing(await keys.pressTo('Enter', /action=language language=en/));
    } finally {
      await page.context().close();
    }
  });

  it('keeps focus on a block when Blockly brings the stack before it to the front', async () => {
    const page = await openStudio('en');
    try {
      // Blockly 13.3 does this a frame after a block is put down: the blocks drawn after the one
      // brought forward are moved in the SVG, and a moved element loses focus to the page.
      const where = await page.evaluate(async () => {
        const workspace = document.querySelector('iot-studio')!.editor!.workspace!;
        const [behind, focused] = ['mqtt_connect', 'mqtt_listen_forever'].map((type) => {
          const block = workspace.newBlock(type);
          block.initSvg();
          block.render();
          return block;
        });
        const element = focused.getFocusableElement() as SVGElement;
        // As Blockly's focus manager makes a block focusable when the keyboard reaches it.
        element.tabIndex = -1;
        element.focus();
        if (document.activeElement !== element) return 'never focused';
        behind.bringToFront();
        for (let i = 0; i < 3; i++) await new Promise(requestAnimationFrame);
        await new Promise((done) => setTimeout(done));
        return document.activeElement === element
          ? 'on the block'
          : document.activeElement?.tagName;
      });
      assert.equal(where, 'on the block');
    } finally {
      await page.context().close();
    }
  });

  const LABELS: { lang: Language; category: RegExp; block: RegExp; red: RegExp; wifi: RegExp }[] = [
    {
      lang: 'en',
      category: /^ RGB LEDs$/,
      block: /^ set all LEDs to/,
      red: /^ Edit red: 255$/,
      wifi: /^ Edit WiFi name: ssid$/,
    },
    {
      lang: 'zh-hans',
      category: /^ RGB 灯$/,
      block: /^ 所有 RGB 灯显示/,
      red: /^ 编辑 红: 255$/,
      wifi: /^ 编辑 WiFi 名称: ssid$/,
    },
  ];

  for (const { lang, category, block, red, wifi } of LABELS) {
    it(`reads our blocks' fields by their names, in ${lang}`, async () => {
      const page = await openStudio(lang);
      const keys = new Keyboard(page);
      try {
        await keys.pressUntil('Tab', /^ WiFi/);
        await keys.pressUntil('ArrowDown', category);
        await keys.pressTo('ArrowRight', block);
        await keys.pressTo('Enter', block);
        await keys.press('Enter');
        await waitForProgram(page, [
          'rgb_fill in top',
          'math_number=255 in rgb_fill.RED',
          'math_number=0 in rgb_fill.GREEN',
          'math_number=0 in rgb_fill.BLUE',
        ]);
        // The number in the red input is read as red, not as "number".
        await keys.pressUntil('ArrowRight', red);
        await keys.pressTo('t', category);
        await keys.pressUntil('ArrowUp', /^ WiFi/);
        await keys.press('ArrowRight');
        await keys.press('Enter');
        await keys.press('Enter');
        await keys.pressUntil('ArrowRight', wifi);
      } finally {
        await page.context().close();
      }
    });
  }
});
