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

import dataclasses
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import jupytext
import nbformat
import yaml

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.transforms import SphinxTransform
from sphinx_exercise.nodes import solution_node
from sphinx.util import logging

sys.path.insert(0, str(Path(__file__).parent))
import lite  # noqa: E402
import publish  # noqa: E402
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
    _write_if_changed(generated / "michigrad.zip", publish.zip_bytes(package))
    # El wheel va en una dirección fija del sitio (`paquete/`): de ahí lo instalan los
    # cuadernos en Colab.
    _write_if_changed(site_dir(app) / "paquete" / publish.WHEEL_NAME, publish.wheel_bytes(package))
    app.env_snapshots, app.env_chapter_started = {}, {}
    for chapter, files in before.items():
        docname = chapter.relative_to(app.srcdir).with_suffix("").as_posix()
        folder = generated / "antes-de" / docname
        for name, text in files.items():
            _write_if_changed(folder / tangle.PACKAGE / name, text.encode("utf-8"))
        app.env_snapshots[docname] = folder
    # La página de inicio muestra el paquete terminado, como lo usaría un estudiante.
    finished = generated / "completo"
    for name, text in package.items():
        _write_if_changed(finished / tangle.PACKAGE / name, text.encode("utf-8"))
    app.env_snapshots[app.config.root_doc] = finished
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
        return original(publish.merge_streams(outputs))
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


def translate_leftovers(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for page in sorted(Path(app.outdir).rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        fixed = text
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


def site_dir(app: Sphinx) -> Path:
    """Archivos que se copian tal cual a la raíz del sitio (`html_extra_path`)."""
    return generated_dir(app) / "sitio"


def add_site_dir(app: Sphinx, config) -> None:
    folder = Path(app.srcdir).parent / "_build" / "generated" / "sitio"
    folder.mkdir(parents=True, exist_ok=True)
    config.html_extra_path = [*config.html_extra_path, str(folder)]


def publishing(app: Sphinx) -> dict[str, str]:
    """La dirección del sitio y del repositorio, si `_config.yml` las da.

    Leemos `_config.yml` y no la configuración de Sphinx porque Jupyter Book completa
    `repository.url` con la suya cuando el libro no la da.
    """
    config = Path(app.srcdir).parent / "_config.yml"
    settings = yaml.safe_load(config.read_text(encoding="utf-8")) if config.exists() else {}
    baseurl = ((settings or {}).get("html") or {}).get("baseurl", "")
    repository = ((settings or {}).get("repository") or {}).get("url", "")
    return {"baseurl": baseurl.rstrip("/"), "repository": repository.rstrip("/")}


def wheel_url(app: Sphinx) -> str | None:
    baseurl = publishing(app)["baseurl"]
    return f"{baseurl}/paquete/{publish.WHEEL_NAME}" if baseurl else None


# Rama del repositorio donde el flujo de publicación deja los cuadernos: Colab abre
# cuadernos de GitHub, no del sitio.
NOTEBOOK_BRANCH = "cuadernos"


def colab_url(app: Sphinx, stem: str) -> str | None:
    where = publishing(app)
    if not (where["baseurl"] and where["repository"].startswith("https://github.com/")):
        return None
    repository = where["repository"].removeprefix("https://github.com/")
    return (f"https://colab.research.google.com/github/{repository}/blob/"
            f"{NOTEBOOK_BRANCH}/{stem}.ipynb")


def notebook_chapters(app: Sphinx) -> list[Path]:
    return [chapter for chapter in tangle.chapters(Path(app.srcdir))
            if "file_format: mystnb" in chapter.read_text(encoding="utf-8")]


def write_placeholder_notebooks(app: Sphinx) -> None:
    """El enlace `{download}` necesita que el cuaderno exista al leer el capítulo; el
    cuaderno de verdad (con las salidas) se escribe después de ejecutar todo."""
    for chapter in notebook_chapters(app):
        path = generated_dir(app) / "cuadernos" / f"{chapter.stem}.ipynb"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nbformat.v4.new_notebook(), path)


def references(app: Sphinx, env) -> publish.References:
    """Títulos y números de las referencias cruzadas, y enlaces a sus páginas si el sitio
    tiene dirección pública. Las rutas de `literalinclude` son relativas a cada capítulo."""
    baseurl = publishing(app)["baseurl"]
    sections = {label: (title, f"{baseurl}/{docname}.html#{anchor}" if baseurl else None)
                for label, (docname, anchor, title) in env.domaindata["std"]["labels"].items()}
    equations = {label: number for label, (_, number)
                 in env.domaindata["math"]["objects"].items()}
    return publish.References(sections, equations)


def write_student_notebooks(app: Sphinx, env) -> None:
    """Cada capítulo como cuaderno: con las salidas de esta construcción y sin `glue`."""
    executed_dir = Path(app.outdir).parent / "jupyter_execute"
    refs = references(app, env)
    for chapter in notebook_chapters(app):
        docname = chapter.relative_to(app.srcdir).with_suffix("").as_posix()
        executed_path = executed_dir / f"{docname}.ipynb"
        if not executed_path.exists():
            raise ExtensionError(f"no encontramos el cuaderno ejecutado de {docname}")
        glue_path = executed_dir / f"{docname}.glue.json"
        glued = json.loads(glue_path.read_text(encoding="utf-8")) if glue_path.exists() else {}
        try:
            notebook = publish.student_notebook(nbformat.read(executed_path, as_version=4),
                                                glued, wheel_url(app), Path(app.srcdir).parent,
                                                app.config.michigrad_hide_solutions,
                                                dataclasses.replace(refs, files=chapter.parent))
        except (KeyError, ValueError) as err:
            raise ExtensionError(f"{docname}: {err}") from err
        data = (nbformat.writes(notebook) + "\n").encode("utf-8")
        _write_if_changed(generated_dir(app) / "cuadernos" / f"{chapter.stem}.ipynb", data)
        _write_if_changed(site_dir(app) / "cuadernos" / f"{chapter.stem}.ipynb", data)


def link_notebook(app: Sphinx, docname: str, source: list[str]) -> None:
    """Agrega al final de cada capítulo el enlace a su cuaderno (y a Colab, si hay dónde)."""
    notebook = generated_dir(app) / "cuadernos" / f"{Path(docname).name}.ipynb"
    if docname in app.env_snapshots and notebook.exists():
        relative = os.path.relpath(notebook, Path(app.srcdir, docname).parent)
        colab = colab_url(app, notebook.stem)
        source[0] += ("\n\n:::{seealso}\nEsta página como cuaderno de Jupyter: "
                      f"{{download}}`{notebook.name} <{relative}>`, con las salidas de esta "
                      "página. Corre en cualquier Jupyter: su primera celda consigue "
                      "`michigrad` si hace falta."
                      + (f" También se puede [abrir en Colab]({colab})." if colab else "")
                      + "\n:::\n")


class HideSolutions(SphinxTransform):
    """Quita las soluciones de los ejercicios cuando `hide_solutions: true` (un libro para una
    evaluación). La opción propia de sphinx-exercise 1.2.1 rompe las soluciones con código
    (`solution-start`/`solution-end`): la tomamos nosotros y la apagamos para sphinx-exercise."""
    default_priority = 20        # después de que sphinx-exercise une las soluciones (10)

    def apply(self):
        if self.config.michigrad_hide_solutions:
            for node in list(self.document.findall(solution_node)):
                node.parent.remove(node)


def take_over_hide_solutions(app: Sphinx, config) -> None:
    if "hide_solutions" in config:               # solo si sphinx-exercise está cargado
        config.michigrad_hide_solutions = config.hide_solutions
        config.hide_solutions = False


def browser_link(app: Sphinx, doctree) -> None:
    """Debajo del título de cada capítulo, el botón que lo abre en la edición interactiva."""
    docname = app.env.docname
    notebook = generated_dir(app) / "cuadernos" / f"{Path(docname).name}.ipynb"
    if not (app.config.michigrad_navegador and docname in app.env_snapshots
            and notebook.exists()):
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None or not isinstance(section[0], nodes.title):
        return
    up = "../" * docname.count("/")
    href = f"{up}{lite.FOLDER}/notebooks/index.html?path={notebook.name}"
    html = (f'<p class="michigrad-navegador"><a class="btn btn-sm btn-outline-primary" '
            f'href="{href}" target="_blank" rel="noopener">'
            '<span aria-hidden="true">▶</span> Ejecutar en el navegador</a> '
            '<span class="michigrad-navegador-nota">(sin instalar nada: Python corre en esta '
            'página, con michigrad tal como está antes de este capítulo)</span></p>')
    section.insert(1, nodes.raw("", html, format="html"))


def build_browser_edition(app: Sphinx, exception) -> None:
    """Después del sitio, la edición interactiva en `navegador/` (book/_ext/lite.py)."""
    if exception is not None or app.builder.format != "html" or not app.config.michigrad_navegador:
        return
    started = time.perf_counter()
    try:
        folder = lite.construir(Path(app.outdir).parent)
    except (OSError, RuntimeError, ValueError, subprocess.CalledProcessError) as err:
        raise ExtensionError(f"no se pudo construir la edición interactiva: {err}") from err
    logger.info(f"[michigrad] edición interactiva en {folder} "
                f"({time.perf_counter() - started:.1f} s)")


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
    app.add_config_value("michigrad_hide_solutions", False, "env")
    app.connect("config-inited", take_over_hide_solutions)
    app.add_transform(HideSolutions)
    app.add_config_value("michigrad_navegador", False, "html")
    app.connect("config-inited", commit_year)
    app.connect("config-inited", add_site_dir)
    app.connect("builder-inited", export_package)
    app.connect("builder-inited", write_placeholder_notebooks)
    app.connect("env-updated", write_student_notebooks)
    app.connect("source-read", point_kernel_to_snapshot)
    app.connect("source-read", link_notebook)
    app.connect("doctree-read", report_time)
    app.connect("doctree-read", mark_exported_cells)
    app.connect("doctree-read", browser_link)
    app.connect("build-finished", translate_leftovers)
    app.connect("build-finished", build_browser_edition)
    app.connect("build-finished", fail_on_warnings)
    return {"parallel_read_safe": False, "parallel_write_safe": True}
