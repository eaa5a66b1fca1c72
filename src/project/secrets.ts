/**
 * The passwords and keys a project holds, and "Save a copy to share": a project file without
 * them, that says which ones it left out so the blocks that lost one can say so.
 *
 * Secrets are the WiFi password, the MQTT password, the OneNET device key (it signs logins for as
 * long as the device exists) and a password inside a custom broker address. Usernames stay: a
 * username names an account, it does not open it (for OneNET's legacy login it is the product ID,
 * which the tutorial prints), and a classmate keeps the one the project was made with.
 *
 * In a file the marks are one top-level list, `"blanked": [{"block": id, "field": "PASSWORD"},
 * {"setting": "browserBroker", "field": "password"}]`. In the editor they travel with the block:
 * Blockly's `data` string on the block (`{"blanked":["PASSWORD"]}`), so a mark survives copy and
 * paste, a language switch and the autosave, and is gone as soon as the field has a value again.
 */
import type * as Blockly from 'blockly';

/** The fields that hold a secret, by block type. */
export const SECRET_FIELDS: Readonly<Record<string, readonly string[]>> = {
  wifi_connect: ['PASSWORD'],
  mqtt_connect: ['PASSWORD'],
  onenet_connect: ['KEY'],
};

/** A secret a shared copy left out: a block's field, or the broker address's password. */
export type BlankedField =
  { block: string; field: string } | { setting: 'browserBroker'; field: 'password' };

/** A block as Blockly's JSON serialization has it (only what this module reads and writes). */
interface BlockJson {
  id?: unknown;
  type?: unknown;
  data?: unknown;
  fields?: Record<string, unknown>;
  inputs?: Record<string, { block?: unknown; shadow?: unknown }>;
  next?: { block?: unknown; shadow?: unknown };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Calls `visit` for every block of a serialized workspace: top blocks, inputs, shadows, next. */
export function forEachBlockJson(
  workspace: Record<string, unknown>,
  visit: (block: BlockJson) => void,
): void {
  const walk = (block: unknown) => {
    if (!isObject(block)) return;
    visit(block as BlockJson);
    const slots = [
      ...(isObject(block.inputs) ? Object.values(block.inputs) : []),
      ...(isObject(block.next) ? [block.next] : []),
    ];
    for (const slot of slots) {
      if (!isObject(slot)) continue;
      walk(slot.block);
      walk(slot.shadow);
    }
  };
  const blocks = isObject(workspace.blocks) ? workspace.blocks.blocks : undefined;
  if (Array.isArray(blocks)) blocks.forEach(walk);
}

/** The fields a block's `data` marks as left out of a shared copy (none when it marks none). */
export function blankedIn(data: unknown): string[] {
  if (typeof data !== 'string' || !data.startsWith('{')) return [];
  try {
    const fields = (JSON.parse(data) as { blanked?: unknown }).blanked;
    return Array.isArray(fields) ? fields.filter((f): f is string => typeof f === 'string') : [];
  } catch {
    return [];
  }
}

/** The `data` string that marks `fields` as left out, or null (no data) when there are none. */
export function blankedData(fields: readonly string[]): string | null {
  return fields.length ? JSON.stringify({ blanked: [...new Set(fields)] }) : null;
}

/** The fields of `block` left out of the shared copy it came from that are still empty. */
export function blankedFieldsOf(block: Blockly.Block): string[] {
  return blankedIn(block.data).filter((name) => String(block.getFieldValue(name) ?? '') === '');
}

/**
 * Forgets the marks of fields that have a value again (the child typed it in). Returns whether a
 * mark went. Changing `data` makes no Blockly event: the change that filled the field already
 * saves the project.
 */
export function forgetFilledBlanks(block: Blockly.Block): boolean {
  const marked = blankedIn(block.data);
  if (!marked.length) return false;
  const still = blankedFieldsOf(block);
  if (still.length === marked.length) return false;
  block.data = blankedData(still);
  return true;
}

/**
 * `url` without the password in its user part (`ws://user:pw@host/` → `ws://user@host/`), or
 * null when it has none (or is no URL).
 */
export function withoutPassword(url: string): string | null {
  if (!URL.canParse(url)) return null;
  const parsed = new URL(url);
  if (!parsed.password) return null;
  parsed.password = '';
  return parsed.href;
}

/** A serialized project: its settings and Blockly's workspace JSON. */
interface ProjectLike {
  settings: { browserBroker: { kind: string; url?: string } };
  workspace: Record<string, unknown>;
  blanked?: BlankedField[];
}

/**
 * A copy of `project` to share: every secret that has a value is emptied and listed in `blanked`
 * (an empty one was never a secret: an open WiFi, a broker without login). `project` is unchanged.
 */
export function sharedCopy<P extends ProjectLike>(project: P): P {
  const copy = structuredClone(project);
  const blanked: BlankedField[] = [...(copy.blanked ?? [])];
  forEachBlockJson(copy.workspace, (block) => {
    const fields = SECRET_FIELDS[String(block.type)];
    if (!fields || !isObject(block.fields) || typeof block.id !== 'string') return;
    for (const field of fields) {
      const value = block.fields[field];
      if (value === undefined || value === '') continue;
      block.fields[field] = '';
      blanked.push({ block: block.id, field });
    }
  });
  const broker = copy.settings.browserBroker;
  const url = broker.kind === 'custom' && broker.url ? withoutPassword(broker.url) : null;
  if (url !== null) {
    broker.url = url;
    blanked.push({ setting: 'browserBroker', field: 'password' });
  }
  return { ...copy, ...(blanked.length ? { blanked: uniqueBlanks(blanked) } : {}) };
}

function uniqueBlanks(blanked: BlankedField[]): BlankedField[] {
  const seen = new Set<string>();
  return blanked.filter((entry) => {
    const key = JSON.stringify(entry);
    return !seen.has(key) && (seen.add(key), true);
  });
}

/** The entries of a file's `blanked` value this studio understands; anything else is ignored. */
export function blankedList(value: unknown): BlankedField[] {
  if (!Array.isArray(value)) return [];
  return uniqueBlanks(
    value.flatMap((entry): BlankedField[] => {
      if (!isObject(entry) || typeof entry.field !== 'string') return [];
      if (typeof entry.block === 'string') return [{ block: entry.block, field: entry.field }];
      if (entry.setting === 'browserBroker' && entry.field === 'password') {
        return [{ setting: 'browserBroker', field: 'password' }];
      }
      return [];
    }),
  );
}

/**
 * Puts a file's block marks on the blocks of its serialized `workspace` (their `data`), for the
 * editor to carry; only a secret field that is empty in the file is marked.
 */
export function markBlanks(workspace: Record<string, unknown>, blanked: BlankedField[]): void {
  const byBlock = new Map<string, string[]>();
  for (const entry of blanked) {
    if ('block' in entry)
      byBlock.set(entry.block, [...(byBlock.get(entry.block) ?? []), entry.field]);
  }
  if (!byBlock.size) return;
  forEachBlockJson(workspace, (block) => {
    const wanted = byBlock.get(String(block.id));
    const secret = SECRET_FIELDS[String(block.type)] ?? [];
    const fields = (wanted ?? []).filter(
      (field) => secret.includes(field) && (block.fields?.[field] ?? '') === '',
    );
    if (!fields.length) return;
    block.data = blankedData([...blankedIn(block.data), ...fields]);
  });
}

/**
 * Takes the marks off the blocks of a serialized `workspace` and returns them as a file's list:
 * a file says what it left out in one place. Marks of fields that have a value are dropped.
 */
export function takeBlanks(workspace: Record<string, unknown>): BlankedField[] {
  const blanked: BlankedField[] = [];
  forEachBlockJson(workspace, (block) => {
    const marked = blankedIn(block.data);
    if (!marked.length) return;
    delete block.data;
    if (typeof block.id !== 'string') return;
    for (const field of marked) {
      if ((block.fields?.[field] ?? '') === '') blanked.push({ block: block.id, field });
    }
  });
  return blanked;
}
