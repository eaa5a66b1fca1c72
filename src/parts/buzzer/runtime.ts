/**
 * The buzzer's runtime piece (the board's `music` module), which the program Worker finds by this
 * file's name, and its contract: the export `buzzer` of `@iot-blocks/runtime`.
 *
 * Timing is the firmware's (labplus-cn/mpython, port/builtins/modmusic.c): `music.pitch(f, ms)`
 * sounds for `ms`, pauses 10 ms and only then returns (with a negative `ms` it sounds until stopped
 * and returns at once); `music.play(tune)` plays every note to the end before it returns, each
 * note `ticks × 125 ms − 10 ms` (120 beats a minute, 4 ticks a beat) and then 10 ms of silence.
 * Those waits are busy-waits (`wait_async_music_idle()` runs no scheduled callbacks): while a
 * tune or a timed note plays, button and Timer callbacks and MQTT messages wait until it has
 * returned (`PartBoard.busy`). The board state holds what sounds (`buzzer.tones`) from the call
 * until it returns, or until `stop()`; the virtual board plays those tones.
 */
import type { PartBoard, PartRuntime } from '../part-runtime.ts';

/** One step of a sound: a frequency in Hz (0: silence) for `ms` milliseconds (-1: until stopped). */
export type Tone = readonly [frequency: number, ms: number];

/** What the buzzer sounds: the tones from the call on (`null` or absent: silent). */
export interface BuzzerState {
  tones: readonly Tone[];
}

/**
 * The board's built-in tunes the blocks offer, as the firmware holds them (modmusictunes.c): note
 * strings `NOTE[#|b][OCTAVE][:TICKS]`, octave and ticks carried over from the note before.
 */
export const TUNES = {
  BA_DING: ['b5:1', 'e6:3'],
  JUMP_UP: ['c5:1', 'd', 'e', 'f', 'g'],
  JUMP_DOWN: ['g5:1', 'f', 'e', 'd', 'c'],
  POWER_DOWN: ['g5:1', 'd#', 'c', 'g4:2', 'b:1', 'c5:3'],
  RINGTONE: ['c4:1', 'd', 'e:2', 'g', 'd:1', 'e', 'f:2', 'a', 'e:1', 'f', 'g:2', 'b', 'c5:4'],
  BIRTHDAY: [
    'c4:3',
    'c:1',
    'd:4',
    'c:4',
    'f',
    'e:8',
    'c:3',
    'c:1',
    'd:4',
    'c:4',
    'g',
    'f:8',
    'c:3',
    'c:1',
    'c5:4',
    'a4',
    'f',
    'e',
    'd',
    'a#:3',
    'a#:1',
    'a:4',
    'f',
    'g',
    'f:8',
  ],
} as const satisfies Record<string, readonly string[]>;

/** The name of a built-in tune (`music.BA_DING` …). */
export type TuneName = keyof typeof TUNES;

/** The buzzer (`import music`). */
export interface Buzzer {
  /** `music.pitch(frequency, ms)`: sounds, then returns after `ms` + 10 (at once for `ms` < 0). */
  pitch(frequency: number, ms: number): Promise<void>;
  /** `music.play(music.<tune>)`: plays the built-in tune and returns when it has ended. */
  play(tune: TuneName): Promise<void>;
  /** `music.stop()`: silence at once. */
  stop(): void;
}

declare module '../../runtime/contract.ts' {
  interface Runtime {
    buzzer: Buzzer;
  }
}
declare module '../../runtime/api.ts' {
  export const buzzer: Buzzer;
}
declare module '../../board/board-state.ts' {
  interface BoardState {
    /** What the buzzer sounds; `null` or absent when it is silent. */
    buzzer?: BuzzerState | null;
  }
}

/** The firmware's note periods in µs at octave 4, A to G, and of their sharps (0: none). */
const PERIODS_US = [2273, 2025, 3822, 3405, 3034, 2863, 2551];
const SHARP_PERIODS_US = [2145, 0, 3608, 3214, 0, 2703, 2408];
const MS_PER_TICK = 60000 / 120 / 4;
const ARTICULATION_MS = 10;

/** A tune's tones as the firmware plays them (`start_note`: octave 4 and 4 ticks to begin with). */
export function tuneTones(notes: readonly string[]): Tone[] {
  let lastOctave = 4;
  let lastTicks = 4;
  const tones: Tone[] = [];
  const digit = (ch: string) => ch.charCodeAt(0) & 0xf;
  for (const note of notes) {
    let index = (note.charCodeAt(0) & 0x1f) - 1;
    let octave = 0;
    let sharp = false;
    let at = 1;
    if (note[at] === '#' || note[at] === 'b') {
      if (note[at] === 'b') {
        index = index === 0 ? 6 : index - 1;
        if (index === 1) octave--;
      }
      sharp = true;
      at++;
    }
    if (at < note.length && note[at] !== ':') lastOctave = digit(note[at++]);
    octave += lastOctave - 4;
    if (note[at] === ':' && ++at < note.length) {
      lastTicks = digit(note[at++]);
      if (at < note.length) lastTicks = lastTicks * 10 + digit(note[at]);
    }
    const base = index < 7 ? (sharp ? SHARP_PERIODS_US : PERIODS_US)[index] : 0;
    const period = octave >= 0 ? base >> octave : base << -octave;
    const frequency = period > 0 ? Math.floor(1_000_000 / period) : 0;
    const ms = Math.max(MS_PER_TICK * lastTicks - ARTICULATION_MS, ARTICULATION_MS);
    tones.push([frequency, ms], [0, ARTICULATION_MS]);
  }
  return tones;
}

/** The tones of `music.pitch(frequency, ms)`. */
export function pitchTones(frequency: number, ms: number): Tone[] {
  return ms < 0
    ? [[frequency, -1]]
    : [
        [frequency, ms],
        [0, ARTICULATION_MS],
      ];
}

/** Python's `int(x)` for a number the blocks give, as the board's music functions need one. */
function whole(value: unknown, what: string): number {
  const n = typeof value === 'boolean' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) {
    throw new TypeError(`${what} must be a whole number, not ${String(value)}`);
  }
  return Math.trunc(n);
}

/** The buzzer for one run of a program. */
export const runtime: PartRuntime<Buzzer> = {
  name: 'buzzer',
  create(board: PartBoard): Buzzer {
    /** Counts sounds, so a sound that ends never silences the one that replaced it. */
    let playing = 0;
    const sound = async (tones: readonly Tone[]) => {
      const id = ++playing;
      board.show({ buzzer: { tones } });
      if (tones.some(([, ms]) => ms < 0)) return;
      await board.busy(
        tones.reduce((sum, [, ms]) => sum + ms, 0),
        () => playing === id && board.show({ buzzer: null }),
      );
    };
    return {
      async pitch(frequency, ms) {
        await sound(pitchTones(whole(frequency, 'frequency'), whole(ms, 'ms')));
      },
      async play(tune) {
        const notes = Object.hasOwn(TUNES, tune) ? (TUNES[tune] as readonly string[]) : undefined;
        if (!notes) throw new TypeError(`music has no tune ${String(tune)}`);
        await sound(tuneTones(notes));
      },
      stop() {
        playing++;
        board.show({ buzzer: null });
      },
    };
  },
};
