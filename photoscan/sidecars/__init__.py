"""Export sidecars: Google Takeout and Flickr JSON, XMP sidecars, Picasa's ``.picasa.ini``.

Which sidecar describes which photo is decided by name when the files are found
(``source.pairing.pair_sidecars``); here ``readers.read_sidecar`` turns one into findings
(location, people, dates, visibility/licence) and a GPS fix, and ``readers.apply_sidecar``
merges that into a ``PhotoRecord`` (sidecar GPS only fills a photo without its own).
No Qt, no file access except through the bytes callers hand in — the same code reads a
folder and a ``.zip`` export (``photoscan.source.ziparchive``).
"""
