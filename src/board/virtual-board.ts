/**
 * `<virtual-board>`: the mPython board (掌控板) drawn as SVG. It renders a `BoardState` and
 * nothing else, and reports what the child does to it — buttons A and B, the touch pads, the
 * light and sound sliders — as one `board-input` event each. It tells a screen reader what
 * changes (LEDs, screen, online) through a polite live region, coalesced per kind. Each board
 * part (src/parts/) draws itself from the same state with its own view.
 */
import { LitElement, css, html, svg, type PropertyValues, type SVGTemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { classMap } from 'lit/directives/class-map.js';
import { live } from 'lit/directives/live.js';
import { statusDot, themeTokens } from '../theme/theme.ts';
import {
  idleBoard,
  toLevel,
  type BoardInput,
  type BoardState,
  type Rgb,
  type TouchPad,
} from './board-state.ts';
import { shortened } from '../text/shortened.ts';
import { LanguageController } from '../i18n/language.ts';
import { LiveAnnouncer, announcementsStyles } from './announcer.ts';
import {
  ledsSentence,
  programEndedSentence,
  screenSentence,
  statusSentence,
} from './announcements.ts';
import { t } from './strings.ts';
import type { PartView } from '../parts/part.ts';

/** The board parts' views, found by file name (src/parts/<name>/view.ts), drawn on the board. */
const PART_VIEWS = Object.values(
  import.meta.glob<PartView>('../parts/*/view.ts', { eager: true, import: 'view' }),
);

const PADS: readonly TouchPad[] = ['P', 'Y', 'T', 'H', 'O', 'N'];
/** The edge connector's contacts, drawn along the bottom edge. */
const GOLD_FINGERS = Array.from({ length: 18 }, (_, i) => i);
const SENSOR_MAX = 4095;
/** How long a pressed control looks pressed: long enough to see after a quick tap. */
const PRESS_FEEDBACK_MS = 150;

/** The OLED's 128×64 pixels, drawn at 1.28 view units a pixel; each text line is 16 px high. */
const SCREEN = { x: 118, y: 50, width: 164, height: 82 } as const;
const SCREEN_LINE_HEIGHT = SCREEN.height / 4;
/**
 * The most characters of a line drawn: several times what fits (the screen clips the rest, as
 * the board's does), so a program that shows a whole megabyte it received does not stall the page.
 */
const SCREEN_LINE_MAX_CHARS = 64;

const LED_X = [160, 200, 240] as const;
const LED_Y = 172;

/**
 * The colour an LED is drawn in. A program's colours are often dim — the seed lights (50,0,0) —
 * and a dim colour on a screen reads as black, so the brightest channel is lifted to a visible
 * level and the others keep their proportion to it. `null` when the LED is off.
 */
function shownColour([r, g, b]: Rgb): { fill: string; glow: number } | null {
  const max = Math.max(r, g, b);
  if (max <= 0) return null;
  const scale = (190 + (65 * max) / 255) / max;
  const [sr, sg, sb] = [r, g, b].map((c) => Math.round(c * scale));
  return { fill: `rgb(${sr}, ${sg}, ${sb})`, glow: 0.5 + (0.5 * max) / 255 };
}

/** What a control (a button or touch pad group) stands for, from its data attributes. */
function inputOf(control: Element | null): BoardInput | null {
  if (!(control instanceof SVGElement)) return null;
  const { button, pad } = control.dataset;
  if (button === 'a' || button === 'b') return { kind: 'button', button };
  if (pad && (PADS as readonly string[]).includes(pad))
    return { kind: 'touch', pad: pad as TouchPad };
  return null;
}

function controlOf(target: EventTarget | null): Element | null {
  return target instanceof Element ? target.closest('[data-button], [data-pad]') : null;
}

@customElement('virtual-board')
export class VirtualBoard extends LitElement {
  /** Re-renders this element in the new language after a switch. */
  protected readonly languageController = new LanguageController(this);

  static override styles = [
    css`
      ${themeTokens}
      ${announcementsStyles}
    :host {
        position: relative;
        display: block;
        max-width: 420px;
        color: var(--iot-ink);
        font-family: var(--iot-sans);
        -webkit-tap-highlight-color: transparent;
      }
      .bar {
        display: flex;
        justify-content: flex-end;
        margin-bottom: 6px;
      }
      .status {
        display: inline-flex;
        align-items: center;
        gap: 6px;
        padding: 3px 12px 3px 9px;
        border-radius: var(--iot-radius-pill);
        font-size: 14px;
        font-weight: 600;
        background: #e4e7eb;
        color: var(--iot-ink-muted);
      }
      .status::before {
        ${statusDot}
      }
      .status[data-online='true'] {
        background: #d3f5dc;
        color: #17663a;
      }
      .status[data-online='true']::before {
        background: #22b455;
        box-shadow: 0 0 0 3px #22b45533;
      }
      svg {
        display: block;
        width: 100%;
        height: auto;
        border-radius: 28px;
        user-select: none;
        -webkit-user-select: none;
      }
      svg:focus {
        outline: none;
      }
      svg:focus-visible {
        outline: var(--iot-focus-ring);
        outline-offset: 3px;
      }
      .pcb {
        fill: #252c37;
        stroke: #11151b;
        stroke-width: 2;
      }
      .silk {
        fill: #e8edf3;
        font-family: inherit;
        text-anchor: middle;
      }
      .brand {
        font-size: 15px;
        font-weight: 700;
        font-style: italic;
        letter-spacing: 0.5px;
      }
      .oled-text {
        fill: #bfeaff;
        font-family:
          'IoT Blocks Chinese', 'DejaVu Sans Mono', ui-monospace, Menlo, Consolas, monospace;
        font-size: 16px;
        white-space: pre;
      }
      .control {
        cursor: pointer;
        outline: none;
        touch-action: manipulation;
      }
      .focus-ring {
        fill: none;
        stroke: none;
      }
      /* Drawn at about 0.6 px a unit in a narrow side panel: 5 units keep it ~3 px wide. */
      .control:focus-visible .focus-ring {
        stroke: #8ab4f8;
        stroke-width: 5;
      }
      .cap {
        fill: #3a4250;
        stroke: #111;
        stroke-width: 1.5;
        transform-box: fill-box;
        transform-origin: center;
        transition: transform 80ms ease-out;
      }
      .control:hover .cap {
        fill: #4a5466;
      }
      .pressed .cap,
      .control:active .cap {
        transform: scale(0.86);
        fill: #5b87d6;
      }
      .pad-face {
        fill: url(#gold);
        stroke: #8a6418;
        stroke-width: 1.5;
        transition: transform 80ms ease-out;
      }
      .control:hover .pad-face {
        fill: url(#gold-light);
      }
      .pressed .pad-face,
      .control:active .pad-face {
        fill: url(#gold-light);
        transform: translateY(2px);
      }
      .pad-letter {
        fill: #3d2a05;
        font-family: inherit;
        font-size: 22px;
        font-weight: 800;
        text-anchor: middle;
        pointer-events: none;
      }
      .pressed .pad-letter,
      .control:active .pad-letter {
        transform: translateY(2px);
      }
      .sensors {
        display: grid;
        grid-template-columns: auto 1fr 3.5em;
        align-items: center;
        gap: 6px 10px;
        margin-top: 10px;
        font-size: 15px;
      }
      .sensors label {
        font-weight: 600;
      }
      .sensors input {
        width: 100%;
        margin: 0;
        accent-color: var(--iot-primary);
      }
      .sensors output {
        font-variant-numeric: tabular-nums;
        text-align: right;
        color: var(--iot-ink-muted);
      }
      .sensors input:focus-visible {
        outline: var(--iot-focus-ring);
        outline-offset: 2px;
      }
    `,
    ...PART_VIEWS.map((view) => view.styles),
  ];

  /** What the board shows; the element renders this and nothing else. */
  @property({ attribute: false }) state: BoardState = idleBoard();

  /** Whether changes are told to screen readers (the studio's announcements setting). */
  @property({ type: Boolean }) announce = true;

  /** The live region and its timing (tests set `announcer.clock` to move time themselves). */
  readonly announcer = new LiveAnnouncer<'leds' | 'screen' | 'status' | 'program'>(this);

  /** What the live region last said of each part, or the board as it was when not announcing. */
  private _said: BoardState = this.state;

  /** The control that looks pressed just now (`a`, `b` or a pad letter), for feedback only. */
  @state() private _pressed: string | null = null;

  /** The control a pointer went down on: its click that follows is the same press. */
  private _pointerControl: Element | null = null;
  private _pressTimer: ReturnType<typeof setTimeout> | undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this._pressTimer);
    this._pressed = null;
    for (const view of PART_VIEWS) view.disconnected?.();
  }

  /** Tells screen readers that the program ended, and why when `reason` is given (an error). */
  programEnded(reason?: string): void {
    this.announcer.changed('program', () => programEndedSentence(reason));
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('announce')) this.announcer.enabled = this.announce;
    if (!changed.has('state')) return;
    for (const view of PART_VIEWS) view.changed?.(changed.get('state'), this.state);
    // Nothing to tell before the first render, nor while announcements are off.
    if (!this.hasUpdated || !this.announce) {
      this._said = this.state;
      return;
    }
    const before = changed.get('state');
    const now = this.state;
    if (before?.leds !== now.leds) this.announcer.changed('leds', () => this._sayLeds());
    if (before?.oled !== now.oled) this.announcer.changed('screen', () => this._sayScreen());
    if (before?.online !== now.online) this.announcer.changed('status', () => this._sayStatus());
  }

  private _sayLeds(): string | null {
    const sentence = ledsSentence(this.state.leds, this._said.leds);
    this._said = { ...this._said, leds: this.state.leds };
    return sentence;
  }

  private _sayScreen(): string | null {
    const sentence = screenSentence(this.state.oled, this._said.oled);
    this._said = { ...this._said, oled: this.state.oled };
    return sentence;
  }

  private _sayStatus(): string | null {
    const sentence = statusSentence(this.state.online, this._said.online);
    this._said = { ...this._said, online: this.state.online };
    return sentence;
  }

  override render() {
    const { leds, oled, online, light, sound } = this.state;
    return html`
      <div class="bar">
        <span class="status" data-online=${String(online)}
          >${t(online ? 'online' : 'offline')}</span
        >
      </div>
      ${this.announcer.region()}
      <svg
        viewBox="0 0 400 340"
        role="group"
        aria-label=${t('board')}
        tabindex="0"
        @keydown=${this._onKeyDown}
        @pointerdown=${this._onPointerDown}
        @pointercancel=${this._onPointerCancel}
        @click=${this._onClick}
      >
        ${this._renderDefs()} ${this._renderPcb()} ${this._renderScreen(oled)}
        ${leds.map((rgb, i) => this._renderLed(rgb, i))} ${this._renderButton('a', 58)}
        ${this._renderButton('b', 342)} ${this._renderLightSensor(light)}
        ${this._renderMicrophone(sound)} ${PADS.map((pad, i) => this._renderPad(pad, i))}
        ${PART_VIEWS.map((view) => view.render(this.state))}
      </svg>
      <div class="sensors">
        ${this._renderSlider('light', light)} ${this._renderSlider('sound', sound)}
      </div>
    `;
  }

  private _renderDefs(): SVGTemplateResult {
    return svg`
      <defs>
        <linearGradient id="gold" x1="0" y1="0" x2="0" y2="1">
          <stop offset="0" stop-color="#f6d77e" />
          <stop offset="1" stop-color="#d19e2c" />
        </linearGradient>
        <linearGradient id="gold-light" x1="0" y1="0" x2="0" y2="1">
          <stop offset="0" stop-color="#fff0b8" />
          <stop offset="1" stop-color="#eabb4a" />
        </linearGradient>
        <clipPath id="screen-clip">
          <rect x=${SCREEN.x} y=${SCREEN.y} width=${SCREEN.width} height=${SCREEN.height} />
        </clipPath>
      </defs>
    `;
  }

  /** The board's outline: a rounded body with the edge connector's tongue below it. */
  private _renderPcb(): SVGTemplateResult {
    return svg`
      <path
        class="pcb"
        d="M 48 8 H 352 A 40 40 0 0 1 392 48 V 238 A 24 24 0 0 1 368 262 H 358 V 322
           A 10 10 0 0 1 348 332 H 52 A 10 10 0 0 1 42 322 V 262 H 32 A 24 24 0 0 1 8 238
           V 48 A 40 40 0 0 1 48 8 Z"
      />
      <text class="silk brand" x="200" y="32">${t('brand')}</text>
      ${GOLD_FINGERS.map(
        (i) => svg`<rect x=${57 + i * 16} y="322" width="9" height="10" fill="#b48a2c" />`,
      )}
    `;
  }

  private _renderScreen(lines: BoardState['oled']): SVGTemplateResult {
    return svg`
      <g role="img" aria-label=${t('screen')}>
        <rect x="108" y="42" width="184" height="98" rx="8" fill="#0d1014" stroke="#4a5462" />
        <rect x=${SCREEN.x} y=${SCREEN.y} width=${SCREEN.width} height=${SCREEN.height}
          fill="#050a12" />
        <g clip-path="url(#screen-clip)">
          ${lines.map(
            (line, i) => svg`<text
              class="oled-text"
              data-line=${i + 1}
              x=${SCREEN.x + 2}
              y=${SCREEN.y + SCREEN_LINE_HEIGHT * i + 15.5}
            >${shortened(line, SCREEN_LINE_MAX_CHARS)}</text>`,
          )}
        </g>
      </g>
    `;
  }

  /**
   * One LED. Its elements are always there and only change colour and opacity: an LED that blinks
   * with every message repaints a few attributes, not a new glow (a radial gradient, not a blur
   * filter, for the same reason).
   */
  private _renderLed(rgb: Rgb, index: number): SVGTemplateResult {
    const [r, g, b] = rgb.map(toLevel);
    const shown = shownColour([r, g, b]);
    const x = LED_X[index];
    const label = shown ? t('ledColour', { n: index + 1, r, g, b }) : t('ledOff', { n: index + 1 });
    const glow = shown?.fill ?? 'transparent';
    return svg`
      <g role="img" aria-label=${label}>
        <radialGradient id=${`glow-${index}`}>
          <stop offset="0.4" stop-color=${glow} />
          <stop offset="0.7" stop-color=${glow} stop-opacity="0.45" />
          <stop offset="1" stop-color=${glow} stop-opacity="0" />
        </radialGradient>
        <circle cx=${x} cy=${LED_Y} r="30" fill=${`url(#glow-${index})`}
          opacity=${shown ? shown.glow : 0} />
        <rect x=${x - 15} y=${LED_Y - 15} width="30" height="30" rx="5"
          fill="#f1f3f6" stroke="#9aa5b1" />
        <circle
          class="led"
          data-led=${index}
          data-rgb=${`${r},${g},${b}`}
          cx=${x}
          cy=${LED_Y}
          r="10"
          fill=${shown?.fill ?? '#7b8490'}
        />
        <circle cx=${x - 3} cy=${LED_Y - 3} r="3" fill="#fff" opacity=${shown ? 0.7 : 0} />
      </g>
    `;
  }

  private _renderButton(button: 'a' | 'b', x: number): SVGTemplateResult {
    const y = 92;
    return svg`
      <g
        class=${classMap({ control: true, button: true, pressed: this._pressed === button })}
        data-button=${button}
        role="button"
        tabindex="0"
        aria-label=${t(button === 'a' ? 'buttonA' : 'buttonB')}
      >
        <rect class="focus-ring" x=${x - 34} y=${y - 34} width="68" height="104" rx="14" />
        <rect x=${x - 30} y=${y - 30} width="60" height="96" fill="transparent" />
        <rect x=${x - 22} y=${y - 22} width="44" height="44" rx="7" fill="#c3cad4"
          stroke="#7b8794" />
        <circle class="cap" cx=${x} cy=${y} r="15" />
        <text class="silk" x=${x} y=${y + 52} font-size="24" font-weight="800"
          >${button.toUpperCase()}</text>
      </g>
    `;
  }

  private _renderLightSensor(level: number): SVGTemplateResult {
    const [x, y] = [92, 208];
    return svg`
      <g role="img" aria-label=${`${t('light')} ${level}`}>
        <rect x=${x - 11} y=${y - 8} width="22" height="16" rx="3" fill="#15181d" stroke="#4a5462" />
        <circle cx=${x} cy=${y} r="5.5" fill="#ffd966"
          opacity=${0.25 + (0.75 * level) / SENSOR_MAX} />
        <text class="silk" x=${x} y=${y + 26} font-size="13">${t('light')}</text>
      </g>
    `;
  }

  private _renderMicrophone(level: number): SVGTemplateResult {
    const [x, y] = [308, 208];
    const loud = 0.2 + (0.8 * level) / SENSOR_MAX;
    return svg`
      <g role="img" aria-label=${`${t('sound')} ${level}`}>
        <circle cx=${x} cy=${y} r="10" fill="#c3cad4" stroke="#7b8794" />
        <circle cx=${x} cy=${y} r="3" fill="#15181d" />
        <path d="M ${x + 15} ${y - 7} Q ${x + 19} ${y} ${x + 15} ${y + 7}
                 M ${x + 20} ${y - 11} Q ${x + 26} ${y} ${x + 20} ${y + 11}"
          fill="none" stroke="#8fd3ff" stroke-width="2" stroke-linecap="round"
          opacity=${loud} />
        <text class="silk" x=${x} y=${y + 26} font-size="13">${t('sound')}</text>
      </g>
    `;
  }

  private _renderPad(pad: TouchPad, index: number): SVGTemplateResult {
    const x = 54 + index * 50;
    const y = 262;
    return svg`
      <g
        class=${classMap({ control: true, pad: true, pressed: this._pressed === pad })}
        data-pad=${pad}
        role="button"
        tabindex="0"
        aria-label=${t('touchPad', { pad })}
      >
        <rect class="focus-ring" x=${x - 3} y=${y - 3} width="48" height="60" rx="10" />
        <rect class="pad-face" x=${x} y=${y} width="42" height="54" rx="8" />
        <text class="pad-letter" x=${x + 21} y=${y + 35}>${pad}</text>
      </g>
    `;
  }

  private _renderSlider(sensor: 'light' | 'sound', level: number) {
    const id = `sensor-${sensor}`;
    return html`
      <label for=${id}>${t(sensor)}</label>
      <input
        id=${id}
        type="range"
        min="0"
        max=${SENSOR_MAX}
        data-sensor=${sensor}
        .value=${live(String(level))}
        @input=${this._onSensorInput}
      />
      <output for=${id}>${level}</output>
    `;
  }

  private _onPointerDown(event: PointerEvent): void {
    const control = controlOf(event.target);
    this._pointerControl = control;
    if (event.button !== 0) return;
    this._press(control);
  }

  private _onPointerCancel(): void {
    this._pointerControl = null;
  }

  /** A click a pointer already pressed is ignored; one with no pointer (assistive tech) presses. */
  private _onClick(event: MouseEvent): void {
    const control = controlOf(event.target);
    const pressedByPointer = control !== null && control === this._pointerControl;
    this._pointerControl = null;
    if (!pressedByPointer) this._press(control);
  }

  private _onKeyDown(event: KeyboardEvent): void {
    this._pointerControl = null;
    if (event.repeat || event.ctrlKey || event.altKey || event.metaKey) return;
    const key = event.key.toLowerCase();
    let control: Element | null = null;
    if (key === 'a' || key === 'b') {
      control = this.renderRoot.querySelector(`[data-button="${key}"]`);
    } else if (key === 'enter' || key === ' ') {
      control = controlOf(event.target);
    }
    if (!control) return;
    event.preventDefault();
    this._press(control);
  }

  private _onSensorInput(event: Event): void {
    const input = event.target as HTMLInputElement;
    const level = input.valueAsNumber;
    this._emit(
      input.dataset.sensor === 'sound' ? { kind: 'sound', level } : { kind: 'light', level },
    );
  }

  /** Reports `control`'s input and shows it pressed for a moment. */
  private _press(control: Element | null): void {
    const input = inputOf(control);
    if (!input) return;
    this._pressed =
      input.kind === 'button' ? input.button : input.kind === 'touch' ? input.pad : null;
    clearTimeout(this._pressTimer);
    this._pressTimer = setTimeout(() => (this._pressed = null), PRESS_FEEDBACK_MS);
    this._emit(input);
  }

  private _emit(detail: BoardInput): void {
    this.dispatchEvent(
      new CustomEvent<BoardInput>('board-input', { detail, bubbles: true, composed: true }),
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'virtual-board': VirtualBoard;
  }
  interface GlobalEventHandlersEventMap {
    /** A button, touch pad or sensor slider the child used on a `<virtual-board>`. */
    'board-input': CustomEvent<BoardInput>;
  }
}
