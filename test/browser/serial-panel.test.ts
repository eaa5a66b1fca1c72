/// <reference types="mocha" />
// The studio's Board tab clicked through as a child would, with a stand-in port (the real
// MicroPython REPL) handed to the panel in place of the browser's port picker.
import { expect } from '@esm-bundle/chai';
import * as Blockly from 'blockly';
import { generateMicroPython } from '../../generators/micropython/index.ts';
import '../../src/app/iot-studio.ts';
import type { IotStudio } from '../../src/app/iot-studio.ts';
import type { SerialPanel } from '../../src/app/serial-panel.ts';
import { en } from '../../src/app/strings.ts';
import { registerBlocks } from '../../src/editor/register.ts';
import { setLanguage } from '../../src/i18n/language.ts';
import { MicroPythonStandIn, type StandInOptions } from '../support/serial-standin.ts';
import { waitFor } from './wait-for.ts';

registerBlocks();

/** Prints a greeting, then divides by zero in the block `divide`. */
const PROGRAM = {
  blocks: {
    languageVersion: 0,
    blocks: [
      {
        type: 'text_print',
        id: 'greet',
        x: 20,
        y: 20,
        inputs: { TEXT: { block: { type: 'text', fields: { TEXT: '你好，板子' } } } },
        next: {
          block: {
            type: 'text_print',
            id: 'divide',
            inputs: {
              TEXT: {
                block: {
                  type: 'math_arithmetic',
                  fields: { OP: 'DIVIDE' },
                  inputs: {
                    A: { block: { type: 'math_number', fields: { NUM: 1 } } },
                    B: { block: { type: 'math_number', fields: { NUM: 0 } } },
                  },
                },
              },
            },
          },
        },
      },
    ],
  },
};

let container: HTMLDivElement | undefined;
const standIns: MicroPythonStandIn[] = [];

async function mountStudio(): Promise<IotStudio> {
  localStorage.clear();
  setLanguage('en');
  container = document.createElement('div');
  container.style.cssText = 'position: fixed; inset: 0; width: 1280px; height: 720px;';
  const studio = document.createElement('iot-studio');
  container.append(studio);
  document.body.append(container);
  await waitFor(() => studio.editor?.workspace && studio.dataset.generations, 20000, 'studio');
  return studio;
}

/** Opens the Board tab, hands its panel a stand-in port, and returns both. */
async function openBoardTab(studio: IotStudio, options: StandInOptions = {}) {
  // The stand-in has the board's modules (`mpython`, `machine`, `umqtt.simple`) as stubs.
  const standIn = await MicroPythonStandIn.create(options);
  standIns.push(standIn);
  studio.shadowRoot!.querySelector<HTMLButtonElement>('[data-tab="board"]')!.click();
  const panel = await waitFor(
    () => customElements.get('serial-panel') && studio.shadowRoot!.querySelector('serial-panel'),
    20000,
    'the board panel loaded',
  );
  panel.portProvider = async () => standIn;
  await panel.updateComplete;
  return { standIn, panel };
}

function button(panel: SerialPanel, action: string): HTMLButtonElement {
  const found = panel.shadowRoot!.querySelector<HTMLButtonElement>(`[data-action="${action}"]`);
  if (!found) throw new Error(`no ${action} button`);
  return found;
}

async function click(panel: SerialPanel, action: string): Promise<void> {
  await waitFor(() => !button(panel, action).disabled, 20000, `${action} enabled`);
  button(panel, action).click();
}

/** The id of the block drawn as selected, or null. */
function selected(studio: IotStudio): string | null {
  const blocks = studio.querySelectorAll('.blocklySelected');
  return blocks.length === 1 ? blocks[0].getAttribute('data-id') : null;
}

const note = (panel: SerialPanel) => panel.shadowRoot!.querySelector('.note')?.textContent ?? '';

async function typeLine(panel: SerialPanel, text: string): Promise<void> {
  const input = panel.shadowRoot!.querySelector<HTMLInputElement>('[data-input="repl"]')!;
  input.value = text;
  button(panel, 'board-send').click();
}

afterEach(async () => {
  container?.remove();
  container = undefined;
  for (const standIn of standIns.splice(0)) standIn.dispose();
});

describe('<serial-panel> in the studio', () => {
  it('runs and saves the program on a board, maps its error to the block, and talks to the REPL', async () => {
    const studio = await mountStudio();
    const workspace = studio.editor!.workspace!;
    Blockly.serialization.workspaces.load(PROGRAM, workspace);
    const code = generateMicroPython(workspace).code;
    const { standIn, panel } = await openBoardTab(studio);
    await waitFor(() => !button(panel, 'board-connect').disabled, 10000, 'connect enabled');
    expect(panel.shadowRoot!.querySelector('.state')?.textContent).to.equal(en.serialDisconnected);

    await click(panel, 'board-connect');
    await waitFor(() => panel.activity === 'idle', 10000, 'connected');
    expect(panel.shadowRoot!.querySelector('.state')?.textContent).to.equal(en.serialIdle);

    // Run on board: the output arrives, and the error selects the block it came from.
    await click(panel, 'board-run');
    await waitFor(() => panel.monitorText.includes('你好，板子'), 10000, 'run output');
    const showBlock = await waitFor(
      () => panel.shadowRoot!.querySelector<HTMLElement>('[data-action="board-show-block"]'),
      10000,
      'error mapped to a block',
    );
    expect(showBlock.dataset.blockId).to.equal('divide');
    expect(panel.monitorText).to.include('ZeroDivisionError');
    await waitFor(() => selected(studio) === 'divide', 10000, 'the block selected');
    await waitFor(() => panel.activity === 'idle', 10000, 'run ended');
    expect(standIn.readFile('/main.py')).to.equal(null);

    // Save to board: main.py is the program, and after the reset it runs (from main.py).
    await click(panel, 'board-save');
    await waitFor(() => note(panel) === en.serialSaved, 20000, 'saved');
    expect(standIn.readFile('/main.py')).to.deep.equal(new TextEncoder().encode(code));
    await waitFor(() => panel.monitorText.includes('File "main.py", line'), 10000, 'main.py ran');
    // Its traceback names main.py, and maps to the same block.
    const shown = await waitFor(
      () => {
        const buttons = panel.shadowRoot!.querySelectorAll<HTMLElement>(
          '[data-action="board-show-block"]',
        );
        return buttons.length === 2 ? [...buttons] : null;
      },
      10000,
      'the saved program’s error mapped',
    );
    expect(shown[1].dataset.blockId).to.equal('divide');

    // The REPL box, and Ctrl-C: an unfinished `for` is dropped, so the next line runs alone.
    await waitFor(() => panel.activity === 'idle', 10000, 'saved program ended');
    await typeLine(panel, 'for i in range(3):');
    await waitFor(() => /\n\.\.\. *$/.test(panel.monitorText), 10000, 'continuation prompt');
    await click(panel, 'board-stop');
    await waitFor(() => panel.monitorText.endsWith('>>> '), 10000, 'prompt after Ctrl-C');
    await typeLine(panel, 'print(6 * 7)');
    await waitFor(() => panel.monitorText.includes('\n42\n'), 10000, 'REPL answer');
  });

  it('says when another program holds the port', async () => {
    const studio = await mountStudio();
    const { panel } = await openBoardTab(studio, { openError: 'NetworkError' });
    await click(panel, 'board-connect');
    await waitFor(() => note(panel) === en.serialInUse, 10000, 'in-use message');
    expect(panel.activity).to.equal('disconnected');
  });

  it('says when the board is unplugged, and shows it disconnected', async () => {
    const studio = await mountStudio();
    const { standIn, panel } = await openBoardTab(studio);
    await click(panel, 'board-connect');
    await waitFor(() => panel.activity === 'idle', 10000, 'connected');
    standIn.unplug('error');
    await waitFor(() => note(panel) === en.serialUnplugged, 10000, 'unplugged message');
    expect(panel.activity).to.equal('disconnected');
    expect(button(panel, 'board-connect').disabled).to.equal(false);
  });

  it('offers the main.py download where the browser has no Web Serial', async () => {
    const studio = await mountStudio();
    const { panel } = await openBoardTab(studio);
    panel.portProvider = null;
    await panel.updateComplete;
    expect(panel.shadowRoot!.querySelector('[data-problem="no-serial"]')?.textContent).to.include(
      en.serialNoWebSerial,
    );
    expect(panel.shadowRoot!.querySelector('[data-action="board-connect"]')).to.equal(null);
    let asked = 0;
    panel.addEventListener('download-micropython', () => asked++);
    button(panel, 'board-download').click();
    expect(asked).to.equal(1);
  });
});
