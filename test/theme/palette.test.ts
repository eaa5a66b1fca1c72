// The theme's guard (issue 17, "one theme"): a colour of the palette is written once, in
// src/theme/theme.ts; an element's styles (its css`…` blocks) say `var(--iot-…)` instead, and an
// element that says so puts the theme's tokens in its own styles, so it looks the same alone (a
// test fixture) as inside the studio.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../e2e/studio.ts';

const THEME = 'src/theme/theme.ts';

/** A hex colour of 3 or 6 digits (one with an alpha channel is another colour). */
const HEX = /#(?:[0-9a-f]{6}|[0-9a-f]{3})\b/gi;

/** `#FFF` and `#ffffff` alike, as `#ffffff`. */
function normal(hex: string): string {
  const digits = hex.slice(1).toLowerCase();
  return digits.length === 3 ? `#${[...digits].map((d) => d + d).join('')}` : `#${digits}`;
}

/** The text of every css`…` block in a module's source. */
function cssBlocks(source: string): string[] {
  return [...source.matchAll(/\bcss`([^`]*)`/g)].map((match) => match[1]!);
}

/** The palette's colours, from the theme's custom property declarations. */
function palette(): Set<string> {
  const source = readFileSync(join(ROOT, THEME), 'utf8');
  return new Set([...source.matchAll(/--iot-[\w-]+:\s*(#[0-9a-f]+);/gi)].map((m) => normal(m[1]!)));
}

/** The palette colours written as literals in `source`'s styles, each as `#hex`. */
function paletteLiterals(source: string, colours: Set<string>): string[] {
  return cssBlocks(source)
    .flatMap((block) => block.match(HEX) ?? [])
    .map(normal)
    .filter((hex) => colours.has(hex));
}

/** The styles a module exports for an element that renders into another's shadow root. */
function exportedStyles(source: string): string[] {
  return [...source.matchAll(/\bexport const (\w+) = css`/g)].map((match) => match[1]!);
}

/** Whether a module's css`…` blocks put the theme's tokens in. */
function hasTokens(source: string): boolean {
  return cssBlocks(source).some((block) => block.includes('${themeTokens}'));
}

/**
 * Whether every style `file` exports is adopted by an element that has the theme's tokens: a
 * module imports it by name from `file` and puts the tokens in its own styles (the message
 * console's pieces render into `<message-console>`'s shadow root and take its styles).
 */
function adoptedByThemed(file: string, source: string, sources: Map<string, string>): boolean {
  const names = exportedStyles(source);
  const from = `/${file.split('/').pop()!}'`;
  return (
    names.length > 0 &&
    names.every((name) =>
      [...sources].some(
        ([other, text]) =>
          other !== file &&
          hasTokens(text) &&
          new RegExp(`import\\s*\\{[^}]*\\b${name}\\b[^}]*\\}\\s*from\\s*'[^']*${from}`).test(text),
      ),
    )
  );
}

/** Every .ts module under src/ but the theme, as a path from the root. */
function modules(): string[] {
  return readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => `src/${file.split('\\').join('/')}`)
    .filter((file) => file !== THEME)
    .sort();
}

describe('the theme', () => {
  const colours = palette();

  it('has a palette, and the check finds its colours however they are written', () => {
    assert.ok(colours.size >= 20, `palette: ${[...colours].join(' ')}`);
    assert.ok(colours.has('#1a56c4') && colours.has('#ffffff'));
    const sample = 'css`a { color: #1A56C4; background: #FFF; border-color: #1a56c433; }`';
    assert.deepEqual(paletteLiterals(sample, colours), ['#1a56c4', '#ffffff']);
    assert.deepEqual(paletteLiterals('const c = "#1a56c4";', colours), []);
  });

  it('is the only place an element writes a colour of the palette', () => {
    const found = modules().flatMap((file) =>
      paletteLiterals(readFileSync(join(ROOT, file), 'utf8'), colours).map(
        (hex) => `${file}: ${hex}`,
      ),
    );
    assert.deepEqual(found, [], 'use the var(--iot-…) of src/theme/theme.ts instead');
  });

  it('is in the styles of every element that uses it, or of the element that adopts them', () => {
    const sources = new Map(
      modules().map((file) => [file, readFileSync(join(ROOT, file), 'utf8')]),
    );
    const missing = [...sources]
      .filter(([file, source]) => {
        const uses = cssBlocks(source).some((block) => block.includes('var(--iot-'));
        return uses && !hasTokens(source) && !adoptedByThemed(file, source, sources);
      })
      .map(([file]) => file);
    assert.deepEqual(missing, []);
  });

  it('reads the message console and the pieces whose styles it adopts', () => {
    const files = modules();
    const sources = new Map(files.map((file) => [file, readFileSync(join(ROOT, file), 'utf8')]));
    const console = 'src/console/message-console.ts';
    assert.ok(hasTokens(sources.get(console)!), `${console} puts the theme's tokens in`);
    const pieces = files.filter((file) => exportedStyles(sources.get(file)!).length > 0);
    for (const piece of [
      'src/console/device-chips.ts',
      'src/console/console-send-form.ts',
      'src/console/console-publish-form.ts',
      'src/console/message-log.ts',
    ]) {
      assert.ok(pieces.includes(piece), `${piece} exports the styles the console adopts`);
      assert.ok(adoptedByThemed(piece, sources.get(piece)!, sources), `${piece} is adopted`);
    }
    // A piece nobody with the tokens adopts is not taken for themed.
    const lone = 'export const loneStyles = css`a { color: var(--iot-ink); }`;';
    assert.equal(adoptedByThemed('src/console/lone.ts', lone, sources), false);
  });

  it('reads the studio and the pieces that draw into its shadow root, each with the tokens', () => {
    // They adopt their styles into the studio's shadow root (src/app/adopt-styles.ts), or the
    // page's when one stands alone: the tokens' `:host` and `:root` reach both.
    const files = modules();
    for (const file of [
      'src/app/iot-studio.ts',
      'src/app/studio-toolbar.ts',
      'src/app/broker-setting.ts',
      'src/app/side-panel.ts',
      'src/app/studio-notices.ts',
      'src/app/examples-dialog.ts',
      'src/app/paste-python-dialog.ts',
    ]) {
      assert.ok(files.includes(file), `${file} is checked`);
      const source = readFileSync(join(ROOT, file), 'utf8');
      assert.ok(
        cssBlocks(source).some((block) => block.includes('var(--iot-')),
        `${file} uses the theme`,
      );
      assert.ok(hasTokens(source), `${file} puts the theme's tokens in`);
      assert.deepEqual(paletteLiterals(source, colours), [], `${file} writes no palette colour`);
    }
  });
});
