// One project, one editor (src/project/editor-tabs.ts): studio tabs on Node's own
// BroadcastChannel (the same messaging as the browser's), each with a stand-in for the studio
// that counts its saves against one shared "store".
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  EditorTabs,
  TAKE_OVER_WAIT,
  type ShowingReason,
  type TabHost,
} from '../../src/project/editor-tabs.ts';

/** The newest save of the one project, as every tab's storage would show it. */
const store = { newest: null as number | null, clock: 0 };

/** A tab's studio: what it saved last, whether it has changes to save, what it was told. */
class Tab implements TabHost {
  /** The newest save this tab knows of. */
  known: number | null = store.newest;
  unsaved = false;
  readonly told: ShowingReason[] = [];
  readonly tabs: EditorTabs;

  constructor(name: string) {
    this.tabs = new EditorTabs(this, undefined, name);
    open.push(this);
  }

  /** The child changes something and the tab saves it. */
  edit(): void {
    assert.equal(this.tabs.role, 'editing', `${this.tabs.id} edits only when editing`);
    this.known = store.newest = ++store.clock;
  }

  isBehind(): boolean {
    return store.newest !== this.known;
  }

  flush(): number | null {
    if (this.unsaved) this.edit();
    this.unsaved = false;
    return this.known;
  }

  nowShowing(reason: ShowingReason): void {
    this.told.push(reason);
  }
}

const open: Tab[] = [];

/** Lets the channel deliver what was posted. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

afterEach(() => {
  for (const tab of open.splice(0)) tab.tabs.close();
  store.newest = null;
});

describe('one project, one editor', () => {
  it('the second tab to open a project only shows it; the first goes on editing', async () => {
    const first = new Tab('first');
    first.tabs.open('lamp');
    await settle();
    first.edit();
    const second = new Tab('second');
    second.tabs.open('lamp');
    assert.equal(second.tabs.role, 'editing', 'until the first answers');
    await settle();
    assert.equal(second.tabs.role, 'showing');
    assert.deepEqual(second.told, ['elsewhere']);
    assert.equal(first.tabs.role, 'editing');
    assert.deepEqual(first.told, []);
  });

  it('tabs on different projects leave each other alone', async () => {
    const first = new Tab('first');
    first.tabs.open('lamp');
    const second = new Tab('second');
    second.tabs.open('chat');
    await settle();
    assert.deepEqual([first.tabs.role, second.tabs.role], ['editing', 'editing']);
  });

  it('taking over: the editing tab saves, only shows, and hands over its last save', async () => {
    const first = new Tab('first');
    first.tabs.open('lamp');
    await settle();
    const second = new Tab('second');
    second.tabs.open('lamp');
    await settle();
    first.unsaved = true;
    const result = await second.tabs.takeOver();
    assert.deepEqual(result, { newest: store.newest });
    assert.notEqual(store.newest, null, 'the first tab saved before letting go');
    assert.deepEqual(first.told, ['taken']);
    assert.equal(first.tabs.role, 'showing');
    assert.equal(second.tabs.role, 'editing');

    // Now the second is the one that answers newcomers.
    second.known = store.newest;
    const third = new Tab('third');
    third.tabs.open('lamp');
    await settle();
    assert.deepEqual(third.told, ['elsewhere']);
    assert.deepEqual(first.told, ['taken'], 'a showing tab does not answer');
  });

  it('taking over from a tab that is gone waits TAKE_OVER_WAIT, then edits', async () => {
    const first = new Tab('first');
    first.tabs.open('lamp');
    await settle();
    const second = new Tab('second');
    second.tabs.open('lamp');
    await settle();
    first.tabs.close();
    const started = Date.now();
    assert.equal(await second.tabs.takeOver(), 'unanswered');
    assert.ok(Date.now() - started >= TAKE_OVER_WAIT - 5);
    assert.equal(second.tabs.role, 'editing');
  });

  it('an editing tab that is behind lets the newcomer edit and only shows itself', async () => {
    const first = new Tab('first');
    first.tabs.open('lamp');
    await settle();
    // Another tab saved the project while the first was not listening (a frozen tab).
    store.newest = ++store.clock;
    const second = new Tab('second');
    second.tabs.open('lamp');
    await settle();
    assert.equal(second.tabs.role, 'editing');
    assert.deepEqual(second.told, []);
    assert.equal(first.tabs.role, 'showing');
    assert.deepEqual(first.told, ['elsewhere']);
  });

  it('opening another project calls a take-over off', async () => {
    const first = new Tab('first');
    first.tabs.open('lamp');
    await settle();
    const second = new Tab('second');
    second.tabs.open('lamp');
    await settle();
    first.tabs.close();
    const taking = second.tabs.takeOver();
    second.tabs.open('chat');
    assert.equal(await taking, null);
    assert.equal(second.tabs.project, 'chat');
    assert.equal(second.tabs.role, 'editing');
  });

  it('ignores messages that are not its own kind', async () => {
    const first = new Tab('first');
    first.tabs.open('lamp');
    const stranger = new BroadcastChannel('iot-blocks:editors');
    for (const junk of [null, 'hello', { kind: 'hello' }, { kind: 'take', project: 'lamp' }]) {
      stranger.postMessage(junk);
    }
    await settle();
    stranger.close();
    assert.equal(first.tabs.role, 'editing');
    assert.deepEqual(first.told, []);
  });
});
