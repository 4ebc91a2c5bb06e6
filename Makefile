# Kreds: the two commands are `make run` and `make test` (see README.md).
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
export PYTHONPATH := src

.PHONY: run demo-code test install install-test system-deps test-postgres test-sqlite lint messages bench clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/activate
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/activate
	$(BIN)/pip install --quiet -e '.[test]'

## make run: install, migrate SQLite, load the demo, serve on http://127.0.0.1:8000
run: install
	KREDS_DEBUG=1 $(MANAGE) migrate --no-input -v 0
	KREDS_DEBUG=1 $(MANAGE) load_demo
	@KREDS_DEBUG=1 $(MANAGE) demo_code --intro
	@mkdir -p var && echo "Background jobs (forming groups) run in a worker; its log is var/worker.log."
	@KREDS_DEBUG=1 $(MANAGE) db_worker > var/worker.log 2>&1 & worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		KREDS_DEBUG=1 $(MANAGE) runserver 127.0.0.1:8000

## make demo-code: the current 6-digit code for the demo's coordinator and admin logins
demo-code: $(BIN)/activate
	@KREDS_DEBUG=1 $(MANAGE) demo_code

## make test: system packages, Python packages, lint, checks, the suite on PostgreSQL and SQLite
test: system-deps install-test lint
	bin/with-postgres $(MAKE) test-postgres
	$(MAKE) test-sqlite

system-deps:
	bin/install-system-deps

lint:
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	KREDS_DEBUG=1 $(MANAGE) makemigrations --check --dry-run -v 1

test-postgres:
	$(BIN)/pytest -n 2 -p no:cacheprovider

test-sqlite:
	DATABASE_URL=sqlite:// $(BIN)/pytest -n 2 -p no:cacheprovider -m "not browser"

## make messages: refresh the da, nb and en catalogues after changing UI text, and compile them
## (the compiled .mo files are committed, so `make run` needs no gettext)
messages: install
	rm -f src/kreds/locale/en/LC_MESSAGES/django.po  # English is rebuilt from the source strings
	cd src/kreds && KREDS_DEBUG=1 $(CURDIR)/$(PY) $(CURDIR)/manage.py makemessages \
		-l da -l nb -l en --no-obsolete --add-location file --ignore 'matching/*'
	msgen --no-wrap src/kreds/locale/en/LC_MESSAGES/django.po -o src/kreds/locale/en/LC_MESSAGES/django.po
	cd src/kreds && KREDS_DEBUG=1 $(CURDIR)/$(PY) $(CURDIR)/manage.py compilemessages -v 0

bench: install-test
	$(PY) -m bench

clean:
	rm -rf $(VENV) var
