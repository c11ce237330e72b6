import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { InfillError } from '../core/errors';
import { runInSandbox, sandboxPassed, SANDBOX_LANGUAGES, type SandboxLanguage } from '../core/sandbox';
import { numberFlag } from './flags';

/** `infill sandbox run`: runs one file in the sandbox. Exit 0 when it passed, 1 when it failed or was stopped, 2 for bad input. */
export async function runSandboxCommand(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        lang: { type: 'string' },
        'timeout-ms': { type: 'string' },
        'memory-mb': { type: 'string' },
        tests: { type: 'boolean' },
        json: { type: 'boolean' },
      },
    });
  } catch (err) {
    throw new InfillError(
      'bad-arguments',
      (err as Error).message,
      'Run infill --help to see the options of sandbox run',
    );
  }
  const { values, positionals } = parsed;
  if (positionals[0] !== 'run' || positionals.length !== 2) {
    throw new InfillError(
      'bad-arguments',
      'sandbox takes: run --lang LANG FILE',
      'Example: infill sandbox run --lang python script.py --json',
    );
  }
  const language = values.lang;
  if (language === undefined || !(SANDBOX_LANGUAGES as readonly string[]).includes(language)) {
    throw new InfillError(
      'bad-arguments',
      language === undefined
        ? 'sandbox run needs --lang'
        : `--lang ${language} is not one of ${SANDBOX_LANGUAGES.join(', ')}`,
      `Use --lang ${SANDBOX_LANGUAGES.join(' | ')}`,
    );
  }
  const file = positionals[1]!;
  let content: string;
  try {
    content = fs.readFileSync(file, 'utf8');
  } catch {
    throw new InfillError('file-not-found', `Cannot read ${file}`, 'Check the path of the file to run');
  }
  const result = await runInSandbox({
    language: language as SandboxLanguage,
    files: { [path.basename(file)]: content },
    entry: path.basename(file),
    mode: values.tests ? 'tests' : 'script',
    timeoutMs: numberFlag('timeout-ms', values['timeout-ms'], 10_000, 100),
    memoryMb: numberFlag('memory-mb', values['memory-mb'], 512, 16),
  });
  const passed = sandboxPassed(result);
  if (values.json) {
    process.stdout.write(JSON.stringify(result) + '\n');
  } else {
    if (result.stdoutTail)
      process.stdout.write(result.stdoutTail.endsWith('\n') ? result.stdoutTail : `${result.stdoutTail}\n`);
    if (result.stderrTail)
      process.stderr.write(result.stderrTail.endsWith('\n') ? result.stderrTail : `${result.stderrTail}\n`);
    const how = result.timedOut
      ? `timed out after ${result.durationMs} ms`
      : result.killedByLimit
        ? `killed by the ${result.killedByLimit} limit`
        : result.signal
          ? `killed by ${result.signal}`
          : `exit code ${String(result.exitCode)}`;
    const counts = result.tests
      ? `; tests: ${result.tests.passed} passed, ${result.tests.failed} failed, ${result.tests.errors} errors`
      : '';
    process.stderr.write(
      `# ${passed ? 'passed' : 'failed'} (${how}, ${result.durationMs} ms, ${result.runner}${counts})\n# isolation: ${result.isolationNote}\n`,
    );
  }
  return passed ? 0 : 1;
}
