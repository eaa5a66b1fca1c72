/**
 * Which language the help page speaks: `?lang=` in its address when it names one of the studio's
 * languages (`en`, `zh-hans`, or any `zh…`/`en…` tag), so a teacher can hand out a link in either;
 * otherwise the studio's own (`src/i18n/language.ts`: the child's stored choice, else the
 * browser's), so Help on a block opens in the language the child is using. `?lang=` is not
 * stored: following a link must not switch the child's studio.
 */
import { language, languageFromTags, type Language } from '../i18n/language.ts';

/** The help page's language for a page whose query string is `search`. */
export function helpLanguage(search: string): Language {
  const asked = new URLSearchParams(search).get('lang')?.trim() ?? '';
  return /^(zh|en)([-_]|$)/i.test(asked) ? languageFromTags([asked]) : language();
}
