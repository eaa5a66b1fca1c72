// A 1000-block program is drawn in view first and the rest in idle slices (issue 16): nothing a
// child does while it is still being drawn may see half a program. The real server and the built
// studio in headless Chromium; in the very task that opens the program (so it is surely still
// being drawn), Save, Download main.py, Download main.ts and Run are clicked, and each gets the
// whole program: the files are what the program's own code and blocks are (made here in Node
// from the same file), the autosave holds every block, and the run prints the last block's line.
import '../../src/cli/headless-dom.ts';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as Blockly from 'blockly';
import type { Browser, Page } from 'playwright-core';
import type { Studio } from '../../src/server/studio-server.ts';
import { registerBlocks } from '../../src/editor/register.ts';
import { loadProject, parseProject } from '../../src/project/project-file.ts';
import { generateMicroPython } from '../../generators/micropython/index.ts';
import { generateTypeScript } from '../../generators/typescript/index.ts';
import { bigProject } from '../bench/big-workspace.ts';
import { DEADLINE, launchChromium, startTestStudio, waitForStudio } from './studio.ts';

interface BlockJson {
  id: string;
  fields?: Record<string, unknown>;
  inputs?: Record<string, { block: BlockJson }>;
  next?: { block: BlockJson };
}

/**
 * The benchmark's 1000-block program, its last number made 5000 so that its last line is one of
 * a kind: `print(199 + -5000)`, which prints -4801 (every other line prints -1).
 */
function program() {
  const project = bigProject(200) as { workspace: { blocks: { blocks: BlockJson[] } } };
  let print = project.workspace.blocks.blocks[0];
  while (print.next) print = print.next.block;
  const number = print.inputs!.TEXT.block.inputs!.B.block.inputs!.NUM.block;
  assert.equal(number.id, 'b199');
  number.fields = { NUM: 5000 };
  return project;
}

/** The program's code in each language, made in Node from the file as the CLI makes it. */
function codeOf(text: string): { micropython: string; typescript: string } {
  registerBlocks();
  const workspace = new Blockly.Workspace();
  try {
    loadProject(workspace, parseProject(text));
    return {
      micropython: generateMicroPython(workspace).code,
      typescript: generateTypeScript(workspace).code,
    };
  } finally {
    workspace.dispose();
  }
}

/** What the page saw in the task that opened the program and clicked `action`. */
interface Opened {
  opening: boolean;
  drawn: number;
  /** The autosaved versions in the page's storage that hold the last block. */
  savedWithLastBlock: string[];
}

/**
 * Opens `text` in the studio and, in the same task, clicks the button `data-action=action` if
 * given (the menus' buttons are clicked as their handlers see it, menu open or not).
 */
function openAndClick(page: Page, text: string, action: string | null): Promise<Opened> {
  return page.evaluate(
    ({ text, action }) => {
      const studio = document.querySelector('iot-studio')!;
      const problem = studio.openProject(text);
      if (problem) throw new Error(problem);
      const editor = studio.editor!;
      const opened = {
        opening: editor.opening,
        drawn: editor.workspace!.getAllBlocks(false).length,
        savedWithLastBlock: Object.keys(localStorage)
          .map((key) => localStorage.getItem(key) ?? '')
          .filter((value) => value.includes('"b199"')),
      };
      if (action) {
        studio.shadowRoot!.querySelector<HTMLButtonElement>(`[data-action="${action}"]`)!.click();
      }
      return opened;
    },
    { text, action },
  );
}

/** Asserts that `opened` happened while the program was still being drawn. */
function stillDrawing(opened: Opened): void {
  assert.equal(opened.opening, true, 'the program is still being drawn');
  assert.ok(opened.drawn > 0 && opened.drawn < 1000, `${opened.drawn} blocks drawn so far`);
}

describe('a big program, while it is still being drawn', () => {
  let studio: Studio;
  let browser: Browser;
  let page: Page;
  const project = program();
  const text = JSON.stringify(project);
  const code = codeOf(text);

  before(async () => {
    ({ studio } = await startTestStudio());
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 720 }, acceptDownloads: true });
    await page.goto(studio.url);
    await waitForStudio(page);
  });

  after(async () => {
    await browser?.close();
    await studio?.close();
  });

  /** Waits until the studio has drawn every block of what it opened. */
  const drawn = () =>
    page.waitForFunction(
      () => {
        const editor = document.querySelector('iot-studio')!.editor!;
        return !editor.opening && editor.workspace!.getAllBlocks(false).length === 1000;
      },
      null,
      { timeout: DEADLINE },
    );

  /** Opens the program, clicks `action` at once, and reads the file it downloads. */
  async function download(action: string): Promise<{ opened: Opened; name: string; text: string }> {
    const downloading = page.waitForEvent('download', { timeout: DEADLINE });
    const opened = await openAndClick(page, text, action);
    const file = await downloading;
    const content = await readFile((await file.path())!, 'utf8');
    await drawn();
    return { opened, name: file.suggestedFilename(), text: content };
  }

  it('the code is already shown, and the project is autosaved whole', async () => {
    assert.ok(code.micropython.includes('print(199 + -5000)'));
    const opened = await openAndClick(page, text, null);
    stillDrawing(opened);
    assert.equal(opened.savedWithLastBlock.length, 1, 'one autosaved version with the last block');
    assert.deepEqual(parseProject(opened.savedWithLastBlock[0]).workspace, project.workspace);
    const shown = await page.evaluate(() => {
      const panel = document.querySelector('iot-studio')!.shadowRoot!.querySelector('code-panel')!;
      return panel.shadowRoot!.querySelector('pre')?.textContent ?? '';
    });
    assert.ok(shown.includes('print(199 + -5000)'), 'the code panel shows the last line');
    await drawn();
  });

  it('Save downloads the whole project', async () => {
    const saved = await download('save');
    stillDrawing(saved.opened);
    assert.deepEqual(parseProject(saved.text).workspace, project.workspace);
  });

  it('Download main.py gives the whole program’s MicroPython', async () => {
    const file = await download('download-micropython');
    stillDrawing(file.opened);
    assert.equal(file.name, 'main.py');
    assert.equal(file.text, code.micropython);
  });

  it('Download main.ts gives the whole program’s TypeScript', async () => {
    const file = await download('download-typescript');
    stillDrawing(file.opened);
    assert.equal(file.name, 'main.ts');
    assert.equal(file.text, code.typescript);
  });

  it('Run runs the whole program: it prints the last block’s line', async () => {
    const opened = await openAndClick(page, text, 'run');
    stillDrawing(opened);
    await page
      .locator('message-console .entry[data-kind="print"]', { hasText: '-4801' })
      .first()
      .waitFor({ timeout: DEADLINE });
    await drawn();
  });
});
