"""Keep freed memory for reuse, so that training does not wait on the operating system.

A training step allocates a few megabytes of NumPy arrays (the trace of the forward pass,
the gradients of the backward pass) and frees them again.  With its default settings,
glibc's ``malloc`` (the C library of most Linux systems) hands each array of more than
128 KiB to the operating system when it is freed, or trims its heap once more than a few
hundred KiB are free at its top.  The next step then gets fresh pages from the kernel, and
the first write to each 4 KiB page costs a page fault.  Measured on the book's machines
(a virtual machine, where a fault is expensive), an LSTM training step at the experiments'
size (T = 32, batch 64, H = 8) took about 1000 page faults, and half its time went to
them.

:func:`keep_freed_memory` raises the two thresholds, so that freed arrays stay in the
process and are reused by the next step.  The process then keeps up to
:data:`TRIM_THRESHOLD` bytes of freed memory instead of returning it at once.  It is a
setting of the C library for the whole process (like the environment variables
``MALLOC_MMAP_THRESHOLD_`` and ``MALLOC_TRIM_THRESHOLD_``), not of NumPy, and it changes
no number that is computed: only where the memory comes from.  On other C libraries and
systems it does nothing.
"""

from __future__ import annotations

import ctypes
import functools
import sys

__all__ = ["MMAP_THRESHOLD", "TRIM_THRESHOLD", "keep_freed_memory"]

# glibc's mallopt() parameter numbers (malloc.h).
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3

MMAP_THRESHOLD = 32 * 2**20
"""Arrays smaller than this (32 MiB, the largest value glibc adapts to by itself) come from the heap."""

TRIM_THRESHOLD = 128 * 2**20
"""The heap is trimmed only when more than this (128 MiB) is free at its top."""


@functools.cache
def keep_freed_memory() -> bool:
    """Ask the C library to keep freed memory for reuse (once per process).

    Returns
    -------
    bool
        True if the settings were applied (glibc on Linux), False where they do not apply.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt   # the C library this process already uses
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    # mallopt returns 1 on success; musl and other libraries without these settings return 0.
    mmap_set = mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)
    trim_set = mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    return bool(mmap_set and trim_set)
