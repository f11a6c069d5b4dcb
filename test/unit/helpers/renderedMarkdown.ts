// Renders Markdown the way VS Code's hovers do (marked, GitHub flavour) and reads back what a person would see.
import { marked } from 'marked';

export interface RenderedMarkdown {
  html: string;
  /** The visible text: tags dropped, <br> as newlines, entities decoded. */
  text: string;
  /** Every tag that is not a paragraph, a line break, bold or inline code: links, images, HTML, headings, lists… */
  unexpectedTags: string[];
  /** Entities left undecoded, which a renderer would turn into other characters. */
  strayEntities: string[];
}

const PLAIN_TAGS = new Set(['p', '/p', 'br', 'strong', '/strong', 'code', '/code']);
const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&nbsp;': ' ', '&amp;': '&' };

export function renderMarkdown(markdown: string): RenderedMarkdown {
  const html = marked.parse(markdown, { async: false, gfm: true }).trim();
  const unexpectedTags = [...html.matchAll(/<\s*(\/?[a-z0-9]+)[^>]*>/gi)].map((m) => m[1].toLowerCase()).filter((tag) => !PLAIN_TAGS.has(tag));
  const withoutTags = html
    .replace(/<br\s*\/?>\n?/g, '\n')
    .replace(/<\/p>\s*<p>/g, '\n\n')
    .replace(/<[^>]+>/g, '');
  const strayEntities = [...withoutTags.matchAll(/&(?!lt;|gt;|quot;|#39;|nbsp;|amp;)[#a-z0-9]+;/gi)].map((m) => m[0]);
  const text = withoutTags.replace(/&(?:lt|gt|quot|#39|nbsp|amp);/g, (e) => ENTITIES[e]);
  return { html, text, unexpectedTags, strayEntities };
}

/** What escaped text should show: controls dropped, tabs as spaces, line breaks kept, no trailing spaces. */
export function visibleForm(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex -- the point is to drop control characters
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g, '')
    .replace(/\t/g, ' ')
    .split(/\r?\n|\r/)
    .map((line) => line.replace(/ +$/, ''))
    .join('\n');
}

/** Server strings built to be read as Markdown, HTML, links and commands. */
export const HOSTILE_TEXTS = [
  '[click me](command:workbench.action.terminal.new)',
  '[x](command:datahub.transfers.clearFinished "title")',
  '<command:workbench.action.reloadWindow>',
  '&#91;x&#93;&#40;command:evil&#41; &lt;b&gt;',
  '<img src=x onerror=alert(1)><script>alert(2)</script>',
  '![image](https://evil.example/pixel.png)',
  'https://evil.example/a_b_c and www.evil.example',
  '# Heading\n- item\n1. item\n> quote\n---',
  '| a | b |\n|---|---|\n| c | d |',
  '    indented code\n```\nfenced\n```',
  '**bold** _em_ ~~del~~ `code` $(alert) :warning:',
  'trailing backslash \\',
  '[ref]: https://evil.example\n[ref]',
  '<!-- hidden --> a\u0000b\u001b[31mc\u0007',
];
