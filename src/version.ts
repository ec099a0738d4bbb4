import pkg from "../package.json" with { type: "json" };

/** The package version, embedded at build time (compiled binaries have no package.json beside them). */
export const VERSION: string = pkg.version;
