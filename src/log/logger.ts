import { pino, type DestinationStream, type LogFn, type Logger } from 'pino';
import { redactSecretsDeep } from './redact-secrets.js';
import { scrubSecretsInText } from './secret-keys.js';

/** The log levels mpgate accepts (pino's, plus `silent`). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Options of createLogger; `level` and `content` match the `logging` config section. */
export interface CreateLoggerOptions {
  /** Default `info`. */
  level?: LogLevel;
  /** Log follower content (messages, answers) as-is. Default false: only its length is logged. */
  content?: boolean;
  /** Where JSON lines go; default stdout. */
  destination?: DestinationStream;
  /** Added to every line as `name`. */
  name?: string;
}

/**
 * A pino logger that never writes a secret: every object logged (merge objects, child bindings,
 * errors with their causes, extra arguments) is copied with secret-named keys replaced by
 * `[redacted]` at any depth, and secrets inside strings (URL credentials, `access_token=`/`secret=`
 * parameters, Bearer values, Dify keys) are scrubbed, message included. Unless `content` is true,
 * follower content under CONTENT_LOG_KEYS is replaced by `[content hidden, N chars]`.
 */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const hideContent = options.content !== true;
  const clean = (value: object): Record<string, unknown> => redactSecretsDeep(value, { hideContent }) as Record<string, unknown>;
  const cleanArgument = (value: unknown): unknown =>
    typeof value === 'string' ? scrubSecretsInText(value) : typeof value === 'object' && value !== null ? clean(value) : value;

  // pino's own `redact` option matches fixed paths only (`*.token` is exactly one level deep), and
  // wildcard paths cost ~75 µs per line at four levels; one copying walk covers any depth for less.
  const logger = pino(
    {
      level: options.level ?? 'info',
      ...(options.name === undefined ? {} : { name: options.name }),
      timestamp: pino.stdTimeFunctions.isoTime,
      // Errors were already turned into redacted plain objects by formatters.log.
      serializers: { err: (value: unknown) => value },
      formatters: { log: clean, bindings: clean },
      hooks: {
        logMethod(args, method) {
          const [first, ...rest] = args as unknown[];
          if (typeof first === 'string') {
            return method.apply(this, [scrubSecretsInText(first), ...rest.map(cleanArgument)] as Parameters<LogFn>);
          }
          // pino takes the message from the error when none is given; pass it explicitly so it is scrubbed.
          const message = rest[0] ?? messageOfError(first);
          const tail = message === undefined ? rest : [message, ...rest.slice(1)];
          return method.apply(this, [first, ...tail.map(cleanArgument)] as Parameters<LogFn>);
        },
      },
    },
    options.destination ?? pino.destination(1),
  );
  // pino does not pass child bindings through formatters.bindings, so clean them on the way in.
  // Children inherit these own properties through their prototype chain.
  const child = logger.child;
  const setBindings = logger.setBindings;
  logger.child = function (this: Logger, bindings, childOptions) {
    return child.call(this, clean(bindings), childOptions);
  } as Logger['child'];
  logger.setBindings = function (this: Logger, bindings) {
    setBindings.call(this, clean(bindings));
  };
  return logger;
}

function messageOfError(merge: unknown): string | undefined {
  if (merge instanceof Error) return merge.message;
  if (typeof merge !== 'object' || merge === null) return undefined;
  const record = merge as { msg?: unknown; err?: unknown };
  return record.msg === undefined && record.err instanceof Error ? record.err.message : undefined;
}
