# Two commands: `make serve` and `make test`. Everything else is set up on the way.
PYTHON ?= python3.11
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: setup serve test lint typecheck bench clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --locked --python $(PYTHON) --quiet
	@touch $@

setup: $(VENV)/.synced

serve: setup
	$(VENV)/bin/appconnect migrate
	$(VENV)/bin/appconnect serve

test: lint typecheck
	$(VENV)/bin/python -m pytest -q

lint: setup
	$(VENV)/bin/ruff check composer connectors mcp_server plugins tests examples benchmarks

typecheck: setup
	$(VENV)/bin/mypy

bench: setup
	$(VENV)/bin/python -m benchmarks

clean:
	rm -rf $(VENV) $(TOOLS)
