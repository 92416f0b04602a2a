"""Test settings: only what makes tests faster or hermetic."""

import os
import tempfile

# Tests never touch a real archive's data folder unless told to.
os.environ.setdefault("FICARCHIVE_HOME", tempfile.mkdtemp(prefix="ficarchive-test-"))

from .base import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# Queued jobs (mail, notifications) wait for the test to run them (core.jobs), never run in a
# thread that would race the test's own database work.
FICARCHIVE_JOB_THREADS = False
# The worker's periodic housekeeping (retraining suggestions) only where a test asks.
FICARCHIVE_WORKER_PERIODIC = False
# Limits and lock-out off, so tests may post freely; ficarchive/core/tests turn them on.
FICARCHIVE_RATELIMIT_ENABLED = False
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405  (whitenoise warns when absent)
# Other apps' tests roll back under a process-wide index; discovery's tests switch it on.
DISCOVERY_BITMAPS = env_bool("FICARCHIVE_BITMAPS", False)  # noqa: F405
