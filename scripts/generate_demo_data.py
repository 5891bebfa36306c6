#!/usr/bin/env python3
"""Deterministic demo data for the dm_roi dbt project: "Bloom & Stem", an independent florist.

Run ``python3 scripts/generate_demo_data.py`` (from any directory) or ``make seed-data``: it overwrites
the five raw seeds in ``seeds/``, re-reads them, checks them with the models' rules and prints a
summary. The story and the code are in the package ``scripts/demo/`` (its ``__init__`` tells the story,
``main.py`` is the run).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make the project's ``scripts`` package importable
    sys.path.insert(0, str(ROOT))

from scripts.demo.main import main  # noqa: E402

if __name__ == "__main__":
    main()
