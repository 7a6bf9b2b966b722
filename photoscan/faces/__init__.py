"""Faces: find them, estimate each one's age, decide which are children's.

``settings`` (how hard to look; importable without numpy), ``detect`` (dlib's HOG detector,
stored once per installation), ``age`` (the age model and the child decision), ``analyse``
(one photo: ``detect_faces``), ``pool`` (many photos in worker processes). Pixels come from
``photoscan.images``; nothing here decodes a file itself.
"""
