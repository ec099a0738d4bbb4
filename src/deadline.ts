/**
 * Waiting for something with a time limit. The work behind the promise is not cancelled (a write
 * may still reach Autotask): only the wait ends, and the timer never outlives it.
 */

/**
 * What `promise` settles with, or — when `ms` milliseconds pass first — what `late()` returns (or
 * throws). `promise` settling later changes nothing.
 */
export async function within<T, L>(promise: Promise<T>, ms: number, late: () => L): Promise<T | L> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<L>((resolve, reject) => {
    timer = setTimeout(() => {
      try {
        resolve(late());
      } catch (error) {
        reject(error);
      }
    }, ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
