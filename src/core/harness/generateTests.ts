import * as fs from 'node:fs';
import * as path from 'node:path';
import { InfillError } from '../errors';
import { runInSandbox, sandboxPassed, type SandboxRequest, type SandboxResult } from '../sandbox/sandbox';
import { testLanguage, testLanguageFiles } from '../testLanguages';
import { hasAssertion, normalizeTest, parseTests, type CandidateTest } from './candidates';
import { coverageRun, parseCoverage, type LineCoverage } from './coverage';
import { locateFunction, testLanguageOfPath } from './locate';
import { runTestPrompt, testPrompt } from './prompts';
import { composeTestFile, conventionalTestPath, moduleRef, type ModuleRef } from './testFile';
import type { FunctionHint, LocatedFunction, TestLanguage } from './types';
import type { ModelBackend } from '../backend/types';

export interface GenerateTestsRequest {
  /** The module's path (its name names the import and the test file). */
  modulePath: string;
  /** The module's text (the editor's, which may be unsaved). */
  text: string;
  /** 0-based line inside the function to test. */
  line: number;
  language?: TestLanguage;
  /** The editor's document symbols, when it has them. */
  hints?: FunctionHint[];
  /** Other source files of the module's folder (name -> text) that it may import; copied into each sandbox run. */
  siblings?: Record<string, string>;
}

export interface GenerateTestsOptions {
  /** Generations (samples) asked of the model. */
  samples: number;
  /** Runs a test must pass in a row to count as reliable (TestGen-LLM's flakiness filter). */
  runs: number;
  temperature: number;
  maxNewTokens: number;
  /** Seed of the first sample; sample i uses seed + i. */
  seed: number;
  /** Sandbox limits of one run. */
  timeoutMs?: number;
  memoryMb?: number;
  /** TestGen-LLM's coverage filter: keep a test only when it runs lines the kept ones do not (default on). */
  coverage?: boolean;
}

/** Tests each sample is asked for (as Code Llama's prompts ask for 5). */
export const TESTS_PER_SAMPLE = 5;

export const DEFAULT_TEST_OPTIONS: GenerateTestsOptions = {
  samples: 5,
  runs: 3,
  temperature: 0.8,
  maxNewTokens: 384,
  seed: 1,
};

/** Why a candidate was not kept, in the order of the filters. */
export type CandidateStatus =
  'kept' | 'does-not-build' | 'fails' | 'flaky' | 'duplicate' | 'no-new-coverage' | 'no-assertion';

export interface CandidateOutcome {
  index: number;
  name: string;
  sample: number;
  code: string;
  status: CandidateStatus;
  built: boolean;
  passed: boolean;
  /** Runs passed in a row (at most `runs`). */
  runsPassed: number;
  reliable: boolean;
  /** It ran lines of the module that no test kept before it ran (TestGen-LLM's coverage filter; true when coverage could not be measured). */
  addsCoverage: boolean;
  /** Lines of the module it ran, and how many of them no earlier kept test ran (when it was measured). */
  coverage?: { lines: number; newLines: number };
  /** The earlier candidate this one repeats. */
  duplicateOf?: number;
  /** The sample ended at the token limit and this was its last test. */
  truncated: boolean;
  /** The end of the failing run's output, for the report. */
  detail?: string;
}

export interface GenerateTestsResult {
  function: { name: string; className?: string; startLine: number; endLine: number };
  language: TestLanguage;
  promptFormat: 'chat-template' | 'chat-messages' | 'completion';
  samples: number;
  runs: number;
  generated: number;
  built: number;
  passed: number;
  reliable: number;
  /** Reliable tests that ran lines of the module the tests kept before them did not (kept <= addsCoverage <= reliable). */
  addsCoverage: number;
  kept: number;
  /**
   * Line coverage of the module under test by the kept tests, measured in the sandbox (lines that run when the module
   * loads are left out). For TypeScript, lines of the JavaScript it is transpiled to. `measured` false: the filter was off.
   */
  coverage: { measured: boolean; covered: number; executable: number; note?: string };
  /** Where the tests go, and the file's text (none when nothing was kept). */
  testFile: string;
  testFileText: string | undefined;
  /** The kept tests' code. */
  tests: string[];
  candidates: CandidateOutcome[];
  sandbox: { runner: string; networkIsolated: boolean; isolationNote: string };
}

export interface HarnessProgress {
  stage: 'generating' | 'running';
  done: number;
  total: number;
  message: string;
}

export interface HarnessDeps {
  /** The model that writes the tests. */
  backend: ModelBackend;
  /** The sandbox (tests may pass a wrapper that counts runs); the real one by default. */
  run?: (req: SandboxRequest) => Promise<SandboxResult>;
}

const cancelled = () =>
  new InfillError('cancelled', 'Generating tests was cancelled', 'Run Generate Tests again when you want tests');

function throwIfCancelled(signal?: AbortSignal): void {
  if (signal?.aborted) throw cancelled();
}

/** The tail of a run's output that says why it failed. */
function failureDetail(r: SandboxResult): string {
  const why = r.timedOut
    ? 'timed out'
    : r.killedByLimit
      ? 'killed by a limit'
      : `exit code ${r.exitCode ?? r.signal ?? '?'}`;
  const out = `${r.stdoutTail}\n${r.stderrTail}`
    .trim()
    .split('\n')
    .filter((l) => l.trim())
    .slice(-8)
    .join('\n');
  return `${why}${out ? `\n${out.slice(-800)}` : ''}`;
}

/** Runs one candidate against the real module: builds, passes, passes `runs` times in a row. */
export class CandidateRunner {
  constructor(
    private readonly fn: LocatedFunction,
    private readonly mod: ModuleRef,
    private readonly moduleText: string,
    private readonly options: Pick<GenerateTestsOptions, 'runs' | 'timeoutMs' | 'memoryMb'>,
    private readonly run: (req: SandboxRequest) => Promise<SandboxResult> = runInSandbox,
    private readonly siblings: Record<string, string> = {},
  ) {}

  /** The last run's sandbox facts (runner, isolation), for the report. */
  last: SandboxResult | undefined;

  /** One sandbox run; `record`: its facts are the report's (the coverage driver's runs are not: they name their own runner). */
  private async exec(
    files: Record<string, string>,
    entry: string,
    mode: 'script' | 'tests',
    signal?: AbortSignal,
    record = true,
  ): Promise<SandboxResult> {
    throwIfCancelled(signal);
    const r = await this.run({
      language: this.fn.language,
      files,
      entry,
      mode,
      timeoutMs: this.options.timeoutMs,
      memoryMb: this.options.memoryMb,
      signal,
    });
    throwIfCancelled(signal);
    if (record) this.last = r;
    return r;
  }

  private files(test: CandidateTest): { files: Record<string, string>; testName: string } {
    const testName = path.basename(conventionalTestPath(this.mod.fileName, this.fn.language));
    const files: Record<string, string> = {
      ...this.siblings,
      [this.mod.fileName]: this.moduleText,
      [testName]: composeTestFile(this.fn, this.mod, [test]),
      ...testLanguage(this.mod.language).candidateRun.extraFiles?.(this.mod),
    };
    return { files, testName };
  }

  /**
   * The lines of the module the test runs, measured in the sandbox; `failed` when the test failed this time (it passed
   * its runs before: flaky after all); undefined when no coverage came back (the runtime could not measure it).
   */
  async coverage(
    test: CandidateTest,
    signal?: AbortSignal,
  ): Promise<{ coverage?: LineCoverage; failed: boolean; detail?: string }> {
    const { files, testName } = this.files(test);
    const run = coverageRun(this.fn.language, this.mod.fileName, testName);
    const r = await this.exec({ ...files, ...run.files }, run.entry, 'script', signal, false);
    const failed = !sandboxPassed(r);
    return { coverage: parseCoverage(r.stdoutTail), failed, ...(failed ? { detail: failureDetail(r) } : {}) };
  }

  async evaluate(
    test: CandidateTest,
    signal?: AbortSignal,
  ): Promise<Pick<CandidateOutcome, 'built' | 'passed' | 'runsPassed' | 'reliable' | 'detail'>> {
    const { files, testName } = this.files(test);
    // Builds: the test file compiles and its imports resolve.
    const { buildCheck, ranTest } = testLanguage(this.fn.language).candidateRun;
    const check = buildCheck?.(testName);
    if (check) {
      const built = await this.exec({ ...files, [check.entry]: check.code }, check.entry, 'script', signal);
      if (!sandboxPassed(built))
        return { built: false, passed: false, runsPassed: 0, reliable: false, detail: failureDetail(built) };
    }
    let runsPassed = 0;
    let detail: string | undefined;
    for (let k = 0; k < this.options.runs; k++) {
      const r = await this.exec(files, testName, 'tests', signal);
      if (k === 0 && ranTest && !ranTest(r.stdoutTail, test.name)) {
        return { built: false, passed: false, runsPassed: 0, reliable: false, detail: failureDetail(r) };
      }
      if (!sandboxPassed(r) || (r.tests && r.tests.passed < 1)) {
        detail = failureDetail(r);
        break;
      }
      runsPassed++;
    }
    return { built: true, passed: runsPassed > 0, runsPassed, reliable: runsPassed === this.options.runs, detail };
  }
}

/** The function to test and its module, checked before any model runs (bad places fail fast). */
export function planTests(req: GenerateTestsRequest): { language: TestLanguage; fn: LocatedFunction; mod: ModuleRef } {
  const language = req.language ?? testLanguageOfPath(req.modulePath);
  if (!language) {
    throw new InfillError(
      'unsupported-language',
      `Infill does not write tests for ${path.basename(req.modulePath)}`,
      `Tests are written for ${testLanguageFiles()} files`,
    );
  }
  const fn = locateFunction(req.text, req.line, language, req.hints);
  const mod = moduleRef(req.modulePath, req.text, language);
  if (!fn.exported) {
    const what = fn.className ?? fn.name;
    throw new InfillError(
      'no-definition',
      `${what} is not exported from ${mod.fileName}, so a test cannot import it`,
      `Export ${what} (e.g. export function ${what}) and run again`,
    );
  }
  return { language, fn, mod };
}

/**
 * Generate Tests: the model writes `samples` candidate tests for the function at `line`; each runs against the real
 * module in the sandbox and is kept when it builds, passes, passes `runs` times in a row, is no duplicate, runs lines
 * of the module that the tests kept before it do not (measured in the sandbox), and asserts something. Counts satisfy
 * kept <= addsCoverage <= reliable <= passed <= built <= generated.
 */
export async function generateTests(
  req: GenerateTestsRequest,
  deps: HarnessDeps,
  options: GenerateTestsOptions = DEFAULT_TEST_OPTIONS,
  signal?: AbortSignal,
  onProgress?: (p: HarnessProgress) => void,
): Promise<GenerateTestsResult> {
  const { language, fn, mod } = planTests(req);
  const prompt = testPrompt(await deps.backend.info(), fn, mod, req.text, TESTS_PER_SAMPLE);

  const candidates: CandidateTest[] = [];
  for (let s = 0; s < options.samples; s++) {
    throwIfCancelled(signal);
    onProgress?.({
      stage: 'generating',
      done: s,
      total: options.samples,
      message: `writing sample ${s + 1} of ${options.samples}`,
    });
    const sampling = {
      maxNewTokens: options.maxNewTokens,
      temperature: options.temperature,
      topP: 0.95,
      seed: options.seed + s,
      kind: 'tests',
    };
    const report = await runTestPrompt(deps.backend, prompt, sampling, signal);
    if (report.stopReason === 'aborted' || report.stopReason === 'preempted') throw cancelled();
    candidates.push(...parseTests(language, prompt.continues + report.text, s, report.stopReason === 'max-tokens'));
  }

  const runner = new CandidateRunner(fn, mod, req.text, options, deps.run, req.siblings);
  const outcomes: CandidateOutcome[] = [];
  const firstByKey = new Map<string, number>();
  const unique = new Set(candidates.map((c) => normalizeTest(language, c))).size;
  // Lines of the module the kept tests run; undefined once a measurement failed (then the filter is off, and says so).
  let covered: Set<number> | undefined = options.coverage === false ? undefined : new Set();
  let executable = 0;
  let coverageNote = options.coverage === false ? 'the coverage filter is off' : undefined;
  let ran = 0;
  for (const [index, c] of candidates.entries()) {
    const key = normalizeTest(language, c);
    const base = { index, name: c.name, sample: c.sample, code: c.code, truncated: c.truncated };
    const twin = firstByKey.get(key);
    if (twin !== undefined) {
      // A duplicate shares its twin's results (it would run the same way) and is never kept twice.
      const t = outcomes[twin]!;
      outcomes.push({
        ...base,
        built: t.built,
        passed: t.passed,
        runsPassed: t.runsPassed,
        reliable: t.reliable,
        addsCoverage: false,
        status: 'duplicate',
        duplicateOf: twin,
        detail: t.detail,
      });
      continue;
    }
    firstByKey.set(key, index);
    onProgress?.({
      stage: 'running',
      done: ran,
      total: unique,
      message: `running test ${ran + 1} of ${unique} (${c.name})`,
    });
    ran++;
    const r = await runner.evaluate(c, signal);
    if (!r.reliable) {
      outcomes.push({
        ...base,
        ...r,
        addsCoverage: false,
        status: !r.built ? 'does-not-build' : !r.passed ? 'fails' : 'flaky',
      });
      continue;
    }
    // TestGen-LLM's last filter: the test must run lines of the module that the tests kept so far do not.
    let addsCoverage = true;
    let coverage: CandidateOutcome['coverage'];
    if (covered) {
      const m = await runner.coverage(c, signal);
      if (m.failed) {
        outcomes.push({
          ...base,
          ...r,
          reliable: false,
          addsCoverage: false,
          status: 'flaky',
          detail: `failed when run again to measure coverage: ${m.detail ?? ''}`,
        });
        continue;
      }
      if (m.coverage) {
        const fresh = m.coverage.lines.filter((l) => !covered!.has(l));
        coverage = { lines: m.coverage.lines.length, newLines: fresh.length };
        executable = m.coverage.executable;
        addsCoverage = fresh.length > 0;
        if (addsCoverage && hasAssertion(language, c.code)) for (const l of fresh) covered.add(l);
      } else {
        covered = undefined;
        coverageNote = 'coverage could not be measured here, so the coverage filter is off';
      }
    }
    const status: CandidateStatus = !addsCoverage
      ? 'no-new-coverage'
      : !hasAssertion(language, c.code)
        ? 'no-assertion'
        : 'kept';
    outcomes.push({ ...base, ...r, addsCoverage, ...(coverage ? { coverage } : {}), status });
  }
  onProgress?.({ stage: 'running', done: ran, total: unique, message: 'done' });
  if (covered && !outcomes.some((o) => o.coverage)) coverageNote = 'no test reached the coverage filter';

  const kept = outcomes.filter((o) => o.status === 'kept');
  const keptTests = kept.map((o) => candidates[o.index]!);
  const testFile = conventionalTestPath(req.modulePath, language);
  const facts = runner.last;
  return {
    function: { name: fn.name, className: fn.className, startLine: fn.startLine, endLine: fn.endLine },
    language,
    promptFormat: prompt.format,
    samples: options.samples,
    runs: options.runs,
    generated: outcomes.length,
    built: outcomes.filter((o) => o.built).length,
    passed: outcomes.filter((o) => o.passed).length,
    reliable: outcomes.filter((o) => o.reliable).length,
    addsCoverage: outcomes.filter((o) => o.addsCoverage).length,
    kept: kept.length,
    coverage: {
      measured: covered !== undefined,
      covered: covered?.size ?? 0,
      executable,
      ...(coverageNote ? { note: coverageNote } : {}),
    },
    testFile,
    testFileText: keptTests.length ? composeTestFile(fn, mod, keptTests) : undefined,
    tests: keptTests.map((t) => t.code),
    candidates: outcomes,
    sandbox: {
      runner: facts?.runner ?? 'none ran',
      networkIsolated: facts?.networkIsolated ?? false,
      isolationNote: facts?.isolationNote ?? '',
    },
  };
}

/** What the kept tests cover, in words (the view, the log, the CLI). */
export function coverageSummary(r: Pick<GenerateTestsResult, 'coverage'>, moduleName = 'the module'): string {
  if (!r.coverage.measured || r.coverage.note) return r.coverage.note ?? 'coverage not measured';
  return `the kept tests run ${r.coverage.covered} of ${r.coverage.executable} lines of ${moduleName} (lines run at import aside)`;
}

/**
 * The module's neighbours that it may import: source files of the same language in its folder (not test files, not
 * the module itself), at most `maxFiles` files and `maxBytes` in all, so a module that imports a sibling still loads.
 */
export function siblingSources(
  modulePath: string,
  language: TestLanguage,
  maxFiles = 50,
  maxBytes = 1 << 20,
): Record<string, string> {
  const dir = path.dirname(modulePath);
  const own = path.basename(modulePath);
  const out: Record<string, string> = {};
  let bytes = 0;
  let names: string[];
  try {
    names = fs.readdirSync(dir).sort();
  } catch {
    return out;
  }
  const isTest = (n: string) => testLanguage(language).testFile.pattern.test(n);
  for (const name of names) {
    if (name === own || isTest(name) || testLanguageOfPath(name) !== language) continue;
    if (Object.keys(out).length >= maxFiles) break;
    try {
      const stat = fs.statSync(path.join(dir, name));
      if (!stat.isFile() || bytes + stat.size > maxBytes) continue;
      out[name] = fs.readFileSync(path.join(dir, name), 'utf8');
      bytes += stat.size;
    } catch {
      // unreadable: left out
    }
  }
  return out;
}
