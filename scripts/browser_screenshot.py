"""Write screenshots/browser.png: `vpctui serve` in Debian's chromium (Playwright), a trace walked to its drop.

Needs chromium (apt-get install chromium) and the dev extra (playwright). Run from the repository root.
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.test_serve import CATCH_TERMINAL, FLAGS, _wait_for, server, trace_isolated_to_the_drop  # noqa: E402


def main() -> int:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        print("chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 2
    gen = server.__wrapped__()
    url, _proc = next(gen)
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=chromium, args=FLAGS)
            page = b.new_page(viewport={"width": 1440, "height": 860})
            page.add_init_script(CATCH_TERMINAL)
            page.goto(url)
            _wait_for(page, "lambda-4-endpoints")
            trace_isolated_to_the_drop(page)
            time.sleep(1.0)
            out = ROOT / "screenshots" / "browser.png"
            page.screenshot(path=str(out))
            b.close()
            print(f"wrote {out.relative_to(ROOT)}")
    finally:
        next(gen, None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
