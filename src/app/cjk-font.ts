/**
 * Chinese on machines without a Chinese font (many Linux classroom images): there every Chinese
 * label, the 中文 button included, would be a row of empty boxes.
 *
 * Every font stack of the studio starts with `CJK_WEB_FAMILY`, a family no system has. Once the
 * studio is ready, `bringChineseFont` asks the system for the Chinese fonts schools commonly have
 * (`local()`, no network); only when it has none does it give that family the faces of Noto Sans
 * SC (OFL, @fontsource), one per unicode-range slice of Chinese, served by the studio itself
 * (`cjk-font-faces.ts`). The browser then fetches just the slices the page's text needs (a
 * child's own Chinese text too, as it is typed) and draws that text again when they arrive
 * (`font-display: swap`); Blockly, which measured its blocks' text before, draws them again.
 * Latin text never uses the family (its slices are left out), so it looks as before.
 *
 * First in the stack, not last: Chromium (156, Linux) draws Chinese in a `system-ui` stack at
 * `font-weight: 600` with the system font's empty boxes and never reaches the families after
 * it; at other weights it does.
 */
import type * as Blockly from 'blockly';

/** The web font's family, first in every font stack of the studio. */
export const CJK_WEB_FAMILY = 'IoT Blocks Chinese';

/**
 * Chinese fonts schools' computers commonly have (Windows, macOS, ChromeOS, Linux), by the names
 * `local()` matches: full names and PostScript names.
 */
export const CJK_SYSTEM_FONTS: readonly string[] = [
  'Noto Sans CJK SC',
  'Noto Sans CJK SC Regular',
  'NotoSansCJKsc-Regular',
  'Noto Sans SC',
  'Noto Sans SC Regular',
  'NotoSansSC-Regular',
  'Noto Serif CJK SC',
  'Source Han Sans SC',
  'Source Han Sans CN',
  'SourceHanSansSC-Regular',
  'Microsoft YaHei',
  'MicrosoftYaHei',
  'DengXian',
  'SimHei',
  'SimSun',
  'PingFang SC',
  'PingFang SC Regular',
  'PingFangSC-Regular',
  'Hiragino Sans GB',
  'Hiragino Sans GB W3',
  'Heiti SC',
  'STHeiti',
  'Songti SC',
  'WenQuanYi Micro Hei',
  'WenQuanYi Zen Hei',
  'Droid Sans Fallback',
  'AR PL UMing CN',
  'Noto Sans CJK TC',
  'Noto Sans CJK JP',
];

/** Whether the system has one of `names` (CSS `local()` names); it fetches nothing. */
export async function hasSystemFont(names: readonly string[] = CJK_SYSTEM_FONTS): Promise<boolean> {
  if (!names.length) return false;
  const probe = new FontFace(
    'iot-blocks-cjk-probe',
    names.map((name) => `local("${name.replace(/["\\]/g, '')}")`).join(', '),
  );
  try {
    await probe.load();
    return true;
  } catch {
    return false;
  }
}

/** What `bringChineseFont` found and did. */
export type ChineseFont = 'system' | 'web';

/**
 * Gives the page a Chinese font when the system has none of `systemFonts`: adds the web font's
 * faces and calls `fontsLoaded` whenever fonts finish loading (to draw again what measured its
 * text before: Blockly's blocks, `redrawChineseText`). Fetches nothing itself; the browser
 * fetches the slices its text needs. Says what it decided on `<html data-chinese-font>` (for
 * tests and the curious).
 */
export async function bringChineseFont(
  fontsLoaded: () => void,
  systemFonts: readonly string[] = CJK_SYSTEM_FONTS,
): Promise<ChineseFont> {
  if (await hasSystemFont(systemFonts)) return decided('system');
  const { chineseFaces } = await import('./cjk-font-faces.ts');
  document.fonts.addEventListener('loadingdone', fontsLoaded);
  for (const face of chineseFaces(CJK_WEB_FAMILY)) document.fonts.add(face);
  return decided('web');
}

/** Notes `font` on `<html data-chinese-font>` and returns it. */
function decided(font: ChineseFont): ChineseFont {
  document.documentElement.dataset.chineseFont = font;
  return font;
}

/** Text the web font draws (its faces' ranges, `CJK_BLOCKS` in cjk-font-faces.ts). */
const CHINESE =
  /[\u2e80-\u9fff\uf900-\ufaff\ufe10-\ufe1f\ufe30-\ufe4f\uff00-\uffef\u{20000}-\u{3ffff}]/u;

/**
 * Measures and draws again every field of `workspace` and its flyout with Chinese in it (its
 * font changed; the others keep their size, so a big English program is not drawn again), then
 * places the flyout beside the toolbox as wide as it is now.
 */
export function redrawChineseText(workspace: Blockly.WorkspaceSvg): void {
  const flyout = workspace.getFlyout()?.getWorkspace();
  for (const each of flyout ? [workspace, flyout] : [workspace]) {
    for (const block of each.getAllBlocks(false)) {
      for (const input of block.inputList) {
        for (const field of input.fieldRow) {
          if (CHINESE.test(field.getText())) field.forceRerender();
        }
      }
    }
  }
  workspace.resize();
}

/**
 * Resolves once the studio shows its workspace, toolbox and first project, or after `latestMs`
 * whatever it shows (a studio that opens no project still has Chinese words).
 */
export function studioReady(latestMs = 5000): Promise<void> {
  return new Promise((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(latest);
      resolve();
    };
    const latest = setTimeout(finish, latestMs);
    const check = () => {
      if (done) return;
      const ready =
        document.querySelector('iot-studio')?.projectId &&
        document.querySelector('block-editor .blocklyMainBackground') &&
        document.querySelector('block-editor .blocklyToolboxCategory');
      if (ready) finish();
      else requestAnimationFrame(check);
    };
    check();
  });
}
