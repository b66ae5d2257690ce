"""Format tests are pure: no database, no Django settings (run with ``-p no:django``)."""

import sys
from pathlib import Path

# The repository root, so ``annotations.formats`` imports without installing the project.
ROOT = str(Path(__file__).resolve().parents[2])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
