"""Each page's context as a typed, frozen dataclass: what the template renders and what the
page's JSON twin is (see :mod:`.base`, and :mod:`..twins` for how a view answers with either).

Free of the request, so that other readers of the archive (the JSON API) can build and reuse
them: :mod:`.cable`, :mod:`.browse`, :mod:`.search`, :mod:`.home`.
"""

from . import rows  # noqa: F401  (registers the JSON form of the archive's rows)
