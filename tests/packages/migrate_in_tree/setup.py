import os

from setuptools import Extension, setup

NO_EXTENSIONS = bool(os.environ.get("INTREE_NO_EXTENSIONS"))

extensions = [Extension("intree._helpers_c", ["intree/_helpers_c.c"])]

setup(ext_modules=[] if NO_EXTENSIONS else extensions)
