"""Mini-program codes: what 1,000 new links cost in WeChat calls, and the image fetch.

A local HTTP stand-in plays WeChat (token and getwxacodeunlimit answering a 40 KB JPEG after
a 20 ms think, about what WeChat takes). Links are made with tasks in-process (no broker), as
`make run` does. Fetches: cold = the first request after the link's image was made (read from
storage), warm = repeated requests (cached bytes). Baseline, same process: the warm QR PNG.
"""

import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bench.common import client, expect, median_ms, row, run_child, setup_child

LINKS = 1000
ROUNDS = 200
JPEG = b"\xff\xd8\xff\xe0" + bytes(40 * 1024)
calls = {"token": 0, "wxacode": 0}


class StandIn(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's name)
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path.startswith("/cgi-bin/stable_token"):
            calls["token"] += 1
            body, content_type = b'{"access_token": "T", "expires_in": 7200}', "application/json"
        else:
            calls["wxacode"] += 1
            time.sleep(0.02)
            body, content_type = JPEG, "image/jpeg"
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def child() -> list[dict]:
    setup_child()
    from django.core.cache import cache

    from accounts.models import User
    from shortlinks import services

    creator = User.objects.create(username="bench", openid="bench")
    started = time.perf_counter()
    codes = [
        services.shortlink_create(creator=creator, page="pages/album/index", params={"n": n}).code
        for n in range(LINKS)
    ]
    per_link = (time.perf_counter() - started) * 1000 / LINKS
    http = client()
    expect(http.get(f"/s/{codes[0]}/qr.png"))
    qr_warm = median_ms(lambda: expect(http.get(f"/s/{codes[0]}/qr.png")), ROUNDS)
    cold_codes = iter(codes[1 : ROUNDS + 1])
    cold = median_ms(lambda: expect(http.get(f"/s/{next(cold_codes)}/wxacode")), ROUNDS)
    warm = median_ms(lambda: expect(http.get(f"/s/{codes[1]}/wxacode")), ROUNDS)
    cache.clear()
    baseline = "warm QR PNG, same process"
    return [
        row("WeChat calls for 1,000 new links (codes + tokens)",
            calls["wxacode"] + calls["token"], "n", "links made", LINKS),
        row("link create with its code made in-process, per link", per_link, "ms", baseline,
            qr_warm),
        row("mini-program code cold (from storage), per request", cold, "ms", baseline, qr_warm),
        row("mini-program code warm (cached), per request", warm, "ms", baseline, qr_warm),
    ]  # fmt: skip


def run() -> list[dict]:
    return run_child("bench.wxacode")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        import os
        import tempfile

        os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="bench-wxacode-")
        server = ThreadingHTTPServer(("127.0.0.1", 0), StandIn)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        port = server.server_address[1]
        os.environ["WECHAT_API_BASE"] = f"http://127.0.0.1:{port}"
        print(json.dumps(child()))
    else:
        print(json.dumps(run()))
