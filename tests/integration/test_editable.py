"""Editable installs by real pip (isolated): served from the sources, rebuilt on import."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
import sysconfig
import zipfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pytest
from pyproject_hooks import BuildBackendHookCaller

from tests.conftest import Venv
from tests.integration.frontends import SRC, names, path_with_old_cmake, tail

pytestmark = pytest.mark.slow

SUFFIX = sysconfig.get_config_var("EXT_SUFFIX")
COMPILED = re.compile(r"Building C object CMakeFiles/_impl\.dir/src/incremental/(\w+)\.c\.o")
TAG = f"cp{sys.version_info[0]}{sys.version_info[1]}"


def pip_editable(venv: Venv, project: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """``pip install -e PROJECT`` into ``venv``, with build isolation."""
    command = [sys.executable, "-m", "pip", "--python", str(venv.python), "install", "--no-deps", "-v"]
    return subprocess.run(
        [*command, *options, "-e", str(project)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )


def python(venv: Venv, code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(venv.python), "-c", code],
        capture_output=True,
        text=True,
        check=False,
        cwd=venv.path,
        timeout=300,
    )


ANSWER = "import incremental; print(incremental.answer())"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


@pytest.fixture
def root(project: Callable[[str], Path], offline_pip: Path) -> Path:
    del offline_pip
    return project("incremental")


def stamp(root: Path) -> int:
    (found,) = root.glob("build/*/.ironwheel/editable/stamp")
    return found.stat().st_mtime_ns


def test_rebuild_on_import_after_an_edit(root: Path, fresh_venv: Venv) -> None:
    installed = pip_editable(fresh_venv, root)
    assert installed.returncode == 0, tail(installed.stdout)
    site = Path(python(fresh_venv, "import sysconfig; print(sysconfig.get_path('purelib'))").stdout.strip())
    assert (
        site / "_ironwheel_editable_incremental.pth"
    ).read_text() == "import _ironwheel_editable_incremental\n"

    # Nothing changed: nothing runs, nothing is printed.
    before = stamp(root)
    first = python(fresh_venv, ANSWER)
    assert (first.returncode, first.stdout, first.stderr) == (0, "42\n", "")
    assert stamp(root) == before

    # One source edited: that file alone is compiled, before the import, and the output goes to stderr.
    edit(root / "src" / "incremental" / "one.c", "return 1;", "return 2;")
    second = python(fresh_venv, ANSWER)
    assert (second.returncode, second.stdout) == (0, "43\n"), second.stderr
    assert COMPILED.findall(second.stderr) == ["one"]
    assert second.stderr.startswith(f"ironwheel: rebuilding incremental in {root}/build/")
    assert re.search(r"^ironwheel: rebuilt incremental in [\d.]+ s$", second.stderr, re.MULTILINE)
    assert stamp(root) > before

    third = python(fresh_venv, ANSWER)
    assert (third.returncode, third.stdout, third.stderr) == (0, "43\n", "")

    # Python files and resources come from the source tree, compiled modules from the build dir.
    if sys.version_info < (3, 10):
        pytest.skip("Python 3.9 reads resources next to __init__.py only (the rebuilds above passed)")
    where = python(
        fresh_venv,
        "import importlib.resources as r, incremental, incremental._impl as i\n"
        "print(incremental.__file__); print(i.__file__)\n"
        "print(r.files('incremental').joinpath('stamp.txt').read_text().strip())\n"
        "print(sorted(p.name for p in r.files('incremental').iterdir() if not p.name.startswith('_')))",
    )
    assert where.returncode == 0, where.stderr
    lines = where.stdout.splitlines()
    assert lines[0] == str(root / "src" / "incremental" / "__init__.py")
    assert re.fullmatch(
        rf"{re.escape(str(root))}/build/[^/]+/\.ironwheel/staging/platlib/incremental/_impl{SUFFIX}", lines[1]
    )
    assert lines[2:] == ["stamped", "['one.c', 'stamp.txt', 'two.c']"]


def test_a_compile_error_is_an_import_error_with_the_compilers_message(root: Path, fresh_venv: Venv) -> None:
    assert pip_editable(fresh_venv, root).returncode == 0
    source = root / "src" / "incremental" / "one.c"
    edit(source, "return 1;", "return 1")
    broken = python(fresh_venv, ANSWER)
    assert broken.returncode == 1
    assert broken.stdout == ""
    *_, error, hint = broken.stderr.strip().splitlines()
    assert hint == "hint: fix the error and import again (IRONWHEEL_EDITABLE_VERBOSE=1 shows every command)"
    assert re.fullmatch(
        rf"[\w.]*RebuildError: rebuilding incremental failed \(compile\): {re.escape(str(source))}:1:\d+: "
        r"error: expected .;. before .\}. token",
        error,
    ), broken.stderr
    edit(source, "return 1", "return 3;")
    fixed = python(fresh_venv, ANSWER)
    assert (fixed.returncode, fixed.stdout) == (0, "44\n"), fixed.stderr


def test_rebuilds_outlive_the_isolated_environment_and_its_cmake(
    project: Callable[[str], Path],
    offline_pip: Path,
    fresh_venv: Venv,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # cmake>=3.26 is more than the one on PATH: the frontend installs cmake from PyPI into its
    # temporary environment, and deletes it after the build.
    del offline_pip
    monkeypatch.setenv("PATH", path_with_old_cmake(tmp_path / "bin"))
    root = project("incremental")
    edit(
        root / "pyproject.toml",
        "[tool.ironwheel.cmake.define]",
        '[tool.ironwheel.cmake]\nversion = ">=3.26"\n\n[tool.ironwheel.cmake.define]',
    )
    installed = pip_editable(fresh_venv, root)
    assert installed.returncode == 0, tail(installed.stdout)
    assert "requesting cmake>=3.26 from PyPI" in installed.stdout
    (build,) = root.glob("build/*/")
    kept = next((build / ".ironwheel" / "tools").glob("cmake-*/bin/cmake"))
    manifests = (build / "build.ninja").read_text() + (build / "CMakeFiles" / "rules.ninja").read_text()
    assert f"{kept} --regenerate-during-build" in manifests
    assert "pip-build-env" not in manifests
    environments = re.findall(r"(/\S+/pip-build-env-\w+)/", installed.stdout)
    assert environments
    assert not any(Path(path).exists() for path in environments)

    # A CMakeLists.txt edit: ninja re-runs the kept cmake, then compiles.
    edit(root / "CMakeLists.txt", "ANSWER_OFFSET=${ANSWER_OFFSET}", "ANSWER_OFFSET=${ANSWER_OFFSET}+100")
    result = python(fresh_venv, ANSWER)
    assert (result.returncode, result.stdout) == (0, "142\n"), result.stderr
    assert "Re-running CMake" in result.stderr
    assert COMPILED.findall(result.stderr) == ["_impl"]


def test_two_processes_importing_at_once_build_once(root: Path, fresh_venv: Venv) -> None:
    assert pip_editable(fresh_venv, root).returncode == 0
    edit(root / "src" / "incremental" / "one.c", "return 1;", "return 5;")
    processes = [
        subprocess.Popen(
            [str(fresh_venv.python), "-c", ANSWER], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    results = [process.communicate(timeout=300) for process in processes]
    assert [process.returncode for process in processes] == [0, 0], results
    assert [stdout for stdout, _ in results] == ["46\n", "46\n"]
    assert COMPILED.findall("".join(stderr for _, stderr in results)) == ["one"]


def test_a_build_that_imports_the_package_does_not_rebuild_it_again(root: Path, fresh_venv: Venv) -> None:
    # Without the guard the nested import would wait for the lock its parent holds, for ever.
    assert pip_editable(fresh_venv, root).returncode == 0
    edit(
        root / "CMakeLists.txt",
        "install(TARGETS _impl DESTINATION incremental)",
        "install(TARGETS _impl DESTINATION incremental)\n"
        'execute_process(COMMAND "${Python_EXECUTABLE}" -c "import incremental; print(incremental.answer())"\n'
        '                OUTPUT_FILE "${CMAKE_BINARY_DIR}/nested.txt")',
    )
    result = python(fresh_venv, ANSWER)
    assert (result.returncode, result.stdout) == (0, "42\n"), result.stderr
    assert "Re-running CMake" in result.stderr
    (nested,) = root.glob("build/*/nested.txt")
    assert nested.read_text() == "42\n"  # the nested import was served the existing build


def test_rebuild_off_then_develop_and_rebuild(root: Path, fresh_venv: Venv) -> None:
    installed = pip_editable(fresh_venv, root, "-C", "editable.rebuild=false")
    assert installed.returncode == 0, tail(installed.stdout)
    edit(root / "src" / "incremental" / "one.c", "return 1;", "return 2;")
    stale = python(fresh_venv, ANSWER)
    assert (stale.returncode, stale.stdout, stale.stderr) == (0, "42\n", "")

    develop = subprocess.run(
        [sys.executable, "-m", "ironwheel", "develop", str(root)],
        env={**os.environ, "PYTHONPATH": str(SRC)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert develop.returncode == 0, develop.stderr
    assert develop.stdout == ""
    assert COMPILED.findall(develop.stderr) == ["one"]
    assert python(fresh_venv, ANSWER).stdout == "43\n"

    edit(root / "src" / "incremental" / "two.c", "return 2;", "return 3;")
    manual = python(
        fresh_venv, "import _ironwheel_editable_incremental as hook; print(hook.rebuild())\n" + ANSWER
    )
    assert (manual.returncode, manual.stdout) == (0, "True\n44\n"), manual.stderr
    assert COMPILED.findall(manual.stderr) == ["two"]


def hook_caller(root: Path) -> BuildBackendHookCaller:
    def runner(
        cmd: Sequence[str], cwd: str | None = None, extra_environ: Mapping[str, str] | None = None
    ) -> None:
        environ = {**os.environ, **(extra_environ or {}), "PYTHONPATH": str(SRC)}
        subprocess.run(cmd, cwd=cwd, env=environ, check=True, capture_output=True)

    return BuildBackendHookCaller(str(root), "ironwheel", runner=runner)


def test_editable_wheel_contents(project: Callable[[str], Path], tmp_path: Path, fresh_venv: Venv) -> None:
    root = project("skbuild_compat")
    caller = hook_caller(root)
    assert caller.get_requires_for_build_editable() == []
    metadata = caller.prepare_metadata_for_build_editable(str(tmp_path / "metadata"))
    assert metadata == "sk_compat-0.4.2.dist-info"
    wheel = tmp_path / "dist" / caller.build_editable(str(tmp_path / "dist"), {"build.dir": ""})
    assert (
        wheel.name
        == f"sk_compat-0.4.2-{TAG}-{TAG}-{sysconfig.get_platform().replace('-', '_').replace('.', '_')}.whl"
    )
    data = "sk_compat-0.4.2.data"
    dist_info = "sk_compat-0.4.2.dist-info"
    assert names(wheel) == [
        "_ironwheel_editable_sk_compat.pth",
        "_ironwheel_editable_sk_compat.py",
        "_ironwheel_editable_sk_compat_rebuild.py",
        f"{data}/data/share/sk-compat/README.data",
        f"{data}/headers/skcompat.h",
        f"{data}/scripts/sk-compat-sh",
        f"{data}/scripts/sk-compat-tool",
        f"{dist_info}/METADATA",
        f"{dist_info}/WHEEL",
        f"{dist_info}/entry_points.txt",
        f"{dist_info}/licenses/LICENSE",
        f"{dist_info}/licenses/NOTICE.vendored",
        f"{dist_info}/RECORD",
    ]
    with zipfile.ZipFile(wheel) as archive:
        mode = archive.getinfo(f"{data}/scripts/sk-compat-tool").external_attr >> 16
        assert stat.S_IMODE(mode) == 0o755
    # build.dir = "" does not apply: an editable install rebuilds in the default build dir.
    assert len(list(root.glob("build/*/.ironwheel/editable/stamp"))) == 1

    fresh_venv.install(wheel)
    state = fresh_venv.run(
        "import skcompat, skcompat._build_info as b; print(skcompat.project_version(), skcompat.build_state())"
    )
    assert state == "0.4.2 editable"
    tool = subprocess.run([fresh_venv.bin / "sk-compat-tool"], capture_output=True, text=True, check=True)
    assert tool.stdout == "sk-compat-tool says hi\n"


def test_pure_python_projects(project: Callable[[str], Path], tmp_path: Path, fresh_venv: Venv) -> None:
    root = project("pure-python")
    caller = hook_caller(root)
    wheel = tmp_path / "dist" / caller.build_editable(str(tmp_path / "dist"))
    assert names(wheel) == [
        "_ironwheel_editable_pure_example.pth",
        "_ironwheel_editable_pure_example.py",
        "pure_example-1.0.0.dist-info/METADATA",
        "pure_example-1.0.0.dist-info/WHEEL",
        "pure_example-1.0.0.dist-info/entry_points.txt",
        "pure_example-1.0.0.dist-info/RECORD",
    ]
    fresh_venv.install(wheel)
    module = root / "src" / "pure_example" / "__init__.py"
    module.write_text(module.read_text() + "\nEDITED = 'live'\n")
    assert fresh_venv.run("import pure_example; print(pure_example.EDITED)") == "live"


def test_extension_tables_and_cython_rebuild_after_the_build_environment_is_gone(
    project: Callable[[str], Path], offline_pip: Path, fresh_venv: Venv
) -> None:
    # Cython and ironwheel's CMake helpers lived in pip's temporary environment only.
    del offline_pip
    root = project("cython")
    installed = pip_editable(fresh_venv, root)
    assert installed.returncode == 0, tail(installed.stdout)
    first = python(fresh_venv, "from cython_example import _primes; print(_primes.primes(4))")
    assert (first.returncode, first.stdout, first.stderr) == (0, "[2, 3, 5, 7]\n", "")

    with (root / "src" / "cython_example" / "_primes.pyx").open("a") as handle:
        handle.write("\n\ndef answer():\n    return 42\n")
    second = python(fresh_venv, "from cython_example import _primes; print(_primes.answer())")
    assert (second.returncode, second.stdout) == (0, "42\n"), second.stderr
    assert "Cythonizing" in second.stderr, second.stderr
    assert "_words" not in second.stderr, second.stderr
