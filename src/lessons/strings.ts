/** The lesson panel's own words in English and Simplified Chinese (the steps are in the lessons). */
import type { Language } from '../i18n/language.ts';
import { translator } from '../i18n/translate.ts';

export const en = {
  lessonLabel: 'Lesson',
  stepOf: 'Step {step} of {steps}',
  dragThis: 'Drag this block:',
  hintHeading: 'A hint',
  next: 'Next',
  finish: 'Finish',
  close: 'Close the lesson',
  stepDone: 'Well done!',
  lessonDone: 'You finished the lesson “{title}”.',
} as const;

export type LessonStringKey = keyof typeof en;

export const zhHans: Record<LessonStringKey, string> = {
  lessonLabel: '课程',
  stepOf: '第 {step} 步，共 {steps} 步',
  dragThis: '拖这块积木：',
  hintHeading: '提示',
  next: '下一步',
  finish: '完成',
  close: '关闭课程',
  stepDone: '做得好！',
  lessonDone: '你完成了课程“{title}”。',
};

const maps: Record<Language, Record<LessonStringKey, string>> = { en, 'zh-hans': zhHans };

/** A lesson panel string in the studio's current language. */
export const t = translator(maps);
