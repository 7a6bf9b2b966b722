"""``python -m photoscan``."""

from photoscan.cli.main import main

raise SystemExit(main())
