from setuptools import Extension, setup


def read(*names):
    return "\n\n".join(open(name, encoding="utf-8").read() for name in names)


with open("requirements.txt") as handle:
    requirements = [line.strip() for line in handle.read().splitlines() if line.strip() and not line.startswith("#")]

setup(
    name="scmpkg",
    use_scm_version={"write_to": "scmpkg/_version.py"},
    setup_requires=["setuptools_scm"],
    description="Versioned by git tags",
    long_description=read("README.rst", "CHANGES.rst"),
    long_description_content_type="text/x-rst",
    packages=["scmpkg"],
    install_requires=requirements,
    extras_require={"test": ["pytest>=7"], "fast:sys_platform != 'win32'": ["uvloop"]},
    ext_modules=[Extension("scmpkg._native", ["scmpkg/_native.c"])],
)
