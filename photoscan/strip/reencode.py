"""The last resort for HEIC/HEIF/AVIF: decode and encode again, without any metadata.

Used only when the lossless item removal (``photoscan.strip.heif``) refuses a file whose
structure it does not handle. The pixels are decoded upright (rotation/mirroring applied),
re-encoded at high quality with the colour profile only, and the result says so
("re-encoded as HEIF quality 95"): never a silent quality loss.
"""

from __future__ import annotations

import io

from photoscan.errors import CorruptFile, FileTooLarge
from photoscan.model import ImageFormat
from photoscan.strip.types import Refused, Stripped

QUALITY = 95
MAX_PIXELS = 200_000_000


def reencode_heif(data: bytes, fmt: ImageFormat, why: str) -> Stripped:
    """``data`` decoded and encoded again as ``fmt``; ``why`` names what forced it."""
    import pillow_heif  # late, like Pillow: a JPEG-only strip never re-encodes
    from PIL import Image

    pillow_heif.register_heif_opener()
    try:
        with Image.open(io.BytesIO(data)) as img:
            if img.width * img.height > MAX_PIXELS:
                raise FileTooLarge("image too large to re-encode")
            img.load()
            icc = img.info.get("icc_profile")
            # A fresh image carries no EXIF, XMP or thumbnails over from the original.
            clean = Image.frombytes(img.mode, img.size, img.tobytes())
    # Pillow's own AVIF decoder raises RuntimeError on a damaged file, and Image.open raises
    # DecompressionBombError before the MAX_PIXELS check above can run.
    except (
        OSError,
        ValueError,
        SyntaxError,
        EOFError,
        RuntimeError,
        Image.DecompressionBombError,
    ) as exc:
        raise CorruptFile(f"cannot decode: {exc}") from exc
    out = io.BytesIO()
    kind = "AVIF" if fmt is ImageFormat.AVIF else "HEIF"
    try:
        clean.save(out, kind, quality=QUALITY, icc_profile=icc)
    except (OSError, ValueError, KeyError) as exc:
        raise Refused(f"{why}; re-encoding failed too ({exc})") from exc
    return Stripped(out.getvalue(), (f"{kind} re-encoded ({why})",), f"{kind} quality {QUALITY}")
