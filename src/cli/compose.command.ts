import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { printSchema } from 'graphql';
import { composeSupergraph } from '../gateway';
import { buildAllSubgraphs, SUBGRAPH_NAMES } from '../subgraphs';
import { UsageError, type CommandHelp } from './command-help';

export const COMPOSE_HELP: CommandHelp = {
  summary: 'writes the supergraph SDL (for a federation router) and the client API schema',
  usage: `Usage: fusion-gateway compose [--out FILE] [--api-schema FILE] [--url SUBGRAPH=URL ...]

  --out FILE         the supergraph SDL for Apollo Router, Hive Gateway or @apollo/gateway (default supergraph.graphql)
  --api-schema FILE  the client-facing schema (default schema.graphql)
  --url NAME=URL     where a subgraph service listens (default http://localhost:4001/graphql for users, 4002
                     products, 4003 orders, 4004 quality, 4005 scoring); repeat for each`,
};

export const DEFAULT_SUBGRAPH_PORTS: Record<string, number> = { users: 4001, products: 4002, orders: 4003, quality: 4004, scoring: 4005 };

/**
 * `compose [--out supergraph.graphql] [--api-schema schema.graphql] [--url users=http://host:4001/graphql ...]`:
 * composes the three subgraphs (@apollo/composition) and writes the supergraph SDL for a router,
 * plus the client-facing API schema (what codegen types the operations against).
 */
export async function composeCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string', default: 'supergraph.graphql' },
      'api-schema': { type: 'string', default: 'schema.graphql' },
      url: { type: 'string', multiple: true, default: [] },
    },
  });
  const urls: Record<string, string> = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, `http://localhost:${DEFAULT_SUBGRAPH_PORTS[name]}/graphql`]));
  for (const entry of values.url) {
    const [name, url] = entry.split('=', 2);
    if (!SUBGRAPH_NAMES.includes(name as never) || !url) throw new UsageError(`--url must be <subgraph>=<url>, got "${entry}"`);
    urls[name] = url;
  }
  const composed = composeSupergraph(await buildAllSubgraphs(), urls);
  for (const hint of composed.hints) console.warn(`composition hint: ${hint}`);
  fs.writeFileSync(path.resolve(values.out), composed.supergraphSdl.endsWith('\n') ? composed.supergraphSdl : `${composed.supergraphSdl}\n`);
  fs.writeFileSync(path.resolve(values['api-schema']), `${printSchema(composed.apiSchema)}\n`);
  console.log(
    `Wrote ${values.out} (routing ${Object.entries(urls)
      .map(([n, u]) => `${n} → ${u}`)
      .join(', ')}) and ${values['api-schema']}`,
  );
  return 0;
}
