# A setup.py whose build_ext subclass adds the sources and include directory of a bundled
# library, chooses flags by the compiler's type, and which builds a helper with build_clib.
import os

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = os.path.dirname(os.path.abspath(__file__))
FLAGS = {"msvc": ["/DBUNDLED_FLAG=2"], "unix": ["-DBUNDLED_FLAG=7", "-Ivendor/inc"]}


class BuildExt(build_ext):
    user_options = build_ext.user_options + [("use-system-tally", None, "link the system's libtally")]

    def initialize_options(self):
        super().initialize_options()
        self.use_system_tally = False

    def build_extensions(self):
        (core,) = self.distribution.ext_modules
        if self.use_system_tally:
            core.libraries.append("tally")
        else:
            core.sources.append("vendor/tally.c")
            core.include_dirs.append(os.path.join(HERE, "vendor"))
        for extension in self.extensions:
            extension.extra_compile_args = FLAGS.get(self.compiler.compiler_type, FLAGS["unix"])
        build_ext.build_extensions(self)


setup(
    name="bundled",
    version="0.3.0",
    packages=["bundled"],
    libraries=[("twice", {"sources": ["vendor/clib/twice.c"], "macros": [("TWICE_FACTOR", "2")]})],
    ext_modules=[Extension("bundled._core", ["bundled/_core_src/core.c"])],
    cmdclass={"build_ext": BuildExt},
)
