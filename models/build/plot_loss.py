"""Joins the training logs (phase 1 at 256 tokens, phase 2 at 512 tokens, and phase 3, the endings fine-tune at 512
tokens, each phase's steps counted on from the one before) into one TSV and draws it as an SVG line chart, without
plotting libraries. Phase 3's train loss is its weighted loss (mostly the middles and their ▁<EOT>).
With --seq N it draws one phase of N-token windows (gpu_recipe.sh: recipe.py's single timed run, full softmax).
Usage: python3 plot_loss.py PHASE1.tsv PHASE2.tsv [PHASE3.tsv] OUT.tsv OUT.svg
       python3 plot_loss.py --seq 512 RUN.tsv OUT.tsv OUT.svg"""
import sys

argv = sys.argv[1:]
single = argv[0] == '--seq'
first_seq, argv = (argv[1], argv[2:]) if single else ('256', argv)
*phases, out_tsv, out_svg = argv
read = lambda f: [l.split('\t') for l in open(f).read().strip().split('\n')[1:]]
rows1 = read(phases[0])
last1 = int(rows1[-1][0])
rows = [r + [first_seq] for r in rows1]
for phase, seq in zip(phases[1:], ['512', '512']):
    step0, minutes0, tokens0 = int(rows[-1][0]), float(rows[-1][1]), int(rows[-1][2])
    rows += [[str(int(r[0]) + step0), f'{float(r[1]) + minutes0:.2f}', str(int(r[2]) + tokens0), r[3], r[4], seq] for r in read(phase)]
with open(out_tsv, 'w') as f:
    f.write('step\tminutes\ttokens\ttrain_loss\tval_loss\tseq_len\n' + '\n'.join('\t'.join(r) for r in rows) + '\n')

steps = [int(r[0]) for r in rows]
train = [float(r[3]) for r in rows]
val = [(int(r[0]), float(r[4])) for r in rows if r[4] != 'nan']
W, H, L, B, T, R = 640, 360, 56, 40, 20, 20
lo, hi = 2.0, 10.5
x = lambda s: L + (W - L - R) * s / max(steps)
y = lambda v: T + (H - T - B) * (hi - min(max(v, lo), hi)) / (hi - lo)
out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
       f'<rect width="{W}" height="{H}" fill="white"/>']
for v in range(2, 11):
    out.append(f'<line x1="{L}" x2="{W - R}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#ddd"/><text x="{L - 8}" y="{y(v) + 4:.1f}" text-anchor="end">{v}</text>')
tick = next(t for t in (5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 25000) if max(steps) / t <= 12) if single else 500
for s in range(0, max(steps) + 1, tick):
    out.append(f'<text x="{x(s):.1f}" y="{H - B + 16}" text-anchor="middle">{s}</text>')
if not single:
    out.append(f'<line x1="{x(last1):.1f}" x2="{x(last1):.1f}" y1="{T}" y2="{H - B}" stroke="#999" stroke-dasharray="4 3"/>')
    out.append(f'<text x="{x(last1) + 4:.1f}" y="{T + 60}" fill="#555">512-token windows</text>')
if len(phases) > 2:
    last2 = last1 + int(read(phases[1])[-1][0])
    out.append(f'<line x1="{x(last2):.1f}" x2="{x(last2):.1f}" y1="{T}" y2="{H - B}" stroke="#999" stroke-dasharray="4 3"/>')
    out.append(f'<text x="{x(last2) + 4:.1f}" y="{T + 80}" fill="#555">endings</text>')
train_kind = 'weighted, ' if single else 'sampled softmax, '
per_step = int(rows1[-1][2]) // int(rows1[-1][0])
out.append(f'<text x="{(L + W - R) / 2}" y="{H - 6}" text-anchor="middle">step ({per_step:,} tokens each)</text>')
out.append(f'<text x="14" y="{(T + H - B) / 2}" transform="rotate(-90 14 {(T + H - B) / 2})" text-anchor="middle">loss (nats/token)</text>')
out.append('<polyline fill="none" stroke="#1f77b4" stroke-width="1.5" points="' + ' '.join(f'{x(s):.1f},{y(v):.1f}' for s, v in zip(steps, train)) + '"/>')
out.append('<polyline fill="none" stroke="#d62728" stroke-width="2" points="' + ' '.join(f'{x(s):.1f},{y(v):.1f}' for s, v in val) + '"/>')
for s, v in val:
    out.append(f'<circle cx="{x(s):.1f}" cy="{y(v):.1f}" r="3" fill="#d62728"/>')
out.append(f'<text x="{W - R - 190}" y="{T + 16}" fill="#1f77b4">train ({train_kind}smoothed)</text><text x="{W - R - 190}" y="{T + 32}" fill="#d62728">validation (held-out files)</text>')
out.append('</svg>')
open(out_svg, 'w').write('\n'.join(out))
print('wrote', out_tsv, out_svg)
