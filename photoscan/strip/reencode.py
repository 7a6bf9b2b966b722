"""The last resort for HEIC/HEIF/AVIF: decode and encode again, without any metadata.

Used only when the lossless item removal (``photoscan.strip.heif``) refuses a file whose
structure it does not handle. The pixels are decoded upright (rotation/mirroring applied),
re-encoded at high quality with the colour profile only, and the result says so
("re-encoded as HEIF quality 95"): never a silent quality loss.

The work runs in a child interpreter (``python -m photoscan.strip.reencode``, the file's
bytes on stdin, a pickled outcome on stdout) stopped after ``limits.REENCODE_SECONDS``: the
decoder and the encoder are C libraries that a hostile file can keep busy far longer than
any photo needs (a damaged 12-MP HEIC: 145 s of a loaded 2-core machine, well under the
pixel cap), and a call into them cannot be interrupted from Python. A file that needs
longer is refused with that reason, its original untouched. HEVC is encoded with x265's
``ultrafast`` preset: at quality 95 the file is within 2 % of the default preset's size and
5-9 times faster (a 12-MP photo in 5-12 s instead of 44-58 s here; that damaged one in
16 s), so real photos stay well inside the bound.
"""

from __future__ import annotations

import io
import pickle
import subprocess
import sys

from photoscan import limits
from photoscan.errors import CorruptFile, FileTooLarge
from photoscan.model import ImageFormat
from photoscan.strip import icc as icc_step
from photoscan.strip.types import Refused, Stripped

QUALITY = 95
_HEVC_PARAMS = {"preset": "ultrafast"}
_OK, _TOO_LARGE, _CORRUPT, _FAILED = "ok", "too large", "corrupt", "failed"


def reencode_heif(data: bytes, fmt: ImageFormat, why: str) -> Stripped:
    """``data`` decoded and encoded again as ``fmt``; ``why`` names what forced it."""
    kind = "AVIF" if fmt is ImageFormat.AVIF else "HEIF"
    seconds = limits.REENCODE_SECONDS
    try:
        done = subprocess.run(
            [sys.executable, "-m", "photoscan.strip.reencode", kind],
            input=data,
            capture_output=True,
            timeout=seconds,
            check=False,
        )
    except subprocess.TimeoutExpired:  # the child is killed
        raise Refused(f"{why}; re-encoding stopped after {seconds:g} s") from None
    try:
        outcome, value = pickle.loads(done.stdout)
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError):
        raise Refused(f"{why}; re-encoding failed too (exit code {done.returncode})") from None
    if outcome == _OK:
        encoded, blocks = value
        blocks = (f"{kind} re-encoded ({why})", *blocks)
        return Stripped(encoded, blocks, f"{kind} quality {QUALITY}")
    if outcome == _TOO_LARGE:
        raise FileTooLarge(value)
    if outcome == _CORRUPT:
        raise CorruptFile(value)
    raise Refused(f"{why}; re-encoding failed too ({value})")


def _reencode(data: bytes, kind: str) -> tuple[str, tuple[bytes, tuple[str, ...]] | str]:
    """The child's work: (outcome, the new file's bytes and the ICC blocks cut, or the
    reason)."""
    return _reencode_avif(data) if kind == "AVIF" else _reencode_heif(data)


def _reencode_heif(data: bytes) -> tuple[str, tuple[bytes, tuple[str, ...]] | str]:
    """HEIF through pillow-heif alone: libheif decodes the primary image into one buffer and
    the encoder reads that same buffer. Through Pillow the pixels were copied four times
    more (into Pillow's image, ``tobytes``, a fresh image, ``tobytes`` again for the
    encoder): a 12-MP photo peaked at ~385 MB, ~290 MB now, same bytes out. The buffer is
    the one Pillow's HEIF plugin decodes (same libheif call and options: upright, HDR to
    8 bits, the row stride kept), so the pixels encoded are the same."""
    import pillow_heif  # late: a JPEG-only strip never re-encodes

    try:
        heif = pillow_heif.open_heif(data, convert_hdr_to_8bit=True, remove_stride=False)
        image = heif[heif.primary_index]  # parsed, not decoded yet
        width, height = image.size
        if width * height > limits.MAX_PIXELS:
            return _TOO_LARGE, "image too large to re-encode"
        pixels = image.data  # decoded here
    except (OSError, ValueError, SyntaxError, EOFError, RuntimeError, IndexError) as exc:
        return _CORRUPT, f"cannot decode: {exc}"
    icc = image.info.get("icc_profile")
    blocks: list[str] = []  # what the colour profile lost (a display's tags)
    profile = icc_step.kept_profile(icc, blocks) if isinstance(icc, bytes) and icc else None
    out = io.BytesIO()
    try:
        # Only these options: no EXIF, XMP, thumbnails or depth images are carried over.
        pillow_heif.encode(
            image.mode,
            image.size,
            pixels,
            out,
            stride=image.stride,
            quality=QUALITY,
            icc_profile=profile,
            enc_params=_HEVC_PARAMS,
        )
    except (OSError, ValueError, KeyError, RuntimeError) as exc:
        return _FAILED, str(exc)
    return _OK, (out.getvalue(), tuple(blocks))


def _reencode_avif(data: bytes) -> tuple[str, tuple[bytes, tuple[str, ...]] | str]:
    """AVIF through Pillow's own AVIF plugin (pillow-heif has no AV1 codec here)."""
    from PIL import Image

    from photoscan.images.pillow import open_image

    try:
        with open_image(data) as img:
            img.load()
            icc = img.info.get("icc_profile")
            # A fresh image carries no EXIF, XMP or thumbnails over from the original.
            clean = Image.frombytes(img.mode, img.size, img.tobytes())
    except FileTooLarge:
        return _TOO_LARGE, "image too large to re-encode"
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
        return _CORRUPT, f"cannot decode: {exc}"
    out = io.BytesIO()
    blocks: list[str] = []  # what the colour profile lost (a display's tags)
    profile = icc_step.kept_profile(icc, blocks) if isinstance(icc, bytes) and icc else None
    try:
        clean.save(out, "AVIF", quality=QUALITY, icc_profile=profile)
    except (OSError, ValueError, KeyError) as exc:
        return _FAILED, str(exc)
    return _OK, (out.getvalue(), tuple(blocks))


def _child() -> int:
    outcome = _reencode(sys.stdin.buffer.read(), sys.argv[1])
    sys.stdout.buffer.write(pickle.dumps(outcome))
    return 0


if __name__ == "__main__":
    sys.exit(_child())
