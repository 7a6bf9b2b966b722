"""A command run in a private mount namespace: a full disk, a read-only folder.

``unshare -m`` gives the command its own view of the mounts, so a tiny tmpfs or a read-only
bind mount exists for it alone and vanishes with it: nothing to clean up, nothing another
job on the machine can see. It needs the right to mount (root with CAP_SYS_ADMIN, as in CI
containers run as root with that capability); ``available()`` says why not otherwise, and
the tests skip. After the command, a listing of the mounted folder is written to a file
outside it, since the folder's contents vanish with the namespace.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

_PROBE = 'mount -t tmpfs -o size=16k tmpfs "$0" && umount "$0"'


def available(scratch: Path) -> str | None:
    if shutil.which("unshare") is None:
        return "unshare is not installed"
    scratch.mkdir(parents=True, exist_ok=True)
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", _PROBE, str(scratch)], capture_output=True, check=False
    )
    if probe.returncode != 0:
        return f"cannot mount in a private namespace here: {probe.stderr[-200:]!r}"
    return None


def full_disk(mountpoint: Path, listing: Path, command: list[str]) -> list[str]:
    """``command`` with a 64 KiB tmpfs at ``mountpoint``, filled to the last byte first;
    the tmpfs's entries afterwards go to ``listing`` (one per line)."""
    script = (
        'mount -t tmpfs -o size=64k tmpfs "$0" || exit 97\n'
        'dd if=/dev/zero of="$0/filler" bs=4096 2>/dev/null\n'
        '"$@"; code=$?\n'
        'ls -A "$0" > "$LISTING"\n'
        "exit $code\n"
    )
    return _wrapped(script, mountpoint, listing, command)


def read_only(folder: Path, command: list[str]) -> list[str]:
    """``command`` with ``folder`` bind-mounted read-only onto itself: even root gets EROFS."""
    script = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" || exit 97\nexec "$@"\n'
    return _wrapped(script, folder, None, command)


def _wrapped(script: str, folder: Path, listing: Path | None, command: list[str]) -> list[str]:
    env = f"LISTING={listing}" if listing is not None else "LISTING=/dev/null"
    return ["unshare", "-m", "env", env, "sh", "-c", script, os.fspath(folder), *command]
