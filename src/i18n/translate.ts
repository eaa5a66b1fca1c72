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
 * A `t(key, values)` over `maps`: the string `key` in the current language with its `{name}`
 * marks filled in. Call it while rendering, never once at import, or a switch would not show.
 */
export function translator<Key extends string>(
  maps: Record<Language, Record<Key, string>>,
): (key: Key, values?: Values) => string {
  return (key, values) => fill(maps[language()][key], values);
}
