# 招商引资工作简报生成器 — set-up, sample briefing, tests, benchmark.
#   make report   install everything, then build the sample briefing from data/ into out/
#   make test     install everything, then run the whole test suite
#   make test-web the staff web page's tests alone (routes, a real browser, the nginx proxy)
#   make bench    the benchmark (benchmarks/), a script, not a test

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
# Debian packages WeasyPrint and the tests need. libharfbuzz-subset0 makes font subsetting
# ~10x faster than the fontTools fallback; poppler-utils gives pdftotext/pdffonts/pdftoppm;
# zbar-tools lets the tests read back the handouts' QR code; qpdf checks the PDFs' structure.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libharfbuzz0b \
	poppler-utils shared-mime-info zbar-tools qpdf
# What only the tests need: chromium for the web page's browser tests (Playwright drives the
# Debian chromium, no browser download), nginx and openssl for the documented HTTPS proxy,
# LibreOffice Writer to lay out the Word documents we write (another engine than ours).
TEST_PACKAGES := chromium nginx openssl libreoffice-writer-nogui

.PHONY: all setup system-deps report test test-web fuzz bench sample-data golden fonts-coverage i18n clean

all: report

system-deps:
	@./scripts/install-system-deps.sh $(SYSTEM_PACKAGES)

$(STAMP): pyproject.toml scripts/install-system-deps.sh
	@./scripts/install-system-deps.sh $(SYSTEM_PACKAGES)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

setup: $(STAMP)

report: $(STAMP)
	$(VENV)/bin/report build --data data --out out

# One test file per worker, as many workers as cores: a fresh clone on a 2-core machine
# runs the suite in 4.5 min (9 min one test at a time).
test: $(STAMP)
	@./scripts/install-system-deps.sh $(TEST_PACKAGES)
	$(PY) -m pytest -q -n auto --dist loadfile

test-web: $(STAMP)
	@./scripts/install-system-deps.sh $(TEST_PACKAGES)
	$(PY) -m pytest -q -m web

# The fuzz tests at length: many more examples than `make test` runs, with a random seed.
fuzz: $(STAMP)
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-500} FUZZ_RANDOM=1 $(PY) -m pytest -q tests/test_fuzz.py tests/test_linebreak.py

bench: $(STAMP)
	@./scripts/install-system-deps.sh chromium
	$(PY) -m pip install --quiet --disable-pip-version-check 'typst>=0.13'  # the Typst peer
	$(PY) benchmarks/bench_data.py
	$(PY) benchmarks/bench.py
	$(PY) benchmarks/bench_handouts.py
	$(PY) benchmarks/bench_typeset.py

# Regenerate the golden HTML after an intended template change (review the diff first).
golden: $(STAMP)
	$(PY) tests/golden_html.py

# Record which characters the bundled fonts cover (after changing fonts/).
fonts-coverage: $(STAMP)
	$(PY) -c "from reports.typeset.glyphs import write_coverage; write_coverage()"
	$(PY) -c "from reports.typeset.metrics import write_metrics; write_metrics()"

# Regenerate the sample dataset (deterministic: the same bytes every time).
sample-data: $(STAMP)
	$(PY) scripts/make_sample_data.py

# After changing a handout template: new strings into templates/i18n/en.po (then translate
# them; a test fails while any is untranslated).
i18n: $(STAMP)
	@mkdir -p build
	$(VENV)/bin/pybabel extract -F templates/i18n/babel.cfg --no-location --sort-output \
		--omit-header -o build/handout.pot .
	$(VENV)/bin/pybabel update -i build/handout.pot -o templates/i18n/en.po -l en -D handout \
		--no-fuzzy-matching --ignore-obsolete -w 100

clean:
	rm -rf out build benchmarks/work .pytest_cache .hypothesis
