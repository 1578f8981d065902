import { startEmbeddedGateway, type RunningServer } from '../../src/gateway';
import { configFromEnv } from '../../src/shared';
import { SourceQueryLog, type Sources } from '../../src/sources';
import { openTestSources } from './backends';

export interface EmbeddedTestServer extends RunningServer {
  sources: Sources;
  /** Every statement the sources executed, per source; reset it before the operation you measure. */
  queryLog: SourceQueryLog;
}

/** The embedded gateway on a free port over the seeded stores, with source statements counted. */
export async function startEmbeddedTestServer(): Promise<EmbeddedTestServer> {
  const queryLog = new SourceQueryLog();
  const sources = await openTestSources(queryLog);
  const server = await startEmbeddedGateway({ dataDir: configFromEnv().dataDir, port: 0, host: '127.0.0.1', sources });
  return {
    ...server,
    sources,
    queryLog,
    async close() {
      await server.close();
      await sources.close();
    },
  };
}
