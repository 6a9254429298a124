#!/usr/bin/env python3
"""Summarises bench/peers/run.sh's measurements and draws the chart (standard library only).

    python3 report.py RAW_CSV OUT_DIR SVG [--note TEXT]

Reads every measurement (algorithm, workload, round, route, rps, p50_us, p99_us). Per
algorithm and workload, each route's throughput and p99 are divided by /open's in the same
round; the median of those per-round ratios is reported (with their spread), beside the
median p50 and p99 latency. Writes OUT_DIR/summary.csv, OUT_DIR/summary.md and SVG.
"""

import argparse
import csv
import statistics
from collections import defaultdict
from html import escape

OPEN = "/open"
# Route, label, bar colour (the open route is the reference, drawn as the 1.0 line).
LIBRARIES = [
    ("/handwritten", "hand-written jsonwebtoken extractor", "#9e9e9e"),
    ("/peer/axum-jwt-auth", "axum-jwt-auth 0.7", "#e69f00"),
    ("/guard", "#[require_token], cache on", "#0072b2"),
    ("/guard-nocache", "#[require_token], cache off", "#56b4e9"),
]
WORKLOAD_TITLES = {"same": "same token on every request", "first-seen": "first-seen tokens"}
SHORT_TITLES = {"same": "same token", "first-seen": "first-seen tokens"}


def load(path):
    runs = defaultdict(dict)  # (alg, workload, round) -> route -> (rps, p50, p99)
    order = {"alg": [], "workload": []}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            key = (row["algorithm"], row["workload"], int(row["round"]))
            runs[key][row["route"]] = (float(row["rps"]), float(row["p50_us"]), float(row["p99_us"]))
            for name, value in (("alg", row["algorithm"]), ("workload", row["workload"])):
                if value not in order[name]:
                    order[name].append(value)
    return runs, order["alg"], order["workload"]


def summarise(runs, algs, workloads):
    rows = []
    for alg in algs:
        for workload in workloads:
            rounds = [r for (a, w, r) in runs if a == alg and w == workload]
            for route in [OPEN] + [lib[0] for lib in LIBRARIES]:
                rps, p50, p99, ratio, p99_ratio = [], [], [], [], []
                for r in sorted(rounds):
                    run = runs[(alg, workload, r)]
                    if route not in run or OPEN not in run:
                        continue
                    a, b, c = run[route]
                    o_rps, _, o_p99 = run[OPEN]
                    rps.append(a)
                    p50.append(b)
                    p99.append(c)
                    ratio.append(a / o_rps)
                    p99_ratio.append(c / o_p99)
                if not rps:
                    continue
                rows.append({
                    "algorithm": alg,
                    "workload": workload,
                    "route": route,
                    "rounds": len(rps),
                    "rps": statistics.median(rps),
                    "ratio": statistics.median(ratio),
                    "ratio_min": min(ratio),
                    "ratio_max": max(ratio),
                    "p50_us": statistics.median(p50),
                    "p99_us": statistics.median(p99),
                    "p99_ratio": statistics.median(p99_ratio),
                    "p99_ratio_min": min(p99_ratio),
                    "p99_ratio_max": max(p99_ratio),
                })
    return rows


def write_csv(rows, path):
    fields = ["algorithm", "workload", "route", "rounds", "rps", "ratio", "ratio_min", "ratio_max",
              "p50_us", "p99_us", "p99_ratio", "p99_ratio_min", "p99_ratio_max"]
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        for row in rows:
            w.writerow({k: (f"{v:.4f}" if isinstance(v, float) else v) for k, v in row.items()})


def latency(us):
    return f"{us / 1000:.2f} ms" if us >= 1000 else f"{us:.0f} µs"


def write_markdown(rows, algs, workloads, path, note):
    by = {(r["algorithm"], r["workload"], r["route"]): r for r in rows}
    out = []
    if note:
        out.append(f"<!-- {note} -->")
    for workload in workloads:
        out.append(f"\n**{WORKLOAD_TITLES.get(workload, workload)}**: throughput as a ratio to "
                   "`/open` (median of per-round ratios; min-max over rounds in brackets), then "
                   "p50 / p99 latency (median over rounds)\n")
        head = ["algorithm", "`/open`"] + [f"{label}" for _, label, _ in LIBRARIES]
        out.append("| " + " | ".join(head) + " |")
        out.append("|---|" + "---:|" * (len(head) - 1))
        for alg in algs:
            o = by.get((alg, workload, OPEN))
            if not o:
                continue
            cells = [alg, f"{o['rps']:,.0f} req/s = 1.00<br>{latency(o['p50_us'])} / {latency(o['p99_us'])}"]
            for route, _, _ in LIBRARIES:
                r = by.get((alg, workload, route))
                if not r:
                    cells.append("-")
                    continue
                cells.append(f"**{r['ratio']:.2f}** ({r['ratio_min']:.2f}-{r['ratio_max']:.2f})<br>"
                             f"{latency(r['p50_us'])} / {latency(r['p99_us'])}")
            out.append("| " + " | ".join(cells) + " |")
        out.append("\np99 as a ratio to `/open`'s p99 (median of per-round ratios)\n")
        head = ["algorithm"] + [label for _, label, _ in LIBRARIES]
        out.append("| " + " | ".join(head) + " |")
        out.append("|---|" + "---:|" * (len(head) - 1))
        for alg in algs:
            cells = [alg]
            for route, _, _ in LIBRARIES:
                r = by.get((alg, workload, route))
                cells.append(f"{r['p99_ratio']:.2f}" if r else "-")
            out.append("| " + " | ".join(cells) + " |")
    with open(path, "w") as f:
        f.write("\n".join(out).lstrip("\n") + "\n")


def draw(rows, algs, workloads, path, note):
    """Two rows of panels (throughput ratio, p99 ratio), one column per workload; in each
    panel a group of bars per algorithm, one bar per library, whiskers min-max over rounds."""
    by = {(r["algorithm"], r["workload"], r["route"]): r for r in rows}
    panel_w, panel_h = 470, 250
    left, top, gap_x, gap_y = 60, 70, 50, 80
    width = left + len(workloads) * panel_w + (len(workloads) - 1) * gap_x + 20
    height = top + 2 * panel_h + gap_y + 110
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{left}" y="24" font-size="15" font-weight="bold">'
           'Protected route against the open route, side by side (one run)</text>']
    if note:
        svg.append(f'<text x="{left}" y="42" fill="#555">{escape(note)}; '
                   'bars: median of per-round ratios, whiskers: min-max over rounds</text>')

    metrics = [
        ("ratio", "throughput / /open's (higher is better)", 1.0, None),
        ("p99_ratio", "p99 latency / /open's p99 (lower is better)", 1.0, 1.2),
    ]
    for mi, (metric, ylabel, ref, target) in enumerate(metrics):
        values = [r[metric + "_max"] for r in rows if r["route"] != OPEN]
        ymax = max([1.1] + values)
        if metric == "p99_ratio":
            ymax = min(ymax, 4.0)  # taller bars are clipped and labelled with their value
        ymax = (int(ymax * 5) + 1) / 5
        for wi, workload in enumerate(workloads):
            x0 = left + wi * (panel_w + gap_x)
            y0 = top + mi * (panel_h + gap_y)
            y = lambda v: y0 + panel_h - min(v, ymax) / ymax * panel_h  # noqa: E731
            svg.append(f'<text x="{x0}" y="{y0 - 10}" font-size="13" font-weight="bold">'
                       f'{escape(SHORT_TITLES.get(workload, workload))}: {escape(ylabel)}</text>')
            step = 0.2 if ymax <= 2 else 0.5
            t = 0.0
            while t <= ymax + 1e-9:
                svg.append(f'<line x1="{x0}" x2="{x0 + panel_w}" y1="{y(t):.1f}" y2="{y(t):.1f}" '
                           'stroke="#e6e6e6"/>')
                svg.append(f'<text x="{x0 - 6}" y="{y(t) + 4:.1f}" text-anchor="end" fill="#555">'
                           f'{t:.1f}</text>')
                t += step
            group_w = panel_w / len(algs)
            bar_w = group_w * 0.8 / len(LIBRARIES)
            for ai, alg in enumerate(algs):
                gx = x0 + ai * group_w + group_w * 0.1
                svg.append(f'<text x="{gx + group_w * 0.4:.1f}" y="{y0 + panel_h + 16}" '
                           f'text-anchor="middle" font-weight="bold">{alg}</text>')
                for li, (route, label, colour) in enumerate(LIBRARIES):
                    r = by.get((alg, workload, route))
                    if not r:
                        continue
                    bx = gx + li * bar_w
                    v = r[metric]
                    svg.append(f'<rect x="{bx + 1:.1f}" y="{y(v):.1f}" width="{bar_w - 2:.1f}" '
                               f'height="{y0 + panel_h - y(v):.1f}" fill="{colour}">'
                               f'<title>{escape(label)}, {alg}: {v:.2f}</title></rect>')
                    lo, hi = r[metric + "_min"], r[metric + "_max"]
                    cx = bx + bar_w / 2
                    svg.append(f'<line x1="{cx:.1f}" x2="{cx:.1f}" y1="{y(lo):.1f}" y2="{y(hi):.1f}" '
                               'stroke="#333" stroke-width="1"/>')
                    label_y = y(v) - 3 if v < ymax else y0 + 10
                    svg.append(f'<text x="{cx:.1f}" y="{label_y:.1f}" text-anchor="middle" '
                               f'font-size="8.5" fill="#222">{v:.2f}</text>')
            svg.append(f'<line x1="{x0}" x2="{x0 + panel_w}" y1="{y(ref):.1f}" y2="{y(ref):.1f}" '
                       'stroke="#d55e00" stroke-width="1.5"/>')
            if target:
                svg.append(f'<line x1="{x0}" x2="{x0 + panel_w}" y1="{y(target):.1f}" '
                           f'y2="{y(target):.1f}" stroke="#d55e00" stroke-dasharray="4 3"/>')
            svg.append(f'<line x1="{x0}" x2="{x0 + panel_w}" y1="{y0 + panel_h}" '
                       f'y2="{y0 + panel_h}" stroke="#333"/>')
    ly = height - 30
    lx = left
    for _, label, colour in LIBRARIES:
        svg.append(f'<rect x="{lx}" y="{ly - 10}" width="12" height="12" fill="{colour}"/>')
        svg.append(f'<text x="{lx + 17}" y="{ly}">{escape(label)}</text>')
        lx += 17 + 7 * len(label) + 24
    ly += 20
    svg.append(f'<line x1="{left}" x2="{left + 24}" y1="{ly - 4}" y2="{ly - 4}" stroke="#d55e00" '
               'stroke-width="1.5"/>')
    svg.append(f'<text x="{left + 30}" y="{ly}">/open, the reference (= 1)</text>')
    svg.append(f'<line x1="{left + 220}" x2="{left + 244}" y1="{ly - 4}" y2="{ly - 4}" '
               'stroke="#d55e00" stroke-dasharray="4 3"/>')
    svg.append(f'<text x="{left + 250}" y="{ly}">p99 target: within 1.2x of /open\'s</text>')
    svg.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(svg) + "\n")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("raw")
    p.add_argument("out_dir")
    p.add_argument("svg")
    p.add_argument("--note", default="")
    a = p.parse_args()
    runs, algs, workloads = load(a.raw)
    rows = summarise(runs, algs, workloads)
    write_csv(rows, f"{a.out_dir}/summary.csv")
    write_markdown(rows, algs, workloads, f"{a.out_dir}/summary.md", a.note)
    draw(rows, algs, workloads, a.svg, a.note)
    with open(f"{a.out_dir}/summary.md") as f:
        print(f.read())


if __name__ == "__main__":
    main()
