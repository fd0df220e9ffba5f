"""Write every chart of every plan as plotly JSON and as a standalone HTML file.

    python build_charts.py --out DIR [--root .]

The same as `gongshi charts --out DIR`; see gongshi/staff/chart_files.py. Content errors are reported as
`gongshi check` reports them, and nothing is written.
"""

from __future__ import annotations

import sys

from gongshi.staff.cli import main

if __name__ == "__main__":
    sys.exit(main(["charts", *sys.argv[1:]]))
