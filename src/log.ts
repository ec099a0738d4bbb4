/**
 * Logging: consola, always to stderr — in stdio mode stdout is the MCP protocol and a single stray
 * byte breaks the client. `LOG_FORMAT=json` gives one JSON object per line (time, level, msg, fields).
 * Every line passes through redaction, including any secret values a logger was told about.
 * Lines cannot be forged: in simple format every control character in the message, a key or a
 * value is escaped (`\n` stays on the line), and any value is cut at MAX_VALUE_CHARS, so a
 * refused request body never becomes a log line of its own or a 500 KB one.
 *
 * Call style: `log.info("message", { field: value })`.
 */
import { createConsola, type ConsolaInstance, type LogObject } from "consola/core";
import { redact, redactText } from "./redact.ts";

export type LogLevel = "error" | "warn" | "info" | "debug";
export type LogFormat = "simple" | "json";
export type Fields = Record<string, unknown>;

export interface Logger {
  error(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  debug(msg: string, fields?: Fields): void;
  /** A logger that also masks these values (a request's own credentials) wherever they appear. */
  withSecrets(secrets: Array<string | undefined>): Logger;
  /** A logger that adds these fields to every line. */
  child(fields: Fields): Logger;
}

const CONSOLA_LEVEL: Record<LogLevel, number> = { error: 0, warn: 1, info: 3, debug: 4 };
const LEVEL_NAME: Record<number, LogLevel> = { 0: "error", 1: "warn", 2: "info", 3: "info", 4: "debug", 5: "debug" };

export interface LoggerOptions {
  level?: LogLevel;
  format?: LogFormat;
  /** Where lines go; stderr unless a test captures them. */
  write?: (line: string) => void;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const write = options.write ?? ((line: string) => void process.stderr.write(line));
  const format = options.format ?? "simple";
  const reporter = {
    log(entry: LogObject) {
      const [msg, fields, secrets] = entry.args as [unknown, Fields | undefined, string[] | undefined];
      write(formatLine(format, entry, String(msg), fields ?? {}, secrets ?? []));
    },
  };
  const consola = createConsola({
    level: CONSOLA_LEVEL[options.level ?? "info"],
    reporters: [reporter],
    // Belt and braces: even consola's own fallbacks must never touch stdout.
    stdout: process.stderr,
    stderr: process.stderr,
  });
  return wrap(consola, {}, []);
}

function wrap(consola: ConsolaInstance, base: Fields, secrets: string[]): Logger {
  const emit = (level: "error" | "warn" | "info" | "debug") => (msg: string, fields?: Fields) =>
    consola[level](msg, { ...base, ...fields }, secrets);
  return {
    error: emit("error"),
    warn: emit("warn"),
    info: emit("info"),
    debug: emit("debug"),
    withSecrets: (more) => wrap(consola, base, [...secrets, ...more.filter((s): s is string => Boolean(s))]),
    child: (fields) => wrap(consola, { ...base, ...fields }, secrets),
  };
}

/** Longest logged string (message or value); the rest is replaced by a count. */
const MAX_VALUE_CHARS = 2000;

function formatLine(format: LogFormat, entry: LogObject, msg: string, fields: Fields, secrets: string[]): string {
  const level = LEVEL_NAME[entry.level] ?? "info";
  const time = entry.date.toISOString();
  const cleanMsg = clip(redactText(msg, secrets));
  const cleanFields = clipStrings(redact(fields, secrets)) as Fields;
  if (format === "json") {
    // JSON.stringify escapes every control character: one object stays one line.
    return `${JSON.stringify({ time, level, msg: cleanMsg, ...cleanFields })}\n`;
  }
  const pairs = Object.entries(cleanFields)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${escapeControl(key)}=${escapeControl(typeof value === "string" ? value : clip(JSON.stringify(value) ?? String(value)))}`);
  return `${time} ${level.toUpperCase().padEnd(5)} ${escapeControl(cleanMsg)}${pairs.length ? ` ${pairs.join(" ")}` : ""}\n`;
}

// C0 and C1 controls (newline, carriage return, escape …) and the Unicode line/paragraph separators.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** `a\nb` -> `a\\nb`: a logged value can never start a line of its own. */
function escapeControl(text: string): string {
  return text.replace(CONTROL, (char) => NAMED[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function clip(text: string): string {
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}…(+${text.length - MAX_VALUE_CHARS} chars)` : text;
}

function clipStrings(value: unknown): unknown {
  if (typeof value === "string") return clip(value);
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(clipStrings);
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, clipStrings(item)]));
}

/** A logger that drops everything (library use and tests that don't care). */
export const silentLogger: Logger = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  withSecrets: () => silentLogger,
  child: () => silentLogger,
};
