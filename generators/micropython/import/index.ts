/**
 * MicroPython back to blocks: `importMicroPython(source)` reads a program (ours, or one written
 * as mPython lessons write them) and gives a workspace in Blockly's JSON serialization. Each
 * block's importer lives in a table beside its generator's category (./wifi.ts, ./mqtt.ts, …);
 * this module reads the program's shape: imports, variables, constants, handlers and the
 * function a lesson defines once and calls once (`def main(): …` then `main()`), which becomes
 * its body. What no importer understands becomes a "MicroPython code" block holding the text.
 */
import * as Blockly from 'blockly';
import { generateMicroPython } from '../index.ts';
import { asCall, callNamed, numberValue, stringValue, unwrap, type Py } from './python-tree.ts';
import {
  CODE_STATEMENT,
  ImportContext,
  block,
  type BlockJson,
  type ImportTable,
} from './context.ts';
import { assignment, importers as builtins } from './builtins.ts';
import { importers as wifi } from './wifi.ts';
import { importers as mqtt } from './mqtt.ts';
import { importers as rgb } from './rgb.ts';
import { importers as board } from './board.ts';
import { importers as code } from './code.ts';
import { parsePython } from './parse.ts';
import { PARTS } from '../../../src/parts/index.ts';

export { PythonSyntaxError } from './parse.ts';

/**
 * Every category's importers (each board part's too); ours first, Blockly's built-in blocks (the
 * most general) last.
 */
export const IMPORT_TABLES: readonly ImportTable[] = [
  wifi,
  mqtt,
  rgb,
  board,
  ...PARTS.map((part) => part.importers),
  builtins,
  code,
];

/** The helpers our generator writes into main.py: a block that needs one writes it again. */
const GENERATED_HELPERS = new Set([
  'mqtt_text',
  'mqtt_bytes',
  'mqtt_write',
  'mqtt_writing',
  'mqtt_ping',
  'rgb_level',
  'text_title_case',
  'math_is_prime',
  'text_replace',
  'text_random_letter',
  'upRange',
  'downRange',
  'onenet_state',
  'onenet_command',
  'onenet_reply',
  'onenet_upload',
]);

/** The result of an import: the workspace to load and how many "MicroPython code" blocks it holds. */
export interface ImportedProgram {
  workspace: {
    blocks: { languageVersion: 0; blocks: BlockJson[] };
    variables: { name: string; id: string }[];
  };
  codeBlocks: number;
}

/** Every node of the tree, depth first. */
function* walk(node: Py): Generator<Py> {
  yield node;
  for (const child of node.all()) yield* walk(child);
}

/** The names a `from x import a, b` or `import x` line brings in. */
function importedNames(node: Py): string[] {
  const names = node.kids.filter((k) => k.type === 'VariableName').map((k) => k.text);
  if (/^from\s/.test(node.text)) return names.slice(1);
  return names.slice(0, 1);
}

/** Counts how often each name is assigned anywhere in the program. */
function assignmentCounts(script: Py): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (name: string) => counts.set(name, (counts.get(name) ?? 0) + 1);
  for (const node of walk(script)) {
    if (node.type === 'AssignStatement') {
      for (const target of node.kids.slice(0, -1)) {
        for (const n of walk(target)) if (n.type === 'VariableName') add(n.text);
      }
    } else if (node.type === 'UpdateStatement' || node.type === 'ForStatement') {
      const target = node.kids.find((k) => k.type === 'VariableName');
      if (target) add(target.text);
    } else if (node.type === 'ScopeStatement') {
      for (const n of node.kids) if (n.type === 'VariableName') add(n.text);
    }
  }
  return counts;
}

/** A literal a constant may stand for: text, bytes, a number, True or False. */
function isLiteral(node: Py): boolean {
  const n = unwrap(node);
  return stringValue(n) !== null || numberValue(n) !== null || n.type === 'Boolean';
}

/** The event a function handles: `x.set_callback(f)`, `button_a.event_pressed = f`, `button_a.irq(handler=f)`. */
function handlerEvents(script: Py): Map<string, string> {
  const events = new Map<string, string>();
  for (const node of walk(script)) {
    // The generator's own handler, also when nothing connects (no `set_callback`).
    if (node.type === 'FunctionDefinition' && node.child('VariableName')?.text === 'on_message') {
      events.set('on_message', 'message');
    }
    const call = asCall(node);
    if (call && /\.set_callback$/.test(call.callee.text) && call.args.length === 1) {
      events.set(call.args[0].text, 'message');
    }
    const button = call && /^(button_[ab])\.irq$/.exec(call.callee.text);
    const handler = button && (call.keywords.get('handler') ?? call.args[0]);
    if (button && handler) events.set(handler.text, button[1]);
    const assign = node.type === 'AssignStatement' ? node.kids : [];
    const pressed = assign.length === 2 && /^(button_[ab])\.event_pressed$/.exec(assign[0].text);
    if (pressed) events.set(assign[1].text, pressed[1]);
  }
  return events;
}

/** How often each name is mentioned (called or passed) outside its own definition. */
function mentions(script: Py): Map<string, number> {
  const counts = new Map<string, number>();
  for (const node of walk(script)) {
    if (node.type === 'VariableName') counts.set(node.text, (counts.get(node.text) ?? 0) + 1);
  }
  return counts;
}

/** The body of a handler function without the generator's `try: … except Exception as error:` around it. */
function handlerBody(def: Py): Py[] {
  const body = def.child('Body')!;
  const parts = body.all().filter((p) => p.type !== 'ScopeStatement');
  const statements = parts.filter((p) => p.type !== 'Comment' && p.type !== ':');
  const only = statements.length === 1 ? statements[0] : null;
  if (only?.type === 'TryStatement') {
    const shape = only
      .all()
      .filter((p) => p.type !== 'Comment')
      .map((p) => (p.type === 'VariableName' ? p.text : p.type));
    const [, last] = only.kids.filter((p) => p.type === 'Body');
    const handler = last?.statements;
    if (
      shape.join(' ') === 'try Body except Exception as error Body' &&
      handler.length === 1 &&
      handler[0].text === 'sys.print_exception(error)'
    ) {
      return only.child('Body')!.all();
    }
  }
  return parts;
}

/** Reads `source` into blocks; throws `PythonSyntaxError` (line and column) when it does not parse. */
export function importMicroPython(source: string): ImportedProgram {
  const script = parsePython(source);
  const cx = new ImportContext(source, IMPORT_TABLES);
  const assigned = assignmentCounts(script);
  const events = handlerEvents(script);
  const mentioned = mentions(script);
  const declared = new Set<string>();
  const functions = new Map<string, Py>();
  for (const part of script.kids) {
    if (part.type === 'FunctionDefinition') functions.set(part.child('VariableName')!.text, part);
  }
  /** Functions defined once and called once, as a statement of their own at the top level. */
  const inlined = new Set<string>();
  for (const part of script.kids) {
    const call = part.type === 'ExpressionStatement' ? asCall(part.kids[0]) : null;
    const name = call?.callee.text ?? '';
    if (
      call &&
      !call.args.length &&
      functions.has(name) &&
      !events.has(name) &&
      mentioned.get(name) === 2
    ) {
      inlined.add(name);
    }
  }
  const main: Py[] = [];
  const handlers: { name: string; event: string; def: Py }[] = [];
  for (const part of script.all()) {
    if (part.type === 'ImportStatement') {
      cx.importLines.push({ line: part.text.replace(/\s+/g, ' '), names: importedNames(part) });
      continue;
    }
    const assign = assignment(part);
    if (assign && assign.value.type === 'None') {
      declared.add(assign.name);
      cx.variable(assign.name);
      continue;
    }
    if (
      assign &&
      assigned.get(assign.name) === 1 &&
      isLiteral(assign.value) &&
      !declared.has(assign.name)
    ) {
      cx.constants.set(assign.name, assign.value);
      continue;
    }
    if (assign && GENERATED_HELPERS.has(assign.name)) {
      cx.helpers.set(assign.name, part.text);
      continue;
    }
    if (
      part.type === 'AssignStatement' &&
      /^button_[ab]\.event_pressed$/.test(part.kids[0].text) &&
      events.has(part.kids[1]?.text)
    )
      continue;
    if (
      part.type === 'ExpressionStatement' &&
      /^button_[ab]\.irq$/.test(asCall(part.kids[0])?.callee.text ?? '')
    )
      continue;
    if (part.type === 'FunctionDefinition') {
      const name = part.child('VariableName')!.text;
      const event = events.get(name);
      if (event) handlers.push({ name, event, def: part });
      if (GENERATED_HELPERS.has(name)) cx.helpers.set(name, part.text);
      if (event || GENERATED_HELPERS.has(name) || inlined.has(name)) continue;
    }
    const call =
      part.type === 'ExpressionStatement'
        ? callNamed(part, asCall(part.kids[0])?.callee.text ?? '')
        : null;
    const callee = call?.callee.text;
    if (callee && inlined.has(callee)) {
      const def = functions.get(callee)!;
      // Parameters with defaults (`def main(server=SERVER)`) stand for their defaults.
      const params = def.child('ParamList')!.all();
      params.forEach((p, i) => {
        if (p.type === 'VariableName' && params[i + 1]?.type === 'AssignOp')
          cx.aliases.set(p.text, params[i + 2]);
      });
      main.push(
        ...def
          .child('Body')!
          .all()
          .filter((p) => p.type !== 'ScopeStatement'),
      );
      continue;
    }
    main.push(part);
  }
  const handlerBlocks: BlockJson[] = [];
  const mainStack = cx.statements(main);
  const connects = JSON.stringify(mainStack ?? {}).includes('"mqtt_connect"');
  for (const { event, def } of handlers) {
    const params = def.child('ParamList')!.kids.map((p) => p.text);
    cx.message =
      event === 'message' ? { topic: params[0] ?? 'topic', msg: params[1] ?? 'msg' } : null;
    const body = cx.statements(handlerBody(def));
    cx.message = null;
    if (!body && event === 'message' && connects) continue;
    for (const table of IMPORT_TABLES) {
      for (const make of Object.values(table.handlers ?? {})) {
        const made = make(event, body);
        if (made) {
          handlerBlocks.push(made);
          break;
        }
      }
    }
  }
  const variableList = [...new Set(cx.variables.values())].map((id) => ({ name: id, id }));
  const stacks = mainStack
    ? [mainStack, ...ordered(handlerBlocks, mainStack, source, variableList)]
    : handlerBlocks;
  settle(stacks, variableList, cx);
  let y = 20;
  for (const b of stacks) {
    Object.assign(b, { x: 20, y });
    y += 60 + 40 * countStatements(b);
  }
  const variables = [...cx.variables.values()].filter((id, i, all) => all.indexOf(id) === i);
  return {
    workspace: {
      blocks: { languageVersion: 0, blocks: stacks },
      variables: variables.map((id) => ({ name: id, id })),
    },
    codeBlocks: cx.codeBlocks,
  };
}

/**
 * The handlers in the order whose program is `source`, when one is. A program that connects
 * names its message function first whatever the handler's place, and the place decides the order
 * of the helpers and variables in main.py; so each place of the message handler is tried (a
 * handful of headless generations) and the source's order is kept when none gives it back.
 */
function ordered(
  handlers: BlockJson[],
  main: BlockJson,
  source: string,
  variables: { name: string; id: string }[],
): BlockJson[] {
  const message = handlers.findIndex((h) => h.type === 'mqtt_on_message');
  // Our generator writes at most one function per event: message, button A, button B.
  if (message === -1 || handlers.length < 2 || handlers.length > 3) return handlers;
  const others = handlers.filter((_, i) => i !== message);
  for (let place = 0; place <= others.length; place++) {
    if (place === message) continue;
    const candidate = [...others.slice(0, place), handlers[message], ...others.slice(place)];
    if (generated([main, ...candidate], variables) === source) return candidate;
  }
  return handlers;
}

/** The program the stacks generate (top to bottom), or null when they do not load. */
function generated(stacks: BlockJson[], variables: { name: string; id: string }[]): string | null {
  const workspace = new Blockly.Workspace();
  const events = Blockly.Events.isEnabled();
  Blockly.Events.disable();
  try {
    const blocks = structuredClone(stacks).map((b, i) => Object.assign(b, { x: 0, y: i * 100 }));
    Blockly.serialization.workspaces.load(
      { blocks: { languageVersion: 0, blocks }, variables },
      workspace,
    );
    return generateMicroPython(workspace).code;
  } catch {
    return null;
  } finally {
    workspace.dispose();
    if (events) Blockly.Events.enable();
  }
}

/**
 * Makes sure Blockly loads the blocks: a value an input refuses (text where a number goes, from
 * `"a %d" % n` or a hand-written mix) becomes a "MicroPython code" value holding its expression,
 * so that a program Blockly would refuse still opens, with nothing lost.
 */
function settle(
  stacks: BlockJson[],
  variables: { name: string; id: string }[],
  cx: ImportContext,
): void {
  for (let attempt = 0; attempt < 200; attempt++) {
    const workspace = new Blockly.Workspace();
    const events = Blockly.Events.isEnabled();
    Blockly.Events.disable();
    let refused: string | undefined;
    try {
      Blockly.serialization.workspaces.load(
        { blocks: { languageVersion: 0, blocks: stacks }, variables },
        workspace,
      );
      return;
    } catch (error) {
      const child = (error as { childBlock?: Blockly.Block }).childBlock;
      if (!child) throw error;
      refused = child.id;
    } finally {
      workspace.dispose();
      if (events) Blockly.Events.enable();
    }
    // The refused block, or the nearest block around it that came from an expression.
    const path = pathTo(stacks, refused);
    const made = path.reverse().find((b) => typeof b.id === 'string' && cx.sourceOf(b.id));
    if (!made) throw new Error(`a block could not be placed (${refused})`);
    const code = cx.codeValue(cx.sourceOf(made.id as string)!);
    for (const key of Object.keys(made)) delete made[key];
    Object.assign(made, code);
  }
}

/** The blocks from a stack's top down to the block with `id` (empty when it is not there). */
function pathTo(blocks: unknown, id: string | undefined): BlockJson[] {
  if (Array.isArray(blocks)) {
    for (const b of blocks) {
      const path = pathTo(b, id);
      if (path.length) return path;
    }
    return [];
  }
  if (!blocks || typeof blocks !== 'object') return [];
  const json = blocks as BlockJson;
  if (typeof json.type === 'string' && json.id === id) return [json];
  for (const [key, value] of Object.entries(json)) {
    if (key === 'fields' || key === 'extraState' || key === 'icons') continue;
    const path = pathTo(value, id);
    if (path.length) return typeof json.type === 'string' ? [json, ...path] : path;
  }
  return [];
}

/** Roughly how many lines a stack takes, to keep stacks apart. */
function countStatements(b: BlockJson): number {
  let count = 0;
  const visit = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    const json = node as BlockJson;
    if (typeof json.type === 'string' && json.type !== CODE_STATEMENT) count++;
    if (json.type === CODE_STATEMENT)
      count += String((json.extraState as { code: string }).code).split('\n').length;
    for (const value of Object.values(json)) if (typeof value === 'object') visit(value);
  };
  visit(b);
  return count;
}

export { block };
