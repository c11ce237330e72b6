import { parseArgs } from 'node:util';
import { buildSetupReport, reportText } from '../core/doctor/report';
import { ioBindingUnavailable } from '../core/engine/providers';
import { fimSelfCheck, selfCheckLine } from '../core/engine/selfCheck';
import { InfillError } from '../core/errors';
import { probeHardware } from '../core/hardware/probe';
import { loadEngineFromFlags } from './loadEngine';

/**
 * `infill doctor`: this machine (memory, CPU, GPUs), what Infill can use on it (providers and why not, IO binding, the
 * sandbox, Python and Node for tests) and the model's FIM self-check. Exit 0, or 1 when a check failed outright.
 */
export async function runDoctor(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        model: { type: 'string' },
        variant: { type: 'string' },
        provider: { type: 'string' },
        threads: { type: 'string' },
        'io-binding': { type: 'string' },
        'no-model': { type: 'boolean' },
        'no-bandwidth': { type: 'boolean' },
        json: { type: 'boolean' },
      },
    });
  } catch (err) {
    throw new InfillError('bad-arguments', (err as Error).message, 'Run infill --help to see the options of doctor');
  }
  const { values } = parsed;
  const hardware = await probeHardware({ bandwidth: values['no-bandwidth'] !== true });
  let model: { name: string; check: Awaited<ReturnType<typeof fimSelfCheck>> | undefined } | undefined;
  const notes: string[] = [];
  if (values['no-model'] !== true) {
    const engine = await loadEngineFromFlags(values, notes);
    try {
      model = {
        name: `${engine.info.name} (${engine.info.variant}, ${engine.info.provider})`,
        check: await fimSelfCheck(engine),
      };
    } finally {
      await engine.dispose();
    }
  }
  const report = await buildSetupReport(hardware, {
    provider: values.provider ?? 'auto',
    ioBinding: values['io-binding'] !== 'off',
    ioBindingProblem: ioBindingUnavailable() ?? null,
    model,
  });
  if (values.json) {
    process.stdout.write(JSON.stringify({ ...report, loadNotes: notes }, null, 2) + '\n');
  } else {
    const lines = reportText(report);
    if (model?.check) lines.push('', selfCheckLine(model.check));
    for (const n of notes) lines.push(`# ${n}`);
    process.stdout.write(lines.join('\n') + '\n');
  }
  return report.checks.some((c) => c.status === 'fail') ? 1 : 0;
}
