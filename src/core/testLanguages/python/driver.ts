/**
 * Infill's Python test driver, run inside the sandbox. It runs a test file's tests with pytest when it is installed,
 * else with unittest's runner over everything a person would call a test: `unittest.TestCase` classes, plain `Test*`
 * classes' `test*` methods and module-level `test*` functions (so plain-assert tests run without pytest too). With a
 * module to cover, it also measures which of that module's lines the tests ran, with the standard library's tracing
 * hook (`sys.settrace`, what the `trace` module uses), narrowed to that one file (lines run while the module was imported are left out: every test runs those), and prints them on a last line
 * `@@infill-coverage {"lines": [...], "executable": N}`. The exit code is the test run's (0 passed, 1 failed,
 * 5 no tests ran, as pytest's).
 */
const DRIVER = String.raw`
import importlib, importlib.util, inspect, json, os, sys, unittest
sys.dont_write_bytecode = True


def _method(cls, name):
    return lambda: getattr(cls(), name)()


def collect(module):
    loader = unittest.TestLoader()
    suite = unittest.TestSuite()
    for name, obj in list(vars(module).items()):
        if getattr(obj, '__module__', None) != module.__name__:
            continue
        if inspect.isclass(obj) and issubclass(obj, unittest.TestCase):
            suite.addTests(loader.loadTestsFromTestCase(obj))
        elif inspect.isclass(obj) and name.startswith('Test'):
            for meth in [m for m in vars(obj) if m.startswith('test') and callable(getattr(obj, m))]:
                suite.addTest(unittest.FunctionTestCase(_method(obj, meth), description=name + '.' + meth))
        elif inspect.isfunction(obj) and name.startswith('test'):
            suite.addTest(unittest.FunctionTestCase(obj, description=name))
    return suite


def run_tests(test_file, runner):
    if runner == 'pytest':
        import pytest
        return int(pytest.main(['-q', '-p', 'no:cacheprovider', '--color=no', test_file]))
    folder = os.path.dirname(os.path.abspath(test_file))
    if folder not in sys.path:
        sys.path.insert(0, folder)
    module = importlib.import_module(os.path.splitext(os.path.basename(test_file))[0])
    result = unittest.TextTestRunner(stream=sys.stderr, verbosity=2).run(collect(module))
    if result.testsRun == 0:
        return 5
    return 0 if result.wasSuccessful() else 1


def executable_lines(path):
    import dis
    with open(path, encoding='utf-8') as f:
        code = compile(f.read(), path, 'exec')
    lines, stack = set(), [code]
    while stack:
        c = stack.pop()
        lines.update(n for _, n in dis.findlinestarts(c) if n and n > 0)
        stack.extend(k for k in c.co_consts if inspect.iscode(k))
    return lines


def covered(module_file, test_file, runner):
    # The trace module's mechanism (sys.settrace), narrowed to the one file: frames of other files are not traced.
    import threading
    target = os.path.realpath(module_file)
    ours, hits = {}, set()
    def local(frame, event, arg):
        if event == 'line':
            hits.add(frame.f_lineno)
        return local
    def on_call(frame, event, arg):
        name = frame.f_code.co_filename
        if name not in ours:
            ours[name] = os.path.realpath(name) == target
        return local if ours[name] else None
    def traced(func, *args):
        sys.settrace(on_call)
        threading.settrace(on_call)
        try:
            return func(*args)
        finally:
            sys.settrace(None)
            threading.settrace(None)
    folder = os.path.dirname(target)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    traced(importlib.import_module, os.path.splitext(os.path.basename(module_file))[0])
    at_import = set(hits)
    hits.clear()
    code = traced(run_tests, test_file, runner)
    lines = sorted(hits - at_import)
    sys.stdout.flush()
    sys.stderr.flush()
    print('\n@@infill-coverage ' + json.dumps({'lines': lines, 'executable': len(executable_lines(module_file) - at_import)}), flush=True)
    return code


def main(config):
    runner = config.get('runner', 'auto')
    if runner == 'auto':
        runner = 'pytest' if importlib.util.find_spec('pytest') is not None else 'unittest'
    if config.get('cover'):
        return covered(config['cover'], config['test'], runner)
    return run_tests(config['test'], runner)


if __name__ == '__main__':
    config = CONFIG if CONFIG is not None else {'test': sys.argv[1], 'runner': 'unittest'}
    sys.exit(main(config))
`;

export interface PythonDriverConfig {
  /** The test file to run (relative to the sandbox folder). */
  test: string;
  /** The module whose lines the tests run are measured (relative); none: tests only. */
  cover?: string;
  /** `auto`: pytest when installed, else unittest; `unittest`: unittest's runner even when pytest is there. */
  runner?: 'auto' | 'unittest';
}

/** The driver as a script: with a config it runs that; without one it takes the test file as its argument (unittest). */
export function pythonDriver(config?: PythonDriverConfig): string {
  return `CONFIG = ${config ? JSON.stringify(JSON.stringify(config)) : 'None'}\nif CONFIG is not None:\n    import json as _json\n    CONFIG = _json.loads(CONFIG)\n${DRIVER}`;
}
