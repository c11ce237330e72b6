// The hardware probe (src/core/hardware): parsers of what the system tools print, and the probe on this machine.
import { strict as assert } from 'node:assert';
import * as os from 'node:os';
import { systemRunner, type CommandRunner } from '../../src/core/hardware/commands';
import { featuresFromFlags, flagsFromCpuinfo } from '../../src/core/hardware/cpu';
import { parseNvidiaSmi, parseWindowsAdapters, probeGpus } from '../../src/core/hardware/gpu';
import { availableFromMeminfo } from '../../src/core/hardware/memory';
import { probeHardware } from '../../src/core/hardware/probe';

const GIB = 1024 ** 3;

describe('hardware probe: parsers', () => {
  it('reads x86 and Arm flags from /proc/cpuinfo', () => {
    const x86 =
      'processor\t: 0\nmodel name\t: AMD EPYC\nflags\t\t: fpu sse2 avx avx2 fma avx512f avx512_vnni\n\nprocessor\t: 1\nflags\t\t: fpu\n';
    assert.deepEqual(featuresFromFlags(flagsFromCpuinfo(x86)!), {
      avx2: true,
      avx512: true,
      vnni: true,
      neon: false,
      dotprod: false,
    });
    const arm = 'processor\t: 0\nFeatures\t: fp asimd evtstrm aes crc32 asimddp\nCPU part\t: 0xd0c\n';
    assert.deepEqual(featuresFromFlags(flagsFromCpuinfo(arm)!), {
      avx2: false,
      avx512: false,
      vnni: false,
      neon: true,
      dotprod: true,
    });
    // AVX-VNNI (Alder Lake) without AVX-512.
    assert.equal(featuresFromFlags(['avx2', 'avx_vnni']).vnni, true);
    assert.equal(featuresFromFlags(['avx2', 'avx_vnni']).avx512, false);
    assert.equal(flagsFromCpuinfo('processor : 0\n'), undefined);
  });

  it('reads MemAvailable from /proc/meminfo', () => {
    assert.equal(availableFromMeminfo('MemTotal:       24683748 kB\nMemAvailable:   24078636 kB\n'), 24078636 * 1024);
    assert.equal(availableFromMeminfo('MemTotal: 1 kB\n'), undefined);
  });

  it("reads nvidia-smi's CSV: one GPU per line, memory in MiB", () => {
    const gpus = parseNvidiaSmi(
      'NVIDIA H100 80GB HBM3, 81559, 80987, 550.54.15\nNVIDIA GeForce RTX 4090, 24564, [N/A], 552.22\n\n',
    );
    assert.equal(gpus.length, 2);
    assert.deepEqual(gpus[0], {
      vendor: 'nvidia',
      name: 'NVIDIA H100 80GB HBM3',
      source: 'nvidia-smi',
      memoryTotalBytes: 81559 * 1024 * 1024,
      memoryFreeBytes: 80987 * 1024 * 1024,
      driver: '550.54.15',
    });
    assert.equal(gpus[1]!.memoryFreeBytes, undefined, 'a field nvidia-smi cannot read is absent, not NaN');
  });

  it("reads PowerShell's display adapters (one object or an array), dropping virtual ones and 4 GB-capped sizes", () => {
    const one = parseWindowsAdapters(
      '{"Name":"AMD Radeon RX 7800 XT","AdapterRAM":4293918720,"DriverVersion":"31.0.24027.1012"}',
    );
    assert.deepEqual(one, [
      {
        vendor: 'amd',
        name: 'AMD Radeon RX 7800 XT',
        source: 'windows-adapters',
        memoryTotalBytes: 4293918720,
        driver: '31.0.24027.1012',
      },
    ]);
    const many = parseWindowsAdapters(
      '[{"Name":"Intel(R) UHD Graphics 630","AdapterRAM":1073741824},{"Name":"Microsoft Basic Display Adapter","AdapterRAM":0},{"Name":"NVIDIA GeForce RTX 3060","AdapterRAM":4294967295}]',
    );
    assert.deepEqual(
      many.map((g) => [g.vendor, g.name, g.memoryTotalBytes]),
      [
        ['intel', 'Intel(R) UHD Graphics 630', 1073741824],
        ['nvidia', 'NVIDIA GeForce RTX 3060', undefined],
      ],
    );
    assert.deepEqual(parseWindowsAdapters('not json'), []);
  });
});

describe('hardware probe: GPUs through the commands', () => {
  it('uses nvidia-smi when it answers, and on Windows adds the other adapters once', async () => {
    const calls: string[] = [];
    const run: CommandRunner = (file) => {
      calls.push(file);
      if (file === 'nvidia-smi') return Promise.resolve({ stdout: 'NVIDIA GeForce RTX 3060, 12288, 11000, 552.22\n' });
      return Promise.resolve({
        stdout: '[{"Name":"NVIDIA GeForce RTX 3060","AdapterRAM":4294967295},{"Name":"Intel(R) UHD Graphics 770"}]',
      });
    };
    const notes: string[] = [];
    const gpus = await probeGpus(run, 'win32', notes);
    assert.deepEqual(calls, ['nvidia-smi', 'powershell.exe']);
    assert.deepEqual(
      gpus.map((g) => [g.name, g.source]),
      [
        ['NVIDIA GeForce RTX 3060', 'nvidia-smi'],
        ['Intel(R) UHD Graphics 770', 'windows-adapters'],
      ],
    );
    assert.equal(gpus[0]!.memoryFreeBytes, 11000 * 1024 * 1024);
    assert.deepEqual(notes, []);
  });

  it('notes a missing nvidia-smi and goes on', async () => {
    const notes: string[] = [];
    const gpus = await probeGpus(() => Promise.resolve({ error: 'nvidia-smi not found' }), 'linux', notes);
    assert.deepEqual(gpus, []);
    assert.deepEqual(notes, ['NVIDIA GPU: nvidia-smi not found']);
  });

  it('the system runner reports a missing tool and a hung one instead of throwing', async () => {
    const run = systemRunner(300);
    assert.deepEqual(await run('infill-no-such-tool', []), { error: 'infill-no-such-tool not found' });
    const t = Date.now();
    const hung = await run('sleep', ['5']);
    assert.match(hung.error ?? '', /sleep did not answer within 300 ms/);
    assert.ok(Date.now() - t < 3000, 'the probe does not wait for a hung tool');
    assert.deepEqual(await run('echo', ['ok']), { stdout: 'ok\n' });
  });
});

describe('hardware probe on this machine', function () {
  this.timeout(30_000);

  it('gives sane values, and no crash where nvidia-smi is absent', async () => {
    const h = await probeHardware();
    assert.equal(h.platform, process.platform);
    assert.equal(h.cpu.cores, os.availableParallelism());
    assert.ok(h.cpu.model.length > 0);
    assert.equal(h.memory.totalBytes, os.totalmem());
    assert.ok(h.memory.availableBytes > 0.05 * GIB && h.memory.availableBytes <= h.memory.totalBytes);
    if (process.platform === 'linux' && process.arch === 'x64') {
      assert.ok(h.cpu.features, 'Linux x86 reports its CPU features');
      const flags = (await import('node:fs')).readFileSync('/proc/cpuinfo', 'utf8');
      assert.equal(h.cpu.features.avx2, / avx2( |$)/m.test(flags));
    }
    // Every core reading at once: between a slow laptop and a large server.
    assert.ok(h.memoryBandwidthGBps! > 1 && h.memoryBandwidthGBps! < 2000, `${h.memoryBandwidthGBps} GB/s`);
    const smi = await systemRunner()('nvidia-smi', ['-L']);
    if (smi.error) {
      assert.deepEqual(h.gpus, []);
      assert.ok(
        h.notes.some((n) => n.startsWith('NVIDIA GPU: nvidia-smi')),
        h.notes.join('; '),
      );
    } else {
      assert.ok(h.gpus.length > 0, 'nvidia-smi answered, so its GPUs are listed');
    }
  });

  it('can skip the bandwidth measurement', async () => {
    const h = await probeHardware({ bandwidth: false });
    assert.equal(h.memoryBandwidthGBps, undefined);
  });
});
