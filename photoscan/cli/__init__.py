"""The command line: ``main`` (the entry point and the registry of commands), one module per
command (``scan``, ``strip``, ``share``, ``report``, ``gui``), the human ``summary`` of a
scan, the terminal ``progress`` bar, and ``stored``: the finished output of a scan, kept so
an unchanged folder's rescan is served in milliseconds.
"""
