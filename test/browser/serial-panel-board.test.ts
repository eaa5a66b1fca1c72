/// <reference types="mocha" />
// `<serial-panel>` on its own, clicked as a child would, with the firmware-like stand-in (the
// mPython board's behaviour around the real MicroPython REPL): a board that resets when the port
// opens, a board reset while a Run is followed, a disconnect while a program runs.
import { expect } from '@esm-bundle/chai';
import * as Blockly from 'blockly';
import { generateMicroPython } from '../../generators/micropython/index.ts';
import '../../src/app/serial-panel.ts';
import type { SerialPanel } from '../../src/app/serial-panel.ts';
import { en } from '../../src/app/strings.ts';
import { registerBlocks } from '../../src/editor/register.ts';
import tutorial from '../../src/examples/onenet-rgb.json';
import { setLanguage } from '../../src/i18n/language.ts';
import { MicroPythonStandIn, type StandInOptions } from '../support/serial-standin.ts';
import { waitFor } from './wait-for.ts';

registerBlocks();

const standIns: MicroPythonStandIn[] = [];
let panel: SerialPanel | undefined;

afterEach(() => {
  panel?.remove();
  panel = undefined;
  for (const standIn of standIns.splice(0)) standIn.dispose();
});

/** A panel with the tutorial's program, whose port picker hands over a stand-in. */
async function mountPanel(options: StandInOptions = {}) {
  setLanguage('en');
  const standIn = await MicroPythonStandIn.create(options);
  standIns.push(standIn);
  const workspace = new Blockly.Workspace();
  try {
    Blockly.serialization.workspaces.load(tutorial.workspace, workspace);
    panel = document.createElement('serial-panel');
    panel.program = generateMicroPython(workspace);
  } finally {
    workspace.dispose();
  }
  panel.style.cssText = 'display: flex; width: 480px; height: 600px;';
  panel.portProvider = async () => standIn;
  document.body.append(panel);
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

const note = (panel: SerialPanel) => panel.shadowRoot!.querySelector('.note')?.textContent ?? '';
const state = (panel: SerialPanel) => panel.shadowRoot!.querySelector('.state')?.textContent;

async function typeLine(panel: SerialPanel, text: string): Promise<void> {
  const input = panel.shadowRoot!.querySelector<HTMLInputElement>('[data-input="repl"]')!;
  input.value = text;
  button(panel, 'board-send').click();
}

describe('<serial-panel> with the mPython firmware', function () {
  this.timeout(30000);

  it('waits for a board that resets when the port opens, and shows its boot text plainly', async () => {
    const { standIn, panel } = await mountPanel({ resetOnOpen: true });
    await click(panel, 'board-connect');
    // While the board starts, Save and Run wait: a Ctrl-C now would land in `_boot.py`.
    await waitFor(() => panel.monitorText.includes('rst:0x1 (POWERON_RESET)'), 10000, 'ROM');
    expect(state(panel)).to.equal(en.serialConnecting);
    expect(button(panel, 'board-save').disabled).to.equal(true);
    await waitFor(() => panel.activity === 'idle', 10000, 'connected once started');
    // ESP-IDF's colours are gone, and so are mPython's markers for its own IDE.
    expect(panel.monitorText).to.include('I (29) boot: ESP-IDF v3.3.1 2nd stage bootloader\n');
    expect(panel.monitorText).not.to.match(/\[0;3\dm/);
    expect(panel.monitorText).not.to.include('\x1b');
    expect(panel.monitorText).not.to.include('=$%#=');
    expect(panel.monitorText).not.to.include('$#mac:');
    await click(panel, 'board-save');
    await waitFor(() => note(panel) === en.serialSaved, 20000, 'saved');
    expect(standIn.readFile('/main.py')).to.deep.equal(
      new TextEncoder().encode(panel.program!.code),
    );
  });

  it('says so when the board restarts during a Run, and lets the child go on', async () => {
    const { standIn, panel } = await mountPanel();
    await click(panel, 'board-connect');
    await click(panel, 'board-run');
    await waitFor(() => standIn.phase === 'running', 10000, 'the tutorial waiting for messages');
    expect(panel.activity).to.equal('running');
    standIn.pressReset();
    await waitFor(() => note(panel) === en.serialRunEndedByRestart, 10000, 'the restart said');
    await waitFor(() => panel.activity === 'idle', 10000, 'settled after the restart');
    expect(button(panel, 'board-run').disabled).to.equal(false);
  });

  it('leaves the board at its friendly prompt when disconnected during a Run', async () => {
    const { standIn, panel } = await mountPanel();
    await click(panel, 'board-connect');
    await click(panel, 'board-run');
    await waitFor(() => standIn.phase === 'running', 10000, 'the tutorial waiting for messages');
    await click(panel, 'board-disconnect');
    await waitFor(() => panel.activity === 'disconnected', 10000, 'disconnected');
    await click(panel, 'board-connect');
    await waitFor(() => panel.activity === 'idle', 10000, 'connected again');
    await click(panel, 'board-stop');
    await waitFor(() => standIn.timersRunning === 0, 10000, 'the keep-alive stopped');
    await typeLine(panel, 'print(6 * 7)');
    await waitFor(() => panel.monitorText.includes('>>> print(6 * 7)\n42\n'), 10000, 'answer');
  });
});
