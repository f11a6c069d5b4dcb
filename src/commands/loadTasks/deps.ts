// What the load task and connector commands work with: the ingest client, the questions, both views, remembered answers.
import type * as vscode from 'vscode';
import type { IngestClient } from '../../api/ingest/client';
import type { Notifier } from '../../platform/notifications';
import type { Prompts } from '../../platform/prompts';
import type { ConnectorsTreeProvider } from '../../providers/connectorsTree';
import type { LoadTasksTreeProvider } from '../../providers/loadTasksTree';

export interface IngestCommandDeps {
  client: IngestClient;
  prompts: Prompts;
  notifier: Notifier;
  connectorsTree: ConnectorsTreeProvider;
  loadTasksTree: LoadTasksTreeProvider;
  /** globalState: the last volume id is remembered and prefilled. */
  state: vscode.Memento;
}
