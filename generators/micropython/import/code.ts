/**
 * The "MicroPython code" blocks' own importers: a program generated with one gives its text back
 * as that block. (Anything else no importer knows becomes one too: see ./context.ts.)
 */
import type { ImportTable } from './context.ts';

export const importers: ImportTable = {
  statements: {},
  values: {},
};
