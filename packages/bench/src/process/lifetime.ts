/** The argument that bounds a child process's life: `--lifetime-ms=N`. */
export const LIFETIME_ARG = '--lifetime-ms=' as const;

export const lifetimeArg = (ms: number): string => `${LIFETIME_ARG}${Math.round(ms)}`;

/**
 * Exits the process after the lifetime given in `argv` (if any), whatever it is doing: the last
 * bound on every loop of a benchmark child, should its orchestrator hang without dying.
 */
export function exitAfterLifetime(argv: readonly string[]): void {
  const arg = argv.find((value) => value.startsWith(LIFETIME_ARG));
  const ms = arg === undefined ? Number.NaN : Number(arg.slice(LIFETIME_ARG.length));
  if (!(ms > 0)) return;
  setTimeout(() => {
    process.stderr.write(`bench child ${process.pid}: lifetime of ${ms} ms reached, exiting\n`);
    process.exit(2);
  }, ms).unref();
}
