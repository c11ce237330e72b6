import { FIM_FAMILIES } from '../core/fim/registry';

// The version comes from package.json at build time (esbuild define) or at run time from source.
declare const INFILL_VERSION: string | undefined;
export const VERSION: string =
  typeof INFILL_VERSION === 'string' ? INFILL_VERSION : (require('../../package.json') as { version: string }).version;

export const HELP = `infill ${VERSION}: local code completion with Code Llama-style models (onnxruntime, no server)

Usage:
  infill complete FILE:LINE:COL [options]   print the text to insert at LINE:COL (1-based)
  infill chat "QUESTION" [--file F]... [--model DIR] [--json]
                                            ask the chat model (streams the answer; --file attaches code, cut to
                                            --context-tokens N, default 1500; --max-tokens N, --temperature T,
                                            --seed N, --system TEXT; --variant, --provider, --threads, --io-binding as for complete)
  infill docstring FILE:LINE [options]      print the doc comment for the function, method or class at LINE (1-based),
                                            written by infilling between the comment's delimiters
  infill tests FILE:LINE [--samples N] [--runs K] [--out FILE] [--append | --force] [--dry-run] [--no-coverage-filter] [--json]
                                            unit tests for the function at LINE: the model writes them, the sandbox runs
                                            each against the real code; kept: those that build, pass, pass K runs in a
                                            row (default 5 samples, 3 runs) and run lines of the module the tests kept
                                            before them do not (line coverage, measured in the sandbox), deduplicated; written to test_<module>.py /
                                            <name>.test.ts beside the file (never over an existing file without --force)
  infill selfinstruct [--questions Q.jsonl[.gz]] --out DATASET.jsonl [--tests 5] [--solutions 10] [--limit N] [--json]
                                            Code Llama's self-instruct recipe (questions: HumanEval from data/ by
                                            default): 5 tests per question, then up to 10
                                            solutions each shown one test; keeps the first that passes all. Resumable
                                            (ids in DATASET are skipped); rows {id, question, tests, solution, attempts},
                                            solution null when none passed
                                            (both: --model, --variant, --provider, --threads, --io-binding as for complete; --temperature
                                            T (0.8), --seed N, --max-tokens N, --timeout-ms N, --memory-mb N per sandbox run)
  infill sandbox run --lang python|javascript|typescript FILE [--tests] [--timeout-ms N] [--memory-mb N] [--json]
                                            run FILE in the sandbox: a fresh temp folder, time/CPU/memory/process/output
                                            limits, a scrubbed environment, no network where the OS allows; --tests runs
                                            it with pytest (else unittest) or node --test. Exit 0 passed, 1 failed
  infill eval fim [--dataset FILE.jsonl.gz] [--limit N] [--canonical] [--fim auto|psm|spm] [--max-tokens N] [--json]
                                            HumanEval-infilling (default: data/'s single-line set) scored by
                                            execution: the real completion pipeline (or
                                            the canonical middles) between prompt and suffix, then the test; pass@1,
                                            exact match, latency p50/p95 (--model, --variant, --provider, --threads as
                                            for complete; --timeout-ms N, --memory-mb N per task)
  infill models list [--dir HOME] [--json]  the model catalog, and the models downloaded into HOME
  infill models pull REPO|ID [--variant V] [--revision R] [--endpoint URL] [--dir DIR] [--offline] [--force] [--json]
                                            download a model from the Hugging Face hub (resumable, checksummed);
                                            refused when it cannot fit in this machine's memory (--force: anyway);
                                            prints the model folder (default ~/.cache/infill/models/OWNER--NAME-V)
  infill models verify DIR [--json]         check that a model folder is complete (checksums when Infill downloaded it)
  infill models recommend [--for completion|chat] [--context N] [--json]
                                            rank the catalog for this machine: memory (weights + KV cache at N tokens,
                                            default 2048, + runtime) against free memory or GPU memory, and expected
                                            tokens/s from the measured memory bandwidth, with the reason for each
  infill doctor [--model DIR] [--no-model] [--no-bandwidth] [--json]
                                            this machine (memory, CPU features, GPUs) and what Infill can use on it:
                                            providers and why not, IO binding, the sandbox's isolation, Python and
                                            Node for tests, and the model's FIM self-check (default: the shipped model)
  infill --help | --version

Options for complete:
  --model DIR          Hugging Face ONNX model folder (default: the shipped tiny-codellama)
  --variant V          auto | q8 | fp32 | fp16 | q4 (default auto: the export's preferred dtype, else q8;
                       falls back to the variants that exist)
  --provider P         auto | cpu | cuda | dml (default auto: CUDA on Linux, DirectML on Windows, then CPU)
  --threads N          CPU threads (default: onnxruntime's choice)
  --io-binding on|off  on the CPU, onnxruntime's C API with the KV cache bound in place (default on; off: onnxruntime-node's
                       session API)
  --max-tokens N       most tokens to generate (default 64)
  --fim F              auto | psm | spm (default auto: SPM where the prefix ends a line and the model supports it)
  --fim-family NAME    ${['auto', ...FIM_FAMILIES].join(' | ')} (default auto: from the tokenizer)
  --temperature T      0 is greedy (default 0); --top-k N, --top-p P, --seed N when sampling
  --deadline-ms N      stop generating after N ms
  --json               print one JSON object with the completion and its timings
  --verbose            print stack traces of errors

Options for docstring (and --model, --variant, --provider, --threads, --io-binding as for complete):
  --style S            Python: auto | google | numpy | rest (default auto: the style used in the file, else google)
  --language L         python | javascript | typescript | java | go | rust | c | cpp | csharp (default: from the extension)
  --max-tokens N       most tokens to generate (default 128)
  --json               one object: {docstring, language, style, insertAt: {line, character}, replaces: {start, end} | null};
                       positions are 1-based lines and characters, like FILE:LINE; docstring is the exact text to insert
                       at insertAt (or to put in place of replaces), indented, with its line break

Models: --endpoint defaults to HF_ENDPOINT, else https://huggingface.co; HF_TOKEN is sent for gated repositories;
--offline (or HF_HUB_OFFLINE=1) refuses any network use; INFILL_MODELS_DIR moves the default models folder.

Exit codes: 0 done, 2 bad input (the message says what to fix), 1 unexpected failure.
`;
