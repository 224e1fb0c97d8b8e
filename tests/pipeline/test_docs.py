"""docs/plugins.md against the code: every exported name, option, field, stage and sample."""

from __future__ import annotations

import io
import re
from pathlib import Path

import msgspec
import pytest

import composer.pipeline as pipeline
from composer.pipeline import CallLogEvent, ContactRef, LogResult, MessageLogEvent, PluginContext, Stage
from composer.pipeline._contract import _ALLOWED_PARAMS, OPTION_NAMES
from composer.pipeline.listing import print_pipeline
from composer.settings import ENV_VARIABLES, Settings
from tests.plugins._load import load_plugin

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "plugins.md").read_text()


def section(title: str, level: str = "##") -> str:
    """The text under the heading that starts with ``title``, up to the next heading of that
    level or higher (a line like ``#  stage`` inside a sample is not a heading)."""
    heading = re.search(rf"\n{level} {re.escape(title)}[^\n]*\n", DOC)
    assert heading is not None, f"no heading {title!r}"
    stop = re.compile(rf"\n#{{1,{len(level)}}} \S")
    match = stop.search(DOC, heading.end())
    return DOC[heading.end() : match.start() if match else len(DOC)]


def first_column(text: str) -> list[str]:
    return re.findall(r"^\| `([^`]+)` \|", text, flags=re.MULTILINE)


def test_every_exported_name_is_in_the_contract_table() -> None:
    assert sorted(first_column(section("The contract: `composer.pipeline`"))) == sorted(pipeline.__all__)


def test_every_option_is_documented_in_order() -> None:
    assert first_column(section("`@plugin(...)` options")) == list(OPTION_NAMES)


@pytest.mark.parametrize("struct", [CallLogEvent, MessageLogEvent, ContactRef, LogResult, PluginContext])
def test_every_field_is_documented_in_order(struct: type[msgspec.Struct]) -> None:
    assert first_column(section(f"`{struct.__name__}`", "###")) == list(struct.__struct_fields__)


def test_each_stage_has_its_exact_signature_heading() -> None:
    stages = section("Stages")
    headings = re.findall(r"^### `async def \w+\(([^)]*)\) -> ([^`]+)`\n\n`Stage\.(\w+)`", stages, flags=re.MULTILINE)
    assert [stage for _, _, stage in headings] == [s.name for s in Stage]
    for params, returns, stage in headings:
        names = tuple(p.split(":")[0].strip() for p in params.split(","))
        assert names == _ALLOWED_PARAMS[Stage[stage]]
        assert returns == ("None" if stage == "SIDE_EFFECT" else "LogEvent | None")


def test_the_complete_example_is_the_example_file() -> None:
    block = re.search(r"```python\n(.*?)```", section("A complete plugin"), flags=re.DOTALL)
    assert block is not None
    assert block.group(1) == (ROOT / "examples" / "plugins" / "note_footer.py").read_text()


@pytest.mark.parametrize(
    ("name", "config"),
    [("redact_pci", "RedactConfig"), ("contact_company", "ContactCompanyConfig"), ("webhook_notifier", "WebhookConfig")],
)
def test_shipped_plugin_config_fields_are_documented(name: str, config: str) -> None:
    struct = getattr(load_plugin(name), config)
    documented = re.findall(r"^\| `(\w+)` \|", section(f"`{name}`", "###").split("| Config field |", 1)[1], flags=re.MULTILINE)
    assert documented == list(struct.__struct_fields__)


def test_the_listing_sample_is_what_the_command_prints(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    out = io.StringIO()
    print_pipeline(Settings(plugins_dir=Path("plugins")), out, entry_points=[])
    sample = re.search(r"\$ appconnect plugins\n(.*?)```", section("`appconnect plugins`"), flags=re.DOTALL)
    assert sample is not None and sample.group(1) == out.getvalue()


def test_every_trace_outcome_is_documented() -> None:
    runner = (ROOT / "composer" / "pipeline" / "runner.py").read_text()
    outcomes = set(re.findall(r'"(changed|unchanged|inactive|skipped|aborted|queued|delivered|failed)"', runner))
    assert outcomes == {"changed", "unchanged", "inactive", "skipped", "aborted", "queued", "delivered", "failed"}
    tracing = section("Tracing")
    for outcome in outcomes:
        assert f"`{outcome}`" in tracing


def test_the_variables_named_exist() -> None:
    for variable in set(re.findall(r"APPCONNECT_[A-Z_]+", DOC)):
        assert variable in ENV_VARIABLES, variable
