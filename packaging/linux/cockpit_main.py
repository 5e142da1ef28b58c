"""PyInstaller's entry point for the bundle: the same ``cockpit`` command as the installed script."""

import sys

from cockpit.app.main import main

if __name__ == "__main__":
    sys.exit(main())
