/// <reference types="mocha" />
// The studio's announcements setting: a checkbox under the board, on until turned off, remembered
// in this browser, handed to the board and Messages; and the board saying a program ended.
import { expect } from '@esm-bundle/chai';
import '../../src/app/iot-studio.ts';
import type { IotStudio } from '../../src/app/iot-studio.ts';
import { ANNOUNCE_STORAGE_KEY, MIN_INTERVAL_MS } from '../../src/board/announcer.ts';
import { idleBoard } from '../../src/board/board-state.ts';
import { setLanguage } from '../../src/i18n/language.ts';
import { registerBlocks } from '../../src/editor/register.ts';
import { ManualClock } from './announce-clock.ts';
import { waitFor } from './wait-for.ts';

registerBlocks();

let container: HTMLDivElement | undefined;

afterEach(() => {
  container?.remove();
  localStorage.clear();
  setLanguage('en');
});

/** Mounts a studio on the page, keeping whatever this browser has stored. */
async function mountStudio(): Promise<IotStudio> {
  container = document.createElement('div');
  container.style.cssText = 'position: fixed; inset: 0; width: 1280px; height: 720px;';
  const studio = document.createElement('iot-studio');
  container.append(studio);
  document.body.append(container);
  await waitFor(() => studio.editor?.workspace, 20000, 'studio ready');
  await studio.updateComplete;
  return studio;
}

const root = (studio: IotStudio) => studio.shadowRoot!;
const checkbox = (studio: IotStudio) =>
  root(studio).querySelector<HTMLInputElement>('input[data-setting="announce"]')!;
const board = (studio: IotStudio) => root(studio).querySelector('virtual-board')!;
const messages = (studio: IotStudio) => root(studio).querySelector('message-console')!;
const boardRegion = (studio: IotStudio) =>
  board(studio).shadowRoot!.querySelector<HTMLElement>('[aria-live="polite"]')!;

describe('the announcements setting', () => {
  it('is on at first, with a label in the studio’s language', async () => {
    localStorage.clear();
    const studio = await mountStudio();
    expect(checkbox(studio).checked).to.equal(true);
    expect(board(studio).announce).to.equal(true);
    expect(messages(studio).announce).to.equal(true);
    expect(checkbox(studio).closest('label')!.textContent?.trim()).to.equal(
      'Read out board changes and messages',
    );
    setLanguage('zh-hans');
    await studio.updateComplete;
    expect(checkbox(studio).closest('label')!.textContent?.trim()).to.equal(
      '朗读掌控板的变化和新消息',
    );
  });

  it('turned off, silences the board and Messages, and is remembered in this browser', async () => {
    localStorage.clear();
    let studio = await mountStudio();
    checkbox(studio).click();
    await studio.updateComplete;
    expect(localStorage.getItem(ANNOUNCE_STORAGE_KEY)).to.equal('off');
    expect(board(studio).announce).to.equal(false);
    expect(messages(studio).announce).to.equal(false);

    const clock = new ManualClock();
    board(studio).announcer.clock = clock;
    board(studio).state = {
      ...idleBoard(),
      leds: [
        [50, 0, 0],
        [50, 0, 0],
        [50, 0, 0],
      ],
      online: true,
    };
    await board(studio).updateComplete;
    board(studio).programEnded();
    clock.advance(10 * MIN_INTERVAL_MS);
    await board(studio).updateComplete;
    expect(boardRegion(studio).textContent?.trim()).to.equal('');

    container!.remove();
    expect(localStorage.getItem(ANNOUNCE_STORAGE_KEY)).to.equal('off');
    studio = await mountStudio();
    expect(checkbox(studio).checked).to.equal(false);
    expect(board(studio).announce).to.equal(false);
    checkbox(studio).click();
    await studio.updateComplete;
    expect(localStorage.getItem(ANNOUNCE_STORAGE_KEY)).to.equal('on');
    expect(board(studio).announce).to.equal(true);
    expect(messages(studio).announce).to.equal(true);
  });

  it('lets the board say that a program ended', async () => {
    localStorage.clear();
    const studio = await mountStudio();
    // An empty program has nothing to do: it ends as soon as it starts.
    root(studio).querySelector<HTMLButtonElement>('[data-action="run"]')!.click();
    await waitFor(
      () => boardRegion(studio).textContent?.includes('program ended'),
      10000,
      'the board says the program ended',
    );
  });

  it('lets the board say why a program that failed ended', async () => {
    localStorage.clear();
    const studio = await mountStudio();
    // The length of a variable that was never set: the program fails at its first block.
    const project = {
      format: 'iot-blocks-project',
      version: 1,
      settings: { name: 'Test', browserBroker: { kind: 'embedded' } },
      workspace: {
        blocks: {
          languageVersion: 0,
          blocks: [
            {
              type: 'text_print',
              id: 'broken-print',
              inputs: {
                TEXT: {
                  block: {
                    type: 'text_length',
                    inputs: {
                      VALUE: { block: { type: 'variables_get', fields: { VAR: { id: 'x' } } } },
                    },
                  },
                },
              },
            },
          ],
        },
        variables: [{ name: 'x', id: 'x' }],
      },
    };
    expect(await studio.openProject(JSON.stringify(project))).to.equal(null);
    root(studio).querySelector<HTMLButtonElement>('[data-action="run"]')!.click();
    const said = await waitFor(
      () => [...boardRegion(studio).children].find((p) => p.textContent?.startsWith('program')),
      10000,
      'the board says the program ended',
    );
    const error = await waitFor(() =>
      messages(studio).shadowRoot!.querySelector('.entry[data-kind="error"] .payload'),
    );
    expect(said.textContent).to.equal(`program ended: ${error.textContent}`);
  });
});
