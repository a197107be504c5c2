# Every target goes through bootstrap.py, so `python bootstrap.py ...` works the same without make.
PYTHON ?= python3
BOOT = $(PYTHON) bootstrap.py

.PHONY: lab test setup lock datasets exercises grade bench clean help

help:
	@echo "make lab        set up (first time: a few minutes) and open JupyterLab on lesson 00"
	@echo "make lab ROLE=trainer   the trainer's lab: nbgrader's tools and solutions/ too"
	@echo "make test       set up, then run the whole test suite"
	@echo "make lock       re-pin requirements*.lock and environment*.yml from requirements*.in (CONTRIBUTING.md)"
	@echo "make datasets   regenerate the synthetic datasets (seeded, byte for byte)"
	@echo "make exercises  regenerate exercises/ from solutions/ with nbgrader"
	@echo "make grade ASSIGNMENT=01_transactional_or_trust SUBMISSIONS=path/to/folder-or.zip"
	@echo "make bench      run the benchmarks and record their results"

# ROLE=trainer: the trainer's lab, with nbgrader's tools and solutions/ (lab/trainer.py)
lab:
	$(BOOT) lab $(if $(filter trainer,$(ROLE)),--trainer)

test:
	$(BOOT) test

setup:
	$(BOOT) setup

lock:
	$(BOOT) run python tools/lock.py

datasets:
	$(BOOT) run python -m trustcircles datasets build

exercises:
	$(BOOT) run --trainer python -m trustcircles exercises

grade:
	@test -n "$(ASSIGNMENT)" -a -n "$(SUBMISSIONS)" || { echo "usage: make grade ASSIGNMENT=name SUBMISSIONS=folder-or-zip"; exit 2; }
	$(BOOT) run --trainer python -m trustcircles grade "$(ASSIGNMENT)" "$(SUBMISSIONS)"

bench:
	$(BOOT) run python benchmarks/run_all.py

clean:
	rm -rf .venv .course .artefacts .pytest_cache
