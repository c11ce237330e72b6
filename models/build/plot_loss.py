"""Draws train_log.tsv as an SVG line chart (train loss, and validation loss where measured), without plotting libraries.
Usage: python3 plot_loss.py train_log.tsv out.svg"""
import sys

rows = [l.split('\t') for l in open(sys.argv[1]).read().strip().split('\n')[1:]]
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
for s in range(0, max(steps) + 1, max(1, max(steps) // 6 // 100 * 100)):
    out.append(f'<text x="{x(s):.1f}" y="{H - B + 16}" text-anchor="middle">{s}</text>')
out.append(f'<text x="{(L + W - R) / 2}" y="{H - 6}" text-anchor="middle">step (16 x 256 tokens each)</text>')
out.append(f'<text x="14" y="{(T + H - B) / 2}" transform="rotate(-90 14 {(T + H - B) / 2})" text-anchor="middle">loss (nats/token)</text>')
out.append('<polyline fill="none" stroke="#1f77b4" stroke-width="1.5" points="' + ' '.join(f'{x(s):.1f},{y(v):.1f}' for s, v in zip(steps, train)) + '"/>')
out.append('<polyline fill="none" stroke="#d62728" stroke-width="2" points="' + ' '.join(f'{x(s):.1f},{y(v):.1f}' for s, v in val) + '"/>')
for s, v in val:
    out.append(f'<circle cx="{x(s):.1f}" cy="{y(v):.1f}" r="3" fill="#d62728"/>')
out.append(f'<text x="{W - R - 150}" y="{T + 16}" fill="#1f77b4">train (smoothed)</text><text x="{W - R - 150}" y="{T + 32}" fill="#d62728">validation (held-out files)</text>')
out.append('</svg>')
open(sys.argv[2], 'w').write('\n'.join(out))
print('wrote', sys.argv[2])
