import * as fs from 'node:fs';
import * as path from 'node:path';
import { checksumOf, fileChecksum } from './checksum';
import { readManifest, type ModelManifest } from './manifest';
import { REQUIRED_SUPPORT_FILES, VARIANT_ONNX_FILES } from './variantFiles';

export interface VerifyReport {
  dir: string;
  ok: boolean;
  /** What makes the folder unusable or untrustworthy (each one line). */
  problems: string[];
  /** What is worth knowing but does not stop loading. */
  warnings: string[];
  /** The ONNX graphs found under onnx/, with the external data files each one names. */
  graphs: { file: string; externalData: string[] }[];
  /** Where the folder came from, when Infill downloaded it. */
  manifest?: Pick<ModelManifest, 'repo' | 'revision' | 'variant'>;
  /** Files whose checksum was checked against the manifest. */
  checksummed: number;
}

const KNOWN_GRAPHS = new Set(Object.values(VARIANT_ONNX_FILES).flat());
/** In an ONNX file, an external tensor's location is a StringStringEntryProto: key "location" (field 1), value (field 2). */
const LOCATION_KEY = Buffer.from('\x0a\x08location\x12', 'latin1');

/** The external data file names an ONNX graph refers to, read from its protobuf bytes without an ONNX parser. */
export async function externalDataOf(file: string): Promise<string[]> {
  const found = new Set<string>();
  let carry = Buffer.alloc(0);
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 4 << 20 })) {
    const buf = Buffer.concat([carry, chunk as Buffer]);
    let at = buf.indexOf(LOCATION_KEY);
    let keepFrom = Math.max(0, buf.length - 1024);
    while (at >= 0) {
      const lenAt = at + LOCATION_KEY.length;
      // A location shorter than 128 bytes has a one-byte length (a varint below 0x80).
      if (lenAt >= buf.length || lenAt + 1 + (buf[lenAt]! & 0x7f) > buf.length) {
        keepFrom = Math.min(keepFrom, at);
        break;
      }
      const len = buf[lenAt]!;
      if (len < 0x80) found.add(buf.subarray(lenAt + 1, lenAt + 1 + len).toString('utf8'));
      at = buf.indexOf(LOCATION_KEY, lenAt);
    }
    carry = buf.subarray(keepFrom);
  }
  return [...found];
}

function jsonProblem(
  dir: string,
  name: string,
  required: boolean,
  check?: (v: Record<string, unknown>) => string | undefined,
): string | undefined {
  const file = path.join(dir, name);
  if (!fs.existsSync(file)) return required ? `${name} is missing` : undefined;
  try {
    const v: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (typeof v !== 'object' || v === null) return `${name} is not a JSON object`;
    return check?.(v as Record<string, unknown>);
  } catch {
    return `${name} is not valid JSON`;
  }
}

function walk(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...walk(dir, p));
    else out.push(p);
  }
  return out;
}

/**
 * Checks that a folder is a complete, loadable-looking model: config and tokenizer files that parse, an ONNX graph of
 * a known variant with every external data file it names, no leftover parts of a download, and, when Infill downloaded
 * it, every file's size and checksum against the manifest.
 */
export async function verifyModelFolder(dir: string, signal?: AbortSignal): Promise<VerifyReport> {
  const abs = path.resolve(dir);
  const report: VerifyReport = { dir: abs, ok: false, problems: [], warnings: [], graphs: [], checksummed: 0 };
  if (!fs.statSync(abs, { throwIfNoEntry: false })?.isDirectory()) {
    report.problems.push(`${abs} is not a folder`);
    return report;
  }
  if (abs.endsWith('.partial')) report.problems.push('this is an unfinished download (a .partial folder)');
  const files = walk(abs);
  const parts = files.filter((f) => f.endsWith('.part'));
  if (parts.length) report.problems.push(`unfinished download: ${parts.join(', ')}`);

  for (const name of REQUIRED_SUPPORT_FILES) {
    const p = jsonProblem(
      abs,
      name,
      true,
      name === 'config.json'
        ? (v) => {
            const text = (v['text_config'] as Record<string, unknown> | undefined) ?? v;
            return typeof text['vocab_size'] === 'number'
              ? undefined
              : 'config.json has no vocab_size: it does not describe a decoder';
          }
        : (v) =>
            typeof v['model'] === 'object' ? undefined : 'tokenizer.json has no model: it is not a tokenizers file',
    );
    if (p) report.problems.push(p);
  }
  const tc = jsonProblem(abs, 'tokenizer_config.json', false);
  if (tc) report.problems.push(tc);
  else if (!fs.existsSync(path.join(abs, 'tokenizer_config.json')))
    report.warnings.push('no tokenizer_config.json: special tokens and the chat template may be missing');

  const graphs = files.filter((f) => f.startsWith('onnx/') && KNOWN_GRAPHS.has(f.slice(5)));
  if (graphs.length === 0)
    report.problems.push(
      'no onnx/model*.onnx graph of a known variant (model.onnx, model_quantized.onnx, model_fp16.onnx, model_q4.onnx...)',
    );
  for (const g of graphs) {
    signal?.throwIfAborted();
    const externalData = await externalDataOf(path.join(abs, g));
    report.graphs.push({ file: g, externalData });
    for (const d of externalData) {
      if (!fs.existsSync(path.join(abs, 'onnx', d))) report.problems.push(`${g} needs onnx/${d}, which is missing`);
    }
  }

  const manifest = readManifest(abs);
  if (manifest) {
    report.manifest = { repo: manifest.repo, revision: manifest.revision, variant: manifest.variant };
    for (const f of manifest.files) {
      signal?.throwIfAborted();
      const p = path.join(abs, f.path);
      const size = fs.statSync(p, { throwIfNoEntry: false })?.size;
      if (size === undefined) {
        report.problems.push(`${f.path} (listed in the manifest) is missing`);
        continue;
      }
      if (size !== f.size) {
        report.problems.push(`${f.path} has ${size} bytes, the manifest says ${f.size}`);
        continue;
      }
      const sum = checksumOf(f);
      if (!sum) continue;
      const actual = await fileChecksum(sum.kind, p, signal);
      if (actual !== sum.expected) report.problems.push(`${f.path} fails its ${sum.kind} checksum`);
      else report.checksummed++;
    }
  } else {
    report.warnings.push('no infill-manifest.json (not downloaded by Infill): checksums were not checked');
  }
  report.ok = report.problems.length === 0;
  return report;
}
