"""The stand-in setuptools, distutils, Cython, numpy, pybind11 and setuptools_scm of the recorder.

``setup()`` records its keywords, ``Extension`` keeps its arguments,
``cythonize`` its options, ``numpy.get_include()`` returns a marker;
commands are classes to subclass that never run. Standard library only
(see :mod:`ironwheel.migrate._record`).
"""

from __future__ import annotations

import os
import runpy
import shutil
import sys
import sysconfig
from collections.abc import Iterator, Sequence
from typing import Any

__all__ = ["CALLS", "NOTES", "ROOTS", "Anything", "Command", "Extension", "contents"]

NUMPY_INCLUDE = "__ironwheel_numpy_include__"
PYBIND11_INCLUDE = "__ironwheel_pybind11_include__"
VCS_VERSION = "__ironwheel_vcs_version__"
ROOTS = (
    "setuptools",
    "distutils",
    "Cython",
    "numpy",
    "pybind11",
    "setuptools_scm",
    "wheel",
    "pkg_resources",
)

CALLS: list[dict[str, Any]] = []
NOTES: list[str] = []


class Anything:
    """Whatever a setup.py asks of a stand-in module that the recorder does not model."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.__dict__["_args"] = (args, kwargs)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return Anything()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return Anything()

    def __iter__(self) -> Iterator[Any]:
        return iter(())

    def __bool__(self) -> bool:
        return False

    def __mro_entries__(self, bases: tuple[Any, ...]) -> tuple[type, ...]:
        return (Command,)


class Command:
    """Every command class (build_ext, sdist, ...): subclassable, never run."""

    user_options: list[Any] = []  # noqa: RUF012 - as distutils declares it
    compiler: Any = None
    extensions: Any = None
    boolean_options: list[str] = []  # noqa: RUF012

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.distribution = args[0] if args else None

    def __getattr__(self, name: str) -> Any:
        return Anything()

    def initialize_options(self) -> None:
        return None

    def finalize_options(self) -> None:
        return None

    def run(self) -> None:
        return None


class Compiler:
    """What new_compiler() returns: the platform's compiler type; its probes find nothing."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.compiler_type = "msvc" if os.name == "nt" else "unix"
        # The command lines distutils' unix compiler would use, from this Python's build.
        for attribute, variable in (
            ("compiler", "CC"),
            ("compiler_so", "CC"),
            ("compiler_cxx", "CXX"),
            ("linker_so", "LDSHARED"),
        ):
            setattr(self, attribute, str(sysconfig.get_config_var(variable) or variable.lower()).split())

    def has_function(self, *args: Any, **kwargs: Any) -> bool:
        return False

    def __getattr__(self, name: str) -> Any:
        return Anything()


class Distribution:
    """setuptools' Distribution: its commands are never run, but they have a compiler."""

    def __init__(self, attrs: Any = None) -> None:
        self.attrs = attrs

    def get_command_obj(self, command: str, create: bool = True) -> Command:
        made = Command(self)
        made.compiler = Compiler()
        made.extensions = []
        return made

    def __getattr__(self, name: str) -> Any:
        return Anything()


class Extension:
    """setuptools/distutils ``Extension``: keeps every argument as an attribute."""

    _kind = "setuptools"

    def __init__(self, name: Any = None, sources: Any = None, *args: Any, **kwargs: Any) -> None:
        self.name = name
        self.sources = list(sources or [])
        for attribute in (
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
        ):
            setattr(self, attribute, list(kwargs.pop(attribute, None) or []))
        for key, item in kwargs.items():
            setattr(self, key, item)
        self._cython: dict[str, Any] = {}
        self._cythonized = False


class Pybind11Extension(Extension):
    _kind = "pybind11"


class NumpyExtension(Extension):
    _kind = "numpy"


class CythonExtension(Extension):
    _kind = "cython"


def setup(**kwargs: Any) -> Any:
    configuration = kwargs.pop("configuration", None)
    if callable(configuration):
        made = configuration()
        kwargs = {**(made.todict() if hasattr(made, "todict") else dict(made)), **kwargs}
    CALLS.append(kwargs)
    return Anything()


def _module_name(source: str) -> str:
    from ironwheel.migrate.setuptools_names import cython_module_name

    return cython_module_name(os.getcwd(), source)


def cythonize(module_list: Any, *args: Any, **options: Any) -> list[Extension]:
    import glob

    items = module_list if isinstance(module_list, (list, tuple)) else [module_list]
    excluded = {
        path for pattern in options.get("exclude") or [] for path in glob.glob(pattern, recursive=True)
    }
    result: list[Extension] = []
    for item in items:
        if isinstance(item, str):
            for path in sorted(glob.glob(item, recursive=True)) if "*" in item else [item]:
                if path not in excluded:
                    result.append(CythonExtension(_module_name(path), [path]))
        elif isinstance(item, Extension) and "*" in str(item.name) and item.sources:
            for path in sorted(glob.glob(item.sources[0], recursive=True)):
                if path not in excluded:
                    copy = type(item).__new__(type(item))
                    copy.__dict__.update(item.__dict__)
                    copy.name = _module_name(path)
                    copy.sources = [path, *item.sources[1:]]
                    result.append(copy)
        elif isinstance(item, Extension):
            result.append(item)
    for extension in result:
        extension._cythonized = True
        extension._cython = dict(options)
    return result


class Configuration:
    """numpy.distutils' Configuration, enough to collect extensions and packages."""

    def __init__(
        self,
        package_name: str | None = None,
        parent_name: str | None = None,
        top_path: str | None = None,
        package_path: str | None = None,
        caller_level: int = 1,
        **attrs: Any,
    ) -> None:
        del caller_level
        caller = sys._getframe(1).f_globals.get("__file__", os.path.join(os.getcwd(), "setup.py"))
        self.local_path = os.path.dirname(os.path.abspath(caller))
        self.name = ".".join(part for part in (parent_name, package_name) if part)
        self.top_path = top_path or self.local_path
        self.packages: list[str] = [self.name] if package_name else []
        self.package_dir: dict[str, str] = {}
        if package_name:
            self.package_dir[self.name] = os.path.relpath(package_path or self.local_path, os.getcwd())
        self.ext_modules: list[Extension] = []
        self.data_files: list[Any] = []
        self.package_data: dict[str, list[str]] = {}
        self.info: dict[str, Any] = dict(attrs)

    def _path(self, path: str) -> str:
        return os.path.relpath(os.path.join(self.local_path, path), os.getcwd())

    def add_extension(self, name: str, sources: Sequence[Any] = (), **kwargs: Any) -> Extension:
        full = f"{self.name}.{name}" if self.name else name
        paths = [self._path(s) if isinstance(s, str) else s for s in sources]
        for key in ("include_dirs", "depends", "library_dirs"):
            if key in kwargs:
                kwargs[key] = [
                    self._path(s) if isinstance(s, str) and not os.path.isabs(s) and s != NUMPY_INCLUDE else s
                    for s in kwargs[key]
                ]
        extension = NumpyExtension(full, paths, **kwargs)
        self.ext_modules.append(extension)
        return extension

    def add_subpackage(self, name: str, subpackage_path: str | None = None, standalone: bool = False) -> None:
        del standalone
        directory = os.path.join(self.local_path, subpackage_path or name.replace(".", os.sep))
        script = os.path.join(directory, "setup.py")
        if os.path.isfile(script):
            namespace = runpy.run_path(script, run_name="__ironwheel_subpackage__")
            made = namespace["configuration"](self.name, self.top_path)
            sub = made if isinstance(made, Configuration) else None
        else:
            sub = Configuration(name, self.name, self.top_path, package_path=directory)
        if sub is not None:
            self.packages += [p for p in sub.packages if p not in self.packages]
            self.package_dir.update(sub.package_dir)
            self.ext_modules += sub.ext_modules
            self.data_files += sub.data_files
            for key, items in sub.package_data.items():
                self.package_data.setdefault(key, []).extend(items)

    def add_data_files(self, *files: Any) -> None:
        self.data_files += list(files)

    def add_data_dir(self, data_path: Any) -> None:
        self.package_data.setdefault(self.name, []).append(f"{data_path}/*")

    def get_version(self, *args: Any, **kwargs: Any) -> None:
        return None

    def todict(self) -> dict[str, Any]:
        result: dict[str, Any] = {"name": self.name, **self.info}
        if self.packages:
            result["packages"] = self.packages
            result["package_dir"] = self.package_dir
        if self.ext_modules:
            result["ext_modules"] = self.ext_modules
        if self.package_data:
            result["package_data"] = self.package_data
        if self.data_files:
            result["data_files"] = self.data_files
        return result

    def __getattr__(self, name: str) -> Any:
        return Anything()


def _get_info(name: str, notfound_action: int = 0) -> dict[str, Any]:
    NOTES.append(f"numpy.distutils system_info {name}")
    return {}


def _find_packages(
    where: str = ".", exclude: Sequence[str] = (), include: Sequence[str] = ("*",)
) -> list[str]:
    from ironwheel.migrate.setuptools_names import find_packages

    return find_packages(os.getcwd(), where, include, exclude)


def _find_namespace_packages(
    where: str = ".", exclude: Sequence[str] = (), include: Sequence[str] = ("*",)
) -> list[str]:
    from ironwheel.migrate.setuptools_names import find_packages

    return find_packages(os.getcwd(), where, include, exclude, namespaces=True)


class _Version:
    def __init__(self, text: str = "0") -> None:
        self.text = str(text)
        self.version = tuple(int(p) if p.isdigit() else 0 for p in self.text.replace("-", ".").split("."))

    def _other(self, other: Any) -> tuple[int, ...]:
        return other.version if isinstance(other, _Version) else _Version(str(other)).version

    def __lt__(self, other: Any) -> bool:
        return self.version < self._other(other)

    def __le__(self, other: Any) -> bool:
        return self.version <= self._other(other)

    def __gt__(self, other: Any) -> bool:
        return self.version > self._other(other)

    def __ge__(self, other: Any) -> bool:
        return self.version >= self._other(other)

    def __eq__(self, other: object) -> bool:
        return self.version == self._other(other)

    def __hash__(self) -> int:
        return hash(self.version)


_ERRORS = (
    "DistutilsError",
    "CCompilerError",
    "CompileError",
    "LinkError",
    "DistutilsExecError",
    "DistutilsPlatformError",
    "DistutilsSetupError",
    "DistutilsOptionError",
    "DistutilsFileError",
    "DistutilsArgError",
    "DistutilsModuleError",
    "PreprocessError",
    "LibError",
    "UnknownFileError",
    "DistutilsTemplateError",
    "DistutilsInternalError",
)


def contents(name: str) -> dict[str, Any]:
    """What a stand-in module holds beyond Anything."""
    errors = {error: type(error, (Exception,), {}) for error in _ERRORS}
    common: dict[str, Any] = {
        "setup": setup,
        "Extension": Extension,
        "Command": Command,
        "Distribution": Distribution,
        "new_compiler": Compiler,
        "find_packages": _find_packages,
        "find_namespace_packages": _find_namespace_packages,
        "build_ext": Command,
        "build_py": Command,
        "sdist": Command,
        "install": Command,
        "develop": Command,
        "egg_info": Command,
        "bdist_wheel": Command,
        "build": Command,
        "build_clib": Command,
        "clean": Command,
        "test": Command,
        "install_lib": Command,
        "bdist_egg": Command,
        "build_src": Command,
    }
    specific: dict[str, dict[str, Any]] = {
        "setuptools": {"__version__": "80.0.0"},
        "distutils.errors": errors,
        "setuptools.errors": {
            **errors,
            "CompileError": errors["CompileError"],
            "PlatformError": errors["DistutilsPlatformError"],
            "ExecError": errors["DistutilsExecError"],
        },
        "distutils.sysconfig": {
            "get_config_var": sysconfig.get_config_var,
            "get_config_vars": sysconfig.get_config_vars,
            "get_python_inc": lambda *a, **k: sysconfig.get_paths()["include"],
            "customize_compiler": lambda *a, **k: None,
        },
        "distutils.spawn": {"find_executable": shutil.which, "spawn": lambda *a, **k: None},
        "distutils.util": {
            "get_platform": sysconfig.get_platform,
            "strtobool": lambda s: str(s).lower() in ("1", "y", "yes", "t", "true", "on"),
        },
        "distutils.version": {"LooseVersion": _Version, "StrictVersion": _Version},
        "distutils.ccompiler": {
            "new_compiler": Compiler,
            "CCompiler": Command,
            "get_default_compiler": lambda *a: Compiler().compiler_type,
        },
        "Cython": {"__version__": "3.1.0"},
        "Cython.Build": {"cythonize": cythonize, "build_ext": Command},
        "Cython.Build.Dependencies": {"cythonize": cythonize},
        "Cython.Distutils": {"build_ext": Command, "Extension": CythonExtension},
        "Cython.Distutils.extension": {"Extension": CythonExtension},
        "numpy": {
            "get_include": lambda: NUMPY_INCLUDE,
            "get_numpy_include": lambda: NUMPY_INCLUDE,
            "__version__": "2.1.0",
        },
        "numpy.distutils.core": {"setup": setup, "Extension": NumpyExtension},
        "numpy.distutils.extension": {"Extension": NumpyExtension},
        "numpy.distutils.misc_util": {
            "Configuration": Configuration,
            "get_numpy_include_dirs": lambda: [NUMPY_INCLUDE],
        },
        "numpy.distutils.system_info": {"get_info": _get_info},
        "pybind11": {"get_include": lambda *a, **k: PYBIND11_INCLUDE, "__version__": "2.13.0"},
        "pybind11.setup_helpers": {
            "Pybind11Extension": Pybind11Extension,
            "build_ext": Command,
            "intree_extensions": lambda paths, package_dir=None: [
                Pybind11Extension(_module_name(p), [p]) for p in paths
            ],
            "ParallelCompile": Anything,
            "naive_recompile": None,
            "has_flag": lambda *a: False,
        },
        "setuptools_scm": {"get_version": lambda *a, **k: VCS_VERSION},
    }
    result = (
        dict(common)
        if name.split(".", maxsplit=1)[0] in ("setuptools", "distutils") or name.startswith("numpy.distutils")
        else {}
    )
    result.update(specific.get(name, {}))
    if name in ("setuptools", "distutils.core"):
        result.update({"Extension": Extension})
    return result
