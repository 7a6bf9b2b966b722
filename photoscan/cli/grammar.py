"""Small words of the CLI summary: what its counts are of, and verbs that agree with them.

A count of photos says "photos"; of videos (and recordings) alone, "videos" (of sound
recordings alone, "recordings"); of photos and videos, "files"; of nothing, "photos" — so
a library of photos reads as it always has, and a folder of videos is never called photos.
"""

from __future__ import annotations

from photoscan.model import MediaKind, PhotoRecord

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Iterable


def thing(counted: Iterable[PhotoRecord], among: Iterable[PhotoRecord] = ()) -> str:
    """'photo', 'video' (recordings among them), 'recording' or 'file' for the records a
    count is of (``among`` when it counts none: "0 videos with GPS" in a folder of videos)."""
    media = {p.media for p in counted} or {p.media for p in among}
    if media and MediaKind.PHOTO not in media:
        return "recording" if media == {MediaKind.AUDIO} else "video"
    return "file" if len(media) > 1 else "photo"


def count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def verb_s(n: int) -> str:
    """The verb's -s for one photo ("1 photo shows", "2 photos show")."""
    return "s" if n == 1 else ""


def are(n: int) -> str:
    return "is" if n == 1 else "are"


def it(n: int) -> str:
    return "it" if n == 1 else "they"


def was(n: int) -> str:
    return "was" if n == 1 else "were"
