import { execFile } from 'node:child_process';

/** A finished command: its stdout, or why there is none (not installed, failed, timed out). */
export interface CommandResult {
  stdout?: string;
  error?: string;
}

/** Runs a probe command. The probe never throws for a missing or failing tool: it notes it and goes on. */
export type CommandRunner = (file: string, args: readonly string[]) => Promise<CommandResult>;

/** Runs a command with a time limit (a hung driver tool must not hang the probe), without a shell. */
export function systemRunner(timeoutMs = 3000): CommandRunner {
  return (file, args) =>
    new Promise((resolve) => {
      execFile(file, [...args], { timeout: timeoutMs, windowsHide: true, maxBuffer: 1 << 20 }, (err, stdout) => {
        if (!err) return resolve({ stdout });
        const e = err as NodeJS.ErrnoException & { killed?: boolean };
        resolve({
          error:
            e.code === 'ENOENT'
              ? `${file} not found`
              : e.killed
                ? `${file} did not answer within ${timeoutMs} ms`
                : `${file} failed: ${(e.message.split('\n')[0] ?? '').slice(0, 160)}`,
        });
      });
    });
}
