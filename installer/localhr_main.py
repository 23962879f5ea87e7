"""The release's entry point (installer/localhr.spec): the ``localhr`` command."""

import multiprocessing
import sys

from localhr.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # a frozen program's child processes start here too
    sys.exit(main())
