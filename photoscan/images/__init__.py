"""Decoding pixels safely, in one place: photos, RAW previews (and video frames next).

``pillow`` prepares Pillow once per process (HEIF support, the decompression-bomb limit)
and opens images under photoscan's pixel cap; ``decode`` makes the small upright RGB image
face detection looks at; ``previews`` finds the camera's own JPEG rendering inside a RAW,
which Pillow cannot decode. Used by the face pass, share-safe copies, the HEIF re-encoder
and the desktop app's thumbnails, so a file decodes (or is refused) the same way everywhere.
"""
