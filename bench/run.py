"""Run every benchmark under bench/, print one table, write bench/results/latest.json."""

import importlib
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BENCHMARKS = [
    "bench.resolve",
    "bench.qr",
    "bench.pipeline",
    "bench.comments",
    "bench.likes",
    "bench.wxacode",
]


def main() -> None:
    import django

    django.setup()
    rows = []
    for name in BENCHMARKS:
        rows.extend(importlib.import_module(name).run())
    width = max(len(r["name"]) for r in rows)
    print(f"{'benchmark':<{width}}  {'value':>10}  {'baseline':>10}  {'ratio':>6}  baseline is")
    for r in rows:
        print(
            f"{r['name']:<{width}}  {r['value']:>8} {r['unit']:<2}"
            f"{r['baseline_value']:>9} {r['unit']:<2} {r['ratio']:>6}  {r['baseline']}"
        )
    out = Path(__file__).resolve().parent / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
