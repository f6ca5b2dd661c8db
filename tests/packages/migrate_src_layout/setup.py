from setuptools import Extension, find_packages, setup

setup(
    name="srcpkg",
    version="0.5.0",
    package_dir={"": "src"},
    packages=find_packages("src", exclude=["tests", "tests.*"]),
    include_package_data=True,
    package_data={"srcpkg": ["py.typed"]},
    ext_modules=[Extension("srcpkg._fast", ["src/srcpkg/_fast.c"])],
    entry_points={
        "console_scripts": ["srcpkg-hello = srcpkg.cli:main"],
        "srcpkg.plugins": ["json = srcpkg.cli:load"],
    },
)
