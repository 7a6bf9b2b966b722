"""``python -m photoscan``."""

from photoscan.cli import main

raise SystemExit(main())
