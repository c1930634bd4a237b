"""``python -m rca_desk`` is the same as the ``rca-desk`` command."""

import sys

from rca_desk.cli.main import main

sys.exit(main())
