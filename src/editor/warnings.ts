/**
 * Warnings on blocks that cannot work where they stand, in words a child understands: an empty
 * WiFi name, a port outside 1–65535, the message outside a message handler, and so on. The rules
 * are a pure function of the block (`warningFor`), so they are tested headless too.
 */
import * as Blockly from 'blockly';
import { deviceOf, deviceProblem, ONENET_KEEPALIVE } from '../onenet/device.ts';
import { MQTT_CONNECT_TYPES, looseStacks, programHas } from '../../generators/program-stacks.ts';
import { blankedFieldsOf, forgetFilledBlanks } from '../project/secrets.ts';

const CLIENT_ID = /^[A-Za-z0-9._-]+$/;
const NEEDS_CONNECT = new Set([
  'mqtt_subscribe',
  'mqtt_publish',
  'mqtt_keep_alive',
  'mqtt_listen_forever',
]);
const IN_MESSAGE_HANDLER = new Set([
  'mqtt_topic',
  'mqtt_message',
  'mqtt_message_is',
  'mqtt_if_message',
]);
/** Handlers that run for a message, where `topic` and `msg` are the message's. */
const MESSAGE_HANDLERS = new Set(['mqtt_on_message', 'onenet_on_command']);
const IN_COMMAND_HANDLER = new Set(['onenet_command', 'onenet_command_is', 'onenet_reply']);
const NEEDS_ONENET_CONNECT = new Set(['onenet_on_command', 'onenet_upload']);

function message(key: string): string {
  return Blockly.Msg[key] ?? key;
}

function isWholeIn(value: unknown, low: number, high: number): boolean {
  const n = Number(value);
  return Number.isInteger(n) && n >= low && n <= high;
}

function liveBlocksOfType(workspace: Blockly.Workspace, type: string): Blockly.Block[] {
  return workspace.getBlocksByType(type, false).filter((b) => b.isEnabled() && !b.isInFlyout);
}

function connectWarning(block: Blockly.Block): string | null {
  if (!String(block.getFieldValue('SERVER')).trim()) return message('WARNING_SERVER_EMPTY');
  if (!isWholeIn(block.getFieldValue('PORT'), 1, 65535)) return message('WARNING_PORT_RANGE');
  const clientId = String(block.getFieldValue('CLIENT_ID'));
  if (!clientId) return message('WARNING_CLIENT_ID_EMPTY');
  if (!CLIENT_ID.test(clientId)) return message('WARNING_CLIENT_ID_CHARS');
  if (!isWholeIn(block.getFieldValue('KEEPALIVE'), 0, 65535)) {
    return message('WARNING_KEEPALIVE_RANGE');
  }
  const sameId = liveBlocksOfType(block.workspace, 'mqtt_connect').filter(
    (other) => other !== block && other.getFieldValue('CLIENT_ID') === clientId,
  );
  return sameId.length ? message('WARNING_CLIENT_ID_DUPLICATE') : null;
}

function colourWarning(block: Blockly.Block): string | null {
  for (const name of ['RED', 'GREEN', 'BLUE']) {
    const child = block.getInputTargetBlock(name);
    if (child?.type === 'math_number' && !isWholeIn(child.getFieldValue('NUM'), 0, 255)) {
      return message('WARNING_COLOUR_RANGE');
    }
  }
  return null;
}

function duplicateHandler(block: Blockly.Block): boolean {
  const same = liveBlocksOfType(block.workspace, block.type).filter(
    (other) =>
      block.type !== 'board_on_button' ||
      other.getFieldValue('BUTTON') === block.getFieldValue('BUTTON'),
  );
  return same.length > 1;
}

/**
 * The keep-alive interval the program's connect block asks the broker for, in seconds (0 when
 * it switches the check off or there is no connect block).
 */
function programKeepalive(workspace: Blockly.Workspace): number {
  const [mqtt] = liveBlocksOfType(workspace, 'mqtt_connect');
  if (mqtt) return Number(mqtt.getFieldValue('KEEPALIVE')) || 0;
  return liveBlocksOfType(workspace, 'onenet_connect').length ? ONENET_KEEPALIVE : 0;
}

/** A keep-alive period the broker would not wait for (it expects a packet every keepalive). */
function keepAliveTooSlow(block: Blockly.Block): string | null {
  const keepalive = programKeepalive(block.workspace);
  const limit = keepalive * 1000;
  if (!(keepalive > 0) || Number(block.getFieldValue('PERIOD')) <= limit) return null;
  return message('WARNING_KEEP_ALIVE_TOO_SLOW')
    .replace('%1', String(keepalive))
    .replace('%2', String(limit));
}

/** The warning `block` should show, or null when it can work where it stands. */
export function warningFor(block: Blockly.Block): string | null {
  const own = blockWarning(block);
  if (own || block.getParent() || block.isInFlyout) return own;
  return looseStacks(block.workspace).has(block.id) ? message('WARNING_LOOSE_STACK') : null;
}

/**
 * A secret a shared copy left out of `block` and nobody typed in yet: first, since the block
 * cannot work without it and the child did nothing wrong.
 */
function leftOutWarning(block: Blockly.Block): string | null {
  const [field] = blankedFieldsOf(block);
  if (field === undefined) return null;
  return message(field === 'KEY' ? 'WARNING_KEY_LEFT_OUT' : 'WARNING_PASSWORD_LEFT_OUT');
}

/** The warning about `block` itself, where it stands, apart from its stack being loose. */
function blockWarning(block: Blockly.Block): string | null {
  const leftOut = leftOutWarning(block);
  if (leftOut) return leftOut;
  const root = block.getRootBlock().type;
  if (IN_MESSAGE_HANDLER.has(block.type) && !MESSAGE_HANDLERS.has(root)) {
    return message('WARNING_OUTSIDE_MESSAGE_HANDLER');
  }
  if (IN_COMMAND_HANDLER.has(block.type) && root !== 'onenet_on_command') {
    return message('WARNING_OUTSIDE_COMMAND_HANDLER');
  }
  const connects = (types: readonly string[]) =>
    types.some((type) => liveBlocksOfType(block.workspace, type).length);
  if (NEEDS_CONNECT.has(block.type) && !connects(MQTT_CONNECT_TYPES)) {
    return message('WARNING_NEEDS_CONNECT');
  }
  if (NEEDS_ONENET_CONNECT.has(block.type) && !connects(['onenet_connect'])) {
    return message('WARNING_NEEDS_ONENET_CONNECT');
  }
  switch (block.type) {
    case 'micropython_code':
    case 'micropython_code_value':
      return message('WARNING_BOARD_ONLY_CODE');
    case 'wifi_connect':
      return String(block.getFieldValue('SSID')).trim() ? null : message('WARNING_WIFI_NAME_EMPTY');
    case 'mqtt_connect':
      return connectWarning(block);
    case 'onenet_connect': {
      const problem = deviceProblem(deviceOf(block), Date.now() / 1000);
      return problem ? message(problem) : null;
    }
    case 'mqtt_keep_alive':
      if (!isWholeIn(block.getFieldValue('PERIOD'), 100, 2 ** 31 - 1)) {
        return message('WARNING_PERIOD_RANGE');
      }
      if (duplicateHandler(block)) return message('WARNING_KEEP_ALIVE_DUPLICATE');
      return keepAliveTooSlow(block);
    case 'rgb_fill':
    case 'rgb_set':
      return colourWarning(block);
    case 'mqtt_on_message':
    case 'onenet_on_command':
      if (duplicateHandler(block)) return message('WARNING_DUPLICATE_HANDLER');
      // On the board only `wait_msg()` hands messages to the handler.
      return programHas(block.workspace, 'mqtt_listen_forever')
        ? null
        : message('WARNING_NOT_LISTENING');
    case 'board_on_button':
      return duplicateHandler(block) ? message('WARNING_DUPLICATE_HANDLER') : null;
    default:
      return null;
  }
}

/** Every block of `workspace` with a warning, and the warning. */
export function warningsIn(workspace: Blockly.Workspace): Map<Blockly.Block, string> {
  const found = new Map<Blockly.Block, string>();
  for (const block of workspace.getAllBlocks(false)) {
    const warning = warningFor(block);
    if (warning) found.set(block, warning);
  }
  return found;
}

/**
 * Keeps every block's warning up to date as the workspace changes (once per animation frame at
 * most). Returns a function that stops it.
 */
export function installWarnings(workspace: Blockly.WorkspaceSvg): () => void {
  let frame = 0;
  const update = () => {
    frame = 0;
    for (const block of workspace.getAllBlocks(false)) {
      // A left-out secret typed in is no longer left out, even if it is emptied again.
      forgetFilledBlanks(block);
      const warning = warningFor(block);
      // Setting the same text again would redraw the icon for nothing.
      if (
        (block.getIcon(Blockly.icons.IconType.WARNING) ? warningTextOf(block) : null) !== warning
      ) {
        block.setWarningText(warning);
      }
    }
  };
  const listener = (event: Blockly.Events.Abstract) => {
    if (event.isUiEvent || frame) return;
    frame = requestAnimationFrame(update);
  };
  workspace.addChangeListener(listener);
  update();
  return () => {
    workspace.removeChangeListener(listener);
    if (frame) cancelAnimationFrame(frame);
  };
}

function warningTextOf(block: Blockly.Block): string | null {
  const icon = block.getIcon(Blockly.icons.IconType.WARNING) as
    (Blockly.icons.WarningIcon & { getText?: () => string }) | undefined;
  return icon?.getText?.() ?? null;
}
