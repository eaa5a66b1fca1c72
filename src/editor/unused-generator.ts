/**
 * Stands in, in the studio's build, for Blockly's Dart, Lua and PHP generators (vite.config.ts):
 * `@blockly/field-colour` imports every language's generator for its colour blocks, which the
 * studio never installs, and those three would add ~35 kB (compressed) that every page loads.
 * The plugin reads them only inside the colour blocks' generator functions.
 */
export {};
