"""The desktop app (PySide6 Qt Widgets). Everything Qt lives in this package; the core never
imports it. Entry point: ``photoscan.gui.app.run``."""
