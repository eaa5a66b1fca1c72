/** Client IDs for new connect blocks: unique per board and free of MQTT's `/`, `+` and `#`. */

/** A fresh client ID such as `mpython-3f9a1c2e`. */
export function newClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(4));
  return 'mpython-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
