"""Ejecuta un capítulo suelto tal como lo ejecuta la construcción del libro.

    python book/_ext/run_chapter.py book/05-operaciones.md [--save salida.ipynb]

El kernel ve `michigrad` tal como estaba *antes* del capítulo (lo exportado por
los capítulos anteriores). Útil para trabajar en un capítulo sin construir el libro.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

sys.path.insert(0, str(Path(__file__).parent))
import tangle  # noqa: E402


def snapshot_env(chapter: Path, folder: Path) -> dict[str, str]:
    """Escribe en `folder` el paquete previo a `chapter` y devuelve el entorno del kernel."""
    before, _ = tangle.snapshots()
    files = before[chapter.resolve()]
    for name, text in files.items():
        path = folder / tangle.PACKAGE / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return {**os.environ, "PYTHONPATH": str(folder)}


def execute(notebook, chapter: Path, timeout: int = 120):
    with tempfile.TemporaryDirectory() as tmp:
        env = snapshot_env(chapter, Path(tmp))
        previous = os.environ.get("PYTHONPATH")
        os.environ["PYTHONPATH"] = env["PYTHONPATH"]
        try:
            client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                                    resources={"metadata": {"path": str(chapter.parent)}})
            client.execute()
        finally:
            if previous is None:
                os.environ.pop("PYTHONPATH", None)
            else:
                os.environ["PYTHONPATH"] = previous
    return notebook


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("chapter", type=Path)
    parser.add_argument("--save", type=Path)
    args = parser.parse_args()
    notebook = jupytext.read(args.chapter, fmt="md:myst")
    started = time.perf_counter()
    execute(notebook, args.chapter.resolve())
    print(f"{args.chapter}: ejecutado sin errores en {time.perf_counter() - started:.1f} s")
    if args.save:
        nbformat.write(notebook, args.save)
    return 0


if __name__ == "__main__":
    sys.exit(main())
