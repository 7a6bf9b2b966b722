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

# Wall-clock seconds a HEIF/AVIF re-encode (the strip's last resort, in a child process) may
# take before it is stopped and the file refused: decoders and encoders are C code a hostile
# file can keep busy for minutes under any pixel cap. A 12-MP photo takes 5-12 s on a loaded
# 2-core machine; 30 s leaves room for larger photos and slower machines, and stays under
# the long fuzz run's 60 s per mutant.
REENCODE_SECONDS = 30.0
