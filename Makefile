# Set-up, build and checks of the CRM regional diagnostic. Python 3.11+ and pip are enough.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup report report-en report-mmp report-caviar report-public test bench demo-data templates clean

# The installer uv (fetched into the venv with pip) installs the same packages several times
# faster than pip, compiled to bytecode as pip does (every process would otherwise compile its
# imports again where PYTHONDONTWRITEBYTECODE is set); where uv cannot be installed or cannot
# install them, pip does it alone.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	($(BIN)/python -m pip install --quiet uv && \
		$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -e ".[test]") || \
		$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

setup: $(STAMP)

## make report: the whole diagnostic on the bundled demo data, into reports/demo/
report: setup
	$(BIN)/analysis run --config config/demo.yml

report-en: setup
	$(BIN)/analysis run --config config/demo_en.yml

## make test: lint, then the package tests (fast ones first) and every notebook on the demo data
## (nbval) in one pytest run on TEST_WORKERS processes; lists the ten slowest tests.
## make test TEST_ARGS=--record-durations: also refreshes tests/durations.json (the slow
## modules are handed out longest first)
TEST_WORKERS ?= 2
TEST_ARGS ?=
test: setup
	$(BIN)/ruff check src tests notebooks benchmarks data/reference
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadscope --no-loadscope-reorder --durations=10 \
		-p no:cacheprovider --nbval-lax --nbval-current-env $(TEST_ARGS) tests notebooks

bench: setup
	$(BIN)/python benchmarks/run_benchmarks.py --cold 3 --warm --compare --suite --scales 1,10,100,1000 --network

demo-data: setup
	rm -rf data/demo && $(BIN)/analysis demo-data data/demo --scale 1 --seed 2018

templates: setup
	$(BIN)/analysis template reports/templates --lang es

clean:
	rm -rf reports/* cache private .pytest_cache
	touch reports/.gitkeep

## make report-mmp: the routes report on the real IOM Missing Migrants data (Americas, 2014–2022)
MMP_FILE ?= ../shared/realdata/iom_mmp/Missing_Migrants_Global_Figures_2014-2022.csv
report-mmp: setup
	$(BIN)/analysis import-mmp $(MMP_FILE) --out cache/mmp_americas_data --region americas
	$(BIN)/analysis run --config config/mmp_americas.yml

## make report-caviar: the network report on the CAVIAR network (Morselli)
report-caviar: setup
	$(BIN)/analysis run --config config/caviar.yml

## make report-public: the diagnostic from public data alone (the snapshot in data/public/:
## official flow statistics, IOM Missing Migrants incidents in the Americas; legislation and
## Work Plan reference), in Spanish and English, into reports/public/es and reports/public/en
report-public: setup
	$(BIN)/python -m analysis.data.public prepare cache/public_data
	$(BIN)/analysis run --config config/public.yml
	$(BIN)/analysis run --config config/public_en.yml
