/**
 * Strict argument checking for every subcommand. citty ignores flags it does not know, so a typo
 * such as `--read-onyl` would silently start a server with every write tool enabled: a safety
 * switch lost without a word. Each command's raw arguments are checked against its own flag
 * definitions first; anything unknown — a flag, a stray word — is refused with one line that names
 * it and the closest valid flag (exit 2, the usual code for a usage error).
 */
import type { ArgsDef } from "citty";
import { nearest } from "../fuzzy.ts";

/** Flags every command understands besides its own (citty handles them before a command runs). */
const BUILTIN = ["help"];
/** Suggested for near misses, though only valid on their own (`autotask-mcp --version`). */
const SUGGEST_ONLY = ["version"];

interface FlagInfo {
  takesValue: boolean;
}

const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

function knownFlags(args: ArgsDef): Map<string, FlagInfo> {
  const flags = new Map<string, FlagInfo>();
  for (const [name, def] of Object.entries(args)) {
    if (def.type === "positional") continue;
    const info = { takesValue: def.type === "string" || def.type === "enum" };
    flags.set(name, info);
    flags.set(camel(name), info); // citty accepts --readOnly for --read-only
    for (const alias of ["alias" in def ? (def.alias ?? []) : []].flat()) flags.set(alias, info);
    if (def.type === "boolean") flags.set(`no-${name}`, { takesValue: false });
  }
  for (const name of BUILTIN) flags.set(name, { takesValue: false });
  flags.set("h", { takesValue: false });
  return flags;
}

/**
 * Why `rawArgs` are not acceptable for a command with these `args`, or undefined when they are.
 * Accepted: `--flag`, `--flag=value`, `--flag value` (string flags), `--no-flag` (booleans), and
 * the flag's camelCase spelling. Refused: unknown flags, a string flag without its value, and any
 * positional word (no command takes one).
 */
export function argumentProblem(command: string, args: ArgsDef, rawArgs: readonly string[], commandNames: readonly string[] = []): string | undefined {
  const flags = knownFlags(args);
  for (let i = 0; i < rawArgs.length; i++) {
    const token = rawArgs[i]!;
    if (token === "--") {
      const rest = rawArgs.slice(i + 1);
      return rest.length ? `${command}: unexpected argument ${JSON.stringify(rest[0])}` : undefined;
    }
    if (!token.startsWith("-") || token === "-") return `${command}: unexpected argument ${JSON.stringify(token)}${suggestCommand(token, commandNames)}`;
    const long = token.startsWith("--");
    const [name, inline] = splitFlag(token.slice(long ? 2 : 1));
    const flag = flags.get(name);
    if (!flag) {
      const shown = `${long ? "--" : "-"}${name}`;
      return `${command}: unknown option ${shown}${closest(name, [...flags.keys(), ...SUGGEST_ONLY], long)}`;
    }
    if (!flag.takesValue) continue;
    if (inline !== undefined) continue;
    const next = rawArgs[i + 1];
    if (next === undefined || next.startsWith("-")) return `${command}: option --${name} needs a value (--${name}=<value>)`;
    i++;
  }
  return undefined;
}

function splitFlag(body: string): [string, string | undefined] {
  const at = body.indexOf("=");
  return at === -1 ? [body, undefined] : [body.slice(0, at), body.slice(at + 1)];
}

/** A stray word that looks like a misspelt command (`autotask-mcp stdoi`) gets a hint. */
function suggestCommand(word: string, commandNames: readonly string[]): string {
  const best = nearest(word, [...commandNames]);
  return best ? ` (did you mean ${best}? commands: ${commandNames.join(", ")})` : "";
}

function closest(name: string, candidates: string[], long: boolean): string {
  const visible = [...new Set(candidates.filter((c) => c.length > 1 && !/[A-Z]/.test(c)))];
  // One letter (-V): the long flags it could stand for.
  const best = !long && name.length === 1 ? visible.find((c) => c.startsWith(name.toLowerCase())) : nearest(name, visible);
  return best ? ` (did you mean --${best}?)` : ` (valid options: ${visible.filter((c) => !c.startsWith("no-")).map((c) => `--${c}`).join(", ")})`;
}
