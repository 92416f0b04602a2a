"""The floor `ficarchive bench http` measures pages against: a bare Django project.

Settings as ``django-admin startproject`` writes them (the default middleware), one view
rendering one small template, run under the same gunicorn with the same options as
``ficarchive serve``. It touches no database: a page of the archive can only be slower."""
