// Completion in a job's SQL: `$(` → built-in magic variables and the job's params; `table.` → that table's
// fields; elsewhere the job's table names, every field of its tables, keywords and functions.
import * as vscode from 'vscode';
import { MAGIC_VARIABLES } from '../../api/pandora/types';
import type { JobSourcesCache } from './jobSources';
import { SQL_FUNCTIONS, SQL_KEYWORDS, typingContext } from './sqlText';
import { sqlDocumentKey } from './uri';

const t = vscode.l10n.t;

export class PandoraSqlCompletion implements vscode.CompletionItemProvider {
  static readonly triggerCharacters = ['.', '('];

  constructor(private readonly sources: JobSourcesCache) {}

  async provideCompletionItems(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.CompletionItem[] | undefined> {
    const key = sqlDocumentKey(doc.uri);
    if (key === undefined) return undefined;
    const text = doc.getText();
    const typing = typingContext(text, doc.offsetAt(position));
    if (typing.kind === 'none') return undefined;
    const { tables, params } = await this.sources.of(key);
    const range = new vscode.Range(doc.positionAt(typing.start), position);
    const items: vscode.CompletionItem[] = [];

    if (typing.kind === 'variable') {
      // The closing parenthesis is added unless it is already there.
      const close = text[doc.offsetAt(position)] === ')' ? '' : ')';
      for (const name of MAGIC_VARIABLES) items.push(item(name, vscode.CompletionItemKind.Variable, t('built-in · the time of the run'), range, `${name}${close}`, order(0, items.length)));
      for (const p of params) items.push(item(p.name, vscode.CompletionItemKind.Variable, t('param · default “{0}”', p.default), range, `${p.name}${close}`, order(0, items.length)));
      return items;
    }

    if (typing.kind === 'member') {
      const table = tables.find((tb) => tb.tableName === typing.qualifier);
      if (!table) return undefined;
      return table.fields.map((f, i) => item(f.key, vscode.CompletionItemKind.Field, `${f.valtype} · ${table.tableName}`, range, f.key, order(0, i)));
    }

    // Only a `(` after `$` asks for completion; any other `(` is a call or a group.
    if (typing.prefix === '' && text[doc.offsetAt(position) - 1] === '(') return undefined;
    for (const table of tables) {
      const from = table.type === 'Job' ? t('table · job {0}', table.source) : t('table · datasource {0}', table.source);
      items.push(item(table.tableName, vscode.CompletionItemKind.Class, from, range, table.tableName, order(1, items.length)));
    }
    const seen = new Set<string>();
    for (const table of tables)
      for (const f of table.fields) {
        // A field two tables share is offered qualified the second time, so that each table's stays reachable.
        const label = seen.has(f.key) ? `${table.tableName}.${f.key}` : f.key;
        seen.add(f.key);
        items.push(item(label, vscode.CompletionItemKind.Field, `${f.valtype} · ${table.tableName}`, range, label, order(0, items.length)));
      }
    for (const f of SQL_FUNCTIONS) items.push(item(f, vscode.CompletionItemKind.Function, undefined, range, `${f}(`, order(2, items.length)));
    for (const k of SQL_KEYWORDS) items.push(item(k, vscode.CompletionItemKind.Keyword, undefined, range, k, order(3, items.length)));
    return items;
  }
}

/** Fields first in schema order, then tables, functions, keywords (VS Code sorts by this text). */
function order(group: number, index: number): string {
  return `${group}_${String(index).padStart(5, '0')}`;
}

function item(label: string, kind: vscode.CompletionItemKind, detail: string | undefined, range: vscode.Range, insertText: string, sortText: string): vscode.CompletionItem {
  const completion = new vscode.CompletionItem(label, kind);
  completion.detail = detail;
  completion.range = range;
  completion.insertText = insertText;
  completion.sortText = sortText;
  return completion;
}
