# SautiPBX — two commands on a fresh Debian machine:
#   make run    installs missing packages, builds, runs the daemon with config/sautipbx.yaml
#   make test   installs missing packages, builds, runs unit + integration tests
CONFIG ?= config/sautipbx.yaml
SWIFT_FLAGS ?=

.PHONY: deps build release run test unit integration bench bench-media clean fuzz

deps:
	bash scripts/install-deps.sh

build: deps
	swift build $(SWIFT_FLAGS)

release: deps
	swift build -c release $(SWIFT_FLAGS)

run: release
	.build/release/sautipbx run --config $(CONFIG)

unit: deps
	swift build --build-tests $(SWIFT_FLAGS)
	swift test --skip-build $(SWIFT_FLAGS)

integration: deps
	swift build --product sautipbx $(SWIFT_FLAGS)
	bash integration/run.sh .build/debug/sautipbx

test: unit integration

bench: release
	bash bench/sip-rate.sh

bench-media: deps
	swift build -c release --product sautipbx $(SWIFT_FLAGS)
	swift build -c release --product MediaBench $(SWIFT_FLAGS)
	bash bench/media.sh

clean:
	rm -rf .build
