/**
 * The studio's current language, `'en'` or `'zh-hans'`. At first it follows the browser's
 * preferred languages (`languageFromTags`); once a child picks one in the studio, that choice is
 * remembered in this browser's `localStorage` and wins from then on. It is a preference of the
 * person at this browser, not of a project, so it is not saved in project files.
 *
 * Everything that shows text reads `language()` when it renders and re-renders on a change:
 * lit elements through `LanguageController`, anything else through `onLanguageChange`. The
 * page's `<html lang>` follows, so screen readers and font fallback pick the right language.
 *
 * Runs in Node too (the command line imports the UI strings): without `navigator`,
 * `localStorage` or `document` the language is English and nothing is stored.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** A language the studio speaks. */
export type Language = 'en' | 'zh-hans';

/** Every language the studio speaks, in the order the language switch shows them. */
export const LANGUAGES: readonly Language[] = ['zh-hans', 'en'];

/** The `localStorage` key of the language a child picked. */
export const LANGUAGE_STORAGE_KEY = 'iot-blocks.language';

/**
 * What Traditional Chinese readers (zh-TW, zh-HK, zh-MO, zh-Hant) get. The studio has no
 * Traditional Chinese of its own; a child who reads Traditional characters reads Simplified far
 * more easily than English, so Simplified it is (the switch still offers English).
 */
export const TRADITIONAL_CHINESE_FALLBACK: Language = 'zh-hans';

/** The `lang` attribute value of each language (BCP 47, so fonts fall back to Simplified). */
export const HTML_LANG: Record<Language, string> = { en: 'en', 'zh-hans': 'zh-Hans' };

/** Whether `value` names a language the studio speaks. */
export function isLanguage(value: unknown): value is Language {
  return value === 'en' || value === 'zh-hans';
}

/**
 * The studio's language for a browser whose preferred languages are `tags` (as in
 * `navigator.languages`, most preferred first): the first tag the studio can speak decides.
 * Any Chinese tag means Chinese (Traditional ones too, see `TRADITIONAL_CHINESE_FALLBACK`), any
 * English tag English; other languages are skipped, and a list with neither gives English.
 */
export function languageFromTags(tags: readonly string[]): Language {
  for (const tag of tags) {
    const [primary, ...subtags] = tag.trim().toLowerCase().replace(/_/g, '-').split('-');
    if (primary === 'zh') {
      const traditional = subtags.some(
        (s) => s === 'hant' || s === 'tw' || s === 'hk' || s === 'mo',
      );
      const simplified = subtags.includes('hans');
      return traditional && !simplified ? TRADITIONAL_CHINESE_FALLBACK : 'zh-hans';
    }
    if (primary === 'en') return 'en';
  }
  return 'en';
}

/** The browser's preferred languages, most preferred first (none in Node or a bare Worker). */
function browserTags(): readonly string[] {
  const nav = (globalThis as { navigator?: Partial<Navigator> }).navigator;
  if (nav?.languages?.length) return nav.languages;
  return nav?.language ? [nav.language] : [];
}

/** The browser's storage, or null where there is none or it refuses (private windows, Node). */
function storage(): Storage | null {
  try {
    return (globalThis as { localStorage?: Storage }).localStorage ?? null;
  } catch {
    return null;
  }
}

/**
 * The language a page starts in: the choice kept in `store` when there is a valid one, else the
 * one `tags` (the browser's preferred languages) give.
 */
export function initialLanguage(
  store: Pick<Storage, 'getItem'> | null,
  tags: readonly string[],
): Language {
  let stored: unknown = null;
  try {
    stored = store?.getItem(LANGUAGE_STORAGE_KEY);
  } catch {
    // Storage that refuses to be read (blocked cookies) counts as empty.
  }
  return isLanguage(stored) ? stored : languageFromTags(tags);
}

/** Sets `<html lang>` to `lang`, where there is a document. */
function showInDocument(lang: Language): void {
  const root = (globalThis as { document?: Document }).document?.documentElement;
  if (root) root.lang = HTML_LANG[lang];
}

let current: Language = initialLanguage(storage(), browserTags());
showInDocument(current);

const listeners = new Set<(lang: Language) => void>();

/** The studio's current language. */
export function language(): Language {
  return current;
}

/**
 * Switches the studio to `lang`, remembers the choice in this browser, and tells every listener
 * (nothing happens when `lang` is already the current language).
 */
export function setLanguage(lang: Language): void {
  if (!isLanguage(lang)) throw new TypeError(`Not a studio language: ${String(lang)}`);
  try {
    storage()?.setItem(LANGUAGE_STORAGE_KEY, lang);
  } catch {
    // Storage full or refused: the switch still works until the page is closed.
  }
  if (lang === current) return;
  current = lang;
  showInDocument(lang);
  // A copy: a listener may unsubscribe (an element re-rendering away) while we loop.
  for (const listener of [...listeners]) listener(lang);
}

/**
 * Calls `listener` with the new language after every switch, in the order listeners were
 * added. Returns a function that stops it.
 */
export function onLanguageChange(listener: (lang: Language) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Re-renders a lit element when the language changes, while the element is connected: add one
 * with `new LanguageController(this)` to any element whose template calls a `t()`.
 */
export class LanguageController implements ReactiveController {
  private _stop?: () => void;
  /** The language of the host's last render, so a switch while disconnected is not missed. */
  private _rendered?: Language;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  /** The current language (the same as `language()`). */
  get language(): Language {
    return current;
  }

  hostConnected(): void {
    this._stop ??= onLanguageChange(() => this.host.requestUpdate());
    if (this._rendered !== undefined && this._rendered !== current) this.host.requestUpdate();
  }

  hostUpdate(): void {
    this._rendered = current;
  }

  hostDisconnected(): void {
    this._stop?.();
    this._stop = undefined;
  }
}
