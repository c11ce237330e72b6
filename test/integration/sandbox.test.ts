import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { InfillError } from '../../src/core/errors';
import { isolationPlan, runInSandbox, sandboxPassed, type SandboxResult } from '../../src/core/sandbox';
import { pythonInfo } from '../../src/core/testLanguages/python/runner';

const py = (code: string, extra: Partial<Parameters<typeof runInSandbox>[0]> = {}) =>
  runInSandbox({ language: 'python', files: { 'main.py': code }, entry: 'main.py', mode: 'script', ...extra });

/** Processes whose command line holds `marker` (none should outlive a sandbox run). */
function processesWith(marker: string): string[] {
  return execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(marker) && !l.includes('ps -eo'));
}

/** Skips with the reason printed, so a skipped isolation check is never mistaken for a pass. */
function skipBecause(ctx: Mocha.Context, reason: string): never {
  process.stdout.write(`      skipped: ${reason}\n`);
  ctx.skip();
}

function why(r: SandboxResult): string {
  return `exit ${String(r.exitCode)}, signal ${String(r.signal)}, timedOut ${r.timedOut}, limit ${String(r.killedByLimit)}\nstdout: ${r.stdoutTail.slice(-500)}\nstderr: ${r.stderrTail.slice(-800)}`;
}

describe('sandbox (real subprocesses, hostile programs)', function () {
  this.timeout(60000);
  let plan: Awaited<ReturnType<typeof isolationPlan>>;
  before(async () => {
    plan = await isolationPlan();
  });

  it('runs a program in a fresh folder that is its cwd, HOME and TMPDIR, and removes the folder afterwards', async () => {
    const r = await py(
      'import os, tempfile\nprint(os.getcwd()); print(os.environ["HOME"]); print(tempfile.gettempdir())\nopen("made.txt", "w").write("x")\n',
    );
    assert.ok(sandboxPassed(r), why(r));
    const [cwd, home, tmp] = r.stdoutTail.trim().split('\n');
    assert.match(path.basename(cwd!), /^infill-sandbox-/);
    assert.equal(home, cwd);
    assert.ok(tmp!.startsWith(cwd! + path.sep), `TMPDIR ${tmp} is inside ${cwd}`);
    assert.equal(fs.existsSync(cwd!), false, 'the sandbox folder is removed');
    assert.equal(r.runner, 'python');
    assert.ok(r.isolationNote.length > 0);
  });

  it("runs when the temporary folder sits below a private (0700) folder, as an editor's own TMPDIR may", async () => {
    const priv = fs.mkdtempSync(path.join('/tmp', 'infill-private-'));
    fs.chmodSync(priv, 0o700);
    fs.mkdirSync(path.join(priv, 'tmp'));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = path.join(priv, 'tmp');
    try {
      const r = await py('print("reached")\n');
      assert.ok(sandboxPassed(r), why(r));
      assert.equal(r.stdoutTail.trim(), 'reached');
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      fs.rmSync(priv, { recursive: true, force: true });
    }
  });

  it('refuses files whose paths leave the folder, and an entry that is not one of the files', async () => {
    await assert.rejects(
      runInSandbox({ language: 'python', files: { '../evil.py': 'print(1)' }, entry: '../evil.py', mode: 'script' }),
      (e: unknown) => e instanceof InfillError && /leaves the sandbox folder/.test(e.message),
    );
    await assert.rejects(
      runInSandbox({
        language: 'python',
        files: { '/tmp/evil.py': 'print(1)' },
        entry: '/tmp/evil.py',
        mode: 'script',
      }),
      InfillError,
    );
    await assert.rejects(
      runInSandbox({ language: 'python', files: { 'a.py': '' }, entry: 'b.py', mode: 'script' }),
      InfillError,
    );
  });

  it('a program that writes outside its folder cannot leave a file there', async function () {
    if (!plan.filesystemIsolated) skipBecause(this, `no filesystem isolation here: ${plan.note}`);
    const outside = path.join(os.tmpdir(), `infill-outside-${randomBytes(6).toString('hex')}.txt`);
    try {
      const r = await py(
        `try:\n    open(${JSON.stringify(outside)}, "w").write("escaped")\n    print("wrote")\nexcept OSError as e:\n    print("refused", e)\n`,
      );
      assert.equal(fs.existsSync(outside), false, `the file must not appear outside the sandbox (${why(r)})`);
      // In the home folder too (hidden and read-only), and in the repository.
      const r2 = await py(
        `import os\nfor p in [os.path.expanduser("~root/infill-escape.txt"), ${JSON.stringify(path.join(process.cwd(), 'infill-escape.txt'))}]:\n    try:\n        open(p, "w").write("x")\n    except OSError as e:\n        print("refused", p)\n`,
      );
      assert.equal(fs.existsSync(path.join(process.cwd(), 'infill-escape.txt')), false, why(r2));
      assert.match(r2.stdoutTail, /refused/);
    } finally {
      fs.rmSync(outside, { force: true });
    }
  });

  it('a fork bomb is contained by the process limit, stops at the timeout, and leaves no process behind', async function () {
    if (!plan.processLimited)
      skipBecause(this, `the process limit does not bind here (RLIMIT_NPROC spares root): ${plan.note}`);
    const marker = `bomb_${randomBytes(4).toString('hex')}.py`;
    const started = Date.now();
    const r = await runInSandbox({
      language: 'python',
      files: {
        [marker]:
          'import os\nwhile True:\n    try:\n        os.fork()\n    except OSError as e:\n        print("fork refused:", e.strerror, flush=True)\n        break\nimport time\ntime.sleep(60)\n',
      },
      entry: marker,
      mode: 'script',
      timeoutMs: 3000,
      maxProcesses: 16,
    });
    assert.equal(sandboxPassed(r), false);
    assert.ok(r.timedOut, why(r));
    assert.match(r.stdoutTail, /fork refused: Resource temporarily unavailable/, 'the process limit refused the forks');
    assert.ok(Date.now() - started < 10000, 'finished within the timeout');
    assert.deepEqual(processesWith(marker), []);
    const probe = spawnSync('true', { timeout: 5000 });
    assert.equal(probe.status, 0, 'the machine can still start processes');
  });

  it('an infinite loop is timed out and its whole process group killed, children included', async () => {
    const marker = String(900000 + Math.floor(Math.random() * 99999));
    const r = await py(`import subprocess\nsubprocess.Popen(["sleep", "${marker}"])\nwhile True:\n    pass\n`, {
      timeoutMs: 1500,
    });
    assert.equal(r.timedOut, true, why(r));
    assert.equal(sandboxPassed(r), false);
    assert.ok(r.durationMs < 5000, `took ${r.durationMs} ms`);
    assert.deepEqual(processesWith(`sleep ${marker}`), [], 'no leftover process');
  });

  it('an abort signal stops the program at once', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const r = await py('while True:\n    pass\n', { signal: controller.signal, timeoutMs: 20000 });
    assert.equal(r.aborted, true);
    assert.equal(sandboxPassed(r), false);
    assert.ok(r.durationMs < 5000);
  });

  it('a memory hog is stopped by the memory limit and reported as such', async () => {
    const r = await py('x = []\nwhile True:\n    x.append(bytearray(16 * 1024 * 1024))\n', {
      memoryMb: 128,
      timeoutMs: 20000,
    });
    assert.equal(r.killedByLimit, 'memory', why(r));
    assert.equal(r.timedOut, false);
    assert.equal(sandboxPassed(r), false);
    const js = await runInSandbox({
      language: 'javascript',
      files: { 'hog.js': 'const a = []; for (;;) a.push(new Array(1e6).fill(1.5));\n' },
      entry: 'hog.js',
      mode: 'script',
      memoryMb: 128,
      timeoutMs: 30000,
    });
    assert.equal(js.killedByLimit, 'memory', why(js));
  });

  it('a connection to a loopback listener outside the sandbox is refused', async function () {
    if (!plan.networkIsolated) skipBecause(this, `no network isolation here: ${plan.note}`);
    const server = net.createServer((s) => {
      accepted++;
      s.on('error', () => undefined);
      s.end('hello');
    });
    let accepted = 0;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as net.AddressInfo).port;
      const control = await new Promise<boolean>((resolve) => {
        const c = net
          .connect(port, '127.0.0.1', () => {
            c.destroy();
            resolve(true);
          })
          .on('error', () => resolve(false));
      });
      assert.ok(control, 'the listener accepts connections from outside the sandbox');
      const before = accepted;
      const r = await py(
        `import socket\ntry:\n    socket.create_connection(("127.0.0.1", ${port}), timeout=3).recv(5)\n    print("connected")\nexcept OSError as e:\n    print("refused", e)\n`,
      );
      assert.match(r.stdoutTail, /refused/, why(r));
      assert.equal(accepted, before, 'the listener saw no connection from the sandbox');
      assert.equal(r.networkIsolated, true);
    } finally {
      server.close();
    }
  });

  it('unbounded output is capped, the program stopped and the drop reported', async () => {
    const r = await py('while True:\n    print("x" * 1000)\n', { maxOutputBytes: 64 * 1024, timeoutMs: 20000 });
    assert.equal(r.killedByLimit, 'output', why(r));
    assert.equal(r.timedOut, false);
    assert.ok(Buffer.byteLength(r.stdoutTail) < 64 * 1024 + 200, `kept ${Buffer.byteLength(r.stdoutTail)} bytes`);
    assert.match(r.stdoutTail, /\[infill: \d+ bytes of output dropped\]$/);
  });

  it('the program does not see secrets from the parent environment', async () => {
    const secret = `s3cret-${randomBytes(8).toString('hex')}`;
    process.env.INFILL_TEST_SECRET = secret;
    try {
      const r = await py(
        'import os\nprint(os.environ.get("INFILL_TEST_SECRET"))\nprint(sorted(os.environ))\nprint(open("/proc/self/environ").read())\n',
      );
      assert.ok(sandboxPassed(r), why(r));
      assert.ok(!r.stdoutTail.includes(secret), 'the secret leaked');
      assert.match(r.stdoutTail, /^None$/m);
      const js = await runInSandbox({
        language: 'javascript',
        files: { 'env.js': 'console.log(JSON.stringify(process.env))' },
        entry: 'env.js',
        mode: 'script',
      });
      assert.ok(sandboxPassed(js), why(js));
      assert.ok(!js.stdoutTail.includes(secret));
    } finally {
      delete process.env.INFILL_TEST_SECRET;
    }
  });

  it('JavaScript and TypeScript tests run with node --test, passes and failures counted', async () => {
    const jsTests =
      'const test = require("node:test");\nconst assert = require("node:assert");\nconst { add } = require("./add");\n' +
      'test("adds", () => assert.equal(add(1, 2), 3));\ntest("wrong", () => assert.equal(add(1, 2), 4));\n';
    const js = await runInSandbox({
      language: 'javascript',
      files: { 'add.js': 'exports.add = (a, b) => a + b;\n', 'add.test.js': jsTests },
      entry: 'add.test.js',
      mode: 'tests',
    });
    assert.equal(js.runner, 'node --test');
    assert.deepEqual(js.tests, { passed: 1, failed: 1, errors: 0 }, why(js));
    assert.equal(sandboxPassed(js), false);

    const tsTests =
      'import test from "node:test";\nimport assert from "node:assert";\nimport { add } from "./add";\n' +
      'test("adds", () => { const n: number = add(2, 3); assert.equal(n, 5); });\n';
    const ts = await runInSandbox({
      language: 'typescript',
      files: {
        'add.ts': 'export function add(a: number, b: number): number { return a + b; }\n',
        'add.test.ts': tsTests,
      },
      entry: 'add.test.ts',
      mode: 'tests',
    });
    assert.ok(sandboxPassed(ts), why(ts));
    assert.deepEqual(ts.tests, { passed: 1, failed: 0, errors: 0 });

    const broken = await runInSandbox({
      language: 'typescript',
      files: { 'b.ts': 'const x: number = ;\n' },
      entry: 'b.ts',
      mode: 'script',
    });
    assert.equal(sandboxPassed(broken), false);
    assert.match(broken.stderrTail, /TypeScript error in b\.ts/);
  });

  it('Python tests run with pytest when it is installed, else unittest, with counts', async () => {
    const info = await pythonInfo();
    assert.ok(info, 'python is installed');
    const unittestFile =
      'import unittest\n\nclass T(unittest.TestCase):\n    def test_ok(self):\n        self.assertEqual(1 + 1, 2)\n\n    def test_bad(self):\n        self.assertEqual(1 + 1, 3)\n';
    const r = await runInSandbox({
      language: 'python',
      files: { 'test_m.py': unittestFile },
      entry: 'test_m.py',
      mode: 'tests',
    });
    assert.equal(r.runner, info.pytest ? 'pytest' : 'unittest');
    assert.deepEqual(r.tests, { passed: 1, failed: 1, errors: 0 }, why(r));
    assert.equal(sandboxPassed(r), false);
    if (info.pytest) {
      const p = await runInSandbox({
        language: 'python',
        files: { 'test_p.py': 'def test_a():\n    assert 2 * 2 == 4\n' },
        entry: 'test_p.py',
        mode: 'tests',
      });
      assert.ok(sandboxPassed(p), why(p));
      assert.deepEqual(p.tests, { passed: 1, failed: 0, errors: 0 });
    }
  });
});
