"""The size caps every part of photoscan shares: one value each, in one place.

Photos and exports are hostile input: a file may claim billions of pixels (a decompression
bomb) or be far larger than any photo. Readers, strippers, the face pass, share-safe copies
and the desktop app's thumbnails all refuse the same things, so a file is never readable in
one place and "too large" in another. Caps that belong to one format's structure (entries
per TIFF directory, bytes per XMP packet, members of a zip) stay with their parsers.
"""

from __future__ import annotations

# Decoded pixels: a photo above this is refused (FileTooLarge), not decoded. 200 MP covers
# every camera and panorama a family library holds (a 150 MP medium-format frame, a stitched
# 180 MP panorama) while bounding a decode to ~600 MB of RGB per worker.
MAX_PIXELS = 200_000_000


def too_many_pixels(pixels: int, size: tuple[int, int] | None = None, cap: int = MAX_PIXELS) -> str:
    """Why a picture whose header claims ``pixels`` (``size``, when known) is refused: the
    words every refusal of the cap uses (faces, share, re-encode), read by a parent."""
    megapixels = f"{pixels / 1e6:.3g} megapixels"
    claim = f"{size[0]}x{size[1]} pixels ({megapixels})" if size else megapixels
    return (
        f"picture too large: {claim} is over the {cap / 1e6:.3g}-megapixel limit; "
        "refused from its header, nothing decoded"
    )


# Bytes of one file held in memory at once (readers, strippers, face workers and thumbnails
# work on bytes, not on files). It was 1 GiB in the scan's and strip's readers but 512 MiB in
# the face pass and the thumbnails, so a 600 MB scanned TIFF was read and stripped yet
# reported "too large" for faces. 1 GiB is kept: every file that was read before still is;
# memory stays bounded by MAX_PIXELS when such a file is decoded.
MAX_FILE_BYTES = 1 << 30

# A video inside a zip export is inflated into memory to be stripped or sampled (a file on
# disk is streamed instead). Above this it is refused with advice (extract the export, then
# strip or scan the video file), not held whole: phone videos inside Takeout zips reach
# gigabytes, and every worker holding one would exhaust a laptop's memory.
MAX_VIDEO_MEMBER_BYTES = 256 << 20
VIDEO_MEMBER_ADVICE = (
    "a video of over {mb} MB inside a zip export is not held in memory; extract the export "
    "(unzip it) and give photoscan the video file itself"
)

# CPU seconds a HEIF/AVIF re-encode (the strip's last resort, in a child process) may use
# before the kernel stops it (RLIMIT_CPU) and the file is refused: decoders and encoders are
# C code a hostile file can keep busy for minutes under any pixel cap. CPU time, not wall
# time: a loaded machine slows a re-encode's wall clock (a 12-MP photo took 5-12 s at load
# 1-10) but not the work it needs (6-8 CPU-s, all threads counted; 9-12 CPU-s for the 33-
# and 50-MP test photos). The budget grows with the picture: a base for start-up, parsing
# and a small photo, and a share per megapixel, counted from the header before decoding
# (12 MP: 32 s, 4-5x what it needs; the 200-MP cap: 220 s).
REENCODE_CPU_BASE_SECONDS = 20
REENCODE_CPU_SECONDS_PER_MEGAPIXEL = 1.0
# Wall-clock seconds after which a re-encode child is stopped all the same: only a child
# that waits without working (no CPU used) gets there; at load 10 on 2 cores a full CPU
# budget of a 12-MP photo takes ~150 s.
REENCODE_WALL_SECONDS = 300.0
