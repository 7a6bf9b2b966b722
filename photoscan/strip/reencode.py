"""The last resort for HEIC/HEIF/AVIF: decode and encode again, without any metadata.

Used only when the lossless item removal (``photoscan.strip.heif``) refuses a file whose
structure it does not handle. The pixels are decoded upright (rotation/mirroring applied),
re-encoded at high quality with the colour profile only, and the result says so
("re-encoded as HEIF quality 95"): never a silent quality loss.

The work runs in a child interpreter (``python -m photoscan.strip.reencode``, the file's
bytes on stdin, a pickled outcome on stdout) whose CPU time the kernel bounds (RLIMIT_CPU:
``limits.REENCODE_CPU_BASE_SECONDS`` plus a share per megapixel, set from the header before
a pixel is decoded): the decoder and the encoder are C libraries that a hostile file can keep
busy far longer than any photo needs (a damaged 12-MP HEIC: 145 s of a loaded 2-core machine,
well under the pixel cap), and a call into them cannot be interrupted from Python. CPU time,
not wall time, so a busy machine slows a re-encode without refusing it. A file that needs
more is refused with that reason, its original untouched. HEVC is encoded with x265's
``ultrafast`` preset: at quality 95 the file is within 2 % of the default preset's size and
5-9 times faster (a 12-MP photo in 6-8 CPU-s instead of 44-58 s here), so real photos stay
well inside the bound.
"""

from __future__ import annotations

import io
import math
import pickle
import resource
import signal
import subprocess
import sys
from collections.abc import Callable

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
    base, per_mp = limits.REENCODE_CPU_BASE_SECONDS, limits.REENCODE_CPU_SECONDS_PER_MEGAPIXEL
    budget = f"{base:g} s + {per_mp:g} s per megapixel"
    try:
        done = subprocess.run(
            [sys.executable, "-m", "photoscan.strip.reencode", kind, f"{base:g}", f"{per_mp:g}"],
            input=data,
            capture_output=True,
            timeout=limits.REENCODE_WALL_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:  # the child is killed
        wall = limits.REENCODE_WALL_SECONDS
        raise Refused(f"{why}; re-encoding stopped after {wall:g} s without finishing") from None
    if done.returncode in (-signal.SIGXCPU, -signal.SIGKILL) and not done.stdout:
        # SIGXCPU at the budget; SIGKILL at the hard limit 2 s later, should it be ignored.
        raise Refused(f"{why}; re-encoding stopped at its CPU-time limit ({budget})")
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


def _reencode(
    data: bytes, kind: str, sized: Callable[[int], None] = lambda pixels: None
) -> tuple[str, tuple[bytes, tuple[str, ...]] | str]:
    """The child's work: (outcome, the new file's bytes and the ICC blocks cut, or the
    reason). ``sized`` learns the picture's pixels from its header, before decoding."""
    return _reencode_avif(data, sized) if kind == "AVIF" else _reencode_heif(data, sized)


def _reencode_heif(
    data: bytes, sized: Callable[[int], None]
) -> tuple[str, tuple[bytes, tuple[str, ...]] | str]:
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
            return _TOO_LARGE, limits.too_many_pixels(width * height, (width, height))
        sized(width * height)
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


def _reencode_avif(
    data: bytes, sized: Callable[[int], None]
) -> tuple[str, tuple[bytes, tuple[str, ...]] | str]:
    """AVIF through Pillow's own AVIF plugin (pillow-heif has no AV1 codec here)."""
    from PIL import Image

    from photoscan.images.pillow import open_image

    try:
        with open_image(data) as img:
            sized(img.width * img.height)
            img.load()
            icc = img.info.get("icc_profile")
            # A fresh image carries no EXIF, XMP or thumbnails over from the original.
            clean = Image.frombytes(img.mode, img.size, img.tobytes())
    except FileTooLarge as exc:
        return _TOO_LARGE, str(exc)
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


def cpu_budget(pixels: int, base: float, per_megapixel: float) -> int:
    """The child's CPU seconds for a picture of ``pixels`` (whole seconds: RLIMIT_CPU's unit)."""
    return max(1, math.ceil(base + per_megapixel * pixels / 1e6))


class _Budget:
    """The child's RLIMIT_CPU: the base until the header is read, then the picture's share.
    The hard limit starts at the cap's budget (a limit can be lowered, never raised again)."""

    def __init__(self, base: float, per_megapixel: float) -> None:
        self._base, self._per_mp = base, per_megapixel
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # SIGXCPU dumps core by default
        self._set(
            cpu_budget(0, base, per_megapixel), cpu_budget(limits.MAX_PIXELS, base, per_megapixel)
        )

    def picture(self, pixels: int) -> None:
        self._set(cpu_budget(pixels, self._base, self._per_mp))

    @staticmethod
    def _set(soft: int, ceiling: int | None = None) -> None:
        _, hard_now = resource.getrlimit(resource.RLIMIT_CPU)
        hard = (ceiling if ceiling is not None else soft) + 2
        if hard_now != resource.RLIM_INFINITY:
            hard = min(hard, hard_now)
        resource.setrlimit(resource.RLIMIT_CPU, (min(soft, hard), hard))


def _child() -> int:
    kind, base, per_mp = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    budget = _Budget(base, per_mp)
    outcome = _reencode(sys.stdin.buffer.read(), kind, budget.picture)
    sys.stdout.buffer.write(pickle.dumps(outcome))
    return 0


if __name__ == "__main__":
    sys.exit(_child())
