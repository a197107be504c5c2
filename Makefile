# Every target goes through bootstrap.py, so `python bootstrap.py ...` works the same without make.
PYTHON ?= python3
BOOT = $(PYTHON) bootstrap.py

.PHONY: lab test setup lock datasets exercises grade hub bench clean help

help:
	@echo "make lab        set up (first time: a few minutes) and open JupyterLab on lesson 00"
	@echo "make lab ROLE=trainer   the trainer's lab: nbgrader's tools and solutions/ too"
	@echo "make test       set up, then run the whole test suite"
	@echo "make lock       re-pin requirements*.lock and environment*.yml from requirements*.in (CONTRIBUTING.md)"
	@echo "make datasets   regenerate the synthetic datasets (seeded, byte for byte)"
	@echo "make exercises  regenerate exercises/ from solutions/ with nbgrader"
	@echo "make grade ASSIGNMENT=01_transactional_or_trust SUBMISSIONS=path/to/folder-or.zip"
	@echo "sudo make hub ROSTER=roster.txt   set up a workshop's JupyterHub and run it (TRAINERS.md, Scaling out)"
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

# HUB_ARGS passes the rest, e.g. HUB_ARGS="--port 8000 --trainer trainer --password-file FILE" or "--teardown".
hub:
	@test -n "$(ROSTER)" -o -n "$(HUB_ARGS)" || { echo "usage: sudo make hub ROSTER=roster.txt [HUB_ARGS=...]"; exit 2; }
	$(BOOT) hub $(if $(ROSTER),--roster "$(ROSTER)") $(HUB_ARGS)

bench:
	$(BOOT) run python benchmarks/run_all.py

clean:
	rm -rf .venv .course .artefacts .pytest_cache
