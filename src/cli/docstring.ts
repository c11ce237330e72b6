import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { engineBackend } from '../core/backend/engineBackend';
import {
  docLanguageOf,
  docLanguageOfPath,
  DOC_LANGUAGES,
  planDocstring,
  SUPPORTED_LANGUAGES_LINE,
  writeDocstring,
  type DocLanguage,
  type PythonStyleSetting,
} from '../core/docstring';
import { InfillError } from '../core/errors';
import { numberFlag, oneOf } from './flags';
import { loadEngineFromFlags } from './loadEngine';

function parseFileLine(spec: string): { file: string; line: number } {
  const m = /^(.+):(\d+)$/.exec(spec);
  if (!m)
    throw new InfillError(
      'bad-arguments',
      `"${spec}" is not FILE:LINE`,
      'Give the place as path/to/file.py:12 (1-based line of the function)',
    );
  return { file: m[1]!, line: Number(m[2]) };
}

/** `infill docstring FILE:LINE`: the doc comment for the function, method or class at LINE (1-based), by infilling. */
export async function runDocstring(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        model: { type: 'string' },
        variant: { type: 'string' },
        provider: { type: 'string' },
        threads: { type: 'string' },
        'io-binding': { type: 'string' },
        style: { type: 'string' },
        language: { type: 'string' },
        'max-tokens': { type: 'string' },
        json: { type: 'boolean' },
      },
    });
  } catch (err) {
    throw new InfillError('bad-arguments', (err as Error).message, 'Run infill --help to see the options');
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1)
    throw new InfillError('bad-arguments', 'docstring takes one FILE:LINE', 'Example: infill docstring src/app.py:12');
  const where = parseFileLine(positionals[0]!);
  const language: DocLanguage | undefined = values.language
    ? docLanguageOf(values.language)
    : docLanguageOfPath(where.file);
  if (values.language && !language) {
    throw new InfillError(
      'bad-arguments',
      `--language ${values.language} is not one of ${DOC_LANGUAGES.join(', ')}`,
      'Use --language python',
    );
  }
  if (!language) {
    throw new InfillError(
      'unsupported-language',
      `Infill has no doc comment convention for ${where.file}`,
      `Docstrings are written for ${SUPPORTED_LANGUAGES_LINE}; name one with --language python`,
    );
  }
  const pythonStyle = oneOf<PythonStyleSetting>('style', values.style, ['auto', 'google', 'numpy', 'rest'], 'auto');
  const maxTokens = numberFlag('max-tokens', values['max-tokens'], 128, 1);
  numberFlag('threads', values.threads, 0, 0); // a bad value is reported before the file is read
  let text: string;
  try {
    text = fs.readFileSync(where.file, 'utf8');
  } catch {
    throw new InfillError('file-not-found', `Cannot read ${where.file}`, 'Check the path of the file to document');
  }
  const request = { text, language, line: where.line - 1, pythonStyle, where: where.file };
  // Bad positions fail before the model loads.
  planDocstring(request);

  const notes: string[] = [];
  const engine = await loadEngineFromFlags(values, notes);
  try {
    const { result, report } = await writeDocstring(request, engineBackend(engine), {
      maxNewTokens: maxTokens,
      fimOrder: 'auto',
      fimFamily: 'auto',
    });
    // Document positions, 1-based like FILE:LINE (line and character both).
    const pos = (p: { line: number; character: number }) => ({ line: p.line + 1, character: p.character + 1 });
    if (values.json) {
      process.stdout.write(
        JSON.stringify({
          docstring: result.docstring,
          language: result.language,
          style: result.style,
          insertAt: pos(result.insertAt),
          replaces: result.replaces ? { start: pos(result.replaces.start), end: pos(result.replaces.end) } : null,
        }) + '\n',
      );
    } else {
      process.stdout.write(result.docstring.endsWith('\n') ? result.docstring : result.docstring + '\n');
      for (const note of notes) process.stderr.write(`# ${note}\n`);
      const place = result.replaces
        ? `replaces lines ${result.replaces.start.line + 1}-${result.replaces.end.character > 0 ? result.replaces.end.line + 1 : result.replaces.end.line}`
        : `goes before line ${result.insertAt.line + 1}`;
      process.stderr.write(
        `# ${result.kind} ${result.name}: ${result.style} ${place}; ${report.generatedTokens} tokens (${report.stopReason}), ${Math.round(report.totalMs)} ms\n`,
      );
    }
    return 0;
  } finally {
    await engine.dispose();
  }
}
