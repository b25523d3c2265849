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

import os
import sys
import time
from pathlib import Path

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


def fail_on_warnings(app: Sphinx, exception) -> None:
    count = getattr(app, "_warncount", 0)
    if exception is None and count:
        raise ExtensionError(f"la construcción produjo {count} advertencia(s); "
                             "el libro no se publica con advertencias")


def setup(app: Sphinx):
    app.connect("builder-inited", export_package)
    app.connect("source-read", point_kernel_to_snapshot)
    app.connect("doctree-read", report_time)
    app.connect("build-finished", fail_on_warnings)
    return {"parallel_read_safe": False, "parallel_write_safe": True}
