"""Hostile source trees: links out of the project, special files, tools' directories, secrets.

Nothing from outside the project may reach an archive, and nothing that is not
a regular file may be read.
"""

from __future__ import annotations

import logging
import os
import signal
import stat
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from ironwheel.archive.files import Selection, check_inside, select_files
from ironwheel.errors import PackagingError

HINT = (
    "remove the link, or leave it out with tool.ironwheel.sdist.exclude; to pack what it points to, "
    "set tool.ironwheel.sdist.follow-external-links = true"
)


def make(root: Path, files: list[str]) -> Path:
    for name in files:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{name}\n")
    return root


@pytest.fixture
def no_hang() -> Iterator[None]:
    """Opening a FIFO blocks: fail instead of hanging if the code ever reads one."""
    previous = signal.signal(signal.SIGALRM, signal.default_int_handler)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def external(root: Path, start: Path | None = None) -> str:
    with pytest.raises(PackagingError) as caught:
        select_files(root, Selection(), start=start)
    assert caught.value.hint == HINT
    return caught.value.message


@pytest.mark.parametrize(
    ("link", "target", "directory"),
    [("pkg/etc", "/etc", True), ("pkg/passwd", "/etc/passwd", False), ("pkg/null", "/dev/null", False)],
)
def test_a_link_to_a_system_path_is_an_error(tmp_path: Path, link: str, target: str, directory: bool) -> None:
    root = make(tmp_path / "p", ["pkg/a.py"])
    (root / link).symlink_to(target, target_is_directory=directory)
    assert external(root) == f"{link} is a symbolic link to {target}, outside the project"


def test_relative_link_climbing_out_is_an_error(tmp_path: Path) -> None:
    make(tmp_path, ["secret.txt"])
    root = make(tmp_path / "p", ["pkg/a.py"])
    (root / "pkg" / "up").symlink_to("../../secret.txt")
    assert external(root) == f"pkg/up is a symbolic link to {tmp_path / 'secret.txt'}, outside the project"


def test_a_link_out_inside_a_linked_directory_is_found(tmp_path: Path) -> None:
    root = make(tmp_path / "p", ["pkg/a.py", "shared/ok.c"])
    (root / "shared" / "out").symlink_to("/etc", target_is_directory=True)
    (root / "pkg" / "alias").symlink_to(root / "shared", target_is_directory=True)
    # Reached first through pkg/alias (sorted walk), then through shared itself.
    assert external(root) == "pkg/alias/out is a symbolic link to /etc, outside the project"


def test_a_package_directory_that_is_a_link_out(tmp_path: Path) -> None:
    make(tmp_path / "elsewhere", ["real/__init__.py"])
    root = make(tmp_path / "p", ["pyproject.toml"])
    (root / "src").mkdir()
    (root / "src" / "pkg").symlink_to(tmp_path / "elsewhere" / "real", target_is_directory=True)
    message = external(root, start=root / "src" / "pkg")
    assert message == f"src/pkg is a symbolic link to {tmp_path / 'elsewhere' / 'real'}, outside the project"
    with pytest.raises(PackagingError):
        check_inside(root, root / "src" / "pkg" / "__init__.py")
    check_inside(root, root / "src" / "pkg" / "__init__.py", follow_external_links=True)


def test_links_inside_the_project_are_packed_as_files(tmp_path: Path) -> None:
    root = make(tmp_path / "p", ["pkg/a.py", "shared/data.txt", "docs/x.md"])
    (root / "pkg" / "data.txt").symlink_to("../shared/data.txt")
    (root / "pkg" / "docs").symlink_to(root / "docs", target_is_directory=True)
    (root / "pkg" / "self").symlink_to(".", target_is_directory=True)  # a loop: left out
    assert select_files(root, Selection()) == [
        "docs/x.md",
        "pkg/a.py",
        "pkg/data.txt",
        "pkg/docs/x.md",
        "shared/data.txt",
    ]


def test_follow_external_links_packs_the_target(tmp_path: Path) -> None:
    outside = make(tmp_path / "shared", ["common.h"])
    root = make(tmp_path / "p", ["pkg/a.py"])
    (root / "pkg" / "include").symlink_to(outside, target_is_directory=True)
    assert select_files(root, Selection(follow_external_links=True)) == ["pkg/a.py", "pkg/include/common.h"]


def test_an_ignored_link_out_is_no_error(tmp_path: Path) -> None:
    root = make(tmp_path / "p", ["pkg/a.py"])
    (root / ".gitignore").write_text("/bazel-out\n")
    (root / "bazel-out").symlink_to("/etc", target_is_directory=True)
    (root / "pkg" / "etc").symlink_to("/etc", target_is_directory=True)
    assert select_files(root, Selection(exclude=["pkg/etc"])) == [".gitignore", "pkg/a.py"]


def test_broken_and_looping_links_are_left_out_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = make(tmp_path / "p", ["pkg/a.py"])
    (root / "pkg" / "gone").symlink_to("/nonexistent/x")
    (root / "pkg" / "ping").symlink_to("pong")
    (root / "pkg" / "pong").symlink_to("ping")
    assert select_files(root, Selection()) == ["pkg/a.py"]
    assert [record.getMessage() for record in caplog.records] == [
        "leaving out pkg/gone: the symbolic link is broken",
        "leaving out pkg/ping: it loops",
        "leaving out pkg/pong: it loops",
    ]


@pytest.mark.usefixtures("no_hang")
def test_special_files_are_never_read(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    root = make(tmp_path / "p", ["pkg/a.py"])
    os.mkfifo(root / "pkg" / "fifo")
    (root / "pkg" / "fifo.pem").symlink_to("fifo")  # a key-like name must not make us read it
    kinds = ["a named pipe", "a named pipe"]
    if os.geteuid() == 0:
        os.mknod(root / "pkg" / "zero", stat.S_IFCHR | 0o600, os.makedev(1, 5))
        kinds.append("a character device")
    assert select_files(root, Selection()) == ["pkg/a.py"]
    names = sorted(path.name for path in (root / "pkg").iterdir() if path.name != "a.py")
    assert [record.getMessage() for record in caplog.records] == [
        f"leaving out pkg/{name}: it is {kind}, not a regular file" for name, kind in zip(names, kinds)
    ]


def test_hard_links_are_ordinary_files(tmp_path: Path) -> None:
    root = make(tmp_path / "p", ["pkg/a.py"])
    os.link(root / "pkg" / "a.py", root / "pkg" / "b.py")
    assert select_files(root, Selection()) == ["pkg/a.py", "pkg/b.py"]


def test_version_control_data_in_any_form_is_left_out(tmp_path: Path) -> None:
    root = make(
        tmp_path / "p",
        [
            ".git/HEAD",
            ".gitattributes",
            ".git_archival.txt",
            ".gitignore",
            "sub/.git",  # a submodule's or worktree's .git file
            "sub/x.c",
            ".hg/store",
            ".jj/repo",
        ],
    )
    (root / ".gitignore").write_text("*.o\n")
    assert select_files(root, Selection()) == [
        ".git_archival.txt",
        ".gitattributes",
        ".gitignore",
        "sub/x.c",
    ]


@pytest.mark.parametrize(
    "markers",
    [
        ["pyvenv.cfg"],
        ["conda-meta/history"],
        ["CACHEDIR.TAG"],
        ["CMakeCache.txt"],
        ["build.ninja", ".ninja_log"],
        ["meson-private/coredata.dat"],
    ],
)
def test_tool_directories_are_recognised_by_their_contents(tmp_path: Path, markers: list[str]) -> None:
    root = make(tmp_path / "p", ["pkg/a.py", *(f"oddly-named/{marker}" for marker in markers)])
    make(root, ["oddly-named/lib/site.py"])
    assert select_files(root, Selection()) == ["pkg/a.py"]


def test_a_lone_build_ninja_is_a_project_file(tmp_path: Path) -> None:
    root = make(tmp_path / "p", ["gen/build.ninja"])
    assert select_files(root, Selection()) == ["gen/build.ninja"]


def test_the_project_root_is_never_a_tool_directory(tmp_path: Path) -> None:
    # An in-source CMake build: the cache sits beside pyproject.toml.
    root = make(tmp_path / "p", ["CMakeCache.txt", "pyproject.toml"])
    assert select_files(root, Selection()) == ["CMakeCache.txt", "pyproject.toml"]


def test_old_outputs_of_this_project_are_left_out_wherever_they_are(tmp_path: Path) -> None:
    root = make(
        tmp_path / "p",
        [
            "pkg/a.py",
            "wheelhouse/demo_pkg-1.0-cp311-cp311-linux_x86_64.whl",
            "out/sub/Demo.Pkg-0.9.tar.gz",
            "out/sub/notes.txt",
            "tests/data/other_project-1.0-py3-none-any.whl",  # another project's: test data
            "demo_pkg-1.0.tar.gz",  # at the root: the file goes, the project stays
            "demo-pkg-extra-2.0.tar.gz",
        ],
    )
    assert select_files(root, Selection(dist_name="demo-pkg")) == [
        "demo-pkg-extra-2.0.tar.gz",
        "pkg/a.py",
        "tests/data/other_project-1.0-py3-none-any.whl",
    ]


@pytest.mark.parametrize(
    ("name", "content", "what"),
    [
        (".env", "TOKEN=x\n", "environment variables, often credentials"),
        (".env.production", "TOKEN=x\n", "environment variables, often credentials"),
        (".pypirc", "[pypi]\n", "credentials for package indexes"),
        ("id_ed25519", "x", "an SSH private key"),
        ("certs/server.key", "-----BEGIN RSA PRIVATE KEY-----\nMII\n", "a private key"),
        ("certs/client.pem", "\n-----BEGIN ENCRYPTED PRIVATE KEY-----\n", "a private key"),
        ("k.pem", "-----BEGIN OPENSSH PRIVATE KEY-----\n", "a private key"),
    ],
)
def test_secrets_are_packed_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, name: str, content: str, what: str
) -> None:
    root = make(tmp_path / "p", ["pkg/a.py"])
    make(root, [name])
    (root / name).write_text(content)
    with caplog.at_level(logging.WARNING, logger="ironwheel"):
        assert name in select_files(root, Selection())
    assert [record.getMessage() for record in caplog.records] == [
        f"packing {name}, which may hold {what}; leave it out with .gitignore or tool.ironwheel.sdist.exclude"
    ]


def test_lookalikes_of_secrets_are_not_reported(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    root = make(tmp_path / "p", [".env.example", "id_rsa.pub", "certs/ca.pem", "keys.key"])
    (root / "certs" / "ca.pem").write_text("-----BEGIN CERTIFICATE-----\n")
    assert len(select_files(root, Selection())) == 4
    assert caplog.records == []


def test_sdist_refuses_a_link_out_and_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import ironwheel

    root = make(tmp_path / "p", ["src/demo/__init__.py"])
    (root / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["ironwheel"]\nbuild-backend = "ironwheel"\n'
        '[project]\nname = "demo"\nversion = "1"\n'
    )
    (root / "src" / "demo" / "shadow").symlink_to("/etc/shadow")
    monkeypatch.chdir(root)
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as caught:
        ironwheel.build_sdist(str(out))
    assert caught.value.code == PackagingError.exit_code
    assert not out.exists() or list(out.iterdir()) == []
    (root / "pyproject.toml").write_text(
        (root / "pyproject.toml").read_text() + "[tool.ironwheel.sdist]\nexclude = ['shadow']\n"
    )
    name = ironwheel.build_sdist(str(out))
    with tarfile.open(out / name) as archive:
        assert sorted(archive.getnames()) == [
            "demo-1/PKG-INFO",
            "demo-1/pyproject.toml",
            "demo-1/src/demo/__init__.py",
        ]


def test_readme_linked_from_outside_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import ironwheel

    root = make(tmp_path / "p", ["src/demo/__init__.py"])
    (root / "README.md").symlink_to("/etc/passwd")
    (root / "pyproject.toml").write_text('[project]\nname = "demo"\nversion = "1"\nreadme = "README.md"\n')
    monkeypatch.chdir(root)
    with pytest.raises(SystemExit):
        ironwheel.prepare_metadata_for_build_wheel(str(tmp_path / "meta"))
    assert not (tmp_path / "meta").exists()
