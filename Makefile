# Two entry points do all set-up on a fresh Debian machine:
#   make demo   install what is missing, index sample_docs/, search as two users
#   make test   the same set-up, then the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SYSTEM_PACKAGES := tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng libmagic1 less tmux chromium chromium-driver
INSTALLED := $(VENV)/.installed

.PHONY: demo test system setup bench clean-index samples serve

system:
	@missing=""; \
	for pkg in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$pkg"; \
	done; \
	$(PYTHON) -c "import venv, ensurepip" 2>/dev/null || missing="$$missing python3-venv"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Missing system packages:$$missing"; \
	    echo "Run as root:  apt-get install -y$$missing   then run make again."; \
	    exit 1; \
	  fi; \
	fi

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test,web,cluster]'
	touch $(INSTALLED)

# Bytecode for the package, written here once: pip compiles only what it installs into
# site-packages, and where PYTHONDONTWRITEBYTECODE is set (as on this machine) every command would
# otherwise compile archsearch's sources again, some 40 ms of each CLI start (bench/cli.py).
setup: system $(INSTALLED)
	@$(BIN)/python -m compileall -q archsearch

demo: setup
	$(BIN)/archsearch index sample_docs
	$(BIN)/archsearch users add thuong --clearance unclassified
	$(BIN)/archsearch users add toimat --clearance "tối mật"
	@echo; echo '== search as "thuong" (cleared for unclassified only) =='
	PAGER=cat $(BIN)/archsearch search "bảo quản vũ khí trang bị kỹ thuật" --user thuong --limit 5
	@echo; echo '== the same search as "toimat" (cleared up to Tối mật / secret) =='
	PAGER=cat $(BIN)/archsearch search "bảo quản vũ khí trang bị kỹ thuật" --user toimat --limit 5

# The web front end on http://127.0.0.1:8080/ with two demo users (one-time passwords printed).
serve: setup
	test -f indexes/current.json || $(BIN)/archsearch index sample_docs
	$(BIN)/archsearch users add thuong --clearance unclassified
	$(BIN)/archsearch users add toimat --clearance "tối mật"
	$(BIN)/archsearch users admin toimat
	@$(BIN)/archsearch users passwd thuong --one-time
	@$(BIN)/archsearch users passwd toimat --one-time
	@echo "Open http://127.0.0.1:8080/ and sign in with a name and its one-time password."
	$(BIN)/archsearch serve --bind 127.0.0.1:8080

test: setup
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python bench/ingest.py

samples: setup
	$(BIN)/python -m pip install -q -e '.[samples]'
	$(BIN)/python scripts/make_sample_docs.py

clean-index:
	rm -rf indexes/partitions indexes/*.json

# The no-leak property tests with thousands of random archives and users (long: about an hour
# on 2 cores); the normal suite runs a few bounded examples of the same properties.
FUZZ_EXAMPLES ?= 2000
.PHONY: fuzz
fuzz: setup
	ARCHSEARCH_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_leaks.py
