/**
 * The listings a build computed from the registry (see listings.ts), as JSON text — or, as in this
 * file, nothing: a server run from source computes them itself. scripts/build.ts puts the computed
 * text in place of this module when it bundles; no file ever holds it, so none can go stale.
 */
export const PRECOMPUTED: string | undefined = undefined;
