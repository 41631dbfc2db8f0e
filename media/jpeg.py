"""A JPEG file taken apart at its markers, without decoding a pixel: its metadata dropped and its
compressed picture kept byte for byte. Pure: bytes in, bytes out.

What is kept: the frame (SOFn), its tables (DQT, DHT, DRI...), every scan with its
entropy-coded data, the JFIF header (without its thumbnail), Adobe's colour-transform segment
(it says how to read the channels) and, when the caller says so, the ICC profile. What goes:
every other application segment (EXIF with GPS, XMP, IPTC, maker notes, embedded
thumbnails), comments, and anything after the end of the image. The orientation, when the
picture must be turned to be upright, comes back as the only EXIF tag, so the file is shown as
it was taken without a re-encode.
"""

import re
import struct

_SOI = b"\xff\xd8"
_EOI = 0xD9
_SOS = 0xDA
_COM = 0xFE
_APP0, _APP2, _APP14 = 0xE0, 0xE2, 0xEE
# Markers without a length: restarts and TEM.
_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})
# In entropy-coded data a 0xFF is followed by 0x00 (a stuffed byte), a restart marker or
# another 0xFF (fill); anything else starts the next marker.
_NEXT_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")
_ORIENTATION = 0x0112


class NotPlain(ValueError):
    """A file this module does not rewrite (damaged, truncated, or not a JPEG): the caller
    decodes and re-encodes it instead."""


def without_metadata(data: bytes, *, orientation: int | None, keep_icc: bool) -> bytes:
    """`data` with only what shows the picture: see the module. `orientation` (EXIF's 2 to 8)
    is written back as the only tag; 1 or None writes none."""
    if not data.startswith(_SOI):
        raise NotPlain("no start of image")
    head: list[bytes] = []  # JFIF first, where there is one, then the orientation
    body: list[memoryview] = []  # views: the file is copied once, when joined
    view = memoryview(data)
    pos, end = 2, len(data)
    while True:
        if pos + 2 > end or data[pos] != 0xFF:
            raise NotPlain("a marker was expected")
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == _EOI:
            break
        if marker in _STANDALONE:
            body.append(view[pos : pos + 2])
            pos += 2
            continue
        if pos + 4 > end:
            raise NotPlain("truncated")
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        stop = pos + 2 + length
        if length < 2 or stop > end:
            raise NotPlain("a segment runs past the file")
        payload = data[pos + 4 : min(stop, pos + 20)]  # enough to tell the segment by
        if marker == _SOS:
            found = _NEXT_MARKER.search(data, stop)
            if found is None:
                raise NotPlain("a scan runs past the file")
            body.append(view[pos : found.start()])
            pos = found.start()
            continue
        if marker == _APP0:
            if not head and not body and payload.startswith(b"JFIF\x00") and length >= 16:
                head.append(_segment(_APP0, payload[:12] + b"\x00\x00"))  # no thumbnail
        elif marker == _APP2:
            if keep_icc and payload.startswith(b"ICC_PROFILE\x00"):
                body.append(view[pos:stop])
        elif marker == _APP14:
            if payload.startswith(b"Adobe"):
                body.append(view[pos:stop])
        elif not (0xE0 <= marker <= 0xEF or marker == _COM):
            body.append(view[pos:stop])
        pos = stop
    if orientation is not None and 2 <= orientation <= 8:
        head.append(_orientation_only(orientation))
    return b"".join([_SOI, *head, *body, b"\xff\xd9"])


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes((0xFF, marker)) + (len(payload) + 2).to_bytes(2, "big") + payload


def _orientation_only(orientation: int) -> bytes:
    """An EXIF segment holding the orientation and nothing else (little-endian TIFF, one IFD
    with one SHORT entry, no next IFD)."""
    entry = struct.pack("<HHIHH", _ORIENTATION, 3, 1, orientation, 0)  # tag, SHORT, 1, value
    tiff = b"II*\x00" + struct.pack("<IH", 8, 1) + entry + struct.pack("<I", 0)
    return _segment(0xE1, b"Exif\x00\x00" + tiff)
