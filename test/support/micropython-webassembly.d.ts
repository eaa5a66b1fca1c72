// The MicroPython WebAssembly package ships no types; the stand-ins describe what they use.
declare module '@micropython/micropython-webassembly-pyscript' {
  export const loadMicroPython: unknown;
}
