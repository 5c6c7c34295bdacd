# Turno: `make dev` runs the product locally, `make test` runs every test. Both install what they need.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000

.PHONY: dev test test-quick bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

test: $(VENV)/.installed
	$(PY) -m pytest

test-quick: $(VENV)/.installed
	$(PY) -m pytest -m "not slow"

# The independent SMS segment calculator the notification tests compare against (npm, lock file).
SMS_CALC := tests/notifications/node_modules/.installed
$(SMS_CALC): tests/notifications/package.json tests/notifications/package-lock.json
	cd tests/notifications && npm ci --no-audit --no-fund --loglevel=error
	touch $@
test test-quick: $(SMS_CALC)

bench: $(VENV)/.installed
	$(PY) -m bench

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
