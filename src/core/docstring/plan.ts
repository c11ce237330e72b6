import { InfillError } from '../errors';
import { findExistingDoc } from './existing';
import { locateDefinition, sourceText } from './locate';
import { detectPythonStyle } from './pythonStyle';
import { styleSpec, type StyleSpec } from './styles';
import type { Definition, DocLanguage, DocPosition, ExistingDoc, PythonStyleSetting, SymbolHint } from './types';

export interface DocstringRequest {
  /** The whole document. */
  text: string;
  language: DocLanguage;
  /** 0-based line of the cursor. */
  line: number;
  /** The editor's document symbols, flattened (optional: the core has its own locator). */
  symbols?: readonly SymbolHint[];
  /** Python convention; auto detects it from the file. */
  pythonStyle?: PythonStyleSetting;
  /** Shown in messages (a file name). */
  where?: string;
}

/** Everything needed to ask the model and to place its answer. */
export interface DocstringPlan {
  language: DocLanguage;
  spec: StyleSpec;
  definition: Definition;
  existing: ExistingDoc | undefined;
  /** The text of the existing doc comment, for a preview. */
  existingText: string | undefined;
  /** FIM prefix: the file up to and including the opening delimiter. */
  prefix: string;
  /** FIM suffix: from the closing delimiter through the body. */
  suffix: string;
  stopStrings: string[];
  /** Where the comment goes: the start of a line (0-based), or the end of the last line when it has no line break. */
  insertAt: DocPosition;
  /** Whole lines of the existing comment, replaced by the new one; null when there is none. */
  replaces: { start: DocPosition; end: DocPosition } | null;
  /** Indentation of the comment's lines, the file's indentation unit, its line break. */
  indent: string;
  unit: string;
  eol: string;
  /** The comment text starts with a line break (inserted at the end of a last line that has none). */
  leadingEol: boolean;
}

const PREFIX_CHARS = 8000;
const SUFFIX_CHARS = 4000;

/** The last `max` characters of the text, from a line start. */
function tail(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.indexOf('\n', text.length - max);
  return cut < 0 ? text.slice(-max) : text.slice(cut + 1);
}

function head(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.lastIndexOf('\n', max);
  return cut < 0 ? text.slice(0, max) : text.slice(0, cut + 1);
}

/** Locates the definition at the cursor and builds the infilling prompt; throws a clear error when there is none. */
export function planDocstring(req: DocstringRequest): DocstringPlan {
  const src = sourceText(req.text);
  const where = req.where ? ` of ${req.where}` : '';
  if (req.line < 0 || req.line >= src.lines.length) {
    throw new InfillError(
      'position-out-of-range',
      `Line ${req.line + 1} is outside the file${where} (it has ${src.lines.length} lines)`,
      'Give a line between 1 and the last line',
    );
  }
  const def = locateDefinition(req.text, req.language, req.line, req.symbols);
  if (!def) {
    throw new InfillError(
      'no-definition',
      `Line ${req.line + 1}${where} is not in a function, method or class`,
      'Point at a function, method or class: its name, signature or body',
    );
  }
  if (def.inlineBody) {
    throw new InfillError(
      'no-definition',
      `${def.name} is written on one line, so its docstring has no line to go on`,
      `Put the body of ${def.name} on its own line, then try again`,
    );
  }
  const eol = req.text.includes('\r\n') ? '\r\n' : '\n';
  const pythonStyle = detectPythonStyle(req.text, req.pythonStyle ?? 'auto');
  const spec = styleSpec(req.language, pythonStyle);
  const existing = findExistingDoc(src, def, req.language);
  const lineStart = (l: number) => (l < src.lines.length ? src.starts[l]! : req.text.length);
  const lineEnd = (l: number) => src.starts[l]! + src.lines[l]!.length;
  const python = req.language === 'python';
  const indent = python ? def.bodyIndent : def.indent;
  const unit = /^\t/.test(def.bodyIndent) || /^\t/.test(def.indent) ? '\t' : '    ';

  // The comment's place: after the header (Python) or above the declaration, or over the comment it replaces.
  let insertLine = python ? def.headerEndLine + 1 : def.declLine;
  if (existing) insertLine = existing.startLine;
  const leadingEol = insertLine >= src.lines.length;
  const insertAt: DocPosition = leadingEol
    ? { line: src.lines.length - 1, character: src.lines[src.lines.length - 1]!.length }
    : { line: insertLine, character: 0 };
  let replaces: DocstringPlan['replaces'] = null;
  if (existing) {
    const endsFile = existing.endLine + 1 >= src.lines.length;
    replaces = {
      start: { line: existing.startLine, character: 0 },
      end: endsFile
        ? { line: existing.endLine, character: src.lines[existing.endLine]!.length }
        : { line: existing.endLine + 1, character: 0 },
    };
  }

  // The code after the comment: Python's body (without an old docstring); elsewhere the declaration and its body.
  const codeFrom = python ? (existing ? existing.endLine + 1 : def.headerEndLine + 1) : def.declLine;
  const code = codeFrom <= def.endLine ? req.text.slice(lineStart(codeFrom), lineEnd(def.endLine)) : '';
  const before = req.text.slice(
    0,
    python ? lineStart(def.headerEndLine + 1) : lineStart(existing ? existing.startLine : def.declLine),
  );
  const prefix = tail(
    (python && leadingEol ? before + eol : before) + indent + spec.open(indent, eol) + spec.seed(def),
    PREFIX_CHARS,
  );
  const suffix = head(spec.close(indent, eol) + eol + code + eol, SUFFIX_CHARS);
  // Line comments end where the model starts the declaration again, or leaves a blank line.
  const declWord = /^\s*([^\s(]+)/.exec(src.lines[def.declLine]!)?.[1];
  const stopStrings = [
    ...spec.stopStrings,
    ...(spec.lineMarker?.required ? [`${eol}${eol}`, ...(declWord ? [`${eol}${indent}${declWord}`] : [])] : []),
  ];
  const existingText = existing ? src.lines.slice(existing.startLine, existing.endLine + 1).join('\n') : undefined;
  return {
    language: req.language,
    spec,
    definition: def,
    existing,
    existingText,
    prefix,
    suffix,
    stopStrings,
    insertAt,
    replaces,
    indent,
    unit,
    eol,
    leadingEol,
  };
}
