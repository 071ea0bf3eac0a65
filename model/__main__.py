"""``python -m model ...`` is the ``canbo`` command."""

import sys

from model.cli import main

sys.exit(main())
