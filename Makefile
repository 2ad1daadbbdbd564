# The two commands of the README. Both work on a fresh Debian machine (as root or with sudo).
.PHONY: run test bench setup

run:  ## set up and run the service on its embedded defaults
	bash scripts/setup.sh run
	.venv/bin/hoso serve

test:  ## set up and run the whole test suite
	bash scripts/test.sh

bench:  ## set up and run the benchmarks (see benchmarks/RESULTS.md)
	bash scripts/setup.sh bench
	.venv/bin/python benchmarks/bench_ocr.py

setup:
	bash scripts/setup.sh run
