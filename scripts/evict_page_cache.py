"""Drop a directory tree's files from the operating system's page cache, to measure an
archive "cold" without root (no /proc/sys/vm/drop_caches): POSIX_FADV_DONTNEED on each
file. Stop the database server first, or its own buffers stay warm.

    python scripts/evict_page_cache.py /var/lib/postgresql/15/main
"""

from __future__ import annotations

import os
import sys


def evict(root: str) -> int:
    """Advise the kernel to drop every file under ``root``; returns how many files."""
    count = 0
    for folder, _, files in os.walk(root):
        for name in files:
            try:
                fd = os.open(os.path.join(folder, name), os.O_RDONLY)
            except OSError:
                continue
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
                count += 1
            finally:
                os.close(fd)
    return count


if __name__ == "__main__":
    print(f"evicted {evict(sys.argv[1])} files")
