// unittest-style tests (methods taking self inside a unittest.TestCase or a pytest Test* class): cut out of model
// output with their class, put back together in the test file, and appended to an existing one without hiding its tests.
import { strict as assert } from 'node:assert';
import {
  appendInsertion,
  appendToTestFile,
  composeTestFile,
  moduleRef,
  normalizeTest,
  parsePythonTests,
} from '../../src/core/harness';

const SAMPLE = `[TESTS]
import unittest
from clamp import clamp


class TestClamp(unittest.TestCase):
    """Clamp's tests."""

    def setUp(self):
        self.hi = 10

    def test_above(self):
        self.assertEqual(clamp(20, 0, self.hi), 10)

    @unittest.skipIf(False, 'never')
    def test_inside(self):
        self.assertEqual(clamp(5, 0, self.hi), 5)

    def helper(self):
        return 1


def test_plain():
    assert clamp(-1, 0, 1) == 0


def test_stray(self):
    assert True
[/TESTS]`;

describe('harness: unittest-style tests', () => {
  const fn = { name: 'clamp', className: undefined };
  const mod = moduleRef('clamp.py', '', 'python');

  it('each test method comes with its class header and the members that are not tests; a method outside a class is left out', () => {
    const tests = parsePythonTests(SAMPLE);
    assert.deepEqual(
      tests.map((t) => t.name),
      ['TestClamp.test_above', 'TestClamp.test_inside', 'test_plain'],
    );
    assert.equal(
      tests[0]!.code,
      [
        'class TestClamp(unittest.TestCase):',
        '    """Clamp\'s tests."""',
        '',
        '    def setUp(self):',
        '        self.hi = 10',
        '',
        '    def helper(self):',
        '        return 1',
        '',
        '    def test_above(self):',
        '        self.assertEqual(clamp(20, 0, self.hi), 10)',
      ].join('\n'),
    );
    assert.match(tests[1]!.code, /\n {4}@unittest\.skipIf\(False, 'never'\)\n {4}def test_inside\(self\):\n/);
    assert.deepEqual(tests[0]!.imports, ['import unittest', 'from clamp import clamp']);
    assert.deepEqual([tests[0]!.testClass?.name, tests[0]!.testClass?.method], ['TestClamp', 'test_above']);
  });

  it('duplicates: the same method in a class of another name is the same test', () => {
    const a = parsePythonTests(
      'class TestA(unittest.TestCase):\n    def test_x(self):\n        self.assertEqual(f(1), 1)\n',
    )[0]!;
    const b = parsePythonTests(
      'class TestB(unittest.TestCase):\n    def test_y(self):\n        # same\n        self.assertEqual(f(1),1)\n',
    )[0]!;
    const c = parsePythonTests(
      'class TestB(unittest.TestCase):\n    def test_y(self):\n        self.assertEqual(f(2), 2)\n',
    )[0]!;
    assert.equal(normalizeTest('python', a), normalizeTest('python', b));
    assert.notEqual(normalizeTest('python', a), normalizeTest('python', c));
  });

  it('the test file: kept methods of one class go back into one class; a same-named class with other members is renamed', () => {
    const [above, inside, plain] = parsePythonTests(SAMPLE);
    const other = parsePythonTests(
      'import unittest\n\nclass TestClamp(unittest.TestCase):\n    def test_above(self):\n        self.assertEqual(clamp(11, 0, 10), 10)\n',
    )[0]!;
    const text = composeTestFile(fn, mod, [above!, plain!, inside!, other]);
    assert.equal(
      text,
      [
        'from clamp import clamp',
        'import unittest',
        '',
        '',
        'class TestClamp(unittest.TestCase):',
        '    """Clamp\'s tests."""',
        '',
        '    def setUp(self):',
        '        self.hi = 10',
        '',
        '    def helper(self):',
        '        return 1',
        '',
        '    def test_above(self):',
        '        self.assertEqual(clamp(20, 0, self.hi), 10)',
        '',
        "    @unittest.skipIf(False, 'never')",
        '    def test_inside(self):',
        '        self.assertEqual(clamp(5, 0, self.hi), 5)',
        '',
        '',
        'def test_plain():',
        '    assert clamp(-1, 0, 1) == 0',
        '',
        '',
        'class TestClamp_2(unittest.TestCase):',
        '    def test_above(self):',
        '        self.assertEqual(clamp(11, 0, 10), 10)',
        '',
      ].join('\n'),
    );
  });

  it('appending: names the file defines get a suffix; the tests go before a closing __main__ block', () => {
    const existing =
      "import unittest\nfrom clamp import clamp\n\n\nclass TestClamp(unittest.TestCase):\n    def test_old(self):\n        self.assertEqual(clamp(0, 0, 1), 0)\n\n\ndef test_plain():\n    assert True\n\n\nif __name__ == '__main__':\n    unittest.main()\n";
    const [above, , plain] = parsePythonTests(SAMPLE);
    const generated = composeTestFile(fn, mod, [above!, plain!]);
    const { at, text } = appendInsertion(existing, generated, 'python');
    assert.equal(at, existing.indexOf('if __name__'));
    const out = appendToTestFile(existing, generated, 'python');
    assert.equal(out, existing.slice(0, at) + text + existing.slice(at));
    assert.ok(out.endsWith("\n\n\nif __name__ == '__main__':\n    unittest.main()\n"), out);
    assert.match(out, /\nclass TestClamp_2\(unittest\.TestCase\):\n/);
    assert.match(out, /\ndef test_plain_2\(\):\n {4}assert clamp\(-1, 0, 1\) == 0\n/);
    assert.equal(out.match(/^import unittest$/gm)?.length, 1, 'imports the file has are not added again');
    // Without a __main__ block: at the end.
    assert.equal(
      appendInsertion('def test_x():\n    assert 1\n', generated, 'python').at,
      'def test_x():\n    assert 1\n'.length,
    );
  });
});
