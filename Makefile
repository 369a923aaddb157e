# Cầu — one plain Makefile. `make help` lists the targets.
# SANITIZE=address,undefined (or thread) switches the whole build.

CC       ?= gcc
FUZZ_CC  ?= clang
BUILD    := build
SANITIZE ?=

CFLAGS   ?= -O2 -g
CFLAGS   += -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -I. -MMD -MP
LDLIBS   :=
ifneq ($(SANITIZE),)
CFLAGS   += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS  += -fsanitize=$(SANITIZE)
endif

# Libraries: one archive per part in build/lib, linked in this order
# (a part may use the parts after it, never those before it).
LIB_PARTS := sfu signaling sfu/core signaling/core media/endpoint media/io media/codec media/core
lib_of     = $(BUILD)/lib/libcau_$(subst /,_,$(1)).a
LIBS      := $(foreach p,$(LIB_PARTS),$(if $(wildcard $(p)/*.c),$(call lib_of,$(p))))
# The sans-IO cores: what the fuzz targets link (with Jansson, which the
# signaling and sfu cores parse with).
CORE_SRC  := $(sort $(wildcard media/core/*.c signaling/core/*.c sfu/core/*.c))

# System libraries of the I/O shells and codecs (core/ uses none of them).
# libsrtp2 comes from build/srtp when `make deps` has built it against OpenSSL
# (tests/tools/srtp_openssl.sh), linked statically; else Debian's (NSS) build.
SRTP_DIR := $(BUILD)/srtp
SRTP_LIB := $(wildcard $(SRTP_DIR)/lib/libsrtp2.a)
PKGS     := glib-2.0 nice openssl $(if $(SRTP_LIB),,libsrtp2) opus vpx jansson libwebsockets
PKG_CFLAGS := $(if $(SRTP_LIB),-I$(SRTP_DIR)/include) $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(SRTP_LIB) $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS   += $(PKG_CFLAGS)
LDLIBS   += $(PKG_LIBS) -lm -lpthread

# Programs: every <part>/bin/<name>.c becomes build/bin/<name> (with '_'
# spelled '-'), linked with every archive.
PROGRAM_SRC := $(sort $(shell find media sfu signaling recorder -path '*/bin/*.c' 2>/dev/null))
prog_of      = $(BUILD)/bin/$(subst _,-,$(basename $(notdir $(1))))
PROGRAMS    := $(foreach s,$(PROGRAM_SRC),$(call prog_of,$(s)))

# Unit tests: tests/unit/<source path>/test_<module>.c -> build/tests/unit/...
UNIT_SRC   := $(sort $(shell find tests/unit -name 'test_*.c' 2>/dev/null))
UNIT_BINS  := $(UNIT_SRC:%.c=$(BUILD)/%)
UNIT_LIBS  := -lcmocka
# Shared helpers of the unit tests (tests/unit/lib): one archive linked into each.
UNIT_LIB   := $(BUILD)/lib/libcau_test_unit.a

# Fuzz targets: tests/fuzz/fuzz_<target>.c -> build/fuzz/<target> (clang +
# libFuzzer) and build/fuzz/<target>-replay (any compiler, replays files).
FUZZ_SRC     := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_TARGETS := $(FUZZ_SRC:tests/fuzz/fuzz_%.c=%)
FUZZ_BINS    := $(FUZZ_TARGETS:%=$(BUILD)/fuzz/%)
REPLAY_BINS  := $(FUZZ_TARGETS:%=$(BUILD)/fuzz/%-replay)
FUZZ_SECONDS ?= 30

# Benchmarks: tests/bench/bench_<name>.c -> build/bench/bench_<name>; `make
# bench` runs each and prints figures (never a pass/fail on timing).
BENCH_SRC  := $(sort $(wildcard tests/bench/bench_*.c))
BENCH_BINS := $(BENCH_SRC:tests/bench/%.c=$(BUILD)/bench/%)
# Shared harness code of the benchmarks.
BENCH_LIB  := $(patsubst %.c,$(BUILD)/obj/%.o,$(sort $(wildcard tests/bench/lib/*.c)))

.PHONY: all test lint fuzz fuzz-build bench run clean distclean deps format help

all: $(LIBS) $(PROGRAMS) $(UNIT_BINS) $(REPLAY_BINS)

help:
	@echo "targets: all test lint fuzz bench run clean deps format"
	@echo "options: SANITIZE=address,undefined | SANITIZE=thread, FUZZ_SECONDS=N"

deps:
	@tests/tools/deps.sh

# Rebuild everything when the flags change (e.g. a SANITIZE build after a plain one).
$(BUILD)/.flags: FORCE
	@mkdir -p $(BUILD)
	@echo '$(CC) $(CFLAGS) $(LDFLAGS)' | cmp -s - $@ || echo '$(CC) $(CFLAGS) $(LDFLAGS)' > $@
FORCE:

# Keep object files that only feed a test binary.
.SECONDARY:

$(BUILD)/obj/%.o: %.c $(BUILD)/.flags
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

define lib_rule
$(call lib_of,$(1)): $(patsubst %.c,$(BUILD)/obj/%.o,$(sort $(wildcard $(1)/*.c)))
	@mkdir -p $$(dir $$@)
	rm -f $$@ && ar rcs $$@ $$^
endef
$(foreach p,$(LIB_PARTS),$(eval $(call lib_rule,$(p))))

define prog_rule
$(call prog_of,$(1)): $(patsubst %.c,$(BUILD)/obj/%.o,$(1)) $(LIBS) $(SRTP_LIB)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(LDFLAGS) $$< $$(LIBS) $$(LDLIBS) -o $$@
endef
$(foreach s,$(PROGRAM_SRC),$(eval $(call prog_rule,$(s))))

# Some tests run programs (build/bin/...): build those first.
$(UNIT_BINS): | $(PROGRAMS)

$(UNIT_LIB): $(patsubst %.c,$(BUILD)/obj/%.o,$(sort $(wildcard tests/unit/lib/*.c)))
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/tests/unit/%: $(BUILD)/obj/tests/unit/%.o $(UNIT_LIB) $(LIBS) $(SRTP_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $< $(UNIT_LIB) $(LIBS) $(UNIT_LIBS) $(LDLIBS) -o $@

$(BUILD)/fuzz/%-replay: $(BUILD)/obj/tests/fuzz/fuzz_%.o $(BUILD)/obj/tests/fuzz/replay_main.o $(LIBS) $(SRTP_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $(filter %.o,$^) $(LIBS) $(LDLIBS) -o $@

$(BUILD)/fuzz/%: tests/fuzz/fuzz_%.c $(CORE_SRC)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -std=c11 -D_POSIX_C_SOURCE=200809L -g -O1 -I. \
	    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	    $< $(CORE_SRC) $(shell pkg-config --libs jansson 2>/dev/null) -lm -o $@

# Targets that need the system libraries install them first, then build in a
# sub-make so that pkg-config sees the freshly installed packages.
test: deps
	@$(MAKE) --no-print-directory all
	@tests/run.sh

lint:
	@tests/tools/lint.sh

format:
	@clang-format -i $$(git ls-files '*.c' '*.h')

fuzz-build: $(FUZZ_BINS)

# Runs every fuzz target for FUZZ_SECONDS on a copy of its corpus; a crash
# fails the target and leaves its reproducer in build/fuzz/crashes/<target>/.
fuzz: deps
	@$(MAKE) --no-print-directory fuzz-build
	@tests/tools/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

$(BUILD)/bench/%: $(BUILD)/obj/tests/bench/%.o $(BENCH_LIB) $(LIBS) $(SRTP_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $< $(BENCH_LIB) $(LIBS) $(LDLIBS) -o $@

bench: deps
	@$(MAKE) --no-print-directory all $(BENCH_BINS)
	@if [ -z "$(BENCH_BINS)" ]; then echo "bench: no benchmarks yet"; fi
	@for b in $(BENCH_BINS); do echo "== $$b"; $$b || exit 1; done

# The bridge on the embedded default config, with a demo meeting of C
# endpoints; prints the join links. Ctrl-C stops it.
run: deps
	@$(MAKE) --no-print-directory all
	@signaling/run_demo.sh

# Keeps the libsrtp build of `make deps` (build/srtp*); distclean removes it.
clean:
	@if [ -d $(BUILD) ]; then find $(BUILD) -mindepth 1 -maxdepth 1 ! -name 'srtp*' -exec rm -rf {} +; fi

distclean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
