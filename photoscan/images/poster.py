"""A video's poster frame: the one picture the desktop app shows for it (grid and preview).

Not the first frame: phone clips and exports often open on black, a fade-in or a title
card. The poster is the keyframe at or before 10% of the duration — a keyframe is decoded
alone and is the sharpest frame — and when that one is dark or flat (``representative``),
the keyframes before 30% and 50%, then the frame at 10% itself (decoded on from its
keyframe, a bounded number of packets). The best of those seen is taken when none is
representative, so a dark video still gets a poster rather than "No preview".

Bounded like the face pass's frames (``images.video``, whose opening, caps and upright
turn it shares): at most four seeks, each reading at most ``MAX_PACKETS_PER_FRAME``
packets, one frame held at a time, scaled to ``max_side`` on its long side and turned
upright by its display matrix. ``FramesError`` says why when nothing can be decoded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
from numpy.typing import NDArray

from photoscan.images.video import (
    MAX_FORWARD_PACKETS,
    Frame,
    FramesError,
    duration_of,
    frame_at,
    frame_time,
    open_container,
    plain_reason,
    shown_size,
    upright_pixels,
    video_stream,
)

POSTER_POINTS = (0.1, 0.3, 0.5)  # of the duration: keyframes at or before these
MIN_MEAN = 28  # mean brightness (0-255) below this: a black frame or a fade
MIN_SPREAD = 10  # standard deviation below this: a flat frame (one colour, a blank card)


def _brightness(pixels: NDArray[np.uint8]) -> tuple[float, float]:
    """Mean and spread of a frame, looked at on every fourth pixel: enough to tell, a
    fraction of the cost."""
    sample = pixels[::4, ::4].astype(np.float32)
    return float(sample.mean()), float(sample.std())


def representative(pixels: NDArray[np.uint8]) -> bool:
    """Whether a frame shows something: neither dark nor one flat colour."""
    return _shows_something(*_brightness(pixels))


def _shows_something(mean: float, spread: float) -> bool:
    return mean >= MIN_MEAN and spread >= MIN_SPREAD


def _score(mean: float, spread: float) -> float:
    return min(mean, 128.0) + spread


def poster_frame(source: Path | BinaryIO, max_side: int) -> Frame:
    """The poster frame of the video at ``source`` (a path, or a seekable file such as a
    zip member in memory), upright, at most ``max_side`` pixels on its long side."""
    if isinstance(source, Path):
        with open(source, "rb") as fh:
            return _poster(fh, max_side)
    return _poster(source, max_side)


def _poster(fh: BinaryIO, max_side: int) -> Frame:
    with open_container(fh) as container:
        return _choose(container, video_stream(container), max_side)


def _choose(container: Any, stream: Any, max_side: int) -> Frame:
    import av

    duration = duration_of(container, stream)
    tries = [(duration * point, 0) for point in POSTER_POINTS] if duration > 0 else [(0.0, 0)]
    if duration > 0:
        tries.append((duration * POSTER_POINTS[0], MAX_FORWARD_PACKETS))
    best: tuple[float, Frame] | None = None
    problems: list[str] = []
    seen: set[float] = set()
    for seconds, forward in tries:
        try:
            frame, _ = frame_at(container, stream, seconds, forward)
            time_s = frame_time(frame, seconds) if frame is not None else None
            if time_s is None or time_s in seen:
                continue  # nothing, or the same keyframe again (sparse keyframes)
            seen.add(time_s)
            pixels = upright_pixels(frame, max_side)
        except (av.FFmpegError, ValueError, OSError, MemoryError) as exc:
            problems.append(plain_reason(exc))
            continue
        candidate = Frame(pixels, time_s, shown_size(frame))
        mean, spread = _brightness(pixels)
        if _shows_something(mean, spread):
            return candidate
        score = _score(mean, spread)
        if best is None or score > best[0]:
            best = (score, candidate)
    if best is not None:
        return best[1]
    why = problems[0] if problems else "no frame could be decoded"
    raise FramesError(f"the video could not be decoded ({why})")
