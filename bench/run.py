"""Run every benchmark under bench/, print one table, write bench/results/latest.json."""

import importlib
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BENCHMARKS = [
    "bench.serving",
    "bench.qr",
    "bench.pipeline",
    "bench.comments",
    "bench.growth",
    "bench.album_page",
    "bench.likes",
    "bench.wxacode",
]


def goal(r: dict) -> str:
    """The row's goal and whether this run met it: a ratio at least `goal`, at most
    `goal_max`."""
    if "goal" in r:
        return f">={r['goal']:.2f} {'ok' if r['ratio'] >= r['goal'] else 'MISS'}"
    if "goal_max" in r:
        return f"<={r['goal_max']:.2f} {'ok' if r['ratio'] <= r['goal_max'] else 'MISS'}"
    return ""


def main() -> None:
    import django

    django.setup()
    rows = []
    for name in BENCHMARKS:
        rows.extend(importlib.import_module(name).run())
    width = max(len(r["name"]) for r in rows)
    print(f"{'benchmark':<{width}}  {'value':>10}  {'baseline':>10}  {'ratio':>6}  {'goal':<12}"
          "baseline is")  # fmt: skip
    for r in rows:
        print(
            f"{r['name']:<{width}}  {r['value']:>8} {r['unit']:<2}"
            f"{r['baseline_value']:>9} {r['unit']:<2} {r['ratio']:>6}  {goal(r):<12}"
            f"{r['baseline']}"
        )
    out = Path(__file__).resolve().parent / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
