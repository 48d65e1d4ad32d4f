"""``python -m numzy_mcp.cli``."""

import sys

from numzy_mcp.cli import main

sys.exit(main())
