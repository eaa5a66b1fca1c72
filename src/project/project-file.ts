/**
 * The project file: what Save writes and Open reads. JSON with a marker field, a format version,
 * the project's settings and Blockly's own workspace serialization:
 *
 *   { "format": "iot-blocks-project", "version": 1,
 *     "settings": { "name": "…", "browserBroker": { "kind": "embedded" } },
 *     "workspace": { …Blockly.serialization.workspaces.save() … },
 *     "blanked": [ { "block": "<id>", "field": "PASSWORD" }, … ] }
 *
 * `blanked` is there only in a copy made to share (`secrets.ts`): the passwords and keys it left
 * out. It is optional and still version 1: a studio from before it ignores fields it does not
 * know, so it opens such a file as it is (only without the "left out" warnings), and a version 2
 * would make every older studio refuse every new file.
 *
 * Every way a file can be wrong becomes a `ProjectFileError` whose message a child can read.
 */
import * as Blockly from 'blockly';
import {
  blankedList,
  forEachBlockJson,
  markBlanks,
  takeBlanks,
  type BlankedField,
} from './secrets.ts';
import { t } from './strings.ts';

/** The value of the marker field. */
export const PROJECT_FORMAT = 'iot-blocks-project';
/** The newest format version this studio reads and the one it writes. */
export const PROJECT_VERSION = 1;

/** A project file's parsed JSON, before it is checked. */
export type ProjectData = Record<string, unknown>;

/**
 * How a file of an older format version becomes the current one: `UPGRADES[n]` turns version n
 * into version n + 1, and a file goes through each step from its version up to
 * `PROJECT_VERSION`. Version 1 is the first, so the table is empty until the format changes;
 * each change adds its step here (and a test that a file of the old version still opens).
 */
export const UPGRADES: Readonly<Record<number, (data: ProjectData) => ProjectData>> = {};

/** Where the program connects when it runs in the browser (the board uses its connect block). */
export type BrowserBroker =
  | { kind: 'embedded' }
  | { kind: 'preset'; preset: 'emqx' | 'hivemq' | 'mosquitto' }
  | { kind: 'custom'; url: string };

/** A project's settings. */
export interface ProjectSettings {
  /** The project's name, used for file names. */
  name: string;
  /** The broker the browser connects to (issue: running in the browser). */
  browserBroker: BrowserBroker;
}

/** A project as it is saved. */
export interface Project {
  format: typeof PROJECT_FORMAT;
  version: number;
  settings: ProjectSettings;
  /** Blockly's JSON serialization of the workspace. */
  workspace: Record<string, unknown>;
  /** The secrets a copy to share left out (absent when it left none out). */
  blanked?: BlankedField[];
}

/** A project file that cannot be opened; the message says why, in a sentence. */
export class ProjectFileError extends Error {
  override name = 'ProjectFileError';
}

/** Default settings for a new project. */
export function defaultSettings(name = 'My project'): ProjectSettings {
  return { name, browserBroker: { kind: 'embedded' } };
}

/**
 * The project for `workspace`, ready to be written with `JSON.stringify`. Blocks still marked as
 * left out of a shared copy (and still empty) are listed in `blanked`, not in the blocks.
 */
export function saveProject(workspace: Blockly.Workspace, settings: ProjectSettings): Project {
  const blocks = Blockly.serialization.workspaces.save(workspace) as Record<string, unknown>;
  const blanked = takeBlanks(blocks);
  return {
    format: PROJECT_FORMAT,
    version: PROJECT_VERSION,
    settings,
    workspace: blocks,
    ...(blanked.length ? { blanked } : {}),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every block type a serialized workspace uses (shadows included). */
export function blockTypesIn(workspace: Record<string, unknown>): Set<string> {
  const types = new Set<string>();
  const visit = (block: unknown) => {
    if (!isObject(block)) return;
    if (typeof block.type === 'string') types.add(block.type);
    for (const key of ['inputs', 'next'] as const) {
      const slots = key === 'next' ? { next: block.next } : block.inputs;
      if (!isObject(slots)) continue;
      for (const slot of Object.values(slots)) {
        if (isObject(slot)) {
          visit(slot.block);
          visit(slot.shadow);
        }
      }
    }
  };
  const blocks = isObject(workspace.blocks) ? workspace.blocks.blocks : undefined;
  if (Array.isArray(blocks)) blocks.forEach(visit);
  return types;
}

/**
 * Reads a project file's text. Throws `ProjectFileError` when it is not JSON, not an IoT Blocks
 * project, from a newer studio, or uses blocks this studio does not know.
 */
export function parseProject(text: string): Project {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ProjectFileError(t('notJson'));
  }
  if (!isObject(json) || json.format !== PROJECT_FORMAT) {
    throw new ProjectFileError(t('notProject'));
  }
  if (typeof json.version !== 'number' || !Number.isInteger(json.version) || json.version < 1) {
    throw new ProjectFileError(t('noVersion'));
  }
  if (json.version > PROJECT_VERSION) {
    throw new ProjectFileError(
      t('newerVersion', { version: json.version, supported: PROJECT_VERSION }),
    );
  }
  const data = upgradeProject(json);
  if (!isObject(data.workspace)) {
    throw new ProjectFileError(t('noBlocks'));
  }
  const unknown = [...blockTypesIn(data.workspace)].filter((type) => !Blockly.Blocks[type]);
  if (unknown.length) {
    throw new ProjectFileError(t('unknownBlocks', { types: unknown.join(', ') }));
  }
  const settings = isObject(data.settings) ? data.settings : {};
  const browserBroker = browserBrokerIn(settings.browserBroker);
  const blanked = blankedList(data.blanked);
  // The editor carries a block's marks on the block itself.
  markBlanks(data.workspace, blanked);
  return {
    format: PROJECT_FORMAT,
    version: PROJECT_VERSION,
    settings: {
      ...defaultSettings(),
      ...(typeof settings.name === 'string' ? { name: settings.name } : {}),
      ...(browserBroker ? { browserBroker } : {}),
    },
    workspace: data.workspace,
    ...(blanked.length ? { blanked } : {}),
  };
}

/** A file's browser-broker setting if it is one this studio knows, else null (the default). */
function browserBrokerIn(value: unknown): BrowserBroker | null {
  if (!isObject(value)) return null;
  if (value.kind === 'embedded') return { kind: 'embedded' };
  if (
    value.kind === 'preset' &&
    (value.preset === 'emqx' || value.preset === 'hivemq' || value.preset === 'mosquitto')
  ) {
    return { kind: 'preset', preset: value.preset };
  }
  if (value.kind === 'custom' && typeof value.url === 'string') {
    return { kind: 'custom', url: value.url };
  }
  return null;
}

/**
 * `data` (a project of version `data.version`) upgraded step by step to version `target` with
 * `upgrades` (by default the studio's own chain, up to the current version). A missing step is a
 * mistake in the studio, not in the file, and throws.
 */
export function upgradeProject(
  data: ProjectData,
  upgrades: Readonly<Record<number, (data: ProjectData) => ProjectData>> = UPGRADES,
  target: number = PROJECT_VERSION,
): ProjectData {
  let upgraded = data;
  for (let version = Number(data.version); version < target; version++) {
    const step = upgrades[version];
    if (!step) throw new Error(`No upgrade from project format ${version} to ${version + 1}`);
    upgraded = { ...step(upgraded), version: version + 1 };
  }
  return upgraded;
}

/** Characters no common file system allows in a name (Windows forbids the most). */
// eslint-disable-next-line no-control-regex
const UNSAFE_IN_FILE_NAMES = /[\\/:*?"<>|\u0000-\u001f\u007f]+/g;
/** Names Windows keeps for devices, whatever the extension. */
const RESERVED_FILE_NAMES = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;
/** Long enough for any real name, short enough for every file system's limit. */
const FILE_NAME_MAX = 100;

/**
 * The file name Save gives project `name`: `<name>.json` with the characters file systems refuse
 * replaced, spaces tidied, no leading or trailing dots, and a fallback for an empty name.
 * Chinese and other letters stay as they are.
 */
export function projectFileName(name: string, fallback = 'project'): string {
  let base = name
    .normalize('NFC')
    .replace(/\s+/g, ' ')
    .replace(UNSAFE_IN_FILE_NAMES, '-')
    .replace(/^[\s.-]+|[\s.]+$/g, '');
  base = [...base].slice(0, FILE_NAME_MAX).join('').trim();
  if (!base) base = fallback;
  if (RESERVED_FILE_NAMES.test(base)) base = `${base}-project`;
  return `${base}.json`;
}

/** Longest piece of a file's value a sentence quotes (the whole of it may be anything). */
const QUOTED_MAX = 40;

function quoted(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  const chars = [...text];
  return chars.length > QUOTED_MAX ? `${chars.slice(0, QUOTED_MAX).join('')}…` : text;
}

/** A plain dropdown: its subclasses (a variable, the colour picker) take other values. */
function isPlainDropdown(field: Blockly.Field | null): field is Blockly.FieldDropdown {
  return field?.constructor === Blockly.FieldDropdown;
}

/**
 * Throws `ProjectFileError` for the first dropdown field whose value in the file is not one of
 * its choices. Blockly would put its first choice there instead, silently but for a console
 * warning, and the program would do something the file never said. Each block type's choices
 * are read from a sample block made in `scratch`.
 */
function checkChoices(workspace: Record<string, unknown>, scratch: Blockly.Workspace): void {
  const samples = new Map<string, Blockly.Block>();
  const sampleOf = (type: string) => {
    if (!samples.has(type)) samples.set(type, scratch.newBlock(type));
    return samples.get(type)!;
  };
  // The samples are no change to anyone's program: no events, no undo.
  Blockly.Events.disable();
  try {
    forEachBlockJson(workspace, (block) => {
      if (typeof block.type !== 'string' || !isObject(block.fields)) return;
      const sample = sampleOf(block.type);
      for (const [name, value] of Object.entries(block.fields)) {
        const field = sample.getField(name);
        if (!isPlainDropdown(field)) continue;
        const choices = field
          .getOptions(false)
          .flatMap((option) => (Array.isArray(option) ? [option[1]] : []));
        if (typeof value === 'string' && choices.includes(value)) continue;
        throw new ProjectFileError(
          t('notAChoice', {
            type: block.type,
            id: quoted(block.id),
            field: name,
            value: quoted(value),
            choices: choices.join(', '),
          }),
        );
      }
    });
  } finally {
    Blockly.Events.enable();
  }
}

/**
 * Loads a parsed project into `workspace`. The blocks are first loaded into a scratch workspace,
 * so a project Blockly cannot load (or would load otherwise than it says: a value outside a
 * dropdown's choices) throws `ProjectFileError` and leaves `workspace` untouched.
 */
export function loadProject(workspace: Blockly.Workspace, project: Project): void {
  loadProjectCopy(project).dispose();
  Blockly.serialization.workspaces.load(project.workspace, workspace);
}

/**
 * A headless workspace holding `project`'s blocks, for whoever disposes of it: what generating
 * code and saving read while the same blocks are being drawn (`<block-editor>`'s `openProgram`).
 * Throws `ProjectFileError`, leaving nothing behind, when Blockly cannot load them or would load
 * them otherwise than the file says.
 */
export function loadProjectCopy(project: Project): Blockly.Workspace {
  const copy = new Blockly.Workspace();
  try {
    checkChoices(project.workspace, copy);
    copy.clear();
    loadInto(copy, project);
  } catch (error) {
    copy.dispose();
    throw error;
  }
  return copy;
}

/** Loads `project` into the scratch workspace; a load Blockly refuses is `ProjectFileError`. */
function loadInto(scratch: Blockly.Workspace, project: Project): void {
  const [recordUndo, group] = [Blockly.Events.getRecordUndo(), Blockly.Events.getGroup()];
  try {
    Blockly.serialization.workspaces.load(project.workspace, scratch, { recordUndo: false });
  } catch (error) {
    // Blockly's load sets page-wide state and resets it only when it finishes: a block that
    // throws midway would leave undo switched off for every workspace, and text widths cached.
    Blockly.Events.setRecordUndo(recordUndo);
    Blockly.Events.setGroup(group);
    Blockly.utils.dom.stopTextWidthCache();
    throw new ProjectFileError(t('damagedBlocks', { reason: (error as Error).message }));
  }
}
