/** A tiny leveled logger to stderr: one line per request at info, problems at warn/error. */
import { writeSync } from "node:fs";

const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: 100 } as const;
export type LogLevel = keyof typeof LEVELS;

export interface Logger {
  level: LogLevel;
  enabled(l: LogLevel): boolean;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string, err?: unknown): void;
  debug(msg: string): void;
}

let pending = "";
let scheduled = false;
let exitHook = false;
const flush = () => {
  scheduled = false;
  if (pending === "") return;
  const out = pending;
  pending = "";
  process.stderr.write(out);
};
/**
 * Lines go to stderr together, one write per turn of the event loop (or per 64 KiB) instead of one per line: at
 * info every request logs a line, and a write each cost a system call per request. What is pending at exit is
 * written synchronously.
 */
function toStderr(line: string): void {
  pending += `${line}\n`;
  if (!exitHook) {
    exitHook = true;
    process.once("exit", () => {
      if (pending === "") return;
      try {
        writeSync(2, pending);
      } catch {
        // stderr closed: nothing to tell.
      }
      pending = "";
    });
  }
  if (pending.length >= 65536) flush();
  else if (!scheduled) {
    scheduled = true;
    setImmediate(flush);
  }
}

export function createLogger(level: LogLevel, write: (line: string) => void = toStderr): Logger {
  const min = LEVELS[level] ?? LEVELS.info;
  const emit = (l: LogLevel, msg: string) => {
    if (LEVELS[l] >= min) write(`${new Date().toISOString()} ${l.toUpperCase().padEnd(5)} ${msg}`);
  };
  return {
    level,
    enabled: (l) => LEVELS[l] >= min,
    info: (m) => emit("info", m),
    warn: (m) => emit("warn", m),
    debug: (m) => emit("debug", m),
    error: (m, err) => emit("error", err instanceof Error ? `${m}: ${err.stack ?? err.message}` : m),
  };
}
