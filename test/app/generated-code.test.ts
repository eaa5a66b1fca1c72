// The studio's generated code (src/app/generated-code.ts) in Node on a headless workspace: both
// languages follow the program, every generation is counted, and the studio renders again only
// when the code (or which block owns which line) changed.
import '../../src/cli/headless-dom.ts';
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as Blockly from 'blockly';
import type { ReactiveControllerHost } from 'lit';
import { Host } from './host.ts';
import { registerBlocks } from '../../src/editor/register.ts';
import { GeneratedCode } from '../../src/app/generated-code.ts';

/** A studio stand-in with `data-` attributes. */
class DataHost extends Host {
  readonly dataset: Record<string, string> = {};
}

before(() => registerBlocks());

describe('generated code', () => {
  it('follows the program in both languages and renders only when the code changed', () => {
    const host = new DataHost();
    const workspace = new Blockly.Workspace();
    const code = new GeneratedCode(
      host as unknown as ReactiveControllerHost & HTMLElement,
      () => workspace,
    );
    host.controllers.forEach((controller) => controller.hostConnected?.());
    assert.equal(host.dataset.generations, '0');
    assert.equal(code.micropython, undefined);

    Blockly.serialization.workspaces.load(
      {
        blocks: {
          languageVersion: 0,
          blocks: [
            {
              type: 'text_print',
              inputs: {
                TEXT: { block: { type: 'text', id: 'words', fields: { TEXT: '你好 "x"' } } },
              },
            },
          ],
        },
      },
      workspace,
    );
    code.regenerate();
    assert.equal(host.dataset.generations, '1');
    assert.equal(host.updates, 1);
    assert.match(code.micropython!.code, /print\(/);
    assert.match(code.micropython!.code, /你好/);
    assert.match(code.typescript!.code, /你好/);
    const first = code.micropython;

    // Generated again for nothing new: counted, the same objects, no render.
    code.regenerate();
    assert.equal(host.dataset.generations, '2');
    assert.equal(host.updates, 1);
    assert.equal(code.micropython, first);

    workspace.getBlockById('words')!.setFieldValue('bye', 'TEXT');
    code.regenerate();
    assert.equal(host.updates, 2);
    assert.match(code.micropython!.code, /bye/);
    assert.doesNotMatch(code.typescript!.code, /你好/);
    workspace.dispose();
  });

  it('waits for the editor: nothing generated while there is no program', () => {
    const host = new DataHost();
    const code = new GeneratedCode(
      host as unknown as ReactiveControllerHost & HTMLElement,
      () => undefined,
    );
    code.regenerate();
    assert.equal(host.dataset.generations, undefined);
    assert.equal(host.updates, 0);
    assert.equal(code.typescript, undefined);
  });
});
