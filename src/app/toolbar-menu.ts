/**
 * `<toolbar-menu>`: a toolbar button with a word, an icon (slot `icon`) and a chevron, that opens
 * its content (the default slot) in a popover below it. The browser's popover does the rest a
 * menu needs: it sits above everything (the workspace, the code panel), closes on Escape or a
 * click elsewhere, and gives focus back. Choosing a button inside closes it.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { themeTokens } from '../theme/theme.ts';
import { chevronIcon } from './icons.ts';

/** Detail of `menu-toggle`: whether the menu is now open. */
export interface MenuToggleDetail {
  open: boolean;
}

/** Gap between the button and its menu, and the least margin from the window's edges, in px. */
const GAP = 6;

/** The element that has focus, inside open shadow roots. */
function deepActiveElement(): Element | null {
  let element = document.activeElement;
  while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
  return element;
}

@customElement('toolbar-menu')
export class ToolbarMenu extends LitElement {
  static override styles = css`
    ${themeTokens}
    :host {
      display: inline-flex;
      flex: none;
    }
    button {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      font: inherit;
      font-weight: 600;
      padding: var(--toolbar-button-padding, 8px 14px);
      border: none;
      border-radius: var(--iot-radius);
      background: var(--iot-secondary);
      color: var(--iot-on-secondary);
      cursor: pointer;
      white-space: nowrap;
    }
    button:hover,
    button[aria-expanded='true'] {
      filter: brightness(0.96);
    }
    button:focus-visible {
      outline: var(--iot-focus-ring);
      outline-offset: 2px;
    }
    .chevron {
      display: inline-flex;
      margin-left: -2px;
    }
    [popover] {
      position: fixed;
      inset: auto;
      margin: 0;
      min-width: 220px;
      max-width: min(420px, calc(100vw - ${GAP * 2}px));
      overflow: auto;
      padding: 6px;
      border: 1px solid var(--iot-line-strong);
      border-radius: 12px;
      background: var(--iot-surface);
      color: var(--iot-ink);
      box-shadow: var(--iot-shadow-popover);
      font: inherit;
    }
  `;

  /** The button's word. */
  @property() label = '';
  /** What the button does, shown on hover. */
  @property() hint = '';

  @state() private _open = false;
  /** Whether focus was on the button or in the menu when it last began to open or close. */
  private _focusWasInside = false;

  /** Whether the menu is open. */
  get open(): boolean {
    return this._open;
  }

  /** Opens the menu. */
  show(): void {
    this._popover?.showPopover();
  }

  /** Focuses the menu's button. */
  override focus(options?: FocusOptions): void {
    this.renderRoot.querySelector('button')?.focus(options);
  }

  /** Closes the menu. */
  hide(): void {
    if (this._open) this._popover?.hidePopover();
  }

  private get _popover(): HTMLElement | null {
    return this.renderRoot.querySelector('[popover]');
  }

  protected override render() {
    return html`<button
        part="button"
        popovertarget="menu"
        aria-haspopup="true"
        aria-expanded=${String(this._open)}
        title=${this.hint}
      >
        <slot name="icon"></slot><span>${this.label}</span
        ><span class="chevron">${chevronIcon}</span>
      </button>
      <div
        id="menu"
        popover
        aria-label=${this.label}
        @beforetoggle=${this._onBeforeToggle}
        @toggle=${this._onToggle}
        @click=${this._onMenuClick}
      >
        <slot></slot>
      </div>`;
  }

  /** Places the menu under its button before it shows, inside the window. */
  private _onBeforeToggle(event: ToggleEvent): void {
    const active = deepActiveElement();
    this._focusWasInside = !!active && (this.contains(active) || this.renderRoot.contains(active));
    if (event.newState !== 'open') return;
    const popover = event.target as HTMLElement;
    const button = this.renderRoot.querySelector('button')!.getBoundingClientRect();
    popover.style.top = `${button.bottom + GAP}px`;
    popover.style.maxHeight = `${Math.max(120, innerHeight - button.bottom - GAP * 2)}px`;
    // A button in the right half opens its menu leftwards, so it never runs off the window.
    if (button.left + button.width / 2 > innerWidth / 2) {
      popover.style.left = 'auto';
      popover.style.right = `${Math.max(GAP, innerWidth - button.right)}px`;
    } else {
      popover.style.right = 'auto';
      popover.style.left = `${Math.max(GAP, button.left)}px`;
    }
  }

  private _onToggle(event: ToggleEvent): void {
    this._open = event.newState === 'open';
    // Closed on Escape or by an item that opened nothing (no dialog): focus is still on a hidden
    // item, and the browser would drop it to the page, where a keyboard user starts again from
    // the top. Back to the button instead.
    const active = deepActiveElement();
    const lost = !active || active === document.body || this.contains(active);
    if (!this._open && this._focusWasInside && lost) {
      this.renderRoot.querySelector('button')?.focus();
    }
    this.dispatchEvent(
      new CustomEvent<MenuToggleDetail>('menu-toggle', {
        detail: { open: this._open },
        bubbles: true,
        composed: true,
      }),
    );
  }

  /** A chosen item (any enabled button inside, in nested shadow roots too) closes the menu. */
  private _onMenuClick(event: MouseEvent): void {
    const popover = event.currentTarget as HTMLElement;
    for (const target of event.composedPath()) {
      if (target === popover) return;
      if (target instanceof HTMLButtonElement && !target.disabled) {
        popover.hidePopover();
        return;
      }
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'toolbar-menu': ToolbarMenu;
  }
  interface HTMLElementEventMap {
    'menu-toggle': CustomEvent<MenuToggleDetail>;
  }
}
