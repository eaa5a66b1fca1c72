/**
 * The page's one `AudioContext`, for the parts that sound on the virtual board. Browsers let a
 * page start sound only from a person's gesture, so the studio calls `allowSound()` from the Run
 * click; until then, and where there is no Web Audio, a part stays silent (and still shows it).
 */
let context: AudioContext | null = null;

/** Makes or wakes the page's audio; call it from a click or a key press. */
export function allowSound(): void {
  try {
    context ??= new AudioContext();
    if (context.state === 'suspended') void context.resume().catch(() => undefined);
  } catch {
    context = null;
  }
}

/** The page's audio once `allowSound()` made it, else null. */
export function soundContext(): AudioContext | null {
  return context;
}
