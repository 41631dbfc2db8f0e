"""Flat as data grows: resolving a scan and rendering its landing page with 1,000 links in the
table, then with 1,000,000 (PostgreSQL), on the same 1,000 codes.

Each request first forgets the code's cached metadata and page, so it pays for the database
lookup (the cost that could grow with the table); warm requests never touch the table. Full
stack, in process. Baseline: the same requests on the 1,000-link table (goal: within 10 %).
"""

import json
import random
import socket
import subprocess
import sys

from bench.common import client, expect, median_ms, run_child, setup_child

LINKS = 1_000
GROWN = 1_000_000
ROUNDS = 600


def _measure(http, codes: list[str]) -> dict[str, float]:
    from django.core.cache import cache

    from shortlinks import selectors

    pick = random.Random(7).choice  # noqa: S311 (a benchmark's sample)

    def cold(path: str):
        code = pick(codes)
        cache.delete_many(selectors.cache_keys(code))
        expect(http.get(path.format(code=code)))

    return {
        "resolve": median_ms(lambda: cold("/api/v1/shortlinks/{code}"), ROUNDS),
        "landing page": median_ms(lambda: cold("/s/{code}"), ROUNDS),
    }


def _grow(template_id: int, rows: int) -> None:
    """Copy one link `rows` times under fresh codes, in one statement."""
    from django.db import connection

    from shortlinks.models import ShortLink

    columns = [f.column for f in ShortLink._meta.concrete_fields if f.column not in ("id", "code")]
    listed = ", ".join(columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO shortlinks_shortlink (code, {listed}) "  # noqa: S608 (our own columns)
            f"SELECT upper(md5('grown' || i::text)), {listed} "
            "FROM shortlinks_shortlink, generate_series(1, %s) AS i WHERE id = %s",
            [rows, template_id],
        )
        # Now, not by autovacuum in the middle of the measurement that follows.
        cursor.execute("VACUUM ANALYZE shortlinks_shortlink")


def child() -> list[dict]:
    setup_child()
    from accounts.models import User
    from shortlinks import services

    creator = User.objects.create(username="bench", openid="bench")
    links = [
        services.shortlink_create(creator=creator, page="pages/event/index", params={"id": i})
        for i in range(LINKS)
    ]
    codes = [link.code for link in links]
    http = client()
    _measure(http, codes)  # warm-up
    small = _measure(http, codes)
    _grow(links[0].pk, GROWN - LINKS)
    _measure(http, codes)  # the same warm-up on the grown table
    grown = _measure(http, codes)
    return [
        {
            "name": f"{what}, cold, 1,000,000 links (PostgreSQL)",
            "value": round(grown[what], 2),
            "unit": "ms",
            "baseline": "the same with 1,000 links",
            "baseline_value": round(small[what], 2),
            "ratio": round(grown[what] / small[what], 2),
            "goal_max": 1.10,
        }
        for what in ("resolve", "landing page")
    ]


def run() -> list[dict]:
    with socket.socket() as s:
        if s.connect_ex(("127.0.0.1", 5432)) != 0:
            return []
    db = ["-h", "127.0.0.1", "-U", "postgres"]
    subprocess.run(["dropdb", *db, "--if-exists", "wxalbum_bench_growth"], check=True)
    subprocess.run(["createdb", *db, "wxalbum_bench_growth"], check=True)
    return run_child(
        "bench.growth", {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/wxalbum_bench_growth"}
    )


if __name__ == "__main__":
    print(json.dumps(child() if sys.argv[1:2] == ["--child"] else run()))
