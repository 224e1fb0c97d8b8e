"""Finding plugins: the plugins directory and the ``appconnect.plugins`` entry-point group.

Every ``*.py`` file and every package (a directory with ``__init__.py``) in the plugins
directory is imported, in name order; names starting with ``_`` or ``.`` are skipped, so a
plugin file can keep helpers in ``_helpers.py`` or a package. Installed distributions add
plugins through the entry-point group ``appconnect.plugins`` (the entry point names a module
or a decorated function).

A file that fails to import, or a declaration that fails validation, is a *problem*: logged
at WARNING with the file and the error and skipped, or, with ``APPCONNECT_PLUGINS_STRICT=1``,
a ``ConfigurationError`` at start-up naming the file. Two plugins with one name: the second
is refused.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import sys
import traceback
from collections.abc import Iterable, Iterator
from importlib import metadata
from pathlib import Path
from types import ModuleType
from typing import Any

import msgspec

from composer.pipeline._contract import DECLARATION_ATTRIBUTE, Declaration, PluginSpec, validate
from composer.pipeline.exceptions import PluginDefinitionError
from composer.pipeline.runner import Problem
from composer.settings import ConfigurationError, Settings

__all__ = ["ENTRY_POINT_GROUP", "Discovery", "discover", "discover_plugins", "specs_from_module"]

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "appconnect.plugins"
_MODULE_PREFIX = "appconnect_plugin"


class Discovery(msgspec.Struct, kw_only=True, frozen=True):
    plugins: tuple[PluginSpec, ...] = ()
    problems: tuple[Problem, ...] = ()
    directory: str = ""


def _declarations(module: ModuleType) -> Iterator[Declaration]:
    seen: set[int] = set()
    prefix = module.__name__
    for value in list(vars(module).values()):
        declaration = getattr(value, DECLARATION_ATTRIBUTE, None)
        if not isinstance(declaration, Declaration) or id(declaration) in seen:
            continue
        owner = getattr(declaration.fn, "__module__", "") or ""
        if owner != prefix and not owner.startswith(prefix + "."):
            continue  # imported from elsewhere (e.g. another plugin file): not this module's plugin
        seen.add(id(declaration))
        yield declaration


def specs_from_module(module: ModuleType, *, source: str) -> tuple[list[PluginSpec], list[Problem]]:
    """Validate every plugin declared in ``module``."""
    specs: list[PluginSpec] = []
    problems: list[Problem] = []
    for declaration in _declarations(module):
        try:
            specs.append(validate(declaration, source=source))
        except PluginDefinitionError as exc:
            problems.append(Problem(source=source, message=str(exc)))
    return specs, problems


def _import_error(path: Path, exc: BaseException) -> Problem:
    source = str(path)
    where = ""
    if isinstance(exc, SyntaxError) and exc.lineno:
        where = f" (line {exc.lineno})"
    else:
        target = path.resolve()
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            frame_path = Path(frame.filename).resolve()
            if frame_path == target or target in frame_path.parents:
                where = f" (line {frame.lineno})"
                break
    return Problem(
        source=source,
        message=f"{source}: import failed{where}: {type(exc).__name__}: {exc}. "
        "Fix: correct the error, or rename the file with a leading '_' to disable it",
    )


def _load_file(path: Path) -> ModuleType:
    is_package = path.is_dir()
    digest = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:10]
    name = f"{_MODULE_PREFIX}_{path.stem}_{digest}"
    location = path / "__init__.py" if is_package else path
    spec = importlib.util.spec_from_file_location(
        name, location, submodule_search_locations=[str(path)] if is_package else None
    )
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    # Registered before running so dataclasses/msgspec can resolve the module's annotations.
    for stale in [key for key in sys.modules if key == name or key.startswith(name + ".")]:
        del sys.modules[stale]
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


def _plugin_paths(directory: Path) -> list[Path]:
    if not directory.is_dir():
        return []
    found = []
    for entry in sorted(directory.iterdir(), key=lambda p: p.name):
        if entry.name.startswith(("_", ".")):
            continue
        if (entry.is_file() and entry.suffix == ".py") or (entry.is_dir() and (entry / "__init__.py").is_file()):
            found.append(entry)
    return found


def _from_directory(directory: Path) -> tuple[list[PluginSpec], list[Problem]]:
    specs: list[PluginSpec] = []
    problems: list[Problem] = []
    for path in _plugin_paths(directory):
        source = str(path)
        try:
            module = _load_file(path)
        except Exception as exc:
            problems.append(_import_error(path, exc))
            continue
        found, bad = specs_from_module(module, source=source)
        specs.extend(found)
        problems.extend(bad)
        if not found and not bad:
            log.info("plugin.file_without_plugins file=%s", source)
    return specs, problems


def _from_entry_points(entry_points: Iterable[Any]) -> tuple[list[PluginSpec], list[Problem]]:
    specs: list[PluginSpec] = []
    problems: list[Problem] = []
    for entry_point in entry_points:
        source = f"entry point {entry_point.name} ({entry_point.value})"
        try:
            loaded = entry_point.load()
        except Exception as exc:
            problems.append(Problem(source=source, message=f"{source}: import failed: {type(exc).__name__}: {exc}"))
            continue
        declaration = getattr(loaded, DECLARATION_ATTRIBUTE, None)
        if isinstance(declaration, Declaration):
            try:
                specs.append(validate(declaration, source=source))
            except PluginDefinitionError as exc:
                problems.append(Problem(source=source, message=str(exc)))
        elif isinstance(loaded, ModuleType):
            found, bad = specs_from_module(loaded, source=source)
            specs.extend(found)
            problems.extend(bad)
        else:
            problems.append(
                Problem(source=source, message=f"{source}: names neither a module nor an @plugin function. "
                        "Fix: point the entry point at the plugin module")
            )
    return specs, problems


def discover(directory: Path, *, entry_points: Iterable[Any] | None = None) -> Discovery:
    """Import and validate every plugin; problems are returned, never raised."""
    specs, problems = _from_directory(directory)
    group = metadata.entry_points(group=ENTRY_POINT_GROUP) if entry_points is None else entry_points
    more, more_problems = _from_entry_points(group)
    specs.extend(more)
    problems.extend(more_problems)
    unique: dict[str, PluginSpec] = {}
    for spec in specs:
        first = unique.get(spec.name)
        if first is not None:
            problems.append(Problem(
                source=spec.source,
                message=f"{spec.source}: plugin {spec.name!r}: the name is already used by {first.source}. "
                "Fix: give one of them another name=",
            ))
            continue
        unique[spec.name] = spec
    ordered = tuple(sorted(unique.values(), key=lambda p: p.sort_key))
    return Discovery(plugins=ordered, problems=tuple(problems), directory=str(directory))


def discover_plugins(settings: Settings, *, entry_points: Iterable[Any] | None = None) -> Discovery:
    """Discovery as configured; logs each problem, or raises ``ConfigurationError`` when strict."""
    found = discover(settings.plugins_dir, entry_points=entry_points)
    if found.problems and settings.plugins_strict:
        details = "; ".join(problem.message for problem in found.problems)
        raise ConfigurationError(f"APPCONNECT_PLUGINS_STRICT=1 and a plugin could not be loaded: {details}")
    for problem in found.problems:
        log.warning("plugin.load_failed file=%s error=%s", problem.source, problem.message)
    log.info("plugin.discovered count=%d dir=%s", len(found.plugins), found.directory)
    return found
