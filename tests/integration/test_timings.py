"""Build timings of real builds: the page is written, and headless Chromium draws its bars."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from ironwheel.builds.timings_page import COMPILE_COLOUR, STEP_COLOUR
from tests.conftest import require_tool
from tests.integration.frontends import tail
from tests.integration.repairing import build_in_place, ironwheel
from tests.pngread import count_colour, read_png

pytestmark = pytest.mark.slow

STEPS = ["tools", "environment view", "configure", "compile", "install", "repair", "pack"]


def _screenshot(page: Path, tmp_path: Path) -> Path:
    chromium = require_tool("chromium", "chromium-browser", paths=("/usr/bin/chromium",))
    shot = tmp_path / "shot.png"
    subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--screenshot={shot}",
            "--window-size=1200,900",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    return shot


def test_a_build_with_timings_draws_its_steps_and_compiles(
    project: Callable[[str], Path], tmp_path: Path
) -> None:
    root = project("incremental")  # three translation units, compiled in parallel
    page = tmp_path / "timings.html"
    result = ironwheel("build", "--wheel", "--no-isolation", "--timings", page, "-o", tmp_path / "dist", root)
    assert result.returncode == 0, tail(result.output)
    assert f"ironwheel: build timings: {page}" in result.output.splitlines()
    text = page.read_text()
    assert not re.search(r"https?://", text)  # nothing fetched: no fonts, scripts or images
    assert re.findall(r"<tr><td class=\"\">([^<]+)</td>", text)[: len(STEPS)] == STEPS
    units = re.findall(r"<td class=\"\">(src/incremental/[^<]+)</td>", text)
    assert sorted(units) == ["src/incremental/_impl.c", "src/incremental/one.c", "src/incremental/two.c"]
    assert re.search(r"Wall time \d+\.\d\d s; CPU time \d+\.\d\d s", text)

    shot = _screenshot(page, tmp_path)
    width, height, _rows = read_png(shot)
    assert (width, height) == (1200, 900)
    # Every step bar and every compile bar is drawn: at least some thousands of pixels of each colour.
    assert count_colour(shot, STEP_COLOUR) > 2000
    assert count_colour(shot, COMPILE_COLOUR) > 3 * 500

    # Built again with nothing changed: the page says so, and no compile bar is drawn.
    again = ironwheel("build", "--wheel", "--no-isolation", "--timings", page, "-o", tmp_path / "dist", root)
    assert again.returncode == 0, tail(again.output)
    assert "Nothing was compiled: the build directory was up to date." in page.read_text()
    assert count_colour(_screenshot(page, tmp_path / "again"), COMPILE_COLOUR) == 0


def test_the_setting_and_a_failed_build(project: Callable[[str], Path], tmp_path: Path) -> None:
    root = project("c_error")
    result = build_in_place(
        root,
        tmp_path / "dist",
        "-C",
        "build.timings=t/times.html",
    )
    assert result.returncode == 4, tail(result.output)
    text = (root / "t" / "times.html").read_text()  # relative to the project root
    assert "The build failed; the steps up to the failure are shown." in text
    assert re.findall(r"<tr><td class=\"\">([^<]+)</td>", text) == [
        "tools",
        "environment view",
        "configure",
        "compile",
    ]
