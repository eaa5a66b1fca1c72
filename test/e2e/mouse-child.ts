/**
 * A child at a mouse, for end-to-end tests: opens toolbox categories, drags blocks out of the
 * flyout onto a connection (press, move in steps, release: real pointer events, no shortcuts),
 * and types into fields. Reads the workspace only to find where things are.
 */
import type { Page } from 'playwright-core';
import { DEADLINE } from './studio.ts';

export interface Point {
  x: number;
  y: number;
}

/** Page-side: the studio's workspace and a workspace point's place on screen. */
const WORKSPACE = `
  const ws = document.querySelector('iot-studio').editor.workspace;
  const m = ws.getCanvas().getScreenCTM();
  const screen = (x, y) => ({ x: m.a * x + m.e, y: m.d * y + m.f });`;

/** Runs `body` (text, so tsx adds nothing the page lacks) in the page with `ws` and `arg`. */
export function inWorkspace<T>(page: Page, body: string, arg?: unknown): Promise<T> {
  return page.evaluate(([prefix, body, arg]) => new Function('arg', `${prefix}\n${body}`)(arg), [
    WORKSPACE,
    body,
    arg,
  ] as const) as Promise<T>;
}

/** Resolves after two frames: Blockly draws a dropped block at the next one. */
export function frames(page: Page): Promise<void> {
  return page.evaluate(
    () =>
      new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))),
  );
}

/** The centre of field `field` of block `id`, on screen. */
function fieldCentre(page: Page, id: string, field: string): Promise<Point> {
  return inWorkspace<Point>(
    page,
    `const f = ws.getBlockById(arg.id).getField(arg.field);
     const r = f.getSvgRoot().getBoundingClientRect();
     return { x: r.x + r.width / 2, y: r.y + r.height / 2 };`,
    { id, field },
  );
}

export class Child {
  drags = 0;
  constructor(private readonly page: Page) {}

  /** Opens a toolbox category by clicking its name. */
  async open(category: string): Promise<void> {
    await this.page.locator(`.blocklyToolboxCategory:has-text("${category}")`).first().click();
  }

  /**
   * Drags block `type` out of the open flyout so that its top left lands on `to` (a connection's
   * place, where it snaps), the way a hand does: press, move in steps, rest, release.
   */
  async drag(type: string, to: Point): Promise<void> {
    const path = this.page.locator(`.blocklyFlyout g.${type} > path.blocklyPath`).first();
    await path.waitFor({ state: 'visible', timeout: DEADLINE });
    const box = (await path.boundingBox())!;
    const grab = { x: box.x + 6, y: box.y + 10 };
    await this.page.mouse.move(grab.x, grab.y);
    await this.page.mouse.down();
    await this.page.mouse.move(to.x + 6, to.y + 10, { steps: 12 });
    // The rest: without it a block let go right after the last move sometimes stayed unconnected
    // (seen before finger-sized fields too, more often with them).
    await frames(this.page);
    await this.page.mouse.move(to.x + 6, to.y + 10);
    await frames(this.page);
    await this.page.mouse.up();
    this.drags++;
    await frames(this.page);
  }

  /** Clicks a field of the block with `id` and types `text` into it. */
  async type(id: string, field: string, text: string): Promise<void> {
    let at = await fieldCentre(this.page, id, field);
    // The box to type in opens under the pointer; the child looks before typing, and clicks
    // again if it did not open (a block still settling after a drop can move under the pointer).
    const box = this.page.locator('.blocklyWidgetDiv input.blocklyHtmlInput');
    for (let click = 1; ; click++) {
      await this.page.mouse.click(at.x, at.y);
      try {
        await box.waitFor({ state: 'visible', timeout: click < 3 ? 3000 : DEADLINE });
        break;
      } catch (error) {
        if (click >= 3) throw error;
        at = await fieldCentre(this.page, id, field);
      }
    }
    await this.page.keyboard.press('ControlOrMeta+a');
    await this.page.keyboard.type(text);
    await this.page.keyboard.press('Enter');
    await box.waitFor({ state: 'hidden', timeout: DEADLINE });
    const now = await inWorkspace<string>(
      this.page,
      `return String(ws.getBlockById(arg.id).getFieldValue(arg.field));`,
      { id, field },
    );
    if (now !== text) throw new Error(`typed ${text} into ${field}, which shows ${now}`);
  }
}

/** Where the next block snaps: a block's next connection or one of its statement inputs. */
export function connectionOf(page: Page, id: string, input?: string): Promise<Point> {
  return inWorkspace<Point>(
    page,
    `const block = ws.getBlockById(arg.id);
     const c = arg.input ? block.getInput(arg.input).connection : block.nextConnection;
     return screen(c.x, c.y);`,
    { id, input },
  );
}

/** The ids of the blocks of `type`, top to bottom. */
export function idsOf(page: Page, type: string): Promise<string[]> {
  return inWorkspace<string[]>(
    page,
    `return ws.getBlocksByType(arg, true).map((b) => b.id);`,
    type,
  );
}

/** The program as nesting lines ("type in parent.INPUT"), sorted, with field values. */
export function shape(page: Page): Promise<string[]> {
  return inWorkspace<string[]>(
    page,
    `return ws.getAllBlocks(false).filter((b) => !b.isShadow()).map((b) => {
       const p = b.getParent();
       const where = p ? p.type + '.' + (p.getInputWithBlock(b)?.name ?? 'next') : 'top';
       const text = b.getField('TEXT') ? '=' + b.getFieldValue('TEXT') : '';
       return b.type + text + ' in ' + where;
     }).sort();`,
  );
}
