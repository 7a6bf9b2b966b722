"""Issue 10's promises under attack: a sandboxed machine, the network, hostile files, fuzzing.

These suites drive photoscan through its command line and the JSON contract (``python -m
photoscan …`` in a subprocess), so they survive the package being reorganised; the few
in-process calls the fuzzer needs for speed are in ``core_adapter`` alone.
"""
