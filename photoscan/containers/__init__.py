"""Bounded binary structure, shared by the metadata readers, the strippers and video.

One parser per container: ``tiff`` (TIFF/EXIF directories), ``jpeg`` (marker segments),
``bmff`` (ISO-BMFF/QuickTime boxes: HEIF, AVIF, JPEG 2000, JPEG XL, CR3, MP4/MOV), ``png``
(chunks), ``riff`` (WebP chunks), ``gif`` (blocks), ``ciff`` (Canon heaps), ``irb``
(Photoshop image resources and the IPTC-IIM datasets they carry). Every length and offset comes
from a hostile file, so each one is checked against its parent and every count is capped.

No findings here. A parser either raises (``CorruptFile``: the strippers must never rewrite
what they did not fully understand) or, for the readers, reports damage through a ``warn``
callback and hands on what was intact before it (``damage.damaged``: damage before anything
was read is a corrupt file, later damage a warning).
"""
