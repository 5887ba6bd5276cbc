/** A tiny leveled logger to stderr: one line per request at info, problems at warn/error. */
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

export function createLogger(level: LogLevel, write: (line: string) => void = (l) => process.stderr.write(l + "\n")): Logger {
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
