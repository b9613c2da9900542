"""Django settings, as a package: ``common`` (what every run shares) and ``database`` (``CABLES_DB``).

The CLI and the tests do not use ``DJANGO_SETTINGS_MODULE``; they call
:func:`cables.store.db.setup`, which builds the settings from :mod:`.common`. The module can still
be named in ``DJANGO_SETTINGS_MODULE=cables.settings.common`` for ``django-admin`` (e.g.
``makemigrations``).
"""
