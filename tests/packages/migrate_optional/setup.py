import os

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext
from distutils.errors import CCompilerError, DistutilsExecError, DistutilsPlatformError


class BuildFailed(Exception):
    pass


class ve_build_ext(build_ext):
    """Build the C speedups; fall back to pure Python when that fails."""

    def run(self):
        try:
            build_ext.run(self)
        except DistutilsPlatformError:
            raise BuildFailed()

    def build_extension(self, ext):
        try:
            build_ext.build_extension(self, ext)
        except (CCompilerError, DistutilsExecError, DistutilsPlatformError):
            raise BuildFailed()


def run_setup(with_binary):
    setup(
        name="speedy",
        version="2.0.0",
        packages=["speedy"],
        cmdclass={"build_ext": ve_build_ext},
        ext_modules=[Extension("speedy._speedups", ["speedy/_speedups.c"])] if with_binary else [],
    )


if os.environ.get("SPEEDY_NO_EXTENSIONS"):
    run_setup(False)
else:
    try:
        run_setup(True)
    except BuildFailed:
        print("the C speedups could not be built; using pure Python")
        run_setup(False)
