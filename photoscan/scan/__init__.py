"""The scan: from a folder or a ``.zip`` export to records, streamed as events.

``run.scan`` is the entry point (a generator of ``events``); ``jobs`` are its units of work;
``worker`` reads one file and ``pool`` runs the workers; ``cache`` keeps per-file results
and ``jsonio`` turns them into JSON; ``places`` is the optional places pass; ``process``
runs a whole scan in a child process for the desktop app. Each module imports only those
before it in this list (and the layers below the scan), never the run back.
"""
