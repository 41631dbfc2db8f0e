"""Upload pipeline: time and peak memory to process a 12-megapixel phone JPEG.

Baseline, in the same process: Pillow decoding the same file and encoding it once at the same
quality (the least any pipeline that re-encodes must do). Peak memory is measured in a fresh
child process per measurement, so one run cannot inflate the next.
"""

import io
import json
import resource
import statistics
import subprocess
import sys
import time

from PIL import Image

ROUNDS = 5


def phone_jpeg() -> bytes:
    """A 4000x3000 JPEG with real texture (noise compresses like a photo, not like a flat fill)."""
    sys.path.insert(0, ".")
    from tests.album.pictures import EXIF_IFD, GPS_IFD, ORIENTATION

    image = Image.effect_noise((4000, 3000), 64).convert("RGB")
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
    from album import images

    images.process(data)


def _child(which: str, path: str) -> None:
    data = open(path, "rb").read()
    {"baseline": baseline, "pipeline": pipeline}[which](data)
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)  # MiB on Linux


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
    return [
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
