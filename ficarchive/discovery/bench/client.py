"""The benchmarks' HTTP client: plain http.client, one connection per request (as
``ab -c 1`` does), and a free loopback port. No Django here: ``bench.workers`` runs
without settings."""

from __future__ import annotations

import http.client
import socket


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(port: int, path: str, cookie: str = "") -> tuple[int, int]:
    """One GET on a new connection, read to the end: (status, body bytes)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        resp = conn.getresponse()
        return resp.status, len(resp.read())
    finally:
        conn.close()
