"""``python -m canbo ...`` is the ``canbo`` command."""

import sys

from canbo.model.cli import main

sys.exit(main())
