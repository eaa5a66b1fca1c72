/**
 * The Python the uploader sends to save `main.py` on the board. Short lines, no f-strings and
 * only what MicroPython 1.9 on ESP32 already had (the mPython board's firmware is old): `open`,
 * `os.stat`, `os.rename`, `os.remove`, and `hashlib` (or `uhashlib`) where the firmware has it.
 */

/** The program the board runs at start-up. */
export const MAIN_PATH = '/main.py';
/** Where the new program is written first; renamed to `MAIN_PATH` only once it checks out. */
export const TEMP_PATH = '/main.py.tmp';

/** `data` as a Python bytes literal: printable ASCII as it is, every other byte as `\xNN`. */
export function pythonBytes(data: Uint8Array): string {
  let literal = "b'";
  for (const byte of data) {
    const printable = byte >= 0x20 && byte < 0x7f && byte !== 0x27 && byte !== 0x5c;
    literal += printable ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return `${literal}'`;
}

/** Opens the temporary file for writing; `w` writes to it. */
export const OPEN_TEMP = `f=open('${TEMP_PATH}','wb')\nw=f.write`;

/** Appends `chunk` to the temporary file. */
export function writeChunk(chunk: Uint8Array): string {
  return `w(${pythonBytes(chunk)})`;
}

/** Closes the temporary file. */
export const CLOSE_TEMP = 'f.close()\ndel f,w';

/**
 * Prints the temporary file's size and its SHA-256 in hex, or the size and nothing where the
 * firmware has no SHA-256 (`1234 ` then).
 */
export const VERIFY_TEMP = `import os
try:
 import hashlib
except ImportError:
 try:
  import uhashlib as hashlib
 except ImportError:
  hashlib=None
d=''
if hashlib and hasattr(hashlib,'sha256'):
 h=hashlib.sha256()
 f=open('${TEMP_PATH}','rb')
 while True:
  b=f.read(512)
  if not b:
   break
  h.update(b)
 f.close()
 d=''.join(['%02x'%x for x in h.digest()])
print('%d %s'%(os.stat('${TEMP_PATH}')[6],d))`;

/**
 * Puts the checked file in place. littlefs replaces a file on rename; FAT refuses, so there the
 * old main.py is removed first (the complete new one is already on the board under TEMP_PATH).
 */
export const RENAME_TEMP = `import os
try:
 os.rename('${TEMP_PATH}','${MAIN_PATH}')
except OSError:
 os.remove('${MAIN_PATH}')
 os.rename('${TEMP_PATH}','${MAIN_PATH}')`;

/** Removes the temporary file, if any (after a failed check). */
export const REMOVE_TEMP = `import os
try:
 os.remove('${TEMP_PATH}')
except OSError:
 pass`;

/** What `VERIFY_TEMP` printed: the size, and the hash in hex or '' where the board has none. */
export function parseVerify(output: string): { size: number; sha256: string } | null {
  const match = /^(\d+) ([0-9a-f]{64})?\s*$/m.exec(output);
  return match ? { size: Number(match[1]), sha256: match[2] ?? '' } : null;
}
