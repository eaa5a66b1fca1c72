/** What a child sees a handler block called: the words on the block, in the studio's language. */
import * as Blockly from 'blockly';
import type { ProgramHandler } from '../run/protocol.ts';

/** The words on the block of `handler` ("when a message arrives", "when button A is pressed"). */
export function handlerBlockName(handler: ProgramHandler): string {
  return handler.kind === 'message'
    ? Blockly.Msg.MQTT_ON_MESSAGE_MESSAGE
    : Blockly.Msg.BOARD_ON_BUTTON_MESSAGE.replace('%1', handler.button.toUpperCase());
}
