"""Where photoscan keeps its own files: cache, config, logs and the parent's decisions.

platformdirs gives the per-user locations; ``PHOTOSCAN_HOME`` overrides all of them (tests,
portable installs). The cache may be deleted at any time (by the user, a cleaner, the
system); ``data_dir`` holds what cannot be made again — the decisions the user took about
their photos (``photoscan.library``) — and is never used for anything derived. Directories
are created 0700 because the cache holds what photos give away (locations, names); files
inside are created 0600 by their writers.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from pathlib import Path
    from types import ModuleType

APP_NAME = "photoscan"
# The desktop's name for the app (reverse-DNS, as freedesktop and AppStream want): the
# launcher entry resources/<APP_ID>.desktop, its icon, the AppStream id, Wayland's app id.
APP_ID = "io.github.photoscan.photoscan"
DECISIONS_DB = "library.sqlite3"  # in data_dir: the parent's decisions (photoscan.library)


def _platformdirs() -> ModuleType:
    """Imported on first use: it costs ~30 ms, which a cached rescan must not pay when
    ``PHOTOSCAN_HOME`` is set (tests, benchmarks)."""
    import platformdirs

    return platformdirs


def _home_override() -> str | None:
    value = os.environ.get("PHOTOSCAN_HOME")
    return os.path.expanduser(value) if value else None


def _private_dir(path: str) -> Path:
    from pathlib import Path

    return Path(_private_dir_str(path))


def _private_dir_str(path: str) -> str:
    os.makedirs(path, mode=0o700, exist_ok=True)
    try:  # noqa: SIM105 (contextlib is not imported at a strip's start-up)
        os.chmod(path, 0o700)
    except OSError:  # e.g. a filesystem without modes
        pass
    return path


def cache_dir() -> Path:
    from pathlib import Path

    return Path(cache_dir_str())


def cache_dir_str() -> str:
    """``cache_dir()`` as a string, without importing pathlib (~6 ms): a cached rescan needs
    nothing else from this module."""
    home = _home_override()
    base = os.path.join(home, "cache") if home else _linux_cache_dir() or _user_cache_dir()
    return _private_dir_str(base)


def _user_cache_dir() -> str:
    return str(_platformdirs().user_cache_dir(APP_NAME))


def _linux_cache_dir() -> str | None:
    """platformdirs' answer on Linux in its two plain cases (an absolute ``XDG_CACHE_HOME``,
    else an absolute ``HOME``'s ``.cache``) without importing it: a cached rescan is over in
    about the time platformdirs takes to import. ``None``: ask platformdirs (a test checks
    both agree)."""
    if not sys.platform.startswith("linux"):
        return None
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):
        return os.path.join(xdg, APP_NAME)
    user_home = os.environ.get("HOME", "")
    return os.path.join(user_home, ".cache", APP_NAME) if os.path.isabs(user_home) else None


def models_dir() -> Path:
    """The cache's ``models`` folder (0700): model files photoscan derives once per
    installation from what the libraries ship (dlib's built HOG detector, YuNet in fp32)."""
    from pathlib import Path

    return Path(_private_dir_str(os.path.join(cache_dir_str(), "models")))


def config_dir() -> Path:
    home = _home_override()
    base = os.path.join(home, "config") if home else _platformdirs().user_config_dir(APP_NAME)
    return _private_dir(str(base))


def data_dir() -> Path:
    """The user's own data: ``PHOTOSCAN_HOME/data`` or platformdirs' ``user_data_dir``."""
    return _private_dir(data_dir_str())


def data_dir_str(*, create: bool = True) -> str:
    """``data_dir()`` as a string; with ``create=False`` nothing is made (a reader that
    finds no folder has nothing to read, and must not leave an empty one behind)."""
    home = _home_override()
    base = os.path.join(home, "data") if home else _linux_data_dir() or _user_data_dir()
    return _private_dir_str(base) if create else base


def decisions_db_str() -> str:
    """Where the decisions database is (``library.store``), found without importing SQLite
    or creating anything: a strip or a cached rescan checks for it first."""
    return os.path.join(data_dir_str(create=False), DECISIONS_DB)


def _user_data_dir() -> str:
    return str(_platformdirs().user_data_dir(APP_NAME))


def _linux_data_dir() -> str | None:
    """platformdirs' ``user_data_dir`` on Linux in its two plain cases, without importing
    it (as ``_linux_cache_dir``): a cached rescan checks whether the decisions changed."""
    if not sys.platform.startswith("linux"):
        return None
    xdg = os.environ.get("XDG_DATA_HOME", "")
    if os.path.isabs(xdg):
        return os.path.join(xdg, APP_NAME)
    user_home = os.environ.get("HOME", "")
    if not os.path.isabs(user_home):
        return None
    return os.path.join(user_home, ".local", "share", APP_NAME)


def log_dir() -> Path:
    home = _home_override()
    base = os.path.join(home, "logs") if home else _platformdirs().user_log_dir(APP_NAME)
    return _private_dir(str(base))


def create_private_file(path: Path) -> None:
    """Create ``path`` (if missing) readable only by its owner."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)
