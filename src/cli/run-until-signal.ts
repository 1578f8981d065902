/**
 * Keeps a server up until SIGINT or SIGTERM, then shuts it down gracefully with its own close(): stop
 * accepting connections, /readyz answers 503, in-flight operations finish (bounded by the drain timeout),
 * then Apollo, the source pools, the cache and the model sessions close. A second signal exits at once.
 */
export function runUntilSignal(server: { close(): Promise<void> }, log: (line: string) => void = (line) => console.log(line)): Promise<void> {
  return new Promise<void>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        log(`${signal} again: exiting without waiting for the drain`);
        process.exit(1);
      }
      stopping = true;
      log(`${signal}: draining in-flight requests, then closing`);
      const started = Date.now();
      server.close().then(
        () => {
          log(`shut down in ${Date.now() - started} ms`);
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          resolve();
        },
        (error: unknown) => {
          log(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
          resolve();
        },
      );
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
