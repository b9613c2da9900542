"""The archive's store: Django models, migrations, full-text indexes and the write API.

Importing this package does not import Django; :mod:`cables.store.db` sets Django up, then
:mod:`.models` and :mod:`.writer` can be imported. The parser never imports anything from here.
"""
