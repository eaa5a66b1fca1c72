// Every board part keeps its files under its own name (README, "Add a part"): these are all a
// new part needs, and nothing else in the repository names its blocks or reaches into its folder
// but the two lists that register it (src/parts/index.ts; src/examples/index.ts for its example).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { PARTS } from '../../src/parts/index.ts';
import { PART_BOARDS } from '../support/part-boards.ts';
import { BUILDERS } from '../parity/program-builder.ts';

const root = new URL('../../', import.meta.url);
const exists = (path: string) => existsSync(new URL(path, root));

/** The repository's own source and test files (not node_modules, not built output). */
function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(new URL(dir, root), { withFileTypes: true })) {
    const path = `${dir}${entry.name}`;
    if (entry.isDirectory()) yield* sourceFiles(`${path}/`);
    else if (/\.(ts|js|json|html)$/.test(entry.name)) yield path;
  }
}

describe('a board part keeps its files under its name', () => {
  for (const part of PARTS) {
    it(`${part.name}: its files are where the guard expects them`, () => {
      for (const file of ['part.ts', 'runtime.ts', 'view.ts']) {
        assert.ok(exists(`src/parts/${part.name}/${file}`), `src/parts/${part.name}/${file}`);
      }
      assert.ok(exists(`test/parts/${part.name}.test.ts`), `test/parts/${part.name}.test.ts`);
      assert.ok(exists(`test/parts/${part.name}.board.ts`), `test/parts/${part.name}.board.ts`);
      assert.equal(part.runtime.name, part.name);
      for (const { type } of part.blocks) {
        assert.ok(type.startsWith(`${part.name}_`), type);
        assert.ok(BUILDERS[type], `no parity builder for ${type}`);
      }
    });

    it(`${part.name}: nothing outside it names its blocks or reaches into its folder`, () => {
      const types = new RegExp(`\\b(${part.blocks.map(({ type }) => type).join('|')})\\b`);
      const folder = `parts/${part.name}/`;
      const own = (path: string) =>
        path.startsWith(`src/${folder}`) || path.startsWith(`test/parts/${part.name}.`);
      const registers = ['src/parts/index.ts', 'src/examples/index.ts'];
      const files = ['src/', 'generators/', 'blocks/', 'test/'].flatMap((dir) => [
        ...sourceFiles(dir),
      ]);
      const strays = files.filter((path) => {
        if (own(path)) return false;
        const text = readFileSync(new URL(path, root), 'utf8');
        return types.test(text) || (text.includes(folder) && !registers.includes(path));
      });
      assert.deepEqual(strays, []);
    });
  }

  it('every part has a test board, with a stand-in for its board module', () => {
    assert.equal(PART_BOARDS.length, PARTS.length);
    for (const board of PART_BOARDS) assert.ok(Object.keys(board.standIns).length > 0);
  });
});
