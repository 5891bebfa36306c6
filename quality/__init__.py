"""Great Expectations checks of the warehouse (raw inputs and marts).

``python -m quality.gx_checkpoint --warehouse dm_roi.duckdb --output-dir reports/gx``
runs them. The expectations are declared in ``quality/suites.py``; the helper
columns they read (normalised enums, parsed numbers, per-period diagnostics)
are computed in ``quality/prepare.py``.
"""

import os

# GX's usage statistics stay off. Set before any module of this package
# imports great_expectations.
os.environ["GX_ANALYTICS_ENABLED"] = "false"
