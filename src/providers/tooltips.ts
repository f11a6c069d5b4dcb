// The one way tree tooltips are built: a bold title and "label: value" rows, every piece of text escaped.
import * as vscode from 'vscode';
import { escapeMarkdownText, markdownCodeSpan } from './markdownText';

/** A row of a tooltip: its label, its value (rows without a value are left out), and whether it is an id shown as code. */
export type TooltipRow = readonly [label: string, value: string | number | undefined] | readonly [label: string, value: string | number | undefined, style: 'code'];

/**
 * A MarkdownString tooltip built only from text (server strings, file names, translated labels): nothing in them is
 * interpreted as Markdown, HTML, a link, a command or a theme icon, and the string is not trusted.
 */
export function textTooltip(title: string, rows: readonly TooltipRow[] = [], paragraphs: readonly string[] = []): vscode.MarkdownString {
  const parts: string[] = [];
  const heading = escapeMarkdownText(title.trim());
  if (heading) parts.push(`**${heading}**`);
  for (const [label, value, style] of rows) {
    if (value === undefined || value === '') continue;
    const text = String(value);
    parts.push(`${escapeMarkdownText(label)}: ${style === 'code' ? markdownCodeSpan(text) : escapeMarkdownText(text)}`);
  }
  for (const paragraph of paragraphs) if (paragraph) parts.push(escapeMarkdownText(paragraph));
  const md = new vscode.MarkdownString(parts.join('\n\n'), false);
  md.isTrusted = false;
  md.supportHtml = false;
  return md;
}
