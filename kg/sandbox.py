"""The limits a query child process puts on itself: no network sockets, a bounded address space.

:func:`no_network` installs a seccomp filter (Linux on x86-64 or AArch64) under which ``socket()``
fails with ``EPERM`` for every address family but ``AF_UNIX``: the engine cannot open a connection,
whatever a query says (SPARQL ``SERVICE`` is performed over HTTP by pyoxigraph).  The filter holds
for the rest of the process and its children.  :func:`limit_memory` caps the address space
(``RLIMIT_AS``), so that a runaway query fails in the child instead of exhausting the machine.
"""

from __future__ import annotations

import ctypes
import platform
import resource
import struct
import sys

# per architecture: the kernel's audit arch value and the number of socket(2)
_ARCH = {"x86_64": (0xC000003E, 41), "aarch64": (0xC00000B7, 198)}
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


def no_network() -> bool:
    """Refuse every socket but a local (``AF_UNIX``) one from now on; False where seccomp is not available."""
    known = _ARCH.get(platform.machine())
    if not sys.platform.startswith("linux") or known is None:
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    code = _program(*known)
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
