"""Videos: what MP4/MOV/M4V/3GP/3G2 (and M4A), AVI, MKV and MTS files give away.

``read.read_video`` is the entry point (findings, GPS, dates, duration, tracks, thumbnails);
the containers have one module each (``quicktime`` with ``udta``, ``keys``, ``timed``;
``avi``, ``mkv``, ``mts``). Nothing is imported here.
"""
