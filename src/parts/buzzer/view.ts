/**
 * The buzzer on the virtual board: a round buzzer that shows notes while it sounds
 * (`data-buzzer="sounding"`), and the same tones through Web Audio (see ../sound.ts).
 */
import { css, svg } from 'lit';
import type { PartView } from '../part.ts';
import { soundContext } from '../sound.ts';
import type { Tone } from './runtime.ts';
import type { BoardState } from '../../board/board-state.ts';
import { translator } from '../../i18n/translate.ts';

/** The buzzer's words: its silk-screen label, and what a screen reader says of it. */
const t = translator({
  en: { label: 'Buzzer', sounding: 'Buzzer: sounding', silent: 'Buzzer: quiet' },
  'zh-hans': { label: '蜂鸣器', sounding: '蜂鸣器：正在响', silent: '蜂鸣器：安静' },
});

/** A square wave, as the board's PWM gives, kept quiet. */
const VOLUME = 0.06;
const [X, Y] = [200, 214];

/** The oscillator playing now, if any. */
let playing: { oscillator: OscillatorNode; gain: GainNode } | null = null;

function silence(): void {
  if (!playing) return;
  const { oscillator, gain } = playing;
  playing = null;
  try {
    oscillator.stop();
  } catch {
    // It had ended by itself.
  }
  oscillator.disconnect();
  gain.disconnect();
}

/** Plays `tones` from now (the Worker says when they end; this only makes them heard). */
function play(tones: readonly Tone[]): void {
  const audio = soundContext();
  if (!audio) return;
  const oscillator = audio.createOscillator();
  const gain = audio.createGain();
  oscillator.type = 'square';
  oscillator.connect(gain).connect(audio.destination);
  let at = audio.currentTime;
  for (const [frequency, ms] of tones) {
    gain.gain.setValueAtTime(frequency > 0 ? VOLUME : 0, at);
    if (frequency > 0) oscillator.frequency.setValueAtTime(frequency, at);
    if (ms < 0) break;
    at += ms / 1000;
  }
  oscillator.start();
  if (!tones.some(([, ms]) => ms < 0)) oscillator.stop(at);
  playing = { oscillator, gain };
}

/** The buzzer's drawing and sound. */
export const view: PartView = {
  styles: css`
    .buzzer-note {
      fill: #f7b7e6;
      font-size: 14px;
      opacity: 0;
    }
    [data-buzzer='sounding'] .buzzer-note {
      animation: buzzer-note 0.6s ease-out infinite;
    }
    [data-buzzer='sounding'] .buzzer-note + .buzzer-note {
      animation-delay: 0.3s;
    }
    @keyframes buzzer-note {
      from {
        opacity: 1;
        transform: translate(0, 0);
      }
      to {
        opacity: 0;
        transform: translate(6px, -12px);
      }
    }
    @media (prefers-reduced-motion: reduce) {
      [data-buzzer='sounding'] .buzzer-note {
        animation: none;
        opacity: 1;
      }
    }
  `,
  render(state: BoardState) {
    const sounding = Boolean(state.buzzer);
    return svg`
      <g class="buzzer" data-buzzer=${sounding ? 'sounding' : 'silent'} role="img"
        aria-label=${t(sounding ? 'sounding' : 'silent')}>
        <circle cx=${X} cy=${Y} r="11" fill="#15181d" stroke=${sounding ? '#f7b7e6' : '#4a5462'}
          stroke-width="2" />
        <circle cx=${X} cy=${Y} r="2.5" fill="#4a5462" />
        <text class="buzzer-note" x=${X + 12} y=${Y - 4}>♪</text>
        <text class="buzzer-note" x=${X - 20} y=${Y - 4}>♫</text>
        <text class="silk" x=${X} y=${Y + 26} font-size="13">${t('label')}</text>
      </g>
    `;
  },
  changed(before, now) {
    if (before?.buzzer === now.buzzer) return;
    silence();
    if (now.buzzer) play(now.buzzer.tones);
  },
  disconnected: silence,
};
