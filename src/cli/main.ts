import * as ort from 'onnxruntime-node';
import { InfillError } from '../core/errors';
import { runChat } from './chat';
import { runComplete } from './complete';
import { runDocstring } from './docstring';
import { runDoctor } from './doctor';
import { runEvalFim } from './evalFim';
import { HELP, VERSION } from './help';
import { runModels } from './models';
import { runSandboxCommand } from './sandbox';
import { runSelfInstruct } from './selfinstruct';
import { runTests } from './tests';

ort.env.logLevel = 'error';

/** The `infill` command: a thin adapter over the core. Exit codes: 0 ok, 1 unexpected failure, 2 bad input. */
export async function main(argv: string[]): Promise<number> {
  const verbose = argv.includes('--verbose');
  const [command, ...rest] = argv.filter((a) => a !== '--verbose');
  try {
    switch (command) {
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(HELP);
        return 0;
      case '--version':
      case '-v':
        process.stdout.write(`${VERSION}\n`);
        return 0;
      case 'complete':
        return await runComplete(rest, { verbose });
      case 'chat':
        return await runChat(rest);
      case 'docstring':
        return await runDocstring(rest);
      case 'doctor':
        return await runDoctor(rest);
      case 'models':
        return await runModels(rest);
      case 'sandbox':
        return await runSandboxCommand(rest);
      case 'eval':
        return await runEvalFim(rest);
      case 'tests':
        return await runTests(rest);
      case 'selfinstruct':
        return await runSelfInstruct(rest);
      default:
        throw new InfillError('bad-arguments', `Unknown command "${command}"`, 'Run infill --help to see the commands');
    }
  } catch (err) {
    if (err instanceof InfillError) {
      process.stderr.write(`infill: ${err.toLine()}\n`);
      if (verbose && err.cause instanceof Error) process.stderr.write(`${err.cause.stack ?? err.cause.message}\n`);
      return 2;
    }
    const e = err instanceof Error ? err : new Error(String(err));
    process.stderr.write(
      verbose ? `${e.stack ?? e.message}\n` : `infill: ${e.message} (run again with --verbose for details)\n`,
    );
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`infill: ${String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
