import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { engineBackend } from '../core/backend/engineBackend';
import { completeAt } from '../core/completion/pipeline';
import { offsetAt, parseFileLineColumn } from '../core/document';
import { InfillError } from '../core/errors';
import { FIM_FAMILIES, type FimFamilyName, type FimOrderSetting } from '../core/fim';
import { numberFlag, oneOf } from './flags';
import { loadEngineFromFlags } from './loadEngine';

export async function runComplete(args: string[], _opts: { verbose: boolean }): Promise<number> {
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
        'max-tokens': { type: 'string' },
        fim: { type: 'string' },
        'fim-family': { type: 'string' },
        temperature: { type: 'string' },
        'top-k': { type: 'string' },
        'top-p': { type: 'string' },
        seed: { type: 'string' },
        'deadline-ms': { type: 'string' },
        json: { type: 'boolean' },
      },
    });
  } catch (err) {
    throw new InfillError('bad-arguments', (err as Error).message, 'Run infill --help to see the options');
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) {
    throw new InfillError(
      'bad-arguments',
      'complete takes one FILE:LINE:COL',
      'Example: infill complete src/app.py:12:5',
    );
  }
  const where = parseFileLineColumn(positionals[0]!);
  let text: string;
  try {
    text = fs.readFileSync(where.file, 'utf8');
  } catch {
    throw new InfillError('file-not-found', `Cannot read ${where.file}`, 'Check the path of the file to complete');
  }
  const offset = offsetAt(text, where);

  const settings = {
    maxNewTokens: numberFlag('max-tokens', values['max-tokens'], 64, 1),
    fimOrder: oneOf<FimOrderSetting>('fim', values.fim, ['auto', 'psm', 'spm'], 'auto'),
    fimFamily: oneOf<FimFamilyName | 'auto'>('fim-family', values['fim-family'], ['auto', ...FIM_FAMILIES], 'auto'),
    deadlineMs:
      values['deadline-ms'] === undefined ? undefined : numberFlag('deadline-ms', values['deadline-ms'], 0, 1),
    kind: 'complete',
  };
  const sampling = {
    temperature: numberFlag('temperature', values.temperature, 0, 0, false),
    topK: numberFlag('top-k', values['top-k'], 0, 0),
    topP: numberFlag('top-p', values['top-p'], 1, 0, false),
    seed: numberFlag('seed', values.seed, 0, 0),
  };
  const notes: string[] = [];
  const engine = await loadEngineFromFlags(values, notes);
  try {
    const site = { document: where.file, text, offset, insertSpaces: !/^\t/m.test(text), tabSize: 4 };
    const result = await completeAt(engineBackend(engine, { completionSampling: sampling }), site, settings);
    const r = result.report;
    if (!r) throw new Error('no generation ran'); // the CLI passes no cache, so one always runs
    const report = {
      completion: result.completion,
      model: engine.info.name,
      executionProvider: engine.info.provider,
      runtime: engine.info.runtime,
      fimFormat: r.fimFormat,
      promptTokens: r.promptTokens,
      reusedTokens: r.reusedTokens,
      generatedTokens: r.generatedTokens,
      stopReason: r.stopReason,
      timeToFirstTokenMs: round(r.timeToFirstTokenMs),
      totalMs: round(r.totalMs),
      tokensPerSecond: round(r.tokensPerSecond),
    };
    if (values.json) {
      process.stdout.write(JSON.stringify(report) + '\n');
    } else {
      process.stdout.write(result.completion.endsWith('\n') ? result.completion : result.completion + '\n');
      for (const note of notes) process.stderr.write(`# ${note}\n`);
      process.stderr.write(
        `# ${report.generatedTokens} tokens (${report.stopReason}), ${report.fimFormat}, ${report.promptTokens} prompt tokens; ` +
          `first token ${report.timeToFirstTokenMs} ms, total ${report.totalMs} ms, ${report.tokensPerSecond} tokens/s on ${engine.info.provider}\n`,
      );
    }
    return 0;
  } finally {
    await engine.dispose();
  }
}

/** One decimal; undefined stays so (JSON leaves the field out). */
const round = (x: number | undefined) => (x === undefined ? undefined : Math.round(x * 10) / 10);
