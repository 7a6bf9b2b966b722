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
from photoscan.strip import icc as icc_step
from photoscan.strip.types import Refused, Stripped

QUALITY = 95


def reencode_heif(data: bytes, fmt: ImageFormat, why: str) -> Stripped:
    """``data`` decoded and encoded again as ``fmt``; ``why`` names what forced it."""
    from PIL import Image  # late, like pillow-heif: a JPEG-only strip never re-encodes

    from photoscan.images.pillow import open_image

    try:
        with open_image(data) as img:
            img.load()
            icc = img.info.get("icc_profile")
            # A fresh image carries no EXIF, XMP or thumbnails over from the original.
            clean = Image.frombytes(img.mode, img.size, img.tobytes())
    except FileTooLarge:
        raise FileTooLarge("image too large to re-encode") from None
    # Pillow's own AVIF decoder raises RuntimeError on a damaged file, and Image.open raises
    # DecompressionBombError (past twice the pixel cap) before open_image's own check can run.
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
    blocks = [f"{kind} re-encoded ({why})"]
    profile = icc_step.kept_profile(icc, blocks) if isinstance(icc, bytes) and icc else None
    try:
        clean.save(out, kind, quality=QUALITY, icc_profile=profile)
    except (OSError, ValueError, KeyError) as exc:
        raise Refused(f"{why}; re-encoding failed too ({exc})") from exc
    return Stripped(out.getvalue(), tuple(blocks), f"{kind} quality {QUALITY}")
