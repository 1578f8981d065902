import type { ApolloServerPlugin } from '@apollo/server';
import type { LogLevel } from '../../config/observability-config';
import { configureLogger } from '../../observability';
import { startObservingSourceCalls } from './use-metrics';

/**
 * What a server sets for the whole process while it runs: the log level, and the source guards' call reports
 * fed to the metrics and traces. Set when the server starts, released when it stops; several
 * servers in one process share the observers (each call is counted once).
 */
export function useProcessObservability(options: { logLevel: LogLevel }): ApolloServerPlugin {
  return {
    async serverWillStart() {
      configureLogger({ level: options.logLevel });
      const stopObserving = startObservingSourceCalls();
      return {
        async serverWillStop() {
          stopObserving();
        },
      };
    },
  };
}
