"""Re-fetch the vendored plotly.js bundle and its zh-CN locale from the npm registry.

    python scripts/fetch_plotly.py [VERSION]

VERSION defaults to the plotly.js version bundled with the installed Python `plotly`, so that the
site's charts and `build_charts.py` draw with the same plotly.js. Writes into gongshi/web/assets/vendor/:
plotly-basic-VERSION.min.js (npm `plotly.js-basic-dist-min`: bar, pie and scatter traces),
plotly-locale-zh-cn-VERSION.js (from npm `plotly.js`, dist/), LICENSE-plotly.js.txt, and removes
older versions. Needs `npm` (it only runs `npm pack`, which downloads and checks the tarballs).
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VENDOR = Path(__file__).resolve().parent.parent / "gongshi" / "web" / "assets" / "vendor"


def npm_pack(spec: str, into: Path) -> Path:
    """Download one package tarball with `npm pack`; returns its path."""
    out = subprocess.run(["npm", "pack", "--silent", spec], cwd=into, check=True, capture_output=True, text=True)
    return into / out.stdout.strip().splitlines()[-1]


def extract(tarball: Path, member: str) -> bytes:
    with tarfile.open(tarball) as tar:
        handle = tar.extractfile(f"package/{member}")
        assert handle is not None, member
        return handle.read()


def main() -> None:
    if len(sys.argv) > 1:
        version = sys.argv[1]
    else:
        from plotly.offline import get_plotlyjs_version

        version = get_plotlyjs_version()
    with tempfile.TemporaryDirectory() as tmp:
        basic = npm_pack(f"plotly.js-basic-dist-min@{version}", Path(tmp))
        full = npm_pack(f"plotly.js@{version}", Path(tmp))
        for old in VENDOR.glob("plotly-*"):
            old.unlink()
        VENDOR.mkdir(parents=True, exist_ok=True)
        (VENDOR / f"plotly-basic-{version}.min.js").write_bytes(extract(basic, "plotly-basic.min.js"))
        (VENDOR / f"plotly-locale-zh-cn-{version}.js").write_bytes(extract(full, "dist/plotly-locale-zh-cn.js"))
        (VENDOR / "LICENSE-plotly.js.txt").write_bytes(extract(basic, "LICENSE"))
    print(f"plotly.js {version} → {VENDOR}")


if __name__ == "__main__":
    main()
