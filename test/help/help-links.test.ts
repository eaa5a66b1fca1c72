// Every block of ours has a Help link into the studio's own help page, and that page has a
// section for it in both languages. (test/e2e/help.test.ts loads the built page in Chromium.)
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { blockDefinitions, ourBlockTypes } from '../../blocks/index.ts';
import { LANGUAGES } from '../../src/i18n/language.ts';
import { helpLanguage } from '../../src/help/help-language.ts';
import { blockHelp, pageStrings } from '../../src/help/strings.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The help page, relative to the studio page (both built to the same places in dist/). */
const HELP_PAGE = 'src/help/index.html';

/** A block's helpUrl, read from its JSON definition. */
function helpUrlOf(type: string): unknown {
  return blockDefinitions.find((definition) => definition.type === type)?.helpUrl;
}

describe('help links', () => {
  it('every block of ours links to its own section of the help page', () => {
    assert.ok(ourBlockTypes.length > 0);
    for (const type of ourBlockTypes) {
      assert.equal(helpUrlOf(type), `${HELP_PAGE}#${type}`, type);
    }
  });

  it('the links are relative, so they work wherever the studio is served', () => {
    const studio = 'http://192.168.1.20:8080/index.html?example=onenet-rgb';
    for (const type of ourBlockTypes) {
      const url = new URL(String(helpUrlOf(type)), studio);
      assert.equal(url.href, `http://192.168.1.20:8080/${HELP_PAGE}#${type}`, type);
      assert.equal(
        new URL(String(helpUrlOf(type)), 'https://school.example/iot/').pathname,
        `/iot/${HELP_PAGE}`,
      );
    }
  });

  it('the help page exists and Vite builds it next to the studio', async () => {
    assert.ok(existsSync(join(ROOT, HELP_PAGE)), HELP_PAGE);
    const { default: config } = await import('../../vite.config.ts');
    const input = (config as { build?: { rolldownOptions?: { input?: Record<string, string> } } })
      .build?.rolldownOptions?.input;
    // Beside the studio and the help page, the teacher's classroom wall (src/class/).
    assert.deepEqual(Object.values(input ?? {}).sort(), [
      join(ROOT, 'index.html'),
      join(ROOT, 'src/class/index.html'),
      join(ROOT, HELP_PAGE),
    ]);
  });

  for (const language of LANGUAGES) {
    it(`every block has help in ${language}: what it does and a tip; MQTT blocks say board and browser`, () => {
      const help = blockHelp[language];
      for (const type of ourBlockTypes) {
        const entry = help[type];
        assert.ok(entry, `${language}: no help for ${type}`);
        for (const key of ['title', 'what', 'tip'] as const) {
          assert.ok(entry[key]?.trim(), `${language}: ${type}.${key} is empty`);
        }
        if (type.startsWith('mqtt_')) {
          assert.ok(entry.board?.trim(), `${language}: ${type} says nothing of the board`);
          assert.ok(entry.browser?.trim(), `${language}: ${type} says nothing of the browser`);
        }
      }
      // No help for blocks that are gone: each entry is a section someone can reach.
      assert.deepEqual(Object.keys(help).sort(), [...ourBlockTypes].sort());
      assert.deepEqual(
        Object.keys(pageStrings[language]).sort(),
        Object.keys(pageStrings.en).sort(),
      );
    });
  }

  it('the Chinese help is Chinese and the English help is not', () => {
    for (const type of ourBlockTypes) {
      assert.match(blockHelp['zh-hans'][type].what, /[\u4e00-\u9fff]/, type);
      assert.doesNotMatch(blockHelp.en[type].what, /[\u4e00-\u9fff]/, type);
    }
  });

  it('?lang= picks the page language, any other value leaves the studio’s', () => {
    assert.equal(helpLanguage('?lang=zh-hans'), 'zh-hans');
    assert.equal(helpLanguage('?lang=zh-CN'), 'zh-hans');
    assert.equal(helpLanguage('?lang=zh'), 'zh-hans');
    assert.equal(helpLanguage('?lang=en'), 'en');
    assert.equal(helpLanguage('?lang=EN-gb'), 'en');
    // In Node the studio's language is English (no browser, no stored choice).
    assert.equal(helpLanguage('?lang=fr'), 'en');
    assert.equal(helpLanguage(''), 'en');
  });
});
