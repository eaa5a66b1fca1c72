/// <reference types="mocha" />
// Each example opens from its address, `?example=<name>`, as a teacher's link opens it: the
// studio shows the example's blocks (every one, no warning on any) and its code.
import { expect } from '@esm-bundle/chai';
import '../../src/app/iot-studio.ts';
import type { IotStudio } from '../../src/app/iot-studio.ts';
import { registerBlocks } from '../../src/editor/register.ts';
import { warningsIn } from '../../src/editor/warnings.ts';
import { exampleList } from '../../src/examples/index.ts';
import { waitFor } from './wait-for.ts';

registerBlocks();

const pageUrl = location.href;
let container: HTMLDivElement | undefined;

afterEach(() => {
  container?.remove();
  history.replaceState(null, '', pageUrl);
});

/** Mounts a studio as the page would, with `?example=<name>` in the address. */
async function openExample(name: string): Promise<IotStudio> {
  const url = new URL(pageUrl);
  url.searchParams.set('example', name);
  history.replaceState(null, '', url);
  // A first visit: nothing saved by an earlier test may open instead.
  localStorage.clear();
  container = document.createElement('div');
  container.style.cssText = 'position: fixed; inset: 0; width: 1024px; height: 768px;';
  const studio = document.createElement('iot-studio');
  container.append(studio);
  document.body.append(container);
  return studio;
}

/** Every block id in serialized blocks, shadows included (variable references have no type). */
function blockIdsIn(value: unknown, ids: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item) => blockIdsIn(item, ids));
  else if (typeof value === 'object' && value !== null) {
    const { type, id } = value as { type?: unknown; id?: unknown };
    if (typeof type === 'string' && typeof id === 'string') ids.push(id);
    Object.values(value).forEach((item) => blockIdsIn(item, ids));
  }
  return ids;
}

describe('examples from their addresses', () => {
  for (const { name, project } of exampleList) {
    it(`?example=${name} opens its blocks and code`, async () => {
      const expected = (project as { workspace: { blocks: Record<string, unknown> } }).workspace;
      const studio = await openExample(name);
      const workspace = await waitFor(
        () => {
          const shown = studio.editor?.workspace;
          return shown && shown.getAllBlocks(false).length > 0 ? shown : null;
        },
        20000,
        `the blocks of ${name}`,
      );
      const shownIds = workspace.getAllBlocks(false).map((block) => block.id);
      expect(shownIds.sort()).to.deep.equal(blockIdsIn(expected.blocks).sort());
      expect([...warningsIn(workspace).values()]).to.deep.equal([]);
      const panel = studio.shadowRoot!.querySelector('code-panel')!.shadowRoot!;
      await waitFor(() =>
        panel.querySelector('pre')?.textContent?.includes('from mpython import *'),
      );
    });
  }
});
