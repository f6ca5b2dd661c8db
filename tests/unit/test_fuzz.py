"""Fuzzing: whatever the input, ironwheel answers with a result or an IronwheelError.

Budgets are small (the fast tier stays fast) and the examples derandomized, so
a run is repeatable; raise ``max_examples`` locally to search harder.
"""

from __future__ import annotations

import functools
import os
import stat
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ironwheel.archive.wheel import write_wheel
from ironwheel.archive.wheelfile import open_wheel
from ironwheel.errors import IronwheelError, PackagingError, format_error
from ironwheel.request import BuildRequest
from ironwheel.settings import load_settings
from ironwheel.settings._fields import env_name, walk
from ironwheel.settings.model import Settings

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")),
    deadline=None,
    derandomize="FUZZ_EXAMPLES" not in os.environ,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# ---------------------------------------------------------------- settings

PATHS = [path for path, _field in walk(Settings)]
KEYS = sorted({part for path in PATHS for part in path} | {"if", "overrides", "pkg._core", "sources"})
LEAVES = [".".join(path) for path in PATHS]

scalars = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        ["", "auto", "on", "off", "check", "Release", ">=3.18", "cp39", "py3", "{wheel_tag}", "true"]
    ),
    st.integers(min_value=-(2**64), max_value=2**64),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
)
keys = st.one_of(st.sampled_from(KEYS), st.text(min_size=1, max_size=10))
toml_values = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=5)),
    max_leaves=20,
)
markers = st.one_of(
    st.sampled_from(["sys_platform == 'linux'", "python_version >= '3'", "os_name == 'nt'", "os ==", ""]),
    st.text(max_size=20),
    toml_values,
)
overrides = st.lists(
    st.one_of(
        st.fixed_dictionaries({"if": markers}, optional={"build": toml_values, "cmake": toml_values}),
        toml_values,
    ),
    max_size=3,
)
tables = st.dictionaries(keys, toml_values, max_size=6).flatmap(
    lambda table: st.one_of(st.just(table), overrides.map(lambda entries: {**table, "overrides": entries}))
)
config_values = st.one_of(st.none(), st.text(max_size=15), st.lists(st.text(max_size=8), max_size=3))
config_keys = st.one_of(
    st.sampled_from(LEAVES),
    st.sampled_from(LEAVES).map(lambda key: key + ".X"),
    st.text(max_size=15),
)
environments = st.dictionaries(
    st.one_of(
        st.sampled_from([env_name(path) for path in PATHS]),
        st.text(max_size=8).map(lambda s: "IRONWHEEL_" + s),
    ),
    st.text(max_size=15).filter(lambda value: "\0" not in value),
    max_size=4,
)


@FUZZ
@given(
    table=st.one_of(tables, toml_values),
    config=st.dictionaries(config_keys, config_values, max_size=4),
    environ=environments,
)
def test_settings_never_crash(table: Any, config: dict[str, Any], environ: dict[str, str]) -> None:
    pyproject = {"project": {"name": "demo", "version": "1"}, "tool": {"ironwheel": table}}
    try:
        result = load_settings(
            pyproject, config, environ=environ, marker_environment={"sys_platform": "linux"}
        )
    except IronwheelError as error:
        # Printed, it is one error: line (plus details) and at most one hint: line.
        lines = format_error(error).splitlines()
        assert lines[0].startswith("error: ")
        assert all(line.startswith("  ") for line in lines[1:-1])
        assert lines[-1].startswith(("hint: ", "  ", "error: "))
    else:
        assert isinstance(result, Settings)


# ---------------------------------------------------------------- wheels

# A path part: any printable text that a file system accepts as one name.
parts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="/\\"),
    min_size=1,
    max_size=40,
).filter(lambda part: part not in (".", "..", "__pycache__") and len(part.encode()) < 200)
members = st.dictionaries(
    st.lists(parts, min_size=1, max_size=3).map(lambda path: "pkg/" + "/".join(path)),
    st.tuples(st.binary(max_size=300), st.booleans()),
    min_size=1,
    max_size=8,
)
DIST = "demo-1.0.dist-info"
METADATA = b"Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n"
WHEEL = b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"


@FUZZ
@given(files=members)
def test_written_wheels_verify_read_back_and_install(files: dict[str, tuple[bytes, bool]]) -> None:
    from installer import install
    from installer.destinations import SchemeDictionaryDestination
    from installer.sources import WheelFile

    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        entries: dict[str, bytes | Path] = {f"{DIST}/METADATA": METADATA, f"{DIST}/WHEEL": WHEEL}
        executables = set()
        for index, (member, (data, executable)) in enumerate(files.items()):
            source = tmp / "src" / str(index)
            source.parent.mkdir(exist_ok=True)
            source.write_bytes(data)
            entries[member] = source
            if executable:
                executables.add(member)
        folded = [member.casefold() for member in entries]
        collide = len(set(folded)) < len(folded) or any(
            other.startswith(member + "/") for member in folded for other in folded
        )
        write = functools.partial(
            write_wheel,
            tmp / "demo-1.0-py3-none-any.whl",
            entries,
            dist_info=DIST,
            epoch=315532800,
            executables=frozenset(executables),
        )
        if collide:  # names that would overwrite each other once unpacked are refused
            with pytest.raises(PackagingError, match=r"differ only in case|which is a file"):
                write()
            return
        wheel = write()
        with open_wheel(wheel) as reader:
            extracted = reader.extract(tmp / "unpacked")
        for member, (data, executable) in files.items():
            assert extracted[member].read_bytes() == data
            assert bool(extracted[member].stat().st_mode & stat.S_IXUSR) == executable
        scheme = {
            key: str(tmp / "scheme" / key) for key in ("purelib", "platlib", "headers", "scripts", "data")
        }
        destination = SchemeDictionaryDestination(scheme, interpreter="/usr/bin/python3", script_kind="posix")
        with WheelFile.open(wheel) as wheel_source:
            wheel_source.validate_record(validate_contents=True)
            install(wheel_source, destination, {})
        for member, (data, _executable) in files.items():
            assert (tmp / "scheme" / "purelib" / member).read_bytes() == data


# ---------------------------------------------------------------- sdists

SECRET = "outside-secret-5f2a"
odd_names = st.one_of(
    parts.filter(lambda part: not part.startswith(".")),
    st.sampled_from(
        ["-rf", "--help", "a b", "ü ñ", "x" * 150, ".env", "id_rsa", ".git", "CMakeCache.txt", "é.py"]
    ),
)
tree_entries = st.lists(
    st.tuples(
        st.lists(odd_names, min_size=1, max_size=3),
        st.sampled_from(
            ["file", "exec", "link-in", "link-dir-in", "link-out", "link-dir-out", "broken", "dir"]
        ),
    ),
    max_size=10,
)


def _make_tree(root: Path, outside: Path, entries: list[tuple[list[str], str]]) -> bool:
    """Create the tree; return whether it holds a link leading out of the project."""
    (root / "src" / "demo").mkdir(parents=True)
    (root / "src" / "demo" / "__init__.py").write_text("")
    (root / "pyproject.toml").write_text('[project]\nname = "demo"\nversion = "1.0"\n')
    escapes = False
    for index, (path, kind) in enumerate(entries):
        target = root.joinpath(*path)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists() or target.is_symlink():
                continue
            if kind in ("file", "exec"):
                target.write_text(f"file {index}\n")
                target.chmod(0o755 if kind == "exec" else 0o644)
            elif kind == "dir":
                target.mkdir()
            elif kind == "link-in":
                target.symlink_to(root / "src" / "demo" / "__init__.py")
            elif kind == "link-dir-in":
                target.symlink_to(root / "src", target_is_directory=True)
            elif kind == "broken":
                target.symlink_to(root / "missing" / str(index))
            else:
                target.symlink_to(outside / "secret.txt" if kind == "link-out" else outside)
                escapes = True
        except (FileExistsError, NotADirectoryError):
            continue  # a name used twice, or below a file: not a tree anyone has
    return escapes


@FUZZ
@given(entries=tree_entries)
def test_sdists_never_hold_anything_from_outside(
    entries: list[tuple[list[str], str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from ironwheel.builds.sdist import build_sdist
    from ironwheel.project.project import Project

    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        outside = tmp / "outside"
        outside.mkdir()
        (outside / "secret.txt").write_text(SECRET)
        root = tmp / "demo"
        escapes = _make_tree(root, outside, entries)
        monkeypatch.chdir(root)
        project = Project.load(root, request=BuildRequest("sdist"))
        error = _refusal(lambda: build_sdist(project, tmp / "out"))
        if isinstance(error, PackagingError):
            assert escapes, error.message  # only a link out is refused
            assert "outside the project" in error.message
            assert not (tmp / "out").exists() or os.listdir(tmp / "out") == []
            return
        (built,) = os.listdir(tmp / "out")
        with tarfile.open(tmp / "out" / built) as archive:
            for member in archive.getmembers():
                assert member.isfile()
                assert member.name.startswith("demo-1.0/")
                handle = archive.extractfile(member)
                assert handle is not None
                assert SECRET.encode() not in handle.read()


def _refusal(build: Callable[[], object]) -> PackagingError | None:
    try:
        build()
    except PackagingError as error:
        return error
    return None
