"""Upload pipeline: time and peak memory to process 12, 24 and 48-megapixel phone JPEGs, how
its derivatives compare with a full decode's, and the memory a 7000 x 7000 PNG bomb (190 KB)
costs.

Baselines, in the same run: the pipeline's general path (the whole picture decoded, the
original re-encoded: what every JPEG cost before the fast path, which keeps the original's
compressed picture and decodes at reduced scale); its derivatives, for the fast path's look
(SSIM); for the bomb, a process that imports the pipeline and reads nothing (refusing it
should cost no more), and Pillow decoding it (what accepting it costs at least). Peak memory
is measured in a fresh child process per measurement, so one run cannot inflate the next.
"""

import contextlib
import io
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from PIL import Image

ROUNDS = 5


SIZES = {12: (4000, 3000), 24: (5712, 4284), 48: (8064, 6048)}  # phones' 4:3 modes


def phone_jpeg(texture: int = 64, megapixels: int = 12) -> bytes:
    """A 4000x3000 JPEG with real texture (noise compresses like a photo, not like a flat fill):
    8.9 MB at the default `texture`, a busy scene's size; 8 gives 3.9 MB, a phone's usual."""
    sys.path.insert(0, ".")
    from tests.album.pictures import EXIF_IFD, GPS_IFD, ORIENTATION

    image = Image.effect_noise(SIZES[megapixels], texture).convert("RGB")
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

    images.process(data, max_pixels=60_000_000)


@contextlib.contextmanager
def general_path():
    """Inside the block, the pipeline takes its general path for every file: decoded in full,
    re-encoded (what a JPEG cost before its fast path)."""
    from media import images, jpeg

    def refuse(*args):
        raise jpeg.NotPlain("the general path, for comparison")

    fast, images._process_jpeg = images._process_jpeg, refuse
    try:
        yield
    finally:
        images._process_jpeg = fast


def general(data: bytes) -> None:
    with general_path():
        pipeline(data)


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


CHILDREN = {"baseline": baseline, "pipeline": pipeline, "general": general, "idle": idle,
            "decode": decode,
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


def derivatives_look(megapixels: int = 12) -> float:
    """The lowest SSIM of the fast path's large and thumbnail against the general path's."""
    sys.path.insert(0, ".")
    from media import images
    from tests.album.pictures import photo_like_jpeg
    from tests.album.similarity import ssim

    data = photo_like_jpeg(*SIZES[megapixels])
    fast = images.process(data)
    with general_path():
        full = images.process(data)

    def look(rendition) -> Image.Image:
        return Image.open(io.BytesIO(rendition.data))

    return min(ssim(look(fast.large), look(full.large)), ssim(look(fast.thumb), look(full.thumb)))


def run() -> list[dict]:
    import tempfile

    rows = []
    for megapixels in SIZES:
        data = phone_jpeg(texture=8, megapixels=megapixels)  # a phone's usual file size
        with tempfile.NamedTemporaryFile(suffix=".jpg") as f:
            f.write(data)
            f.flush()
            base_s, pipe_s = timed(general, data), timed(pipeline, data)
            base_mib = peak_rss_mib("general", f.name)
            pipe_mib = peak_rss_mib("pipeline", f.name)
        rows += [
            {
                "name": f"upload pipeline, {megapixels} MP JPEG: median time",
                "value": round(pipe_s, 3),
                "unit": "s",
                "baseline": "the general path (full decode, re-encode)",
                "baseline_value": round(base_s, 3),
                "ratio": round(pipe_s / base_s, 2),
                "goal_max": 0.5,
            },
            {
                "name": f"upload pipeline, {megapixels} MP JPEG: peak RSS",
                "value": pipe_mib,
                "unit": "MiB",
                "baseline": "the general path (full decode, re-encode)",
                "baseline_value": base_mib,
                "ratio": round(pipe_mib / base_mib, 2),
                "goal_max": 0.75,
            },
        ]
    look = round(derivatives_look(), 4)
    rows.append({
        "name": "derivatives, 12 MP JPEG: SSIM against a full decode's",
        "value": look, "unit": "", "baseline": "the same picture (1.0)",
        "baseline_value": 1.0, "ratio": look, "goal": 0.98,
    })  # fmt: skip
    from tests.album.pictures import png_bomb

    bomb = png_bomb(side=7000)
    with tempfile.NamedTemporaryFile(suffix=".png") as f:
        f.write(bomb)
        f.flush()
        idle_mib, refuse_mib = peak_rss_mib("idle", f.name), peak_rss_mib("refuse", f.name)
        decode_mib = peak_rss_mib("decode", f.name)
        accept_mib = peak_rss_mib("pipeline_at_50mp", f.name)
    kb = len(bomb) // 1024
    return rows + [
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
    ]


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        sys.path.insert(0, ".")
        _child(sys.argv[2], sys.argv[3])
    else:
        print(json.dumps(run(), indent=2))
