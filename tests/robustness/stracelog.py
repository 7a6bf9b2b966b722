"""Reading ``strace -f`` logs, shared by the write trace (``sandbox``) and ``network``."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

_RESUMED = re.compile(r"^<\.\.\. \w+ resumed>(?P<rest>.*)$")
_UNFINISHED = "<unfinished ...>"


def strace_available() -> str | None:
    """Why ``strace -f`` cannot be used here, or None when it can."""
    if shutil.which("strace") is None:
        return "strace is not installed"
    probe = subprocess.run(  # the options the traces use (--seccomp-bpf: strace 5.3+)
        ["strace", "-f", "-qq", "-y", "--seccomp-bpf", "-e", "trace=openat", "true"],
        capture_output=True,
        check=False,
    )
    if probe.returncode != 0:
        return f"strace cannot trace here (ptrace not allowed?): {probe.stderr[-200:]!r}"
    return None


def joined_lines(log: Path) -> list[str]:
    """The log's calls, one per line: a call that another thread of the traced tree
    interrupted is logged as ``… <unfinished ...>`` and later ``<... openat resumed>…``;
    the two halves are joined."""
    pending: dict[str, str] = {}
    lines = []
    for line in log.read_text(errors="replace").splitlines():
        pid, _, rest = line.partition(" ")
        if line.endswith(_UNFINISHED):
            pending[pid] = line[: -len(_UNFINISHED)].rstrip()
        elif (resumed := _RESUMED.match(rest.lstrip())) and pid in pending:
            lines.append(pending.pop(pid) + resumed["rest"])
        else:
            lines.append(line)
    return lines
