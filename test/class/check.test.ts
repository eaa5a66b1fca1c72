// The classroom wall's check of the class and its CSV, as plain functions.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csvCell, groupOf, meets, toCsv, type Check } from '../../src/class/check.ts';
import type { Tile } from '../../src/class/class-protocol.ts';
import { reservedTopicProblem } from '../../src/server/class-wall.ts';

const tile = (leds: number[][] | null, extra: Partial<Tile> = {}) =>
  ({
    clientId: 'g1-1',
    online: true,
    tcp: false,
    in: [],
    out: [],
    ...(leds ? { board: { leds, oled: ['', '', '', ''] } } : {}),
    ...extra,
  }) as Tile;

const check = (expect: Check['expect']): Check => ({ payload: 'on', expect, windowMs: 2000 });

describe('the check of the class', () => {
  it('judges a virtual board on its three mirrored LEDs', () => {
    const red = [
      [50, 0, 0],
      [50, 0, 0],
      [50, 0, 0],
    ];
    assert.equal(meets(tile(red), check('red'), 0), true);
    assert.equal(meets(tile(red), check('green'), 0), false);
    assert.equal(meets(tile(red), check('off'), 0), false);
    const oneOff = [
      [50, 0, 0],
      [0, 0, 0],
      [50, 0, 0],
    ];
    assert.equal(meets(tile(oneOff), check('red'), 0), false);
    const orange = [
      [255, 160, 0],
      [255, 160, 0],
      [255, 160, 0],
    ];
    assert.equal(meets(tile(orange), check('red'), 0), false);
    const dark = [
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ];
    assert.equal(meets(tile(dark), check('off'), 0), true);
  });

  it('judges a real board on a reply after the check began', () => {
    const old = { time: 100, topic: '$crsp/1', text: 'done' };
    assert.equal(meets(tile(null, { tcp: true, out: [old] }), check('red'), 101), false);
    const reply = { time: 150, topic: '$crsp/2', text: 'done' };
    assert.equal(meets(tile(null, { tcp: true, out: [old, reply] }), check('red'), 101), true);
  });

  it('groups client IDs by their prefix', () => {
    assert.equal(groupOf('g1-3'), 'g1');
    assert.equal(groupOf('class_a_12'), 'class_a');
    assert.equal(groupOf('desk12'), 'desk');
    assert.equal(groupOf('42'), '42');
  });

  it('writes CSV a spreadsheet reads as text, whatever a child named the device', () => {
    assert.equal(csvCell('a"b'), '"a""b"');
    assert.equal(csvCell('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
    assert.equal(csvCell('小明,一'), '"小明,一"');
    assert.equal(
      toCsv([
        ['a', 'b'],
        ['1', '2'],
      ]),
      '"a","b"\r\n"1","2"\r\n',
    );
  });
});

describe('the reserved $iot/ topics', () => {
  it('lets a client publish only its own state under $iot/', () => {
    assert.equal(reservedTopicProblem('$iot/state/g1-1', 'g1-1'), null);
    assert.match(reservedTopicProblem('$iot/state/g1-2', 'g1-1') ?? '', /only client g1-1/);
    assert.notEqual(reservedTopicProblem('$iot/other', 'g1-1'), null);
    assert.equal(reservedTopicProblem('lamp/state', 'g1-1'), null);
  });
});
