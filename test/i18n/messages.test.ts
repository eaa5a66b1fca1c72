// The two languages side by side: the block messages (blocks/messages/*.json) and every UI
// strings map have the same keys in English and Simplified Chinese, the same %N placeholders and
// {name} marks, and no empty text; every %{BKY_…} a block or the toolbox names exists in both.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as BlocklyEn from 'blockly/msg/en';
import * as BlocklyZhHans from 'blockly/msg/zh-hans';
import {
  blockDefinitions,
  blocklyWordsZhHans,
  messagesEn,
  messagesZhHans,
} from '../../blocks/index.ts';
import * as app from '../../src/app/strings.ts';
import * as board from '../../src/board/strings.ts';
import * as classWall from '../../src/class/strings.ts';
import * as consoleStrings from '../../src/console/strings.ts';
import * as examples from '../../src/examples/strings.ts';
import * as lessonStrings from '../../src/lessons/strings.ts';
import * as project from '../../src/project/strings.ts';
import { runtimeStringMaps } from '../../src/runtime/strings.ts';

const blocksDir = fileURLToPath(new URL('../../blocks/', import.meta.url));

/** The sorted set of `pattern`'s matches in `text`. */
function marks(text: string, pattern: RegExp): string[] {
  return [...new Set(text.match(pattern) ?? [])].sort();
}

const placeholders = (text: string) => marks(text, /%\d+/g);
const fills = (text: string) => marks(text, /\{\w+\}/g);

describe('block messages', () => {
  const en: Record<string, string> = messagesEn;
  const zh: Record<string, string> = messagesZhHans;

  it('zh-hans.json has exactly the keys of en.json', () => {
    assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort());
  });

  it('says every message with the same %N placeholders (in any order)', () => {
    for (const key of Object.keys(en)) {
      assert.deepEqual(placeholders(zh[key] ?? ''), placeholders(en[key]), key);
    }
  });

  it('has no empty message in either language', () => {
    for (const [language, messages] of Object.entries({ en, zh })) {
      for (const [key, text] of Object.entries(messages)) {
        assert.ok(typeof text === 'string' && text.trim() !== '', `${language}: ${key}`);
      }
    }
  });

  it('has every message the block definitions and the toolbox name', () => {
    const files = readdirSync(blocksDir).filter((name) => name.endsWith('.json'));
    const named = new Set<string>();
    for (const file of files) {
      const text = readFileSync(`${blocksDir}${file}`, 'utf8');
      for (const [, key] of text.matchAll(/%\{BKY_(\w+)\}/g)) named.add(key);
    }
    assert.ok(named.size > 0);
    for (const key of named) {
      assert.ok(key in en, `en.json has no ${key}`);
      assert.ok(key in zh, `zh-hans.json has no ${key}`);
    }
  });
});

describe('what a screen reader says in Chinese', () => {
  const blocklyEn = BlocklyEn as unknown as Record<string, string>;
  const blocklyZh = BlocklyZhHans as unknown as Record<string, string>;
  const ours: Record<string, string> = blocklyWordsZhHans;

  it('blockly-zh-hans.json says Blockly’s words in Chinese, with their %N', () => {
    for (const [key, text] of Object.entries(ours)) {
      assert.ok(key in blocklyEn, `${key} is one of Blockly's messages`);
      assert.match(text, /\p{Script=Han}/u, key);
      assert.deepEqual(placeholders(text), placeholders(blocklyEn[key]), key);
    }
  });

  it('leaves none of Blockly’s screen-reader or keyboard words in English', () => {
    const spoken =
      /^(ANNOUNCE_|ARIA_|FIELD_LABEL_|SHORTCUTS_|BUBBLE_LABEL_|WORKSPACE_SEARCH_|ZOOM_|RESET_ZOOM|OPEN_TRASH|INPUT_LABEL_(TEXT|LOOP|VARIABLES)_)/;
    const english = Object.keys(blocklyEn).filter(
      (key) =>
        spoken.test(key) && blocklyZh[key] === blocklyEn[key] && /[a-z]/i.test(blocklyEn[key]),
    );
    assert.ok(english.length > 20, 'Blockly still leaves these in English');
    assert.deepEqual(
      english.filter((key) => !(key in ours)),
      [],
    );
  });

  it('names every editable field and value input of our blocks, in both languages', () => {
    for (const definition of blockDefinitions) {
      const args = Object.entries(definition)
        .filter(([key]) => /^args\d+$/.test(key))
        .flatMap(([, value]) => value as Record<string, string>[]);
      for (const arg of args) {
        // The colour field names itself (Blockly's ARIA_TYPE_FIELD_COLOUR).
        if (!/^(field_(input|number|dropdown)|input_value)$/.test(arg.type)) continue;
        const name = arg.type === 'input_value' ? arg.ariaLabelText : arg.ariaTypeName;
        const key = /^%\{BKY_(\w+)\}$/.exec(name ?? '')?.[1];
        assert.ok(key, `${definition.type}.${arg.name} has a name for screen readers`);
        assert.ok(key in messagesEn && key in messagesZhHans, `${key} in en.json and zh-hans.json`);
      }
    }
  });
});

/** Every UI strings map, by file: English and Chinese. */
const uiMaps: [file: string, en: Record<string, string>, zh: Record<string, string>][] = [
  ['src/app/strings.ts', app.en, app.zhHans],
  ['src/board/strings.ts', board.en, board.zhHans],
  ['src/class/strings.ts', classWall.en, classWall.zhHans],
  ['src/console/strings.ts', consoleStrings.en, consoleStrings.zhHans],
  ['src/project/strings.ts', project.en, project.zhHans],
  ['src/lessons/strings.ts', lessonStrings.en, lessonStrings.zhHans],
  ['src/examples/strings.ts', examples.en, examples.zhHans],
];

describe('UI strings', () => {
  for (const [file, en, zh] of uiMaps) {
    it(`${file}: the same keys and {name} marks in both languages, none empty`, () => {
      assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort());
      for (const key of Object.keys(en)) {
        assert.deepEqual(fills(zh[key]), fills(en[key]), key);
        assert.ok(zh[key].trim() !== '', `${file}: ${key} is empty in Chinese`);
      }
    });
  }

  it('src/runtime/strings.ts: the same sentences, taking the same values', () => {
    const { en, 'zh-hans': zh } = runtimeStringMaps;
    assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort());
    for (const [key, value] of Object.entries(en)) {
      const other = zh[key as keyof typeof zh];
      assert.equal(typeof other, typeof value, key);
      if (typeof value === 'function') {
        assert.equal((other as () => string).length, value.length, key);
        // Every value given shows up in the sentence, in both languages.
        const args = Array.from({ length: value.length }, (_, i) => `«${i}»`);
        const call = (f: unknown) => (f as (...a: string[]) => string)(...args);
        for (const arg of args) {
          assert.ok(call(value).includes(arg), `en ${key} shows ${arg}`);
          assert.ok(call(other).includes(arg), `zh-hans ${key} shows ${arg}`);
        }
      } else {
        assert.ok(String(other).trim() !== '', key);
      }
    }
  });
});
