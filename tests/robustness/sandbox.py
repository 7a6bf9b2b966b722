"""An empty user for photoscan to run as, and the proof of what it wrote.

``Sandbox`` points ``HOME``, every ``XDG_*`` base directory and ``TMPDIR`` at empty folders of
its own and unsets ``PHOTOSCAN_HOME``, so photoscan finds its directories the way it does on a
user's machine (platformdirs). ``ORT_DISABLE_TELEMETRY=0`` is passed on purpose: photoscan
must turn onnxruntime's telemetry off whatever the environment says.

Two independent witnesses of writes:

* ``snapshot`` / ``changes``: every entry under the sandbox before and after (size, mtime,
  inode), so anything created, changed or removed is seen whoever did it;
* ``WriteTrace``: ``strace -f`` of the file system calls of the whole process tree, which also
  sees writes anywhere else on the machine — the real ``/tmp`` included, for anything that
  ignores ``TMPDIR`` — and only those made by photoscan's processes, however many other jobs
  share the machine. (onnxruntime's debug log, ``mat-debug-<pid>.log``, follows ``TMPDIR``:
  ``/tmp`` on most machines.)
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from tests.robustness.stracelog import joined_lines

_XDG = ("cache", "config", "data", "state", "runtime")


@dataclass(frozen=True, slots=True)
class Sandbox:
    root: Path

    @classmethod
    def create(cls, root: Path) -> Sandbox:
        box = cls(root)
        for folder in (box.home, box.tmp, *(box.xdg(k) for k in _XDG)):
            folder.mkdir(parents=True, exist_ok=True)
        box.xdg("runtime").chmod(0o700)
        return box

    @property
    def home(self) -> Path:
        return self.root / "home"

    @property
    def tmp(self) -> Path:
        return self.root / "tmp"

    def xdg(self, kind: str) -> Path:
        return self.root / "xdg" / kind

    def env(self, base: Mapping[str, str] | None = None) -> dict[str, str]:
        source = os.environ if base is None else base
        env = {
            k: v
            for k, v in source.items()
            if not k.startswith(("XDG_", "ORT_")) and k not in ("PHOTOSCAN_HOME", "TMP", "TEMP")
        }
        env.update(
            HOME=str(self.home),
            TMPDIR=str(self.tmp),
            TMP=str(self.tmp),
            TEMP=str(self.tmp),
            XDG_CACHE_HOME=str(self.xdg("cache")),
            XDG_CONFIG_HOME=str(self.xdg("config")),
            XDG_DATA_HOME=str(self.xdg("data")),
            XDG_STATE_HOME=str(self.xdg("state")),
            XDG_RUNTIME_DIR=str(self.xdg("runtime")),
            XDG_CONFIG_DIRS=str(self.root / "xdg" / "etc"),
            XDG_DATA_DIRS=str(self.root / "xdg" / "share"),
            ORT_DISABLE_TELEMETRY="0",
            # The interpreter's byte-code cache of installed code (``__pycache__`` in the
            # virtualenv, written on a module's first import) is not photoscan writing: off,
            # so the witnesses see only what photoscan does, on a fresh CI machine too.
            PYTHONDONTWRITEBYTECODE="1",
        )
        return env

    def photoscan_dirs(self) -> tuple[Path, ...]:
        """photoscan's own cache, data, config and log folders under this sandbox, as
        platformdirs names them for the sandboxed user (asked in a child with the same
        environment, so the answer is the one photoscan gets)."""
        code = (
            "import json, platformdirs as p\n"
            "print(json.dumps([f('photoscan') for f in (p.user_cache_dir, p.user_data_dir,"
            " p.user_config_dir, p.user_log_dir, p.user_state_dir)]))\n"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], env=self.env(), capture_output=True, check=True
        )
        dirs = tuple(Path(p) for p in json.loads(out.stdout))
        assert all(self.root in d.parents for d in dirs), dirs
        return dirs


Snapshot = dict[str, tuple[int, int, int, int]]


def snapshot(root: Path, skip: Iterable[Path] = ()) -> Snapshot:
    """Every entry under ``root`` (links not followed) but the subtrees ``skip``."""
    skipped = {os.fspath(p) for p in skip}
    state: Snapshot = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if os.path.join(folder, d) not in skipped]
        for name in [*dirs, *files]:
            path = os.path.join(folder, name)
            if path in skipped:
                continue
            st = os.lstat(path)
            state[os.path.relpath(path, root)] = (st.st_mode, st.st_size, st.st_mtime_ns, st.st_ino)
    return state


def changes(before: Snapshot, after: Snapshot) -> list[str]:
    """What appeared, changed or went between two snapshots, in plain words."""
    out = [f"new {k}" for k in sorted(after.keys() - before.keys())]
    out += [f"removed {k}" for k in sorted(before.keys() - after.keys())]
    out += [f"changed {k}" for k in sorted(before.keys() & after.keys()) if before[k] != after[k]]
    return out


def files_under(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if not p.is_dir())


# --- strace ---------------------------------------------------------------------------------

_TRACED = (
    "creat,open,openat,openat2,mkdir,mkdirat,rename,renameat,renameat2,link,linkat,"
    "symlink,symlinkat,unlink,unlinkat,rmdir,truncate,mknod,mknodat"
)
_LINE = re.compile(r"^(?P<pid>\d+) +(?P<call>\w+)\((?P<args>.*)\) += (?P<ret>-?\d+)(?P<rest>.*)$")
_STRING = re.compile(r'(?:(?P<fd>AT_FDCWD|\d+)<(?P<dir>[^>]*)>, )?"(?P<path>(?:[^"\\]|\\.)*)"')
_FD_PATH = re.compile(r"^<(?P<path>[^>]*)>")
_WRITE_FLAGS = ("O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC")


@dataclass(frozen=True, slots=True)
class Write:
    pid: int
    call: str
    path: str
    source: str | None = None  # rename/link: the old name

    def __str__(self) -> str:
        moved = f" (from {self.source})" if self.source else ""
        return f"{self.call} {self.path}{moved} (pid {self.pid})"


class WriteTrace:
    """``strace -f`` of every call that creates, opens for writing, renames, links or
    removes a file, for one command and all its descendants."""

    def __init__(self, log: Path, cwd: Path) -> None:
        self.log = log
        self._cwd = cwd  # the command's working folder: relative paths are resolved from it

    def prefix(self) -> list[str]:
        return [
            "strace",
            "-f",
            "-qq",
            "-y",  # file descriptors (dirfd, result) shown with their paths
            "-s",
            "4096",
            "--seccomp-bpf",  # stop only at the traced calls: a face scan stays fast
            "-e",
            f"trace={_TRACED}",
            "-e",
            "signal=none",
            "-o",
            str(self.log),
        ]

    def writes(self) -> list[Write]:
        found = []
        for line in joined_lines(self.log):
            match = _LINE.match(line)
            if match is None or int(match["ret"]) < 0:
                continue  # failed calls
            call, args = match["call"], match["args"]
            if call.startswith("open") or call == "creat":
                if call != "creat" and not any(flag in args for flag in _WRITE_FLAGS):
                    continue
                fd_path = _FD_PATH.match(match["rest"])
                path = fd_path["path"] if fd_path else self._path(args, last=False)
                found.append(Write(int(match["pid"]), call, path))
            elif call.startswith(("rename", "link")):
                new, old = self._path(args, last=True), self._path(args, last=False)
                found.append(Write(int(match["pid"]), call, new, old))
            else:  # symlink: the new name; mkdir/unlink/…: the only one
                path = self._path(args, last=call.startswith("symlink"))
                found.append(Write(int(match["pid"]), call, path))
        return found

    def _path(self, args: str, *, last: bool) -> str:
        strings = list(_STRING.finditer(args))
        if not strings:
            return f"<unparsed: {args[:200]}>"
        m = strings[-1] if last else strings[0]
        path = m["path"].encode().decode("unicode_escape")
        if os.path.isabs(path):
            return os.path.normpath(path)
        base = m["dir"] if m["dir"] else str(self._cwd)
        return os.path.normpath(os.path.join(base, path))


def outside(
    writes: Sequence[Write], allowed: Iterable[Path], transient: Iterable[Path] = ()
) -> list[Write]:
    """The writes that are not under one of ``allowed`` (folders or exact files), nor one of
    the few kernel objects every process writes: ``/dev/null``, terminals, and the POSIX
    semaphores multiprocessing creates in ``/dev/shm`` — provided they were unlinked again.

    Also allowed, when gone at the end: a temporary file renamed or linked onto an allowed
    path (an atomic write), and entries under ``transient`` (the sandbox's ``TMPDIR``, where
    ``tempfile`` probes that it can write and multiprocessing keeps its socket folder)."""
    roots = [os.path.normpath(os.fspath(p)) for p in allowed]
    passing = [os.path.normpath(os.fspath(p)) for p in transient]

    def under(path: str, folders: list[str]) -> bool:
        return any(path == r or path.startswith(r + os.sep) for r in folders)

    unlinked = {w.path for w in writes if w.call.startswith("unlink")}
    moved_in = {w.source for w in writes if w.source is not None and under(w.path, roots)}

    def harmless(path: str) -> bool:
        if path in ("/dev/null", "/dev/tty") or path.startswith("/dev/pts/"):
            return True
        if path.startswith("/dev/shm/sem."):
            return path in unlinked
        gone = not os.path.lexists(path)
        return gone and (path in moved_in or under(path, passing))

    return [w for w in writes if not under(w.path, roots) and not harmless(w.path)]
