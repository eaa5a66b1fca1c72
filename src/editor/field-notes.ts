/**
 * Says so when a number field changes what a child typed. Blockly's number field silently drops a
 * value that is not a number ("12a" goes back to what was there) and rounds or limits one that is
 * ("2.5" in a whole-number field becomes 3); here a short note appears just under the field while
 * it is edited: "Only numbers go here", "Whole numbers only: this becomes 3". The note is a polite
 * live region, so a screen reader says it too, and it goes when editing ends or after a while.
 */
import * as Blockly from 'blockly';

/** How long a note stays after the last correction, in milliseconds. */
export const NOTE_MS = 6000;

let installed = false;
let note: HTMLElement | null = null;
let hideTimer: ReturnType<typeof setTimeout> | undefined;

/** What a number field did with `typed`, as a message key and its value, or null if nothing. */
export function correctionOf(
  typed: unknown,
  result: number | null,
): { key: string; value?: string } | null {
  if (typeof typed !== 'string') return null;
  if (result === null) return { key: 'FIELD_NOTE_NUMBERS_ONLY' };
  const plain = typed.replace(/[,\s]/g, '');
  if (plain === '' || plain === '-' || plain === '.') return null;
  const number = Number(plain);
  if (!Number.isFinite(number) || number === result) return null;
  const key = Number.isInteger(number) ? 'FIELD_NOTE_LIMITED' : 'FIELD_NOTE_ROUNDED';
  return { key, value: String(result) };
}

/** The inputs of an RGB block that take a level from 0 to 255. */
const LEVELS = new Set(['RED', 'GREEN', 'BLUE']);

/** A level typed into an RGB block outside 0–255 (the board would use the nearest end). */
function colourNote(
  field: Blockly.Field,
  result: number | null,
): { key: string; value?: string } | null {
  const block = field.getSourceBlock();
  const parent = block?.getParent();
  const input = block && parent?.type.startsWith('rgb_') ? parent.getInputWithBlock(block) : null;
  if (result === null || !input || !LEVELS.has(input.name)) return null;
  return result < 0 || result > 255 ? { key: 'WARNING_COLOUR_RANGE' } : null;
}

function hideNote(): void {
  clearTimeout(hideTimer);
  note?.remove();
  note = null;
}

function showNote(field: Blockly.Field, text: string): void {
  const anchor = field.getSvgRoot()?.getBoundingClientRect();
  if (!anchor || typeof document === 'undefined') return;
  if (!note) {
    note = document.createElement('div');
    note.className = 'field-note';
    note.setAttribute('role', 'status');
    note.setAttribute('aria-live', 'polite');
    document.body.append(note);
  }
  note.textContent = text;
  note.style.left = `${Math.round(anchor.left)}px`;
  note.style.top = `${Math.round(anchor.bottom + 30)}px`;
  clearTimeout(hideTimer);
  hideTimer = setTimeout(hideNote, NOTE_MS);
}

/** Makes every number field note its corrections; once per page (the browser only). */
export function installFieldNotes(): void {
  if (installed || typeof document === 'undefined') return;
  installed = true;
  Blockly.Css.register(`
    .field-note {
      position: fixed;
      z-index: 100000;
      max-width: 260px;
      padding: 6px 10px;
      border-radius: 6px;
      background: #fff8db;
      border: 1px solid #b08800;
      color: #3d2f00;
      font: 14px/1.35 'IoT Blocks Chinese', system-ui, sans-serif;
      box-shadow: 0 2px 6px rgb(0 0 0 / 0.2);
      pointer-events: none;
    }
  `);
  const prototype = Blockly.FieldNumber.prototype as unknown as {
    doClassValidation_(value: unknown): number | null;
    isBeingEdited_: boolean;
  };
  const validate = prototype.doClassValidation_;
  prototype.doClassValidation_ = function (this: Blockly.FieldNumber, value: unknown) {
    const result = validate.call(this, value);
    const editing = (this as unknown as { isBeingEdited_: boolean }).isBeingEdited_;
    const correction = editing ? (correctionOf(value, result) ?? colourNote(this, result)) : null;
    if (correction) {
      const text = Blockly.Msg[correction.key] ?? correction.key;
      showNote(this, text.replace('%1', correction.value ?? ''));
    }
    return result;
  };
  addEventListener('pointerdown', hideNote, true);
  addEventListener(
    'keydown',
    (event) => {
      if (event.key === 'Enter' || event.key === 'Escape' || event.key === 'Tab') {
        // Editing ends: the note stays a moment so it can be read, then goes.
        clearTimeout(hideTimer);
        if (note) hideTimer = setTimeout(hideNote, NOTE_MS / 2);
      }
    },
    true,
  );
}
