/**
 * The buzzer on the test board (found by this file's name, see test/support/part-boards.ts): the
 * stand-in for the board's `music` module and the parity builders of the buzzer's blocks.
 */
import { TUNES } from '../../src/parts/buzzer/runtime.ts';
import type { PartTestBoard } from '../support/part-boards.ts';

/**
 * `import music`, the buzzer (labplus-cn/mpython, port/builtins/modmusic.c): `pitch` and `play`
 * wait, as the firmware's do by default, until the sound has ended (`pitch` with a negative
 * duration does not wait), and `music idle` marks that moment; with virtual time that much time
 * passes, and a Timer that comes due meanwhile runs its callback only after it (the firmware's
 * busy-wait runs no scheduled callbacks). The built-in tunes are the firmware's, as the buzzer
 * part holds them.
 */
const MUSIC_PY = String.raw`
import _board

${Object.entries(TUNES)
  .map(([name, notes]) => `${name} = ${JSON.stringify(notes)}`)
  .join('\n')}


def _whole(value):
    if not isinstance(value, int):
        raise TypeError("can't convert %s to int" % type(value).__name__)
    return value


def _tune_ms(notes):
    # Each note: ticks x 125 ms - 10 (at least 10), then 10 ms of silence; ticks carry over.
    ticks = 4
    total = 0
    for note in notes:
        if ":" in note:
            ticks = int(note.split(":")[1])
        total += max(125 * ticks - 10, 10) + 10
    return total


def _wait(ms):
    # The firmware busy-waits (wait_async_music_idle) without running scheduled callbacks: a
    # Timer's wait and run once the call has returned; the script's presses and messages are
    # played only by wait_msg(), so they wait too.
    held = []
    if _board.state["virtual"]:
        _board.advance(ms, False, held)
    _board.record("music idle")
    for callback, arg in held:
        _board.scheduled(callback, arg)


def pitch(frequency, duration=-1, pin=16, wait=True):
    _board.record("music.pitch", _whole(frequency), _whole(duration))
    if duration >= 0 and wait:
        _wait(duration + 10)


def play(music, pin=16, wait=True, loop=False):
    notes = [music] if isinstance(music, str) else list(music)
    _board.record("music.play", notes)
    if wait:
        _wait(_tune_ms(notes))


def stop(pin=16):
    _board.record("music.stop")
`;

export const board: PartTestBoard = {
  standIns: { music: MUSIC_PY },
  builders: ({ block, input, smallNumber }) => ({
    buzzer_play_note: {
      kind: 'statement',
      weight: 1,
      build: (c) =>
        block('buzzer_play_note', {
          fields: { NOTE: c.random.pick(['262', '330', '392', '523']) },
          inputs: { MS: input(smallNumber(c)) },
        }),
    },
    buzzer_play_tune: {
      kind: 'statement',
      weight: 1,
      build: (c) =>
        block('buzzer_play_tune', { fields: { TUNE: c.random.pick(['BA_DING', 'JUMP_UP']) } }),
    },
    buzzer_stop: { kind: 'statement', weight: 1, build: () => block('buzzer_stop') },
  }),
};
