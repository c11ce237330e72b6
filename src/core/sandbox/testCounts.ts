/** Test counts from a runner's own summary (pytest, unittest, node --test), or undefined when it printed none. */
export function countTests(runner: string, stdout: string, stderr: string): { passed: number; failed: number; errors: number } | undefined {
  const text = `${stdout}\n${stderr}`;
  const num = (re: RegExp) => {
    const all = [...text.matchAll(re)];
    const last = all[all.length - 1];
    return last ? Number(last[1]) : undefined;
  };
  if (runner === 'pytest') {
    const summary = [...text.matchAll(/^=*\s*((?:\d+ \w+(?:, )?)+) in [\d.]+s/gm)].pop()?.[1] ?? [...text.matchAll(/^((?:\d+ (?:passed|failed|errors?|skipped|xfailed|xpassed|warnings?|deselected)(?:, )?)+)(?: in [\d.]+s)?\s*$/gm)].pop()?.[1];
    if (summary === undefined) return /no tests ran/.test(text) ? { passed: 0, failed: 0, errors: 0 } : undefined;
    const part = (word: RegExp) => Number(word.exec(summary)?.[1] ?? 0);
    return { passed: part(/(\d+) passed/), failed: part(/(\d+) failed/), errors: part(/(\d+) errors?/) };
  }
  if (runner === 'unittest') {
    const ran = num(/^Ran (\d+) tests? in/gm);
    if (ran === undefined) return undefined;
    const failed = num(/failures=(\d+)/g) ?? 0;
    const errors = num(/errors=(\d+)/g) ?? 0;
    return { passed: Math.max(0, ran - failed - errors), failed, errors };
  }
  if (runner === 'node --test') {
    const passed = num(/^# pass (\d+)/gm);
    const failed = num(/^# fail (\d+)/gm);
    if (passed === undefined || failed === undefined) return undefined;
    return { passed, failed, errors: num(/^# cancelled (\d+)/gm) ?? 0 };
  }
  return undefined;
}
