"""The detail pane's sentences about faces and actions, for photos and videos alike (pure).

A video's faces come from a few frames spread over it, where the same people appear again
and again: summing them ("6 children") disagreed with the risk's reasons, which count the
busiest frame ("4 possible children", ``risk.shown``). Both now say the same numbers, and a
video's Faces line says they are the most seen at once in one of the frames checked, then
which frames showed faces — a poster is one more frame, its faces were found on others.

A video gets no share-safe copy (``share.VIDEO_REFUSAL``): its blur advice says what to do
instead, and the pane offers no button that would only be refused.
"""

from __future__ import annotations

from photoscan.model import Face, MediaKind, PhotoRecord, Recommendation
from photoscan.risk import is_possible, shown
from photoscan.share import VIDEO_SHARE_WHY

MAX_FRAMES_LISTED = 10

ACTION_WORDS: dict[Recommendation, str] = {
    Recommendation.MAKE_PRIVATE: "Make it private where you published it",
    Recommendation.STRIP_LOCATION: "Strip the location before sharing",
    Recommendation.STRIP_METADATA: "Strip the metadata (names, ids, hidden previews)",
    Recommendation.BLUR_CHILDREN: "Blur the children's faces before sharing",
    Recommendation.BLUR_FACES: "Blur the faces before sharing",
    Recommendation.OK_TO_SHARE: "Fine to share",
    Recommendation.CHECK_FACES: "Faces not checked: look at it yourself before sharing",
    Recommendation.KEEP_PRIVATE: "Keep it private (your decision)",
}
# What the CLI says when it refuses ``share`` of a video, with the app's advice.
VIDEO_SHARE_REFUSAL = (
    f"Not for videos: {VIDEO_SHARE_WHY}. Strip a video's metadata (Strip Selected) and blur "
    "faces in a video editor before sharing it."
)
VIDEO_ACTION_WORDS: dict[Recommendation, str] = ACTION_WORDS | {
    Recommendation.BLUR_CHILDREN: (
        "Blur the children's faces in a video editor before sharing it (share-safe copies "
        "are made of photos only); strip its metadata first"
    ),
    Recommendation.BLUR_FACES: (
        "Blur the faces in a video editor before sharing it (share-safe copies are made of "
        "photos only); strip its metadata first"
    ),
    Recommendation.CHECK_FACES: "Faces not checked: watch it yourself before sharing",
}
SHARE_ACTIONS = frozenset({Recommendation.BLUR_CHILDREN, Recommendation.BLUR_FACES})


def is_video(record: PhotoRecord) -> bool:
    """A video or a recording: stripped like a photo, never made a share-safe copy of."""
    return record.media is not MediaKind.PHOTO


def action_words(record: PhotoRecord) -> list[str]:
    words = VIDEO_ACTION_WORDS if is_video(record) else ACTION_WORDS
    return [words.get(a, a.value) for a in record.recommendations]


def _clock(seconds: float) -> str:
    """A frame's time to a tenth of a second (two frames may fall in one second): 0:03.2."""
    tenths = int(max(0.0, seconds) * 10)
    minutes, secs = divmod(tenths / 10, 60)
    hours, minutes = divmod(int(minutes), 60)
    return f"{hours}:{minutes:02}:{secs:04.1f}" if hours else f"{minutes}:{secs:04.1f}"


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _ages(faces: list[Face]) -> str:
    ages = sorted(round(f.age) for f in faces if f.age is not None)
    return f" (est. {', '.join(str(a) for a in ages)})" if ages else ""


def people(children: list[Face], adults: list[Face], ages: bool = True) -> list[str]:
    """'2 children (est. 4, 7)', '1 possible child (est. 19)', '3 adults'."""
    maybe = [f for f in children if is_possible(f)]
    sure = [f for f in children if not is_possible(f)]
    parts = []
    if sure:
        parts.append(_plural(len(sure), "child", "children") + (_ages(sure) if ages else ""))
    if maybe:
        parts.append(
            _plural(len(maybe), "possible child", "possible children")
            + (_ages(maybe) if ages else "")
        )
    if adults:
        parts.append(_plural(len(adults), "adult", "adults"))
    return parts


def faces_text(record: PhotoRecord) -> str:
    """The Faces line: what the risk counted, in the same numbers as its reasons."""
    if record.face_error:
        return "Faces: could not be checked"
    if not record.faces_scanned:
        return "Faces: not checked yet"
    video = is_video(record)
    if not record.faces:
        return "No faces found in the frames checked" if video else "No faces found"
    children, adults = shown(record)
    parts = people(children, adults)
    if not video:
        return "Faces: " + ", ".join(parts)
    frames = len({f.frame_s for f in record.faces})
    seen = _plural(frames, "frame", "frames")
    return (
        f"Faces in the frames checked: at most {' and '.join(parts)} in one frame (faces in {seen})"
    )


def frames_text(record: PhotoRecord) -> str:
    """For a video: which of its checked frames showed faces, and whose ('' for a photo)."""
    if not is_video(record) or not record.faces:
        return ""
    by_time: dict[float | None, list[Face]] = {}
    for face in record.faces:
        by_time.setdefault(face.frame_s, []).append(face)
    lines = []
    for time_s in sorted(by_time, key=lambda t: -1.0 if t is None else t)[:MAX_FRAMES_LISTED]:
        faces = by_time[time_s]
        at = "a frame" if time_s is None else _clock(time_s)
        kids = [f for f in faces if f.child]
        grown = [f for f in faces if not f.child]
        lines.append(f"  {at} — {', '.join(people(kids, grown, ages=False))}")
    more = len(by_time) - MAX_FRAMES_LISTED
    if more > 0:
        lines.append(f"  and {_plural(more, 'more frame', 'more frames')}")
    return (
        "No face boxes on the picture above: it is another frame of the video. Faces were "
        "found at:\n" + "\n".join(lines)
    )
