# Shaped like kiwisolver's: cppy's headers and cppy's build_ext, and a CMakeLists.txt of the
# C++ library that this build never runs.
from cppy import CppyBuildExt, get_include
from setuptools import Extension, setup

setup(
    name="cppypair",
    version="1.0",
    packages=["cppypair"],
    ext_modules=[
        Extension("cppypair._pair", ["cppypair/_pair.cpp"], include_dirs=[get_include()], language="c++"),
        Extension("cppypair._plain", ["cppypair/_plain.c"]),
    ],
    cmdclass={"build_ext": CppyBuildExt},
)
