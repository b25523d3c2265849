"""Utilidades compartidas por las pruebas: rutas, construcción del libro y libros mínimos."""

import contextlib
import functools
import http.server
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BOOK / "_ext"))

JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"

FRONT_MATTER = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
file_format: mystnb
---
"""


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@contextlib.contextmanager
def serve(directory: Path):
    """Sirve `directory` en 127.0.0.1 (con los tipos que necesita JupyterLite) y da su URL."""
    class QuietHandler(http.server.SimpleHTTPRequestHandler):
        extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                          ".mjs": "text/javascript", ".js": "text/javascript",
                          ".wasm": "application/wasm", ".json": "application/json"}

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(directory)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()


@contextlib.contextmanager
def chromium(*extra_args: str):
    """El Chromium de Debian, sin cabeza y sin conexiones propias, manejado con Playwright."""
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail("falta Chromium: `make test` lo instala (o `sudo apt-get install chromium`)")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", *extra_args])
        try:
            yield browser
        finally:
            browser.close()


def recursive_topological_order(root):
    """El orden topológico recursivo de referencia (el de micrograd), para comparar."""
    order, seen = [], set()

    def visit(node):
        if node not in seen:
            seen.add(node)
            for child in node._prev:
                visit(child)
            order.append(node)
    visit(root)
    return order


def build(book: Path, *extra: str) -> subprocess.CompletedProcess:
    """Construye un libro como lo hace `make book` y devuelve el proceso terminado."""
    return subprocess.run([str(JUPYTER_BOOK), "build", str(book), "--warningiserror",
                           "--keep-going", *extra],
                          capture_output=True, text=True, cwd=book.parent)


def clean_build_dirs(root: Path) -> None:
    for name in ("html", ".doctrees", "jupyter_execute"):
        shutil.rmtree(root / "_build" / name, ignore_errors=True)


@pytest.fixture(scope="session")
def built_site() -> Path:
    """El libro completo, construido desde cero una vez por sesión de pruebas."""
    clean_build_dirs(ROOT)
    result = build(BOOK)
    assert result.returncode == 0, (
        "la construcción del libro falló:\n" + result.stdout[-6000:] + result.stderr[-6000:])
    return ROOT / "_build" / "html"


@pytest.fixture
def mini_book(tmp_path):
    """Fabrica un libro mínimo con la extensión real: `mini_book({'a.md': texto, ...})`.

    Los capítulos se listan en `_toc.yml` en el orden del diccionario; el primero es la raíz.
    """
    def make(chapters: dict[str, str]) -> Path:
        book = tmp_path / "book"
        shutil.copytree(BOOK / "_ext", book / "_ext",
                        ignore=shutil.ignore_patterns("__pycache__"))
        names = list(chapters)
        toc = f"format: jb-book\nroot: {Path(names[0]).stem}\n"
        if names[1:]:
            toc += "chapters:\n" + "".join(f"  - file: {Path(n).stem}\n" for n in names[1:])
        (book / "_toc.yml").write_text(toc, encoding="utf-8")
        for name, text in chapters.items():
            (book / name).write_text(text, encoding="utf-8")
        (tmp_path / "_config.yml").write_text(
            "title: mini\nonly_build_toc_files: true\nexclude_patterns: [_build, '_ext/**']\n"
            "execute: {execute_notebooks: force, raise_on_error: true, timeout: 60}\n"
            "sphinx:\n  local_extensions:\n    michigrad_book: book/_ext\n", encoding="utf-8")
        return book
    return make
