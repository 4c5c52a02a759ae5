"""The machine's memory, as far as the system tells: what new work may use, and giving back
what a process freed."""

from __future__ import annotations

import ctypes
import gc


def available() -> int | None:
    """Bytes of memory available to start new work (Linux's MemAvailable), or None."""
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def give_back() -> None:
    """Give the memory this process freed back to the system: the garbage collected, Arrow's
    unused pool released, glibc's free heap pages returned (`malloc_trim`; nothing elsewhere).
    A long-lived process would otherwise keep the heap of its largest step."""
    gc.collect()
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        return
