/// <reference types="mocha" />
// The Chinese web font's decision and faces (src/app/cjk-font.ts, cjk-font-faces.ts) in real
// Chromium: the system probe through `local()`, a machine with a Chinese font (emulated by a
// list that names a font this machine has) fetching nothing, the faces narrowed to Chinese, and
// every Chinese character the studio shows covered by a face.
import { expect } from '@esm-bundle/chai';
import { blocklyWordsZhHans, messagesZhHans } from '../../blocks/index.ts';
import { zhHans as appZh } from '../../src/app/strings.ts';
import { zhHans as boardZh } from '../../src/board/strings.ts';
import { zhHans as consoleZh } from '../../src/console/strings.ts';
import { zhHans as examplesZh } from '../../src/examples/strings.ts';
import { zhHans as lessonsZh } from '../../src/lessons/strings.ts';
import { zhHans as projectZh } from '../../src/project/strings.ts';
import { CJK_WEB_FAMILY, bringChineseFont, hasSystemFont } from '../../src/app/cjk-font.ts';
import { CJK_BLOCKS, chineseFaces, chineseOnly } from '../../src/app/cjk-font-faces.ts';

/** A font every machine of this project has (Debian's fonts-dejavu-core, Chromium needs it). */
const FONT_THIS_MACHINE_HAS = 'DejaVu Sans';

/** The code points a `U+…` list covers, as [first, last] pairs. */
function parseRange(range: string): [number, number][] {
  return range.split(',').map((part) => {
    const [first, last = first] = part.trim().replace(/^U\+/i, '').split('-');
    return [parseInt(first, 16), parseInt(last, 16)];
  });
}

/** Font files this page has fetched so far. */
function fontFetches(): string[] {
  return performance
    .getEntriesByType('resource')
    .map((entry) => entry.name)
    .filter((name) => /\.woff2?($|\?(?!import))/.test(name));
}

describe('Chinese web font', () => {
  it('asks the system for a font by its local() name, and says no for one it lacks', async () => {
    expect(await hasSystemFont([FONT_THIS_MACHINE_HAS])).to.equal(true);
    expect(await hasSystemFont(['No Such Font 7f3a'])).to.equal(false);
    expect(await hasSystemFont(['No Such Font 7f3a', FONT_THIS_MACHINE_HAS])).to.equal(true);
    expect(await hasSystemFont([])).to.equal(false);
  });

  it('narrows a slice to Chinese: Latin, digits, emoji and private use are left to the system', () => {
    expect(chineseOnly('U+0-ff,U+131,U+2000-206f')).to.equal('');
    expect(chineseOnly('U+1f300-1f37e,U+e000-f8ff')).to.equal('');
    expect(chineseOnly('U+41,U+4e00-4e10,U+ff01-ff5e')).to.equal('U+4e00-4e10,U+ff01-ff5e');
    expect(chineseOnly('U+2000-3000')).to.equal('U+2e80-3000');
    expect(chineseOnly('U+20000')).to.equal('U+20000');
  });

  it('has faces for every Chinese character the studio shows, and none outside Chinese', () => {
    const faces = chineseFaces('test family');
    expect(faces.length).to.be.greaterThan(80);
    const covered = faces.flatMap((face) => parseRange(face.unicodeRange));
    const inChinese = ([a, b]: [number, number]) =>
      CJK_BLOCKS.some(([start, end]) => a >= start && b <= end);
    expect(covered.filter((range) => !inChinese(range))).to.deep.equal([]);
    for (const face of faces) expect(face.display).to.equal('swap');

    const text = [
      appZh,
      boardZh,
      consoleZh,
      examplesZh,
      lessonsZh,
      projectZh,
      messagesZhHans,
      blocklyWordsZhHans,
    ]
      .flatMap((strings) => Object.values(strings as Record<string, unknown>))
      .join('');
    const chinese = [...new Set(text.match(/[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/gu))];
    expect(chinese.length).to.be.greaterThan(300);
    const missing = chinese.filter((char) => {
      const code = char.codePointAt(0)!;
      return !covered.some(([a, b]) => code >= a && code <= b);
    });
    expect(missing).to.deep.equal([]);
  });

  it('on a machine with a Chinese font adds no face and fetches no font bytes', async () => {
    const text = document.createElement('p');
    text.style.fontFamily = `'${CJK_WEB_FAMILY}', sans-serif`;
    text.textContent = '运行 掌控板 收到的消息';
    document.body.append(text);
    try {
      // The machine's "Chinese font" is one it has: what matters is that one was found.
      expect(await bringChineseFont(() => {}, [FONT_THIS_MACHINE_HAS])).to.equal('system');
      expect(document.documentElement.dataset.chineseFont).to.equal('system');
      expect(
        [...document.fonts].filter((face) => face.family.includes(CJK_WEB_FAMILY)),
      ).to.deep.equal([]);
      await document.fonts.ready;
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      expect(fontFetches()).to.deep.equal([]);
    } finally {
      text.remove();
    }
  });
});
