# Dos comandos: `make book` construye el sitio y `make test` corre las pruebas.
# Ambos preparan todo lo necesario (entorno virtual, Graphviz) y se pueden repetir.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.instalado

.PHONY: book test export check-export bench clean system-deps

$(STAMP): requirements.txt constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt -c constraints.txt
	touch $@

system-deps:
	@command -v dot >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Instalando Graphviz con apt-get..."; \
	    apt-get update -q && apt-get install -y -q graphviz; \
	  else \
	    echo "Falta Graphviz (el programa 'dot'). Instalarlo con:" >&2; \
	    echo "  sudo apt-get install graphviz   (Debian/Ubuntu)" >&2; \
	    echo "  brew install graphviz           (macOS)" >&2; \
	    exit 1; \
	  fi; }

book: $(STAMP) system-deps
	rm -rf _build/html _build/.doctrees _build/jupyter_execute
	$(BIN)/jupyter-book build book --warningiserror --keep-going
	@echo "El sitio está en _build/html/index.html"

test: $(STAMP) system-deps
	$(BIN)/python -m pytest

export: $(STAMP)
	$(BIN)/python book/_ext/tangle.py export

check-export: $(STAMP)
	$(BIN)/python book/_ext/tangle.py check

bench: $(STAMP)
	$(BIN)/python benchmarks/engine.py

clean:
	rm -rf _build
