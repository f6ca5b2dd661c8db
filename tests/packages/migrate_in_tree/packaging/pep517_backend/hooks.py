"""PEP 517 hooks: setuptools.build_meta, with Cython run first and requested on the fly."""

import os
import sys

from setuptools import build_meta as _setuptools
from setuptools.build_meta import *  # noqa: F401,F403

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

PURE_PYTHON_ENV_VAR = "INTREE_NO_EXTENSIONS"


def _cythonize():
    if os.environ.get(PURE_PYTHON_ENV_VAR):
        return
    from Cython.Build import cythonize

    with open("pyproject.toml", "rb") as handle:
        config = tomllib.load(handle)["tool"]["local"]["cythonize"]
    directives = config.get("kwargs", {}).get("directive", {})
    cythonize(config["src"], compiler_directives=directives, language_level=3)


def get_requires_for_build_wheel(config_settings=None):
    return [*_setuptools.get_requires_for_build_wheel(config_settings), "Cython >= 3.0"]


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    _cythonize()
    return _setuptools.build_wheel(wheel_directory, config_settings, metadata_directory)
