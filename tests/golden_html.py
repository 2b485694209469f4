"""Golden HTML for the small fixture: readable diffs of what the templates produce.

    make golden        # regenerate tests/golden/small-2025-03.html after an intended change
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden" / "small-2025-03.html"


def golden_html(tmp: Path) -> str:
    sys.path.insert(0, str(HERE))
    from conftest import write_dataset

    from reports.figures.compute import Period
    from reports.products.briefing import prepare

    prep = prepare(write_dataset(tmp / "data"), Period(2025, 3))
    html = prep.html(toc=False) + "\n<!-- css/briefing.css -->\n" + prep.css()
    # charts are long base64 SVGs: keep a digest so the diff stays readable
    return re.sub(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)",
                  lambda m: "data:image/svg+xml;sha256=" +
                  hashlib.sha256(m.group(1).encode()).hexdigest()[:16], html)


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(golden_html(Path(tmp)), encoding="utf-8")
    print(f"wrote {GOLDEN}")
