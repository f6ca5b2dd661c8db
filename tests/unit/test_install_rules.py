"""Install destinations and producers, decided from the code model alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from ironwheel.cmake.fileapi import CodeModel, Installer
from ironwheel.cmake.installrules import Layout, check_install_rules
from ironwheel.errors import PackagingError

STAGING = Path("/b/.ironwheel/staging")
LAYOUT = Layout(
    prefix=STAGING / "platlib" / "demo",  # wheel.install-dir = "demo"
    staging=STAGING,
    root=Path("/src"),
    generated=Path("/b/.ironwheel/generated"),
    data="demo-1.data",
    package=lambda: "demo",
)


def rule(
    destination: str, *names: str, origin: str = "/src/a.txt", target: str = "", line: int = 7
) -> Installer:
    origins = (target,) if target else (origin,) * len(names)
    kind = "target" if target else "file"
    return Installer(kind, destination, names, origins, target, Path("/src/CMakeLists.txt"), line)


def check(*rules: Installer) -> None:
    check_install_rules(CodeModel(Path("/src"), Path("/b"), (), (), (), rules), LAYOUT)


@pytest.mark.parametrize(
    "destination",
    ["sub", "sub/../other", f"{STAGING}/data/share", f"{STAGING}/platlib", f"{STAGING}/null/x"],
)
def test_destinations_inside_the_wheel(destination: str) -> None:
    check(rule(destination, "a.txt"))


@pytest.mark.parametrize(
    ("destination", "problem"),
    [
        ("..", 'CMakeLists.txt:7: install(FILES) DESTINATION ".." points above the wheel\'s root'),
        (
            "sub/../../x",
            'CMakeLists.txt:7: install(FILES) DESTINATION "sub/../../x" points above the wheel\'s root',
        ),
        (
            "/usr/lib",
            'CMakeLists.txt:7: install(FILES) DESTINATION "/usr/lib" is an absolute path outside the wheel',
        ),
        (
            f"{STAGING}/../elsewhere",
            f'CMakeLists.txt:7: install(FILES) DESTINATION "{STAGING}/../elsewhere" is an absolute path outside the wheel',
        ),
    ],
)
def test_destinations_outside(destination: str, problem: str) -> None:
    with pytest.raises(PackagingError) as caught:
        check(rule(destination, "a.txt"))
    assert caught.value.message == problem


def test_producers_of_one_file() -> None:
    # One target's library and its links, installed twice: one producer.
    check(rule("lib", "libx.so.1", "libx.so", target="x"), rule("lib", "libx.so.1", target="x"))
    # The null tree is dropped: no conflict there.
    check(
        rule(f"{STAGING}/null", "a.txt", origin="/src/a"), rule(f"{STAGING}/null", "a.txt", origin="/src/b")
    )
    with pytest.raises(PackagingError) as caught:
        check(
            rule(f"{STAGING}/data/share", "a.txt", origin="/src/a"),
            rule(f"{STAGING}/data/share", "a.txt", origin="/src/b", line=9),
        )
    assert caught.value.message == (
        "two install() rules write demo-1.data/data/share/a.txt: install(FILES) at CMakeLists.txt:7 and "
        "install(FILES) at CMakeLists.txt:9"
    )
    with pytest.raises(PackagingError) as caught:
        check(
            rule("", "_core.so", target="_core"),
            Installer(
                "target",
                f"{STAGING}/platlib/demo",
                ("_core.so",),
                ("demo._core",),
                "demo._core",
                Path("/b/.ironwheel/generated/CMakeLists.txt"),
                40,
            ),
        )
    assert caught.value.message == (
        "two install() rules write demo/_core.so: target _core (CMakeLists.txt:7) and "
        '[tool.ironwheel.extension."demo._core"]'
    )
