"""``python -m cables`` is the ``cables`` command."""

import sys

from .cli import main

sys.exit(main())
