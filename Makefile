# SPDX-License-Identifier: MIT
# tempviz: a terminal lab for LLM sampling temperature.
#
#   make            build tempviz and libtempviz.a
#   make run        build and open the TUI on a built-in scenario
#   make test       every test; ends with "N passed, N failed, N skipped"
#   make bench      performance figures (medians, against a naive reference)
#   make asan       the tests under AddressSanitizer and UBSan
#   make fuzz       the parsers' and the app's libFuzzer harnesses (clang)
#   make soak       the sanitizer build under random keys and resizes in tmux
#                   for SOAK_SECONDS (default 600)
#   make screenshots, make golden-update, make install, make clean

VERSION    := 0.1.0
PREFIX     ?= /usr/local
DESTDIR    ?=
DOCDIR     ?= $(PREFIX)/share/doc/tempviz
BUILD      ?= build
PKG_CONFIG ?= pkg-config
CC         ?= cc
Q          := $(if $(V),,@)

# Debian packages the build and the tests need; `make deps` installs the
# missing ones (as root, with apt-get) before anything is compiled: every
# compile and link waits for it (an order-only prerequisite), so `make -j`
# on a fresh machine cannot compile before the headers are there.
# The language model's packages are left out when SPHINXBASE=0 is given.
LM_OFF   := $(filter 0,$(if $(filter command environment,$(origin SPHINXBASE)),$(SPHINXBASE)))
NET_OFF  := $(filter 0,$(if $(filter command environment,$(origin CURL)),$(CURL)))
LM_MODEL := /usr/share/pocketsphinx/model/en-us/en-us.lm.bin
DEB_PKGS := libncurses-dev libcmocka-dev libjansson-dev pkg-config tmux \
	$(if $(LM_OFF),,libsphinxbase-dev pocketsphinx-en-us) \
	$(if $(NET_OFF),,libcurl4-openssl-dev) python3 curl
PC_MODULES := ncursesw cmocka jansson $(if $(LM_OFF),,sphinxbase) \
	$(if $(NET_OFF),,libcurl)
DEPS_INSTALL ?= apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	apt-get install -y -qq $(DEB_PKGS) >/dev/null

# The flags are asked of pkg-config when first used, in a recipe that runs
# after `deps`, not when the Makefile is read (before anything is
# installed); then kept.
pkg = $(eval $(1) := $$(shell $$(PKG_CONFIG) $(2) 2>/dev/null || echo $(3)))$($(1))
CURSES_CFLAGS = $(call pkg,CURSES_CFLAGS,--cflags ncursesw)
CURSES_LIBS   = $(call pkg,CURSES_LIBS,--libs ncursesw,-lncursesw -ltinfo)
JSON_CFLAGS   = $(call pkg,JSON_CFLAGS,--cflags jansson)
JSON_LIBS     = $(call pkg,JSON_LIBS,--libs jansson,-ljansson)
CMOCKA_CFLAGS = $(call pkg,CMOCKA_CFLAGS,--cflags cmocka)
CMOCKA_LIBS   = $(call pkg,CMOCKA_LIBS,--libs cmocka,-lcmocka)
# The language model backend is optional: without sphinxbase (or with
# SPHINXBASE=0) src/lm builds a stub that says what to install. Its
# headers are system headers (they do not pass our warnings), and only
# -lsphinxbase is linked: pkg-config adds the audio library too. Which
# backend is built is decided when the Makefile is read: `make run` and
# `make test` read it again after `deps`.
SPHINXBASE ?= $(shell $(PKG_CONFIG) --exists sphinxbase 2>/dev/null && echo 1 || echo 0)
ifeq ($(SPHINXBASE),1)
LM_CFLAGS := $(patsubst -I%,-isystem %,$(shell $(PKG_CONFIG) --cflags sphinxbase 2>/dev/null))
LM_LIBS   := -lsphinxbase
LM_BACKEND := src/lm/sphinx.c
else
LM_BACKEND := src/lm/sphinx_none.c
endif
# The model-server client is optional in the same way: without libcurl
# (or with CURL=0) --server says in one line what to install.
CURL ?= $(shell $(PKG_CONFIG) --exists libcurl 2>/dev/null && echo 1 || echo 0)
ifeq ($(CURL),1)
NET_CFLAGS := $(shell $(PKG_CONFIG) --cflags libcurl 2>/dev/null)
NET_LIBS   := $(shell $(PKG_CONFIG) --libs libcurl 2>/dev/null) -pthread
NET_BACKEND := src/lm/http.c
else
NET_LIBS   := -pthread
NET_BACKEND := src/lm/http_none.c
endif

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2 -Wcast-qual -Wwrite-strings -Wundef -Wpointer-arith -Wvla \
	-Wno-format-nonliteral
OPT      ?= -O2 -g
CFLAGS   ?= $(OPT)
CFLAGS   += -std=c11 $(WARN) $(if $(WERROR),-Werror)
CPPFLAGS += -Iinclude -Isrc -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=600 \
	-DTV_VERSION=\"$(VERSION)\" -DTV_DATADIR=\"$(PREFIX)/share/tempviz\" \
	-DTV_DOCDIR=\"$(DOCDIR)\" \
	-MMD -MP
# The core's hot loops: a polynomial exp the compiler can vectorize needs
# no errno and no trapping maths; nothing in the core reads either.
CORE_CFLAGS := -O3 -fno-math-errno -fno-trapping-math
LDLIBS   += -lm

CORE_SRC := $(sort $(wildcard src/core/*.c))
IO_SRC   := $(sort $(wildcard src/io/*.c))
IO_ASM   := $(sort $(wildcard src/io/*.S))
UI_SRC   := $(sort $(wildcard src/ui/*.c))
LM_SRC   := $(filter-out src/lm/sphinx%.c src/lm/http%.c,$(sort $(wildcard src/lm/*.c))) \
	$(LM_BACKEND) $(NET_BACKEND)
CLI_SRC  := $(sort $(wildcard src/cli/*.c))
DATA     := $(sort $(wildcard data/*.tsv))
TALKS    := $(sort $(wildcard data/talks/*.talk))

CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/%.o)
IO_OBJ   := $(IO_SRC:%.c=$(BUILD)/%.o) $(IO_ASM:%.S=$(BUILD)/%.o)
UI_OBJ   := $(UI_SRC:%.c=$(BUILD)/%.o)
LM_OBJ   := $(LM_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
MAIN_OBJ := $(BUILD)/src/cli/main.o
APP_OBJ  := $(IO_OBJ) $(LM_OBJ) $(UI_OBJ) $(filter-out $(MAIN_OBJ),$(CLI_OBJ))

LIB := $(BUILD)/libtempviz.a
BIN := $(BUILD)/tempviz

UNIT_SRC  := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
BENCH_BIN := $(BUILD)/tests/bench
FUZZ_SRC  := $(sort $(wildcard tests/fuzz/fuzz_*.c))

.PHONY: all run test unit bench asan soak fuzz screenshots golden-update \
	install uninstall clean deps deps-fuzz
all: deps
	$(Q)$(MAKE) --no-print-directory tempviz

tempviz: $(BIN)
	$(Q)cp $(BIN) tempviz

$(LIB): $(CORE_OBJ) | deps
	@echo "  AR      $@"
	$(Q)$(AR) rcs $@ $^

$(BIN): $(MAIN_OBJ) $(APP_OBJ) $(LIB) | deps
	@echo "  LINK    $@"
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(CURSES_LIBS) $(JSON_LIBS) $(LM_LIBS) $(NET_LIBS) $(LDLIBS)

$(BUILD)/src/core/%.o: src/core/%.c | deps
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(CORE_CFLAGS) -c -o $@ $<

$(BUILD)/src/io/%.o: src/io/%.c | deps
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(CPPFLAGS) $(JSON_CFLAGS) $(CFLAGS) -c -o $@ $<

# Built-in scenarios and talks: data/ files assembled into the binary
# with .incbin.
$(BUILD)/src/io/%.o: src/io/%.S $(DATA) $(TALKS) | deps
	@mkdir -p $(@D)
	@echo "  AS      $<"
	$(Q)$(CC) $(CPPFLAGS) -c -o $@ $<

$(BUILD)/src/lm/%.o: src/lm/%.c | deps
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(CPPFLAGS) $(LM_CFLAGS) $(NET_CFLAGS) $(JSON_CFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/src/ui/%.o: src/ui/%.c | deps
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(CPPFLAGS) $(CURSES_CFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/src/cli/%.o: src/cli/%.c | deps
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(CPPFLAGS) $(JSON_CFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%.o: tests/unit/%.c | deps
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(CPPFLAGS) $(CMOCKA_CFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/test_%: $(BUILD)/tests/test_%.o $(APP_OBJ) $(LIB) | deps
	@echo "  LINK    $@"
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(CURSES_LIBS) $(JSON_LIBS) $(LM_LIBS) $(NET_LIBS) $(LDLIBS)

$(BENCH_BIN): tests/bench/bench.c $(APP_OBJ) $(LIB) | deps
	@mkdir -p $(@D)
	@echo "  LINK    $@"
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -O3 $(LDFLAGS) -o $@ $^ $(CURSES_LIBS) $(JSON_LIBS) $(LM_LIBS) $(NET_LIBS) $(LDLIBS)

# ---------------------------------------------------------------- deps ---
# Installs what a fresh Debian machine lacks; a no-op when all is there.
deps:
	@missing=""; \
	for m in $(PC_MODULES); do $(PKG_CONFIG) --exists $$m 2>/dev/null || missing="$$missing $$m"; done; \
	command -v tmux >/dev/null 2>&1 || missing="$$missing tmux"; \
	command -v python3 >/dev/null 2>&1 || missing="$$missing python3"; \
	command -v curl >/dev/null 2>&1 || missing="$$missing curl"; \
	[ -n "$(LM_OFF)" ] || [ -f $(LM_MODEL) ] || missing="$$missing pocketsphinx-en-us"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" != 0 ]; then \
			echo "tempviz: missing$$missing; as root run: apt-get install $(DEB_PKGS)" >&2; exit 1; \
		fi; \
		echo "  APT     installing$$missing"; \
		$(DEPS_INSTALL); \
	fi

run: deps
	$(Q)$(MAKE) --no-print-directory tempviz
	./tempviz

# The suites run the binary of this build ($(BIN)): `make asan` tests the
# sanitised one without replacing ./tempviz.
test: deps
	$(Q)$(MAKE) --no-print-directory $(BIN) $(UNIT_BIN)
	$(Q)BUILD=$(BUILD) TEMPVIZ=$(BIN) sh tests/run.sh

unit: $(UNIT_BIN)

bench: deps
	$(Q)$(MAKE) --no-print-directory tempviz $(BENCH_BIN)
	$(Q)$(BENCH_BIN)
	$(Q)python3 tests/bench/server.py

ASAN_MAKE := $(MAKE) --no-print-directory BUILD=build-asan \
	OPT="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all" \
	LDFLAGS="-fsanitize=address,undefined"

asan: deps
	$(Q)$(ASAN_MAKE) test

# The sanitizer build driven in tmux by random keys and resizes for
# SOAK_SECONDS (default 600); not part of `make test`.
soak: deps
	$(Q)$(ASAN_MAKE) build-asan/tempviz
	$(Q)TEMPVIZ=build-asan/tempviz sh tests/soak/soak.sh

FUZZ_CC ?= clang
FUZZ_PKGS := clang libclang-rt-dev
# libFuzzer ships with clang's runtime; install both when a probe compile
# of an empty harness fails.
deps-fuzz: deps
	@printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n)\n{ (void)d; (void)n; return 0; }\n' \
		> /tmp/tempviz-probe.c; \
	if ! $(FUZZ_CC) -fsanitize=fuzzer -o /tmp/tempviz-probe /tmp/tempviz-probe.c >/dev/null 2>&1; then \
		[ "$$(id -u)" = 0 ] || { echo "tempviz: libFuzzer missing; as root run: apt-get install $(FUZZ_PKGS)" >&2; exit 1; }; \
		echo "  APT     installing $(FUZZ_PKGS)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(FUZZ_PKGS) >/dev/null; \
	fi; rm -f /tmp/tempviz-probe /tmp/tempviz-probe.c

# The loaders' harnesses link IO and core; the app's also the UI but for
# the terminal backend (term.c, tui.c), and fuzzes with all three formats'
# dictionaries and the model stub; generate mode's (gen) the same, on the
# unit tests' models. -timeout turns a freeze into a finding.
FUZZ_UI_SRC := $(filter-out src/ui/term.c src/ui/tui.c,$(UI_SRC))
FUZZ_LM_SRC := $(filter-out src/lm/sphinx%.c src/lm/http%.c,$(sort $(wildcard src/lm/*.c))) \
	src/lm/sphinx_none.c src/lm/http_none.c
fuzz: deps-fuzz
	$(Q)mkdir -p $(BUILD)/fuzz
	$(Q)cat tests/fuzz/tsv.dict tests/fuzz/json.dict tests/fuzz/npy.dict > $(BUILD)/fuzz/app.dict
	$(Q)for f in $(FUZZ_SRC); do \
		n=$$(basename $$f .c); c=$${n#fuzz_}; \
		srcs="$(IO_SRC) $(CORE_SRC) $(IO_ASM)"; dict=tests/fuzz/$$c.dict; \
		seeds=; \
		case $$c in app|gen) srcs="$$srcs $(FUZZ_UI_SRC) $(FUZZ_LM_SRC)";; esac; \
		if [ "$$c" = app ]; then dict=$(BUILD)/fuzz/app.dict; fi; \
		if [ "$$c" = talk ]; then seeds=data/talks; fi; \
		echo "  FUZZ    $$n ($${FUZZ_SECONDS:-60} s)"; \
		$(FUZZ_CC) -g -O1 -fsanitize=fuzzer,address,undefined $(CPPFLAGS) $(JSON_CFLAGS) \
			-o $(BUILD)/fuzz/$$n $$f $$srcs $(JSON_LIBS) -pthread -lm || exit 1; \
		mkdir -p $(BUILD)/fuzz/corpus-$$c; \
		if ! $(BUILD)/fuzz/$$n -max_total_time=$${FUZZ_SECONDS:-60} -print_final_stats=1 \
			-dict=$$dict -timeout=10 -artifact_prefix=$(BUILD)/fuzz/ \
			$(BUILD)/fuzz/corpus-$$c tests/fuzz/corpus/$$c $$seeds \
			> $(BUILD)/fuzz/$$n.log 2>&1; then \
			grep -E -A30 'ERROR|SUMMARY' $(BUILD)/fuzz/$$n.log; exit 1; \
		fi; \
		grep 'stat::number_of_executed_units' $(BUILD)/fuzz/$$n.log; \
	done

screenshots: tempviz
	$(Q)sh screenshots/make.sh

golden-update: tempviz
	$(Q)UPDATE=1 sh tests/golden/run.sh
	$(Q)UPDATE=1 sh tests/cli/run.sh

install: tempviz
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib \
		$(DESTDIR)$(PREFIX)/include/tempviz $(DESTDIR)$(PREFIX)/share/tempviz \
		$(DESTDIR)$(PREFIX)/share/tempviz/talks $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(DOCDIR)
	install -m 755 tempviz $(DESTDIR)$(PREFIX)/bin/tempviz
	install -m 644 $(LIB) $(DESTDIR)$(PREFIX)/lib/libtempviz.a
	install -m 644 include/tempviz/*.h $(DESTDIR)$(PREFIX)/include/tempviz/
	install -m 644 $(DATA) $(DESTDIR)$(PREFIX)/share/tempviz/
	install -m 644 $(TALKS) $(DESTDIR)$(PREFIX)/share/tempviz/talks/
	install -m 644 src/cli/tempviz.1 $(DESTDIR)$(PREFIX)/share/man/man1/tempviz.1
	install -m 644 LICENSES/* $(DESTDIR)$(DOCDIR)/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/tempviz $(DESTDIR)$(PREFIX)/lib/libtempviz.a \
		$(DESTDIR)$(PREFIX)/share/man/man1/tempviz.1
	rm -rf $(DESTDIR)$(PREFIX)/include/tempviz $(DESTDIR)$(PREFIX)/share/tempviz \
		$(DESTDIR)$(DOCDIR)

clean:
	rm -rf build build-asan tempviz

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
