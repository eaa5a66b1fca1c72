/**
 * Registers our blocks when imported. For the studio's entry, which imports this before the
 * studio's elements: modules run in import order, so the blocks are there before `<iot-studio>`
 * is defined, and the browser fetches every module of the page at once (a dynamic import after
 * registering would wait for Blockly to run before even asking for the studio).
 */
import { registerBlocks } from './register.ts';

registerBlocks();
