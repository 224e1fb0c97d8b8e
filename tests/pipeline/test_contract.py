"""Validation at discovery: every refusal names the file, the plugin and the fix."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from composer.pipeline import CallLogEvent, PluginContext, Stage, plugin
from composer.pipeline._contract import OPTION_NAMES
from composer.pipeline.exceptions import PluginDefinitionError
from tests.pipeline._helpers import spec_of


class Cfg(msgspec.Struct):
    level: int = 1


def refusal(fn: Any) -> str:
    with pytest.raises(PluginDefinitionError) as info:
        spec_of(fn, source="plugins/x.py")
    message = str(info.value)
    assert message.startswith("plugins/x.py: plugin ")
    assert "Fix: " in message
    return message


def test_defaults_of_a_minimal_declaration() -> None:
    @plugin(name="minimal", stage=Stage.ENRICH)
    async def minimal(event: CallLogEvent, context: PluginContext) -> None:
        """First line is the description.

        More text.
        """

    spec = spec_of(minimal)
    assert (spec.name, spec.stage, spec.order, spec.timeout, spec.on_error) == ("minimal", Stage.ENRICH, 100, 2.0, "skip")
    assert spec.applies_to == {"call.create", "call.update", "message.create"}
    assert spec.description == "First line is the description."
    assert spec.key == "plugin_minimal" and spec.config_type is None


def test_side_effect_defaults_and_kind_aliases() -> None:
    @plugin(name="notify", stage="side_effect", applies_to="call")
    async def notify(event: Any, result: Any, context: Any) -> None: ...

    spec = spec_of(notify)
    assert spec.stage is Stage.SIDE_EFFECT and spec.timeout == 10.0 and spec.max_attempts == 5
    assert spec.applies_to == {"call.create", "call.update"}


def test_name_defaults_to_the_function_name() -> None:
    @plugin(stage=Stage.TRANSFORM)
    async def tidy_note(event: Any, context: Any) -> None: ...

    assert spec_of(tidy_note).name == "tidy_note"


def test_parameters_may_be_any_subset_in_any_order() -> None:
    seen: list[Any] = []

    @plugin(name="subset", stage=Stage.TRANSFORM, config=Cfg)
    async def subset(config: Cfg, event: Any) -> None:
        seen.append((config, event))

    spec = spec_of(subset)
    import asyncio

    asyncio.run(spec.invoke("E", "C", Cfg(level=3), None))
    assert seen == [(Cfg(level=3), "E")]


def test_unknown_stage_is_refused_with_a_suggestion() -> None:
    @plugin(name="p", stage="tranform")
    async def p(event: Any, context: Any) -> None: ...

    message = refusal(p)
    assert "unknown stage 'tranform'" in message and "Stage.TRANSFORM" in message


def test_missing_stage_is_refused() -> None:
    @plugin(name="p")
    async def p(event: Any, context: Any) -> None: ...

    assert "no stage given" in refusal(p)


def test_misspelt_option_is_refused_with_a_suggestion() -> None:
    @plugin(name="p", stage=Stage.ENRICH, odrer=5)  # type: ignore[call-arg]
    async def p(event: Any, context: Any) -> None: ...

    message = refusal(p)
    assert "unknown option 'odrer'" in message and "did you mean 'order'" in message
    for option in OPTION_NAMES:
        assert option in message


def test_sync_function_is_refused_with_the_expected_shape() -> None:
    @plugin(name="p", stage=Stage.TRANSFORM)
    def p(event: Any, context: Any) -> None: ...

    message = refusal(p)
    assert "not a coroutine function" in message and "async def p(event, context)" in message


def test_unknown_parameter_is_refused() -> None:
    @plugin(name="p", stage=Stage.ENRICH)
    async def p(evnt: Any, context: Any) -> None: ...

    message = refusal(p)
    assert "unknown parameter 'evnt'" in message and "did you mean 'event'" in message


def test_result_is_only_for_side_effects() -> None:
    @plugin(name="p", stage=Stage.TRANSFORM)
    async def p(event: Any, result: Any, context: Any) -> None: ...

    assert "only given to SIDE_EFFECT plugins" in refusal(p)


def test_var_args_are_refused() -> None:
    @plugin(name="p", stage=Stage.ENRICH)
    async def p(*args: Any) -> None: ...

    assert "not a named parameter" in refusal(p)


def test_config_parameter_needs_a_config_type_and_the_reverse() -> None:
    @plugin(name="p", stage=Stage.ENRICH)
    async def p(event: Any, context: Any, config: Any) -> None: ...

    @plugin(name="q", stage=Stage.ENRICH, config=Cfg)
    async def q(event: Any, context: Any) -> None: ...

    assert "no config type is declared" in refusal(p)
    assert "has no `config` parameter" in refusal(q)


def test_config_must_be_a_struct_class() -> None:
    @plugin(name="p", stage=Stage.ENRICH, config=dict)  # type: ignore[arg-type]
    async def p(event: Any, context: Any, config: Any) -> None: ...

    assert "not a msgspec.Struct class" in refusal(p)


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"name": "Bad-Name"}, "is not a lower-case identifier"),
        ({"order": "5"}, "order='5' is not an integer"),
        ({"on_error": "ignore"}, "is not 'skip' or 'abort'"),
        ({"timeout": 0}, "timeout=0 is not a number of seconds"),
        ({"timeout": 500}, "timeout=500 is not a number of seconds"),
        ({"applies_to": {"call.created"}}, "unknown event kind 'call.created'"),
        ({"applies_to": []}, "applies_to is empty"),
        ({"max_attempts": 3}, "max_attempts only applies to SIDE_EFFECT plugins"),
    ],
)
def test_bad_option_values_are_refused(options: dict[str, Any], expected: str) -> None:
    values: dict[str, Any] = {"name": "p", "stage": Stage.TRANSFORM, **options}

    @plugin(**values)
    async def p(event: Any, context: Any) -> None: ...

    with pytest.raises(PluginDefinitionError, match="Fix: ") as info:
        spec_of(p, source="plugins/x.py")
    assert expected in str(info.value)


def test_abort_makes_no_sense_after_the_crm_write() -> None:
    @plugin(name="p", stage=Stage.SIDE_EFFECT, on_error="abort")
    async def p(event: Any, result: Any, context: Any) -> None: ...

    assert "makes no sense after the CRM write" in refusal(p)


def test_side_effect_max_attempts_is_bounded() -> None:
    @plugin(name="p", stage=Stage.SIDE_EFFECT, max_attempts=0)
    async def p(event: Any, result: Any, context: Any) -> None: ...

    assert "max_attempts=0" in refusal(p)


def test_the_decorator_returns_the_function_unchanged() -> None:
    async def fn(event: Any, context: Any) -> None: ...

    assert plugin(name="p", stage=Stage.ENRICH)(fn) is fn
