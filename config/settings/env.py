"""Small typed readers for the environment; each fails loudly on a malformed value."""

from __future__ import annotations

import os
import secrets
from collections.abc import Sequence
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}")


def env_choice(name: str, choices: Sequence[str], default: str) -> str:
    """One of a fixed set of words (matched without regard to case or surrounding space,
    returned as spelt in `choices`); unset or empty gives `default`. Any other value
    raises ImproperlyConfigured naming the setting and its allowed values, so a typo
    stops the program at start instead of quietly changing what it does."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    for choice in choices:
        if raw.strip().lower() == choice.lower():
            return choice
    raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def data_home() -> Path:
    """FICARCHIVE_HOME: the data folder, created on first use."""
    raw = os.environ.get("FICARCHIVE_HOME") or str(Path.home() / ".local" / "share" / "ficarchive")
    home = Path(raw).expanduser().resolve()
    home.mkdir(parents=True, exist_ok=True)
    return home


def secret_key(home: Path) -> str:
    """FICARCHIVE_SECRET_KEY, else a key generated once and kept in FICARCHIVE_HOME."""
    key = os.environ.get("FICARCHIVE_SECRET_KEY")
    if key:
        return key
    key_file = home / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_urlsafe(50)
    # Write with owner-only permissions; never world-readable.
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


# Where ``ficarchive serve`` notes the address it serves on, for the commands run beside it.
SERVED_URL_FILE = "served_url"
DEFAULT_SITE_URL = "http://127.0.0.1:8000"


def site_url(home: Path) -> str:
    """FICARCHIVE_SITE_URL, else the address ``ficarchive serve`` last served this home on
    (``FICARCHIVE_HOME/served_url``), else http://127.0.0.1:8000. Without the middle step
    a ``ficarchive worker`` beside ``serve --port 18392`` mailed links to port 8000."""
    url = os.environ.get("FICARCHIVE_SITE_URL", "").strip()
    if not url:
        try:
            url = (home / SERVED_URL_FILE).read_text().strip()
        except OSError:
            url = ""
    return (url or DEFAULT_SITE_URL).rstrip("/")
