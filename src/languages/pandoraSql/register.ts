// Wires Pandora SQL documents: the datahub-pandora file system, the pandora-sql language (set on every job
// document), completion, hover, diagnostics, CodeLens, and the commands Open SQL in Editor, Infer Schema, Save Job.
import * as vscode from 'vscode';
import type { PandoraClient } from '../../api/pandora/client';
import type { CommandRegistry } from '../../platform/commands';
import { INFER_COMMAND, PandoraSqlCodeLens, SAVE_COMMAND } from './codeLens';
import { PandoraSqlCompletion } from './completion';
import { ConflictResolver, SERVER_SNAPSHOT_SCHEME } from './conflict';
import { PandoraSqlDiagnostics } from './diagnostics';
import { PandoraSqlFileSystem } from './fileSystem';
import { PandoraSqlHover } from './hover';
import { JobSourcesCache } from './jobSources';
import { NewJobDocuments } from './newJobs';
import { jobNameOf, jobSqlUri, PANDORA_SQL_LANGUAGE, PANDORA_SQL_SCHEME, sqlDocumentKey } from './uri';

export interface PandoraSqlDeps {
  client: PandoraClient;
  commands: CommandRegistry;
  subscriptions: vscode.Disposable[];
  /** The appId sent to /dag/schemaInfer. */
  appId(): Promise<string>;
  /** A job name from a tree node or a string, else a quick pick. */
  pickJob(arg: unknown): Promise<string>;
  refreshTree(): void;
}

/** Opens the SQL of `job` as a document of its own (datahub-pandora:/jobs/<job>.sql), or a new job's document. */
export async function openJobSql(job: string | vscode.Uri, column = vscode.ViewColumn.Active): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(typeof job === 'string' ? jobSqlUri(job) : job);
  const typed = doc.languageId === PANDORA_SQL_LANGUAGE ? doc : await vscode.languages.setTextDocumentLanguage(doc, PANDORA_SQL_LANGUAGE);
  return vscode.window.showTextDocument(typed, { viewColumn: column, preview: false });
}

/** What the area hands on of the SQL documents: the save-conflict question (the testing API answers it), new jobs' documents. */
export interface PandoraSql {
  conflicts: ConflictResolver;
  newJobs: NewJobDocuments;
}

export function activatePandoraSql(deps: PandoraSqlDeps): PandoraSql {
  const { client, commands, subscriptions } = deps;
  const newJobs = new NewJobDocuments();
  const sources = new JobSourcesCache(client, () => deps.appId(), Date.now, newJobs);
  const conflicts = new ConflictResolver();
  const diagnostics = new PandoraSqlDiagnostics(client, sources);
  const fileSystem = new PandoraSqlFileSystem(
    client,
    conflicts,
    newJobs,
    (job) => {
      sources.invalidate(job);
      deps.refreshTree();
    },
    // A save the backend refused (E18209 for SQL it cannot infer): the inference says where, as after a save.
    (uri) => {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (doc) void diagnostics.infer(doc);
    },
  );
  const codeLens = new PandoraSqlCodeLens(diagnostics);
  const selector: vscode.DocumentSelector = [{ scheme: PANDORA_SQL_SCHEME }];
  /** A job's SQL or a new job's: the documents the language features serve. */
  const isJobDoc = (doc: vscode.TextDocument): boolean => sqlDocumentKey(doc.uri) !== undefined;

  /** Job documents and the server snapshots of a conflict are Pandora SQL whatever opened them. */
  const typeDocument = (doc: vscode.TextDocument): void => {
    if ((doc.uri.scheme === PANDORA_SQL_SCHEME || doc.uri.scheme === SERVER_SNAPSHOT_SCHEME) && doc.languageId !== PANDORA_SQL_LANGUAGE) void vscode.languages.setTextDocumentLanguage(doc, PANDORA_SQL_LANGUAGE);
    else if (isJobDoc(doc)) void diagnostics.checkVariables(doc);
  };

  subscriptions.push(
    conflicts,
    fileSystem,
    diagnostics,
    codeLens,
    vscode.workspace.registerFileSystemProvider(PANDORA_SQL_SCHEME, fileSystem, { isCaseSensitive: true }),
    vscode.workspace.registerTextDocumentContentProvider(SERVER_SNAPSHOT_SCHEME, conflicts),
    vscode.languages.registerCompletionItemProvider(selector, new PandoraSqlCompletion(sources), ...PandoraSqlCompletion.triggerCharacters),
    vscode.languages.registerHoverProvider(selector, new PandoraSqlHover(sources, diagnostics)),
    vscode.languages.registerCodeLensProvider(selector, codeLens),
    vscode.workspace.onDidOpenTextDocument(typeDocument),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (isJobDoc(e.document) && e.contentChanges.length) void diagnostics.checkVariables(e.document);
    }),
    vscode.workspace.onDidSaveTextDocument((doc) => {
      if (isJobDoc(doc)) void diagnostics.infer(doc);
    }),
    vscode.workspace.onDidCloseTextDocument((doc) => {
      if (isJobDoc(doc)) diagnostics.forget(doc.uri);
    }),
  );
  for (const doc of vscode.workspace.textDocuments) typeDocument(doc);

  const documentOf = async (arg: unknown): Promise<vscode.TextDocument> => {
    const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
    if (!uri || sqlDocumentKey(uri) === undefined) throw new Error(vscode.l10n.t('Open the SQL of a Pandora job first (Open SQL in Editor on a job).'));
    return vscode.workspace.openTextDocument(uri);
  };

  commands.register('datahub.pandora.openSql', async (arg?: unknown) => {
    const job = await deps.pickJob(arg);
    return (await openJobSql(job)).document.uri.toString();
  });
  commands.register(INFER_COMMAND, async (arg?: unknown) => {
    const doc = await documentOf(arg);
    const job = jobNameOf(doc.uri);
    if (job !== undefined) sources.invalidate(job);
    return diagnostics.infer(doc);
  });
  commands.register(SAVE_COMMAND, async (arg?: unknown) => {
    const doc = await documentOf(arg);
    // An unchanged document has nothing to write: Save Job then only checks the SQL again.
    if (!doc.isDirty) return diagnostics.infer(doc).then(() => true);
    return doc.save();
  });
  return { conflicts, newJobs };
}
