"""Test tools shipped with the package: the sync end-to-end tests, the convergence test and
``localhr bench sync`` all use them, so they live here rather than under ``tests/``.

Nothing here imports Qt, ``ui`` or the central service.
"""
