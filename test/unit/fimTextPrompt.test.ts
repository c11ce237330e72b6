// Goldens of the raw FIM prompts sent to remote servers, written out by hand: the text form of each family is data
// in src/core/fim/families/, and these pin the exact strings the generic builder makes of it.
import { strict as assert } from 'node:assert';
import { buildTextFimPrompt, familyFromModelName } from '../../src/core/fim/textPrompt';
import { InfillError } from '../../src/core/errors';

const PREFIX = 'def f(x):\n    return ';
const SUFFIX = '\n\nprint(f(2))\n';
const CONTEXT = {
  path: 'main.py',
  chunks: [
    { path: 'util.py', text: 'def helper():\n    return 42' },
    { path: 'lib/b.py', text: 'B = 1' },
  ],
};
const AS_COMMENTS = '# Path: util.py\n# def helper():\n#     return 42\n# Path: lib/b.py\n# B = 1\n';

const GOLDENS = [
  {
    family: 'codellama',
    plain: '<PRE> def f(x):\n    return  <SUF>\n\nprint(f(2))\n <MID>',
    withContext: `<PRE> ${AS_COMMENTS}def f(x):\n    return  <SUF>\n\nprint(f(2))\n <MID>`,
    stops: ['<EOT>'],
  },
  {
    family: 'starcoder',
    plain: '<fim_prefix>def f(x):\n    return <fim_suffix>\n\nprint(f(2))\n<fim_middle>',
    withContext:
      '<file_sep>util.py\ndef helper():\n    return 42\n<file_sep>lib/b.py\nB = 1\n' +
      '<fim_prefix>def f(x):\n    return <fim_suffix>\n\nprint(f(2))\n<fim_middle>',
    stops: ['<|endoftext|>', '<file_sep>'],
  },
  {
    family: 'deepseek',
    plain: '<｜fim▁begin｜>def f(x):\n    return <｜fim▁hole｜>\n\nprint(f(2))\n<｜fim▁end｜>',
    withContext: `<｜fim▁begin｜>${AS_COMMENTS}def f(x):\n    return <｜fim▁hole｜>\n\nprint(f(2))\n<｜fim▁end｜>`,
    stops: ['<|EOT|>', '<｜end▁of▁sentence｜>'],
  },
  {
    family: 'qwen',
    plain: '<|fim_prefix|>def f(x):\n    return <|fim_suffix|>\n\nprint(f(2))\n<|fim_middle|>',
    withContext:
      '<|repo_name|>infill\n<|file_sep|>util.py\ndef helper():\n    return 42\n<|file_sep|>lib/b.py\nB = 1\n<|file_sep|>main.py\n' +
      '<|fim_prefix|>def f(x):\n    return <|fim_suffix|>\n\nprint(f(2))\n<|fim_middle|>',
    stops: ['<|endoftext|>', '<|fim_pad|>', '<|file_sep|>', '<|im_end|>'],
  },
  {
    family: 'codegemma',
    plain: '<|fim_prefix|>def f(x):\n    return <|fim_suffix|>\n\nprint(f(2))\n<|fim_middle|>',
    withContext: `<|fim_prefix|>${AS_COMMENTS}def f(x):\n    return <|fim_suffix|>\n\nprint(f(2))\n<|fim_middle|>`,
    stops: ['<|file_separator|>', '<eos>'],
  },
] as const;

describe('raw FIM text prompts for remote servers', () => {
  for (const g of GOLDENS) {
    describe(g.family, () => {
      it('without other files', () => {
        assert.deepEqual(buildTextFimPrompt(g.family, 'any-model', PREFIX, SUFFIX), {
          prompt: g.plain,
          stops: g.stops,
          label: `${g.family} (raw)`,
        });
      });
      it("with other files: the family's repository format, else comments before the prefix", () => {
        assert.equal(buildTextFimPrompt(g.family, 'any-model', PREFIX, SUFFIX, CONTEXT).prompt, g.withContext);
      });
      it('an empty context is no context', () => {
        assert.equal(
          buildTextFimPrompt(g.family, 'any-model', PREFIX, SUFFIX, { path: 'main.py', chunks: [] }).prompt,
          g.plain,
        );
      });
    });
  }

  it('auto: the family from the model name', () => {
    const r = buildTextFimPrompt('auto', 'Qwen/Qwen2.5-Coder-7B', 'a', 'b');
    assert.equal(r.prompt, '<|fim_prefix|>a<|fim_suffix|>b<|fim_middle|>');
    assert.equal(r.label, 'qwen (raw)');
  });

  it('auto with a model name that names no family: a settings error that lists the families', () => {
    assert.throws(
      () => buildTextFimPrompt('auto', 'my-model', 'a', 'b'),
      (err: unknown) =>
        err instanceof InfillError &&
        err.code === 'bad-settings' &&
        /my-model/.test(err.message) &&
        ['codellama', 'starcoder', 'deepseek', 'qwen', 'codegemma'].every((f) => err.fix.includes(f)),
    );
  });
});

describe('the FIM family of a served model name', () => {
  const cases: [string, string | undefined][] = [
    ['codellama:7b-code', 'codellama'],
    ['meta-llama/CodeLlama-7b-hf', 'codellama'],
    ['TheBloke/Code-Llama-7B-GGUF', 'codellama'],
    ['deepseek-coder-6.7b-base', 'deepseek'],
    ['google/codegemma-2b', 'codegemma'],
    ['Qwen/Qwen2.5-Coder-7B', 'qwen'],
    ['bigcode/starcoder2-3b', 'starcoder'],
    ['StarCoderBase-1B', 'starcoder'],
    ['my-model', undefined],
    // A name that matches two families takes the first in detection order.
    ['qwen-codegemma-merge', 'codegemma'],
    ['deepseek-distilled-codellama', 'codellama'],
  ];
  for (const [model, family] of cases)
    it(`${model} → ${family ?? 'none'}`, () => assert.equal(familyFromModelName(model), family));
});
