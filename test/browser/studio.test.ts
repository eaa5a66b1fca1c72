/// <reference types="mocha" />
// <iot-studio> in real Chromium, asserted on what a person sees: the toolbox, the code panel's
// text and highlights, the files the download buttons produce, and when code is regenerated.
import { expect } from '@esm-bundle/chai';
import * as Blockly from 'blockly';
import '../../src/app/iot-studio.ts';
import type { IotStudio } from '../../src/app/iot-studio.ts';
import { registerBlocks } from '../../src/editor/register.ts';
import { PARTS } from '../../src/parts/index.ts';
import { nextFrame, waitFor } from './wait-for.ts';

registerBlocks();

const CONNECT_LINE =
  'mqtt_client = MQTTClient("deviceID", "183.230.40.39", 6002, "productID", "APIKey", keepalive=10)';

const pageUrl = location.href;
let container: HTMLDivElement;

/** Mounts a studio as the page would, with `search` (like `?example=onenet-rgb`) in the address. */
async function mountStudio(search = ''): Promise<IotStudio> {
  const url = new URL(pageUrl);
  for (const [key, value] of new URLSearchParams(search)) url.searchParams.set(key, value);
  history.replaceState(null, '', url);
  // A first visit: a project saved by an earlier test would open instead of an empty one.
  localStorage.clear();
  container = document.createElement('div');
  container.style.cssText = 'position: fixed; inset: 0; width: 1280px; height: 720px;';
  const studio = document.createElement('iot-studio');
  container.append(studio);
  document.body.append(container);
  await waitFor(() => workspaceOf(studio) && generations(studio) >= 1, 20000, 'studio ready');
  return studio;
}

function workspaceOf(studio: IotStudio): Blockly.WorkspaceSvg {
  const workspace = studio.editor?.workspace;
  if (!workspace) throw new Error('no workspace yet');
  return workspace;
}

function generations(studio: IotStudio): number {
  return Number(studio.dataset.generations);
}

function panelOf(studio: IotStudio): ShadowRoot {
  return studio.shadowRoot!.querySelector('code-panel')!.shadowRoot!;
}

/** The code as shown in the panel's `<pre>` (line numbers are generated content, not text). */
function shownCode(studio: IotStudio): string {
  return panelOf(studio).querySelector('pre')?.textContent ?? '';
}

/** The text of every highlighted line, top to bottom. */
function highlightedLines(studio: IotStudio): string[] {
  return [...panelOf(studio).querySelectorAll('.line.selected')].map((l) => l.textContent ?? '');
}

function tab(studio: IotStudio, language: 'micropython' | 'typescript'): HTMLButtonElement {
  return panelOf(studio).querySelector(`[role="tab"][data-language="${language}"]`)!;
}

function blockById(studio: IotStudio, id: string): Blockly.BlockSvg {
  const block = workspaceOf(studio).getBlockById(id);
  if (!block) throw new Error(`no block ${id}`);
  return block;
}

async function mountExample(): Promise<IotStudio> {
  const studio = await mountStudio('?example=onenet-rgb');
  await waitFor(() => shownCode(studio).includes(CONNECT_LINE), 10000, 'example code shown');
  return studio;
}

/**
 * Selects `block` the way a click does since Blockly 12 (selection follows focus), or clears the
 * selection by focusing the workspace.
 */
function select(studio: IotStudio, id: string | null): void {
  const workspace = workspaceOf(studio);
  Blockly.getFocusManager().focusNode(id ? blockById(studio, id) : workspace);
}

/** Presses a toolbox category by its label, where a mouse would: at the label's centre. */
function press(studio: IotStudio, category: string): void {
  const label = [...studio.querySelectorAll('.blocklyToolboxCategoryLabel')].find(
    (l) => l.textContent === category,
  );
  if (!label) throw new Error(`no category ${category}`);
  const box = label.getBoundingClientRect();
  const [clientX, clientY] = [box.left + box.width / 2, box.top + box.height / 2];
  const target = document.elementFromPoint(clientX, clientY)!;
  const init = { bubbles: true, composed: true, clientX, clientY, pointerId: 1, isPrimary: true };
  target.dispatchEvent(new PointerEvent('pointerdown', { ...init, pointerType: 'mouse' }));
  target.dispatchEvent(new PointerEvent('pointerup', { ...init, pointerType: 'mouse' }));
  target.dispatchEvent(new MouseEvent('click', init));
}

/**
 * Does a UI action and waits until Blockly has delivered an event of `type` and the editor's
 * frame (when it would pass on a program change) has gone by: a regeneration it caused would
 * have happened by then.
 */
async function uiAction(studio: IotStudio, type: string, action: () => void): Promise<void> {
  const workspace = workspaceOf(studio);
  let delivered = false;
  const listener = (event: Blockly.Events.Abstract) => {
    if (event.type === type) delivered = true;
  };
  workspace.addChangeListener(listener);
  try {
    action();
    await waitFor(() => delivered, 10000, `a ${type} event`);
  } finally {
    workspace.removeChangeListener(listener);
  }
  await nextFrame();
  await nextFrame();
}

afterEach(() => {
  container?.remove();
  history.replaceState(null, '', pageUrl);
});

describe('<iot-studio>', () => {
  it('shows the toolbar and our toolbox categories', async () => {
    const studio = await mountStudio();
    const root = studio.shadowRoot!;
    expect(root.querySelector('.brand')?.textContent?.trim()).to.equal('IoT Blocks');
    // In the Project menu, each with what it is for.
    expect(
      root.querySelector('[data-action="download-micropython"]')?.textContent?.trim(),
    ).to.match(/^main\.py\s+for the board$/);
    expect(root.querySelector('[data-action="download-typescript"]')?.textContent?.trim()).to.match(
      /^main\.ts\s+for the browser$/,
    );
    expect(root.querySelector('[data-action="run"]')?.textContent?.trim()).to.equal('Run');
    expect(root.querySelector<HTMLButtonElement>('[data-action="stop"]')?.disabled).to.equal(true);
    const labels = await waitFor(() => {
      const found = [...studio.querySelectorAll<HTMLElement>('.blocklyToolboxCategoryLabel')];
      return found.length ? found : null;
    });
    expect(labels.map((l) => l.textContent)).to.deep.equal([
      'WiFi',
      'MQTT',
      'OneNET',
      'RGB LEDs',
      'Board',
      // Each board part's category (src/parts/), in its English words.
      ...PARTS.map((part) => part.words.en.messages[`CATEGORY_${part.name.toUpperCase()}`]),
      'Logic',
      'Loops',
      'Math',
      'Text',
      'Variables',
    ]);
    for (const label of labels) expect(label.getBoundingClientRect().width).to.be.greaterThan(0);
  });

  it('puts the editor on the left and the code panel on the right, side by side', async () => {
    const studio = await mountStudio();
    const editor = studio.editor!.getBoundingClientRect();
    const panel = studio.shadowRoot!.querySelector('code-panel')!.getBoundingClientRect();
    const header = studio.shadowRoot!.querySelector('header')!.getBoundingClientRect();
    expect(editor.top).to.be.at.least(header.bottom - 1);
    expect(editor.right).to.be.at.most(panel.left + 1);
    expect(panel.width).to.be.within(0.38 * 1280, 0.42 * 1280);
    expect(editor.bottom).to.be.closeTo(720, 1);
    expect(panel.bottom).to.be.closeTo(720, 1);
    // Blockly drew its workspace at the editor's size, not blank.
    const svg = studio.editor!.querySelector('svg.blocklySvg')!.getBoundingClientRect();
    expect(svg.width).to.be.closeTo(editor.width, 1);
    expect(svg.height).to.be.closeTo(editor.height, 1);
  });

  it('opens ?example=onenet-rgb and shows both languages', async () => {
    const studio = await mountExample();
    expect(new URL(location.href).searchParams.has('example')).to.equal(false);
    expect(new URL(location.href).searchParams.get('wtr-session-id')).to.equal(
      new URL(pageUrl).searchParams.get('wtr-session-id'),
    );
    expect(studio.shadowRoot!.querySelector('.project-name')?.textContent?.trim()).to.equal(
      'OneNET RGB remote control',
    );
    expect(tab(studio, 'micropython').getAttribute('aria-selected')).to.equal('true');
    expect(shownCode(studio).split('\n')).to.include(CONNECT_LINE);

    tab(studio, 'typescript').click();
    await waitFor(() => shownCode(studio).includes('await mqtt.connect({'));
    expect(tab(studio, 'typescript').getAttribute('aria-selected')).to.equal('true');
    expect(tab(studio, 'micropython').getAttribute('aria-selected')).to.equal('false');
    expect(shownCode(studio)).not.to.include('MQTTClient');
  });

  it('says so when an example does not exist, and leaves the blocks alone', async () => {
    const studio = await mountStudio('?example=no-such-example');
    const notice = await waitFor(() => studio.shadowRoot!.querySelector('.notice'));
    expect(notice.getAttribute('role')).to.equal('status');
    expect(notice.textContent).to.include('“no-such-example”');
    expect(workspaceOf(studio).getAllBlocks(false)).to.have.length(0);
    expect(new URL(location.href).searchParams.has('example')).to.equal(false);

    studio.openExample('onenet-rgb');
    await waitFor(() => shownCode(studio).includes(CONNECT_LINE));
    const before = Blockly.serialization.workspaces.save(workspaceOf(studio));
    const codeBefore = shownCode(studio);
    studio.openExample('constructor');
    await waitFor(() =>
      studio.shadowRoot!.querySelector('.notice')?.textContent?.includes('“constructor”'),
    );
    expect(Blockly.serialization.workspaces.save(workspaceOf(studio))).to.deep.equal(before);
    expect(shownCode(studio)).to.equal(codeBefore);
  });

  it('regenerates the code when a field changes', async () => {
    const studio = await mountExample();
    const count = generations(studio);
    blockById(studio, 'wifi').setFieldValue('Classroom 3', 'SSID');
    await waitFor(() =>
      shownCode(studio).includes('wifi().connectWiFi("Classroom 3", "password")'),
    );
    await nextFrame();
    expect(generations(studio)).to.equal(count + 1);

    tab(studio, 'typescript').click();
    await waitFor(() =>
      shownCode(studio).includes('await wifi.connect("Classroom 3", "password");'),
    );
  });

  it('does not regenerate for selecting, scrolling, zooming or opening the toolbox', async () => {
    const studio = await mountExample();
    const workspace = workspaceOf(studio);
    const count = generations(studio);
    const codeBefore = shownCode(studio);

    await uiAction(studio, Blockly.Events.SELECTED, () => select(studio, 'connect'));
    await waitFor(() => highlightedLines(studio).length > 0);
    await uiAction(studio, Blockly.Events.VIEWPORT_CHANGE, () =>
      workspace.scroll(workspace.scrollX - 120, workspace.scrollY - 80),
    );
    await uiAction(studio, Blockly.Events.VIEWPORT_CHANGE, () => workspace.zoomCenter(1));
    await uiAction(studio, Blockly.Events.TOOLBOX_ITEM_SELECT, () => press(studio, 'Math'));
    await waitFor(() => workspace.getFlyout()?.isVisible());
    await nextFrame();
    expect(generations(studio), 'after UI events only').to.equal(count);

    blockById(studio, 'wifi').setFieldValue('Garden', 'SSID');
    const expected = codeBefore.replace('connectWiFi("ssid",', 'connectWiFi("Garden",');
    await waitFor(() => shownCode(studio) === expected, 10000, 'only the WiFi name changed');
    await nextFrame();
    expect(generations(studio), 'after one real change').to.equal(count + 1);
  });

  it('highlights the lines of the selected block and scrolls them into view', async () => {
    const studio = await mountExample();
    select(studio, 'connect');
    await waitFor(() => highlightedLines(studio).length > 0);
    expect(highlightedLines(studio)).to.deep.equal([
      CONNECT_LINE,
      'mqtt_client.set_callback(on_message)',
      'mqtt_client.connect()',
    ]);

    tab(studio, 'typescript').click();
    await waitFor(() => highlightedLines(studio)[0] === 'await mqtt.connect({');
    expect(highlightedLines(studio).at(-1)).to.equal('});');

    // A value block has no lines of its own: its statement's lines light up.
    select(studio, 'message');
    await waitFor(() => highlightedLines(studio)[0]?.trim().startsWith('print('));

    // The last lines of the MicroPython program are far below the panel's first screen.
    tab(studio, 'micropython').click();
    select(studio, 'listen');
    const scroller = panelOf(studio).querySelector<HTMLElement>('[role="tabpanel"]')!;
    await waitFor(() => {
      const first = panelOf(studio).querySelector('.line.selected');
      if (!first || first.textContent !== 'try:') return false;
      const line = first.getBoundingClientRect();
      const view = scroller.getBoundingClientRect();
      return line.top >= view.top && line.bottom <= view.bottom;
    });
    expect(scroller.scrollTop).to.be.greaterThan(0);

    select(studio, null);
    await waitFor(() => highlightedLines(studio).length === 0);
  });

  it('shows a custom broker address with its password masked', async () => {
    const studio = await mountStudio();
    const root = studio.shadowRoot!;
    const select = root.querySelector<HTMLSelectElement>('[data-setting="browser-broker"]')!;
    select.value = 'custom';
    select.dispatchEvent(new Event('change'));
    const input = await waitFor(() =>
      root.querySelector<HTMLInputElement>('[data-setting="browser-broker-url"]'),
    );
    input.value = 'ws://teacher:s3cret@10.0.0.5:9001/mqtt';
    input.dispatchEvent(new Event('change'));
    await waitFor(() => (input.value.includes('•••') ? input : null));
    expect(input.value).to.equal('ws://teacher:•••@10.0.0.5:9001/mqtt');
  });

  it('finds blocks with the workspace search bar', async () => {
    const studio = await mountStudio();
    studio.openExample('onenet-rgb');
    const editor = studio.editor!;
    await waitFor(() => editor.workspace!.getAllBlocks(false).length > 10);
    editor.search!.open();
    const input = await waitFor(() =>
      studio.querySelector<HTMLInputElement>('.blockly-ws-search input'),
    );
    expect(input.placeholder).to.equal('Search blocks');
    input.value = 'deviceID';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    // The plugin highlights matching blocks with its own CSS class.
    const found = await waitFor(() => {
      const hits = studio.querySelectorAll('.blockly-ws-search-highlight');
      return hits.length ? hits : null;
    });
    expect(found.length).to.be.greaterThan(0);
  });

  it('keeps the blocks when the studio is moved to another place in the page', async () => {
    const studio = await mountExample();
    const before = Blockly.serialization.workspaces.save(workspaceOf(studio));
    const elsewhere = document.createElement('div');
    elsewhere.style.cssText = 'width: 100%; height: 100%;';
    container.append(elsewhere);
    elsewhere.append(studio);
    await waitFor(() => workspaceOf(studio).getAllBlocks(false).length > 0);
    expect(Blockly.serialization.workspaces.save(workspaceOf(studio))).to.deep.equal(before);
    expect(studio.querySelectorAll('.injectionDiv')).to.have.length(1);
    expect(shownCode(studio)).to.include(CONNECT_LINE);
  });

  describe('downloads', () => {
    let clicked: HTMLAnchorElement[];
    const capture = (event: MouseEvent) => {
      const link = (event.target as Element).closest?.('a[download]');
      if (!(link instanceof HTMLAnchorElement)) return;
      // The file itself is read below through the link's own URL; the browser saves nothing.
      event.preventDefault();
      clicked.push(link);
    };
    beforeEach(() => {
      clicked = [];
      document.addEventListener('click', capture, true);
    });
    afterEach(() => document.removeEventListener('click', capture, true));

    async function download(studio: IotStudio, action: string): Promise<[string, string]> {
      studio.shadowRoot!.querySelector<HTMLButtonElement>(`[data-action="${action}"]`)!.click();
      const link = await waitFor(() => clicked.shift());
      const response = await fetch(link.href);
      return [link.download, await response.text()];
    }

    it('saves main.py and main.ts with exactly the code shown', async () => {
      const studio = await mountExample();
      const [pyName, pyText] = await download(studio, 'download-micropython');
      expect(pyName).to.equal('main.py');
      expect(pyText).to.equal(shownCode(studio));
      expect(pyText).to.include(CONNECT_LINE);

      tab(studio, 'typescript').click();
      await waitFor(() => shownCode(studio).includes('await mqtt.connect({'));
      const [tsName, tsText] = await download(studio, 'download-typescript');
      expect(tsName).to.equal('main.ts');
      expect(tsText).to.equal(shownCode(studio));
    });
  });
});
