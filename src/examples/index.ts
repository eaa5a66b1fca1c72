/**
 * The example projects that `?example=<name>` opens. Plain JSON imports (no Vite-only syntax), so
 * Node code such as the command line can use the same map.
 */
import onenetRgb from './onenet-rgb.json' with { type: 'json' };

/** Example name (as written in the address) → its project file's content. */
export const examples: Readonly<Record<string, unknown>> = {
  'onenet-rgb': onenetRgb,
};

/** The project file text of example `name`, or null when there is no such example. */
export function exampleText(name: string): string | null {
  // hasOwn, so names such as "constructor" or "__proto__" are not found on the prototype.
  return Object.hasOwn(examples, name) ? JSON.stringify(examples[name]) : null;
}
