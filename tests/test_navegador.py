"""La edición interactiva (`_build/html/navegador/`): cada capítulo corre en el navegador.

La prueba de navegador abre capítulos en JupyterLite con Chromium, sin red (todo lo que salga
de 127.0.0.1 se bloquea, también desde los workers), los corre enteros y mira las salidas.
"""

import io
import re
import zipfile
from pathlib import Path

import nbformat
import pytest

from conftest import BOOK, ROOT, chromium, serve

import lite

CHAPTERS = sorted(p.stem for p in BOOK.glob("[0-9][0-9]-*.md"))
GENERATED = ROOT / "_build" / "generated"
SHOTS = ROOT / "_build" / "pruebas-navegador"

# capítulo → lo que debe aparecer en las salidas calculadas en el navegador
CHECKS = {
    "02-value": [
        ("gradientes d.grad y f.grad", r"\(-0\.5, 2\.0\)"),
        ("el error de a + '4' (raises-exception) se muestra y Run All sigue",
         r"se esperaba un número real"),
    ],
    "04-backprop-automatico": [
        ("backward() coincide con las diferencias finitas",
         r"∂L/∂b: backprop -1\.500000\s+numérico -1\.500000"),
        ("los gradientes se acumulan", r"asignando: 2\.0\s+acumulando: 5\.0"),
    ],
}


@pytest.fixture(scope="module")
def edition(built_site) -> Path:
    folder = built_site / lite.FOLDER
    assert (folder / "lab" / "index.html").exists(), "falta la edición interactiva"
    return folder


@pytest.fixture(scope="module")
def server(edition):
    with serve(edition) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    # Sin DNS salvo para 127.0.0.1: alcanza también a los Web Workers del kernel.
    with chromium("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1") as launched:
        yield launched


CELLS_JS = """() => Array.from(
    document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-CodeCell'))
    .map(cell => ({
        prompt: (cell.querySelector('.jp-InputArea-prompt') || {}).textContent || '',
        folded: !!cell.querySelector('.jp-InputPlaceholder'),
        text: (cell.querySelector('.jp-OutputArea') || {textContent: ''}).textContent,
        svg: Array.from(cell.querySelectorAll(
                 '.jp-OutputArea-output[data-mime-type="image/svg+xml"]'))
             .filter(e => e.querySelector('svg') || e.innerHTML.includes('<svg')
                          || e.querySelector('img[src^="data:image/svg"]')).length,
    }))"""

PROMPTS_JS = """() => Array.from(document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputArea-prompt'))
    .map(p => p.textContent.trim())"""


def run_all(browser, server, stem, blocked):
    # Un contexto por cuaderno: JupyterLite guarda su espacio de trabajo en el navegador.
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  service_workers="block")

    def guard(route):
        url = route.request.url
        if url.startswith(server + "/") or url.startswith(("data:", "blob:")):
            return route.continue_()
        blocked.append(url)
        return route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    try:
        page.goto(f"{server}/lab/index.html?path={stem}.ipynb", wait_until="load")
        page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-CodeCell", timeout=120_000)
        # El cuaderno trae las salidas del libro: se borran, para mirar solo lo calculado aquí.
        page.click(".lm-MenuBar-itemLabel:text-is('Edit')", timeout=60_000)
        page.click(".lm-Menu-item:has-text('Clear Outputs of All Cells')", timeout=30_000)
        page.wait_for_function(f"() => ({PROMPTS_JS})().every(p => !/\\d/.test(p))",
                               timeout=30_000)
        page.click(".lm-MenuBar-itemLabel:text-is('Run')", timeout=60_000)
        page.click(".lm-Menu-item:has-text('Run All Cells')", timeout=30_000)
        # Terminó cuando ninguna celda está en cola o corriendo ([*]) y alguna tiene número.
        page.wait_for_function(
            f"""() => {{ const ps = ({PROMPTS_JS})();
                        return ps.length > 0 && !ps.some(p => p.includes('*'))
                               && ps.some(p => /\\d/.test(p)); }}""",
            timeout=300_000, polling=1000)
        cells = page.evaluate(CELLS_JS)
        page.evaluate("""() => { const s = document.querySelectorAll(
            '.jp-OutputArea-output[data-mime-type="image/svg+xml"]');
            if (s.length) s[s.length - 1].scrollIntoView({block: 'center'}); }""")
        page.wait_for_timeout(500)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{stem}.png"))
        return cells
    finally:
        context.close()


@pytest.mark.parametrize("stem", sorted(CHECKS))
def test_a_chapter_runs_in_the_browser_offline(server, browser, stem):
    blocked = []
    cells = run_all(browser, server, stem, blocked)
    ran = [bool(re.fullmatch(r"\[\d+\]:", cell["prompt"].strip())) for cell in cells]
    # Una celda plegada (los comprobadores de los ejercicios) no muestra su número; como
    # «Run All» se detiene en el primer error, corrió bien si corrió alguna celda posterior.
    not_run = [i for i, cell in enumerate(cells)
               if not ran[i] and not (cell["folded"] and any(ran[i + 1:]))]
    assert not not_run, f"{stem}: celdas sin ejecutar {not_run}"
    outputs = "\n".join(cell["text"] for cell in cells)
    missing = [what for what, pattern in CHECKS[stem] if not re.search(pattern, outputs)]
    assert not missing, f"{stem}: faltan en las salidas: {missing}"
    # El dibujo de show_graph, en Python puro (en Pyodide no hay `dot`).
    assert sum(cell["svg"] for cell in cells) > 0, f"{stem}: ningún grafo SVG"
    assert not blocked, f"{stem}: pidió cosas fuera de 127.0.0.1: {sorted(set(blocked))}"


def _wheel_modules(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
        return {name.split("/", 1)[1]: archive.read(name) for name in archive.namelist()
                if name.startswith("michigrad/")}


@pytest.mark.parametrize("stem", ["intro", *CHAPTERS])
def test_every_chapter_has_its_interactive_notebook(edition, built_site, stem):
    notebook = nbformat.read(edition / "files" / f"{stem}.ipynb", as_version=4)
    version = lite.snapshot_version(stem)
    # La primera celda instala la copia del paquete de este capítulo…
    first = notebook.cells[0].source
    assert f'piplite.install(["michigrad=={version}", "navegador"])' in first
    wheel = edition / "pypi" / f"michigrad-{version}-py3-none-any.whl"
    assert wheel.exists(), wheel
    # …y esa rueda tiene exactamente esa copia.
    folder = lite.snapshot_folder(GENERATED, stem)
    expected = {p.name: p.read_bytes() for p in folder.glob("*.py")}
    assert _wheel_modules(wheel) == expected
    # El botón de la página del capítulo lleva a este cuaderno.
    page = (built_site / f"{stem}.html").read_text(encoding="utf-8")
    assert f'href="{lite.FOLDER}/notebooks/index.html?path={stem}.ipynb"' in page
    assert (edition / "notebooks" / "index.html").exists()
    # Las celdas de PyTorch (y las que no caben en la pila del navegador) llevan la marca,
    # el aviso visible y su salida publicada; las demás quedan igual que en el libro.
    published = nbformat.read(built_site / "cuadernos" / f"{stem}.ipynb", as_version=4)
    assert len(notebook.cells) == len(published.cells)
    for cell, original in zip(notebook.cells[1:], published.cells[1:]):
        notice = lite.browser_notice(stem, original)
        if cell.cell_type == "code" and lite.TORCH.search(original.source):
            assert notice == lite.TORCH_NOTICE
        if original.cell_type == "markdown":
            assert cell.source == original.source
        elif notice is None:
            assert cell == original
        else:
            assert lite.TAG in cell.metadata["tags"], (stem, original.source[:80])
            assert cell.source == notice + original.source
            assert cell.metadata["navegador"]["salidas"] == original.outputs


def test_the_kernel_is_served_from_the_site(edition):
    pyodide = edition / "static" / "pyodide"
    for name in ["pyodide.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"]:
        assert (pyodide / name).exists(), name
    config = (edition / "jupyter-lite.json").read_text(encoding="utf-8")
    assert '"pyodideUrl": "./static/pyodide/pyodide.mjs"' in config
    assert '"disablePyPIFallback": true' in config
    assert not list(edition.rglob("*.map")), "quedaron source maps"
