/**
 * The TypeScript generator: the same blocks as a program for the browser, calling only the
 * runtime contract (`src/runtime/contract.ts`) imported from `@iot-blocks/runtime`. Blockly's
 * JavaScript generator does the built-in blocks (TypeScript is a superset); programs are ES
 * modules with top-level `await`.
 */
import * as Blockly from 'blockly';
import { JavascriptGenerator, javascriptGenerator, Order } from 'blockly/javascript';
import { extractLineMap, markBlock, type GeneratedProgram } from '../line-map.ts';
import { typescriptComment, typescriptString } from './quote.ts';
import { blockComments, WellFormedNames } from '../micropython/quote.ts';
import { startGeneration } from '../variables.ts';
import { looseStacks, programHas } from '../program-stacks.ts';
import * as wifi from './wifi.ts';
import * as mqtt from './mqtt.ts';
import * as onenet from './onenet.ts';
import * as rgb from './rgb.ts';
import * as board from './board.ts';
import * as builtins from './builtins.ts';
import * as code from './code.ts';

/** The module generated programs import the runtime from (see src/runtime/contract.ts). */
export const RUNTIME_MODULE = '@iot-blocks/runtime';

/** The runtime's exports, which a child's variable must never shadow. */
const RUNTIME_NAMES = [
  'wifi',
  'mqtt',
  'rgb',
  'oled',
  'buttons',
  'sensors',
  'sleep',
  'print',
] as const;

/** The name of one of the runtime's exports. */
export type RuntimeName = (typeof RUNTIME_NAMES)[number];

/** What a handler block reacts to: a message, or a press of button A or B. */
export type EventKind = 'message' | 'button_a' | 'button_b';

/** Generates TypeScript for the browser's runtime from a workspace. */
export class TypeScriptGenerator extends JavascriptGenerator {
  private imports = new Set<RuntimeName>();
  private eventBodies = new Map<EventKind, { id: string; body: string }[]>();
  /** The top blocks of stacks that are not the program (not generated: ../program-stacks.ts). */
  private loose = new Set<string>();
  /** Whether the connect block starts its own keep-alive timer (the program has no block for it). */
  private ownKeepAlive = false;

  constructor() {
    super('TypeScript');
    Object.assign(
      this.forBlock,
      javascriptGenerator.forBlock,
      builtins,
      wifi,
      mqtt,
      onenet,
      rgb,
      board,
      code,
    );
    // The Worker runs a program as the body of `async function (require, exports)`.
    this.addReservedWords(
      [...RUNTIME_NAMES, 'message', 'any', 'type', 'require', 'exports'].join(','),
    );
  }

  /** What Blockly's JavaScript `init` does, in one pass over the blocks (see ../variables.ts). */
  override init(workspace: Blockly.Workspace): void {
    this.nameDB_ ??= new WellFormedNames(this.RESERVED_WORDS_);
    const { used } = startGeneration(this, this.nameDB_, workspace);
    this.imports.clear();
    this.eventBodies.clear();
    this.loose = looseStacks(workspace);
    this.ownKeepAlive = !programHas(workspace, 'mqtt_keep_alive', this.loose);
    const names = used.map((v) => this.getVariableName(v.getId()));
    // Blocks' variables hold any kind of value, as they do in Python.
    this.definitions_['variables'] = names.map((name) => `let ${name}: any = null;`).join('\n');
  }

  /** Marks a runtime export as used, so the import line at the top brings it in. */
  use(name: RuntimeName): string {
    this.imports.add(name);
    return name;
  }

  /** Adds a handler block's body to the handler for `kind` events. */
  addEventBody(kind: EventKind, block: Blockly.Block, body: string): void {
    const bodies = this.eventBodies.get(kind) ?? [];
    bodies.push({ id: block.id, body: markBlock(block.id, body) });
    this.eventBodies.set(kind, bodies);
  }

  /**
   * The keep-alive the connect block starts when the program has no keep-alive block, as the
   * board's program does (see the MicroPython generator's `ownKeepAliveCode`).
   */
  ownKeepAliveCode(keepalive: number): string {
    if (!this.ownKeepAlive || !(keepalive > 0)) return '';
    const period = Math.max(100, Math.floor((keepalive * 1000) / 2));
    return `${this.use('mqtt')}.keepAlive(${period});\n`;
  }

  /** Top-level stacks that are not the program generate nothing (see ../program-stacks.ts). */
  override blockToCode(block: Blockly.Block | null, thisOnly?: boolean): string | [string, number] {
    if (block && !block.getParent() && this.loose.has(block.id)) return '';
    return super.blockToCode(block, thisOnly);
  }

  override finish(code: string): string {
    const events: Record<string, string> = {};
    for (const [kind, bodies] of this.eventBodies) {
      const body = bodies.map((b) => b.body).join('');
      const handler =
        kind === 'message'
          ? `${this.use('mqtt')}.onMessage(async (message) => {\n${body}});`
          : `${this.use('buttons')}.onPressed(${kind === 'button_a' ? '"a"' : '"b"'}, async () => {\n${body}});`;
      events[`event:${kind}`] = markBlock(bodies[0].id, handler);
    }
    const imports = [...this.imports].sort();
    const importLine = imports.length
      ? `import { ${imports.join(', ')} } from "${RUNTIME_MODULE}";`
      : '';
    // The child's own handlers come before helper functions (which are hoisted anyway).
    const { variables, ...helpers } = this.definitions_;
    const definitions = [
      importLine,
      variables,
      ...Object.values(events),
      ...Object.values(helpers),
    ];
    super.finish(code); // resets Blockly's state; its own joining is replaced by ours
    return definitions.filter(Boolean).join('\n\n') + '\n\n' + code;
  }

  override quote_(text: string): string {
    return typescriptString(text);
  }

  override multiline_quote_(text: string): string {
    return typescriptString(text);
  }

  /**
   * Blockly's `scrub_` (comments, then the code, then the next block) with the comments written by
   * `typescriptComment`: Blockly's own breaks lines only at `\n`, so a carriage return or U+2028
   * ended the comment and the rest was code. They go inside the block's line-map markers: a
   * comment's lines belong to its block. A block that makes no code writes no comment, as in
   * MicroPython.
   */
  override scrub_(block: Blockly.Block, code: string, thisOnly = false): string {
    const own = (code ? blockComments(block).map(typescriptComment).join('') : '') + code;
    const next = thisOnly ? '' : this.blockToCode(block.nextConnection?.targetBlock() ?? null);
    return (block.outputConnection ? own : markBlock(block.id, own)) + next;
  }

  /** The program for `workspace`, with its line → block map. */
  generate(workspace: Blockly.Workspace): GeneratedProgram {
    return extractLineMap(this.workspaceToCode(workspace));
  }
}

export { Order };

/** The shared TypeScript generator instance. */
export const typescriptGenerator = new TypeScriptGenerator();

/** Generates the browser program (`main.ts`) for `workspace`. */
export function generateTypeScript(workspace: Blockly.Workspace): GeneratedProgram {
  return typescriptGenerator.generate(workspace);
}
