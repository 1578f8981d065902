/**
 * What a server sets for the whole process starts with the server and ends with it: the source guards'
 * call reports reach the metrics while at least one server runs, once per call however many servers run.
 */
import type { ApolloServerPlugin, GraphQLServerListener } from '@apollo/server';
import { processMetrics } from '../../../src/observability';
import { emitSourceCall } from '../../../src/sources/resilience';
import { useProcessObservability } from '../../../src/gateway/plugins/use-process-observability';

async function observedCalls(): Promise<number> {
  const values = (await processMetrics().sourceCallDuration.get()).values;
  return values
    .filter((v) => v.metricName === 'fusion_source_call_duration_seconds_count' && v.labels.source === 'process-observability-test')
    .reduce((n, v) => n + v.value, 0);
}
const call = () => emitSourceCall({ source: 'process-observability-test', operation: 'probe', durationMs: 1, outcome: 'ok', attempt: 1 });
const start = async (plugin: ApolloServerPlugin): Promise<GraphQLServerListener> => (await plugin.serverWillStart!({} as any)) as GraphQLServerListener;

test('source calls are observed while a server runs, once each with two servers, not at all after both stop', async () => {
  const before = await observedCalls();
  call();
  expect(await observedCalls()).toBe(before); // no server: nobody observes (the factory alone changed nothing)

  const first = await start(useProcessObservability({ logLevel: 'info' }));
  const second = await start(useProcessObservability({ logLevel: 'info' }));
  call();
  expect(await observedCalls()).toBe(before + 1);

  await first.serverWillStop!();
  call();
  expect(await observedCalls()).toBe(before + 2);

  await second.serverWillStop!();
  call();
  expect(await observedCalls()).toBe(before + 2);
});
