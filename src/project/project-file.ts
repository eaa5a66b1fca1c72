/**
 * The project file: what Save writes and Open reads. JSON with a marker field, a format version,
 * the project's settings and Blockly's own workspace serialization:
 *
 *   { "format": "iot-blocks-project", "version": 1,
 *     "settings": { "name": "…", "browserBroker": { "kind": "embedded" } },
 *     "workspace": { …Blockly.serialization.workspaces.save() … } }
 *
 * Every way a file can be wrong becomes a `ProjectFileError` whose message a child can read.
 */
import * as Blockly from 'blockly';

/** The value of the marker field. */
export const PROJECT_FORMAT = 'iot-blocks-project';
/** The newest format version this studio reads and the one it writes. */
export const PROJECT_VERSION = 1;

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
}

/** A project file that cannot be opened; the message says why, in a sentence. */
export class ProjectFileError extends Error {
  override name = 'ProjectFileError';
}

/** Default settings for a new project. */
export function defaultSettings(name = 'My project'): ProjectSettings {
  return { name, browserBroker: { kind: 'embedded' } };
}

/** The project for `workspace`, ready to be written with `JSON.stringify`. */
export function saveProject(workspace: Blockly.Workspace, settings: ProjectSettings): Project {
  return {
    format: PROJECT_FORMAT,
    version: PROJECT_VERSION,
    settings,
    workspace: Blockly.serialization.workspaces.save(workspace) as Record<string, unknown>,
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
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ProjectFileError('This file is not a project: its text is not JSON.');
  }
  if (!isObject(data) || data.format !== PROJECT_FORMAT) {
    throw new ProjectFileError('This file is not an IoT Blocks project.');
  }
  if (typeof data.version !== 'number' || !Number.isInteger(data.version) || data.version < 1) {
    throw new ProjectFileError('This project file has no valid format version.');
  }
  if (data.version > PROJECT_VERSION) {
    throw new ProjectFileError(
      `This project was made by a newer IoT Blocks (format ${data.version}); this studio reads up to format ${PROJECT_VERSION}.`,
    );
  }
  if (!isObject(data.workspace)) {
    throw new ProjectFileError('This project file has no blocks in it.');
  }
  const unknown = [...blockTypesIn(data.workspace)].filter((type) => !Blockly.Blocks[type]);
  if (unknown.length) {
    throw new ProjectFileError(
      `This project uses blocks this studio does not know: ${unknown.join(', ')}.`,
    );
  }
  const settings = isObject(data.settings) ? data.settings : {};
  return {
    format: PROJECT_FORMAT,
    version: PROJECT_VERSION,
    settings: {
      ...defaultSettings(),
      ...(typeof settings.name === 'string' ? { name: settings.name } : {}),
      ...(isObject(settings.browserBroker)
        ? { browserBroker: settings.browserBroker as BrowserBroker }
        : {}),
    },
    workspace: data.workspace,
  };
}

/**
 * Loads a parsed project into `workspace`. The blocks are first loaded into a scratch workspace,
 * so a project Blockly cannot load throws `ProjectFileError` and leaves `workspace` untouched.
 */
export function loadProject(workspace: Blockly.Workspace, project: Project): void {
  const scratch = new Blockly.Workspace();
  try {
    Blockly.serialization.workspaces.load(project.workspace, scratch, { recordUndo: false });
  } catch (error) {
    throw new ProjectFileError(
      `This project's blocks are damaged and cannot be opened (${(error as Error).message}).`,
    );
  } finally {
    scratch.dispose();
  }
  Blockly.serialization.workspaces.load(project.workspace, workspace);
}
