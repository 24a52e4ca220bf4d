# The two commands of the README:
#   make demo   set everything up and write the demo contracts into output/
#   make test   set everything up and run linters, type checker and tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# What generating a contract needs: CJK fonts, HarfBuzz subsetting (fast PDF
# font embedding), Graphviz (the flowchart). Tests also print DOCX with
# LibreOffice and read PDFs with poppler.
RUNTIME_PACKAGES := fonts-noto-cjk fonts-liberation2 libharfbuzz-subset0 graphviz
# Tests also drive Debian's Chromium (web pages) and run a throwaway
# PostgreSQL cluster (the team server's store).
TEST_PACKAGES := $(RUNTIME_PACKAGES) poppler-utils libreoffice-writer-nogui chromium postgresql
STANDARD := examples/company-standard.yaml

.PHONY: demo test lint bench verapdf system-runtime system-test

demo: system-runtime $(VENV)/.installed
	$(BIN)/agreement generate examples/client-form-a.yaml examples/client-form-b.yaml \
		examples/client-bilingual.yaml --base $(STANDARD) -o output --force

test: system-test $(VENV)/.installed lint
	$(BIN)/pytest

lint: $(VENV)/.installed
	$(BIN)/ruff check generator tests benchmarks
	$(BIN)/mypy

bench: system-runtime $(VENV)/.installed
	$(BIN)/python benchmarks/run.py $(if $(QUICK),--quick)

# veraPDF, the PDF/A validator, where it is installed (it cannot be here: the
# tests check PDF/A-3b with pikepdf instead): form A with signature fields, as PDF/A-3b.
VERAPDF_DIR := output/verapdf
verapdf: system-runtime $(VENV)/.installed
	@command -v verapdf >/dev/null || { echo "verapdf is not installed; get it from https://verapdf.org (the tests check PDF/A with pikepdf meanwhile)"; exit 1; }
	$(BIN)/agreement generate examples/client-form-a.yaml --base $(STANDARD) -o $(VERAPDF_DIR) -f pdf --sign-fields --pdf-a --force
	verapdf --flavour 3b --format text $(VERAPDF_DIR)/HX-AS-2026-0158.pdf

system-runtime:
	@scripts/system-packages.sh $(RUNTIME_PACKAGES)

system-test:
	@scripts/system-packages.sh $(TEST_PACKAGES)

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@
