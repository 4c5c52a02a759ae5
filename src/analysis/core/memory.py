"""The machine's memory, as far as the system tells: what new work may use."""

from __future__ import annotations


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
