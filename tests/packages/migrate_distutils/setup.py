import sys

try:
    from setuptools import setup, Extension
except ImportError:
    from distutils.core import setup
    from distutils.extension import Extension

if sys.version_info[0] >= 3:
    package_dir = {"": "python3"}
else:
    package_dir = {"": "python2"}

setup(
    name="oldpkg",
    version="0.9.1",
    package_dir=package_dir,
    packages=["oldpkg"],
    ext_modules=[Extension("oldpkg._legacy", ["src/legacy.c"], depends=["src/legacy.h"])],
)
