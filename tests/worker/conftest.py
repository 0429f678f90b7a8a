"""Puts the worker's folder on sys.path, so that tests import `verinotes_worker` as worker.py does."""

import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ inside plugins/ (the package ships that folder)

# VERINOTES_RUNNERS: a copy of plugins/snippets/runners instead, to run these tests against a broken version.
RUNNERS = os.environ.get("VERINOTES_RUNNERS") or os.path.join(os.path.dirname(__file__), "..", "..", "plugins", "snippets", "runners")
RUNNERS = os.path.abspath(RUNNERS)
WORKER = os.path.join(RUNNERS, "worker.py")

if RUNNERS not in sys.path:
    sys.path.insert(0, RUNNERS)
