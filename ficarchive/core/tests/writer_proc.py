"""Run as `python -m ficarchive.core.tests.writer_proc STOPFILE`: keeps creating works
through the services (in FICARCHIVE_HOME's database) until STOPFILE exists. Used by tests
that back up or kill an archive while it is being written to."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from ficarchive.testing import make_user, make_work

    stop = Path(sys.argv[1])
    author = make_user(f"writer{os.getpid()}")
    n = 0
    while not stop.exists():
        n += 1
        make_work(
            author,
            title=f"Work {n}",
            chapters=[f"Chapter one of {n}.", f"Chapter two of {n}.", "Three."],
        )
        time.sleep(0.001)
    print(n)


if __name__ == "__main__":
    main()
