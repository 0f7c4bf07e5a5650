#!/usr/bin/env python
"""Django's command-line utility; `lens` (installed with the project) does the same."""

import sys

from lens.cli import main

if __name__ == "__main__":
    sys.exit(main())
