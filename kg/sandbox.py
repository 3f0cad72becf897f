"""The limits a process puts on itself: no network sockets, no outgoing connection, a bounded address space.

:func:`no_network` installs a seccomp filter (Linux on x86-64 or AArch64) under which ``socket()``
fails with ``EPERM`` for every address family but ``AF_UNIX``: the engine cannot open a connection,
whatever a query says (SPARQL ``SERVICE`` is performed over HTTP by pyoxigraph).  The filter holds
for the rest of the process and its children.  :func:`limit_memory` caps the address space
(``RLIMIT_AS``), so that a runaway query fails in the child instead of exhausting the machine.
:func:`no_connect` refuses ``connect()`` alone: a server (``budgetkg serve``'s Oxigraph, started through
:func:`exec_without_connect`) still accepts its clients but cannot reach out, whatever a request says.
"""

from __future__ import annotations

import ctypes
import platform
import resource
import struct
import sys

# per architecture: the kernel's audit arch value, the numbers of socket(2) and connect(2)
_ARCH = {"x86_64": (0xC000003E, 41, 42), "aarch64": (0xC00000B7, 198, 203)}
_X32_BIT = 0x40000000  # x86-64 syscalls of the x32 ABI carry this bit
_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2
_RET_ALLOW, _RET_EPERM, _RET_KILL_PROCESS = 0x7FFF0000, 0x00050000 | 1, 0x80000000
_LD_ABS_W, _JEQ_K, _JGE_K, _RET_K = 0x20, 0x15, 0x35, 0x06  # BPF_LD|W|ABS, BPF_JMP|JEQ|K, BPF_JMP|JGE|K, BPF_RET|K
_AF_UNIX = 1


class _Filter(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def _program(arch: int, nr_socket: int) -> bytes:
    """Classic BPF over ``struct seccomp_data`` (nr at 0, arch at 4, args[0] at 16)."""
    op = lambda code, k, jt=0, jf=0: struct.pack("HBBI", code, jt, jf, k)  # noqa: E731
    return b"".join([
        op(_LD_ABS_W, 4), op(_JEQ_K, arch, 1, 0), op(_RET_K, _RET_KILL_PROCESS),  # another ABI: never ours
        op(_LD_ABS_W, 0), op(_JGE_K, _X32_BIT, 3, 0),  # x32 numbers: refused like socket()
        op(_JEQ_K, nr_socket, 0, 4),
        op(_LD_ABS_W, 16), op(_JEQ_K, _AF_UNIX, 1, 0),
        op(_RET_K, _RET_EPERM), op(_RET_K, _RET_ALLOW),
        op(_RET_K, _RET_ALLOW),
    ])


def _connect_program(arch: int, nr_connect: int) -> bytes:
    """Classic BPF refusing ``connect()`` (and the x32 ABI) with ``EPERM``, allowing everything else."""
    op = lambda code, k, jt=0, jf=0: struct.pack("HBBI", code, jt, jf, k)  # noqa: E731
    return b"".join([
        op(_LD_ABS_W, 4), op(_JEQ_K, arch, 1, 0), op(_RET_K, _RET_KILL_PROCESS),
        op(_LD_ABS_W, 0), op(_JGE_K, _X32_BIT, 1, 0),
        op(_JEQ_K, nr_connect, 0, 1),
        op(_RET_K, _RET_EPERM), op(_RET_K, _RET_ALLOW),
    ])


def no_network() -> bool:
    """Refuse every socket but a local (``AF_UNIX``) one from now on; False where seccomp is not available."""
    known = _ARCH.get(platform.machine())
    return known is not None and _install(_program(known[0], known[1]))


def no_connect() -> bool:
    """Refuse every ``connect()`` from now on (this process and what it executes); False where seccomp is
    not available."""
    known = _ARCH.get(platform.machine())
    return known is not None and _install(_connect_program(known[0], known[2]))


def exec_without_connect(argv: list[str]) -> None:
    """Become ``argv`` (a program and its arguments) under :func:`no_connect`; exits 70 where the filter
    cannot be installed (never runs the program unfiltered)."""
    import os

    if not no_connect():
        print("budgetkg: seccomp is not available here; the server is not started", file=sys.stderr)
        raise SystemExit(70)
    os.execv(argv[0], argv)


def _install(code: bytes) -> bool:
    """Install the seccomp program ``code`` (after ``no_new_privs``); False where seccomp is not available."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    buf = ctypes.create_string_buffer(code, len(code))
    prog = _Filter(len(code) // 8, ctypes.addressof(buf))
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    return libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.addressof(prog), 0, 0) == 0


def limit_memory(max_bytes: int) -> None:
    """Cap this process's address space at ``max_bytes`` (allocations past it fail)."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = max_bytes if hard == resource.RLIM_INFINITY else min(max_bytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
