# toll: the two commands a new user needs are `make run` and `make test`.
GO      ?= go
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
DATA_DIR ?= data/warehouse
BENCH_EVENTS ?= 400000,4000000
# duckdb_arrow: toll serve answers Arrow IPC streams (pipeline/serve/arrow.go).
TAGS    ?= duckdb_arrow

.PHONY: build run test bench accuracy fuzz fmt clean

build: ## build bin/toll
	$(GO) build -tags $(TAGS) -ldflags "$(LDFLAGS)" -o bin/toll ./cmd/toll

run: build ## the main job on the bundled real data, no network: warehouse + snapshot under $(DATA_DIR)
	./bin/toll run --offline --data-dir $(DATA_DIR)

test: ## every test
	$(GO) vet -tags $(TAGS) ./...
	$(GO) test -tags $(TAGS) -count=1 ./...

bench: build ## benchmarks (speed and memory are measured here, never in tests); ends with tollbench's key=value lines
	$(GO) test -tags $(TAGS) -run '^$$' -bench . -benchmem ./...
	$(GO) build -o bin/tollbench ./cmd/tollbench
	./bin/tollbench -events $(BENCH_EVENTS)

FUZZTIME ?= 60s
fuzz: ## every fuzz target for $(FUZZTIME), its minimizing bounded so that none stalls; a failing input is saved under testdata/fuzz, which `make test` replays
	@set -e; for file in $$(grep -rl --include='*_test.go' '^func Fuzz' cmd pipeline schemas); do \
	  for target in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' $$file); do \
	    echo "== $$target ./$$(dirname $$file)"; \
	    $(GO) test -tags $(TAGS) -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 10s ./$$(dirname $$file); \
	  done; \
	done

fmt:
	gofmt -w cmd pipeline schemas

clean:
	rm -rf bin $(DATA_DIR) .scratch/bench

accuracy: ## toll check measured on the labelled sets (sentences, wide sentences, whole OCHA reports)
	$(GO) test -tags $(TAGS) -count=1 -run TestAccuracy -v ./pipeline/check/ | grep -vE "^(=== RUN|--- PASS|PASS)"
