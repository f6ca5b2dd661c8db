import os
import re

from setuptools import Extension, setup

HERE = os.path.abspath(os.path.dirname(__file__))


def read_version():
    with open(os.path.join(HERE, "vfile", "__init__.py"), encoding="utf-8") as handle:
        return re.search(r"^__version__ = ['\"]([^'\"]+)['\"]", handle.read(), re.M).group(1)


setup(
    name="vfile",
    version=read_version(),
    packages=["vfile"],
    ext_modules=[Extension("vfile._impl", [os.path.join("vfile", "_impl.c")])],
)
