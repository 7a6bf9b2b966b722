"""What photoscan learns from one video, and the options and results of a video strip."""

from __future__ import annotations

from photoscan.model import Extraction, Finding, ImageFormat
from photoscan.tuples import NamedTuple


class TrackInfo(NamedTuple):
    """One track of a video: what it carries and how it is shown."""

    track_id: int
    handler: str  # "vide", "soun", "meta", "text", "tmcd", ... (AVI: "vids"/"auds")
    codec: str  # the sample entry / codec tag: "avc1", "hvc1", "mp4a", "mebx", "gpmd", ...
    width: int | None = None
    height: int | None = None
    duration_s: float | None = None
    rotation: int = 0  # clockwise degrees from the display matrix (0, 90, 180, 270)
    timed_metadata: bool = False  # per-frame data (GPS, faces, sensors), not picture or sound
    keys: tuple[str, ...] = ()  # timed metadata keys (iPhone ``mebx``)


class ThumbnailInfo(NamedTuple):
    """An embedded still image (cover art, a camera's preview) and where its bytes are."""

    field: str  # ExifTool's name: "ItemList:CoverArt", "UserData:ThumbnailImage", ...
    offset: int
    length: int
    format: str  # "JPEG", "PNG", "BMP" or "" when not recognised


class VideoExtraction(NamedTuple):
    """``read_video``'s result: findings as for a photo, plus what only a video has.

    ``extraction`` plugs into the photo pipeline unchanged (risk, JSON, summary); its width and
    height are the displayed size of the first video track (rotation applied).
    """

    extraction: Extraction
    container: ImageFormat
    duration_s: float | None
    tracks: tuple[TrackInfo, ...] = ()
    thumbnails: tuple[ThumbnailInfo, ...] = ()
    rotation: int = 0  # of the first video track

    @property
    def findings(self) -> tuple[Finding, ...]:
        return self.extraction.findings

    @property
    def has_picture(self) -> bool:
        """Whether there is a picture to look at (False for a sound recording: an M4A voice
        memo, an MP4 of sound only). A file whose tracks are not listed counts as a video."""
        handlers = {t.handler for t in self.tracks if not t.timed_metadata}
        return not handlers or bool(handlers & {"", "vide", "vids"})
