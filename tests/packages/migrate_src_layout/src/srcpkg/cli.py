import json
from importlib import resources

from srcpkg import double


def load():
    return json.loads(resources.files("srcpkg").joinpath("data/colours.json").read_text())


def main():
    print("hello", double(21), load()["sky"])
