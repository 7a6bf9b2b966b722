"""photoscan: shows what your photos give away, and fixes it.

The core (everything outside ``photoscan.gui``) never imports Qt; the CLI and the desktop
app call the same functions.
"""

__version__ = "0.1.0"
