"""Build timings: the ninja log, lanes, the recorder and the page, without a build."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ironwheel.builds.timings import Compile, Recorder, lanes, read_ninja_log, recording, step
from ironwheel.builds.timings_page import COMPILE_COLOUR, LINK_COLOUR, STEP_COLOUR, render_page

LOG = """# ninja log v7
0\t85\t1\tCMakeFiles/foo.dir/native/foo.c.o\taaa
86\t101\t2\tlibfoo.so.1.2.3\tbbb
101\t121\t3\tlibfoo.so.1\tccc
101\t121\t3\tlibfoo.so\tccc
5\t272\t4\tCMakeFiles/_core.dir/src/demo/_core.c.o\tddd
272\t289\t5\t_core.cpython-311-x86_64-linux-gnu.so\teee
"""


def test_the_ninja_log_after_an_offset(tmp_path: Path) -> None:
    log = tmp_path / ".ninja_log"
    log.write_text("# ninja log v7\n0\t9\t1\tCMakeFiles/old.dir/old.c.o\tfff\n")
    offset = log.stat().st_size
    log.write_text(log.read_text() + LOG.split("\n", 1)[1])
    found = read_ninja_log(log, offset)
    assert found == [
        Compile("CMakeFiles/foo.dir/native/foo.c.o", 0.0, 0.085),
        Compile("CMakeFiles/_core.dir/src/demo/_core.c.o", 0.005, 0.272),
        Compile("libfoo.so.1.2.3", 0.086, 0.101),
        Compile("libfoo.so.1", 0.101, 0.121),  # one edge with two outputs counts once
        Compile("_core.cpython-311-x86_64-linux-gnu.so", 0.272, 0.289),
    ]
    assert [item.source for item in found] == ["native/foo.c", "src/demo/_core.c", None, None, None]
    assert read_ninja_log(tmp_path / "missing", 0) == []


def test_lanes_are_the_parallel_jobs() -> None:
    compiles = [
        Compile("a.o", 0, 5),
        Compile("b.o", 1, 3),
        Compile("c.o", 2, 4),
        Compile("d.o", 3, 6),  # b's lane is free at 3
        Compile("e.o", 5, 7),  # a's lane is free at 5
    ]
    assert lanes(compiles) == [0, 1, 2, 1, 0]
    assert lanes([]) == []


def test_steps_are_recorded_only_while_recording(tmp_path: Path) -> None:
    with step("nothing"):  # no recording: a no-op
        pass
    target = tmp_path / "out" / "timings.html"
    log = tmp_path / ".ninja_log"
    log.write_text("# ninja log v7\n")
    with recording(str(target), tmp_path, "demo 1.0") as recorder:
        assert isinstance(recorder, Recorder)
        with step("configure"):
            pass
        with step("compile", ninja_log=log):
            log.write_text(LOG)  # ninja appends what it ran
    assert [item.name for item in recorder.steps] == ["configure", "compile"]
    assert len(recorder.steps[1].compiles) == 5
    page = target.read_text()
    assert "<title>Build timings: demo 1.0</title>" in page
    assert "Compiles (5 edges ninja ran, up to 2 at once)" in page
    assert re.search(r"<td class=\"\">src/demo/_core.c</td><td class=\"n\">0.27 s</td>", page)


def test_a_failed_build_still_writes_its_page(tmp_path: Path) -> None:
    target = tmp_path / "timings.html"
    with pytest.raises(RuntimeError), recording("timings.html", tmp_path, "demo 1.0"), step("configure"):
        raise RuntimeError("cmake failed")
    page = target.read_text()
    assert "The build failed; the steps up to the failure are shown." in page
    assert "configure (" in page
    with recording("", tmp_path, "demo") as nothing:
        assert nothing is None


def test_the_page_is_self_contained() -> None:
    recorder = Recorder("demo <1.0>")
    with recorder.step("compile"):
        pass
    recorder.steps[0].compiles = [Compile("CMakeFiles/x.dir/a.c.o", 0, 1), Compile("x.so", 1, 1.2)]
    recorder.finish()
    page = render_page(recorder)
    assert not re.search(r"https?://", page)
    assert not re.search(r"<(script|link|img|iframe)\b", page)
    assert "@import" not in page
    assert "url(" not in page
    assert "demo &lt;1.0&gt;" in page
    for colour in (STEP_COLOUR, COMPILE_COLOUR, LINK_COLOUR):
        assert f'fill="{colour}"' in page
