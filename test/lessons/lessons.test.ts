// Lessons are data a teacher can write: every lesson here says each step in both languages, names
// a toolbox category that exists and a block that is in it, and checks only blocks, fields and
// inputs that exist. The lamp lesson's checks move on exactly as the program is built (headless
// Blockly), and not before: a block in the wrong place or a number not yet typed keeps the step.
import '../../src/cli/headless-dom.ts';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as Blockly from 'blockly';
import { toolbox } from '../../blocks/index.ts';
import { registerBlocks } from '../../src/editor/register.ts';
import { lessons, lessonNamed } from '../../src/lessons/index.ts';
import { nextStep, type BoardView, type Requirement } from '../../src/lessons/lesson.ts';

registerBlocks();

interface ToolboxItem {
  kind: string;
  type?: string;
  toolboxitemid?: string;
  contents?: ToolboxItem[];
}
const categories = (toolbox as { contents: ToolboxItem[] }).contents.filter(
  (item) => item.kind === 'category',
);

/** Whether `requirement` names only what exists: block types, their fields and inputs. */
function problemsOf(requirement: Requirement, workspace: Blockly.Workspace): string[] {
  const problems: string[] = [];
  const known = (type: string) => Boolean(Blockly.Blocks[type]);
  if (requirement.block) {
    if (!known(requirement.block)) return [`no block type ${requirement.block}`];
    const block = workspace.newBlock(requirement.block);
    for (const name of Object.keys(requirement.fields ?? {})) {
      if (!block.getField(name)) problems.push(`${requirement.block} has no field ${name}`);
    }
    for (const name of Object.keys(requirement.inputs ?? {})) {
      if (!block.getInput(name)) problems.push(`${requirement.block} has no input ${name}`);
    }
  }
  if (requirement.parent && requirement.parent !== 'top') {
    const [type, input] = requirement.parent.split('.');
    if (!known(type)) problems.push(`no parent type ${type}`);
    else if (input !== 'next' && !workspace.newBlock(type).getInput(input)) {
      problems.push(`${type} has no input ${input}`);
    }
  }
  return problems;
}

describe('lessons', () => {
  it('are each written in both languages, with categories, blocks and checks that exist', () => {
    assert.ok(lessons.length >= 2);
    assert.equal(new Set(lessons.map((l) => l.name)).size, lessons.length, 'unique names');
    const workspace = new Blockly.Workspace();
    try {
      for (const lesson of lessons) {
        assert.ok(lesson.title.en.trim() && lesson.title['zh-hans'].trim(), lesson.name);
        lesson.steps.forEach((step, i) => {
          const where = `${lesson.name} step ${i + 1}`;
          assert.ok(step.text.en.trim() && step.text['zh-hans'].trim(), where);
          if (step.hint) assert.ok(step.hint.en.trim() && step.hint['zh-hans'].trim(), where);
          if (step.category) {
            const category = categories.find((c) => c.toolboxitemid === step.category);
            assert.ok(category, `${where}: category ${step.category}`);
            if (step.block) {
              assert.ok(
                category.contents?.some((item) => item.type === step.block),
                `${where}: ${step.block} is in ${step.category}`,
              );
            }
          }
          for (const requirement of step.done ?? []) {
            assert.deepEqual(problemsOf(requirement, workspace), [], where);
          }
        });
        const last = lesson.steps.at(-1)!;
        assert.equal(last.done, undefined, `${lesson.name} ends with a step the child reads`);
      }
    } finally {
      workspace.dispose();
    }
  });

  it('lamp: each check passes as the program is built, and not before', () => {
    const lamp = lessonNamed('lamp')!;
    const workspace = new Blockly.Workspace();
    const off: BoardView = { online: false, leds: ['0,0,0', '0,0,0', '0,0,0'] };
    let step = 0;
    const expectStep = (expected: number, board = off) => {
      step = nextStep(lamp, step, workspace, board);
      assert.equal(step, expected);
    };
    try {
      expectStep(0);
      const wifi = workspace.newBlock('wifi_connect');
      expectStep(1);
      const connect = workspace.newBlock('mqtt_connect');
      expectStep(1); // not under the WiFi block yet
      wifi.nextConnection!.connect(connect.previousConnection!);
      expectStep(2);
      const listen = workspace.newBlock('mqtt_listen_forever');
      connect.nextConnection!.connect(listen.previousConnection!);
      expectStep(3);
      const handler = workspace.newBlock('mqtt_on_message');
      expectStep(4);
      const ifOn = workspace.newBlock('mqtt_if_message');
      handler.getInput('DO')!.connection!.connect(ifOn.previousConnection!);
      expectStep(5);
      const fill = workspace.newBlock('rgb_fill');
      for (const [name, value] of [
        ['RED', 255],
        ['GREEN', 0],
        ['BLUE', 0],
      ] as const) {
        const number = workspace.newBlock('math_number');
        number.setFieldValue(value, 'NUM');
        fill.getInput(name)!.connection!.connect(number.outputConnection!);
      }
      ifOn.getInput('DO')!.connection!.connect(fill.previousConnection!);
      expectStep(5); // red is still 255
      fill.getInputTargetBlock('RED')!.setFieldValue(50, 'NUM');
      expectStep(6);
      const ifOff = workspace.newBlock('mqtt_if_message');
      ifOn.nextConnection!.connect(ifOff.previousConnection!);
      expectStep(6); // still "on"
      ifOff.setFieldValue('off', 'TEXT');
      expectStep(7);
      const dark = workspace.newBlock('rgb_off');
      ifOff.getInput('DO')!.connection!.connect(dark.previousConnection!);
      expectStep(8);
      expectStep(9, { ...off, online: true });
      expectStep(10, { online: true, leds: ['50,0,0', '50,0,0', '50,0,0'] });
      expectStep(11, { online: true, leds: ['0,0,0', '0,0,0', '0,0,0'] });
      expectStep(11, off); // the last step is read, not checked
    } finally {
      workspace.dispose();
    }
  });
});
