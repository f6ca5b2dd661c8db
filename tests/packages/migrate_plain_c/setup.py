from setuptools import Extension, setup

with open("README.md") as handle:
    long_description = handle.read()

setup(
    name="plainc",
    version="1.2.0",
    description="Triples numbers, in C",
    long_description=long_description,
    long_description_content_type="text/markdown",
    author="Ann Author",
    author_email="ann@example.org",
    license="MIT",
    url="https://example.org/plainc",
    classifiers=[
        "License :: OSI Approved :: MIT License",
        "Programming Language :: C",
    ],
    packages=["plainc"],
    ext_modules=[
        Extension(
            "plainc._core",
            ["plainc/_core.c"],
            define_macros=[("PLAINC_FACTOR", "3"), ("PLAINC_FAST", None)],
            undef_macros=["NDEBUG"],
        )
    ],
    python_requires=">=3.9",
    zip_safe=False,
)
