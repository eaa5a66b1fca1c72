/// <reference types="mocha" />
// Never losing work, in real Chromium with its real localStorage: autosave and the versions it
// keeps, a damaged newest save, opening files (the file input and a drop) good and bad, New,
// Recent, examples as new projects, renaming, Save, Undo/Redo, and storage that is full.
// A real page reload is in test/e2e/persistence.test.ts; here a second <iot-studio> mounted on
// the same storage stands in for the next visit.
import { expect } from '@esm-bundle/chai';
import * as Blockly from 'blockly';
import '../../src/app/iot-studio.ts';
import type { IotStudio } from '../../src/app/iot-studio.ts';
import type { ToolbarMenu } from '../../src/app/toolbar-menu.ts';
import { registerBlocks } from '../../src/editor/register.ts';
import { exampleText } from '../../src/examples/index.ts';
import { setLanguage } from '../../src/i18n/language.ts';
import { ProjectStore } from '../../src/project/project-store.ts';
import { waitFor } from './wait-for.ts';

registerBlocks();

const store = new ProjectStore();
let container: HTMLDivElement | undefined;

/** Mounts a studio as a page load would; `fresh` starts from a browser that saved nothing. */
async function mountStudio({ fresh = false } = {}): Promise<IotStudio> {
  container?.remove();
  if (fresh) localStorage.clear();
  container = document.createElement('div');
  container.style.cssText = 'position: fixed; inset: 0; width: 1280px; height: 720px;';
  const studio = document.createElement('iot-studio');
  container.append(studio);
  document.body.append(container);
  await waitFor(() => studio.projectId && studio.dataset.saveState === 'saved', 20000, 'ready');
  return studio;
}

/** The next visit: this studio goes (saving as a closing page does) and a new one opens. */
async function revisit(): Promise<IotStudio> {
  return mountStudio();
}

function workspaceOf(studio: IotStudio): Blockly.WorkspaceSvg {
  const workspace = studio.editor?.workspace;
  if (!workspace) throw new Error('no workspace yet');
  return workspace;
}

function blocks(studio: IotStudio): Record<string, unknown> {
  return Blockly.serialization.workspaces.save(workspaceOf(studio));
}

function $<T extends Element = HTMLElement>(studio: IotStudio, selector: string): T {
  const found = studio.shadowRoot!.querySelector<T>(selector);
  if (!found) throw new Error(`nothing matches ${selector}`);
  return found;
}

function notice(studio: IotStudio): string {
  return studio.shadowRoot!.querySelector('.notice')?.textContent?.trim() ?? '';
}

function projectName(studio: IotStudio): string {
  return $(studio, '.project-name').textContent!.trim();
}

/** Waits until everything up to now is saved and `check` holds. */
async function saved(studio: IotStudio, check: () => unknown = () => true): Promise<void> {
  await waitFor(() => studio.dataset.saveState === 'saved' && check(), 10000, 'saved');
}

/** The newest saved version of the open project, parsed. */
function newestSave(studio: IotStudio): { settings: { name: string }; workspace: object } {
  return JSON.parse(store.versions(studio.projectId)[0].text);
}

async function openExample(studio: IotStudio): Promise<void> {
  expect(studio.openExample('onenet-rgb')).to.equal(null);
  await saved(studio, () => workspaceOf(studio).getBlockById('wifi'));
}

/** Changes the WiFi name of the example's first block, as typing into the field does. */
async function renameWifi(studio: IotStudio, ssid: string): Promise<void> {
  workspaceOf(studio).getBlockById('wifi')!.setFieldValue(ssid, 'SSID');
  await saved(studio, () => JSON.stringify(newestSave(studio).workspace).includes(ssid));
}

function file(text: string, name = 'project.json'): File {
  return new File([text], name, { type: 'application/json' });
}

/** Chooses `chosen` in the Open menu item's file picker, as the browser hands it over. */
function chooseFile(studio: IotStudio, chosen: File): void {
  const input = $<HTMLInputElement>(studio, 'input[type="file"]');
  const transfer = new DataTransfer();
  transfer.items.add(chosen);
  input.files = transfer.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

/** Drags `dropped` onto the studio's workspace and lets go. */
async function dropFile(studio: IotStudio, dropped: File): Promise<void> {
  const transfer = new DataTransfer();
  transfer.items.add(dropped);
  const init = { bubbles: true, composed: true, cancelable: true, dataTransfer: transfer };
  const target = studio.editor!;
  target.dispatchEvent(new DragEvent('dragenter', init));
  target.dispatchEvent(new DragEvent('dragover', init));
  await studio.updateComplete;
  expect($(studio, '[data-drop-hint]').textContent).to.include('Drop a project file');
  $(studio, '[data-drop-hint]').dispatchEvent(new DragEvent('drop', init));
  await studio.updateComplete;
  expect(studio.shadowRoot!.querySelector('[data-drop-hint]')).to.equal(null);
}

/** Opens the Recent menu and returns its entries as `[name, open now?]`. */
async function recentEntries(studio: IotStudio): Promise<[string, boolean][]> {
  const menu = $(studio, 'toolbar-menu[data-action="recent"]');
  menu.shadowRoot!.querySelector('button')!.click();
  const list = await waitFor(() => {
    const items = menu.querySelector('recent-projects')!.shadowRoot!.querySelectorAll('button');
    return items.length ? [...items] : null;
  });
  return list.map((b) => [
    b.querySelector('.name')!.textContent!,
    b.getAttribute('aria-current') === 'true',
  ]);
}

/** Chooses the recent project called `name`. */
function chooseRecent(studio: IotStudio, name: string): void {
  const list = $(studio, 'recent-projects').shadowRoot!;
  const entry = [...list.querySelectorAll('button')].find(
    (b) => b.querySelector('.name')!.textContent === name,
  );
  if (!entry) throw new Error(`no recent project ${name}`);
  entry.click();
}

function press(studio: IotStudio, action: string): void {
  $<HTMLButtonElement>(studio, `[data-action="${action}"]`).click();
}

after(() => {
  container?.remove();
  // localStorage outlives this page: the next test file starts as a first visit.
  localStorage.clear();
});

describe('autosave', () => {
  it('starts a first visit with an empty project called “My first project”, saved', async () => {
    const studio = await mountStudio({ fresh: true });
    expect(projectName(studio)).to.equal('My first project');
    expect(workspaceOf(studio).getAllBlocks(false)).to.have.length(0);
    expect(store.list().map((p) => p.name)).to.deep.equal(['My first project']);
    expect($(studio, '.save-state').textContent!.trim()).to.equal('Saved');
  });

  it('saves every change as it happens and opens it again on the next visit', async () => {
    let studio = await mountStudio({ fresh: true });
    await openExample(studio);
    await renameWifi(studio, 'Garden');
    const before = blocks(studio);
    const versions = store.versions(studio.projectId);
    studio = await revisit();
    expect(projectName(studio)).to.equal('OneNET RGB remote control');
    expect(blocks(studio)).to.deep.equal(before);
    // Opening it again is not a change: no new version pushes an older one out.
    await saved(studio);
    studio = await revisit();
    expect(store.versions(studio.projectId)).to.deep.equal(versions);
    expect(workspaceOf(studio).getBlockById('wifi')!.getFieldValue('SSID')).to.equal('Garden');
    expect(notice(studio)).to.equal('');
  });

  it('shows “Saving…” until the change is in storage, then “Saved”', async () => {
    const studio = await mountStudio({ fresh: true });
    await openExample(studio);
    const states = new Set<string>();
    const watcher = new MutationObserver(() => states.add(studio.dataset.saveState!));
    watcher.observe(studio, { attributeFilter: ['data-save-state'] });
    await renameWifi(studio, 'Kitchen');
    watcher.disconnect();
    expect([...states]).to.deep.equal(['saving', 'saved']);
  });

  it('saves a change made just before the page is hidden, without waiting for a frame', async () => {
    const studio = await mountStudio({ fresh: true });
    await openExample(studio);
    workspaceOf(studio).getBlockById('wifi')!.setFieldValue('Last second', 'SSID');
    dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
    expect(JSON.stringify(newestSave(studio).workspace)).to.include('Last second');
  });

  it('keeps the last versions and opens the newest good one when the newest is damaged', async () => {
    let studio = await mountStudio({ fresh: true });
    await openExample(studio);
    await renameWifi(studio, 'First');
    await renameWifi(studio, 'Second');
    const id = studio.projectId;
    const [newest] = store.versions(id);
    container!.remove();
    localStorage.setItem(`iot-blocks:project:${id}:${newest.time}`, '{"format": "iot-blo');

    studio = await revisit();
    expect(studio.projectId).to.equal(id);
    expect(workspaceOf(studio).getBlockById('wifi')!.getFieldValue('SSID')).to.equal('First');
    expect(notice(studio)).to.match(
      /The newest save of “OneNET RGB remote control” was damaged, so the version saved at .+ was opened\./,
    );
    // The good version is saved again as the newest, so the next visit opens it quietly.
    expect(JSON.parse(store.versions(id)[0].text).workspace.blocks.blocks[0].fields.SSID).to.equal(
      'First',
    );
    studio = await revisit();
    expect(notice(studio)).to.equal('');
    expect(workspaceOf(studio).getBlockById('wifi')!.getFieldValue('SSID')).to.equal('First');
  });

  it('starts a new project, and says so, when no version of the last one can be read', async () => {
    let studio = await mountStudio({ fresh: true });
    await openExample(studio);
    const id = studio.projectId;
    container!.remove();
    for (const { time } of store.versions(id)) {
      localStorage.setItem(`iot-blocks:project:${id}:${time}`, 'garbage');
    }
    studio = await revisit();
    expect(studio.projectId).not.to.equal(id);
    expect(notice(studio)).to.include('The project open last time cannot be read');
    // Nothing is deleted: the damaged project is still there for whoever can mend it.
    expect(store.versions(id).length).to.be.greaterThan(0);
  });

  it('says it could not save when storage is full, and saves again once there is room', async () => {
    const studio = await mountStudio({ fresh: true });
    await openExample(studio);
    const filler: string[] = [];
    // Fill the origin's real quota with another app's data, in ever smaller pieces.
    for (let size = 1 << 20; size >= 16; size >>= 1) {
      for (;;) {
        const key = `filler-${filler.length}`;
        try {
          localStorage.setItem(key, 'x'.repeat(size));
          filler.push(key);
        } catch {
          break;
        }
      }
    }
    try {
      workspaceOf(studio).getBlockById('wifi')!.setFieldValue('No room', 'SSID');
      await waitFor(() => studio.dataset.saveState === 'error', 10000, 'error state');
      expect($(studio, '.save-state').textContent!.trim()).to.equal(
        'Could not save: the browser’s storage is full',
      );
      expect(notice(studio)).to.include('Use Project → Save to a file to keep a copy');
      // The studio still works: the code follows the change.
      const code = () =>
        studio.shadowRoot!.querySelector('code-panel')!.shadowRoot!.querySelector('pre')
          ?.textContent;
      await waitFor(() => code()?.includes('No room'), 10000, 'the code follows');
    } finally {
      filler.forEach((key) => localStorage.removeItem(key));
    }
    await renameWifi(studio, 'Room again');
  });
});

describe('opening files', () => {
  const bad: [string, string, RegExp][] = [
    ['not JSON', 'this is not json', /its text is not JSON/],
    ['another app’s JSON', '{"targets": [], "meta": {"semver": "3.0.0"}}', /not an IoT Blocks/],
    [
      'a newer format',
      JSON.stringify({ format: 'iot-blocks-project', version: 7, workspace: {} }),
      /newer IoT Blocks \(format 7\)/,
    ],
    [
      'unknown blocks',
      JSON.stringify({
        format: 'iot-blocks-project',
        version: 1,
        workspace: { blocks: { blocks: [{ type: 'laser_beam' }] } },
      }),
      /does not know: laser_beam/,
    ],
    [
      'damaged blocks',
      JSON.stringify({
        format: 'iot-blocks-project',
        version: 1,
        workspace: {
          blocks: {
            blocks: [{ type: 'text_print', inputs: { NOPE: { block: { type: 'text' } } } }],
          },
        },
      }),
      /blocks are damaged/,
    ],
  ];
  for (const [what, text, message] of bad) {
    for (const how of ['chosen', 'dropped'] as const) {
      it(`a file with ${what}, ${how}, is refused and the work is left as it was`, async () => {
        const studio = await mountStudio({ fresh: true });
        await openExample(studio);
        const id = studio.projectId;
        const before = blocks(studio);
        const storedBefore = JSON.stringify(localStorage);
        const bad = file(text, 'broken.json');
        if (how === 'chosen') chooseFile(studio, bad);
        else await dropFile(studio, bad);
        await waitFor(() => notice(studio), 10000, 'a notice');
        expect(notice(studio)).to.match(/^“broken\.json” could not be opened: /);
        expect(notice(studio)).to.match(message);
        expect(notice(studio)).to.include('Your work has not been changed.');
        expect(studio.projectId).to.equal(id);
        expect(blocks(studio)).to.deep.equal(before);
        expect(projectName(studio)).to.equal('OneNET RGB remote control');
        await saved(studio);
        expect(JSON.stringify(localStorage)).to.equal(storedBefore);
      });
    }
  }

  it('a good file opens as a new project; the one before stays under Recent', async () => {
    const studio = await mountStudio({ fresh: true });
    await openExample(studio);
    await renameWifi(studio, 'Mine');
    const mine = studio.projectId;
    const lamp = JSON.parse(exampleText('onenet-rgb')!);
    lamp.settings.name = 'Lamp from a friend';
    await dropFile(studio, file(JSON.stringify(lamp), 'lamp.json'));
    await saved(studio, () => projectName(studio) === 'Lamp from a friend');
    expect(studio.projectId).not.to.equal(mine);
    expect(workspaceOf(studio).getBlockById('wifi')!.getFieldValue('SSID')).to.equal('ssid');
    expect(await recentEntries(studio)).to.deep.equal([
      ['Lamp from a friend', true],
      ['OneNET RGB remote control', false],
      ['My first project', false],
    ]);
    chooseRecent(studio, 'OneNET RGB remote control');
    await saved(studio, () => studio.projectId === mine);
    expect(workspaceOf(studio).getBlockById('wifi')!.getFieldValue('SSID')).to.equal('Mine');
  });
});

describe('projects', () => {
  it('New starts an empty project; Recent switches between them, newest first', async () => {
    const studio = await mountStudio({ fresh: true });
    await openExample(studio);
    const example = studio.projectId;
    press(studio, 'new');
    await saved(studio, () => studio.projectId !== example);
    expect(projectName(studio)).to.equal('My project 2');
    expect(workspaceOf(studio).getAllBlocks(false)).to.have.length(0);
    expect($<HTMLButtonElement>(studio, '[data-action="undo"]').disabled).to.equal(true);
    press(studio, 'new');
    await saved(studio, () => projectName(studio) === 'My project 3');

    expect(await recentEntries(studio)).to.deep.equal([
      ['My project 3', true],
      ['My project 2', false],
      ['OneNET RGB remote control', false],
      ['My first project', false],
    ]);
    const when = $(studio, 'recent-projects').shadowRoot!.querySelectorAll('.when');
    expect([...when].map((w) => w.textContent)).to.deep.equal(['now', 'now', 'now']);
    chooseRecent(studio, 'OneNET RGB remote control');
    await saved(studio, () => studio.projectId === example);
    expect(workspaceOf(studio).getBlockById('wifi')).to.not.equal(null);
    // The menu closes on choosing.
    const menu = $<ToolbarMenu>(studio, 'toolbar-menu[data-action="recent"]');
    await waitFor(() => !menu.open, 5000, 'the menu closed');
    // Undo does not reach back into the project shown before.
    expect($<HTMLButtonElement>(studio, '[data-action="undo"]').disabled).to.equal(true);
  });

  it('an example opens as a new project and never replaces the child’s own', async () => {
    const studio = await mountStudio({ fresh: true });
    await openExample(studio);
    await renameWifi(studio, 'My own network');
    const mine = studio.projectId;
    await openExample(studio);
    expect(studio.projectId).not.to.equal(mine);
    expect(workspaceOf(studio).getBlockById('wifi')!.getFieldValue('SSID')).to.equal('ssid');
    expect(
      JSON.parse(store.versions(mine)[0].text).workspace.blocks.blocks[0].fields.SSID,
    ).to.equal('My own network');
  });

  it('renames the project by clicking its name; the name is saved and names the file', async () => {
    const studio = await mountStudio({ fresh: true });
    press(studio, 'rename');
    await studio.updateComplete;
    const input = $<HTMLInputElement>(studio, 'input[data-setting="project-name"]');
    await waitFor(() => studio.shadowRoot!.activeElement === input, 5000, 'the name box focused');
    input.value = '  My lamp: on/off?  ';
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    await saved(studio, () => newestSave(studio).settings.name === 'My lamp: on/off?');
    expect(projectName(studio)).to.equal('My lamp: on/off?');

    // Escape leaves the name as it was; an empty name changes nothing.
    press(studio, 'rename');
    await studio.updateComplete;
    const again = $<HTMLInputElement>(studio, 'input[data-setting="project-name"]');
    again.value = 'Not this';
    again.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    await studio.updateComplete;
    press(studio, 'rename');
    await studio.updateComplete;
    const empty = $<HTMLInputElement>(studio, 'input[data-setting="project-name"]');
    empty.value = '   ';
    empty.blur();
    await studio.updateComplete;
    expect(projectName(studio)).to.equal('My lamp: on/off?');

    const clicked: HTMLAnchorElement[] = [];
    const capture = (event: MouseEvent) => {
      const link = (event.target as Element).closest?.('a[download]');
      if (link instanceof HTMLAnchorElement) {
        event.preventDefault();
        clicked.push(link);
      }
    };
    document.addEventListener('click', capture, true);
    try {
      press(studio, 'save');
      const link = await waitFor(() => clicked[0]);
      expect(link.download).to.equal('My lamp- on-off-.json');
      const text = await (await fetch(link.href)).text();
      expect(JSON.parse(text).settings.name).to.equal('My lamp: on/off?');
    } finally {
      document.removeEventListener('click', capture, true);
    }
  });

  it('a name the studio gave follows the language; a name the child typed stays', async () => {
    const studio = await mountStudio({ fresh: true });
    try {
      setLanguage('zh-hans');
      await saved(studio, () => newestSave(studio).settings.name === '我的第一个项目');
      expect(projectName(studio)).to.equal('我的第一个项目');
      setLanguage('en');
      await saved(studio, () => newestSave(studio).settings.name === 'My first project');
      press(studio, 'rename');
      await studio.updateComplete;
      const input = $<HTMLInputElement>(studio, 'input[data-setting="project-name"]');
      input.value = 'My first project at home';
      input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
      await saved(studio, () => newestSave(studio).settings.name === 'My first project at home');
      setLanguage('zh-hans');
      await studio.updateComplete;
      expect(projectName(studio)).to.equal('My first project at home');
    } finally {
      setLanguage('en');
    }
  });

  it('keeps the browser broker with its project', async () => {
    const studio = await mountStudio({ fresh: true });
    const select = $<HTMLSelectElement>(studio, 'select[data-setting="browser-broker"]');
    select.value = 'hivemq';
    select.dispatchEvent(new Event('change'));
    await saved(studio, () => newestSave(studio).settings.name === 'My first project');
    const first = studio.projectId;
    expect(JSON.parse(store.versions(first)[0].text).settings.browserBroker).to.deep.equal({
      kind: 'preset',
      preset: 'hivemq',
    });
    press(studio, 'new');
    await saved(studio, () => studio.projectId !== first);
    expect($<HTMLSelectElement>(studio, 'select[data-setting="browser-broker"]').value).to.equal(
      'embedded',
    );
    await recentEntries(studio);
    chooseRecent(studio, 'My first project');
    await saved(studio, () => studio.projectId === first);
    await studio.updateComplete;
    expect($<HTMLSelectElement>(studio, 'select[data-setting="browser-broker"]').value).to.equal(
      'hivemq',
    );
  });
});

describe('undo and redo', () => {
  it('the buttons undo and redo a change, and are disabled when there is nothing to do', async () => {
    const studio = await mountStudio({ fresh: true });
    await openExample(studio);
    const undo = $<HTMLButtonElement>(studio, '[data-action="undo"]');
    const redo = $<HTMLButtonElement>(studio, '[data-action="redo"]');
    expect(undo.textContent!.trim()).to.equal('Undo');
    expect(redo.textContent!.trim()).to.equal('Redo');
    expect([undo.disabled, redo.disabled]).to.deep.equal([true, true]);

    await renameWifi(studio, 'Changed');
    await waitFor(() => !undo.disabled);
    undo.click();
    await saved(studio, () => !JSON.stringify(newestSave(studio).workspace).includes('Changed'));
    expect(workspaceOf(studio).getBlockById('wifi')!.getFieldValue('SSID')).to.equal('ssid');
    await waitFor(() => undo.disabled && !redo.disabled, 5000, 'only redo left');

    redo.click();
    await saved(studio, () => JSON.stringify(newestSave(studio).workspace).includes('Changed'));
    expect(workspaceOf(studio).getBlockById('wifi')!.getFieldValue('SSID')).to.equal('Changed');
    await waitFor(() => !undo.disabled && redo.disabled, 5000, 'only undo left');
  });

  it('still work after a file with damaged blocks was refused', async () => {
    const studio = await mountStudio({ fresh: true });
    await openExample(studio);
    // Blockly's own load gives up halfway through such a file, and would leave undo off.
    chooseFile(
      studio,
      file(
        JSON.stringify({
          format: 'iot-blocks-project',
          version: 1,
          workspace: { blocks: { blocks: [{ type: 'text_print', inputs: { NOPE: {} } }] } },
        }),
      ),
    );
    await waitFor(() => notice(studio).includes('damaged'), 10000, 'refused');
    await renameWifi(studio, 'After');
    const undo = $<HTMLButtonElement>(studio, '[data-action="undo"]');
    await waitFor(() => !undo.disabled, 5000, 'undo enabled');
    undo.click();
    expect(workspaceOf(studio).getBlockById('wifi')!.getFieldValue('SSID')).to.equal('ssid');
  });

  it('Ctrl+Z and Ctrl+Y work outside the workspace, but not while typing a name', async () => {
    const studio = await mountStudio({ fresh: true });
    await openExample(studio);
    await renameWifi(studio, 'Changed');
    const key = (target: EventTarget, init: KeyboardEventInit) =>
      target.dispatchEvent(
        new KeyboardEvent('keydown', { bubbles: true, composed: true, cancelable: true, ...init }),
      );

    press(studio, 'rename');
    await studio.updateComplete;
    key($(studio, 'input[data-setting="project-name"]'), { key: 'z', ctrlKey: true });
    expect(workspaceOf(studio).getBlockById('wifi')!.getFieldValue('SSID')).to.equal('Changed');
    $<HTMLInputElement>(studio, 'input[data-setting="project-name"]').blur();

    key(document.body, { key: 'z', ctrlKey: true });
    expect(workspaceOf(studio).getBlockById('wifi')!.getFieldValue('SSID')).to.equal('ssid');
    key(document.body, { key: 'y', ctrlKey: true });
    expect(workspaceOf(studio).getBlockById('wifi')!.getFieldValue('SSID')).to.equal('Changed');
    key(document.body, { key: 'Z', ctrlKey: true, shiftKey: true });
    expect(workspaceOf(studio).getBlockById('wifi')!.getFieldValue('SSID')).to.equal('Changed');
    key(document.body, { key: 'z', metaKey: true });
    expect(workspaceOf(studio).getBlockById('wifi')!.getFieldValue('SSID')).to.equal('ssid');
    key(document.body, { key: 'z', metaKey: true, shiftKey: true });
    expect(workspaceOf(studio).getBlockById('wifi')!.getFieldValue('SSID')).to.equal('Changed');
  });
});
