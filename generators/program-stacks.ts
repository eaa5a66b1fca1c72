/**
 * Which stacks of a workspace are the program. On the board, `main.py` runs from top to bottom
 * and the handlers run when their event comes; a second loose stack would be placed by its
 * position, before the program (running first) or after its endless loop (never running). So a
 * stack that is not the program does not run anywhere, in either language, and the editor says
 * so on it (src/editor/warnings.ts): what the child sees on the page is what the board does.
 *
 * The program is:
 * - every handler stack (a block that starts with "when …"), wherever it stands;
 * - of the other stacks, the only one; or, when there are several, the first (top to bottom)
 *   that connects to WiFi or to a broker; or, when none does, the topmost.
 */
import type * as Blockly from 'blockly';

/** Blocks that start a handler: the program runs their bodies when their event comes. */
export const HANDLER_TYPES: ReadonlySet<string> = new Set([
  'mqtt_on_message',
  'onenet_on_command',
  'board_on_button',
]);

/** The blocks that connect the program's one MQTT client. */
export const MQTT_CONNECT_TYPES: readonly string[] = ['mqtt_connect', 'onenet_connect'];

/** Blocks that make a stack the main program when several stacks compete. */
const CONNECT_TYPES = new Set(['wifi_connect', ...MQTT_CONNECT_TYPES]);

/** Whether `block` or a block inside it connects to WiFi or to a broker. */
function connects(block: Blockly.Block): boolean {
  return block.getDescendants(false).some((b) => CONNECT_TYPES.has(b.type) && b.isEnabled());
}

/**
 * The top blocks of `workspace` whose stacks are not part of the program, as a set of ids
 * (disabled stacks, which never run anyway, are left out).
 */
export function looseStacks(workspace: Blockly.Workspace): Set<string> {
  const main = workspace
    .getTopBlocks(true)
    .filter((b) => !b.isInFlyout && b.isEnabled() && !HANDLER_TYPES.has(b.type));
  if (main.length < 2) return new Set();
  const program = main.find(connects) ?? main[0];
  return new Set(main.filter((b) => b !== program).map((b) => b.id));
}

/** Whether the program's stacks hold an enabled block of `type`. */
export function programHas(
  workspace: Blockly.Workspace,
  type: string,
  loose: Set<string> = looseStacks(workspace),
): boolean {
  return workspace
    .getBlocksByType(type, false)
    .some((b) => b.isEnabled() && !b.isInFlyout && !loose.has(b.getRootBlock().id));
}
