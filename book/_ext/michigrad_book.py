"""Extensión de Sphinx que une el libro y el paquete.

- Al iniciar la construcción exporta `michigrad/` desde los capítulos (sin pisar
  ediciones a mano), prepara el zip descargable y, para cada capítulo, una copia
  del paquete tal como estaba *antes* de ese capítulo.
- Antes de ejecutar cada capítulo apunta `PYTHONPATH` a esa copia: así
  `import michigrad` en el capítulo 5 ve solo lo construido en los capítulos 2 a 4.
  La copia se registra como dependencia del capítulo, de modo que cambiar una
  celda exportada vuelve a ejecutar todos los capítulos siguientes.
- Al terminar, cualquier advertencia de Sphinx hace fallar la construcción.
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import time
from pathlib import Path

import jupytext

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

sys.path.insert(0, str(Path(__file__).parent))
import tangle  # noqa: E402

logger = logging.getLogger(__name__)


def generated_dir(app: Sphinx) -> Path:
    """Donde dejamos lo generado: `_build/generated`, junto a `_config.yml`."""
    return Path(app.srcdir).parent / "_build" / "generated"


def _write_if_changed(path: Path, data: bytes) -> None:
    # Reescribir solo lo que cambió conserva las fechas, y con ellas la
    # reconstrucción incremental de Sphinx.
    if not path.exists() or path.read_bytes() != data:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def export_package(app: Sphinx) -> None:
    root, generated = Path(app.srcdir).parent, generated_dir(app)
    try:
        before, package = tangle.snapshots(Path(app.srcdir))
        changed = tangle.write_package(package, root / tangle.PACKAGE)
    except tangle.ExportError as err:
        raise ExtensionError(f"no se pudo exportar michigrad/: {err}") from err
    logger.info(f"[michigrad] paquete exportado; cambiaron: {', '.join(changed) or 'ninguno'}")
    _write_if_changed(generated / "michigrad.zip", tangle.zip_bytes(package))
    app.env_snapshots, app.env_chapter_started = {}, {}
    for chapter, files in before.items():
        docname = chapter.relative_to(app.srcdir).with_suffix("").as_posix()
        folder = generated / "antes-de" / docname
        for name, text in files.items():
            _write_if_changed(folder / tangle.PACKAGE / name, text.encode("utf-8"))
        app.env_snapshots[docname] = folder
    # El propio proceso de Sphinx (autodoc) usa el paquete completo.
    sys.path.insert(0, str(root))


def point_kernel_to_snapshot(app: Sphinx, docname: str, source: list[str]) -> None:
    folder = app.env_snapshots.get(docname)
    if folder is None:
        return
    # El kernel hereda el entorno de este proceso al arrancar, justo después.
    os.environ["PYTHONPATH"] = str(folder)
    for module in sorted((folder / tangle.PACKAGE).glob("*.py")):
        app.env.note_dependency(str(module))
    app.env_chapter_started[docname] = time.perf_counter()


def report_time(app: Sphinx, doctree) -> None:
    # Se lee y ejecuta un documento por vez: lo transcurrido desde source-read
    # hasta aquí es, casi todo, la ejecución del capítulo.
    docname = app.env.docname
    started = app.env_chapter_started.pop(docname, None)
    if started is not None:
        logger.info(f"[michigrad] {docname}: {time.perf_counter() - started:.1f} s")


def _exact_coalesce(original):
    """myst-nb junta las salidas de texto de una celda recortando cada pedazo y agregando
    un salto de línea: si el kernel partió una línea en dos mensajes (depende de cuándo
    vacía su búfer), el HTML cambia de una construcción a otra. Concatenamos los pedazos
    tal cual y dejamos el resto del trabajo a myst-nb."""
    def coalesce(outputs):
        merged, first = [], {}
        for output in outputs:
            if output["output_type"] == "stream":
                if output["name"] in first:
                    first[output["name"]]["text"] += output["text"]
                    continue
                output = copy.deepcopy(output)
                first[output["name"]] = output
            merged.append(output)
        return original(merged)
    return coalesce


def mark_exported_cells(app: Sphinx, doctree) -> None:
    """Marca las celdas que van al paquete, para que el lector vea a qué módulo van."""
    for cell in doctree.findall(nodes.container):
        module = cell.get("nb_element") == "cell_code" and cell.get("cell_metadata", {}).get("export")
        if module:
            cell["classes"] += ["michigrad-export", f"michigrad-export-{module.strip('_')}"]


# Textos de la interfaz que el tema y Sphinx 7.4 todavía dejan en inglés.
LEFTOVERS = {
    'title="Link to this heading"': 'title="Enlace a este título"',
    'title="Toggle primary sidebar"': 'title="Mostrar u ocultar el índice"',
    'title="Toggle secondary sidebar"': 'title="Mostrar u ocultar el contenido de la página"',
    'aria-label="Main"': 'aria-label="Principal"',
    'aria-label="Page"': 'aria-label="Página"',
    "© Copyright": "©",
}


def _drop_repeated_scripts(html: str) -> str:
    """sphinx-thebe 0.3.1 agrega dos veces su `<script>` de configuración, y la segunda
    declaración de `const THEBE_JS_URL` es un error de JavaScript en cada página."""
    seen, lines = set(), []
    for line in html.split("\n"):
        tag = line.strip()
        if tag.startswith("<script") and tag.endswith("</script>"):
            if tag in seen:
                continue
            seen.add(tag)
        lines.append(line)
    return "\n".join(lines)


def translate_leftovers(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for page in sorted(Path(app.outdir).rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        fixed = _drop_repeated_scripts(text)
        for english, spanish in LEFTOVERS.items():
            fixed = fixed.replace(english, spanish)
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")


def commit_year(app: Sphinx, config) -> None:
    """El año del pie de página: el del último commit, para que un commit se construya
    siempre igual (o el año en curso, fuera de un repositorio git)."""
    try:
        year = subprocess.run(["git", "log", "-1", "--format=%cd", "--date=format:%Y"],
                              capture_output=True, text=True, cwd=app.srcdir,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        year = ""
    config.copyright = year or time.strftime("%Y")


def write_notebooks(app: Sphinx) -> None:
    """Cada capítulo como cuaderno .ipynb (sin salidas) para descargar o abrir en Colab."""
    folder = generated_dir(app) / "cuadernos"
    for chapter in tangle.chapters(Path(app.srcdir)):
        if "file_format: mystnb" not in chapter.read_text(encoding="utf-8"):
            continue                         # páginas sin código: no hay cuaderno
        notebook = jupytext.read(chapter, fmt="md:myst")
        # Solo lo que Jupyter necesita: fuera los metadatos de jupytext y del libro.
        notebook.metadata = {"kernelspec": notebook.metadata.get("kernelspec", {}),
                             "language_info": {"name": "python"}}
        for index, cell in enumerate(notebook.cells):
            cell.id = f"celda-{index}"       # nbformat las inventa al azar

        text = jupytext.writes(notebook, fmt="ipynb")
        _write_if_changed(folder / f"{chapter.stem}.ipynb", text.encode("utf-8"))


def link_notebook(app: Sphinx, docname: str, source: list[str]) -> None:
    """Agrega al final de cada capítulo el enlace a su cuaderno."""
    notebook = generated_dir(app) / "cuadernos" / f"{Path(docname).name}.ipynb"
    if docname in app.env_snapshots and notebook.exists():
        relative = os.path.relpath(notebook, Path(app.srcdir, docname).parent)
        source[0] += ("\n\n:::{seealso}\nEste capítulo como cuaderno de Jupyter: "
                      f"{{download}}`{notebook.name} <{relative}>`. Se ejecuta de principio "
                      "a fin con la carpeta `michigrad/` al lado.\n:::\n")


def fail_on_warnings(app: Sphinx, exception) -> None:
    count = getattr(app, "_warncount", 0)
    if exception is None and count:
        raise ExtensionError(f"la construcción produjo {count} advertencia(s); "
                             "el libro no se publica con advertencias")


def setup(app: Sphinx):
    import myst_nb.core.render as render
    if not getattr(render.coalesce_streams, "michigrad", False):
        render.coalesce_streams = _exact_coalesce(render.coalesce_streams)
        render.coalesce_streams.michigrad = True
    app.connect("config-inited", commit_year)
    app.connect("builder-inited", export_package)
    app.connect("builder-inited", write_notebooks)
    app.connect("source-read", point_kernel_to_snapshot)
    app.connect("source-read", link_notebook)
    app.connect("doctree-read", report_time)
    app.connect("doctree-read", mark_exported_cells)
    app.connect("build-finished", translate_leftovers)
    app.connect("build-finished", fail_on_warnings)
    return {"parallel_read_safe": False, "parallel_write_safe": True}
