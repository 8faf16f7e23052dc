"""``python -m exitentry.cli``: the same as the ``exitentry`` command."""

import sys

from exitentry.cli import main

sys.exit(main())
