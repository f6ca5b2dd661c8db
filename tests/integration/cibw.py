"""cibuildwheel's sequence for one build identifier, run on this machine.

What cibuildwheel does around a backend, read from its source (platforms/linux.py,
macos.py, windows.py, resources/defaults.toml) and driven by its own option reader:

1. the environment it sets (``CIBUILDWHEEL=1``, ``CIBUILDWHEEL_BUILD_IDENTIFIER``;
   macOS: ``MACOSX_DEPLOYMENT_TARGET``, ``_PYTHON_HOST_PLATFORM``, ``ARCHFLAGS``;
   Windows on ARM64: ``VSCMD_ARG_TGT_ARCH``, ``DIST_EXTRA_CONFIG``,
   ``SETUPTOOLS_EXT_SUFFIX``) and the one its manylinux/musllinux images set
   (``AUDITWHEEL_PLAT``, ``AUDITWHEEL_POLICY``, ``AUDITWHEEL_ARCH``);
2. the build frontend it runs (``python -m build --wheel``, ``--installer=uv``
   for ``build[uv]``) with the project's config-settings;
3. the project's repair-wheel-command, cibuildwheel's default for the platform
   unless ``[tool.cibuildwheel]`` sets one, run by ``sh -c``; then exactly one
   wheel must be in the output directory;
4. its test step: a new virtual environment (uv's for ``build[uv]``), the
   repaired wheel installed with its test-extras, then test-requires, then
   test-command run by ``sh -c`` from an empty directory.

What this machine cannot do: run the Linux build in a manylinux container (no
container engine here: the image's variables are set, with the policy of this
machine's glibc), or build on macOS or Windows (those builds cross-compile,
and the test says how it names the target).
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from cibuildwheel.frontend import BuildFrontendConfig, get_build_frontend_extra_flags, prepare_config_settings
from cibuildwheel.options import BuildOptions, CommandLineArguments, compute_options
from cibuildwheel.util import resources
from cibuildwheel.util.file import copy_test_sources
from cibuildwheel.util.helpers import prepare_command

__all__ = ["Built", "Repaired", "Tested", "build", "cibuildwheel_environment", "repair", "run_tests"]


@dataclasses.dataclass
class Built:
    """What the build frontend gave for one identifier."""

    identifier: str
    project: Path
    workdir: Path
    env: dict[str, str]
    wheels: list[Path]
    output: str
    returncode: int
    frontend: str = "build"

    @property
    def wheel(self) -> Path:
        assert self.returncode == 0, self.output[-6000:]
        assert len(self.wheels) == 1, self.wheels
        assert not self.wheels[0].name.endswith("none-any.whl"), "cibuildwheel refuses pure wheels"
        return self.wheels[0]


@dataclasses.dataclass
class Repaired:
    """What the repair step left in cibuildwheel's output directory."""

    command: str
    wheels: list[Path]
    output: str
    returncode: int

    @property
    def wheel(self) -> Path:
        """The one wheel cibuildwheel requires (it fails on none or several)."""
        assert self.returncode == 0, self.output[-6000:]
        assert len(self.wheels) == 1, (self.wheels, self.output[-3000:])
        return self.wheels[0]


def _platform(identifier: str) -> Literal["linux", "macos", "windows"]:
    if "linux" in identifier:
        return "linux"
    if "macosx" in identifier:
        return "macos"
    if "win" in identifier:
        return "windows"
    raise ValueError(identifier)


def _python_version(identifier: str) -> tuple[int, int]:
    match = re.match(r"^[a-z]+3(\d+)", identifier)
    assert match, identifier
    return 3, int(match.group(1))


def cibuildwheel_environment(identifier: str, workdir: Path, *, linux_policy: str = "") -> dict[str, str]:
    """The variables cibuildwheel (and, on Linux, its image) set for a build of ``identifier``."""
    env = {
        "CIBUILDWHEEL": "1",
        "CIBUILDWHEEL_BUILD_IDENTIFIER": identifier,
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    platform = _platform(identifier)
    version = _python_version(identifier)
    if platform == "linux":
        arch = re.sub(r"^(many|musl)linux_", "", identifier.split("-", 1)[1])
        policy = linux_policy or ("musllinux_1_2" if "musllinux" in identifier else "manylinux_2_28")
        env.update(
            AUDITWHEEL_PLAT=f"{policy}_{arch}",
            AUDITWHEEL_POLICY=policy,
            AUDITWHEEL_ARCH=arch,
            PIP_ROOT_USER_ACTION="ignore",
        )
    elif platform == "macos":
        if identifier.endswith("arm64"):
            target, host, archflags = "11.0", "macosx-11.0-arm64", "-arch arm64"
        else:
            target = "10.15" if version >= (3, 14) else "10.13" if version >= (3, 12) else "10.9"
            universal = identifier.endswith("universal2")
            host = "macosx-10.9-universal2" if universal else "macosx-10.9-x86_64"
            archflags = "-arch arm64 -arch x86_64" if universal else "-arch x86_64"
        env.update(MACOSX_DEPLOYMENT_TARGET=target, _PYTHON_HOST_PLATFORM=host, ARCHFLAGS=archflags)
    else:
        arch = {"win32": "32", "win_amd64": "64", "win_arm64": "ARM64"}[identifier.split("-", 1)[1]]
        env.update(PYTHON_VERSION=f"{version[0]}.{version[1]}", PYTHON_ARCH=arch)
        if arch == "ARM64":
            # The cross build of an x64 runner: the ARM64 Python's import libraries.
            config = workdir / "extra-setup.cfg"
            config.write_text(
                "[build]\nplat_name=win-arm64\n[build_ext]\n"
                f"library_dirs={workdir / 'python-arm64' / 'libs'}\nplat_name=win-arm64\n"
                "[bdist_wheel]\nplat_name=win-arm64\n"
            )
            env.update(
                DIST_EXTRA_CONFIG=str(config),
                VSCMD_ARG_TGT_ARCH="arm64",
                SETUPTOOLS_EXT_SUFFIX=f".{identifier.split('-', maxsplit=1)[0]}-win_arm64.pyd",
                SETUPTOOLS_USE_DISTUTILS="local",
            )
    return env


def _options(project: Path, identifier: str, env: Mapping[str, str]) -> BuildOptions:
    """The project's cibuildwheel options for ``identifier``, read by cibuildwheel itself."""
    platform = _platform(identifier)
    arguments = dataclasses.replace(CommandLineArguments.defaults(), package_dir=project, platform=platform)
    return compute_options(platform, arguments, env).build_options(identifier)


def build(
    project: Path,
    identifier: str,
    workdir: Path,
    *,
    frontend: str = "",
    extra_env: Mapping[str, str] | None = None,
    config_settings: str = "",
    linux_policy: str = "",
) -> Built:
    """Build ``project`` for ``identifier`` as cibuildwheel would.

    ``config_settings`` are added to the project's own (cibuildwheel's
    ``config-settings``); ``frontend`` replaces its build-frontend.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, **cibuildwheel_environment(identifier, workdir, linux_policy=linux_policy)}
    env.update(extra_env or {})
    options = _options(project, identifier, env)
    env = options.environment.as_dictionary(prev_environment=env)
    chosen = BuildFrontendConfig(name=frontend) if frontend else options.build_frontend  # type: ignore[arg-type]
    settings = " ".join(filter(None, [options.config_settings, config_settings]))
    flags = get_build_frontend_extra_flags(
        chosen, options.build_verbosity, prepare_config_settings(settings, project=project, package=project)
    )
    if chosen.name == "build[uv]":
        flags.append("--installer=uv")
    built_dir = workdir / "built_wheel"
    built_dir.mkdir()
    command = [sys.executable, "-m", "build", str(project), "--wheel", f"--outdir={built_dir}", *flags]
    done = subprocess.run(
        command,
        env=env,
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    return Built(
        identifier,
        project,
        workdir,
        env,
        sorted(built_dir.glob("*.whl")),
        done.stdout,
        done.returncode,
        chosen.name,
    )


def repair(built: Built, *, config_from: Path | None = None, name: str = "repaired_wheel") -> Repaired:
    """cibuildwheel's repair step on the built wheel: the repair-wheel-command of ``config_from``'s
    pyproject.toml (by default the built project's), or the move into the output directory when it is empty.
    """
    options = _options(config_from or built.project, built.identifier, built.env)
    out = built.workdir / name
    out.mkdir()
    wheel = built.wheel
    if not options.repair_command:
        shutil.copy2(wheel, out / wheel.name)
        return Repaired("", sorted(out.glob("*.whl")), "", 0)
    archs = {"arm64": "arm64", "universal2": "x86_64,arm64"}.get(
        built.identifier.rsplit("_", 1)[-1], "x86_64"
    )
    prepared = prepare_command(
        options.repair_command,
        wheel=wheel,
        dest_dir=out,
        delocate_archs=archs,
        package=built.project,
        project=built.project,
    )
    done = subprocess.run(
        ["sh", "-c", prepared],
        env=built.env,
        cwd=built.project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    return Repaired(options.repair_command, sorted(out.glob("*.whl")), done.stdout, done.returncode)


@dataclasses.dataclass
class Tested:
    """What cibuildwheel's test step ran, and what it printed."""

    command: str
    output: str
    returncode: int

    def check(self) -> str:
        assert self.returncode == 0, self.output[-6000:]
        return self.output


def _run(command: list[str], env: Mapping[str, str], cwd: Path) -> tuple[int, str]:
    done = subprocess.run(
        command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False
    )
    return done.returncode, f"+ {' '.join(command)}\n{done.stdout}"


def run_tests(built: Built, repaired: Repaired) -> Tested:
    """cibuildwheel's test step on the repaired wheel, with the project's test options."""
    options = _options(built.project, built.identifier, built.env)
    assert options.test_command, "the project sets no test-command"
    testing = built.workdir / "testing"
    venv = testing / "venv"
    testing.mkdir()
    # Like cibuildwheel's, the environment has nothing of the build's: only the wheel and test-requires.
    use_uv = built.frontend in ("build[uv]", "uv")
    create = (
        ["uv", "venv", str(venv), "--python", sys.executable]
        if use_uv
        else [sys.executable, "-m", "venv", str(venv)]
    )
    code, output = _run(create, built.env, testing)
    log = [output]
    env = {
        **built.env,
        "PATH": os.pathsep.join([str(venv / "bin"), built.env["PATH"]]),
        "VIRTUAL_ENV": str(venv),
    }
    env = options.test_environment.as_dictionary(prev_environment=env)
    pip = ["uv", "pip"] if use_uv else [str(venv / "bin" / "python"), "-m", "pip"]
    steps: list[list[str]] = []
    if options.before_test:
        steps.append(
            ["sh", "-c", prepare_command(options.before_test, project=built.project, package=built.project)]
        )
    steps.append([*pip, "install", str(repaired.wheel) + options.test_extras])
    if options.test_requires:
        steps.append([*pip, "install", *options.test_requires])
    prepared = prepare_command(
        options.test_command, project=built.project, package=built.project, wheel=repaired.wheel
    )
    cwd = testing / "test_cwd"
    cwd.mkdir()
    if options.test_sources:
        copy_test_sources(options.test_sources, built.project, cwd)
    else:
        shutil.copy2(resources.TEST_FAIL_CWD_FILE, cwd / "test_fail.py")
    steps.append(["sh", "-c", prepared])
    for step in steps:
        if code != 0:
            break
        code, output = _run(step, env, cwd if step[0] == "sh" else testing)
        log.append(output)
    return Tested(options.test_command, "".join(log), code)
