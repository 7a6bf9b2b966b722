"""photoscan: shows what your photos give away, and fixes it.

The core (everything outside ``photoscan.gui``) never imports Qt; the CLI and the desktop
app call the same functions.

Offline, always: onnxruntime (the age model's runtime, and YuNet's) ships Microsoft's 1DS
telemetry, which writes a device id and an event database under ``~/.cache/Microsoft``, a
debug log in the temporary folder, and tries to reach Microsoft's collector.
``ORT_DISABLE_TELEMETRY=1`` set before onnxruntime is loaded turns all of it off
(``onnxruntime.disable_telemetry_events()`` does not). It is set here, the first module any
photoscan code runs, unconditionally (a user's ``=0`` does not turn it back on), and every
worker and subprocess inherits it through the environment.
"""

import os as _os

_os.environ["ORT_DISABLE_TELEMETRY"] = "1"

__version__ = "0.1.0"
