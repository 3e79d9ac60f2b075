"""`python -m ui.screenshots [OUT_DIR]`: regenerate docs/screens (make screenshots)."""

import sys

from ui.screenshots import main

sys.exit(main())
