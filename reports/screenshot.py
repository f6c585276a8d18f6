"""A report as a PNG, taken by headless Chromium: the proof that a page renders and prints.

Chromium finds fonts through fontconfig; a machine with no Chinese font would draw boxes. So the
shot is taken with a fontconfig file of its own that adds the font the project ships
(``assets/fonts``, Noto Sans SC, the first family in the reports' font stack) to the system's.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from reports.page import ReportError
from reports.words import tr

__all__ = ["FONT_DIR", "find_chromium", "screenshot"]

FONT_DIR = Path(__file__).resolve().parent.parent / "assets" / "fonts"
_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str | None:
    for name in _NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _fontconfig(folder: Path) -> Path:
    conf = folder / "fonts.conf"
    system = Path("/etc/fonts/fonts.conf")
    include = f'<include ignore_missing="yes">{escape(str(system))}</include>'
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f"  {include}\n"
        f"  <dir>{escape(str(FONT_DIR))}</dir>\n"
        f"  <cachedir>{escape(str(folder / 'cache'))}</cachedir>\n"
        "</fontconfig>\n",
        encoding="utf-8",
    )
    return conf


def screenshot(
    html: str | Path,
    png: str | Path,
    *,
    width: int = 1240,
    height: int = 1754,
    timeout: float = 180.0,
) -> Path:
    """``chromium --headless --screenshot`` of the page ``html`` at ``width``×``height``."""
    exe = find_chromium()
    if exe is None:
        raise ReportError(tr("reports.no_chromium"))
    page = Path(html).resolve()
    out = Path(png).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    # Chromium writes a temporary file beside the target, renamed into place only when it is a
    # picture: a failed screenshot leaves whatever was there before, never deletes it
    shot = out.with_name(f".{out.name}.{os.getpid()}.tmp.png")
    shot.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="desk-trainer-shot-") as tmp:
        folder = Path(tmp)
        env = {**os.environ, "FONTCONFIG_FILE": str(_fontconfig(folder)), "HOME": tmp}
        cmd = [
            exe,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            f"--user-data-dir={folder / 'profile'}",
            f"--screenshot={shot}",
            f"--window-size={width},{height}",
            page.as_uri(),
        ]
        try:
            done = subprocess.run(
                cmd, capture_output=True, text=True, timeout=timeout, env=env, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            shot.unlink(missing_ok=True)
            raise ReportError(tr("reports.chromium_failed", error=str(exc))) from None
    if not shot.is_file() or shot.stat().st_size == 0:
        shot.unlink(missing_ok=True)
        last = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        raise ReportError(tr("reports.chromium_failed", error=last))
    try:
        shot.replace(out)
    except OSError as exc:
        shot.unlink(missing_ok=True)
        raise ReportError(tr("reports.chromium_failed", error=exc.strerror or str(exc))) from None
    return out
