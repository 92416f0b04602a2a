"""gunicorn settings that `ficarchive serve` passes (``-c python:config.gunicorn``).

One bitmap index for all workers: with the bitmap engine on (``FICARCHIVE_BITMAPS``), the
application is loaded in the master (``preload_app``), which builds the index once, and
keeps it up to date from the change log with one thread (``discovery.keeper``, every
FICARCHIVE_INDEX_REFRESH_SECONDS, default 2). Workers inherit it copy-on-write: the index's
large buffers (pyroaring containers, arrays) are shared until a worker patches a page of
them, and a worker started after a crash or ``--max-requests`` serves at once, with at most
the last seconds' changes to patch. ``FICARCHIVE_PRELOAD=0`` turns this off (each worker
builds its own index on its first listing, as before)."""

from __future__ import annotations

import os


def _on(name: str, default: str) -> bool:
    return os.environ.get(name, default).strip().lower() not in {"0", "false", "no", "off", ""}


preload_app = _on("FICARCHIVE_PRELOAD", "1") and _on("FICARCHIVE_BITMAPS", "1")


def _refresh_index() -> None:
    """Build or catch up the master's index, then drop the master's database connections
    (a connection must never be shared by forked processes)."""
    import logging

    from django.db import connections

    from ficarchive.discovery import bitmaps

    try:
        if bitmaps.enabled():
            bitmaps.get_index()
    except Exception:  # noqa: BLE001 - a worker builds its own index then; serve anyway
        logging.getLogger("ficarchive").warning("bitmap index not preloaded", exc_info=True)
    finally:
        connections.close_all()


def when_ready(server: object) -> None:
    if preload_app:
        _refresh_index()
        from ficarchive.discovery import bitmaps, keeper, sharedsorts

        if bitmaps.enabled():
            keeper.warm()
            keeper.start()
            # The counter sorts from the shared file from the first fork on, so no worker
            # ever re-reads them into its own memory (``discovery.sharedsorts``).
            if sharedsorts.shared:
                keeper.share_counters()
            # Objects made since the build's gc.freeze() (warm-up, the shared sorts) out of
            # the collector's reach too: a collection in the master would write to them
            # and so copy their pages into every worker.
            import gc

            gc.collect()
            gc.freeze()
            keeper.trim()


def pre_fork(server: object, worker: object) -> None:
    if not preload_app:
        return  # the master has not loaded Django
    from ficarchive.discovery import keeper

    # With the keeper running the index is at most one round old; a fork waits for the
    # round in progress (keeper's fork hook) and the worker patches the rest itself.
    if not keeper.running():
        _refresh_index()
