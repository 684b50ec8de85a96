# The two commands of the README: `make run` and `make test`. Everything else is a helper target.
VENV ?= .venv
PY := $(VENV)/bin/python
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test browser-deps lint

$(VENV)/.runtime: requirements.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt $(VENV)/.runtime
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

instance/secret_key:
	mkdir -p instance
	$(PY) -c "import secrets; print(secrets.token_hex(32))" > $@

## Install and start the app on SQLite with the bundled sample corpus (http://127.0.0.1:5000).
run: $(VENV)/.runtime instance/secret_key
	SECRET_KEY=$$(cat instance/secret_key) $(VENV)/bin/flask --app app run

## Install what the tests need (Python packages; Debian's chromium and fonts when missing) and run them all.
test: $(VENV)/.dev browser-deps
	$(PY) -m pytest

browser-deps:
	@command -v chromium >/dev/null && test -d /usr/share/fonts/truetype/dejavu || \
	  (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-dejavu-core)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy cableshare
