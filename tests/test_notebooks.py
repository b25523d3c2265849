"""Los cuadernos que baja un estudiante, probados donde el estudiante los corre.

Un entorno aparte, como el de Colab: solo numpy, matplotlib, torch e ipykernel, más el
wheel que publica el sitio (que trae `graphviz` de Python). Sin `myst_nb`, sin el programa
`dot` y sin nada del repositorio en el camino de Python.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell

from conftest import ROOT

CLEAN = ROOT / "_build" / "entorno-limpio"
CLEAN_PYTHON = CLEAN / "bin" / "python"
BASE_PACKAGES = ["numpy", "matplotlib", "torch", "ipykernel"]


def pip(*args: str) -> None:
    subprocess.run([str(CLEAN_PYTHON), "-m", "pip", "--quiet", *args,
                    "-c", str(ROOT / "constraints.txt")], check=True)


@pytest.fixture(scope="module")
def clean_kernel(built_site, tmp_path_factory, monkeypatch_module):
    """Un kernel de Jupyter en el entorno limpio, con el wheel del sitio instalado."""
    stamp = CLEAN / ".base-instalada"
    wanted = (ROOT / "constraints.txt").read_text(encoding="utf-8")
    if not stamp.exists() or stamp.read_text(encoding="utf-8") != wanted:
        subprocess.run([sys._base_executable, "-m", "venv", "--clear", str(CLEAN)], check=True)
        pip("install", *BASE_PACKAGES)
        stamp.write_text(wanted, encoding="utf-8")
    wheel, = (built_site / "paquete").glob("michigrad-*.whl")
    pip("install", "--force-reinstall", str(wheel))
    # Como en Colab, micrograd no está: los cuadernos que lo usan lo instalan con %pip.
    subprocess.run([str(CLEAN_PYTHON), "-m", "pip", "uninstall", "--quiet", "--yes",
                    "micrograd"], check=True)
    # El kernel solo ve el entorno limpio: ni el repositorio ni el programa `dot`. Sí ve
    # `sh`, que %pip necesita y que toda máquina tiene.
    shell = tmp_path_factory.mktemp("sh")
    (shell / "sh").symlink_to(shutil.which("sh"))
    kernels = tmp_path_factory.mktemp("jupyter") / "kernels" / "limpio"
    kernels.mkdir(parents=True)
    (kernels / "kernel.json").write_text(json.dumps({
        "argv": [str(CLEAN_PYTHON), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "limpio", "language": "python",
        "env": {"PATH": f"{CLEAN / 'bin'}{os.pathsep}{shell}"}}), encoding="utf-8")
    monkeypatch_module.setenv("JUPYTER_PATH", str(kernels.parent.parent))
    monkeypatch_module.delenv("PYTHONPATH", raising=False)
    return "limpio"


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


MYST = re.compile(r"^(?:`{3,}|:{3,})\{[\w-]+\}|\{[\w:-]+\}`|^\$\$[ \t]*\(|^\([\w-]+\)=",
                  re.MULTILINE)


def notebooks(site: Path) -> list[Path]:
    return sorted((site / "cuadernos").glob("*.ipynb"))


def test_notebooks_are_published_once_per_chapter_and_match_the_downloads(built_site):
    published = notebooks(built_site)
    chapters = sorted(["intro", *(p.stem for p in (ROOT / "book").glob("[0-9][0-9]-*.md"))])
    assert [p.stem for p in published] == chapters
    for path in published:
        download, = (built_site / "_downloads").rglob(path.name)
        assert download.read_bytes() == path.read_bytes(), path.name


def test_notebooks_carry_the_build_outputs_and_no_glue(built_site):
    for path in notebooks(built_site):
        text = path.read_text(encoding="utf-8")
        assert "myst_nb" not in text and "{glue" not in text and "glue(" not in text, path.name
        assert not re.search(r" at 0x[0-9a-f]+", text), f"{path.name}: una dirección de memoria"
        assert "Esta página como cuaderno" not in text, f"{path.name}: la nota de descarga"
        notebook = nbformat.read(path, as_version=4)
        assert "import michigrad" in notebook.cells[0].source, path.name
        # Jupyter y Colab no conocen MyST: ni directivas ni roles ni etiquetas en el texto.
        for cell in notebook.cells:
            if cell.cell_type == "markdown":
                found = MYST.search(cell.source)
                assert not found, f"{path.name}: MyST sin convertir: {found.group(0)!r}"
        outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
        assert outputs, f"{path.name}: sin salidas"
        # Cada figura de la página está también en el cuaderno.
        page = (built_site / f"{path.stem}.html").read_text(encoding="utf-8")
        figures = sum(1 for o in outputs if {"image/png", "image/svg+xml"} & set(o.get("data", {})))
        assert figures >= len(re.findall(r'<img src="_images/', page)), path.name


def node_boxes(svg: str) -> list[tuple[float, float, float, float]]:
    """Las cajas de los nodos de un grafo dibujado por michigrad sin Graphviz."""
    root = ET.fromstring(svg)          # además, falla si el SVG no es XML válido
    return [tuple(float(v) for v in g.get("data-box").split())
            for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("data-box")]


def overlapping(boxes):
    for i, (x1, y1, w1, h1) in enumerate(boxes):
        for x2, y2, w2, h2 in boxes[i + 1:]:
            if x1 < x2 + w2 and x2 < x1 + w1 and y1 < y2 + h2 and y2 < y1 + h1:
                yield (x1, y1, w1, h1), (x2, y2, w2, h2)


def test_notebooks_run_in_a_clean_environment_without_dot(built_site, clean_kernel, tmp_path):
    failures, graphs = [], 0
    for path in notebooks(built_site):
        notebook = nbformat.read(path, as_version=4)
        # Comprobamos que en este kernel no hay `dot` ni myst_nb, y que michigrad es el wheel.
        notebook.cells.insert(1, new_code_cell(
            "import shutil, importlib.util, michigrad\n"
            "assert shutil.which('dot') is None\n"
            "assert importlib.util.find_spec('myst_nb') is None\n"
            "assert 'site-packages' in michigrad.__file__, michigrad.__file__"))
        client = NotebookClient(notebook, timeout=300, kernel_name=clean_kernel,
                                resources={"metadata": {"path": str(tmp_path)}})
        try:
            client.execute()
        except Exception as err:            # noqa: BLE001 — juntamos todos los fallos
            failures.append(f"{path.name}: {str(err)[-1500:]}")
            continue
        for cell in notebook.cells:
            for output in cell.get("outputs", []):
                svg = output.get("data", {}).get("image/svg+xml")
                if svg and "data-box" in svg:
                    graphs += 1
                    clashes = list(overlapping(node_boxes(svg)))
                    if clashes:
                        failures.append(f"{path.name}: cajas superpuestas {clashes[:2]}")
    assert not failures, "\n\n".join(failures)
    # Los capítulos 2, 4, 6 y 7 dibujan grafos: sin `dot`, todos salen del dibujante propio.
    assert graphs >= 10, graphs
