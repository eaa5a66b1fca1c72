/** Client IDs for connect blocks: unique per board and free of MQTT's `/`, `+` and `#`. */
import * as Blockly from 'blockly';

/** A fresh client ID such as `mpython-3f9a1c2e`. */
export function newClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(4));
  return 'mpython-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * A connect block pasted or duplicated in `workspace` gets a fresh client ID when its own is
 * already taken, because two boards with one ID keep throwing each other off the broker. Blocks
 * loaded from a project keep theirs (the warning on the block tells about a clash there).
 * Returns a function that stops it.
 */
export function installUniqueClientIds(workspace: Blockly.Workspace): () => void {
  const listener = (event: Blockly.Events.Abstract) => {
    if (!(event instanceof Blockly.Events.BlockCreate) || !event.recordUndo) return;
    for (const id of event.ids ?? []) {
      const block = workspace.getBlockById(id);
      if (block?.type !== 'mqtt_connect') continue;
      const clientId = block.getFieldValue('CLIENT_ID');
      const taken = workspace
        .getBlocksByType('mqtt_connect', false)
        .some((other) => other !== block && other.getFieldValue('CLIENT_ID') === clientId);
      if (taken) block.setFieldValue(newClientId(), 'CLIENT_ID');
    }
  };
  workspace.addChangeListener(listener);
  return () => workspace.removeChangeListener(listener);
}

/**
 * The client ID `workspace`'s program connects as: its first MQTT connect block's, else the
 * device name of its first OneNET connect block ('' when it has neither).
 */
export function programClientId(workspace: Blockly.Workspace): string {
  const mqtt = workspace.getBlocksByType('mqtt_connect', false)[0];
  if (mqtt) return String(mqtt.getFieldValue('CLIENT_ID'));
  const onenet = workspace.getBlocksByType('onenet_connect', false)[0];
  return onenet ? String(onenet.getFieldValue('DEVICE_NAME')) : '';
}
