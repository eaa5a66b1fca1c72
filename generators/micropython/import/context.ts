/**
 * What importers share while MicroPython becomes blocks: the tables of importers (one per block
 * type, each next to its generator's category), the program's variables, constants and the
 * objects it made (`c = MQTTClient(…)`, `mywifi = wifi()`, `tim1 = Timer(1)`), and the
 * "MicroPython code" block for whatever no importer understands, holding its text exactly.
 */
import { lineOf, unwrap, type Py } from './python-tree.ts';

/** Expressions that need no parentheses wherever they stand. */
const ATOMIC = new Set([
  'VariableName',
  'CallExpression',
  'MemberExpression',
  'String',
  'ContinuedString',
  'FormatString',
  'Number',
  'Boolean',
  'None',
  'ParenthesizedExpression',
  'TupleExpression',
  'ArrayExpression',
  'DictionaryExpression',
  'SetExpression',
  'ArrayComprehensionExpression',
  'DictionaryComprehensionExpression',
  'SetComprehensionExpression',
]);

/** A block in Blockly's JSON serialization. */
export type BlockJson = Record<string, unknown>;

/** Turns an expression into a value block, or null when it is not this block's. */
export type ValueImporter = (node: Py, cx: ImportContext) => BlockJson | null;

/** What a statement importer made: a block (or nothing, for a line that only names an object) and how many statements it read. */
export interface Imported {
  block: BlockJson | null;
  used: number;
}

/** Turns the statements from `list[at]` on into one block, or null when they are not this block's. */
export type StatementImporter = (list: Py[], at: number, cx: ImportContext) => Imported | null;

/** Makes a handler block from its event (`message`, `button_a`, `button_b`) and body, or null. */
export type HandlerImporter = (event: string, body: BlockJson | undefined) => BlockJson | null;

/** One category's importers, keyed by the block type they make. */
export interface ImportTable {
  values?: Record<string, ValueImporter>;
  statements?: Record<string, StatementImporter>;
  handlers?: Record<string, HandlerImporter>;
}

/** The statement block type holding MicroPython text exactly. */
export const CODE_STATEMENT = 'micropython_code';
/** The value block type holding a MicroPython expression exactly. */
export const CODE_VALUE = 'micropython_code_value';

/** `{type, fields, inputs}` with each input wrapped as Blockly's JSON wants it. */
export function block(
  type: string,
  fields: Record<string, unknown> = {},
  inputs: Record<string, BlockJson | null | undefined> = {},
  extra: BlockJson = {},
): BlockJson {
  const out: BlockJson = { type, ...extra };
  if (Object.keys(fields).length) out.fields = fields;
  const wrapped = Object.entries(inputs).filter(([, b]) => b);
  if (wrapped.length) out.inputs = Object.fromEntries(wrapped.map(([k, b]) => [k, { block: b }]));
  return out;
}

/** The message handler's parameter names, while its body is imported. */
export interface MessageScope {
  topic: string;
  msg: string;
}

/** A Blockly variable name from a MicroPython identifier the generator encoded (`_E4_B8_AD` → `中`). */
export function decodeName(name: string): string {
  return name.replace(/(?:_[89A-F][0-9A-F])+/g, (run) => {
    try {
      return decodeURIComponent(run.replace(/_/g, '%'));
    } catch {
      return run;
    }
  });
}

/** Where the shared state of one import lives. */
export class ImportContext {
  /** Python name → Blockly variable id (the id is the decoded name). */
  readonly variables = new Map<string, string>();
  /** Names assigned once, at the top level, to a literal: used where a block needs a literal. */
  readonly constants = new Map<string, Py>();
  /** Names standing for an expression while a function's body is inlined (its parameters). */
  aliases = new Map<string, Py>();
  /** Names of the program's MQTT client (`mqtt_client`, `c`). */
  readonly clients = new Set<string>(['mqtt_client']);
  /** Names of `wifi()` objects. */
  readonly wifis = new Set<string>();
  /** Names of `Timer(n)` objects. */
  readonly timers = new Set<string>();
  /** The message handler's parameters while its body is read. */
  message: MessageScope | null = null;
  /** Import lines of the program, for code blocks that use what they import. */
  importLines: { line: string; names: string[] }[] = [];
  /** The generator's helpers the program defines (`mqtt_text`, …), by name, as written. */
  readonly helpers = new Map<string, string>();
  /** How many "MicroPython code" blocks were made. */
  codeBlocks = 0;

  constructor(
    readonly source: string,
    private readonly tables: readonly ImportTable[],
  ) {}

  /** The variable id for a Python name, declared on first use. */
  variable(name: string): string {
    let id = this.variables.get(name);
    if (!id) {
      id = decodeName(name);
      this.variables.set(name, id);
    }
    return id;
  }

  /** A variable field's JSON. */
  variableField(name: string): { id: string } {
    return { id: this.variable(name) };
  }

  /** What a name stands for when it is a constant or an inlined parameter, else null. */
  resolve(node: Py): Py {
    node = unwrap(node);
    for (let i = 0; i < 10 && node.type === 'VariableName'; i++) {
      const next = this.aliases.get(node.text) ?? this.constants.get(node.text);
      if (!next) break;
      node = unwrap(next);
    }
    return node;
  }

  /** Whether `node` names the program's MQTT client. */
  isClient(node: Py | undefined): boolean {
    return !!node && this.clients.has(this.resolve(node).text);
  }

  /** The value block for an expression: the first importer that knows it, else a code block. */
  value(node: Py): BlockJson {
    const resolved = this.resolve(node);
    for (const table of this.tables) {
      for (const importer of Object.values(table.values ?? {})) {
        const made = importer(resolved, this);
        // A value holding MicroPython code in one of its inputs is kept whole, as it was written.
        if (made)
          return this.remember(hasCode(made.inputs) ? this.codeValue(resolved) : made, resolved);
      }
    }
    return this.remember(this.codeValue(resolved), resolved);
  }

  /** The expressions value blocks were made from, by block id (see `sourceOf`). */
  private readonly sources = new Map<string, Py>();
  private lastId = 0;

  /** Gives `made` an id of its own and remembers the expression it was made from. */
  private remember(made: BlockJson, node: Py): BlockJson {
    const id = `v${++this.lastId}`;
    made.id = id;
    this.sources.set(id, node);
    return made;
  }

  /** The expression the value block `id` was made from, if it was. */
  sourceOf(id: string): Py | undefined {
    return this.sources.get(id);
  }

  /** A "MicroPython code" value block holding `node`'s text exactly. */
  codeValue(node: Py): BlockJson {
    this.codeBlocks++;
    // An operation (`a + b`) gets parentheses where the block around it needs them.
    const loose = ATOMIC.has(node.type) ? {} : { loose: true };
    return block(
      CODE_VALUE,
      {},
      {},
      { extraState: { code: node.text, ...this.importsFor(node.text), ...loose } },
    );
  }

  /** A "MicroPython code" statement block holding `nodes`' text exactly (dedented). */
  codeStatement(nodes: Py[]): BlockJson {
    this.codeBlocks++;
    const first = nodes[0];
    const last = nodes.at(-1)!;
    const column = first.from - (this.source.lastIndexOf('\n', first.from - 1) + 1);
    const text = this.source
      .slice(first.from, last.to)
      .split('\n')
      .map((line, i) => (i === 0 ? line : line.replace(new RegExp(`^ {0,${column}}`), '')))
      .join('\n');
    return block(CODE_STATEMENT, {}, {}, { extraState: { code: text, ...this.importsFor(text) } });
  }

  /**
   * The program's import lines and the generator's helpers that a code block's text uses (a
   * helper's own helpers too), kept with it: main.py gets them again wherever it goes.
   */
  private importsFor(text: string): { imports?: string[]; helpers?: string[] } {
    const uses = (code: string, name: string) => new RegExp(`\\b${name}\\b`).test(code);
    const helpers: string[] = [];
    const pending = [text];
    while (pending.length) {
      const code = pending.pop()!;
      for (const [name, helper] of this.helpers) {
        if (!helpers.includes(name) && uses(code, name)) {
          helpers.push(name);
          pending.push(helper);
        }
      }
    }
    const order = [...this.helpers.keys()];
    const texts = helpers
      .sort((a, b) => order.indexOf(a) - order.indexOf(b))
      .map((name) => this.helpers.get(name)!);
    const all = [text, ...texts].join('\n');
    const imports = this.importLines
      .filter(({ names }) => names.some((n) => uses(all, n)))
      .map(({ line }) => line);
    return { ...(imports.length ? { imports } : {}), ...(texts.length ? { helpers: texts } : {}) };
  }

  /** The blocks for a body's statements, chained, with comments on the blocks they stand by. */
  statements(container: Py | Py[]): BlockJson | undefined {
    const parts = Array.isArray(container) ? container : container.all();
    const list: Py[] = [];
    const comments = new Map<number, string[]>();
    const pending: string[] = [];
    for (const part of parts) {
      if (part.type === 'Comment') {
        const text = part.text.replace(/^#\s?/, '');
        const previous = list.at(-1);
        if (previous && lineOf(this.source, previous.to) === part.line) {
          const own = comments.get(list.length - 1) ?? [];
          comments.set(list.length - 1, [...own, text]);
        } else pending.push(text);
        continue;
      }
      if (part.type === ':' || part.type === 'PassStatement' || /^[a-z]+$/.test(part.type))
        continue;
      if (pending.length) comments.set(list.length, pending.splice(0));
      list.push(part);
    }
    const blocks: BlockJson[] = [];
    const carried: string[] = [];
    const unknown: Py[] = [];
    let unknownComments: string[] = [];
    const flush = () => {
      if (!unknown.length) return;
      const code = this.codeStatement(unknown.splice(0));
      if (unknownComments.length) withComment(code, unknownComments);
      unknownComments = [];
      blocks.push(code);
    };
    for (let at = 0; at < list.length;) {
      const made = this.statementAt(list, at);
      const own = [
        ...carried.splice(0),
        ...Array.from({ length: made?.used ?? 1 }, (_, i) => comments.get(at + i) ?? []).flat(),
      ];
      if (!made) {
        unknownComments.push(...own);
        unknown.push(list[at]);
        at++;
        continue;
      }
      flush();
      if (made.block) {
        if (own.length) withComment(made.block, own);
        blocks.push(made.block);
      } else carried.push(...own);
      at += made.used;
    }
    flush();
    const left = [...carried, ...pending];
    if (left.length && blocks.length) withComment(blocks.at(-1)!, left);
    return chain(blocks);
  }

  private statementAt(list: Py[], at: number): Imported | null {
    for (const table of this.tables) {
      for (const importer of Object.values(table.statements ?? {})) {
        const made = importer(list, at, this);
        if (made) return made;
      }
    }
    return null;
  }
}

/** Whether a block's inputs hold a "MicroPython code" block anywhere. */
function hasCode(inputs: unknown): boolean {
  return !!inputs && JSON.stringify(inputs).includes(`"type":"${CODE_VALUE}"`);
}

/** Adds comment lines to a block (kept with what is already there). */
function withComment(b: BlockJson, lines: string[]): void {
  const icons = (b.icons ?? {}) as { comment?: { text: string } };
  const text = [icons.comment?.text, ...lines].filter((t) => t !== undefined).join('\n');
  b.icons = { ...icons, comment: { text, pinned: false, height: 80, width: 160 } };
}

/** Blocks joined top to bottom (`next`), the first one returned. */
export function chain(blocks: BlockJson[]): BlockJson | undefined {
  for (let i = blocks.length - 1; i > 0; i--) {
    let last = blocks[i - 1];
    while (last.next) last = (last.next as { block: BlockJson }).block;
    last.next = { block: blocks[i] };
  }
  return blocks[0];
}
