/**
 * Shrinks a program whose two runs differ: greedily removes events from the script, removes
 * statements and handlers, unwraps blocks with bodies, and replaces values by one of their own
 * inputs or by a plain literal, keeping each change while the runs still differ.
 */
import type { BlockJson } from '../support/block-json.ts';
import type { CaseOutcome, ParityCase } from './harness.ts';
import { typeOf, type ValueType } from './program-builder.ts';

const clone = <T>(value: T): T => structuredClone(value);

/** The plainest value of each type. */
const LITERALS: Record<ValueType, BlockJson> = {
  Number: { type: 'math_number', fields: { NUM: 1 } },
  String: { type: 'text', fields: { TEXT: 'a' } },
  Boolean: { type: 'logic_boolean', fields: { BOOL: 'TRUE' } },
};

/** Every place a block sits: a getter and a setter for it, and whether it is a statement. */
interface Slot {
  get(): BlockJson | undefined;
  set(block: BlockJson | undefined): void;
  statement: boolean;
}

function slots(root: ParityCase): Slot[] {
  const out: Slot[] = [];
  const visit = (holder: Record<string, unknown>, key: string, statement: boolean) => {
    const at = holder[key] as { block?: BlockJson } | undefined;
    const b = at?.block;
    if (!b) return;
    out.push({
      get: () => (holder[key] as { block?: BlockJson } | undefined)?.block,
      set: (next) => {
        if (next) holder[key] = { block: next };
        else delete holder[key];
      },
      statement,
    });
    walk(b);
  };
  const walk = (b: BlockJson) => {
    const inputs = (b.inputs ?? {}) as Record<string, unknown>;
    for (const name of Object.keys(inputs)) {
      const statement = /^(DO\d*|ELSE)$/.test(name);
      visit(inputs, name, statement);
    }
    if (b.next) visit(b as Record<string, unknown>, 'next', true);
  };
  root.blocks.forEach((b) => walk(b));
  return out;
}

/** Candidate smaller cases, smallest steps last. */
function* candidates(current: ParityCase): Generator<ParityCase> {
  for (let i = 0; i < current.script.length; i++) {
    const next = clone(current);
    next.script.splice(i, 1);
    yield next;
  }
  for (let i = 1; i < current.blocks.length; i++) {
    const next = clone(current);
    next.blocks.splice(i, 1);
    yield next;
  }
  const count = slots(current).length;
  for (let i = 0; i < count; i++) {
    const variants: ((b: BlockJson) => BlockJson | undefined)[] = [];
    const slot = slots(current)[i];
    const b = slot.get()!;
    // A loop's bounding condition stays whole (see program-builder.ts).
    if (String(b.id ?? '').startsWith('guard-')) continue;
    if (slot.statement) {
      // The variables' first values stay: a program uses no variable before it is set.
      if (String(b.id ?? '').startsWith('init-')) continue;
      // Remove it (its next takes its place), or put its body in its place.
      variants.push((x) => (x.next as { block?: BlockJson } | undefined)?.block);
      for (const [name, child] of Object.entries((b.inputs ?? {}) as Record<string, unknown>)) {
        if (/^(DO\d*|ELSE)$/.test(name)) {
          variants.push((x) => {
            const body = clone((child as { block: BlockJson }).block);
            let last = body;
            while ((last.next as { block?: BlockJson } | undefined)?.block) {
              last = (last.next as { block: BlockJson }).block;
            }
            if (x.next) last.next = x.next;
            return body;
          });
        }
      }
    } else if (!['math_number', 'text', 'logic_boolean'].includes(b.type as string)) {
      // A value gives way to one of its inputs or to a literal, of the same type only.
      const type = typeOf(b);
      if (!type) continue;
      for (const child of Object.values((b.inputs ?? {}) as Record<string, unknown>)) {
        const inner = (child as { block: BlockJson }).block;
        if (typeOf(inner) === type) variants.push(() => clone(inner));
      }
      variants.push(() => clone(LITERALS[type]));
    }
    for (const variant of variants) {
      const next = clone(current);
      const target = slots(next)[i];
      target.set(variant(target.get()!));
      yield next;
    }
  }
}

/**
 * The smallest case found that still differs, trying at most `budget` runs. `check` runs a case;
 * a case whose generation throws (a value in an input that refuses it) is skipped.
 */
export async function shrink(
  start: ParityCase,
  check: (c: ParityCase) => Promise<CaseOutcome>,
  budget = 400,
): Promise<{ parityCase: ParityCase; outcome: CaseOutcome; runs: number }> {
  let current = start;
  let outcome = await check(start);
  let runs = 1;
  // Shrinking keeps the kind of difference (which effect, or who failed): another one met on the
  // way, such as a loop left without its bound, is not the one sought.
  const kind = (o: CaseOutcome) =>
    /(connect|subscribe|publish|leds|oled|print):|only the \w+ failed|played|the run failed/.exec(
      o.difference ?? '',
    )?.[0] ?? o.difference;
  const sought = kind(outcome);
  let progress = true;
  while (progress && runs < budget) {
    progress = false;
    for (const next of candidates(current)) {
      if (runs >= budget) break;
      let tried: CaseOutcome;
      try {
        tried = await check(next);
      } catch {
        continue;
      }
      runs++;
      if (tried.difference !== null && kind(tried) === sought) {
        current = next;
        outcome = tried;
        progress = true;
        break;
      }
    }
  }
  return { parityCase: current, outcome, runs };
}
