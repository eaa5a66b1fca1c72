/** Waiting on outcomes in browser tests, never on fixed sleeps. */

/**
 * Resolves with the first truthy value `predicate` returns, checking every animation frame;
 * rejects after `timeout` ms with `message` (or the predicate's source) and the last error.
 */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  timeout = 10000,
  message?: string,
): Promise<NonNullable<T>> {
  const deadline = performance.now() + timeout;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await predicate();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      lastError = error;
    }
    if (performance.now() > deadline) {
      const because = lastError ? ` (last error: ${String(lastError)})` : '';
      throw new Error(`waitFor timed out after ${timeout} ms: ${message ?? predicate}${because}`);
    }
    await nextFrame();
  }
}

/** Resolves at the next animation frame, after every frame callback requested before it. */
export function nextFrame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}
