// Markdown for answers: marked (GFM) to HTML, code highlighted by highlight.js, then sanitized by DOMPurify. Raw HTML in
// the model's text is shown as text, never parsed; DOMPurify is the second line (it drops scripts, event handler
// attributes and javascript: URLs). Pure: it needs only a window for DOMPurify (the webview's, or jsdom's in tests).
import createDOMPurify from 'dompurify';
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import css from 'highlight.js/lib/languages/css';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';
import { Marked, type Tokens } from 'marked';

const LANGUAGES = { bash, c, cpp, csharp, css, go, java, javascript, json, python, rust, sql, typescript, xml, yaml };
for (const [name, language] of Object.entries(LANGUAGES))
  if (!hljs.getLanguage(name)) hljs.registerLanguage(name, language);

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** The fence's language as highlight.js knows it (aliases such as py, ts, sh, html), or undefined. */
export function knownLanguage(info: string | undefined): string | undefined {
  const name = (info ?? '').trim().split(/\s+/)[0]?.toLowerCase();
  return name && hljs.getLanguage(name) ? name : undefined;
}

export interface Markdown {
  /** Sanitized HTML for a Markdown text. */
  render(markdown: string): string;
}

export function createMarkdown(window: Window & typeof globalThis): Markdown {
  const purify = createDOMPurify(window);
  // Links open outside the webview; they never carry the opener.
  purify.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName === 'A') node.setAttribute('rel', 'noopener noreferrer');
  });
  const marked = new Marked({
    gfm: true,
    async: false,
    renderer: {
      // Raw HTML from the model is text, not markup.
      html: (token: Tokens.HTML | Tokens.Tag) => escapeHtml(token.text),
      code: (token: Tokens.Code) => {
        const lang = knownLanguage(token.lang);
        const body = lang
          ? hljs.highlight(token.text, { language: lang, ignoreIllegals: true }).value
          : escapeHtml(token.text);
        const label = escapeHtml((token.lang ?? '').trim().split(/\s+/)[0] ?? '');
        return `<pre data-lang="${label}"><code class="hljs${lang ? ` language-${lang}` : ''}">${body}</code></pre>\n`;
      },
    },
  });
  return {
    render(markdown: string): string {
      const html = marked.parse(markdown, { async: false });
      return purify.sanitize(html, {
        USE_PROFILES: { html: true },
        FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe'],
        FORBID_ATTR: ['style'],
      });
    },
  };
}
