# shido: `make run` starts the daemon with its embedded database, `make test` runs every test,
# `make bench` prints throughput next to raw libpq baselines.
SWIFT ?= swift
STATE ?= $(CURDIR)/state
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build test run man bench bench-quick bench-report clean

# PostgreSQL's server programs (initdb, pg_ctl), libpq's headers, Python's wcwidth, schemathesis and prometheus_client,
# Chromium and the Noto CJK fonts, installed when missing.
deps:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || [ ! -f /usr/include/postgresql/libpq-fe.h ] \
	    || ! command -v pg_config >/dev/null 2>&1; then \
	  echo "installing postgresql and libpq-dev…"; \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q postgresql libpq-dev; \
	fi
	@# Python's wcwidth package is the tests' oracle for terminal display width.
	@python3 -c 'import wcwidth' 2>/dev/null || python3 -m pip install -q wcwidth
	@# schemathesis checks the daemon against docs/openapi.json (Tests/Schemathesis).
	@python3 -c 'import schemathesis' 2>/dev/null || python3 -m pip install -q 'schemathesis==4.32.5'
	@# Prometheus' own text parser reads /metrics in the tests (Tests/Metrics).
	@python3 -c 'import prometheus_client' 2>/dev/null || python3 -m pip install -q 'prometheus_client==0.26.0'
	@# Headless Chromium renders `shido report` in the tests (and prints it to PDF); Noto CJK draws Korean and Japanese.
	@if ! command -v chromium >/dev/null 2>&1 || [ ! -d /usr/share/fonts/opentype/noto ]; then \
	  echo "installing chromium and fonts-noto-cjk…"; \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q chromium fonts-noto-cjk; \
	fi

build: deps
	$(SWIFT) build

# The soak tests (a crash loop, schemathesis) run after the rest, each on a quiet machine:
# on two cores they would starve the others of CPU and themselves of kills and examples.
SOAK := CrashLoopTests|SchemathesisTests

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --skip '$(SOAK)'
	$(SWIFT) test --skip-build --filter CrashLoopTests
	$(SWIFT) test --skip-build --filter SchemathesisTests

# The daemon in the foreground (Ctrl-C stops it and its PostgreSQL); its socket is
# ./state/shidod.sock, where `shido` looks when run from this directory.
run: deps
	$(SWIFT) build --product shidod
	$(SWIFT) build --product shido
	@echo "in another terminal:  export PATH=\"$$($(SWIFT) build --show-bin-path):\$$PATH\"; shido status"
	"$$($(SWIFT) build --show-bin-path)/shidod" serve --state-directory "$(STATE)" --socket "$(STATE)/shidod.sock"

# Manual pages for shido and shidod, generated from their command trees, into ./man.
man:
	mkdir -p man
	$(SWIFT) package --allow-writing-to-directory man generate-manual --output-directory man

bench: deps
	$(SWIFT) build -c release --product shido-bench
	$(SWIFT) build -c release --product shidod
	"$$($(SWIFT) build -c release --show-bin-path)/shido-bench"

bench-quick: deps
	$(SWIFT) build -c release --product shido-bench
	$(SWIFT) build -c release --product shidod
	"$$($(SWIFT) build -c release --show-bin-path)/shido-bench" --quick

# How long `shido report` takes over 5,000 engagements, and its size.
bench-report: deps
	$(SWIFT) build -c release --product shido
	$(SWIFT) build -c release --product shidod
	Benchmarks/report/run.sh 5000

clean:
	rm -rf .build
