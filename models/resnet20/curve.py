#!/usr/bin/env python3
"""Learning curve of a Train run as an SVG: held-out and train accuracy by epoch, learning rate dashed.

    models/resnet20/curve.py SUMMARY.json OUT.svg

SUMMARY.json is what `Train --final` prints (final.training.epochs). Standard library only.
"""
import json
import sys

W, H, L, R, T, B = 720, 360, 56, 64, 36, 44  # size and margins (left, right, top, bottom)


def main(summary_path, out_path):
    try:
        epochs = json.load(open(summary_path))["final"]["training"]["epochs"]
    except (KeyError, TypeError):
        sys.exit(f"{summary_path}: no final.training.epochs (not the output of Train --final?)")
    if not epochs:
        sys.exit(f"{summary_path}: final.training.epochs is empty")
    n = len(epochs)
    lr_max = max(e["learningRate"] for e in epochs)
    x = lambda i: L + (W - L - R) * (i - 1) / max(1, n - 1)
    y = lambda acc: T + (H - T - B) * (1 - acc)               # accuracy 0..1, left axis
    y_lr = lambda lr: T + (H - T - B) * (1 - lr / lr_max)      # learning rate 0..max, right axis
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
           f'<rect width="{W}" height="{H}" fill="white"/>']
    for k in range(0, 11, 2):
        v = k / 10
        out.append(f'<line x1="{L}" x2="{W - R}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#e5e5e5"/>')
        out.append(f'<text x="{L - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{k * 10}%</text>')
        out.append(f'<text x="{W - R + 6}" y="{y(v) + 4:.1f}">{lr_max * v:.2g}</text>')
    step = max(1, round(n / 8 / 5) * 5)
    for i in [1] + list(range(step, n + 1, step)):
        out.append(f'<text x="{x(i):.1f}" y="{H - B + 16}" text-anchor="middle">{i}</text>')
    out.append(f'<text x="{(L + W - R) / 2}" y="{H - 8}" text-anchor="middle">epoch</text>')
    series = [("valAccuracy", y, "#e15759", "", "held-out accuracy"),
              ("trainAccuracy", y, "#4e79a7", "", "train accuracy (1,024-image sample)"),
              ("learningRate", y_lr, "#999999", ' stroke-dasharray="5 4"', "learning rate (right axis)")]
    for j, (key, scale, color, dash, label) in enumerate(series):
        points = " ".join(f"{x(e['epoch']):.1f},{scale(e[key]):.1f}" for e in epochs)
        out.append(f'<polyline points="{points}" fill="none" stroke="{color}" stroke-width="2"{dash}/>')
        out.append(f'<line x1="{L + 10 + 230 * j}" x2="{L + 34 + 230 * j}" y1="{T - 16}" y2="{T - 16}" '
                   f'stroke="{color}" stroke-width="2"{dash}/>')
        out.append(f'<text x="{L + 40 + 230 * j}" y="{T - 12}">{label}</text>')
    last = epochs[-1]
    out.append(f'<text x="{x(n) - 4:.1f}" y="{y(last["valAccuracy"]) + 16:.1f}" text-anchor="end" '
               f'fill="#e15759">{last["valAccuracy"] * 100:.2f}%</text>')
    out.append("</svg>")
    open(out_path, "w").write("\n".join(out) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
