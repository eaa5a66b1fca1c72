// The project store on jsdom's own localStorage (a real Web Storage implementation, quota
// included), and on the one jsdom refuses to give an opaque origin.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import {
  ProjectStore,
  SaveConflict,
  StoreError,
  VERSIONS_KEPT,
} from '../../src/project/project-store.ts';

/** A fresh page's localStorage at a real origin; `storageQuota` in UTF-16 code units. */
function freshStorage(storageQuota?: number): Storage {
  return new JSDOM('', { url: 'http://studio.test/', storageQuota }).window.localStorage;
}

/** A store whose clock is `clock.now`, so tests choose the times. */
function storeOn(storage: Storage, clock = { now: 1_000 }): ProjectStore {
  return new ProjectStore(
    () => storage,
    () => clock.now,
  );
}

function projectText(name: string, extra = ''): string {
  return JSON.stringify({ format: 'iot-blocks-project', version: 1, settings: { name }, extra });
}

describe('project store', () => {
  it('keeps versions newest first, at most VERSIONS_KEPT of them', () => {
    const clock = { now: 1_000 };
    const store = storeOn(freshStorage(), clock);
    const id = store.newId();
    for (let i = 0; i < VERSIONS_KEPT + 5; i++) {
      clock.now += 10;
      store.save(id, projectText('Lamp', String(i)));
    }
    const versions = store.versions(id);
    assert.equal(versions.length, VERSIONS_KEPT);
    assert.equal(JSON.parse(versions[0].text).extra, String(VERSIONS_KEPT + 4));
    assert.equal(JSON.parse(versions.at(-1)!.text).extra, '5');
    assert.ok(versions.every((v, i) => i === 0 || versions[i - 1].time > v.time));
  });

  it('gives two saves in the same millisecond their own versions', () => {
    const store = storeOn(freshStorage());
    const id = store.newId();
    const first = store.save(id, projectText('A'));
    const second = store.save(id, projectText('B'));
    assert.ok(second > first);
    assert.deepEqual(
      store.versions(id).map((v) => JSON.parse(v.text).settings.name),
      ['B', 'A'],
    );
  });

  it('lists projects by last change, with the name of their newest readable version', () => {
    const clock = { now: 1_000 };
    const storage = freshStorage();
    const store = storeOn(storage, clock);
    const [lamp, chat] = [store.newId(), store.newId()];
    assert.notEqual(lamp, chat);
    store.save(lamp, projectText('Lamp'));
    clock.now = 2_000;
    store.save(chat, projectText('Chat'));
    clock.now = 3_000;
    store.save(lamp, projectText('Lamp 2'));
    assert.deepEqual(store.list(), [
      { id: lamp, name: 'Lamp 2', changed: 3_000 },
      { id: chat, name: 'Chat', changed: 2_000 },
    ]);
    // Damage the newest version of Lamp: the list falls back to the name before it.
    storage.setItem(`iot-blocks:project:${lamp}:3000`, '{"format": "iot-bl');
    assert.equal(storeOn(storage).list()[0].name, 'Lamp');
  });

  it('remembers the open project and ignores other apps’ keys', () => {
    const storage = freshStorage();
    storage.setItem('someone-else', 'x');
    storage.setItem('iot-blocks:project:nonsense', 'x');
    const store = storeOn(storage);
    assert.equal(store.currentId(), null);
    const id = store.newId();
    store.save(id, projectText('Lamp'));
    store.setCurrent(id);
    assert.equal(storeOn(storage).currentId(), id);
    assert.deepEqual(
      storeOn(storage)
        .list()
        .map((p) => p.id),
      [id],
    );
    assert.equal(storage.getItem('someone-else'), 'x');
  });

  it('makes room by dropping older versions, other projects’ first, never a newest one', () => {
    const clock = { now: 1_000 };
    const big = 'x'.repeat(3_000);
    // Room for about ten versions of this size.
    const storage = freshStorage(32_000);
    const store = storeOn(storage, clock);
    const [other, mine] = [store.newId(), store.newId()];
    for (let i = 0; i < 5; i++) {
      clock.now += 10;
      store.save(other, projectText('Other', big + i));
    }
    for (let i = 0; i < 8; i++) {
      clock.now += 10;
      store.save(mine, projectText('Mine', big + i));
    }
    assert.equal(store.versions(mine)[0].text, projectText('Mine', big + 7));
    const others = store.versions(other);
    assert.equal(others.length, 1, 'only the other project’s newest version is left');
    assert.equal(others[0].text, projectText('Other', big + 4));
  });

  it('says storage is full when even the newest versions leave no room', () => {
    const storage = freshStorage(20_000);
    const store = storeOn(storage);
    const id = store.newId();
    store.save(id, projectText('Small'));
    assert.throws(
      () => store.save(id, projectText('Huge', 'x'.repeat(30_000))),
      (error: unknown) => error instanceof StoreError && error.problem === 'full',
    );
    assert.equal(store.versions(id)[0].text, projectText('Small'), 'the last save is still there');
  });

  it('says storage is unavailable where the browser refuses it', () => {
    // jsdom, like browsers, throws a SecurityError for localStorage on an opaque origin.
    const { window } = new JSDOM('');
    const store = new ProjectStore(() => window.localStorage);
    const unavailable = (error: unknown) =>
      error instanceof StoreError && error.problem === 'unavailable';
    assert.throws(() => store.currentId(), unavailable);
    assert.throws(() => store.list(), unavailable);
    assert.throws(() => store.save(store.newId(), projectText('Lamp')), unavailable);
  });

  it('refuses to save over a version the saving tab did not know about', () => {
    const storage = freshStorage();
    const clock = { now: 1_000 };
    const [mine, theirs] = [storeOn(storage, clock), storeOn(storage, clock)];
    const id = mine.newId();
    assert.equal(mine.newestTime(id), null);
    const first = mine.save(id, projectText('Mine 1'), null);
    assert.equal(theirs.newestTime(id), first);
    clock.now = 2_000;
    const second = theirs.save(id, projectText('Theirs'), first);
    // "Mine" still believes `first` is the newest: its save would bury theirs.
    assert.throws(
      () => mine.save(id, projectText('Mine 2'), first),
      (error: unknown) => error instanceof SaveConflict && error.id === id,
    );
    assert.deepEqual(
      mine.versions(id).map((v) => JSON.parse(v.text).settings.name),
      ['Theirs', 'Mine 1'],
    );
    assert.ok(mine.save(id, projectText('Mine 2'), second) > second);
    // A project that has versions is no new one, and no check is made without `after`.
    assert.throws(() => mine.save(id, projectText('New?'), null), SaveConflict);
    assert.ok(mine.save(id, projectText('Unchecked')));
  });

  it('tells which project a storage key belongs to', () => {
    const store = storeOn(freshStorage());
    assert.equal(store.projectOfKey('iot-blocks:project:abc123:1700000000000'), 'abc123');
    assert.equal(store.projectOfKey('iot-blocks:current'), null);
    assert.equal(store.projectOfKey('other-app:project:abc:1'), null);
  });
});
