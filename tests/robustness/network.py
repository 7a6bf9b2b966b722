"""What a process tree does with the network, from ``strace -f -e trace=%network``.

"Offline, always" is checked at the system-call level, where no library can hide it: every
socket that is not ``AF_UNIX`` (IPv4/6, netlink — glibc's resolver opens one to list
interfaces — packet, …), every ``connect``/``sendto``/``sendmsg`` to an internet address,
and every sign of a name lookup: a resolver configuration file opened (``getaddrinfo``
reads ``/etc/hosts`` and ``/etc/resolv.conf`` first) or a Unix socket of a resolver
daemon (nscd, systemd-resolved) connected. Used by the test suite (a short face scan)
and by ``benchmarks/netcheck.py`` (a face scan of 30 s and more).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from tests.robustness.stracelog import joined_lines

RESOLVER_FILES = (
    "/etc/resolv.conf",
    "/etc/hosts",
    "/etc/nsswitch.conf",
    "/etc/gai.conf",
    "/etc/host.conf",
    "/run/systemd/resolve/resolv.conf",
    "/run/systemd/resolve/stub-resolv.conf",
)
RESOLVER_SOCKETS = ("nscd", "systemd/resolve", "io.systemd.Resolve")

_CALL = re.compile(r"^(?P<pid>\d+) +(?P<call>\w+)\((?P<args>.*)\) += (?P<ret>-?\d+|\?)")
_FAMILY = re.compile(r"sa_family=(?P<family>AF_\w+)")
_SOCKET_DOMAIN = re.compile(r"^(?P<domain>AF_\w+|\d+)")
_OPENED = re.compile(r'"(?P<path>[^"]*)"')
_INET = ("AF_INET", "AF_INET6")


@dataclass(slots=True)
class NetReport:
    """What was seen; all three lists are empty for an offline program."""

    sockets: list[str] = field(default_factory=list)  # non-AF_UNIX sockets created
    inet: list[str] = field(default_factory=list)  # connect/send to an internet address
    lookups: list[str] = field(default_factory=list)  # signs of a host name lookup
    unix_sockets: int = 0  # AF_UNIX sockets (multiprocessing, pipes between workers)
    processes: set[int] = field(default_factory=set)

    @property
    def clean(self) -> bool:
        return not (self.sockets or self.inet or self.lookups)


def strace_prefix(log: Path) -> list[str]:
    return [
        "strace",
        "-f",
        "-qq",
        "-s",
        "256",
        "--seccomp-bpf",
        "-e",
        "trace=%network,open,openat,openat2",
        "-e",
        "signal=none",
        "-o",
        str(log),
    ]


def read_log(log: Path) -> NetReport:
    report = NetReport()
    for line in joined_lines(log):
        match = _CALL.match(line)
        if match is None:
            continue
        call, args = match["call"], match["args"]
        report.processes.add(int(match["pid"]))
        if call in ("socket", "socketpair"):
            domain = _SOCKET_DOMAIN.match(args)
            if domain is not None and domain["domain"] == "AF_UNIX":
                report.unix_sockets += 1
            else:
                report.sockets.append(line)
        elif call.startswith("open"):
            opened = _OPENED.search(args)
            if opened is not None and opened["path"] in RESOLVER_FILES:
                report.lookups.append(line)
        elif call in ("connect", "sendto", "sendmsg", "sendmmsg", "bind"):
            family = _FAMILY.search(args)
            if family is not None and family["family"] in _INET:
                report.inet.append(line)
            elif family is not None and family["family"] != "AF_UNIX":
                report.sockets.append(line)
            elif any(name in args for name in RESOLVER_SOCKETS):
                report.lookups.append(line)
    return report
