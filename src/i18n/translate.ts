/**
 * The `t()` of each UI strings file (`src/app/strings.ts`, …): one map of strings per language,
 * the same keys in each, looked up in the studio's current language at the moment of the call.
 */
import { language, type Language } from './language.ts';

/** Values filled into a string's `{name}` marks. */
export type Values = Record<string, string | number>;

/** `template` with each `{name}` replaced by `values[name]`; unknown names stay as they are. */
export function fill(template: string, values: Values = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? String(values[name]) : whole,
  );
}

/**
 * A `t(key, values, in)` over `maps`: the string `key` in language `in` (the current language when
 * not given) with its `{name}` marks filled in. Call it while rendering, never once at import, or
 * a switch would not show.
 */
export function translator<Key extends string>(
  maps: Record<Language, Record<Key, string>>,
): (key: Key, values?: Values, in_?: Language) => string {
  return (key, values, in_ = language()) => fill(maps[in_][key], values);
}

/**
 * Text kept to be shown later, perhaps more than once: a string that reads the same in every
 * language (what a child's program printed), or a function giving it in a language, so text
 * already on the screen can follow a language switch.
 */
export type Wording = string | ((language: Language) => string);

/** `text` in `in_` (the current language when not given). */
export function worded(text: Wording, in_: Language = language()): string {
  return typeof text === 'string' ? text : text(in_);
}
