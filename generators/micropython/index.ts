/**
 * The MicroPython generator for the mPython board (掌控板). Blockly's Python generator does the
 * built-in blocks; our blocks add `mpython`, `umqtt.simple` and `machine` calls. Imports are
 * collected in `definitions_` and placed at the top by `finish`.
 */
import * as Blockly from 'blockly';
import { PythonGenerator, pythonGenerator, Order } from 'blockly/python';
import { extractLineMap, markBlock, type GeneratedProgram } from '../line-map.ts';
import { blockComments, pythonComment, pythonString, WellFormedNames } from './quote.ts';
import { CLIENT } from './mqtt.ts';
import { startGeneration } from '../variables.ts';
import { looseStacks, programHas } from '../program-stacks.ts';
import * as wifi from './wifi.ts';
import * as mqtt from './mqtt.ts';
import * as onenet from './onenet.ts';
import * as rgb from './rgb.ts';
import * as board from './board.ts';
import * as builtins from './builtins.ts';
import * as code from './code.ts';

/** Names our generated code uses; a child's variable with one of these names is renamed. */
const OUR_NAMES = [
  'rgb',
  'oled',
  'wifi',
  'button_a',
  'button_b',
  'sleep_ms',
  'MQTTClient',
  'Timer',
  'Pin',
  'light',
  'sound',
  'mqtt_client',
  'topic',
  'msg',
  'time',
  'math',
  'random',
  'machine',
  'mpython',
  'umqtt',
  'json',
  'sys',
  'gc',
  'network',
  'bytes',
  'str',
  'int',
  'float',
  'len',
  'range',
  'isinstance',
  'chr',
  'ord',
  'min',
  'max',
  'abs',
  'round',
  'print',
  'main',
  // Keywords since Python 3.7, missing from Blockly's list.
  'async',
  'await',
];

/** What a handler block reacts to: a message, or a press of button A or B. */
export type EventKind = 'message' | 'button_a' | 'button_b';

/** Blocks whose code writes to the broker besides `ping()`: publishes and subscriptions. */
const WRITING_TYPES = [
  'mqtt_publish',
  'mqtt_subscribe',
  'onenet_connect',
  'onenet_on_command',
  'onenet_reply',
  'onenet_upload',
];

/** Generates MicroPython for the mPython board from a workspace. */
export class MicroPythonGenerator extends PythonGenerator {
  private timers = 0;
  private workspace?: Blockly.Workspace;
  /** The names of the variables the program uses, for `global` lines. */
  private variableNames: string[] = [];
  /** Event kind → its function's name, once a block needs the function. */
  private eventNames = new Map<EventKind, string>();
  /** Event kind → the handler blocks' bodies, in workspace order. */
  private eventBodies = new Map<EventKind, { id: string; body: string }[]>();
  /** The top blocks of stacks that are not the program (not generated: ../program-stacks.ts). */
  private loose = new Set<string>();
  /** Whether the connect block starts its own keep-alive timer (the program has no block for it). */
  ownKeepAlive = false;
  /** Whether writes go through `mqtt_write`, so that a keep-alive ping never lands inside one. */
  private guardWrites = false;

  constructor() {
    super('MicroPython');
    this.INDENT = '    ';
    Object.assign(
      this.forBlock,
      pythonGenerator.forBlock,
      builtins,
      wifi,
      mqtt,
      onenet,
      rgb,
      board,
      code,
    );
    this.addReservedWords(OUR_NAMES.join(','));
  }

  /** What Blockly's Python `init` does, in one pass over the blocks (see ../variables.ts). */
  override init(workspace: Blockly.Workspace): void {
    // MicroPython refuses identifiers of 256 bytes or more.
    this.nameDB_ ??= new WellFormedNames(this.RESERVED_WORDS_, 200);
    const { used, developer } = startGeneration(this, this.nameDB_, workspace);
    this.PASS = this.INDENT + 'pass\n';
    this.variableNames = used.map((v) => this.getVariableName(v.getId()));
    this.definitions_['variables'] = [
      ...developer.map((name) =>
        this.nameDB_!.getName(name, Blockly.Names.DEVELOPER_VARIABLE_TYPE),
      ),
      ...this.variableNames,
    ]
      .map((name) => `${name} = None`)
      .join('\n');
    this.workspace = workspace;
    this.loose = looseStacks(workspace);
    this.ownKeepAlive = !programHas(workspace, 'mqtt_keep_alive', this.loose);
    // Only a keep-alive timer can fire in the middle of a write.
    const timer = ['mqtt_keep_alive', 'mqtt_connect', 'onenet_connect'].some((type) =>
      programHas(workspace, type, this.loose),
    );
    this.guardWrites =
      timer && WRITING_TYPES.some((type) => programHas(workspace, type, this.loose));
    this.timers = 0;
    this.eventNames.clear();
    this.eventBodies.clear();
    this.addImport('from mpython import *');
  }

  /** The name of the function that handles `kind` events (defined by `finish`). */
  eventFunction(kind: EventKind): string {
    let name = this.eventNames.get(kind);
    if (!name) {
      name = this.nameDB_!.getDistinctName(`on_${kind}`, Blockly.Names.NameType.PROCEDURE);
      this.eventNames.set(kind, name);
    }
    return name;
  }

  /** Adds a handler block's body to the function for `kind` events. */
  addEventBody(kind: EventKind, block: Blockly.Block, body: string): void {
    this.eventFunction(kind);
    const bodies = this.eventBodies.get(kind) ?? [];
    bodies.push({ id: block.id, body: markBlock(block.id, body) });
    this.eventBodies.set(kind, bodies);
  }

  /**
   * `client.method(args)` as a statement. When the program also writes from its main line or a
   * handler, the write is marked as under way (`mqtt_write`) so that the keep-alive timer, which
   * can fire between umqtt's several socket writes of one packet, skips its ping instead of
   * corrupting the packet (a publish itself keeps the connection alive).
   */
  clientWrite(method: 'publish' | 'subscribe', args: string): string {
    if (!this.guardWrites) return `${CLIENT}.${method}(${args})`;
    return `${this.writeGuard().write}(${CLIENT}.${method}, ${args})`;
  }

  /** The keep-alive timer's callback: a plain ping, or one that waits out a write under way. */
  pingCallback(): string {
    return this.guardWrites ? this.writeGuard().ping : `lambda t: ${CLIENT}.ping()`;
  }

  private writeGuard(): { write: string; ping: string } {
    // A count, not a flag: a button handler's write can run inside another write.
    const writing = this.provideFunction_('mqtt_writing', [
      `${this.FUNCTION_NAME_PLACEHOLDER_} = {"now": 0}`,
    ]);
    const write = this.provideFunction_('mqtt_write', [
      `def ${this.FUNCTION_NAME_PLACEHOLDER_}(send, *args):`,
      `  ${writing}["now"] += 1`,
      '  try:',
      '    send(*args)',
      '  finally:',
      `    ${writing}["now"] -= 1`,
    ]);
    const ping = this.provideFunction_('mqtt_ping', [
      `def ${this.FUNCTION_NAME_PLACEHOLDER_}(timer):`,
      `  if ${writing}["now"] == 0:`,
      `    ${CLIENT}.ping()`,
    ]);
    return { write, ping };
  }

  /**
   * The keep-alive the connect block starts when the program has no keep-alive block: a ping
   * every half keep-alive interval (umqtt sends none by itself, and a broker drops a client that
   * is silent for 1.5 × keepalive). None for keepalive 0, which switches the broker's check off.
   */
  ownKeepAliveCode(keepalive: number): string {
    if (!this.ownKeepAlive || !(keepalive > 0)) return '';
    this.addImport('from machine import Timer');
    const period = Math.max(100, Math.floor((keepalive * 1000) / 2));
    return `Timer(${this.nextTimer()}).init(period=${period}, mode=Timer.PERIODIC, callback=${this.pingCallback()})\n`;
  }

  /** Top-level stacks that are not the program generate nothing (see ../program-stacks.ts). */
  override blockToCode(block: Blockly.Block | null, thisOnly?: boolean): string | [string, number] {
    if (block && !block.getParent() && this.loose.has(block.id)) return '';
    return super.blockToCode(block, thisOnly);
  }

  override finish(code: string): string {
    const hasClient = ['mqtt_connect', 'onenet_connect'].some(
      (type) => this.workspace?.getBlocksByType(type).length,
    );
    const globals = this.globalsLine(hasClient ? ['mqtt_client'] : []);
    const events: Record<string, string> = {};
    for (const [kind, name] of this.eventNames) {
      const bodies = this.eventBodies.get(kind) ?? [];
      const params = kind === 'message' ? 'topic, msg' : '_';
      const code = bodies.map((b) => b.body).join('');
      let body = code || this.PASS;
      // A message handler that fails is reported and the board listens on: one odd message (a
      // classmate's, say) must not end the program. The browser does the same.
      if (kind === 'message' && code) {
        this.addImport('import sys');
        body =
          `${this.INDENT}try:\n${this.prefixLines(body, this.INDENT)}` +
          `${this.INDENT}except Exception as error:\n` +
          `${this.INDENT}${this.INDENT}sys.print_exception(error)\n`;
      }
      let fn = `def ${name}(${params}):\n${globals}${body}`;
      if (kind !== 'message') fn += `${kind}.event_pressed = ${name}\n`;
      events[`event:${kind}`] = bodies.length ? markBlock(bodies[0].id, fn) : fn;
    }
    // The child's own handlers come first, helpers after them: Python looks names up when a
    // function runs, and a reader meets their program before the plumbing.
    const { variables, ...helpers } = this.definitions_;
    this.definitions_ = { variables, ...events, ...helpers };
    return super.finish(code);
  }

  /** Adds `statement` (an import or a definition) once, under `key`. */
  addDefinition(key: string, statement: string): void {
    this.definitions_[key] = statement;
  }

  /** Adds an import line once; `finish` puts every import at the top. */
  addImport(line: string): void {
    this.definitions_[`import:${line}`] = line;
  }

  /** The next free hardware timer number (the seed uses Timer(1) for its first). */
  nextTimer(): number {
    return ++this.timers;
  }

  /** The `global …` line a function needs to change the program's variables, or ''. */
  private globalsLine(extra: string[]): string {
    const names = [...extra, ...this.variableNames];
    return names.length ? `${this.INDENT}global ${names.join(', ')}\n` : '';
  }

  override quote_(text: string): string {
    return pythonString(text);
  }

  override multiline_quote_(text: string): string {
    return pythonString(text);
  }

  /**
   * Blockly's `scrub_` (comments, then the code, then the next block) with the comments written by
   * `pythonComment`: Blockly's own breaks lines only at `\n`, so a carriage return ended the
   * comment and the rest was code. They go inside the block's line-map markers: a comment's lines
   * belong to its block. A block that makes no code writes no comment (a body of comments alone
   * is no body in Python).
   */
  override scrub_(block: Blockly.Block, code: string, thisOnly = false): string {
    const own = (code ? blockComments(block).map(pythonComment).join('') : '') + code;
    const next = thisOnly ? '' : this.blockToCode(block.nextConnection?.targetBlock() ?? null);
    return (block.outputConnection ? own : markBlock(block.id, own)) + next;
  }

  /** The program for `workspace`, with its line → block map. */
  generate(workspace: Blockly.Workspace): GeneratedProgram {
    return extractLineMap(this.workspaceToCode(workspace));
  }
}

export { Order };

/** The shared MicroPython generator instance. */
export const micropythonGenerator = new MicroPythonGenerator();

/** Generates the board's `main.py` for `workspace`. */
export function generateMicroPython(workspace: Blockly.Workspace): GeneratedProgram {
  return micropythonGenerator.generate(workspace);
}
