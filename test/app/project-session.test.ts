// The studio's project session (src/app/project-session.ts) in Node: real Blockly headless, the
// real ProjectStore on jsdom's localStorage (a real Web Storage, quota included), the real
// EditorTabs on Node's BroadcastChannel; only the frames are the test's, so it chooses when the
// next frame comes.
import '../../src/cli/headless-dom.ts';
import { afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as Blockly from 'blockly';
import { JSDOM } from 'jsdom';
import { Host } from './host.ts';
import { registerBlocks } from '../../src/editor/register.ts';
import type { ShowingReason } from '../../src/project/editor-tabs.ts';
import {
  PROJECT_FORMAT,
  PROJECT_VERSION,
  loadProject,
  saveProject,
  type Project,
} from '../../src/project/project-file.ts';
import { ProjectStore } from '../../src/project/project-store.ts';
import {
  ProjectSession,
  type Frames,
  type ProjectView,
  type SaveState,
} from '../../src/app/project-session.ts';
import { t } from '../../src/app/strings.ts';

/** The block editor, as a headless workspace. */
class Editor implements ProjectView {
  readonly workspace = new Blockly.Workspace();
  readOnly: ShowingReason | null = null;
  readonly saveStates: SaveState[] = [];
  arranged = 0;
  save(settings: Project['settings']): Project {
    return saveProject(this.workspace, settings);
  }
  show(project: Project): void {
    loadProject(this.workspace, project);
  }
  follow(project: Project): void {
    loadProject(this.workspace, project);
  }
  replace(state: Record<string, unknown>): void {
    // As <block-editor> does: a scratch load first, then one undoable step.
    const scratch = new Blockly.Workspace();
    try {
      Blockly.serialization.workspaces.load(state, scratch);
    } finally {
      scratch.dispose();
    }
    Blockly.Events.setGroup(true);
    try {
      Blockly.serialization.workspaces.load(state, this.workspace, { recordUndo: true });
    } finally {
      Blockly.Events.setGroup(false);
    }
  }
  arrange(): void {
    this.arranged++;
  }
  setReadOnly(reason: ShowingReason | null): void {
    this.readOnly = reason;
  }
  setSaveState(state: SaveState): void {
    this.saveStates.push(state);
  }
  /** The text of every text block, top to bottom. */
  texts(): string[] {
    return this.workspace
      .getBlocksByType('text', false)
      .map((block) => String(block.getFieldValue('TEXT')));
  }
}

/** Frames that come when the test says. */
class TestFrames implements Frames {
  private _next = 1;
  private readonly _waiting = new Map<number, () => void>();
  request(callback: () => void): number {
    this._waiting.set(this._next, callback);
    return this._next++;
  }
  cancel(handle: number): void {
    this._waiting.delete(handle);
  }
  get pending(): number {
    return this._waiting.size;
  }
  /** The next frame. */
  run(): void {
    const callbacks = [...this._waiting.values()];
    this._waiting.clear();
    for (const callback of callbacks) callback();
  }
}

/** One studio tab: its session, editor and frames, on `storage`. */
interface Tab {
  session: ProjectSession;
  editor: Editor;
  frames: TestFrames;
  host: Host;
  store: ProjectStore;
  downloads: { filename: string; text: string; type: string }[];
  /** The tab's window and document, for their events. */
  page: {
    window: EventTarget;
    document: EventTarget & { visibilityState: DocumentVisibilityState };
  };
}

const open: Tab[] = [];

function tab(storage: Storage): Tab {
  const host = new Host();
  const editor = new Editor();
  const frames = new TestFrames();
  const store = new ProjectStore(() => storage);
  const downloads: Tab['downloads'] = [];
  const page: Tab['page'] = {
    window: new EventTarget(),
    document: Object.assign(new EventTarget(), { visibilityState: 'visible' as const }),
  };
  const session = new ProjectSession(host, editor, {
    store,
    frames,
    page,
    download: (filename, text, type) => downloads.push({ filename, text, type }),
  });
  for (const controller of host.controllers) controller.hostConnected?.();
  const made = { session, editor, frames, host, store, downloads, page };
  open.push(made);
  return made;
}

function freshStorage(storageQuota?: number): Storage {
  return new JSDOM('', { url: 'http://studio.test/', storageQuota }).window.localStorage;
}

/** A project file whose program is one `print` of `text`. */
function printing(text: string, name = 'Lamp', extra: Partial<Project> = {}): string {
  return JSON.stringify({
    format: PROJECT_FORMAT,
    version: PROJECT_VERSION,
    settings: { name },
    workspace: {
      blocks: {
        languageVersion: 0,
        blocks: [
          {
            type: 'text_print',
            x: 10,
            y: 10,
            inputs: { TEXT: { block: { type: 'text', fields: { TEXT: text } } } },
          },
        ],
      },
    },
    ...extra,
  });
}

/** Changes the printed text as a child would, in the editor. */
function edit(editor: Editor, text: string): void {
  editor.workspace.getBlocksByType('text', false)[0].setFieldValue(text, 'TEXT');
}

/** Resolves once `check()` holds (the tabs' messages take a moment); fails after 10 s. */
async function eventually(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

before(() => registerBlocks());

afterEach(() => {
  for (const { host, editor } of open.splice(0)) {
    for (const controller of host.controllers) controller.hostDisconnected?.();
    editor.workspace.dispose();
  }
});

describe('project session', () => {
  it('a first visit opens an empty project called “My first project”, saved', () => {
    const { session, store } = tab(freshStorage());
    session.openLast();
    assert.equal(session.settings.name, t('firstProjectName'));
    assert.notEqual(session.projectId, '');
    assert.equal(store.currentId(), session.projectId);
    assert.equal(store.versions(session.projectId).length, 1);
    assert.equal(session.saveState, 'saved');
  });

  it('saves changes at the next frame, several in one save, “saving” until then', () => {
    const { session, editor, frames, store } = tab(freshStorage());
    assert.equal(session.openProject(printing('on')), null);
    const id = session.projectId;
    assert.equal(store.versions(id).length, 1);
    edit(editor, 'off');
    session.changed();
    edit(editor, 'dim');
    session.changed();
    assert.equal(session.saveState, 'saving');
    assert.equal(editor.saveStates.at(-1), 'saving');
    assert.equal(store.versions(id).length, 1, 'nothing saved before the frame');
    assert.equal(frames.pending, 1, 'one frame for both changes');
    frames.run();
    assert.equal(session.saveState, 'saved');
    const versions = store.versions(id);
    assert.equal(versions.length, 2);
    assert.match(versions[0].text, /"dim"/);
    // Nothing changed since: no new version.
    session.changed();
    frames.run();
    assert.equal(store.versions(id).length, 2);
  });

  it('saves at once, without waiting for a frame, when the page is hidden or goes away', () => {
    const { session, editor, frames, store, page } = tab(freshStorage());
    session.openProject(printing('on'));
    const id = session.projectId;
    edit(editor, 'hidden');
    session.changed();
    page.document.visibilityState = 'hidden';
    page.document.dispatchEvent(new Event('visibilitychange'));
    assert.match(store.versions(id)[0].text, /"hidden"/);
    assert.equal(session.saveState, 'saved');
    assert.equal(frames.pending, 0, 'the frame is not needed any more');
    // A field edited just before the tab closed, its change not reported yet.
    edit(editor, 'closing');
    page.window.dispatchEvent(new Event('pagehide'));
    assert.match(store.versions(id)[0].text, /"closing"/);
  });

  it('the next visit opens the project open last, as it was saved', () => {
    const storage = freshStorage();
    const first = tab(storage);
    first.session.openProject(printing('on', 'Doorbell'));
    edit(first.editor, 'ring');
    first.session.saveNow();
    const next = tab(storage);
    next.session.openLast();
    assert.equal(next.session.projectId, first.session.projectId);
    assert.equal(next.session.settings.name, 'Doorbell');
    assert.deepEqual(next.editor.texts(), ['ring']);
  });

  it('opens the newest version that still opens, and says so, when the newest is damaged', () => {
    const storage = freshStorage();
    const first = tab(storage);
    first.session.openProject(printing('good', 'Lamp'));
    const id = first.session.projectId;
    // A newer version that Blockly cannot load (a block type that does not exist).
    const newest = first.store.newestTime(id);
    first.store.save(id, printing('x').replace('text_print', 'no_such_block'), newest);
    const next = tab(storage);
    next.session.openLast();
    assert.equal(next.session.projectId, id);
    assert.deepEqual(next.editor.texts(), ['good']);
    assert.match(next.session.notice ?? '', /Lamp/);
    assert.equal(
      next.session.notice,
      t('restoredOlderVersion', {
        name: 'Lamp',
        time: new Date(next.store.versions(id)[1].time).toLocaleTimeString(),
      }),
    );
    assert.match(next.store.versions(id)[0].text, /"good"/, 'saved again as the newest');
  });

  it('a file that cannot open says why and leaves the open project as it was', () => {
    const { session, editor, store } = tab(freshStorage());
    session.openProject(printing('mine'));
    const id = session.projectId;
    const problem = session.openProject('{ not json');
    assert.equal(typeof problem, 'string');
    assert.ok(problem!.length > 0);
    assert.equal(session.projectId, id);
    assert.deepEqual(editor.texts(), ['mine']);
    assert.equal(store.list().length, 1);
  });

  it('every file, example and new project opens as its own project; Recent lists them all', () => {
    const { session } = tab(freshStorage());
    session.openProject(printing('one', 'One'));
    const one = session.projectId;
    assert.equal(session.openExample('onenet-rgb'), null);
    const example = session.projectId;
    session.newProject();
    assert.equal(session.settings.name, t('newProjectName', { number: 2 }));
    assert.equal(
      session.openExample('no-such-example'),
      t('unknownExample', { name: 'no-such-example' }),
    );
    session.refreshRecent();
    const ids = session.recent.map((project) => project.id);
    assert.equal(new Set([one, example, session.projectId, ...ids]).size, 3);
    session.openRecent(one);
    assert.equal(session.projectId, one);
    assert.equal(session.settings.name, 'One');
  });

  it('renames: spaces tidied, an empty name changes nothing; the name is saved', () => {
    const { session, frames, store } = tab(freshStorage());
    session.openProject(printing('on', 'Lamp'));
    session.rename('  My   lamp:\non/off?  ');
    frames.run();
    assert.equal(session.settings.name, 'My lamp: on/off?');
    session.rename('   ');
    frames.run();
    assert.equal(session.settings.name, 'My lamp: on/off?');
    assert.equal(
      JSON.parse(store.versions(session.projectId)[0].text).settings.name,
      'My lamp: on/off?',
    );
  });

  it('Save downloads the project as it is; the shared copy leaves the broker password out', () => {
    const { session, editor, downloads } = tab(freshStorage());
    session.openProject(printing('on', 'My lamp'));
    session.setBroker({ kind: 'custom', url: 'wss://kid:secret@broker.example/mqtt' });
    edit(editor, 'off');
    session.save();
    assert.equal(downloads[0].filename, 'My lamp.json');
    assert.equal(downloads[0].type, 'application/json');
    const saved = JSON.parse(downloads[0].text);
    assert.equal(saved.settings.browserBroker.url, 'wss://kid:secret@broker.example/mqtt');
    assert.match(downloads[0].text, /"off"/);
    session.saveShared();
    assert.equal(downloads[1].filename, `${t('sharedFileName', { name: 'My lamp' })}.json`);
    assert.doesNotMatch(downloads[1].text, /secret/);
  });

  it('says once that storage is full, and saves again once there is room', () => {
    const { session, editor, frames, store } = tab(freshStorage(20_000));
    session.openProject(printing('small'));
    edit(editor, 'x'.repeat(30_000));
    session.changed();
    frames.run();
    assert.equal(session.saveState, 'error');
    assert.equal(session.saveProblem, 'full');
    const notice = t('saveFailedNotice', { reason: t('saveProblemFull') });
    assert.equal(session.notice, notice);
    session.notice = null;
    // Saving again (the page hidden) fails the same way: told once.
    session.saveNow();
    assert.equal(session.saveState, 'error');
    assert.equal(session.notice, null, 'the same failure is told once');
    edit(editor, 'small again');
    session.changed();
    frames.run();
    assert.equal(session.saveState, 'saved');
    assert.match(store.versions(session.projectId)[0].text, /small again/);
  });

  it('opens MicroPython as blocks, laid out; a syntax error says where and changes nothing', async () => {
    const { session, editor } = tab(freshStorage());
    session.openProject(printing('mine'));
    const id = session.projectId;
    const problem = await session.openMicroPython('print("a"\n', 'broken');
    assert.match(problem ?? '', /1/);
    assert.equal(session.projectId, id);
    assert.deepEqual(editor.texts(), ['mine']);
    assert.equal(await session.openMicroPython('print("hello")\n', 'hello'), null);
    assert.notEqual(session.projectId, id);
    assert.equal(session.settings.name, 'hello');
    assert.deepEqual(editor.texts(), ['hello']);
    assert.equal(editor.arranged, 1);
  });

  it('an edit in the MicroPython tab replaces the blocks, or says where it is wrong', async () => {
    const { session, editor } = tab(freshStorage());
    session.openProject(printing('mine'));
    const id = session.projectId;
    const wrong = await session.applyMicroPython('print("a"\nprint("b")\n');
    assert.ok(wrong !== null && wrong.line >= 1, 'a line to show');
    assert.match(wrong.message, new RegExp(String(wrong.line)));
    assert.deepEqual(editor.texts(), ['mine']);
    assert.equal(await session.applyMicroPython('print("theirs")\n'), null);
    assert.deepEqual(editor.texts(), ['theirs']);
    assert.equal(session.projectId, id, 'the same project, edited');
    // One step to undo.
    await eventually(() => editor.workspace.getUndoStack().length > 0, 'the undo step');
    editor.workspace.undo(false);
    assert.deepEqual(editor.texts(), ['mine']);
  });

  it('a second tab only shows the project, follows its saves, and can take it over', async () => {
    const storage = freshStorage();
    const first = tab(storage);
    first.session.openProject(printing('on', 'Lamp'));
    const id = first.session.projectId;
    const second = tab(storage);
    second.session.openLast();
    assert.equal(second.session.projectId, id);
    await eventually(() => second.session.readOnly === 'elsewhere', 'the second tab to only show');
    assert.equal(second.editor.readOnly, 'elsewhere');
    assert.equal(first.session.readOnly, null);

    // The first edits; the second follows once the store tells it (and a frame comes).
    edit(first.editor, 'off');
    first.session.saveNow();
    const key = Object.keys(storage).find((k) => first.store.projectOfKey(k) === id) ?? null;
    second.page.window.dispatchEvent(Object.assign(new Event('storage'), { key }));
    second.frames.run();
    assert.deepEqual(second.editor.texts(), ['off']);

    // A tab that only shows never saves, whatever it is told.
    const versions = second.store.versions(id).length;
    edit(second.editor, 'a stray change');
    second.session.changed();
    second.frames.run();
    second.session.saveNow();
    assert.equal(second.store.versions(id).length, versions);

    // Edit here: the first saves what it has, then only shows; the second edits from there.
    edit(first.editor, 'dim');
    await second.session.editHere();
    assert.equal(second.session.readOnly, null);
    assert.equal(first.session.readOnly, 'taken');
    assert.deepEqual(second.editor.texts(), ['dim']);
  });

  it('when another tab saved in between, this tab’s work becomes a copy, not lost', () => {
    const storage = freshStorage();
    const { session, editor, store } = tab(storage);
    session.openProject(printing('mine', 'Lamp'));
    const id = session.projectId;
    // Another writer the tabs' messages missed.
    new ProjectStore(() => storage).save(id, printing('theirs', 'Lamp'), store.newestTime(id));
    edit(editor, 'still mine');
    session.saveNow();
    assert.notEqual(session.projectId, id);
    assert.equal(session.settings.name, t('conflictCopyName', { name: 'Lamp' }));
    assert.match(store.versions(session.projectId)[0].text, /still mine/);
    assert.match(store.versions(id)[0].text, /theirs/);
    assert.equal(session.notice, t('savedAsCopy', { name: 'Lamp', copy: session.settings.name }));
  });
});
