import type { TestParts } from '../spec';
import { classCode } from './parse';

/** A name not yet taken: `name`, else `name_2`, `name_3`... (and marks it taken). */
function freeName(name: string, taken: Set<string>): string {
  let out = name;
  for (let n = 2; taken.has(out); n++) out = `${name}_${n}`;
  taken.add(out);
  return out;
}

const renameDef = (code: string, from: string, to: string) =>
  from === to ? code : code.replace(new RegExp(`^(\\s*def\\s+)${from}\\b`, 'm'), `$1${to}`);

/**
 * Python test functions and classes in order. Test methods of the same class (same name, same setUp and helpers) go
 * back into one class; a same-named class with other members, or a same-named test, gets a numeric suffix, so none
 * hides another.
 */
export function pythonBodies(tests: readonly TestParts[]): string[] {
  const taken = new Set<string>();
  const groups = new Map<
    string,
    { name: string; header: string; preamble: string; methods: string[]; names: Set<string>; at: number }
  >();
  const bodies: (string | { group: string })[] = [];
  for (const t of tests) {
    const c = t.testClass;
    if (!c) {
      bodies.push(renameDef(t.code, t.name, freeName(t.name, taken)));
      continue;
    }
    const key = `${c.name}\n${c.header}\n${c.preamble}`;
    let group = groups.get(key);
    if (!group) {
      const name = freeName(c.name, taken);
      group = {
        name,
        header:
          name === c.name ? c.header : c.header.replace(new RegExp(`^(\\s*class\\s+)${c.name}\\b`, 'm'), `$1${name}`),
        preamble: c.preamble,
        methods: [],
        names: new Set(),
        at: bodies.length,
      };
      groups.set(key, group);
      bodies.push({ group: key });
    }
    group.methods.push(renameDef(c.methodCode, c.method, freeName(c.method, group.names)));
  }
  return bodies.map((b) => {
    if (typeof b === 'string') return b;
    const g = groups.get(b.group)!;
    return classCode({ header: g.header, preamble: g.preamble, methodCode: g.methods });
  });
}

/** The generated file with its tests and classes whose names the existing file defines renamed, so they hide none of its tests. */
export function renameClashes(existing: string, generated: string): string {
  const taken = new Set([...existing.matchAll(/^(?:async\s+)?(?:def|class)\s+(\w+)/gm)].map((m) => m[1]!));
  return generated.replace(
    /^((?:async\s+)?(?:def|class)\s+)(\w+)/gm,
    (_, head: string, name: string) => `${head}${freeName(name, taken)}`,
  );
}

/** The offset of a last top-level `if __name__ == '__main__':` block (nothing top-level after it), or -1. */
export function mainBlockStart(text: string): number {
  const blocks = [...text.matchAll(/^if\s+__name__\s*==\s*(['"])__main__\1\s*:/gm)];
  const last = blocks[blocks.length - 1];
  if (!last) return -1;
  const after = text.slice(last.index).split('\n').slice(1);
  return after.some((l) => l.trim() && !/^\s/.test(l) && !l.startsWith('#')) ? -1 : last.index;
}
