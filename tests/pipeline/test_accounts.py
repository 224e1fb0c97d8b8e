"""Per-account plugin settings: the admin's plugin_<name> entries merged over the user's (spec §8)."""

from __future__ import annotations

from typing import Any

from composer.services.plugin_accounts import AccountDirectory
from composer.settings import Settings
from composer.store.users import UserRecord
from tests.pipeline._helpers import call_event, context, running, write_plugin

LABEL = """
    import msgspec
    from composer.pipeline import CallLogEvent, PluginContext, Stage, plugin

    class Label(msgspec.Struct):
        text: str = "default"

    @plugin(name="label", stage=Stage.TRANSFORM, config=Label)
    async def label(event: CallLogEvent, context: PluginContext, config: Label) -> CallLogEvent:
        return msgspec.structs.replace(event, note=config.text)
"""


def admin_entry(text: str, *, customizable: bool) -> dict[str, Any]:
    return {"customizable": customizable, "value": {"config": {"text": {"value": text, "customizable": customizable}}}}


def user_entry(text: str) -> dict[str, Any]:
    return {"value": {"config": {"text": {"value": text}}}}


async def prepared_note(settings: Settings, user_settings: dict[str, Any], admin: dict[str, Any] | None) -> str | None:
    async with running(settings) as rt:
        user = UserRecord(id="u-1", platform="local", rcAccountId="acc-1", userSettings=user_settings)
        await rt.store.users.save(user)
        if admin is not None:
            await rt.store.admin.upsert(rt.hash("acc-1"), user_settings=admin)
        ctx = context(user_settings=user_settings)
        prepared = await rt.pipeline.prepare(call_event(), context=ctx)
        return prepared.event.note


async def test_user_settings_apply_without_admin_settings(settings: Settings, plugins_dir: Any) -> None:
    write_plugin(plugins_dir, "label.py", LABEL)
    assert await prepared_note(settings, {"plugin_label": user_entry("mine")}, None) == "mine"


async def test_a_locked_admin_value_wins_over_the_user(settings: Settings, plugins_dir: Any) -> None:
    write_plugin(plugins_dir, "label.py", LABEL)
    admin = {"plugin_label": admin_entry("company-wide", customizable=False)}
    assert await prepared_note(settings, {"plugin_label": user_entry("mine")}, admin) == "company-wide"


async def test_a_customizable_admin_value_is_the_default_the_user_may_change(settings: Settings, plugins_dir: Any) -> None:
    write_plugin(plugins_dir, "label.py", LABEL)
    admin = {"plugin_label": admin_entry("suggested", customizable=True)}
    assert await prepared_note(settings, {"plugin_label": user_entry("mine")}, admin) == "mine"
    assert await prepared_note(settings, {}, admin) == "suggested"


async def test_the_directory_caches_and_forgets(settings: Settings) -> None:
    async with running(settings) as rt:
        await rt.store.users.save(UserRecord(id="u-1", platform="local", rcAccountId="acc-1"))
        directory = AccountDirectory(rt)
        assert await directory.account_of(context()) == "acc-1"
        assert await directory.account_of(context(rc_account_id="given")) == "given"
        await rt.store.admin.upsert(rt.hash("acc-1"), user_settings={"plugin_x": {"value": 1}, "other": {"value": 2}})
        merged = await directory.plugin_settings(context(user_settings={"mine": {"value": 3}}))
        assert merged == {"mine": {"value": 3}, "plugin_x": {"value": 1}}
        await rt.store.admin.upsert(rt.hash("acc-1"), user_settings={})
        assert "plugin_x" in await directory.plugin_settings(context())  # cached
        directory.forget("acc-1")
        assert await directory.plugin_settings(context(user_settings={})) == {}

