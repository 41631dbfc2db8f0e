"""Upload pipeline: time and peak memory to process a 12-megapixel phone JPEG, and the memory a
7000 x 7000 PNG bomb (190 KB) costs.

Baselines, in the same run: Pillow decoding the same file and encoding it once at the same
quality (the least any pipeline that re-encodes must do); for the bomb, a process that imports
the pipeline and reads nothing (refusing it should cost no more), and Pillow decoding it (what
accepting it costs at least). Peak memory is measured in a fresh child process per
measurement, so one run cannot inflate the next.
"""

import io
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from PIL import Image

ROUNDS = 5


def phone_jpeg(texture: int = 64) -> bytes:
    """A 4000x3000 JPEG with real texture (noise compresses like a photo, not like a flat fill):
    8.9 MB at the default `texture`, a busy scene's size; 8 gives 3.9 MB, a phone's usual."""
    sys.path.insert(0, ".")
    from tests.album.pictures import EXIF_IFD, GPS_IFD, ORIENTATION

    image = Image.effect_noise((4000, 3000), texture).convert("RGB")
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif.get_ifd(EXIF_IFD)[36867] = "2024:05:01 10:30:00"
    exif.get_ifd(GPS_IFD)[1] = "N"
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif.tobytes())
    return out.getvalue()


def baseline(data: bytes) -> None:
    image = Image.open(io.BytesIO(data))
    image.load()
    image.save(io.BytesIO(), "JPEG", quality=92)


def pipeline(data: bytes) -> None:
    from media import images

    images.process(data)


def idle(data: bytes) -> None:
    from media import images  # noqa: F401  (what a process that refuses must have loaded)


def decode(data: bytes) -> None:
    Image.open(io.BytesIO(data)).load()


def refuse(data: bytes) -> None:
    from media import images

    try:
        images.process(data)
    except images.ImageTooLarge:
        return
    raise AssertionError("the bomb was accepted")


def pipeline_at_50mp(data: bytes) -> None:
    """The pipeline with the cap raised to 50 MP and no ratio limit: accepting the bomb."""
    from media import images

    images.process(data, max_pixels=50_000_000, max_pixels_per_byte=10**9)


CHILDREN = {"baseline": baseline, "pipeline": pipeline, "idle": idle, "decode": decode,
            "refuse": refuse, "pipeline_at_50mp": pipeline_at_50mp}  # fmt: skip


def _child(which: str, path: str) -> None:
    data = open(path, "rb").read()
    CHILDREN[which](data)
    # VmHWM: this process's own peak. (getrusage's ru_maxrss survives exec on Linux, so a child
    # of a large parent would report the parent's peak.)
    status = Path("/proc/self/status").read_text()
    peak_kib = int(
        next(line for line in status.splitlines() if line.startswith("VmHWM")).split()[1]
    )
    print(peak_kib // 1024)


def peak_rss_mib(which: str, path: str) -> int:
    out = subprocess.run(
        [sys.executable, __file__, "--child", which, path],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(out.stdout.strip())


def timed(fn, data: bytes) -> float:
    samples = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        fn(data)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def run() -> list[dict]:
    import tempfile

    data = phone_jpeg()
    with tempfile.NamedTemporaryFile(suffix=".jpg") as f:
        f.write(data)
        f.flush()
        base_s, pipe_s = timed(baseline, data), timed(pipeline, data)
        base_mib, pipe_mib = peak_rss_mib("baseline", f.name), peak_rss_mib("pipeline", f.name)
    from tests.album.pictures import png_bomb

    bomb = png_bomb(side=7000)
    with tempfile.NamedTemporaryFile(suffix=".png") as f:
        f.write(bomb)
        f.flush()
        idle_mib, refuse_mib = peak_rss_mib("idle", f.name), peak_rss_mib("refuse", f.name)
        decode_mib = peak_rss_mib("decode", f.name)
        accept_mib = peak_rss_mib("pipeline_at_50mp", f.name)
    kb = len(bomb) // 1024
    return [
        {
            "name": f"PNG bomb 7000x7000 ({kb} KB), refused: peak RSS",
            "value": refuse_mib,
            "unit": "MiB",
            "baseline": "the same process reading nothing",
            "baseline_value": idle_mib,
            "ratio": round(refuse_mib / idle_mib, 2),
        },
        {
            "name": "PNG bomb 7000x7000 accepted (cap raised to 50 MP): peak RSS",
            "value": accept_mib,
            "unit": "MiB",
            "baseline": "Pillow decoding it",
            "baseline_value": decode_mib,
            "ratio": round(accept_mib / decode_mib, 2),
        },
        {
            "name": "upload pipeline, 12 MP JPEG: median time",
            "value": round(pipe_s, 3),
            "unit": "s",
            "baseline": "Pillow decode + one JPEG encode",
            "baseline_value": round(base_s, 3),
            "ratio": round(pipe_s / base_s, 2),
        },
        {
            "name": "upload pipeline, 12 MP JPEG: peak RSS",
            "value": pipe_mib,
            "unit": "MiB",
            "baseline": "Pillow decode + one JPEG encode",
            "baseline_value": base_mib,
            "ratio": round(pipe_mib / base_mib, 2),
        },
    ]


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        sys.path.insert(0, ".")
        _child(sys.argv[2], sys.argv[3])
    else:
        print(json.dumps(run(), indent=2))
