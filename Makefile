# The two commands a new user needs (see README.md); everything else is in scripts/.
.PHONY: run test bench clean

run:
	bash scripts/run.sh

test:
	bash scripts/test.sh

bench:
	bash bench/run.sh

clean:
	rm -rf build
