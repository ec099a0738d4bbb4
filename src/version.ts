import pkg from "../package.json" with { type: "json" };

/** The package version, embedded at build time (compiled binaries have no package.json beside them). */
export const VERSION: string = pkg.version;

// Replaced by `bun build --define` in scripts/build.ts; undeclared (typeof "undefined") when run from source.
declare const AUTOTASK_MCP_COMMIT: string | undefined;
declare const AUTOTASK_MCP_BUILD_DATE: string | undefined;

/** The git commit the build was made from (short hash), or undefined when run from source. */
const COMMIT: string | undefined = typeof AUTOTASK_MCP_COMMIT === "string" ? AUTOTASK_MCP_COMMIT : undefined;
/** When the build was made (ISO 8601, UTC), or undefined when run from source. */
const BUILD_DATE: string | undefined = typeof AUTOTASK_MCP_BUILD_DATE === "string" ? AUTOTASK_MCP_BUILD_DATE : undefined;

/**
 * What `--version` prints: `3.0.0 (commit 1a2b3c4, built 2026-05-01T12:00:00Z)` for a build,
 * `3.0.0 (from source)` when run with `bun src/cli.ts`. The first word is always the bare version.
 */
export const VERSION_LINE: string =
  COMMIT || BUILD_DATE ? `${VERSION} (commit ${COMMIT ?? "unknown"}, built ${BUILD_DATE ?? "unknown"})` : `${VERSION} (from source)`;
