"""Findings and formats: what a metadata reader says about one file, and what the file is.

The part of ``photoscan.model`` (which names everything here too) that metadata readers,
strippers and their read-back need; the records of a scan are in ``photoscan.records``.
String enums serialise to the stable values of the scan JSON contract (architecture §4).
"""

from __future__ import annotations

from photoscan.enums import StrEnum
from photoscan.tuples import NamedTuple

__all__ = [
    "Box",
    "Extraction",
    "Finding",
    "FindingKind",
    "Gps",
    "ImageFormat",
    "MediaKind",
    "Severity",
]


class FindingKind(StrEnum):
    """What a metadata field gives away. Values are part of the JSON contract."""

    LOCATION = "location"  # GPS, place names
    PERSON = "person"  # a person's name: artist, owner, creator, face-region name, person shown
    DEVICE = "device"  # serial numbers, unique image/camera ids
    CAMERA = "camera"  # make/model/lens: narrows down the device, not unique on its own
    THUMBNAIL = "thumbnail"  # embedded preview image (may show what a crop removed)
    DATETIME = "datetime"
    TEXT = "text"  # free text: comments, captions, keywords, titles
    MINOR = "minor"  # a field saying a child is shown (BabyAge, ModelAge, MinorModelAgeDisclosure)
    SOFTWARE = "software"
    VISIBILITY = "visibility"  # export sidecar: public / licence
    FACE_REGION = "face_region"  # face rectangles stored in metadata (without a name)
    HISTORY = "history"  # document ids, edit history


class Severity(StrEnum):
    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class ImageFormat(StrEnum):
    """Container formats recognised by content (``photoscan.source.sniff.sniff``)."""

    JPEG = "JPEG"
    PNG = "PNG"
    TIFF = "TIFF"
    HEIF = "HEIF"
    AVIF = "AVIF"
    WEBP = "WEBP"
    GIF = "GIF"
    BMP = "BMP"
    DNG = "DNG"
    RAW = "RAW"  # TIFF-based camera RAW (CR2, NEF, ARW, ORF, RW2, PEF, SRW, ...)
    PSD = "PSD"  # Photoshop PSD/PSB: metadata from the image resources section
    JP2 = "JP2"  # JPEG 2000 (JP2/JPX boxes)
    JXL = "JXL"  # JPEG XL (ISO-BMFF container or bare codestream)
    EXV = "EXV"  # Exiv2 metadata file: a JPEG's header segments without the image
    XMP = "XMP"  # an .xmp sidecar read on its own (metadata.read_sidecar_xmp); never sniffed
    # Video containers (``source.sniff.sniff_video``, read by ``metadata.video``): ISO-BMFF /
    # QuickTime by their ftyp brand, RIFF AVI, Matroska/WebM (EBML), MPEG transport streams.
    MP4 = "MP4"
    MOV = "MOV"
    M4V = "M4V"
    M4A = "M4A"  # audio-only MP4 (voice memos, music): same boxes, read and stripped as MP4
    THREE_GP = "3GP"
    THREE_G2 = "3G2"
    AVI = "AVI"
    MKV = "MKV"  # Matroska and WebM
    MTS = "MTS"  # AVCHD .MTS/.M2TS (MPEG transport stream)


class MediaKind(StrEnum):
    """What a record is (``"media"`` in the scan JSON): a still photo, a video, or a
    recording with sound only (an M4A voice memo, an MP4 without a picture track), which
    carries the same metadata as a video (GPS, owner, device) but has no faces to look at."""

    PHOTO = "photo"
    VIDEO = "video"
    AUDIO = "audio"


Box = tuple[int, int, int, int]  # (left, top, right, bottom), original pixels, shown upright


class Finding(NamedTuple):
    """One identifying marker. ``field`` is ``GROUP:TagName`` in ExifTool's spelling where one
    exists (``EXIF:GPSLatitude``, ``XMP:PersonInImage``, ``MakerNotes:SerialNumber``)."""

    kind: FindingKind
    field: str
    value: str
    severity: Severity


class Gps(NamedTuple):
    lat: float
    lon: float
    source: str  # "exif", "xmp", "sidecar", ...
    altitude: float | None = None


class Extraction(NamedTuple):
    """What the metadata readers found in one file (before faces, sidecars and risk)."""

    format: ImageFormat
    width: int | None
    height: int | None
    findings: tuple[Finding, ...] = ()
    gps: Gps | None = None
    warnings: tuple[str, ...] = ()  # non-fatal reader problems, plain words
