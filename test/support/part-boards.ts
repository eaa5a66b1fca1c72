/**
 * The board parts on the test board: each part's `test/parts/<part>.board.ts`, found by that
 * name for every part in src/parts/index.ts (no list here to edit), gives the stand-ins of its
 * board modules to the MicroPython stand-in board (./micropython-board.ts) and the builders of
 * its blocks to the parity's random programs (test/parity/program-builder.ts).
 */
import { existsSync } from 'node:fs';
import { PARTS } from '../../src/parts/index.ts';
import type { Builder, BuilderKit } from '../parity/program-builder.ts';

/** What `test/parts/<part>.board.ts` exports as `board`. */
export interface PartTestBoard {
  /**
   * Board module name → the Python source standing in for it; it records each call with
   * `_board.record(name, ...args)` and lets time pass with `_board.advance` (see
   * ./micropython-board.ts).
   */
  standIns: Record<string, string>;
  /** A builder for each of the part's blocks (the parity demands each in 5% of programs). */
  builders(kit: BuilderKit): Record<string, Builder>;
}

/** Every part's test board, in the parts' order. */
export const PART_BOARDS: readonly PartTestBoard[] = await Promise.all(
  PARTS.map(({ name }) => new URL(`../parts/${name}.board.ts`, import.meta.url))
    .filter((file) => existsSync(file))
    .map(async (file) => ((await import(file.href)) as { board: PartTestBoard }).board),
);
