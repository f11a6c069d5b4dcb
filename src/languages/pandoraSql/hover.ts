// Hover in a job's SQL: a field's type and table, a table's source and fields, a variable's meaning or default,
// and over SELECT the output schema (as last inferred, else as the backend keeps it with the job). Built as
// text tooltips: names and values from the server are never read as Markdown.
import * as vscode from 'vscode';
import { MAGIC_VARIABLES, type SchemaField } from '../../api/pandora/types';
import { textTooltip, type TooltipRow } from '../../providers/tooltips';
import type { PandoraSqlDiagnostics } from './diagnostics';
import type { JobSourcesCache } from './jobSources';
import { identifierAt, inLiteralOrComment } from './sqlText';
import { keyText, sqlDocumentKey } from './uri';

const t = vscode.l10n.t;

export class PandoraSqlHover implements vscode.HoverProvider {
  constructor(
    private readonly sources: JobSourcesCache,
    private readonly diagnostics: PandoraSqlDiagnostics,
  ) {}

  async provideHover(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const key = sqlDocumentKey(doc.uri);
    if (key === undefined) return undefined;
    const text = doc.getText();
    const id = identifierAt(text, doc.offsetAt(position));
    if (!id) return undefined;
    const range = new vscode.Range(doc.positionAt(id.start), doc.positionAt(id.end));
    const sources = await this.sources.of(key);
    const job = 'job' in key ? key.job : sources.job.name || t('(new job)');
    const hover = (title: string, rows: readonly TooltipRow[], paragraphs: readonly string[] = []): vscode.Hover => new vscode.Hover(textTooltip(title, rows, paragraphs), range);

    if (id.variable) {
      const param = sources.params.find((p) => p.name === id.name);
      const title = `$(${id.name})`;
      if (param) return hover(title, [[t('param of job {0}', job), param.default, 'code']], [t('The Start dialog can set it for a run.')]);
      if ((MAGIC_VARIABLES as readonly string[]).includes(id.name)) return hover(title, [], [t('Built-in variable: the time of the run unless set when starting.')]);
      return hover(title, [], [t('Not a variable of job {0}.', job)]);
    }
    if (inLiteralOrComment(text, id.start)) return undefined;

    if (id.name.toUpperCase() === 'SELECT') {
      const output = this.diagnostics.outputOf(keyText(key), sources);
      return output?.length ? hover(t('Output schema of {0}', job), fieldRows(output)) : undefined;
    }
    const table = sources.tables.find((tb) => tb.tableName === id.name);
    if (table && !id.qualifier) return hover(`${table.tableName} — ${table.type === 'Job' ? t('output of job {0}', table.source) : t('datasource {0}', table.source)}`, fieldRows(table.fields));
    const owners = sources.tables.filter((tb) => !id.qualifier || tb.tableName === id.qualifier).flatMap((tb) => tb.fields.filter((f) => f.key === id.name).map((f) => ({ table: tb.tableName, field: f })));
    if (owners.length === 0) return undefined;
    const rows: TooltipRow[] = owners.flatMap(({ table: owner, field }): TooltipRow[] => [[t('type'), field.valtype, 'code'], [t('field of'), owner], [t('required'), field.required ? t('yes') : undefined]]);
    return hover(id.name, rows);
  }
}

function fieldRows(fields: readonly SchemaField[]): TooltipRow[] {
  return fields.length ? fields.map((f): TooltipRow => [f.key, f.valtype, 'code']) : [[t('(no fields)'), ' ']];
}
