"""QR images per request, through the full stack: cold (rendered) and warm (cached bytes).

Cold requests ask for a different `size` each time, so every one misses the cache and renders;
warm requests repeat one URL. Baseline, in the same process: a plain Django view (`/healthz`).
"""

import json
import sys

from bench.common import client, expect, median_ms, row, run_child, setup_child

ROUNDS = 200


def child() -> list[dict]:
    setup_child()
    from accounts.models import User
    from shortlinks import services

    creator = User.objects.create(username="bench", openid="bench")
    code = services.shortlink_create(creator=creator, page="pages/album/index", params={}).code
    http = client()
    sizes = iter(range(200, 200 + 10 * ROUNDS))
    expect(http.get("/healthz"))  # warm-up: imports, URL resolvers

    plain = median_ms(lambda: expect(http.get("/healthz")), ROUNDS)
    rows = []
    for fmt in ("png", "svg"):
        url = f"/s/{code}/qr.{fmt}"
        cold = median_ms(lambda url=url: expect(http.get(url, {"size": next(sizes)})), ROUNDS)
        warm = median_ms(lambda url=url: expect(http.get(url)), ROUNDS)
        baseline = "plain Django view (/healthz), same process"
        rows.append(row(f"QR {fmt.upper()} cold, per request", cold, "ms", baseline, plain))
        rows.append(row(f"QR {fmt.upper()} warm, per request", warm, "ms", baseline, plain))
    return rows


def run() -> list[dict]:
    return run_child("bench.qr")


if __name__ == "__main__":
    print(json.dumps(child() if sys.argv[1:2] == ["--child"] else run()))
