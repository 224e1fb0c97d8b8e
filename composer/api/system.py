"""Health, metadata and the deferred P2 routes."""

from __future__ import annotations

from typing import Any

from litestar import MediaType, get, route
from litestar.params import FromQuery

from composer.api.deps import RuntimeDep
from composer.services import metadata
from composer.services.auth import user_info_hash
from composer.services.errors import NotImplementedFeature

__all__ = ["ROUTES"]


@get("/isAlive", media_type=MediaType.TEXT, sync_to_thread=False)
def is_alive() -> str:
    return "OK"


@get("/implementedInterfaces")
async def implemented_interfaces(rt: RuntimeDep, platform: FromQuery[str | None] = None) -> dict[str, bool]:
    return await metadata.implemented_interfaces(rt, platform)


@get("/crmManifest", sync_to_thread=False)
def crm_manifest(rt: RuntimeDep, platformName: FromQuery[str | None] = None) -> dict[str, Any]:
    return metadata.crm_manifest(rt, platformName)


@get("/releaseNotes", sync_to_thread=False)
def release_notes(rt: RuntimeDep) -> dict[str, Any]:
    return metadata.release_notes(rt)


@get("/userInfoHash", sync_to_thread=False)
def user_info_hash_route(rt: RuntimeDep, extensionId: FromQuery[str | None] = None, accountId: FromQuery[str | None] = None) -> dict[str, str]:
    return user_info_hash(rt, extension_id=extensionId, account_id=accountId)


@get("/serverVersionInfo", sync_to_thread=False)
def server_version_info(rt: RuntimeDep) -> dict[str, str]:
    manifest = rt.registry.get_manifest_copy("default") or {}
    return {"version": str(manifest.get("version") or "unknown")}


@route(
    ["/calldown", "/calldown/{item_id:str}", "/ringcentral/admin/report", "/ringcentral/admin/userReport",
     "/ringcentral/oauth/callback", "/debug/report/url"],
    http_method=["GET", "POST", "PATCH", "DELETE"],
    sync_to_thread=False,
)  # fmt: skip
def deferred() -> None:
    raise NotImplementedFeature()


ROUTES = [is_alive, implemented_interfaces, crm_manifest, release_notes, user_info_hash_route, server_version_info, deferred]
