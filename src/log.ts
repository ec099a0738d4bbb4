/**
 * Logging: consola, always to stderr — in stdio mode stdout is the MCP protocol and a single stray
 * byte breaks the client. `LOG_FORMAT=json` gives one JSON object per line (time, level, msg, fields).
 * Every line passes through redaction, including any secret values a logger was told about.
 *
 * Call style: `log.info("message", { field: value })`.
 */
import { createConsola, type ConsolaInstance, type LogObject } from "consola";
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

function formatLine(format: LogFormat, entry: LogObject, msg: string, fields: Fields, secrets: string[]): string {
  const level = LEVEL_NAME[entry.level] ?? "info";
  const time = entry.date.toISOString();
  const cleanMsg = redactText(msg, secrets);
  const cleanFields = redact(fields, secrets) as Fields;
  if (format === "json") {
    return `${JSON.stringify({ time, level, msg: cleanMsg, ...cleanFields })}\n`;
  }
  const pairs = Object.entries(cleanFields)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`);
  return `${time} ${level.toUpperCase().padEnd(5)} ${cleanMsg}${pairs.length ? ` ${pairs.join(" ")}` : ""}\n`;
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
