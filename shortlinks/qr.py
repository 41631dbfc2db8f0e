"""QR codes for short links: text in, PNG or SVG bytes out. Pure functions.

The text is kept in upper case so the whole of it fits QR's alphanumeric mode (5.5 bits a
character instead of 8): a 24-character base URL plus `/S/` and a 32-character code is version 3
(29x29 modules) at error correction M, which cheap phone cameras read at a glance.
"""

import io

import qrcode
from PIL import Image
from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_L, ERROR_CORRECT_M, ERROR_CORRECT_Q

EC_LEVELS = {"L": ERROR_CORRECT_L, "M": ERROR_CORRECT_M, "Q": ERROR_CORRECT_Q, "H": ERROR_CORRECT_H}


def link_text(base_url: str, code: str) -> str:
    """What the QR code holds: `<BASE>/S/<CODE>`, all upper case."""
    return f"{base_url.rstrip('/')}/S/{code}".upper()


def matrix(text: str, *, ec: str = "M", margin: int = 4) -> tuple[list[list[bool]], int]:
    """The module matrix (with its quiet zone) and the QR version chosen."""
    qr = qrcode.QRCode(version=None, error_correction=EC_LEVELS[ec], border=margin)
    qr.add_data(text)
    qr.make(fit=True)
    return qr.get_matrix(), qr.version


def png(text: str, *, size: int = 400, margin: int = 4, ec: str = "M") -> bytes:
    modules, _ = matrix(text, ec=ec, margin=margin)
    n = len(modules)
    image = Image.new("1", (n, n), 1)
    image.putdata([0 if dark else 1 for row in modules for dark in row])
    # Nearest-neighbour keeps module edges sharp at any size.
    image = image.resize((size, size), Image.Resampling.NEAREST)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def svg(text: str, *, size: int = 400, margin: int = 4, ec: str = "M") -> bytes:
    modules, _ = matrix(text, ec=ec, margin=margin)
    n = len(modules)
    path = "".join(
        f"M{x} {y}h1v1h-1z" for y, row in enumerate(modules) for x, dark in enumerate(row) if dark
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 {n} {n}" shape-rendering="crispEdges">'
        f'<rect width="{n}" height="{n}" fill="#fff"/><path d="{path}" fill="#000"/></svg>'
    ).encode()
