"""``python -m app.cli``: the same as ``samplebook-doc``."""

import sys

from app.cli import main

sys.exit(main())
