"""Discovery: plugin files, packages, entry points; import failures strict and not."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from composer.pipeline.discovery import discover, discover_plugins
from composer.settings import ConfigurationError, Settings
from tests.pipeline._helpers import write_plugin

GOOD = """
    import msgspec
    from composer.pipeline import CallLogEvent, PluginContext, Stage, plugin

    @plugin(name="{name}", stage=Stage.TRANSFORM, order={order})
    async def run(event: CallLogEvent, context: PluginContext) -> CallLogEvent:
        return msgspec.structs.replace(event, note=(event.note or "") + "{name}")
"""


def good(name: str, order: int = 100) -> str:
    return GOOD.format(name=name, order=order)


class FakeEntryPoint:
    def __init__(self, name: str, value: str, loaded: Any = None, error: Exception | None = None) -> None:
        self.name, self.value, self._loaded, self._error = name, value, loaded, error

    def load(self) -> Any:
        if self._error is not None:
            raise self._error
        return self._loaded


def test_files_and_packages_are_found_in_order(plugins_dir: Path) -> None:
    write_plugin(plugins_dir, "b_second.py", good("second", 2))
    write_plugin(plugins_dir, "a_first.py", good("first", 1))
    package = plugins_dir / "pkg"
    write_plugin(package, "__init__.py", "from .impl import run  # noqa: F401\n")
    write_plugin(package, "impl.py", good("packaged", 3))
    write_plugin(plugins_dir, "_private.py", "raise RuntimeError('never imported')\n")
    write_plugin(plugins_dir, "notes.txt", "not python")
    found = discover(plugins_dir, entry_points=[])
    assert [p.name for p in found.plugins] == ["first", "second", "packaged"]
    assert found.problems == ()
    assert found.plugins[2].source == str(package)


def test_a_missing_directory_means_no_plugins(tmp_path: Path) -> None:
    found = discover(tmp_path / "absent", entry_points=[])
    assert found.plugins == () and found.problems == ()


def test_an_import_failure_is_reported_with_file_and_line_and_skipped(
    plugins_dir: Path, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    broken = write_plugin(plugins_dir, "broken.py", "import json\n\nimport not_a_module_anywhere\n")
    write_plugin(plugins_dir, "fine.py", good("fine"))
    with caplog.at_level(logging.WARNING, logger="composer.pipeline.discovery"):
        found = discover_plugins(settings, entry_points=[])
    assert [p.name for p in found.plugins] == ["fine"]
    (problem,) = found.problems
    assert problem.source == str(broken)
    assert f"{broken}: import failed (line 3): ModuleNotFoundError" in problem.message
    warning = next(r for r in caplog.records if r.levelno == logging.WARNING)
    assert f"file={broken}" in warning.getMessage() and "not_a_module_anywhere" in warning.getMessage()


def test_a_syntax_error_names_its_line(plugins_dir: Path) -> None:
    path = write_plugin(plugins_dir, "typo.py", "x = 1\ndef (:\n")
    (problem,) = discover(plugins_dir, entry_points=[]).problems
    assert f"{path}: import failed (line 2): SyntaxError" in problem.message


def test_strict_mode_makes_an_import_failure_fatal_naming_the_file(plugins_dir: Path, settings: Settings) -> None:
    broken = write_plugin(plugins_dir, "broken.py", "raise RuntimeError('kaput')\n")
    with pytest.raises(ConfigurationError) as info:
        discover_plugins(settings.with_overrides(plugins_strict=True), entry_points=[])
    assert "APPCONNECT_PLUGINS_STRICT=1" in str(info.value) and str(broken) in str(info.value)
    assert "RuntimeError: kaput" in str(info.value)


def test_strict_mode_also_refuses_bad_declarations(plugins_dir: Path, settings: Settings) -> None:
    write_plugin(
        plugins_dir,
        "bad.py",
        """
        from composer.pipeline import plugin
        @plugin(name="bad", stage="postprocess")
        async def bad(event, context): ...
        """,
    )
    with pytest.raises(ConfigurationError, match=r"bad\.py: plugin 'bad': unknown stage 'postprocess'"):
        discover_plugins(settings.with_overrides(plugins_strict=True), entry_points=[])


def test_a_bad_declaration_skips_only_that_plugin(plugins_dir: Path) -> None:
    write_plugin(
        plugins_dir,
        "mixed.py",
        """
        from composer.pipeline import Stage, plugin
        @plugin(name="ok", stage=Stage.ENRICH)
        async def ok(event, context): ...
        @plugin(name="sync_one", stage=Stage.ENRICH)
        def sync_one(event, context): ...
        """,
    )
    found = discover(plugins_dir, entry_points=[])
    assert [p.name for p in found.plugins] == ["ok"]
    assert "plugin 'sync_one': the function is not a coroutine function" in found.problems[0].message


def test_a_duplicate_name_is_refused(plugins_dir: Path) -> None:
    write_plugin(plugins_dir, "a.py", good("same"))
    second = write_plugin(plugins_dir, "b.py", good("same"))
    found = discover(plugins_dir, entry_points=[])
    assert len(found.plugins) == 1 and found.plugins[0].source.endswith("a.py")
    assert f"{second}: plugin 'same': the name is already used by" in found.problems[0].message


def test_functions_imported_from_another_plugin_are_not_registered_twice(plugins_dir: Path) -> None:
    write_plugin(plugins_dir, "a.py", good("shared"))
    write_plugin(
        plugins_dir,
        "b.py",
        """
        import importlib.util, sys
        from composer.pipeline import Stage, plugin

        @plugin(name="own", stage=Stage.ENRICH)
        async def own(event, context): ...

        borrowed = [m for n, m in sys.modules.items() if n.startswith("appconnect_plugin_a_")][0].run
        """,
    )
    found = discover(plugins_dir, entry_points=[])
    assert [p.name for p in found.plugins] == ["own", "shared"]
    assert found.problems == ()


def test_rediscovery_reloads_changed_files(plugins_dir: Path) -> None:
    write_plugin(plugins_dir, "p.py", good("v1"))
    assert [p.name for p in discover(plugins_dir, entry_points=[]).plugins] == ["v1"]
    write_plugin(plugins_dir, "p.py", good("v2"))
    assert [p.name for p in discover(plugins_dir, entry_points=[]).plugins] == ["v2"]


def test_entry_points_add_modules_and_functions(tmp_path: Path) -> None:
    import types

    from composer.pipeline import Stage, plugin

    module = types.ModuleType("dist_plugins")

    @plugin(name="from_module", stage=Stage.ENRICH)
    async def from_module(event: Any, context: Any) -> None: ...

    from_module.__module__ = "dist_plugins"
    module.from_module = from_module  # type: ignore[attr-defined]

    @plugin(name="from_function", stage=Stage.TRANSFORM)
    async def from_function(event: Any, context: Any) -> None: ...

    entry_points = [
        FakeEntryPoint("mod", "dist_plugins", module),
        FakeEntryPoint("fn", "dist_plugins:from_function", from_function),
        FakeEntryPoint("gone", "missing_dist", error=ImportError("no module named missing_dist")),
        FakeEntryPoint("odd", "dist_plugins:VALUE", 42),
    ]
    found = discover(tmp_path / "none", entry_points=entry_points)
    assert [p.name for p in found.plugins] == ["from_module", "from_function"]
    assert found.plugins[0].source == "entry point mod (dist_plugins)"
    messages = [p.message for p in found.problems]
    assert "entry point gone (missing_dist): import failed: ImportError" in messages[0]
    assert "names neither a module nor an @plugin function" in messages[1]


def test_the_installed_entry_point_group_is_read(plugins_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def entry_points(*, group: str) -> list[Any]:
        asked.append(group)
        return []

    monkeypatch.setattr("composer.pipeline.discovery.metadata.entry_points", entry_points)
    discover(plugins_dir)
    assert asked == ["appconnect.plugins"]


def test_the_shipped_plugins_load_cleanly() -> None:
    found = discover(Path(__file__).resolve().parents[2] / "plugins", entry_points=[])
    assert found.problems == ()
    assert [(p.name, p.stage.name) for p in found.plugins] == [
        ("contact_company", "ENRICH"),
        ("redact_pci", "TRANSFORM"),
        ("webhook_notifier", "SIDE_EFFECT"),
    ]


async def test_strict_mode_stops_the_runtime_from_starting(plugins_dir: Path, settings: Settings) -> None:
    from tests.pipeline._helpers import running

    broken = write_plugin(plugins_dir, "broken.py", "import not_installed_anywhere\n")
    with pytest.raises(ConfigurationError, match=str(broken)):
        async with running(settings.with_overrides(plugins_strict=True)):
            pass
    async with running(settings) as rt:  # not strict: the server starts without the plugin
        assert rt.pipeline.plugins == () and len(rt.pipeline.problems) == 1
