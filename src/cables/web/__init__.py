"""The reading room: the archive as a public web site (Django views over ``store`` and ``search``).

Pages read through :mod:`cables.store.queries` and :mod:`cables.search.service` and the models'
named filters; nothing here writes to the archive except the discussion (comments, trackbacks).
"""
