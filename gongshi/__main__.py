"""`python -m gongshi` runs the `gongshi` command."""

import sys

from gongshi.staff.cli import main

sys.exit(main())
