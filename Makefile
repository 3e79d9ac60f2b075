# Two commands set up everything on a fresh Debian 12 machine:
#   make run    install, load the sample center, start the kiosk windowed with a simulated printer
#   make test   install, run every test
# Other targets: make screenshots, make bench, make bench-ci, make bundle, make lock, make clean.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEV_DATA := var/dev
export KIOSK_DATA_DIR ?= $(CURDIR)/$(DEV_DATA)

# Debian packages the app needs: a CJK font (Qt ships none), fontconfig, and what Qt's
# platform plugins load (offscreen for tests; xcb for a window on an X display); shellcheck
# for the test of deploy/install.sh; the input methods and speech (docs/input.md): zinnia with its
# simplified-Chinese model (handwriting), librime with Luna Pinyin and Rime's shared data (pinyin),
# espeak-ng (speech) and sox (its `play` plays the speech without blocking); chromium for the
# center console's browser tests (Playwright drives it).
DEB_PACKAGES := fonts-noto-cjk fontconfig libegl1 libgl1 libopengl0 libfontconfig1 libdbus-1-3 \
    libglib2.0-0 libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 \
    libxcb-shape0 libxcb-render-util0 libxcb-image0 libxcb-randr0 libxcb-xinerama0 libxcb-xkb1 \
    libusb-1.0-0 shellcheck \
    libzinnia0 tegaki-zinnia-simplified-chinese librime1 librime-data rime-data-luna-pinyin \
    espeak-ng sox chromium

.PHONY: run test system-deps venv screenshots console-screenshots bench bench-ci bundle lock clean

run: system-deps $(STAMP)
	$(BIN)/kiosk --config assets/dev-config.toml catalog import assets/sample_center/catalog.json
	$(BIN)/kiosk --config assets/dev-config.toml progress import assets/sample_center/progress.json --shift-to-today
	$(BIN)/kiosk --config assets/dev-config.toml staff demo
	$(BIN)/kiosk --config assets/dev-config.toml run --windowed

test: system-deps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

system-deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	$(PYTHON) -c "import ensurepip, venv" 2>/dev/null || missing="$$missing python3-venv"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	else \
	    echo "缺少系统软件包 / missing Debian packages:$$missing"; \
	    echo "Install them as root, then run make again:"; \
	    echo "    sudo apt-get install -y$$missing"; \
	    exit 1; \
	fi

venv: $(STAMP)

# Exact versions for reproducible terminal builds come from constraints.txt (make lock renews it).
$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11 or newer is needed (需要 Python 3.11+)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test,bundle,center]'
	touch $(STAMP)

screenshots: system-deps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m ui.screenshots docs/screens

# The center console's pages at desk and phone width, into docs/console/ (a throwaway PostgreSQL,
# the console under uvicorn, Debian's chromium driven by Playwright: tests/console/test_screenshots.py).
console-screenshots: system-deps $(STAMP)
	@pg_dir=$$(mktemp -d /tmp/kiosk-console-pg.XXXXXX); \
	trap '.ci/postgres.sh stop "$$pg_dir"' EXIT; \
	url=$$(KIOSK_PG_PORT=$${KIOSK_PG_PORT:-55433} .ci/postgres.sh start "$$pg_dir") && \
	KIOSK_TEST_POSTGRES_URL=$$url CONSOLE_SCREENSHOTS=$(CURDIR)/docs/console \
	    $(BIN)/python -m pytest -q -p no:cacheprovider tests/console/test_screenshots.py

bench: system-deps $(STAMP)
	$(BIN)/python bench/run_all.py

# CI's short run of the startup, tap and memory benchmarks: it prints the ratios to bare Qt and
# fails only when a benchmark cannot run (docs/performance.md); never on a slow machine.
bench-ci: system-deps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/bench_startup.py --runs 3 --idle-seconds 10
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/bench_ui.py --taps 10 --visits 200,400 --idle-seconds 5
	$(BIN)/python bench/bench_print.py --speeds 150 --runs 1

# The terminal bundle (kiosk.spec): dist/kiosk/, runs without Python; docs/deployment.md installs it.
bundle: system-deps $(STAMP)
	$(BIN)/pyinstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller kiosk.spec
	@du -sh dist/kiosk

lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --disable-pip-version-check -e '.[test,bundle,center]'
	.lock-venv/bin/pip freeze --exclude-editable | grep -v '^-e ' > constraints.txt
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) var build dist *.egg-info
