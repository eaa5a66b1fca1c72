/// <reference types="mocha" />
// Chinese and English in real Chromium: the language a browser starts in, the remembered choice,
// the <language-switch>, and a switch with the OneNET example open in a mounted <iot-studio> —
// every text changes, the program (blocks, code, undo history) does not.
import { expect } from '@esm-bundle/chai';
import * as Blockly from 'blockly';
import { generateMicroPython } from '../../generators/micropython/index.ts';
import { generateTypeScript } from '../../generators/typescript/index.ts';
import { messagesEn, messagesZhHans } from '../../blocks/index.ts';
import { PARTS } from '../../src/parts/index.ts';
import '../../src/app/iot-studio.ts';
import type { IotStudio } from '../../src/app/iot-studio.ts';
import '../../src/app/language-switch.ts';
import { registerBlocks } from '../../src/editor/register.ts';
import {
  LANGUAGE_STORAGE_KEY,
  initialLanguage,
  language,
  languageFromTags,
  setLanguage,
  type Language,
} from '../../src/i18n/language.ts';
import { ProjectFileError, parseProject } from '../../src/project/project-file.ts';
import { ProgramRunner } from '../../src/run/program-runner.ts';
import type { FromWorker } from '../../src/run/protocol.ts';
import { nextFrame, waitFor } from './wait-for.ts';

registerBlocks();

/** The toolbox's categories: the board's, each part's (src/parts/), then Blockly's. */
const CATEGORIES = [
  'CATEGORY_WIFI',
  'CATEGORY_MQTT',
  'CATEGORY_ONENET',
  'CATEGORY_RGB',
  'CATEGORY_BOARD',
  ...PARTS.map((part) => `CATEGORY_${part.name.toUpperCase()}`),
  'CATEGORY_LOGIC',
  'CATEGORY_LOOPS',
  'CATEGORY_MATH',
  'CATEGORY_TEXT',
  'CATEGORY_VARIABLES',
];

let container: HTMLDivElement | undefined;

afterEach(() => {
  container?.remove();
  container = undefined;
  // localStorage outlives this page: the other test files must start in English, unchosen.
  setLanguage('en');
  localStorage.removeItem(LANGUAGE_STORAGE_KEY);
});

function mount<T extends HTMLElement>(element: T): T {
  container = document.createElement('div');
  container.style.cssText = 'position: fixed; inset: 0; width: 1280px; height: 720px;';
  container.append(element);
  document.body.append(container);
  return element;
}

async function mountExample(): Promise<IotStudio> {
  const studio = mount(document.createElement('iot-studio'));
  await waitFor(() => studio.editor?.workspace && Number(studio.dataset.generations) >= 1);
  studio.openExample('onenet-rgb');
  await waitFor(() => workspaceOf(studio).getBlockById('wifi'), 10000, 'example open');
  return studio;
}

function workspaceOf(studio: IotStudio): Blockly.WorkspaceSvg {
  const workspace = studio.editor?.workspace;
  if (!workspace) throw new Error('no workspace');
  return workspace;
}

function categoryLabels(studio: IotStudio): string[] {
  return [...studio.querySelectorAll('.blocklyToolboxCategoryLabel')].map((l) => l.textContent!);
}

/** What a block itself says, as drawn: its labels and field values in order. */
function drawnText(studio: IotStudio, id: string): string {
  const block = workspaceOf(studio).getBlockById(id)!;
  return (
    block.inputList
      .flatMap((input) => input.fieldRow)
      .map((field) => field.getSvgRoot()?.textContent ?? '')
      .join(' ')
      // Blockly draws spaces as no-break spaces, so they are not collapsed.
      .replace(/\u00a0/g, ' ')
  );
}

function tooltipOf(studio: IotStudio, id: string): string {
  return Blockly.Tooltip.getTooltipOfObject(workspaceOf(studio).getBlockById(id));
}

function warningOf(studio: IotStudio, id: string): string | null {
  const icon = workspaceOf(studio).getBlockById(id)?.getIcon(Blockly.icons.IconType.WARNING) as
    (Blockly.icons.WarningIcon & { getText(): string }) | undefined;
  return icon?.getText() ?? null;
}

/** Everything about the program that a language switch must leave exactly as it was. */
function program(studio: IotStudio) {
  const workspace = workspaceOf(studio);
  return {
    state: Blockly.serialization.workspaces.save(workspace),
    blocks: workspace.getAllBlocks(false).length,
    micropython: generateMicroPython(workspace).code,
    typescript: generateTypeScript(workspace).code,
  };
}

/** Switches like a child does: a press on the switch's button for `lang`. */
async function pressSwitch(lang: Language): Promise<void> {
  const toggle = document.querySelector('language-switch')!;
  await toggle.updateComplete;
  const button = toggle.shadowRoot!.querySelector<HTMLButtonElement>(`[data-language="${lang}"]`)!;
  // A press takes the page's focus from wherever it was (Blockly's selection is its focus).
  button.focus();
  button.click();
  await toggle.updateComplete;
}

describe('the language a page starts in', () => {
  const cases: [tags: string[], expected: Language][] = [
    [['zh-CN', 'zh', 'en'], 'zh-hans'],
    [['zh'], 'zh-hans'],
    [['zh-Hans'], 'zh-hans'],
    [['zh-SG'], 'zh-hans'],
    [['zh-Hans-HK'], 'zh-hans'],
    [['zh_CN'], 'zh-hans'],
    // Traditional Chinese readers get Simplified Chinese rather than English.
    [['zh-TW', 'en-US'], 'zh-hans'],
    [['zh-HK'], 'zh-hans'],
    [['zh-Hant'], 'zh-hans'],
    [['zh-Hant-TW'], 'zh-hans'],
    [['en-US', 'zh-CN'], 'en'],
    [['en-GB'], 'en'],
    [['fr-FR', 'zh-CN'], 'zh-hans'],
    [['fr-FR', 'de'], 'en'],
    [[], 'en'],
  ];
  for (const [tags, expected] of cases) {
    it(`is ${expected} for [${tags.join(', ')}]`, () => {
      expect(languageFromTags(tags)).to.equal(expected);
    });
  }

  it('is the remembered choice when there is one, whatever the browser prefers', () => {
    const store = (value: string | null) => ({ getItem: () => value });
    expect(initialLanguage(store('zh-hans'), ['en-US'])).to.equal('zh-hans');
    expect(initialLanguage(store('en'), ['zh-CN'])).to.equal('en');
    // Not a language of ours (an older version, a hand edit): the browser decides.
    expect(initialLanguage(store('fr'), ['zh-CN'])).to.equal('zh-hans');
    expect(initialLanguage(null, ['zh-CN'])).to.equal('zh-hans');
    const refusing = {
      getItem(): string {
        throw new DOMException('denied', 'SecurityError');
      },
    };
    expect(initialLanguage(refusing, ['zh-CN'])).to.equal('zh-hans');
  });

  it('follows this browser (headless Chromium prefers English)', () => {
    expect(navigator.languages[0]).to.match(/^en/);
    expect(initialLanguage(null, navigator.languages)).to.equal('en');
  });
});

describe('<language-switch>', () => {
  it('switches, shows which language is on, and remembers the choice', async () => {
    const toggle = mount(document.createElement('language-switch'));
    await toggle.updateComplete;
    const button = (lang: Language) =>
      toggle.shadowRoot!.querySelector<HTMLButtonElement>(
        `[data-action="language"][data-language="${lang}"]`,
      )!;
    expect(button('zh-hans').textContent?.trim()).to.equal('中文');
    expect(button('en').textContent?.trim()).to.equal('English');
    expect(button('en').getAttribute('aria-pressed')).to.equal('true');
    expect(toggle.shadowRoot!.querySelector('[role="group"]')?.getAttribute('aria-label')).to.equal(
      'Language',
    );

    button('zh-hans').click();
    await toggle.updateComplete;
    expect(language()).to.equal('zh-hans');
    expect(localStorage.getItem(LANGUAGE_STORAGE_KEY)).to.equal('zh-hans');
    expect(document.documentElement.lang).to.equal('zh-Hans');
    expect(button('zh-hans').getAttribute('aria-pressed')).to.equal('true');
    expect(button('en').getAttribute('aria-pressed')).to.equal('false');
    expect(toggle.shadowRoot!.querySelector('[role="group"]')?.getAttribute('aria-label')).to.equal(
      '语言',
    );
    // A new page starts where this one left off.
    expect(initialLanguage(localStorage, navigator.languages)).to.equal('zh-hans');

    button('en').click();
    await toggle.updateComplete;
    expect(language()).to.equal('en');
    expect(localStorage.getItem(LANGUAGE_STORAGE_KEY)).to.equal('en');
    expect(document.documentElement.lang).to.equal('en');
  });
});

describe('<language-switch compact>', () => {
  it('is one button that names the other language', async () => {
    const toggle = mount(document.createElement('language-switch'));
    toggle.compact = true;
    await toggle.updateComplete;
    const buttons = () => [...toggle.shadowRoot!.querySelectorAll('[data-action="language"]')];
    expect(buttons().map((b) => b.getAttribute('data-language'))).to.deep.equal(['zh-hans']);
    expect(buttons()[0].textContent?.trim()).to.equal('中文');

    (buttons()[0] as HTMLButtonElement).click();
    await toggle.updateComplete;
    expect(language()).to.equal('zh-hans');
    expect(buttons().map((b) => b.getAttribute('data-language'))).to.deep.equal(['en']);
    expect(buttons()[0].textContent?.trim()).to.equal('English');
  });
});

describe('switching language with the OneNET example open', () => {
  it('changes every text and leaves the program exactly as it was', async () => {
    const studio = await mountExample();
    studio.parentElement!.append(document.createElement('language-switch'));
    const workspace = workspaceOf(studio);
    await waitFor(() => categoryLabels(studio).length === CATEGORIES.length);
    expect(categoryLabels(studio)).to.deep.equal(CATEGORIES.map((key) => messagesEn[key]));
    expect(drawnText(studio, 'wifi')).to.include('connect to WiFi');
    workspace.setScale(1.2);
    workspace.scroll(-40, -30);
    const view = { scale: workspace.scale, x: workspace.scrollX, y: workspace.scrollY };
    // Blockly delivers events a moment after they happen: let opening the example finish.
    await nextFrame();
    await nextFrame();
    const before = program(studio);
    const generations = studio.dataset.generations;
    let programEvents = 0;
    const count = (event: Blockly.Events.Abstract) => {
      if (!event.isUiEvent) programEvents++;
    };
    workspace.addChangeListener(count);

    await pressSwitch('zh-hans');
    await waitFor(() => categoryLabels(studio)[0] === messagesZhHans.CATEGORY_WIFI);
    expect(categoryLabels(studio)).to.deep.equal(CATEGORIES.map((key) => messagesZhHans[key]));
    expect(categoryLabels(studio)[0]).to.equal('WiFi 网络');
    // Our blocks, their tooltips and Blockly's own built-in blocks, all in Chinese.
    expect(drawnText(studio, 'wifi')).to.include('连接 WiFi');
    expect(drawnText(studio, 'connect')).to.include('客户端ID');
    expect(drawnText(studio, 'on-message')).to.include('当收到消息时');
    expect(tooltipOf(studio, 'wifi')).to.equal(messagesZhHans.WIFI_CONNECT_TOOLTIP);
    expect(drawnText(studio, 'print')).to.include('输出');
    // Same workspace, same blocks, same code, same view; no program event, no regeneration.
    expect(studio.editor!.workspace).to.equal(workspace);
    const after = program(studio);
    expect(after.blocks).to.equal(before.blocks);
    expect(after.state).to.deep.equal(before.state);
    expect(after.micropython).to.equal(before.micropython);
    expect(after.typescript).to.equal(before.typescript);
    expect(workspace.scale).to.equal(view.scale);
    expect(workspace.scrollX).to.be.closeTo(view.x, 1);
    expect(workspace.scrollY).to.be.closeTo(view.y, 1);
    await nextFrame();
    await nextFrame();
    expect(programEvents, 'program events').to.equal(0);
    expect(studio.dataset.generations).to.equal(generations);
    expect(document.documentElement.lang).to.equal('zh-Hans');
    // The panels around the blocks.
    const side = studio.shadowRoot!;
    const board = side.querySelector('virtual-board')!;
    await board.updateComplete;
    expect(board.shadowRoot!.textContent).to.include('光线');
    const messages = side.querySelector('message-console')!;
    await messages.updateComplete;
    expect(messages.shadowRoot!.querySelector('h2')?.textContent).to.equal('消息');

    await pressSwitch('en');
    await waitFor(() => categoryLabels(studio)[0] === messagesEn.CATEGORY_WIFI);
    expect(categoryLabels(studio)).to.deep.equal(CATEGORIES.map((key) => messagesEn[key]));
    expect(drawnText(studio, 'wifi')).to.include('connect to WiFi');
    expect(drawnText(studio, 'print')).to.include('print');
    expect(tooltipOf(studio, 'wifi')).to.equal(messagesEn.WIFI_CONNECT_TOOLTIP);
    expect(program(studio)).to.deep.equal(before);
    expect(board.shadowRoot!.textContent).to.include('Light');
    expect(document.documentElement.lang).to.equal('en');
    workspace.removeChangeListener(count);
    expect(programEvents, 'program events').to.equal(0);
  });

  it('words the warnings in the new language', async () => {
    const studio = await mountExample();
    const wifi = workspaceOf(studio).getBlockById('wifi')!;
    wifi.setFieldValue('', 'SSID');
    await waitFor(() => warningOf(studio, 'wifi') === messagesEn.WARNING_WIFI_NAME_EMPTY);
    setLanguage('zh-hans');
    expect(warningOf(studio, 'wifi')).to.equal(messagesZhHans.WARNING_WIFI_NAME_EMPTY);
    setLanguage('en');
    expect(warningOf(studio, 'wifi')).to.equal(messagesEn.WARNING_WIFI_NAME_EMPTY);
  });

  it('leaves nothing selected, and selecting works as before', async () => {
    const studio = await mountExample();
    const workspace = workspaceOf(studio);
    const selections: (string | null)[] = [];
    studio.addEventListener('block-selected', (event) => selections.push(event.detail.blockId));
    Blockly.getFocusManager().focusNode(workspace.getBlockById('connect')!);
    await waitFor(() => selections.at(-1) === 'connect');
    studio.parentElement!.append(document.createElement('language-switch'));
    await pressSwitch('zh-hans');
    expect(selections.at(-1)).to.equal(null);
    expect(studio.querySelectorAll('.blocklySelected')).to.have.length(0);

    Blockly.getFocusManager().focusNode(workspace.getBlockById('wifi')!);
    await waitFor(() => selections.at(-1) === 'wifi');
    expect(Blockly.getSelected()?.id).to.equal('wifi');
    expect(studio.querySelectorAll('.blocklySelected')).to.have.length(1);
  });

  it('keeps the undo history', async () => {
    const studio = await mountExample();
    const workspace = workspaceOf(studio);
    const original = Blockly.serialization.workspaces.save(workspace);
    workspace.getBlockById('wifi')!.setFieldValue('Garden', 'SSID');
    await waitFor(() => workspace.getUndoStack().length > 0);
    const changed = Blockly.serialization.workspaces.save(workspace);

    setLanguage('zh-hans');
    workspace.undo(false);
    expect(workspace.getBlockById('wifi')!.getFieldValue('SSID')).to.equal('ssid');
    expect(Blockly.serialization.workspaces.save(workspace)).to.deep.equal(original);
    setLanguage('en');
    workspace.undo(true);
    expect(Blockly.serialization.workspaces.save(workspace)).to.deep.equal(changed);
  });

  it('opens the toolbox in the new language', async () => {
    const studio = await mountExample();
    const workspace = workspaceOf(studio);
    setLanguage('zh-hans');
    await waitFor(() => categoryLabels(studio)[0] === messagesZhHans.CATEGORY_WIFI);
    const toolbox = workspace.getToolbox() as Blockly.Toolbox;
    toolbox.selectItemByPosition(0);
    const flyout = await waitFor(() => workspace.getFlyout()?.isVisible() && workspace.getFlyout());
    // The first block of the WiFi category, made now, from the Chinese messages.
    const [shown] = (flyout as Blockly.Flyout).getWorkspace().getTopBlocks(false);
    expect(shown.type).to.equal('wifi_connect');
    expect(shown.toString()).to.include('连接 WiFi');
  });
});

describe('a project file that cannot be opened', () => {
  it('says why in the language of the studio', () => {
    const why = () => {
      try {
        parseProject('this is not json');
      } catch (error) {
        if (error instanceof ProjectFileError) return error.message;
        throw error;
      }
      throw new Error('it opened');
    };
    expect(why()).to.equal('This file is not a project: its text is not JSON.');
    setLanguage('zh-hans');
    expect(why()).to.equal('这个文件不是项目：它的内容不是 JSON。');
  });
});

describe('the program runtime in Chinese', () => {
  it('says what went wrong in the language of the studio', async () => {
    setLanguage('zh-hans');
    const runner = new ProgramRunner();
    const received: FromWorker[] = [];
    try {
      const code = [
        'import { mqtt } from "@iot-blocks/runtime";',
        'await mqtt.subscribe("lights");',
        '',
      ].join('\n');
      await runner.run(code, { url: 'ws://127.0.0.1:9/mqtt', sendCredentials: false }, (m) =>
        received.push(m),
      );
      const error = await waitFor(() => received.find((m) => m.type === 'error'));
      expect(error).to.deep.include({
        message: '要先连接 MQTT 服务器，才能订阅主题。',
        line: 2,
      });
    } finally {
      await runner.dispose();
    }
  });

  it('words the transport’s errors in the language asked for', async () => {
    const runner = new ProgramRunner();
    const received: FromWorker[] = [];
    const nowhere = 'ws://127.0.0.1:9/mqtt';
    try {
      const code = [
        'import { mqtt } from "@iot-blocks/runtime";',
        'await mqtt.connect({ server: "", port: 1883, clientId: "zh", username: "", password: "", keepalive: 10 });',
        '',
      ].join('\n');
      await runner.run(
        code,
        { url: nowhere, sendCredentials: false },
        (m) => received.push(m),
        'zh-hans',
      );
      const error = await waitFor(() => received.find((m) => m.type === 'error'));
      expect(error).to.deep.include({
        message: `连不上 ${nowhere} 的 MQTT 服务器。服务器开着吗？地址对吗？`,
      });
    } finally {
      await runner.dispose();
    }
  });
});
