// Model recommendation (src/core/hardware/recommend.ts) on fixed hardware profiles: golden tables in
// test/fixtures/recommend/ (INFILL_UPDATE_GOLDEN=1 rewrites them; read the diff before committing it).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  estimateCpuTokensPerSecond,
  estimateMemory,
  kvCacheBytes,
  MEASURED,
  RUNTIME_BYTES,
} from '../../src/core/hardware/estimate';
import { recommendationTable, recommendModels, type ModelRole } from '../../src/core/hardware/recommend';
import type { HardwareProfile } from '../../src/core/hardware/types';
import { CATALOG } from '../../src/core/models/catalog';

const GB = 1e9;
const GOLDEN = path.resolve(__dirname, '..', 'fixtures', 'recommend');

function profile(
  cores: number,
  totalGb: number,
  availableGb: number,
  bandwidthGBps: number,
  gpus: HardwareProfile['gpus'] = [],
): HardwareProfile {
  return {
    platform: 'linux',
    arch: 'x64',
    cpu: {
      model: 'fixed profile',
      cores,
      features: { avx2: true, avx512: false, vnni: false, neon: false, dotprod: false },
    },
    memory: { totalBytes: totalGb * GB, availableBytes: availableGb * GB },
    gpus,
    memoryBandwidthGBps: bandwidthGBps,
    notes: [],
  };
}

const RTX_4090 = {
  vendor: 'nvidia' as const,
  name: 'NVIDIA GeForce RTX 4090',
  source: 'nvidia-smi' as const,
  memoryTotalBytes: 24 * GB,
  memoryFreeBytes: 22 * GB,
};

const PROFILES: { name: string; hardware: HardwareProfile; cuda: boolean }[] = [
  { name: 'small-4gb-2cores', hardware: profile(2, 4, 2.5, 12), cuda: false },
  { name: 'laptop-16gb-8cores', hardware: profile(8, 16, 9, 40), cuda: false },
  { name: 'desktop-32gb-16cores', hardware: profile(16, 32, 26, 60), cuda: false },
  { name: 'workstation-rtx4090-cuda', hardware: profile(16, 64, 50, 60, [RTX_4090]), cuda: true },
  { name: 'workstation-rtx4090-no-cuda-runtime', hardware: profile(16, 64, 50, 60, [RTX_4090]), cuda: false },
];

describe('model recommendation: golden tables on fixed hardware', () => {
  for (const p of PROFILES) {
    for (const role of ['completion', 'chat'] as ModelRole[]) {
      it(`${p.name}, for ${role}`, () => {
        const recs = recommendModels(p.hardware, { role, contextTokens: 2048, cudaUsable: p.cuda });
        const table = recommendationTable(recs).join('\n') + '\n';
        const file = path.join(GOLDEN, `${p.name}-${role}.txt`);
        if (process.env.INFILL_UPDATE_GOLDEN === '1') fs.writeFileSync(file, table);
        assert.equal(table, fs.readFileSync(file, 'utf8'), `golden ${path.relative(process.cwd(), file)}`);
        assert.equal(recs.length, CATALOG.length, 'every catalog entry is ranked');
      });
    }
  }

  it('ranks usable models first and never recommends one that cannot fit or cannot chat', () => {
    for (const p of PROFILES) {
      const recs = recommendModels(p.hardware, { role: 'chat', contextTokens: 2048, cudaUsable: p.cuda });
      const order = ['good', 'slow', 'tight', 'too-large', 'unsuitable'];
      const ranks = recs.map((r) => order.indexOf(r.verdict));
      assert.deepEqual(
        ranks,
        [...ranks].sort((a, b) => a - b),
        p.name,
      );
      for (const r of recs.filter((x) => x.verdict === 'good' || x.verdict === 'slow')) {
        assert.ok(r.entry.chatTemplate, `${r.entry.id} has a chat template`);
        const budget = r.placement === 'gpu' ? r.gpu!.memoryFreeBytes! : p.hardware.memory.availableBytes;
        assert.ok(r.memory.totalBytes <= budget, `${r.entry.id} fits`);
      }
    }
  });

  it('a bigger context costs KV cache memory, and a model past its window is capped at it', () => {
    const qwen = CATALOG.find((e) => e.id === 'qwen2.5-coder-1.5b')!;
    // Qwen2.5-Coder-1.5B: 28 layers x 2 KV heads x 128 x (K, V) x 4 bytes = 57,344 bytes per token.
    assert.equal(kvCacheBytes(qwen.shape, 1, 'q8'), 57_344);
    assert.equal(kvCacheBytes(qwen.shape, 1, 'fp16'), 28_672);
    assert.equal(kvCacheBytes(qwen.shape, 10 ** 9, 'q8'), 57_344 * 32_768);
    const small = estimateMemory(qwen.sizes.q8!, 'q8', qwen.shape, 2048);
    const big = estimateMemory(qwen.sizes.q8!, 'q8', qwen.shape, 32_768);
    assert.equal(
      big.totalBytes - small.totalBytes,
      Math.max(1, MEASURED.q8.peakOverWeightsPlusKv) * 57_344 * (32_768 - 2048),
    );
    assert.equal(small.runtimeBytes, RUNTIME_BYTES);
  });

  it('expected speed is the measured bandwidth share over the bytes each token reads', () => {
    assert.equal(estimateCpuTokensPerSecond(50, 1e9, 0, 'q8'), MEASURED.q8.bandwidthShare! * 50);
    assert.equal(estimateCpuTokensPerSecond(50, 1e9, 0, 'fp16'), undefined, 'fp16 on the CPU was not measured');
  });
});

describe('the estimate constants are what bench/scale measured', () => {
  it('match bench/results/scale.json', () => {
    const scale = JSON.parse(
      fs.readFileSync(path.resolve(__dirname, '..', '..', 'bench', 'results', 'scale.json'), 'utf8'),
    ) as { rows: { label: string; bandwidthShare: number; peakOverWeightsPlusKv: number; baselineRssMb: number }[] };
    for (const [variant, m] of Object.entries(MEASURED)) {
      if (!m.benchRow) continue;
      const row = scale.rows.find((r) => r.label === m.benchRow);
      assert.ok(row, `bench row ${m.benchRow}`);
      assert.equal(m.bandwidthShare, Math.round(row.bandwidthShare * 1000) / 1000, `${variant} bandwidth share`);
      assert.equal(m.peakOverWeightsPlusKv, Math.round(row.peakOverWeightsPlusKv * 1000) / 1000, `${variant} peak`);
      assert.ok(Math.abs(row.baselineRssMb * 1024 * 1024 - RUNTIME_BYTES) < 30e6, 'runtime memory');
    }
  });
});
