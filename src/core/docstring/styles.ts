import type { Definition, DocLanguage, DocStyle, Param, PythonStyle } from './types';

/** How one comment convention opens, closes, marks its lines and names parameters. */
export interface StyleSpec {
  style: DocStyle;
  /** What the prompt's prefix ends with after the indentation: the opening delimiter (and any seeded words). */
  open(indent: string, eol: string): string;
  /** What the suffix starts with, before the line break that leads to the code. */
  close(indent: string, eol: string): string;
  /** Stop strings for generation (besides the FIM end token). */
  stopStrings: string[];
  /** Raw output is cut where one of these appears. */
  closing: string[];
  /** Continuation lines of line comments must start with this marker (else the comment has ended and code follows). */
  lineMarker?: { re: RegExp; required: boolean };
  /** Words the content starts with, given to the model in the prompt (Go: the name; Doxygen: @brief). */
  seed(def: Definition): string;
  /** Whether the content already documents a parameter. */
  documents(lines: readonly string[], name: string): boolean;
  /** Adds entries for missing parameters in the convention's own format. */
  addParams(lines: readonly string[], missing: readonly Param[]): string[];
  /** The content (one string per line, relative indentation in spaces) as a finished comment, one line per line. */
  render(lines: readonly string[], indent: string, unit: string): string[];
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const bare = (name: string) => esc(name.replace(/^\.{3}|^\*{1,2}/, ''));
const isBlank = (s: string) => s.trim() === '';
const indentOf = (s: string) => /^ */.exec(s)![0].length;

/** Indentation of relative content: in tab-indented files, spaces in groups of four become tabs. */
export function reindent(line: string, unit: string): string {
  if (unit !== '\t') return line;
  const lead = indentOf(line);
  return unit.repeat(Math.floor(lead / 4)) + ' '.repeat(lead % 4) + line.slice(lead);
}

/** Inserts `block` at `at`, with a blank line between it and text before or after it. */
function insertBlock(lines: readonly string[], at: number, block: readonly string[]): string[] {
  const before = lines.slice(0, at);
  const after = lines.slice(at);
  while (before.length && isBlank(before[before.length - 1]!)) before.pop();
  const out = [...before];
  if (out.length) out.push('');
  out.push(...block);
  if (after.length) out.push('', ...after.filter((l, i) => !(i === 0 && isBlank(l))));
  return out;
}

/** End of the section whose header is at `h`: the last line indented deeper than it, before trailing blanks. */
function sectionEnd(lines: readonly string[], h: number): number {
  let j = h + 1;
  while (j < lines.length && (isBlank(lines[j]!) || indentOf(lines[j]!) > indentOf(lines[h]!))) j++;
  while (j > h + 1 && isBlank(lines[j - 1]!)) j--;
  return j;
}

function lastIndex(lines: readonly string[], re: RegExp): number {
  for (let i = lines.length - 1; i >= 0; i--) if (re.test(lines[i]!)) return i;
  return -1;
}

/** Tag styles (JSDoc, Javadoc, Doxygen): after the last @param, else before the first other tag, else at the end. */
function addTagParams(lines: readonly string[], entries: string[]): string[] {
  const last = lastIndex(lines, /^\s*[@\\]param\b/);
  if (last >= 0) {
    let at = last + 1;
    while (at < lines.length && !isBlank(lines[at]!) && !/^\s*[@\\]\w/.test(lines[at]!)) at++;
    return [...lines.slice(0, at), ...entries, ...lines.slice(at)];
  }
  const tag = lines.findIndex((l) => /^\s*[@\\](?!brief\b)\w/.test(l));
  if (tag < 0) return insertBlock(lines, lines.length, entries);
  // Before the other tags (@returns, @throws), which follow the parameters without a blank line.
  const before = lines.slice(0, tag);
  while (before.length && isBlank(before[before.length - 1]!)) before.pop();
  return [...before, ...(before.length ? [''] : []), ...entries, ...lines.slice(tag)];
}

const PYTHON_OPEN = '"""';

function pythonSpec(style: PythonStyle): StyleSpec {
  const base = {
    style,
    open: () => PYTHON_OPEN,
    close: () => PYTHON_OPEN,
    stopStrings: ['"""', "'''"],
    closing: ['"""', "'''"],
    seed: () => '',
    render(lines: readonly string[], indent: string, u: string): string[] {
      const body = lines.map((l) => reindent(l, u));
      if (body.length === 1 && !body[0]!.endsWith('"')) return [`${indent}${PYTHON_OPEN}${body[0]}${PYTHON_OPEN}`];
      return [
        `${indent}${PYTHON_OPEN}${body[0] ?? ''}`,
        ...body.slice(1).map((l) => (l ? indent + l : '')),
        `${indent}${PYTHON_OPEN}`,
      ];
    },
  };
  const sp = ' '.repeat(4);
  switch (style) {
    case 'google':
      return {
        ...base,
        documents: (lines, name) =>
          lines.some((l) => new RegExp(`^\\s*\\**${bare(name)}\\s*(\\([^)]*\\))?\\s*:`).test(l)),
        addParams(lines, missing) {
          const entries = missing.map((p) => `${p.name}${p.type ? ` (${p.type})` : ''}: TODO.`);
          const h = lines.findIndex((l) => /^\s*(Args|Arguments|Parameters):\s*$/.test(l));
          if (h >= 0) {
            const at = sectionEnd(lines, h);
            const pad = ' '.repeat(indentOf(lines[h]!)) + sp;
            return [...lines.slice(0, at), ...entries.map((e) => pad + e), ...lines.slice(at)];
          }
          const other = lines.findIndex(
            (l, i) => i > 0 && /^\s*(Returns|Yields|Raises|Examples?|Notes?|Attributes|Todo|Warns?):\s*$/.test(l),
          );
          return insertBlock(lines, other >= 0 ? other : lines.length, ['Args:', ...entries.map((e) => sp + e)]);
        },
      };
    case 'numpy': {
      const isHeader = (lines: readonly string[], i: number) =>
        i + 1 < lines.length && /^\s*-{3,}\s*$/.test(lines[i + 1]!) && !isBlank(lines[i]!);
      return {
        ...base,
        documents: (lines, name) => lines.some((l) => new RegExp(`^\\s*\\**${bare(name)}\\s*(:.*)?$`).test(l)),
        addParams(lines, missing) {
          const entries = missing.flatMap((p) => [`${p.name}${p.type ? ` : ${p.type}` : ''}`, `${sp}TODO.`]);
          const h = lines.findIndex((l, i) => /^\s*Parameters\s*$/.test(l) && isHeader(lines, i));
          if (h >= 0) {
            let at = h + 2;
            while (at < lines.length && !isHeader(lines, at)) at++;
            while (at > h + 2 && isBlank(lines[at - 1]!)) at--;
            return [...lines.slice(0, at), ...entries, ...lines.slice(at)];
          }
          const other = lines.findIndex((l, i) => i > 0 && isHeader(lines, i));
          return insertBlock(lines, other >= 0 ? other : lines.length, ['Parameters', '----------', ...entries]);
        },
      };
    }
    case 'rest':
      return {
        ...base,
        documents: (lines, name) =>
          lines.some((l) => new RegExp(`:param\\s+(?:[^:\\s]+\\s+)?\\**${bare(name)}\\s*:`).test(l)),
        addParams(lines, missing) {
          const entries = missing.map((p) => `:param ${p.name}: TODO.`);
          const last = lastIndex(lines, /^\s*:(param|type)\b/);
          if (last >= 0) return [...lines.slice(0, last + 1), ...entries, ...lines.slice(last + 1)];
          const other = lines.findIndex((l, i) => i > 0 && /^\s*:(returns?|rtype|raises?|yields?)\b/.test(l));
          if (other >= 0) return [...lines.slice(0, other), ...entries, ...lines.slice(other)];
          return insertBlock(lines, lines.length, entries);
        },
      };
  }
}

const TAG_DOCUMENTS = (lines: readonly string[], name: string) =>
  lines.some((l) =>
    new RegExp(`[@\\\\]param(?:\\[[^\\]]*\\])?\\s+(?:\\{[^}]*\\}\\s+)?\\[?(?:\\.{3})?${bare(name)}\\b`).test(l),
  );

function blockSpec(style: 'jsdoc' | 'javadoc' | 'doxygen'): StyleSpec {
  return {
    style,
    open: (indent, eol) => `/**${eol}${indent} * `,
    close: (indent, eol) => `${eol}${indent} */`,
    stopStrings: ['*/'],
    closing: ['*/', '/**'],
    lineMarker: { re: /^\s*\*(?!\/) ?/, required: false },
    seed: () => (style === 'doxygen' ? '@brief ' : ''),
    documents: TAG_DOCUMENTS,
    addParams: (lines, missing) =>
      addTagParams(
        lines,
        missing.map((p) => `@param ${p.name} TODO.`),
      ),
    render: (lines, indent, unit) => [
      `${indent}/**`,
      ...lines.map((l) => (l ? `${indent} * ${reindent(l, unit)}` : `${indent} *`)),
      `${indent} */`,
    ],
  };
}

function lineSpec(style: 'godoc' | 'rustdoc', marker: string): StyleSpec {
  return {
    style,
    open: () => `${marker} `,
    close: () => '',
    stopStrings: [],
    closing: [],
    lineMarker: { re: new RegExp(`^\\s*${esc(marker)}(?!/) ?`), required: true },
    seed: (def) => (style === 'godoc' ? `${def.name} ` : ''),
    documents:
      style === 'godoc'
        ? (lines, name) =>
            lines
              .join('\n')
              .replace(/^\S+/, '')
              .match(new RegExp(`\\b${bare(name)}\\b`)) !== null
        : (lines, name) =>
            lines.some((l) => new RegExp(`\`${bare(name)}\`|^\\s*[*-]\\s+${bare(name)}\\s*[-:]`).test(l)),
    addParams(lines, missing) {
      if (style === 'godoc')
        return insertBlock(
          lines,
          lines.length,
          missing.map((p) => `  - ${p.name}: TODO.`),
        );
      const entries = missing.map((p) => `* \`${p.name}\` - TODO.`);
      const h = lines.findIndex((l) => /^\s*#+\s*(Arguments|Parameters)\s*$/.test(l));
      if (h >= 0) {
        let at = h + 1;
        while (at < lines.length && !/^\s*#/.test(lines[at]!)) at++;
        while (at > h + 1 && isBlank(lines[at - 1]!)) at--;
        return [...lines.slice(0, at), ...entries, ...lines.slice(at)];
      }
      const other = lines.findIndex((l, i) => i > 0 && /^\s*#\s/.test(l));
      return insertBlock(lines, other >= 0 ? other : lines.length, ['# Arguments', '', ...entries]);
    },
    render: (lines, indent, unit) =>
      lines.map((l) => (l ? `${indent}${marker} ${reindent(l, unit)}` : `${indent}${marker}`)),
  };
}

function xmlSpec(): StyleSpec {
  return {
    style: 'xmldoc',
    open: (indent, eol) => `/// <summary>${eol}${indent}/// `,
    close: (indent, eol) => `${eol}${indent}/// </summary>`,
    stopStrings: ['</summary>'],
    closing: ['</summary>', '<summary>'],
    lineMarker: { re: /^\s*\/\/\/(?!\/) ?/, required: true },
    seed: () => '',
    documents: (lines, name) => lines.some((l) => new RegExp(`<param\\s+name\\s*=\\s*"${bare(name)}"`).test(l)),
    addParams(lines, missing) {
      const entries = missing.map((p) => `<param name="${p.name}">TODO.</param>`);
      const last = lastIndex(lines, /<param\b/);
      const at = last >= 0 ? last + 1 : Math.max(lastIndex(lines, /<\/summary>/) + 1, 0) || lines.length;
      return [...lines.slice(0, at), ...entries, ...lines.slice(at)];
    },
    render: (lines, indent, unit) => lines.map((l) => (l ? `${indent}/// ${reindent(l, unit)}` : `${indent}///`)),
  };
}

/** The convention for a language (Python: the given style). */
export function styleSpec(language: DocLanguage, pythonStyle: PythonStyle): StyleSpec {
  switch (language) {
    case 'python':
      return pythonSpec(pythonStyle);
    case 'javascript':
    case 'typescript':
      return blockSpec('jsdoc');
    case 'java':
      return blockSpec('javadoc');
    case 'c':
    case 'cpp':
      return blockSpec('doxygen');
    case 'go':
      return lineSpec('godoc', '//');
    case 'rust':
      return lineSpec('rustdoc', '///');
    case 'csharp':
      return xmlSpec();
  }
}
