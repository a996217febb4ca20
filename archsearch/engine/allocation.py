"""How a long-running search process gets memory for its arrays from glibc.

A ranked search builds arrays as long as a posting list or the archive (50,000 documents: 400
KB of float64 each), dozens of them per query, and frees them at once. glibc serves blocks that
big with fresh `mmap`s, or from the top of its heap, and gives them back to the system when
freed; every new one is then zero pages again, faulted in one 4 KiB page at a time, and that
was a quarter of a 40-syllable question's time (bench/query.py, `MALLOC_MMAP_THRESHOLD_` and
`MALLOC_TRIM_THRESHOLD_` set against not, same machine, back to back: p50 100 -> 74 ms, 128 ->
90 ms). `keep_freed_memory()` makes this process keep what it frees for its next allocations:
the server calls it in its master before forking its workers (settings are inherited by a
fork, never by a program a process starts: Tesseract and the indexer are left alone). A
worker then holds the peak of its own temporaries, tens of megabytes, instead of returning
them between requests.
"""

from __future__ import annotations

import ctypes
import ctypes.util

# mallopt(3) parameters (malloc.h)
_M_TRIM_THRESHOLD = -1
_M_TOP_PAD = -2
_M_MMAP_THRESHOLD = -3
_MMAP_THRESHOLD = 32 * 2**20  # glibc's largest on 64-bit: blocks up to this come from the heap
_TRIM_THRESHOLD = 512 * 2**20  # free memory kept at the top of the heap before it is returned
_TOP_PAD = 64 * 2**20  # the heap grows by this much at a time


def keep_freed_memory() -> bool:
    """Tune this process's glibc malloc as above; False where there is no glibc to tune
    (nothing changes then)."""
    name = ctypes.util.find_library("c")
    if not name:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return all(mallopt(parameter, value) == 1 for parameter, value in (
        (_M_MMAP_THRESHOLD, _MMAP_THRESHOLD), (_M_TRIM_THRESHOLD, _TRIM_THRESHOLD), (_M_TOP_PAD, _TOP_PAD)))
