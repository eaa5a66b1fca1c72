/**
 * Opening a big program where the child is looking first: the blocks in view are drawn in the
 * task that opens it, the rest in idle slices after, so the first frame comes in a fraction of
 * the time a whole 1000-block program takes to draw (issue 16).
 *
 * Long stacks are cut into pieces along their chain of next blocks (a piece's last block loses
 * its `next`; the next piece is hung there when it is drawn), so a stack taller than the view is
 * drawn from its top down to just below the view, and the rest a piece at a time. A cut never
 * goes inside a block, so every block ends up exactly as Blockly's own load draws it; only the
 * top-level chains are cut (a stack whose blocks sit inside one block's statement input is drawn
 * whole). Until the drawing is done the workspace takes no input, and code, saving and Run read
 * the program's headless copy (`<block-editor>`'s `openProgram`).
 */
import * as Blockly from 'blockly';
import { loadQuickly } from './fast-load.ts';

type BlockState = Blockly.serialization.blocks.State;

/**
 * A program of at most this many blocks is drawn whole at once, by Blockly's own load: it takes
 * a few dozen milliseconds, and whoever opened it finds every block there at once.
 */
const AT_ONCE_BLOCKS = 300;
/**
 * About how many blocks a piece holds: small enough that the view is not over-drawn by much,
 * big enough that the pieces stay few.
 */
const PIECE_BLOCKS = 40;
/** Milliseconds of making blocks per idle slice; drawing them takes about as long again. */
const SLICE_MS = 15;
/** Where there are only idle callbacks: a slice comes at the latest this long after the last. */
const IDLE_TIMEOUT_MS = 40;
/** A stack that starts this far left of the view may still reach into it. */
const LEFT_MARGIN = 800;

/**
 * While pieces are drawn: their workspace, and the blocks made since the last drawing. Hanging a
 * piece under a block marks every block above it in its stack to be drawn again, and each
 * drawing bumps apart every connection of the stack that lines up with another's: for a stack
 * drawn in 25 pieces, most of the work. Blocks drawn before are not drawn again here but for the
 * one the piece hangs under (a block's outline depends on whether a block hangs under it, not on
 * which; the others only move their next block into place, as Blockly's drawing does), and
 * nothing is bumped: Blockly's own load bumps nothing it loads either (the loaded blocks'
 * connections are not tracked until a moment after).
 */
let drawing: { workspace: Blockly.WorkspaceSvg; fresh: WeakSet<Blockly.BlockSvg> } | null = null;

const { renderEfficiently, bumpNeighbours, setConnectionTracking } = Blockly.BlockSvg.prototype;

/**
 * The workspaces whose program is being drawn. Blockly's load starts tracking where the loaded
 * blocks' connections are (for snapping a dragged block) a moment after it ends; in a workspace
 * being drawn that waits until every block is drawn (nothing can be dragged meanwhile): each
 * block made re-sorts the tracked connections, which would grow with every slice.
 */
const untracked = new WeakSet<Blockly.WorkspaceSvg>();

Blockly.BlockSvg.prototype.setConnectionTracking = function (
  this: Blockly.BlockSvg,
  track: boolean,
): void {
  if (track && untracked.has(this.workspace)) return;
  setConnectionTracking.call(this, track);
};

Blockly.BlockSvg.prototype.renderEfficiently = function (this: Blockly.BlockSvg): void {
  if (drawing?.workspace === this.workspace && !drawing.fresh.has(this)) {
    this.tightenChildrenEfficiently();
    return;
  }
  renderEfficiently.call(this);
};

Blockly.BlockSvg.prototype.bumpNeighbours = function (this: Blockly.BlockSvg): void {
  if (drawing?.workspace === this.workspace) return;
  bumpNeighbours.call(this);
};

/** Draws what `make` makes in `workspace` (Blockly's events off), drawn blocks left as they are. */
function drawNew(
  workspace: Blockly.WorkspaceSvg,
  make: (fresh: WeakSet<Blockly.BlockSvg>) => void,
) {
  const fresh = new WeakSet<Blockly.BlockSvg>();
  drawing = { workspace, fresh };
  Blockly.Events.disable();
  // As Blockly's own load does: each block made would resize the workspace's scrolling area.
  workspace.setResizesEnabled(false);
  try {
    make(fresh);
    Blockly.renderManagement.triggerQueuedRenders(workspace);
  } finally {
    workspace.setResizesEnabled(true);
    Blockly.Events.enable();
    drawing = null;
  }
}

/** A top-level stack, cut into pieces, and how far it is drawn. */
interface Stack {
  pieces: BlockState[];
  /** The index of the next piece to draw. */
  next: number;
  /** The stack's top block, once drawn. */
  top: Blockly.BlockSvg | null;
  /** The last block drawn, where the next piece hangs. */
  last: Blockly.BlockSvg | null;
  /**
   * The first block drawn in an idle slice, kept out of the page's rendering (`display: none`,
   * and so every piece hung under it) until every block is drawn: out of view anyway, and each
   * frame between slices would otherwise work out the styles and layout of all that is new.
   */
  hidden: Blockly.BlockSvg | null;
}

/** The blocks in `state`: the block, its inputs' blocks and shadows, not its next block. */
function blockCount(state: BlockState): number {
  let count = 1;
  for (const input of Object.values(state.inputs ?? {})) {
    if (input.block) count += blockCount(input.block) + chainCount(input.block.next?.block);
    if (input.shadow) count += blockCount(input.shadow);
  }
  return count;
}

function chainCount(state: BlockState | undefined): number {
  let count = 0;
  for (let block = state; block; block = block.next?.block) count += blockCount(block);
  return count;
}

/** `top`'s stack in pieces of about PIECE_BLOCKS blocks, cut only between chained blocks. */
export function piecesOf(top: BlockState): BlockState[] {
  const pieces: BlockState[] = [];
  let statement: BlockState | undefined = top;
  while (statement) {
    const chain: BlockState[] = [];
    let size = 0;
    for (;;) {
      chain.push(statement);
      size += blockCount(statement);
      const next: BlockState['next'] = statement.next;
      statement = next?.block;
      // A next with a shadow is kept whole: the shadow belongs to that connection.
      if (!statement || (size >= PIECE_BLOCKS && !next?.shadow)) break;
    }
    // Copies along the chain only (inputs are shared, Blockly only reads them); the piece's last
    // block without its next, unless that next stays in the piece.
    let copy: BlockState | undefined;
    for (let i = chain.length - 1; i >= 0; i--) {
      const { next, ...rest } = chain[i];
      copy = copy ? { ...rest, next: { ...next, block: copy } } : statement ? rest : chain[i];
    }
    pieces.push(copy!);
  }
  return pieces;
}

/** The Prioritized Task Scheduling API, where the browser has it (Chromium, Firefox). */
declare const scheduler:
  | {
      postTask(
        task: () => void,
        options: { priority: 'background'; signal: AbortSignal },
      ): Promise<void>;
    }
  | undefined;

/**
 * Runs `task` once the page has nothing more pressing to do (input, frames, other tasks);
 * returns how to call it off. A background task runs as soon as that is so; an idle callback
 * would also wait for the next frame's idle time. Safari has neither: a timer.
 */
function whenIdle(task: () => void): () => void {
  if (typeof scheduler !== 'undefined' && scheduler?.postTask) {
    const controller = new AbortController();
    scheduler
      .postTask(task, { priority: 'background', signal: controller.signal })
      .catch((error: unknown) => {
        // Called off; any other error is the task's own, and stays an error.
        if ((error as Error)?.name !== 'AbortError') throw error;
      });
    return () => controller.abort();
  }
  if (typeof requestIdleCallback === 'function') {
    const id = requestIdleCallback(task, { timeout: IDLE_TIMEOUT_MS });
    return () => cancelIdleCallback(id);
  }
  const timer = setTimeout(task, 1);
  return () => clearTimeout(timer);
}

/**
 * Draws a program's blocks into a workspace, those in view at once (`start`) and the others in
 * idle slices; `onDone` runs once every block is drawn (never after `cancel`).
 */
export class DrawingInView {
  private readonly _stacks: Stack[];
  private _cancelIdle: (() => void) | null = null;
  private _done = false;
  /** Whether this drawing holds Blockly's text width cache (see `start`). */
  private _caching = false;
  /** Whether the program is small enough to draw whole at once (AT_ONCE_BLOCKS). */
  private readonly _atOnce: boolean;

  constructor(
    private readonly _workspace: Blockly.WorkspaceSvg,
    private readonly _state: Record<string, unknown>,
    private readonly _onDone: () => void,
  ) {
    const blocks = (_state.blocks as { blocks?: BlockState[] } | undefined)?.blocks ?? [];
    this._atOnce = blocks.reduce((sum, top) => sum + chainCount(top), 0) <= AT_ONCE_BLOCKS;
    this._stacks = blocks.map((top) => ({
      pieces: piecesOf(top),
      next: 0,
      top: null,
      last: null,
      hidden: null,
    }));
  }

  /** Whether every block is drawn (or the drawing was called off). */
  get done(): boolean {
    return this._done;
  }

  /**
   * Replaces the workspace's blocks with the program's: its variables, comments and the blocks in
   * view now (Blockly's events off, the quick way), the rest from the next idle moment; a small
   * program whole, now.
   */
  start(): void {
    if (this._atOnce) {
      this._loadWhole();
      this._continue();
      return;
    }
    const view = this._workspace.getMetricsManager().getViewMetrics(true);
    const [right, bottom] = [view.left + view.width, view.top + view.height];
    const inView = (stack: Stack) => {
      const { x = 0, y = 0 } = stack.pieces[0] ?? {};
      return x <= right && x >= view.left - LEFT_MARGIN && y <= bottom;
    };
    // The stacks in view first, here and in the slices after.
    this._stacks.sort((a, b) => Number(inView(b)) - Number(inView(a)));
    // Blockly measures a dropdown's text in the page (`getComputedTextLength`), which lays out
    // everything drawn since the last measure: once per text for the whole opening, not once per
    // text per slice. Blockly keeps its cache for one task because styles may change between
    // tasks; nothing changes the blocks' fonts while a program opens.
    Blockly.utils.dom.startTextWidthCache();
    this._caching = true;
    untracked.add(this._workspace);
    loadQuickly(this._workspace, (workspace) => {
      // Everything but the blocks (variables, workspace comments); the blocks are cleared.
      Blockly.serialization.workspaces.load({ ...this._state, blocks: undefined }, workspace);
      for (const stack of this._stacks) {
        if (!inView(stack)) break;
        while (stack.next < stack.pieces.length) {
          drawNew(workspace, (fresh) => this._drawPiece(stack, fresh, false));
          const top = stack.top!;
          if (top.getRelativeToSurfaceXY().y + top.getHeightWidth().height > bottom) break;
        }
      }
    });
    this._continue();
  }

  /** Draws every block not drawn yet, now. */
  finish(): void {
    if (this._done) return;
    this._cancelIdle?.();
    this._cancelIdle = null;
    this._slice(Infinity);
  }

  /** Stops drawing (another program is opening); `onDone` will not run. */
  cancel(): void {
    this._cancelIdle?.();
    this._cancelIdle = null;
    this._end();
  }

  private _end(): void {
    this._done = true;
    if (this._caching) Blockly.utils.dom.stopTextWidthCache();
    this._caching = false;
    untracked.delete(this._workspace);
  }

  /** Draws pieces for `budget` ms of block making, then goes on or ends. */
  private _slice(budget: number): void {
    const start = performance.now();
    try {
      drawNew(this._workspace, (fresh) => {
        for (const stack of this._stacks) {
          while (stack.next < stack.pieces.length && performance.now() - start < budget) {
            this._drawPiece(stack, fresh, true);
          }
        }
      });
    } catch (error) {
      // Never a workspace left half-drawn and waiting: Blockly's own load, all of it at once.
      this._loadWhole();
      this._continue();
      throw error;
    }
    this._continue();
  }

  /** Loads the whole program the quick way, as `<block-editor>`'s `loadBlocks` does. */
  private _loadWhole(): void {
    for (const stack of this._stacks) stack.next = stack.pieces.length;
    loadQuickly(this._workspace, (workspace) =>
      Blockly.serialization.workspaces.load(this._state, workspace),
    );
  }

  private _continue(): void {
    if (this._stacks.some((stack) => stack.next < stack.pieces.length)) {
      this._cancelIdle = whenIdle(() => {
        this._cancelIdle = null;
        this._slice(SLICE_MS);
      });
      return;
    }
    const tracking = untracked.has(this._workspace);
    this._end();
    if (tracking) {
      for (const top of this._workspace.getTopBlocks(false)) top.setConnectionTracking(true);
    }
    for (const { hidden } of this._stacks) {
      const root = hidden?.getSvgRoot();
      root?.style.removeProperty('display');
      if (root?.getAttribute('style') === '') root.removeAttribute('style');
    }
    this._onDone();
  }

  /**
   * Makes the stack's next piece, hung under the last block drawn, its blocks `fresh`; `hide`:
   * out of the page's rendering (`Stack.hidden`) until every block is drawn.
   */
  private _drawPiece(stack: Stack, fresh: WeakSet<Blockly.BlockSvg>, hide: boolean): void {
    const piece = stack.pieces[stack.next++];
    // The block it hangs under is drawn again: its outline's bottom corner is round while nothing
    // hangs under it.
    if (stack.last) fresh.add(stack.last);
    const block = Blockly.serialization.blocks.appendInternal(
      piece,
      this._workspace,
      stack.last ? { parentConnection: stack.last.nextConnection! } : {},
    ) as Blockly.BlockSvg;
    for (const made of block.getDescendants(false)) fresh.add(made);
    stack.top ??= block;
    if (hide && !stack.hidden) {
      stack.hidden = block;
      block.getSvgRoot().style.display = 'none';
    }
    let last = block;
    for (let next = last.getNextBlock(); next; next = next.getNextBlock()) last = next;
    stack.last = last;
  }
}
