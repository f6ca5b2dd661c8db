"""Internal libraries placed for two modules in different directories (Windows DLLs)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from ironwheel.cmake.fileapi import CodeModel, Target
from ironwheel.repair.binaries import read_binary
from ironwheel.repair.windows import PELinker
from ironwheel.wheel import Source
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


class _NoPatchelf:
    """An ELF linker on a machine without patchelf."""

    format = "elf"
    origin = "$ORIGIN"

    def relink(
        self, path: Path, binary: object, rpath: object, changes: object, install_name: object
    ) -> None:
        from ironwheel.errors import ToolError

        raise ToolError("no patchelf>=0.10 found (no patchelf on PATH)", hint="install patchelf")


def test_without_patchelf_a_check_warns_and_a_repair_fails(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from ironwheel.errors import ToolError
    from ironwheel.repair.internal import link_internal_libraries

    build = tmp_path / "build"
    build.mkdir()
    (tmp_path / "foo.c").write_text("int foo(void) { return 1; }\n")
    (tmp_path / "ext.c").write_text("int foo(void);\nint ext(void) { return foo(); }\n")
    gcc = ["gcc", "-shared", "-fPIC"]
    subprocess.run(
        [*gcc, "-Wl,-soname,libfoo.so.1", "-o", build / "libfoo.so.1", tmp_path / "foo.c"], check=True
    )
    subprocess.run([*gcc, "-o", build / "_ext.so", tmp_path / "ext.c", build / "libfoo.so.1"], check=True)
    target = Target("foo", "SHARED_LIBRARY", (build / "libfoo.so.1",), (), name_on_disk="libfoo.so.1")

    def entries() -> dict[str, Source]:
        return {
            "pkg/__init__.py": b"",
            "pkg/_ext.so": build / "_ext.so",
            "lib/libfoo.so.1": build / "libfoo.so.1",
        }

    model = CodeModel(tmp_path, build, (target,), (), ())
    options = {
        "linker": _NoPatchelf(),
        "libs_dir": "demo.libs",
        "work_dir": tmp_path / "work",
        "build_roots": (),
    }
    checked = entries()
    link_internal_libraries(checked, model, required=False, **options)  # type: ignore[arg-type]
    assert checked == {
        "pkg/__init__.py": b"",
        "pkg/_ext.so": build / "_ext.so",
        "pkg/libfoo.so.1": build / "libfoo.so.1",
    }
    assert (
        "pkg/_ext.so: not relinked (wanted library search path $ORIGIN): no patchelf>=0.10 found"
        in caplog.text
    )
    with pytest.raises(ToolError, match="no patchelf"):
        link_internal_libraries(entries(), model, required=True, **options)  # type: ignore[arg-type]
