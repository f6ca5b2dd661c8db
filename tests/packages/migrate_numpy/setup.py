import numpy
from setuptools import Extension, setup

setup(
    name="npsum",
    version="0.1.0",
    packages=["npsum"],
    ext_modules=[
        Extension(
            "npsum._sum",
            sources=["npsum/_sum.c"],
            include_dirs=[numpy.get_include()],
            define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")],
        )
    ],
    install_requires=["numpy"],
)
