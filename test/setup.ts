/** Preloaded by bun test (bunfig.toml): hooks for the whole run, across test files. */
import { afterAll } from "bun:test";
import { removeHostBinary } from "./helpers/binary.ts";

afterAll(removeHostBinary);
