"""The TOML writer and the splicer that edits an existing pyproject.toml in place."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ironwheel._compat import tomllib
from ironwheel.migrate.toml import Document, dumps, key, value

KEYS = st.text(alphabet=st.characters(exclude_categories=["Cs"]), min_size=1, max_size=8)
SCALARS = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=20),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False),
)
VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(KEYS, children, max_size=4)),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(KEYS, VALUES, max_size=5))
def test_any_document_reads_back_as_written(data: dict[str, Any]) -> None:
    assert tomllib.loads(dumps(data)) == data


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("plain", '"plain"'),
        ('say "hi"', "'say \"hi\"'"),
        (r"^v(?P<version>\d+)", r"'^v(?P<version>\d+)'"),
        ("it's \\", '"it\'s \\\\"'),
        ("tab\there\n", '"tab\\there\\n"'),
        ("\x01", '"\\u0001"'),
        (True, "true"),
        (3, "3"),
        (1.5, "1.5"),
        (float("inf"), "inf"),
        (["a", 1], '["a", 1]'),
        ({"A": "1", "B": True}, '{ A = "1", B = true }'),
        ({}, "{}"),
        (datetime.date(2024, 1, 2), "2024-01-02"),
    ],
)
def test_values(item: Any, expected: str) -> None:
    assert value(item) == expected


@pytest.mark.parametrize(
    ("name", "expected"), [("bare-key_1", "bare-key_1"), ("pkg._core", '"pkg._core"'), ("a b", '"a b"')]
)
def test_keys(name: str, expected: str) -> None:
    assert key(name) == expected


def test_sections_arrays_of_tables_and_dotted_keys() -> None:
    data = {
        "tool": {
            "ironwheel": {
                "extension": {"pkg._core": {"sources": ["a.c"], "define-macros": {"A": "1"}}},
                "overrides": [
                    {
                        "if": "sys_platform == 'win32'",
                        "extension": {"pkg._core": {"compile-args": ["/O2"], "define-macros": {"W": True}}},
                    }
                ],
            }
        }
    }
    text = dumps(data, inline_in_arrays=lambda path: path[-1] == "define-macros")
    assert text == (
        '[tool.ironwheel.extension."pkg._core"]\n'
        'sources = ["a.c"]\n'
        'define-macros = { A = "1" }\n'
        "\n"
        "[[tool.ironwheel.overrides]]\n"
        "if = \"sys_platform == 'win32'\"\n"
        'extension."pkg._core".compile-args = ["/O2"]\n'
        'extension."pkg._core".define-macros = { W = true }\n'
    )
    assert tomllib.loads(text) == data


def test_long_arrays_are_one_item_a_line() -> None:
    text = dumps({"classifiers": [f"Programming Language :: Python :: 3.{minor}" for minor in range(9, 14)]})
    assert text.splitlines()[0] == "classifiers = ["
    assert text.splitlines()[1] == '    "Programming Language :: Python :: 3.9",'
    assert text.endswith("]\n")


ORIGINAL = '''# the project's own comment
[build-system]
requires = ["setuptools", # why
  "wheel"]
build-backend = "setuptools.build_meta"

[project]
name = "x"  # the name
description = """
[not.a.table]
"""
dynamic = ["version"]

# about setuptools
[tool.setuptools]
packages = ["x"]

[tool.setuptools.dynamic]
version = { attr = "x.__version__" }

[[tool.cibuildwheel.overrides]]
select = "*-musllinux*"

[tool.black]
line-length = 100
'''


def test_the_structure_of_a_file_is_found() -> None:
    document = Document(ORIGINAL)
    assert [(block.path, block.array) for block in document.blocks] == [
        ((), False),
        (("build-system",), False),
        (("project",), False),
        (("tool", "setuptools"), False),
        (("tool", "setuptools", "dynamic"), False),
        (("tool", "cibuildwheel", "overrides"), True),
        (("tool", "black"), False),
    ]
    project = next(block for block in document.blocks if block.path == ("project",))
    assert [a.path for a in document.assignments(project)] == [("name",), ("description",), ("dynamic",)]


def test_editing_keeps_every_other_line() -> None:
    document = Document(ORIGINAL)
    where = document.remove_table(("tool", "setuptools"))
    assert where is not None
    document.insert(where, dumps({"tool": {"ironwheel": {"wheel": {"packages": ["x"]}}}}))
    document.set_key(("build-system",), "requires", ["ironwheel"])
    document.set_key(("build-system",), "build-backend", "ironwheel")
    document.set_key(("project",), "version", "1.0")
    document.remove_key(("project",), "dynamic")
    assert document.text == (
        "# the project's own comment\n"
        "[build-system]\n"
        'requires = ["ironwheel"]\n'
        'build-backend = "ironwheel"\n'
        "\n"
        "[project]\n"
        'name = "x"  # the name\n'
        'description = """\n'
        "[not.a.table]\n"
        '"""\n'
        'version = "1.0"\n'
        "\n"
        "[tool.ironwheel]\n"
        'wheel = { packages = ["x"] }\n'
        "\n"
        "[[tool.cibuildwheel.overrides]]\n"
        'select = "*-musllinux*"\n'
        "\n"
        "[tool.black]\n"
        "line-length = 100\n"
    )


def test_removing_a_table_removes_dotted_keys_naming_it() -> None:
    document = Document('[tool]\nsetuptools.packages = ["x"]\nblack.line-length = 1\n')
    document.remove_table(("tool", "setuptools"))
    assert tomllib.loads(document.text) == {"tool": {"black": {"line-length": 1}}}
