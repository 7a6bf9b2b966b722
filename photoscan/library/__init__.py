"""The parent's decisions about their photos, remembered (issue 11).

``store`` (the ``Library``: SQLite in the user's data folder — never the cache, which may be
deleted), ``db`` (opening any of photoscan's SQLite files privately, versioned, shared
between processes, surviving damage), ``content`` (a photo's identity: the SHA-256 of its
bytes, remembered per file), ``lookup`` (which files of a scan have decisions, hashing only
what can). Applying decisions to faces is ``photoscan.faces.marks``; the risk, the scan,
``share``, ``strip`` and the app all go through them.
"""
