// The big program of the benchmark (issue 6): `count` chained `text_print(math_arithmetic ADD(
// math_number, math_single NEG(math_number)))`, five blocks each, the shape peer studios were
// measured on. `workspace-1000.json` is this with count 200, written by
// `node --import tsx test/bench/big-workspace.ts` and committed with the benchmark.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

type BlockJson = Record<string, unknown>;

const number = (id: string, value: number): BlockJson => ({
  type: 'math_number',
  id,
  fields: { NUM: value },
});

/** One `print(a + -b)`: five blocks, ids ending in `i`. */
function print(i: number, next?: BlockJson): BlockJson {
  return {
    type: 'text_print',
    id: `print${i}`,
    inputs: {
      TEXT: {
        block: {
          type: 'math_arithmetic',
          id: `add${i}`,
          fields: { OP: 'ADD' },
          inputs: {
            A: { block: number(`a${i}`, i) },
            B: {
              block: {
                type: 'math_single',
                id: `neg${i}`,
                fields: { OP: 'NEG' },
                inputs: { NUM: { block: number(`b${i}`, i + 1) } },
              },
            },
          },
        },
      },
    },
    ...(next ? { next: { block: next } } : {}),
  };
}

/** A project file with `count` chained prints (5 × count blocks) in one stack. */
export function bigProject(count: number): object {
  let chain: BlockJson | undefined;
  for (let i = count - 1; i >= 0; i--) chain = print(i, chain);
  return {
    format: 'iot-blocks-project',
    version: 1,
    settings: { name: `${count * 5} blocks`, browserBroker: { kind: 'embedded' } },
    workspace: { blocks: { languageVersion: 0, blocks: [{ ...chain, x: 40, y: 40 }] } },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = new URL('workspace-1000.json', import.meta.url);
  await writeFile(file, JSON.stringify(bigProject(200)) + '\n');
  console.log(`Wrote ${fileURLToPath(file)}`);
}
