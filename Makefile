# Odyssée: `make run` starts the whole assistant, `make test` runs the whole test suite.
# Two environments: .venv-rasa (Python 3.10, Rasa 3.6) and .venv (Python 3.11, everything we write).

SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
.DEFAULT_GOAL := help

PY310 ?= $(shell command -v python3.10 2>/dev/null)
PY311 ?= $(shell command -v python3.11 2>/dev/null)
APP := .venv/bin/python
RASA := .venv-rasa/bin/rasa
RASA_FILES := --config config.yml --domain domain.yml --data bot/data
QUIET_PIP := 2>&1 | { grep -v "is ignored: it is neither a file nor a directory" || true; }

export PYTHONPATH := $(CURDIR)
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 3
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

.PHONY: help envs store train validate lint run shell test bench chromium clean

help:
	@echo "make run       start the assistant (environments, store, training when needed, servers)"
	@echo "make test      run the whole test suite"
	@echo "make lint      ruff on the code, mypy on knowledge/"
	@echo "make train     train the model if data or config changed"
	@echo "make validate  check the Rasa training data (rasa data validate)"
	@echo "make shell     talk to the assistant in the terminal"
	@echo "make bench     measure quality, speed and memory; rewrite BENCHMARKS.md"
	@echo "make seed      load the seed content and re-date the demo records"

.venv-rasa/.installed: requirements/rasa.txt
	@test -n "$(PY310)" || { echo "Python 3.10 est introuvable : Rasa 3.6 exige Python 3.8 à 3.10." \
		"Installez-le (par exemple : pyenv install 3.10.13) puis relancez make."; exit 1; }
	$(PY310) -m venv .venv-rasa
	.venv-rasa/bin/pip install -q --upgrade pip wheel $(QUIET_PIP)
	.venv-rasa/bin/pip install -q -r requirements/rasa.txt $(QUIET_PIP)
	touch $@

.venv/.installed: requirements/app.txt requirements/test.txt
	@test -n "$(PY311)" || { echo "Python 3.11 est introuvable : installez-le (pyenv install 3.11.7)."; exit 1; }
	$(PY311) -m venv .venv
	.venv/bin/pip install -q --upgrade pip wheel $(QUIET_PIP)
	.venv/bin/pip install -q -r requirements/test.txt $(QUIET_PIP)
	touch $@

envs: .venv-rasa/.installed .venv/.installed

store: .venv/.installed
	$(APP) -m knowledge migrate
	$(APP) -m knowledge seed --if-empty

seed: .venv/.installed
	$(APP) -m knowledge migrate
	$(APP) -m knowledge seed

# Trains only when the data, domain or config changed (runner/model.py); keeps the three latest models.
train: envs store
	$(APP) -m bot.lookups
	$(APP) -m runner.model

validate: envs store
	$(APP) -m bot.lookups
	$(RASA) data validate $(RASA_FILES) --fail-on-warnings

# Ports and database files are checked before anything else (runner/preflight.py).
lint: .venv/.installed
	.venv/bin/ruff check .
	.venv/bin/mypy

run: envs
	@$(APP) -m runner.preflight
	@$(MAKE) --no-print-directory train
	$(APP) -m runner

shell: train
	@SANIC_HOST=127.0.0.1 $(APP) -m bot.action_server --actions bot.actions --port $${ACTIONS_PORT:-5055} > var/logs-shell-actions.log 2>&1 & \
	  trap "kill $$!" EXIT; \
	  ACTION_ENDPOINT_URL=http://127.0.0.1:$${ACTIONS_PORT:-5055}/webhook TRACKER_DB_PATH=$(CURDIR)/var/tracker.db \
	  $(RASA) shell -i 127.0.0.1 -p $${RASA_PORT:-5005} --model bot/models --endpoints endpoints.yml

# Debian's Chromium for the browser tests (root or sudo needed once).
chromium:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  elif command -v sudo >/dev/null; then sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium absent : les tests navigateur seront ignorés"; fi; }
	@if command -v npm >/dev/null; then npm ci --silent --prefix tests/browser; \
	  else echo "npm absent : le scan axe-core sera ignoré"; fi

test: envs chromium train
	$(APP) -m pytest

bench: envs train
	$(APP) -m bench

clean:
	rm -rf var bot/models .rasa results
