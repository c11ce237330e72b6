import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { InfillError } from '../core/errors';
import {
  appendToTestFile,
  conventionalTestPath,
  coverageSummary,
  DEFAULT_TEST_OPTIONS,
  generateTests,
  planTests,
  siblingSources,
  testLanguageOfPath,
  type GenerateTestsResult,
} from '../core/harness';
import { numberFlag } from './flags';
import { ENGINE_OPTIONS, loadHarnessEngine, sandboxLimits, writeFileAtomic } from './harnessEngine';

function parseFileLine(spec: string): { file: string; line: number } {
  const m = /^(.+):(\d+)$/.exec(spec);
  if (!m)
    throw new InfillError(
      'bad-arguments',
      `"${spec}" is not FILE:LINE`,
      'Give the place as path/to/file.py:12 (1-based line inside the function)',
    );
  return { file: m[1]!, line: Number(m[2]) };
}

/**
 * `infill tests FILE:LINE`: unit tests for the function at LINE, written by the model and kept only when they build,
 * pass, and pass --runs times in a row in the sandbox. Kept tests go to the conventional test file (or --out); an
 * existing file is never overwritten unless --force (--append adds to it).
 */
export async function runTests(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        ...ENGINE_OPTIONS,
        samples: { type: 'string' },
        runs: { type: 'string' },
        out: { type: 'string' },
        force: { type: 'boolean' },
        append: { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        json: { type: 'boolean' },
        'no-coverage-filter': { type: 'boolean' },
      },
    });
  } catch (err) {
    throw new InfillError('bad-arguments', (err as Error).message, 'Run infill --help to see the options');
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1)
    throw new InfillError('bad-arguments', 'tests takes one FILE:LINE', 'Example: infill tests src/geometry.py:12');
  const where = parseFileLine(positionals[0]!);
  if (values.force && values.append)
    throw new InfillError(
      'bad-arguments',
      '--force and --append exclude each other',
      'Give --force to replace the test file, or --append to add to it',
    );
  const language = testLanguageOfPath(where.file);
  if (!language) {
    throw new InfillError(
      'unsupported-language',
      `Infill does not write tests for ${path.basename(where.file)}`,
      'Tests are written for Python (.py), JavaScript (.js) and TypeScript (.ts) files',
    );
  }
  let text: string;
  try {
    text = fs.readFileSync(where.file, 'utf8');
  } catch {
    throw new InfillError('file-not-found', `Cannot read ${where.file}`, 'Check the path of the file to test');
  }
  const options = {
    ...DEFAULT_TEST_OPTIONS,
    samples: numberFlag('samples', values.samples, DEFAULT_TEST_OPTIONS.samples, 1, true, 100),
    runs: numberFlag('runs', values.runs, DEFAULT_TEST_OPTIONS.runs, 1, true, 100),
    temperature: numberFlag('temperature', values.temperature, DEFAULT_TEST_OPTIONS.temperature, 0, false),
    seed: numberFlag('seed', values.seed, DEFAULT_TEST_OPTIONS.seed, 0),
    maxNewTokens: numberFlag('max-tokens', values['max-tokens'], DEFAULT_TEST_OPTIONS.maxNewTokens, 16),
    ...sandboxLimits(values),
    coverage: !values['no-coverage-filter'],
  };
  const request = {
    modulePath: where.file,
    text,
    line: where.line - 1,
    language,
    siblings: siblingSources(where.file, language),
  };
  // Bad places and a test file in the way fail before the model loads.
  planTests(request);
  const target = values.out ?? conventionalTestPath(where.file, language);
  const exists = fs.existsSync(target);
  if (exists && !values.force && !values.append && !values['dry-run']) {
    throw new InfillError(
      'bad-arguments',
      `${target} already exists`,
      'Give --append to add the kept tests to it, --force to replace it, or --out another file',
    );
  }

  const { engine, backend, notes } = await loadHarnessEngine(values);
  let result: GenerateTestsResult;
  try {
    const progress =
      values.json || !process.stderr.isTTY
        ? undefined
        : (p: { message: string }) => process.stderr.write(`\r\x1b[2K# ${p.message}`);
    result = await generateTests(request, { backend }, options, undefined, progress);
    if (progress) process.stderr.write('\r\x1b[2K');
  } finally {
    await engine.dispose();
  }
  let written = false;
  if (result.testFileText && !values['dry-run']) {
    const body =
      values.append && exists
        ? appendToTestFile(fs.readFileSync(target, 'utf8'), result.testFileText, result.language)
        : result.testFileText;
    writeFileAtomic(target, body, Boolean(values.force || values.append));
    written = true;
  }
  const report = {
    generated: result.generated,
    built: result.built,
    passed: result.passed,
    reliable: result.reliable,
    addsCoverage: result.addsCoverage,
    kept: result.kept,
    testFile: target,
    written,
    tests: result.tests,
    coverage: result.coverage,
    function: result.function.className ? `${result.function.className}.${result.function.name}` : result.function.name,
    language: result.language,
    promptFormat: result.promptFormat,
    samples: result.samples,
    runs: result.runs,
    sandbox: result.sandbox,
    candidates: result.candidates.map((c) => ({
      name: c.name,
      sample: c.sample,
      status: c.status,
      runsPassed: c.runsPassed,
      addsCoverage: c.addsCoverage,
      coverage: c.coverage,
      duplicateOf: c.duplicateOf,
      truncated: c.truncated,
      code: c.code,
      detail: c.detail,
    })),
  };
  if (values.json) {
    process.stdout.write(JSON.stringify(report) + '\n');
    return 0;
  }
  for (const note of notes) process.stderr.write(`# ${note}\n`);
  process.stdout.write(
    `${where.file}:${where.line} ${report.function}: ${result.samples} samples -> ${result.generated} tests generated, ${result.built} built, ` +
      `${result.passed} passed, ${result.reliable} reliable (passed ${result.runs} runs in a row), ` +
      `${result.coverage.measured ? `${result.addsCoverage} added coverage, ` : ''}${result.kept} kept\n`,
  );
  process.stdout.write(`  coverage: ${coverageSummary(result, path.basename(where.file))}\n`);
  for (const c of result.candidates) {
    const why =
      c.status === 'duplicate'
        ? `duplicate of #${(c.duplicateOf ?? 0) + 1}`
        : c.coverage && (c.status === 'kept' || c.status === 'no-new-coverage')
          ? `${c.status} (${c.coverage.newLines} of its ${c.coverage.lines} lines new)`
          : c.status;
    const first = c.detail?.split('\n').slice(-1)[0];
    process.stdout.write(
      `  #${c.index + 1} ${c.name}: ${why}${c.status !== 'kept' && c.status !== 'duplicate' && first ? ` (${first.slice(0, 120)})` : ''}\n`,
    );
  }
  process.stdout.write(
    written
      ? `${values.append && exists ? 'appended to' : 'wrote'} ${target}\n`
      : result.kept
        ? `not written (--dry-run): ${target}\n`
        : 'no test passed reliably: nothing written\n',
  );
  if (!result.sandbox.networkIsolated && result.sandbox.isolationNote)
    process.stderr.write(`# sandbox: ${result.sandbox.isolationNote}\n`);
  return 0;
}
