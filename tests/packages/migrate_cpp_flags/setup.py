import platform
import sys

from pybind11.setup_helpers import Pybind11Extension, build_ext
from setuptools import setup

if sys.platform == "win32":
    compile_args = ["/utf-8"]
    libraries = []
else:
    compile_args = ["-fno-math-errno"]
    libraries = ["m"]

if platform.system() == "Darwin":
    compile_args.append("-mmacosx-version-min=10.14")

macros = [("CPPFLAGS_PLATFORM", '"%s"' % sys.platform)]

setup(
    name="cppflags",
    version="0.3.0",
    description="Distances, in C++17 with pybind11",
    packages=["cppflags"],
    ext_modules=[
        Pybind11Extension(
            "cppflags._geometry",
            ["cppflags/geometry.cpp"],
            cxx_std=17,
            extra_compile_args=compile_args,
            libraries=libraries,
            define_macros=macros,
        )
    ],
    cmdclass={"build_ext": build_ext},
    install_requires=["importlib-metadata; python_version < '3.10'"],
)
