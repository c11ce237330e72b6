import { InfillError } from '../core/errors';

/** A numeric flag: the fallback when absent, else a finite number in [min, max] (whole unless `integer` is false). */
export function numberFlag(
  flag: string,
  value: string | undefined,
  fallback: number,
  min: number,
  integer = true,
  max = Infinity,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new InfillError(
      'bad-arguments',
      `--${flag} ${value} is not a valid value`,
      `Give --${flag} a ${integer ? 'whole ' : ''}number of at least ${min}${max < Infinity ? ` and at most ${max}` : ''}`,
    );
  }
  return n;
}

/** A flag with a fixed set of values: the fallback when absent. */
export function oneOf<T extends string>(
  flag: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new InfillError(
    'bad-arguments',
    `--${flag} ${value} is not one of ${allowed.join(', ')}`,
    `Use --${flag} ${allowed[0]}`,
  );
}
