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

# Programas del sistema que usan el libro y las pruebas: Graphviz (`dot`) y Chromium.
# Si falta alguno y somos root con apt-get, se instala; si no, se explica cómo hacerlo.
system-deps:
	@faltan=""; \
	command -v dot >/dev/null 2>&1 || faltan="$$faltan graphviz"; \
	command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || faltan="$$faltan chromium"; \
	fc-list 2>/dev/null | grep -qi dejavu || faltan="$$faltan fonts-dejavu-core"; \
	[ -z "$$faltan" ] && exit 0; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Instalando con apt-get:$$faltan"; \
	  DEBIAN_FRONTEND=noninteractive apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$faltan; \
	else \
	  echo "Faltan programas del sistema:$$faltan. Instalarlos con:" >&2; \
	  echo "  sudo apt-get install$$faltan   (Debian/Ubuntu)" >&2; \
	  echo "  brew install graphviz && brew install --cask chromium   (macOS)" >&2; \
	  exit 1; \
	fi

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
