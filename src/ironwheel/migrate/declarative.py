"""setuptools' declarative configuration: ``setup.cfg`` and ``[tool.setuptools]``, as setup() keywords.

Both are read into the keywords ``setup()`` would have received, so that
one conversion serves setup.py, setup.cfg and pyproject.toml alike.
``file:`` directives become file texts, ``attr:`` directives the constant
read statically from the module's file.
"""

from __future__ import annotations

import ast
import configparser
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ironwheel.migrate import values as v
from ironwheel.migrate.setuptools_names import find_packages

__all__ = ["read_setup_cfg", "read_tool_setuptools", "resolve_attr"]


def _file_text(root: Path, paths: list[str]) -> Any:
    texts: list[str] = []
    for path in paths:
        try:
            text = (root / path).read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n")
        except OSError:
            return v.Unknown(f"the file {path}, which does not exist")
        texts.append(v.FileText(text, path))
    if len(texts) == 1:
        return texts[0]
    parts: list[str] = []
    for index, text in enumerate(texts):
        parts += ["\n", text] if index else [text]
    return v.Composed(tuple(parts))


def resolve_attr(root: Path, dotted: str, package_dir: Mapping[str, str]) -> Any:
    """The string constant ``pkg.mod.NAME`` names, read from its file without importing it."""
    module, _, name = dotted.rpartition(".")
    parts = module.split(".") if module else []
    base = package_dir.get("", "")
    for length in range(len(parts), 0, -1):
        prefix = ".".join(parts[:length])
        if prefix in package_dir:
            base = package_dir[prefix]
            parts = parts[length:]
            break
    directory = root / base if base else root
    candidates = (
        [directory.joinpath(*parts, "__init__.py"), directory.joinpath(*parts[:-1], f"{parts[-1]}.py")]
        if parts
        else []
    )
    for candidate in candidates:
        if not candidate.is_file():
            continue
        try:
            tree = ast.parse(candidate.read_text(encoding="utf-8", errors="replace"))
        except SyntaxError:
            break
        relative = candidate.relative_to(root).as_posix()
        for node in tree.body:
            targets = (
                node.targets
                if isinstance(node, ast.Assign)
                else [node.target]
                if isinstance(node, ast.AnnAssign)
                else []
            )
            value = getattr(node, "value", None)
            for target in targets:
                named = isinstance(target, ast.Name) and target.id == name
                if named and isinstance(value, ast.Constant) and isinstance(value.value, str):
                    return v.FromModule(value.value, relative, name)
        return v.Unknown(f"{dotted} is not a string constant in {relative}")
    return v.Unknown(f"the module of {dotted} was not found")


def _list(text: str, separator: str = "\n") -> list[str]:
    items = text.split(separator) if separator == "\n" else text.replace("\n", separator).split(separator)
    return [item.strip() for item in items if item.strip() and not item.strip().startswith("#")]


def _separator(raw: str, single: str) -> str:
    """How setuptools splits a list option: by line when the value spans lines, even one
    continuation line (``install_requires =\n    a>=1,<2`` is one requirement), else by ``single``."""
    return "\n" if "\n" in raw else single


def _mapping(text: str) -> dict[str, str]:
    result: dict[str, str] = {}
    for line in _list(text):
        key, _, item = line.partition("=")
        result[key.strip()] = item.strip()
    return result


def _directive(root: Path, text: str, package_dir: Mapping[str, str]) -> Any:
    stripped = text.strip()
    if stripped.startswith("file:"):
        return _file_text(root, [p.strip() for p in stripped[5:].split(",") if p.strip()])
    if stripped.startswith("attr:"):
        return resolve_attr(root, stripped[5:].strip(), package_dir)
    return text


def _boolean(text: str) -> bool:
    return text.strip().lower() in ("1", "true", "yes", "on")


def read_setup_cfg(root: Path) -> dict[str, Any]:
    """setup.cfg's [metadata] and [options*] sections as setup() keywords."""
    path = root / "setup.cfg"
    if not path.is_file():
        return {}
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    try:
        parser.read_string(path.read_text(encoding="utf-8", errors="replace"))
    except configparser.Error as error:
        return {"__error__": f"setup.cfg does not parse: {error}"}
    result: dict[str, Any] = {}
    options = dict(parser["options"]) if parser.has_section("options") else {}
    package_dir: dict[str, str] = {}
    if "package_dir" in options:
        text = options["package_dir"].strip()
        package_dir = {"": text[1:].strip()} if text.startswith("=") else _mapping(text)
        result["package_dir"] = package_dir
    if parser.has_section("metadata"):
        for raw_key, raw in parser["metadata"].items():
            key = raw_key.replace("-", "_")
            if key in (
                "classifiers",
                "keywords",
                "platforms",
                "license_files",
                "license_file",
                "provides",
                "obsoletes",
                "requires",
            ):
                item: Any = (
                    _directive(root, raw, package_dir)
                    if raw.strip().startswith("file:")
                    else _list(raw, "\n" if key == "classifiers" else _separator(raw, ","))
                )
                if key == "license_file":
                    key = "license_files"
            elif key == "project_urls":
                item = _mapping(raw)
            elif key in ("home_page", "home-page"):
                key, item = "url", raw.strip()
            elif key == "summary":
                key, item = "description", raw.strip()
            else:
                item = _directive(root, raw, package_dir)
                item = item.strip() if type(item) is str else item
            result[key] = item
    for raw_key, raw in options.items():
        key = raw_key.replace("-", "_")
        if key == "package_dir":
            continue
        if key == "packages":
            text = raw.strip()
            if text.startswith(("find:", "find_namespace:")):
                where = parser.get("options.packages.find", "where", fallback=".").strip() or "."
                include = _list(parser.get("options.packages.find", "include", fallback="")) or ["*"]
                exclude = _list(parser.get("options.packages.find", "exclude", fallback=""))
                result[key] = find_packages(
                    root, where, include, exclude, namespaces=text.startswith("find_namespace")
                )
            else:
                result[key] = _list(raw, _separator(raw, ","))
        elif key in (
            "install_requires",
            "setup_requires",
            "tests_require",
            "py_modules",
            "scripts",
            "namespace_packages",
            "dependency_links",
        ):
            result[key] = (
                _directive(root, raw, package_dir)
                if raw.strip().startswith("file:")
                else _list(raw, _separator(raw, ";" if key.endswith(("_requires", "_require")) else ","))
            )
        elif key in ("zip_safe", "include_package_data"):
            result[key] = _boolean(raw)
        else:
            result[key] = raw.strip()
    for section, key in (
        ("options.extras_require", "extras_require"),
        ("options.package_data", "package_data"),
        ("options.exclude_package_data", "exclude_package_data"),
    ):
        if parser.has_section(section):
            table = {
                name: _list(raw, _separator(raw, ";" if key == "extras_require" else ","))
                for name, raw in parser[section].items()
            }
            if key == "package_data" and "*" in table:
                table[""] = table.pop("*")
            result[key] = table
    if parser.has_section("options.entry_points"):
        result["entry_points"] = {group: _list(raw) for group, raw in parser["options.entry_points"].items()}
    if parser.has_section("options.data_files"):
        result["data_files"] = [
            (target, _list(raw, _separator(raw, ","))) for target, raw in parser["options.data_files"].items()
        ]
    for command in ("bdist_wheel", "build_ext", "egg_info", "sdist"):
        if parser.has_section(command):
            result.setdefault("options", {})[command] = dict(parser[command])
    result["__sections__"] = [
        s
        for s in parser.sections()
        if not s.startswith(("metadata", "options"))
        and s not in ("bdist_wheel", "build_ext", "egg_info", "sdist", "aliases")
    ]
    return result


_EXTENSION_KEYS = {
    key.replace("_", "-"): key
    for key in (
        "name",
        "sources",
        "include_dirs",
        "define_macros",
        "undef_macros",
        "library_dirs",
        "libraries",
        "runtime_library_dirs",
        "extra_objects",
        "extra_compile_args",
        "extra_link_args",
        "export_symbols",
        "swig_opts",
        "depends",
        "language",
        "optional",
        "py_limited_api",
    )
}


def read_tool_setuptools(root: Path, pyproject: Mapping[str, Any]) -> dict[str, Any]:
    """``[tool.setuptools]`` and its ``dynamic`` table as setup() keywords."""
    tool = pyproject.get("tool", {}).get("setuptools")
    project = pyproject.get("project") or {}
    result: dict[str, Any] = {}
    if (
        isinstance(project, dict)
        and project
        and pyproject.get("build-system", {}).get("build-backend", "").startswith("setuptools")
    ):
        result["include_package_data"] = True  # setuptools' default with a [project] table
    if not isinstance(tool, dict):
        return result
    package_dir = dict(tool.get("package-dir") or {})
    if package_dir:
        result["package_dir"] = package_dir
    packages = tool.get("packages")
    if isinstance(packages, dict) and "find" in packages:
        find = packages["find"] or {}
        found: list[str] = []
        for where in find.get("where", ["."]):
            found += find_packages(
                root,
                where,
                find.get("include", ["*"]),
                find.get("exclude", []),
                namespaces=find.get("namespaces", True),
            )
        result["packages"] = found
        if find.get("where", ["."]) != ["."] and "" not in package_dir and len(find.get("where", [])) == 1:
            result.setdefault("package_dir", {})[""] = find["where"][0]
    elif isinstance(packages, list):
        result["packages"] = packages
    for key in (
        "py-modules",
        "package-data",
        "exclude-package-data",
        "include-package-data",
        "zip-safe",
        "data-files",
        "script-files",
        "platforms",
        "license-files",
        "namespace-packages",
        "cmdclass",
        "provides",
        "obsoletes",
    ):
        if key in tool:
            result[key.replace("-", "_")] = tool[key]
    if "package_data" in result and "*" in result["package_data"]:
        result["package_data"] = {("" if k == "*" else k): val for k, val in result["package_data"].items()}
    extensions = []
    for index, table in enumerate(tool.get("ext-modules") or []):
        arguments = {_EXTENSION_KEYS.get(k, k.replace("-", "_")): val for k, val in table.items()}
        if isinstance(arguments.get("define_macros"), list):
            arguments["define_macros"] = [tuple(pair) for pair in arguments["define_macros"]]
        extensions.append(v.ExtensionCall("setuptools", arguments, index))
    if extensions:
        result["ext_modules"] = extensions
    dynamic = tool.get("dynamic") or {}
    for field, spec in dynamic.items():
        if not isinstance(spec, dict):
            continue
        if field == "optional-dependencies":
            result["extras_require"] = {
                extra: _file_text(root, _paths(item.get("file")))
                for extra, item in spec.items()
                if isinstance(item, dict)
            }
            continue
        if "file" in spec:
            item = _file_text(root, _paths(spec["file"]))
        elif "attr" in spec:
            item = resolve_attr(root, str(spec["attr"]), package_dir)
        else:
            continue
        key = {
            "readme": "long_description",
            "dependencies": "install_requires",
            "entry-points": "entry_points",
        }.get(field, field.replace("-", "_"))
        result[key] = item
        if field == "readme" and "content-type" in spec:
            result["long_description_content_type"] = spec["content-type"]
    return result


def _paths(item: Any) -> list[str]:
    if isinstance(item, str):
        return [item]
    return [str(p) for p in item or []]
