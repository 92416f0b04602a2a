"""AZW3, MOBI and PDF through Calibre's `ebook-convert`, from our EPUB (as AO3 does)."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

CALIBRE_FORMATS = {"azw3", "mobi", "pdf"}
# The only variables Calibre inherits from the server: never FICARCHIVE_SECRET_KEY,
# DATABASE_URL (with its password), REDIS_URL or anything else of ours.
INHERITED_ENV = ("PATH", "LANG", "LC_ALL", "TZ")


class ConversionError(Exception):
    """Calibre is missing, failed, or took too long; the message says which."""


def ebook_convert_path() -> str | None:
    return shutil.which(getattr(settings, "FICARCHIVE_EBOOK_CONVERT", "ebook-convert"))


def calibre_available() -> bool:
    return ebook_convert_path() is not None


def convert_epub(epub: bytes, fmt: str, *, title: str, timeout: int | None = None) -> bytes:
    """Convert EPUB bytes to fmt with ebook-convert; raises ConversionError."""
    if fmt not in CALIBRE_FORMATS:
        raise ConversionError(f"Calibre does not make {fmt} downloads here.")
    binary = ebook_convert_path()
    if binary is None:
        raise ConversionError(
            f"{fmt.upper()} downloads need Calibre's ebook-convert, which is not installed on this server."
        )
    timeout = timeout or int(getattr(settings, "FICARCHIVE_CONVERT_TIMEOUT", 600))
    with tempfile.TemporaryDirectory(prefix="ficarchive-convert-") as tmp:
        env = calibre_env(Path(tmp))
        source = Path(tmp) / "work.epub"
        target = Path(tmp) / f"work.{fmt}"
        source.write_bytes(epub)
        args = [binary, str(source), str(target)]
        if fmt == "pdf":
            args += [
                "--pdf-page-numbers",
                "--paper-size",
                "a5",
                "--pdf-default-font-size",
                "14",
                "--title",
                title,
            ]
        try:
            result = _run_limited(args, env=env, cwd=tmp, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise ConversionError(f"Making the {fmt.upper()} took longer than {timeout} seconds.")
        if result.returncode != 0 or not target.exists():
            tail = (
                (result.stderr or result.stdout)
                .decode("utf-8", "replace")
                .strip()
                .splitlines()[-1:]
            )
            raise ConversionError(
                f"Calibre could not make the {fmt.upper()} (exit {result.returncode}): {' '.join(tail)}"
            )
        return target.read_bytes()


def calibre_env(home: Path) -> dict[str, str]:
    """The environment ebook-convert runs in: PATH and the locale from ours, a temporary
    HOME (Calibre writes its settings and caches there), and Qt headless. Nothing else, so
    no secret of the server reaches Calibre or the Chromium inside it."""
    env = {name: os.environ[name] for name in INHERITED_ENV if name in os.environ}
    env.setdefault("PATH", "/usr/local/bin:/usr/bin:/bin")
    env.update(
        {
            "HOME": str(home),
            "TMPDIR": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "CALIBRE_CONFIG_DIRECTORY": str(home / "calibre"),
            "QT_QPA_PLATFORM": "offscreen",
        }
    )
    if os.geteuid() == 0:
        # Chromium's sandbox refuses to start as root (containers): only then is it off,
        # and the time and memory limits below still hold.
        env["QTWEBENGINE_CHROMIUM_FLAGS"] = "--no-sandbox"
    return env


def _limits(timeout: int) -> Callable[[], None]:
    """Set in the child before Calibre starts (and inherited by its workers): CPU seconds,
    writable memory (RLIMIT_DATA, FICARCHIVE_CONVERT_MEMORY_MB; Chromium reserves far
    more address space than it uses, so RLIMIT_AS would break PDF output), no core files."""
    memory = int(getattr(settings, "FICARCHIVE_CONVERT_MEMORY_MB", 2048)) * 1024 * 1024

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (timeout, timeout + 5))
        resource.setrlimit(resource.RLIMIT_DATA, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return apply


def _run_limited(
    args: list[str], *, env: dict[str, str], cwd: str, timeout: int
) -> subprocess.CompletedProcess[bytes]:
    """Run Calibre in its own process group, so that a timeout stops its workers too."""
    with subprocess.Popen(
        args,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=cwd,
        preexec_fn=_limits(timeout),  # noqa: PLW1509 (only setrlimit, no locks taken)
        start_new_session=True,
    ) as proc:
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise
    return subprocess.CompletedProcess(args, proc.returncode, out, err)
