"""The ``appconnect`` command: serve, migrate, seed-demo, compose, mcp, plugins."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from composer.settings import ConfigurationError, Settings

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="appconnect", description="App Connect logging composer")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the HTTP server (and the MCP endpoint at /mcp)")
    serve.add_argument("--host", help="interface to listen on (default: APPCONNECT_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (default: APPCONNECT_PORT or 8000)")
    sub.add_parser("migrate", help="create or upgrade the database schema and exit")
    seed = sub.add_parser("seed-demo", help="create example contacts in the built-in local CRM")
    seed.add_argument("--api-key", default="demo", help="API key of the local user to seed (default: demo)")
    sub.add_parser("compose", help="compose a log body from a JSON request on stdin (see README)", add_help=False)
    sub.add_parser("mcp", help="run the MCP server over stdio")
    sub.add_parser("plugins", help="list the plugin pipeline in execution order")
    return parser


def _serve(settings: Settings) -> int:
    import uvicorn

    from composer.app import create_app

    app = create_app(settings)
    print(f"App Connect composer listening on http://{settings.host}:{settings.port}", file=sys.stderr)
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level.lower(),
        access_log=False,
        loop="uvloop",
        http="httptools",
    )
    return 0


async def _migrate(settings: Settings) -> int:
    from composer.security.crypto import SecretBox
    from composer.security.keys import load_or_create_keys
    from composer.store import open_database
    from composer.store.migrations import apply_migrations

    SecretBox(load_or_create_keys(settings).data_key)
    db = await open_database(settings.effective_database_url)
    try:
        applied = await apply_migrations(db)
    finally:
        await db.close()
    names = ", ".join(f"{m.version:04d}_{m.name}" for m in applied) or "nothing to do"
    print(f"migrations applied: {names}")
    return 0


async def _seed_demo(settings: Settings, api_key: str) -> int:
    from composer.services.runtime import open_runtime
    from connectors.local.demo import seed_demo_for_key

    async with open_runtime(settings) as rt:
        contacts = await seed_demo_for_key(rt, api_key)
    for contact in contacts:
        print(f"{contact['id']}\t{contact['name']}\t{', '.join(contact.get('phoneNumbers', []))}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["compose"]:
        from composer.compose.cli import run

        return run(args_list[1:], sys.stdin, sys.stdout, sys.stderr)
    args = _parser().parse_args(args_list)
    try:
        settings = Settings.from_env()
        if args.command == "serve":
            overrides: dict[str, object] = {}
            if args.host:
                overrides["host"] = args.host
            if args.port is not None:
                overrides["port"] = args.port
            return _serve(settings.with_overrides(**overrides))
        if args.command == "migrate":
            return asyncio.run(_migrate(settings))
        if args.command == "seed-demo":
            return asyncio.run(_seed_demo(settings, args.api_key))
        if args.command == "mcp":
            from mcp_server.stdio import run_stdio

            return run_stdio(settings)
        if args.command == "plugins":
            from composer.pipeline.listing import print_pipeline

            return print_pipeline(settings, sys.stdout)
    except ConfigurationError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
