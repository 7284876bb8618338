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

from tests.browser.test_serve import CATCH_TERMINAL, FLAGS, _press, _wait_for, server  # noqa: E402


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
            time.sleep(1.0)
            page.click("#terminal")
            time.sleep(0.5)
            _press(page, "4", "j", "j")
            _wait_for(page, "5 Details · lambda-3-isolated")
            _press(page, "t")
            _wait_for(page, "Trace from λ lambda-3-isolated")
            page.keyboard.type("s3://vpc-notes-bucket/hello.txt", delay=20)
            time.sleep(0.3)
            _press(page, "Enter")
            _wait_for(page, "BLOCKED")
            _press(page, "G")
            _wait_for(page, "no route matches")
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
