"""docs/mcp.md documents every tool, with every argument, and nothing else."""

from __future__ import annotations

import re
from pathlib import Path

from composer.settings import Settings
from mcp_server import TOOL_NAMES
from mcp_server.http import McpHttpSurface

DOC = Path(__file__).resolve().parents[2] / "docs" / "mcp.md"


def _sections() -> dict[str, str]:
    reference = DOC.read_text().split("## Tools reference", 1)[1]
    parts = re.split(r"^### `(\w+)`$", reference, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


async def test_every_tool_and_argument_is_documented(tmp_path: Path) -> None:
    sections = _sections()
    assert list(sections) == list(TOOL_NAMES)
    tools = await McpHttpSurface(Settings(data_dir=tmp_path)).server.list_tools()
    for tool in tools:
        for argument in (tool.input_schema.get("properties") or {}):
            assert f"`{argument}`" in sections[tool.name], f"{tool.name}: argument {argument} is not documented"
