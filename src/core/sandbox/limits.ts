export interface ResourceLimits {
  /** Address space (RLIMIT_AS), MiB. */
  memoryMb: number;
  /** Processes and threads of the program's user (RLIMIT_NPROC). */
  maxProcesses: number;
  /** Largest file written (RLIMIT_FSIZE), MiB. */
  maxFileMb: number;
  /** CPU time (RLIMIT_CPU), seconds: SIGXCPU past it. */
  cpuSeconds: number;
}

const MiB = 1024 * 1024;

/**
 * Prefixes `argv` with util-linux `prlimit`, which sets the limits with setrlimit and then execs the program (so they
 * bind it and everything it starts). Without prlimit, the program runs with the wall-clock timeout only, and says so.
 */
export function limitsCommand(
  limits: ResourceLimits,
  argv: string[],
  prlimit: string | undefined,
): { argv: string[]; notes: string[] } {
  if (!prlimit)
    return {
      argv,
      notes: ['prlimit (util-linux) is missing: no memory, CPU, process or file-size limits, only the timeout'],
    };
  return {
    argv: [
      prlimit,
      `--as=${Math.round(limits.memoryMb * MiB)}`,
      `--nproc=${limits.maxProcesses}`,
      `--fsize=${Math.round(limits.maxFileMb * MiB)}`,
      `--cpu=${limits.cpuSeconds}`,
      '--core=0',
      '--nofile=1024',
      '--',
      ...argv,
    ],
    notes: [],
  };
}

/** What a program prints when an allocation fails under RLIMIT_AS (Python, V8, C++, libc). */
export const memoryKillPattern =
  /MemoryError|JavaScript heap out of memory|Array buffer allocation failed|std::bad_alloc|Cannot allocate memory|Failed to reserve virtual memory|out of memory/i;
