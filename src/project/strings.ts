/**
 * Why a project file cannot be opened, in English and Simplified Chinese: the sentences of
 * `ProjectFileError` (the studio shows them after "… could not be opened:"). Worded when thrown,
 * in the studio's current language (English in Node: the command line).
 */
import type { Language } from '../i18n/language.ts';
import { translator } from '../i18n/translate.ts';

/** English project-file sentences. `{name}` marks a value filled in by `t`. */
export const en = {
  notJson: 'This file is not a project: its text is not JSON.',
  notProject: 'This file is not an IoT Blocks project.',
  noVersion: 'This project file has no valid format version.',
  newerVersion:
    'This project was made by a newer IoT Blocks (format {version}); this studio reads up to format {supported}.',
  noBlocks: 'This project file has no blocks in it.',
  unknownBlocks: 'This project uses blocks this studio does not know: {types}.',
  damagedBlocks: "This project's blocks are damaged and cannot be opened ({reason}).",
  notAChoice:
    'The block {type} “{id}” has “{value}” in its {field}, which is not one of its choices ({choices}).',
} as const;

/** The name of a project-file sentence. */
export type ProjectStringKey = keyof typeof en;

/** Simplified Chinese project-file sentences: every key of `en` (a new key goes into both). */
export const zhHans: Record<ProjectStringKey, string> = {
  notJson: '这个文件不是项目：它的内容不是 JSON。',
  notProject: '这个文件不是 IoT Blocks 项目。',
  noVersion: '这个项目文件没有有效的格式版本。',
  newerVersion:
    '这个项目是用更新版本的 IoT Blocks 做的（格式 {version}），这里最多只能打开格式 {supported}。',
  noBlocks: '这个项目文件里没有积木。',
  unknownBlocks: '这个项目用了这里没有的积木：{types}。',
  damagedBlocks: '这个项目的积木坏了，打不开（{reason}）。',
  notAChoice: '积木 {type}（“{id}”）的 {field} 是“{value}”，这不是它能选的值（{choices}）。',
};

const maps: Record<Language, Record<ProjectStringKey, string>> = { en, 'zh-hans': zhHans };

/** The project-file sentence `key` in the current language, each `{name}` filled in. */
export const t = translator(maps);
