"""The environment every benchmarked tool runs in.

Byte-code caches on, as any installed Python program has them: a session may set
PYTHONDONTWRITEBYTECODE, which makes every start of photoscan (or of face_recognition's CLI)
compile all its modules again — tens of milliseconds per start, most of a cached rescan. The
cache lives under benchmarks/out (gitignored) so the source tree stays clean.
"""

from __future__ import annotations

import os
from pathlib import Path

PYCACHE = Path(__file__).resolve().parent / "out" / "pycache"


def tool_env() -> dict[str, str]:
    """``os.environ`` without PYTHONDONTWRITEBYTECODE, with PYTHONPYCACHEPREFIX set."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    return env
