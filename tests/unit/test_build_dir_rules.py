"""The build directory stays out of the project's sources; a directory an earlier build marked is named."""

from __future__ import annotations

from pathlib import Path

import pytest

import ironwheel
from tests.unit.test_project import BUILD_SYSTEM, write

PROJECT = BUILD_SYSTEM + '[project]\nname = "demo"\nversion = "1"\n'
HINT = 'hint: use a directory of its own, such as "build/{wheel_tag}" (the default)'


CASES: list[tuple[str, dict[str, str], dict[str, str], str]] = [
    (
        "holds a package",
        {"src/demo/__init__.py": ""},
        {"build.dir": "src"},
        'error: -C build.dir: "src" contains the package directory src/demo, whose files it would hide',
    ),
    (
        "is a package",
        {"src/demo/__init__.py": ""},
        {"build.dir": "src/demo"},
        'error: -C build.dir: "src/demo" is the package directory src/demo, whose files it would hide',
    ),
    (
        "inside a package",
        {"src/demo/__init__.py": ""},
        {"build.dir": "src/demo/build/{wheel_tag}"},
        'error: -C build.dir: "src/demo/build/{wheel_tag}" is inside the package directory src/demo, '
        "whose files it would hide",
    ),
    (
        "inside a package named build",
        {
            "build/__init__.py": "",
            "pyproject.toml": PROJECT + '[tool.ironwheel.wheel]\npackages = ["build"]\n',
        },
        {},
        'error: tool.ironwheel.build.dir: "build/{wheel_tag}" is inside the package directory build, '
        "whose files it would hide",
    ),
    (
        "inside an extension's sources",
        {
            "demo.py": "",
            "csrc/core.c": "",
            "pyproject.toml": PROJECT + '[tool.ironwheel.extension."demo._core"]\nsources = ["csrc/*.c"]\n',
        },
        {"build.dir": "csrc/out"},
        'error: -C build.dir: "csrc/out" is inside the sources of [tool.ironwheel.extension."demo._core"] '
        "csrc, whose files it would hide",
    ),
    (
        "inside cmake.source-dir",
        {
            "demo.py": "",
            "native/CMakeLists.txt": "",
            "pyproject.toml": PROJECT + '[tool.ironwheel.cmake]\nsource-dir = "native"\n',
        },
        {"build.dir": "native/build"},
        'error: -C build.dir: "native/build" is inside cmake.source-dir native, whose files it would hide',
    ),
]


@pytest.mark.parametrize(
    ("files", "settings", "message"), [case[1:] for case in CASES], ids=[c[0] for c in CASES]
)
def test_a_build_dir_among_the_sources_is_refused(
    chdir: Path,
    capsys: pytest.CaptureFixture[str],
    files: dict[str, str],
    settings: dict[str, str],
    message: str,
) -> None:
    write(chdir, {"pyproject.toml": PROJECT, **files})
    with pytest.raises(SystemExit) as caught:
        ironwheel.build_wheel(str(chdir / "dist"), settings)
    assert caught.value.code == 2
    assert capsys.readouterr().err.strip().splitlines()[-2:] == [message, HINT]
    assert not (chdir / "dist").exists()
    # Nothing was marked or written.
    assert not list(chdir.rglob("CACHEDIR.TAG"))
    assert not list(chdir.rglob(".ironwheel"))


def test_the_default_and_outside_build_dirs_are_fine(chdir: Path, tmp_path: Path) -> None:
    write(chdir, {"pyproject.toml": PROJECT, "src/demo/__init__.py": ""})
    assert ironwheel.build_wheel(str(chdir / "dist")) == "demo-1-py3-none-any.whl"
    assert ironwheel.build_wheel(str(chdir / "dist"), {"build.dir": str(tmp_path.parent / "elsewhere")})


def test_sources_an_earlier_build_marked_are_named(chdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(chdir, {"pyproject.toml": PROJECT, "src/demo/__init__.py": ""})
    # What a build with build.dir = "src" left behind, before it was refused.
    (chdir / "src" / ".gitignore").write_text("# Created by ironwheel.\n*\n")
    (chdir / "src" / "CACHEDIR.TAG").write_text(
        "Signature: 8a477f597d28d172789f06886806bc55\n# This directory is a build directory created by ironwheel.\n"
    )
    ironwheel.build_wheel(str(chdir / "dist"))
    ironwheel.build_sdist(str(chdir / "dist"))
    warning = (
        "warning: src is marked as an ironwheel build directory (src/CACHEDIR.TAG), so wheels and sdists leave "
        "out its files: an earlier build had build.dir there; delete src/CACHEDIR.TAG, src/.ironwheel and "
        "CMake's files in it (CMakeCache.txt, CMakeFiles), and src/.gitignore if it starts with "
        '"# Created by ironwheel."'
    )
    assert capsys.readouterr().err.splitlines().count(warning) == 2
    (chdir / "src" / "CACHEDIR.TAG").write_text(
        "Signature: 8a477f597d28d172789f06886806bc55\n# another tool's\n"
    )
    ironwheel.build_wheel(str(chdir / "dist"))
    assert "warning" not in capsys.readouterr().err
