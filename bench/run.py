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
    "bench.uploads",
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
    table = capacity(rows)
    (out / "capacity.md").write_text(table)
    write_into_docs(table)
    print()
    print(table)


DOCS = Path(__file__).resolve().parent.parent / "docs" / "operations.md"
BEGIN, END = "<!-- capacity table: written by make bench -->", "<!-- end of capacity table -->"


def write_into_docs(table: str) -> None:
    """The table in docs/operations.md, between its markers, is this run's: commit it."""
    text = DOCS.read_text()
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    DOCS.write_text(f"{head}{BEGIN}\n{table}{END}{tail}")


def _value(rows: list[dict], start: str) -> float | None:
    """The first row whose name starts so, preferring the PostgreSQL + Redis run."""
    found = [r for r in rows if r["name"].startswith(start)]
    found.sort(key=lambda r: "PostgreSQL" not in r["name"])
    return found[0]["value"] if found else None


def capacity(rows: list[dict]) -> str:
    """The capacity table in docs/operations.md, computed from this run's figures."""
    from django.conf import settings

    resolve_us = _value(rows, "resolve: server CPU per request")
    landing_us = _value(rows, "landing page: server CPU per request")
    image_us = _value(rows, "qr.png: server CPU per request")
    upload_s = _value(rows, "upload pipeline, 12 MP JPEG: median time")
    upload_mib = _value(rows, "upload pipeline, 12 MP JPEG: peak RSS")
    accepted = _value(rows, "photo uploads accepted per core")
    idle_mib = next(r["baseline_value"] for r in rows if "refused: peak RSS" in r["name"])
    rest_mib = _value(rows, "gunicorn worker memory at rest")
    slots = settings.PHOTO_PROCESSING_CONCURRENCY
    peak_mib = rest_mib + slots * (upload_mib - idle_mib)
    lines = [
        "| what | per app core | from |",
        "| --- | --- | --- |",
        f"| scans (resolve) | {1e6 / resolve_us:,.0f}/s | {resolve_us:.0f} us of server CPU each |",
        f"| landing pages | {1e6 / landing_us:,.0f}/s | {landing_us:.0f} us of server CPU each |",
        f"| QR images (cached) | {1e6 / image_us:,.0f}/s | {image_us:.0f} us of server CPU each |",
        f"| uploads accepted (12 MP photos) | {accepted:.1f}/s | the request stores the file "
        "and reads its header |",
        f"| photos processed (12 MP), on a worker | {1 / upload_s:.1f}/s | {upload_s:.2f} s each |",
        f"| memory per worker, at rest | {rest_mib:.0f} MiB | after the scan load |",
        f"| memory per worker, at peak | {peak_mib:.0f} MiB | at rest + {slots} photos in "
        f"flight x {upload_mib - idle_mib:.0f} MiB |",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
