"""How alike two pictures look: the structural similarity index (SSIM, Wang et al. 2004) of
their luminance, over 8 x 8 windows, 1.0 for the same picture. For tests and benchmarks that
hold a faster way of making a rendition to the look of the slower one."""

import numpy as np
from PIL import Image

_WINDOW = 8
_C1, _C2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2


def _window_means(values: np.ndarray) -> np.ndarray:
    """The mean of every 8 x 8 window, by summed-area table."""
    table = np.pad(values, ((1, 0), (1, 0))).cumsum(0).cumsum(1)
    n = _WINDOW
    sums = table[n:, n:] - table[:-n, n:] - table[n:, :-n] + table[:-n, :-n]
    return sums / (n * n)


def ssim(a: Image.Image, b: Image.Image) -> float:
    """SSIM of two pictures of the same size."""
    if a.size != b.size:
        raise ValueError(f"sizes differ: {a.size} and {b.size}")
    x = np.asarray(a.convert("L"), dtype=np.float64)
    y = np.asarray(b.convert("L"), dtype=np.float64)
    mx, my = _window_means(x), _window_means(y)
    vx = _window_means(x * x) - mx * mx
    vy = _window_means(y * y) - my * my
    cov = _window_means(x * y) - mx * my
    index = ((2 * mx * my + _C1) * (2 * cov + _C2)) / ((mx * mx + my * my + _C1) * (vx + vy + _C2))
    return float(index.mean())
