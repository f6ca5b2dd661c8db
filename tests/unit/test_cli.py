"""``python -m ironwheel``: the config and build commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from ironwheel.cli import main
from ironwheel.settings.schema import json_schema

ROOT = Path(__file__).resolve().parents[2]


def test_schema_is_printed_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["config", "--schema"]) == 0
    assert json.loads(capsys.readouterr().out) == json_schema()


def test_show_prints_the_effective_settings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\nversion = "1"\n[tool.ironwheel.cmake]\nbuild-type = "Debug"\n'
    )
    assert (
        main(
            [
                "config",
                "--show",
                str(tmp_path),
                "-C",
                "build.jobs=3",
                "-C",
                "cmake.args=-A",
                "-C",
                "cmake.args=-B",
            ]
        )
        == 0
    )
    shown = json.loads(capsys.readouterr().out)
    assert shown["cmake"]["build_type"] == "Debug"
    assert shown["build"]["jobs"] == 3
    assert shown["cmake"]["args"] == ["-A", "-B"]


def test_errors_have_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "1"\n')
    assert main(["config", "--show", str(tmp_path), "-C", "nope"]) == 2
    assert (
        capsys.readouterr().err.strip()
        == "error: -C nope: expected KEY=VALUE\nhint: e.g. -C cmake.build-type=Debug"
    )
    assert main(["build", "--no-isolation", str(tmp_path), "-o", str(tmp_path / "dist")]) == 5


def test_build_writes_an_sdist_and_a_wheel_from_it(tmp_path: Path) -> None:
    project = tmp_path / "proj"
    (project / "proj").mkdir(parents=True)
    (project / "proj" / "__init__.py").write_text("")
    (project / "pyproject.toml").write_text('[project]\nname = "proj"\nversion = "1"\n')
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ironwheel",
            "build",
            "--no-isolation",
            str(project),
            "-o",
            str(tmp_path / "dist"),
        ],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
    )
    assert result.stdout.splitlines() == [
        str(tmp_path / "dist" / name) for name in ("proj-1.tar.gz", "proj-1-py3-none-any.whl")
    ]
    with zipfile.ZipFile(tmp_path / "dist" / "proj-1-py3-none-any.whl") as archive:
        assert "proj/__init__.py" in archive.namelist()


def test_an_isolated_build_without_the_build_package(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "1"\n')
    script = (
        "import sys; sys.modules['build'] = None; sys.modules['build.env'] = None; "
        "from ironwheel.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, "build", str(tmp_path), "-o", str(tmp_path / "dist")],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    assert result.returncode == 3
    assert result.stderr.splitlines()[-2:] == [
        "error: an isolated build needs the build package, which is not installed",
        "hint: pip install build, or pass --no-isolation to build in this environment",
    ]
