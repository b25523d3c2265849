# Dos comandos: `make book` construye el sitio y `make test` corre las pruebas.
# Ambos preparan todo lo necesario (entorno virtual, Graphviz) y se pueden repetir.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.instalado

.PHONY: book test descargas export check-export bench clean book-system test-system

$(STAMP): requirements.txt constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt -c constraints.txt
	touch $@

# Programas del sistema. El libro necesita Graphviz (`dot`) y las fuentes DejaVu (los
# dibujos salen iguales en cada máquina); las pruebas, además, Chromium.
# Cada entrada es «programa (o archivo) que lo delata:paquete de Debian».
BOOK_SYSTEM := dot:graphviz /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:fonts-dejavu-core
TEST_SYSTEM := $(BOOK_SYSTEM) chromium:chromium

# Instala con apt-get lo que falte (si somos root); si no se puede, dice qué instalar.
define install-missing
	@faltan=""; for entry in $(1); do \
	  what="$${entry%%:*}"; \
	  [ -e "$$what" ] || command -v "$$what" >/dev/null 2>&1 || faltan="$$faltan $${entry##*:}"; \
	done; \
	[ -z "$$faltan" ] && exit 0; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Instalando con apt-get:$$faltan"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -q && apt-get install -y -q --no-install-recommends $$faltan; \
	else \
	  echo "Faltan programas del sistema:$$faltan. Instalarlos con:" >&2; \
	  echo "  sudo apt-get install$$faltan   (Debian/Ubuntu)" >&2; \
	  exit 1; \
	fi
endef

book-system:
	$(call install-missing,$(BOOK_SYSTEM))

test-system:
	$(call install-missing,$(TEST_SYSTEM))

# Lo que la edición interactiva (navegador/) sirve desde el sitio: Pyodide de npm y ruedas
# fijadas con sus hashes. Se descarga una vez a _build/descargas-navegador/.
descargas: $(STAMP)
	$(BIN)/python book/_ext/lite.py descargar

# La construcción arma también la edición interactiva, al terminar (book/_ext/lite.py).
book: $(STAMP) book-system descargas
	rm -rf _build/html _build/.doctrees _build/jupyter_execute
	$(BIN)/jupyter-book build book --warningiserror --keep-going
	@echo "El sitio está en _build/html/index.html (y cada capítulo en el navegador, en navegador/)"

test: $(STAMP) test-system descargas
	$(BIN)/python -m pytest

export: $(STAMP)
	$(BIN)/python book/_ext/tangle.py export

check-export: $(STAMP)
	$(BIN)/python book/_ext/tangle.py check

# Mide michigrad contra micrograd (unos 4 minutos) y escribe benchmarks/resultados.json,
# el archivo que lee el capítulo 13 y que se commitea. Falla si no se cumple alguna meta.
bench: $(STAMP)
	$(BIN)/python benchmarks/engine.py

clean:
	rm -rf _build
