"""Kept copies of cmake, ninja and zig that came from a (temporary) Python environment."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from packaging.version import Version

from ironwheel.cmake import tools
from ironwheel.cmake.builddir import BuildDir
from ironwheel.cmake.environment import BuildEnvironment
from ironwheel.tools.compilerset import Compilers
from ironwheel.tools.toolchain import Program
from ironwheel.tools.zig import plan_zig
from tests.unit import probes

pytestmark = pytest.mark.skipif(os.name == "nt", reason="the fake tools are shell scripts")


def executable(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


class Environments:
    """Isolated build environments as pip makes them: a prefix with site-packages and bin/."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path

    def new(self, name: str) -> BuildEnvironment:
        """A new environment (``prefix`` is its root)."""
        return probes.environment(self.tmp_path / name, "overlay")


@pytest.fixture
def environments(tmp_path: Path) -> Environments:
    return Environments(tmp_path)


@pytest.fixture
def environment(environments: Environments) -> BuildEnvironment:
    return environments.new("pip-build-env-1")


@pytest.fixture
def build_dir(tmp_path: Path) -> Iterator[BuildDir]:
    with BuildDir.open(tmp_path / "build") as opened:
        yield opened


def pypi_cmake(root: Path, version: str) -> Program:
    """What the cmake wheel installs: a Python script in bin/ in front of the real binary."""
    data = root / "lib" / "python3.11" / "site-packages" / "cmake" / "data"
    share = data / "share" / f"cmake-{version}"
    (share / "Modules").mkdir(parents=True, exist_ok=True)
    (share / "Modules" / "CMake.cmake").write_text("# modules\n")
    real = executable(data / "bin" / "cmake", "#!/bin/sh\necho real cmake\n")
    # Answers the probe the way cmake -P answers message(STATUS ...).
    script = executable(
        root / "bin" / "cmake",
        f'#!/bin/sh\nif [ "$1" = -P ]; then echo "-- {real}|{share}"; else exec "{real}" "$@"; fi\n',
    )
    return Program("cmake", script, Version(version), "on PATH")


def test_environment_roots(environment: BuildEnvironment, tmp_path: Path) -> None:
    assert environment.roots() == [environment.prefix.resolve()]
    base = probes.changed(
        environment, prefix=Path("/usr"), site_dirs=(Path("/usr/lib/python3/dist-packages"),)
    )
    assert base.roots() == []  # the base interpreter's own directories are not an environment
    # pip makes its isolated environments in the temporary directory, as pytest makes tmp_path.
    assert tools.temporary_roots(environment) == [environment.prefix.resolve()]
    kept = probes.changed(environment, prefix=Path("/opt/envs/build"), site_dirs=())
    assert kept.roots() == [Path("/opt/envs/build")]
    assert tools.temporary_roots(kept) == []
    assert tmp_path in environment.prefix.parents


def test_cmake_from_the_environment_is_kept(environments: Environments, build_dir: BuildDir) -> None:
    first = environments.new("pip-build-env-1")
    cmake = pypi_cmake(first.prefix, "4.1.0")
    kept, ninja = tools.keep_tools(build_dir, first, cmake, None)
    assert ninja is None
    copy = build_dir.state_dir / "tools" / "cmake-4.1.0"
    assert kept == Program("cmake", copy / "bin" / "cmake", Version("4.1.0"), f"a copy of {cmake.path}")
    assert (copy / "bin" / "cmake").read_text() == "#!/bin/sh\necho real cmake\n"
    assert (copy / "share" / "cmake-4.1.0" / "Modules" / "CMake.cmake").read_text() == "# modules\n"
    assert os.access(copy / "bin" / "cmake", os.X_OK)

    # The next isolated build: a new environment with the same cmake; the copy is reused as it is.
    (copy / "bin" / "cmake").unlink()
    (copy / "bin" / "cmake").write_text("kept\n")
    second = environments.new("pip-build-env-2")
    other = pypi_cmake(second.prefix, "4.1.0")
    again, _ = tools.keep_tools(build_dir, second, other, None)
    assert again == Program("cmake", kept.path, Version("4.1.0"), f"a copy of {other.path}")
    assert (copy / "bin" / "cmake").read_text() == "kept\n"


def test_a_new_version_replaces_the_copy(environment: BuildEnvironment, build_dir: BuildDir) -> None:
    tools.keep_tools(build_dir, environment, pypi_cmake(environment.prefix, "4.1.0"), None)
    newer, _ = tools.keep_tools(build_dir, environment, pypi_cmake(environment.prefix, "4.2.0"), None)
    assert newer.path == build_dir.state_dir / "tools" / "cmake-4.2.0" / "bin" / "cmake"
    assert sorted(path.name for path in (build_dir.state_dir / "tools").iterdir()) == ["cmake-4.2.0"]


def test_ninja_binary_and_ninja_behind_a_script(environment: BuildEnvironment, build_dir: BuildDir) -> None:
    cmake = Program("cmake", Path("/usr/bin/cmake"), Version("3.25.1"), "on PATH")
    binary = executable(environment.prefix / "bin" / "ninja", "\x7fELF pretend\n")
    pretend = Program("ninja", binary, Version("1.13.1"), "on PATH")
    _, ninja = tools.keep_tools(build_dir, environment, cmake, pretend)
    assert ninja is not None
    assert ninja.path == build_dir.state_dir / "tools" / "ninja-1.13.1" / "ninja"
    assert ninja.path.read_text() == "\x7fELF pretend\n"

    # Older ninja wheels: bin/ninja is a Python script, the binary is in the package.
    executable(environment.prefix / "bin" / "ninja", "#!/usr/bin/python\nimport ninja\n")
    real = environment.site_dirs[0] / "ninja" / "data" / "bin" / "ninja"
    executable(real, "\x7fELF older\n")
    script = Program("ninja", binary, Version("1.11.1"), "on PATH")
    _, older = tools.keep_tools(build_dir, environment, cmake, script)
    assert older is not None
    assert older.path.read_text() == "\x7fELF older\n"


def test_tools_outside_python_environments_stay_where_they_are(
    environment: BuildEnvironment, build_dir: BuildDir
) -> None:
    cmake = Program("cmake", Path("/usr/bin/cmake"), Version("3.25.1"), "on PATH")
    ninja = Program("ninja", Path("/usr/bin/ninja"), Version("1.11.1"), "on PATH")
    assert tools.keep_tools(build_dir, environment, cmake, ninja) == (cmake, ninja)
    assert not (build_dir.state_dir / "tools").exists()


def test_temporary_build_dirs_keep_nothing(environment: BuildEnvironment) -> None:
    cmake = pypi_cmake(environment.prefix, "4.1.0")
    with BuildDir.open(None) as temporary:
        assert tools.keep_tools(temporary, environment, cmake, None) == (cmake, None)


def _ziglang(root: Path) -> Path:
    """What the ziglang wheel installs: the zig binary with its lib/ directory beside it."""
    package = root / "lib" / "python3.11" / "site-packages" / "ziglang"
    (package / "lib" / "libc" / "glibc").mkdir(parents=True, exist_ok=True)
    (package / "lib" / "libc" / "glibc" / "abilists").write_text("abilists\n")
    return executable(package / "zig", "#!/bin/sh\necho 0.14.0\n")


def _zig_compilers(zig: Path) -> Compilers:
    target = probes.wheel_target()
    return Compilers(zig=plan_zig(target, "auto", {}), zig_program=zig, zig_version="0.14.0")


def test_zig_from_a_temporary_environment_is_kept_with_its_lib(
    environments: Environments, build_dir: BuildDir
) -> None:
    first = environments.new("pip-build-env-1")
    compilers = tools.keep_compilers(build_dir, first, _zig_compilers(_ziglang(first.prefix)))
    kept = build_dir.state_dir / "tools" / "zig-0.14.0"
    assert compilers.zig_program == kept / "zig"
    assert (kept / "lib" / "libc" / "glibc" / "abilists").read_text() == "abilists\n"
    # The next isolated environment's zig is the same program: so is the path, and zig's cache key.
    second = environments.new("pip-build-env-2")
    again = tools.keep_compilers(build_dir, second, _zig_compilers(_ziglang(second.prefix)))
    assert again == compilers


def test_zig_outside_a_temporary_environment_stays_where_it_is(
    environments: Environments, build_dir: BuildDir, tmp_path: Path
) -> None:
    environment = environments.new("pip-build-env-1")
    # zig caches what it builds by the path of its lib/: moving a zig that stays would only cost.
    user = probes.changed(environment, prefix=Path("/opt/envs/build"), site_dirs=())
    zig = _ziglang(tmp_path / "user-env")
    assert tools.keep_compilers(build_dir, user, _zig_compilers(zig)).zig_program == zig
    native = Compilers()
    assert tools.keep_compilers(build_dir, environment, native) is native
    assert not (build_dir.state_dir / "tools").exists()
