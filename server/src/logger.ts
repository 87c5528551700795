// The log: pino, one JSON object per line in production (NODE_ENV=production), readable lines
// otherwise; level from LOG_LEVEL. Lines go to stdout, except in a CLI whose stdout carries its
// results (logToStderr). README: Logs.
import { pino, type Logger } from 'pino';
import { prettyFactory } from 'pino-pretty';
import { config, type Config } from './config.ts';

export type { Logger };

/** Anything that takes whole log lines: a stream, or a test collecting them. */
export interface LogDestination {
  write(line: string): unknown;
}

/** Formats each JSON line for a person; colours only on a terminal (npm start piped stays plain). */
function readable(destination: LogDestination & { isTTY?: boolean }): LogDestination {
  const options = { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', singleLine: true };
  const plain = prettyFactory({ ...options, colorize: false });
  const coloured = prettyFactory({ ...options, colorize: true });
  return { write: (line) => destination.write((destination.isTTY ? coloured : plain)(line)) };
}

export function createLogger(options: {
  level: Config['logLevel'];
  json: boolean;
  destination: LogDestination & { isTTY?: boolean };
}): Logger {
  return pino(
    {
      level: options.level,
      // "level":"warn" rather than 40: readable without the table.
      formatters: { level: (label) => ({ level: label }) },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.json ? options.destination : readable(options.destination),
  );
}

/** Switchable, so a CLI can move the lines off stdout after the logger exists. */
const output = {
  stream: process.stdout as NodeJS.WriteStream,
  write(line: string) {
    return this.stream.write(line);
  },
  get isTTY() {
    return this.stream.isTTY;
  },
};

// As with console.log: a reader that went away (npm start | head) must not bring the process down.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});

/** Sends this process's log lines to stderr: for CLIs that print their results on stdout. */
export function logToStderr(): void {
  output.stream = process.stderr;
}

/** This process's logger. */
export const logger: Logger = createLogger({
  level: config.logLevel,
  json: config.production,
  destination: output,
});
