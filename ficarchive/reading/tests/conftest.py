"""The reading tests run their listings on both engines, as discovery's do."""

from ficarchive.discovery.tests.conftest import engine  # noqa: F401
