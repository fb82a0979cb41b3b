/** How a promise stood when the window closed. */
type SettledWithin<T> =
  | { state: 'fulfilled'; value: T }
  | { state: 'rejected'; error: unknown }
  | { state: 'pending' };

/**
 * Waits for a promise at most `ms` milliseconds without cancelling it. A promise still
 * pending at the deadline keeps running; its later rejection is handed to `onLateError`
 * so it is logged rather than left unhandled.
 */
export function settleWithin<T>(promise: Promise<T>, ms: number, onLateError: (error: unknown) => void): Promise<SettledWithin<T>> {
  return new Promise((resolve) => {
    let open = true;
    const timer = setTimeout(() => {
      open = false;
      resolve({ state: 'pending' });
    }, ms);
    promise.then(
      (value) => {
        if (!open) return;
        open = false;
        clearTimeout(timer);
        resolve({ state: 'fulfilled', value });
      },
      (error: unknown) => {
        if (!open) {
          onLateError(error);
          return;
        }
        open = false;
        clearTimeout(timer);
        resolve({ state: 'rejected', error });
      },
    );
  });
}
