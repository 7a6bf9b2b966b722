"""Frames for the face pass: a few pictures spread over a video, upright and bounded in size.

PyAV (FFmpeg's libraries, bundled in its wheels) decodes. For each of ``n`` points spread over
the duration it seeks to the keyframe at or before the point and decodes one frame: far less
work than decoding the stream, and keyframes are the sharpest frames. The keyframe is drained
out of the decoder, which would otherwise decode the next packets before it gives it back.
Each frame is turned upright by its display matrix (a phone held upright records sideways
and says so in the matrix) and scaled so its longest side is at most ``max_side``, then
handed over as RGB pixels (FFmpeg's own scaled RGB buffer, no copy) with its time in seconds.

Hostile input: the demuxer is named from photoscan's own sniff (``mov``, ``avi``,
``matroska``, ``mpegts``), never guessed by FFmpeg, so a playlist or concat file cannot make
it open other files or URLs; the file is read through a Python file object, and QuickTime
external data references are not followed. Frames larger than ``limits.MAX_PIXELS`` (the cap
of every decoded image) are refused: from the header's size, and by the decoder itself
(FFmpeg's ``max_pixels``) before it allocates a frame.
A video that cannot be decoded raises ``FramesError`` whose message completes "faces not
checked: ...".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from photoscan.errors import PhotoscanError
from photoscan.images.decode import Decoded
from photoscan.limits import MAX_PIXELS
from photoscan.model import ImageFormat
from photoscan.source.sniff import BMFF_FORMATS, HEADER_BYTES, sniff_video

DEFAULT_FRAMES = 8
MIN_FRAMES, MAX_FRAMES = 6, 10
MAX_SIDE = 1280
MAX_PACKETS_PER_FRAME = 600  # packets read after a seek before giving up on that point
MAX_FORWARD_PACKETS = 90  # decoded past a keyframe when keyframes are too sparse to spread
FORWARD_BUDGET = 240  # such packets per video, all points together (bounds the CPU per video)

_DEMUXERS: dict[ImageFormat, str] = {fmt: "mov" for fmt in BMFF_FORMATS} | {
    ImageFormat.AVI: "avi",
    ImageFormat.MKV: "matroska",
    ImageFormat.MTS: "mpegts",
}
_QUARTERS = {90: 3, 180: 2, 270: 1}  # clockwise degrees -> ``np.rot90``'s (counter-clockwise) k


class FramesError(PhotoscanError):
    """The video could not be decoded; the message says why in plain words."""


@dataclass(frozen=True, slots=True)
class Frame:
    pixels: NDArray[np.uint8]  # RGB (height, width, 3), upright, long side at most ``max_side``
    time_s: float
    size: tuple[int, int]  # the frame's own size upright (the video's displayed pixels)

    @property
    def image(self) -> Image.Image:
        """The pixels as a PIL image (a copy)."""
        return Image.fromarray(self.pixels)


def sample_frames(
    source: Path | BinaryIO, n: int = DEFAULT_FRAMES, max_side: int = MAX_SIDE
) -> list[Frame]:
    """``n`` (6–10) upright frames spread over the video at ``source`` (a path, or a
    seekable binary file such as a zip member in memory)."""
    if isinstance(source, Path):
        with open(source, "rb") as fh:
            return _sample_file(fh, n, max_side)
    return _sample_file(source, n, max_side)


def _sample_file(fh: BinaryIO, n: int, max_side: int) -> list[Frame]:
    n = max(MIN_FRAMES, min(MAX_FRAMES, n))
    container = open_container(fh)
    with container:
        return _sample(container, n, max_side)


def open_container(fh: BinaryIO) -> Any:
    """A PyAV container for the video in ``fh``, opened with photoscan's own demuxer and
    FFmpeg's pixel cap; ``FramesError`` when it is no video or cannot be opened."""
    import av  # PyAV loads FFmpeg's libraries: only when frames are wanted

    fh.seek(0)
    fmt = sniff_video(fh.read(HEADER_BYTES))
    fh.seek(0)
    demuxer = _DEMUXERS.get(fmt) if fmt is not None else None
    if demuxer is None:
        raise FramesError("not a video container photoscan decodes")
    options = {"enable_drefs": "0", "use_absolute_path": "0", "max_pixels": str(MAX_PIXELS)}
    if demuxer != "mpegts":
        # Opening decodes the first frame only to learn its pixel format (a whole keyframe,
        # ~25 ms at 1080p): a container with a header states the size already, and the
        # sampling decodes every frame it uses itself. (An MPEG-TS stream states nothing.)
        options["skip_frame"] = "all"
    try:
        return av.open(fh, format=demuxer, options=options, metadata_errors="ignore")
    except (av.FFmpegError, ValueError, OSError) as exc:
        raise FramesError(f"the video could not be opened ({plain_reason(exc)})") from None


def decoded(frame: Frame, working_size: int) -> Decoded:
    """A frame as the face pass looks at it: at most ``working_size`` on its long side (never
    scaled up: a frame is already small), boxes mapping back to the video's own pixels."""
    pixels = frame.pixels
    height, width = pixels.shape[:2]
    factor = min(1.0, working_size / max(width, height))
    if factor < 1.0:
        size = (max(1, round(width * factor)), max(1, round(height * factor)))
        image = Image.fromarray(pixels).resize(size, Image.Resampling.BOX)
        pixels = np.asarray(image, dtype=np.uint8)
    return Decoded(np.ascontiguousarray(pixels), frame.size[0], frame.size[1])


def video_stream(container: Any) -> Any:
    """The container's video track, set up to decode on one core under the pixel cap."""
    streams = [s for s in container.streams.video if not _attached_picture(s)]
    if not streams:
        raise FramesError("the file has no video track")
    stream = streams[0]
    stream.thread_type = "NONE"  # one core: the face pass runs several videos side by side
    stream.codec_context.thread_count = 1
    # The decoder refuses frames above the cap itself, also when the header states no size.
    stream.codec_context.options = {"max_pixels": str(MAX_PIXELS)}
    width, height = stream.codec_context.width or 0, stream.codec_context.height or 0
    if width * height > MAX_PIXELS:
        raise FramesError(f"frames of {width}×{height} pixels are too large to decode")
    return stream


def _sample(container: Any, n: int, max_side: int) -> list[Frame]:
    import av

    stream = video_stream(container)
    duration = duration_of(container, stream)
    frames: list[Frame] = []
    problems: list[str] = []
    budget = FORWARD_BUDGET
    for i in range(n):
        target = duration * (i + 0.5) / n if duration > 0 else 0.0
        try:
            frame, _used = frame_at(container, stream, target, 0)
            stale = frame is not None and frames and frame_time(frame, target) <= frames[-1].time_s
            if stale and budget > 0:
                # The same keyframe again (a short clip, sparse keyframes): decode on to the
                # point instead, a bounded number of packets.
                forward = min(MAX_FORWARD_PACKETS, budget)
                frame, used = frame_at(container, stream, target, forward)
                budget -= used
        except (av.FFmpegError, ValueError, OSError, MemoryError) as exc:
            problems.append(plain_reason(exc))
            continue
        if frame is None:
            continue
        time_s = frame_time(frame, target)
        if frames and time_s <= frames[-1].time_s:
            continue
        frames.append(Frame(upright_pixels(frame, max_side), time_s, shown_size(frame)))
        if duration <= 0:
            break
    if not frames:
        why = problems[0] if problems else "no frame could be decoded"
        raise FramesError(f"the video could not be decoded ({why})")
    return frames


def duration_of(container: Any, stream: Any) -> float:
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    if container.duration:
        return float(container.duration) / 1_000_000
    return 0.0


def _attached_picture(stream: Any) -> bool:
    """Cover art shows up as a one-frame video stream; it is not the video."""
    import av

    flag = getattr(getattr(av.stream, "Disposition", None), "attached_pic", None)
    return bool(flag is not None and stream.disposition & flag)


def frame_time(frame: Any, fallback: float) -> float:
    return round(float(frame.time), 3) if frame.time is not None else round(fallback, 3)


def frame_at(container: Any, stream: Any, seconds: float, forward: int) -> tuple[Any, int]:
    """(frame, packets read): the keyframe at or before ``seconds``; with ``forward``, the
    first frame at or after ``seconds`` within that many packets (else the last decoded)."""
    if seconds > 0 and stream.time_base:
        container.seek(int(seconds / stream.time_base), stream=stream, backward=True)
    last = None
    count = 0
    for count, packet in enumerate(container.demux(stream), 1):
        if count > MAX_PACKETS_PER_FRAME or (forward and count > forward):
            return last, count
        frames = packet.decode()
        if not forward and not frames and packet.is_keyframe:
            # The decoder holds a keyframe back for the frames that follow it (B-frame
            # reordering): drained instead, it gives it back now (the next seek resets it).
            frames = _drained(stream, packet)
        for frame in frames:
            if not forward or (frame.time is not None and frame.time >= seconds):
                return frame, count
            last = frame
    return last, count


def _drained(stream: Any, packet: Any) -> list[Any]:
    """The frames the decoder still holds after ``packet``, timed by its packet."""
    frames = list(stream.codec_context.decode(None))
    for frame in frames:
        if frame.pts is None:
            frame.pts = packet.pts
        frame.time_base = stream.time_base
    return frames


def shown_size(frame: Any) -> tuple[int, int]:
    turned = (-int(getattr(frame, "rotation", 0) or 0)) % 180 == 90
    return (frame.height, frame.width) if turned else (frame.width, frame.height)


def upright_pixels(frame: Any, max_side: int) -> NDArray[np.uint8]:
    """The frame as RGB pixels, scaled down and turned as its display matrix says."""
    scale = min(1.0, max_side / max(frame.width, frame.height))
    width = max(2, round(frame.width * scale))
    height = max(2, round(frame.height * scale))
    # AREA (box) scaling: 10 ms a 1080p frame here against 39 ms for PyAV's default
    # (bicubic), and the right filter for shrinking; the detector sees no difference.
    # ``to_ndarray`` is a view of FFmpeg's RGB buffer: ``to_image`` copied it three times
    # (rows, bytes, Pillow) and the face pass a fourth (~4 ms a 1280 px frame), same pixels.
    pixels: NDArray[np.uint8] = frame.to_ndarray(
        width=width, height=height, interpolation="AREA", format="rgb24"
    )
    clockwise = (-int(getattr(frame, "rotation", 0) or 0)) % 360
    quarter = _QUARTERS.get(clockwise)
    return np.ascontiguousarray(np.rot90(pixels, quarter) if quarter else pixels)


def plain_reason(exc: BaseException) -> str:
    """Plain words for FFmpeg's errors (its messages name C functions)."""
    import av

    if isinstance(exc, av.error.EOFError):
        return "the video data ends before a whole frame; the file may be cut short"
    if isinstance(exc, av.error.InvalidDataError):
        return "the video data is damaged"
    if isinstance(exc, MemoryError):
        return "not enough memory to decode a frame"
    if isinstance(exc, av.error.PermissionError):
        return "the decoder refused the video data; the file may hold no picture"
    if isinstance(exc, av.FFmpegError):
        return (exc.strerror or type(exc).__name__).lower()[:200]
    return (str(exc).strip() or type(exc).__name__)[:200]
