// The connector a command acts on: the tree node's, or one picked from the list.
import type { IngestClient } from '../../api/ingest/client';
import type { Connector } from '../../api/ingest/types';
import type { Prompts } from '../../platform/prompts';
import { isConnectorNode } from '../../providers/connectorsTree';
import { pickConnector } from '../loadTasks/pickers';

export async function connectorOf(deps: { client: IngestClient; prompts: Prompts }, node: unknown, title: string): Promise<Connector | undefined> {
  if (isConnectorNode(node)) return node.connector;
  return pickConnector(deps.client, deps.prompts, title);
}
