"""Requirements files read as dependencies: what they may hold, and every refusal with its message."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from packaging.requirements import InvalidRequirement, Requirement

from ironwheel.errors import IronwheelError, PackagingError, format_error
from ironwheel.project.reqfiles import read_requirements

WHERE = "tool.ironwheel.metadata.dependencies.file"
OUTSIDE = "move the file into the project: the sdist and the wheel carry only what is inside it"


def packaging_reason(text: str) -> str:
    """packaging's own words for a bad requirement (they vary between its releases)."""
    try:
        Requirement(text)
    except InvalidRequirement as error:
        return str(error).splitlines()[0]
    raise AssertionError(text)


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


READ: list[tuple[str, dict[str, str], tuple[str, ...], tuple[str, ...]]] = [
    (
        "comments, blank lines and markers",
        {
            "requirements.txt": "# the runtime\n\nnumpy>=1.22  # arrays\n"
            "tomli>=1.1; python_version < '3.11'\n   \n",
        },
        ("numpy>=1.22", "tomli>=1.1; python_version < '3.11'"),
        ("requirements.txt",),
    ),
    (
        "continued lines",
        {"requirements.txt": "attrs \\\n  >=22 \\\n  ; python_version >= '3.9'\nrich\\\n"},
        ("attrs   >=22   ; python_version >= '3.9'", "rich"),
        ("requirements.txt",),
    ),
    (
        "extras and a direct reference with a fragment",
        {"requirements.txt": "requests[socks]>=2\npkg @ https://example.org/pkg-1.0.tar.gz#sha256=abc\n"},
        ("requests[socks]>=2", "pkg @ https://example.org/pkg-1.0.tar.gz#sha256=abc"),
        ("requirements.txt",),
    ),
    (
        "includes, nested, relative to the including file, duplicates once",
        {
            "requirements.txt": "a\n-r reqs/base.txt\n--requirement=reqs/extra.txt\n",
            "reqs/base.txt": "b\n-rcommon.txt\na\n",
            "reqs/common.txt": "c\n",
            "reqs/extra.txt": "d\n-r common.txt\n",
        },
        ("a", "b", "c", "d"),
        ("requirements.txt", "reqs/base.txt", "reqs/common.txt", "reqs/extra.txt"),
    ),
    (
        "a byte order mark",
        {"requirements.txt": "\ufeffnumpy\n"},
        ("numpy",),
        ("requirements.txt",),
    ),
]


@pytest.mark.parametrize(("name", "files", "requirements", "read"), READ, ids=[case[0] for case in READ])
def test_what_a_requirements_file_may_hold(
    tmp_path: Path, name: str, files: dict[str, str], requirements: tuple[str, ...], read: tuple[str, ...]
) -> None:
    del name
    write(tmp_path, files)
    found = read_requirements(tmp_path, ("requirements.txt",), WHERE)
    assert found.requirements == requirements
    assert found.files == read


HINT = "hint: a requirements file used for metadata holds PEP 508 requirements, comments and -r includes only"
REFUSED: list[tuple[str, dict[str, str], str]] = [
    (
        "an editable install",
        {"requirements.txt": "numpy\n-e ./vendored/lib\n"},
        "error: requirements.txt:2: an editable requirement (-e) cannot be a dependency\n"
        'hint: name the package instead ("name>=1.0"), or write a direct reference "name @ URL"',
    ),
    (
        "an index option",
        {"requirements.txt": "--index-url https://example.org/simple\nnumpy\n"},
        f'error: requirements.txt:1: the option "--index-url" cannot be part of package metadata\n{HINT}',
    ),
    (
        "a constraints file",
        {"requirements.txt": "-c constraints.txt\n"},
        f'error: requirements.txt:1: the option "-c" cannot be part of package metadata\n{HINT}',
    ),
    (
        "hashes after a continued requirement",
        {"requirements.txt": "# locked\nnumpy==2.0.0 \\\n    --hash=sha256:0123\n"},
        f'error: requirements.txt:2: the option "--hash" cannot be part of package metadata\n{HINT}',
    ),
    (
        "a bare URL",
        {"requirements.txt": "https://example.org/pkg-1.0.tar.gz\n"},
        'error: requirements.txt:1: "https://example.org/pkg-1.0.tar.gz" is a URL or a path, not a requirement\n'
        'hint: name the package ("name>=1.0"), or write a direct reference "name @ URL"',
    ),
    (
        "a VCS URL",
        {"requirements.txt": "git+https://example.org/pkg.git\n"},
        'error: requirements.txt:1: "git+https://example.org/pkg.git" is a URL or a path, not a requirement\n'
        'hint: name the package ("name>=1.0"), or write a direct reference "name @ URL"',
    ),
    (
        "a local directory",
        {"requirements.txt": "./vendored/lib\n"},
        'error: requirements.txt:1: "./vendored/lib" is a URL or a path, not a requirement\n'
        'hint: name the package ("name>=1.0"), or write a direct reference "name @ URL"',
    ),
    (
        "a wheel file",
        {"requirements.txt": "pkg-1.0-py3-none-any.whl\n"},
        'error: requirements.txt:1: "pkg-1.0-py3-none-any.whl" is a URL or a path, not a requirement\n'
        'hint: name the package ("name>=1.0"), or write a direct reference "name @ URL"',
    ),
    (
        "an invalid requirement",
        {"requirements.txt": "numpy\n\nnumpy >= one\n"},
        'error: requirements.txt:3: "numpy >= one" is not a valid requirement: '
        f"{packaging_reason('numpy >= one')}\n"
        "hint: write one PEP 508 requirement a line, such as \"numpy>=1.22; python_version >= '3.10'\"",
    ),
    (
        "an include outside the project",
        {"requirements.txt": "-r ../shared.txt\n"},
        f"error: requirements.txt:1: -r: ../shared.txt is outside the project\nhint: {OUTSIDE}",
    ),
    (
        "an include that does not exist",
        {"requirements.txt": "a\n-r more.txt\n"},
        'error: requirements.txt:2: no file "more.txt"\nhint: give a file relative to the project root',
    ),
    (
        "circular includes",
        {"requirements.txt": "-r reqs/a.txt\n", "reqs/a.txt": "-r ../requirements.txt\n"},
        'error: reqs/a.txt:1: -r "../requirements.txt" includes a file that includes it\n'
        "hint: remove the circular -r",
    ),
    (
        "-r without its file",
        {"requirements.txt": "-r\n"},
        "error: requirements.txt:1: -r takes one file\nhint: write -r other-requirements.txt",
    ),
    (
        "not UTF-8",
        {},
        f'error: {WHERE}: "requirements.txt" is not UTF-8 (byte 0 cannot be decoded)\nhint: save the file as UTF-8',
    ),
    (
        "a missing file",
        {"other.txt": ""},
        f'error: {WHERE}: no file "requirements.txt"\nhint: give a file relative to the project root',
    ),
]


@pytest.mark.parametrize(("name", "files", "message"), REFUSED, ids=[case[0] for case in REFUSED])
def test_what_is_refused_and_why(tmp_path: Path, name: str, files: dict[str, str], message: str) -> None:
    project = tmp_path / "project"
    project.mkdir()
    write(project, files)
    (tmp_path / "shared.txt").write_text("numpy\n")
    if name == "not UTF-8":
        (project / "requirements.txt").write_bytes(b"\xff\xfe\x00numpy\n")
    with pytest.raises(IronwheelError) as caught:
        read_requirements(project, ("requirements.txt",), WHERE)
    assert format_error(caught.value) == message


def test_a_listed_file_outside_the_project(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (tmp_path / "requirements.txt").write_text("numpy\n")
    for name in ("../requirements.txt", str(tmp_path / "requirements.txt")):
        with pytest.raises(PackagingError) as caught:
            read_requirements(project, (name,), WHERE)
        assert format_error(caught.value) == (
            f"error: {WHERE}: ../requirements.txt is outside the project\nhint: {OUTSIDE}"
        )


@pytest.mark.skipif(os.name == "nt", reason="symbolic links")
def test_links_out_of_the_project_follow_the_sdist_setting(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (tmp_path / "outside.txt").write_text("numpy\n")
    (project / "linked.txt").symlink_to(tmp_path / "outside.txt")
    (project / "requirements.txt").write_text("-r linked.txt\n")
    with pytest.raises(PackagingError) as caught:
        read_requirements(project, ("requirements.txt",), WHERE)
    assert caught.value.message == (
        f"requirements.txt:1: -r: linked.txt is a symbolic link to {tmp_path / 'outside.txt'}, outside the project"
    )
    with pytest.raises(PackagingError) as caught:
        read_requirements(project, ("linked.txt",), WHERE)
    assert caught.value.message.startswith(f"{WHERE}: linked.txt is a symbolic link to ")
    # sdist.follow-external-links = true: read, as the sdist would pack it.
    for name in ("requirements.txt", "linked.txt"):
        found = read_requirements(project, (name,), WHERE, follow_external_links=True)
        assert found.requirements == ("numpy",)
