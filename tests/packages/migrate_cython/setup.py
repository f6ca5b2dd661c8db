from Cython.Build import cythonize
from setuptools import setup

setup(
    name="cyprimes",
    version="0.2.0",
    packages=["cyprimes"],
    package_data={"cyprimes": ["*.pxd"]},
    ext_modules=cythonize(
        ["cyprimes/*.pyx"],
        compiler_directives={"boundscheck": False, "wraparound": False},
        language_level=3,
    ),
)
