# The two commands a new user needs (see README.md); everything else is in scripts/.
.PHONY: run test lint bench clean

run:
	bash scripts/run.sh

test:
	bash scripts/test.sh

# The house rules alone, on what the branch changed, without building: includes, format, tidy.
lint:
	bash scripts/check-includes.sh
	bash scripts/check-format.sh
	bash scripts/check-tidy.sh

bench:
	bash bench/run.sh

clean:
	rm -rf build
