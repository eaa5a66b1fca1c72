/**
 * The part of the Web Serial API's `SerialPort` that the uploader uses. Declared here (the DOM
 * library has no Web Serial types yet) so that anything with this shape can stand in for a real
 * port: tests hand the uploader an object built on the MicroPython REPL.
 */

/** The modem control lines a host drives. On ESP32 boards they reach EN (reset) and IO0 (boot). */
export interface SerialOutputSignals {
  dataTerminalReady?: boolean;
  requestToSend?: boolean;
  break?: boolean;
}

/** What `getInfo()` tells about the USB device behind a port. */
export interface SerialPortInfoLike {
  usbVendorId?: number;
  usbProductId?: number;
}

/** A serial port: `navigator.serial.requestPort()` gives one, and so does a test's stand-in. */
export interface SerialPortLike {
  /** Opens the port; rejects (NetworkError, InvalidStateError) when it cannot be opened. */
  open(options: { baudRate: number }): Promise<void>;
  /** Bytes from the board; null while closed. */
  readonly readable: ReadableStream<Uint8Array> | null;
  /** Bytes to the board; null while closed. */
  readonly writable: WritableStream<Uint8Array> | null;
  setSignals(signals: SerialOutputSignals): Promise<void>;
  close(): Promise<void>;
  getInfo(): SerialPortInfoLike;
}

/** `navigator.serial`, where the browser has it. */
export interface SerialLike {
  requestPort(options?: { filters?: SerialPortInfoLike[] }): Promise<SerialPortLike>;
}

/** The browser's Web Serial, or null where it is missing (Firefox before 131, Safari, http://). */
export function webSerial(): SerialLike | null {
  const serial = (globalThis.navigator as { serial?: SerialLike } | undefined)?.serial;
  return serial ?? null;
}
