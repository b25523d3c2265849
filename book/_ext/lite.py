"""La edición interactiva: cada capítulo como cuaderno de JupyterLite, dentro del sitio.

Después de construir el libro, `construir()` arma `_build/html/navegador/`: JupyterLite con el
kernel de Pyodide, que corre Python en el navegador del lector sin instalar nada. Todo lo que
el kernel necesita se sirve desde el sitio:

- el entorno de Pyodide (paquete `pyodide` de npm, versión fija y verificada con su sha512);
- las ruedas de Python puro que el kernel carga al arrancar y `graphviz` (`navegador/ruedas.txt`,
  descargadas con `pip download --require-hashes`);
- una rueda de `michigrad` por capítulo, `michigrad-1.0.0+antesNN`, con el paquete tal como
  está *antes* de ese capítulo (la misma copia con la que la construcción lo ejecuta);
- la rueda `navegador` (`navegador/navegador.py`), que deja que «Run All» siga después de los
  errores mostrados a propósito y saltea las celdas de PyTorch mostrando su salida publicada.

NumPy y Matplotlib para Pyodide no están en ningún registro de paquetes: el sitio los pide al
CDN de Pyodide cuando el lector tiene conexión.

Las descargas quedan en `_build/descargas-navegador/` y no se repiten. Uso:
`python book/_ext/lite.py descargar` (solo las descargas) o `python book/_ext/lite.py` (todo).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tarfile
import urllib.request
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import publish  # noqa: E402

PYODIDE_VERSION = "314.0.6"
PYODIDE_NPM = f"https://registry.npmjs.org/pyodide/-/pyodide-{PYODIDE_VERSION}.tgz"
PYODIDE_SHA512 = ("BKDTJyIqFxC4BExLqeRS3f5xvXZIjOt8C3zGLN/Cc7tFxSwvKVhVkchQQ2AGLOtR4YrVOIFxbV8po"
                  "yDOOmWwxQ==")
CDN = f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE_VERSION}/full/"
# Lo que el kernel carga al arrancar (micropip; después piplite instala ipython y jedi):
# se sirve desde el sitio. El resto del lock de Pyodide (numpy, matplotlib, …) viene del CDN.
KERNEL_ROOTS = ["micropip", "packaging", "ipython", "jedi"]
RUNTIME = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip",
           "pyodide.js", "package.json"]
WHEELS = HERE / "navegador" / "ruedas.txt"
HELPER = HERE / "navegador" / "navegador.py"
# Con fecha fija, dos construcciones dan los mismos bytes (2024-01-01, como los zip).
SOURCE_DATE_EPOCH = "1704067200"
FOLDER = "navegador"                       # dentro del sitio
TAG = "sin-navegador"
TORCH = re.compile(r"\btorch\b")
TORCH_NOTICE = ("# ⚠ En el navegador esta celda no se ejecuta (usa PyTorch, que no existe en "
                "Pyodide):\n# muestra la salida que produjo al construir el libro.\n")
# Celdas que arman cadenas de decenas de miles de nodos: al liberarlas, CPython recorre la
# cadena en recursión de C, y la pila de WebAssembly del navegador (mucho menor que la de un
# proceso) se desborda y mata al kernel. Se saltean como las de PyTorch. Un capítulo también
# puede marcar una celda a mano con `tags: [sin-navegador]`.
DEEP = {"02-value": re.compile(r"cost_per_node\("),
        "04-backprop-automatico": re.compile(r"long_chain\(200_000\)|== 200_001|garbage_left_by\(")}
DEEP_NOTICE = ("# ⚠ En el navegador esta celda no se ejecuta (arma un grafo demasiado profundo "
               "para la pila\n# del navegador): muestra la salida que produjo al construir el "
               "libro.\n")
GENERIC_NOTICE = ("# ⚠ En el navegador esta celda no se ejecuta: muestra la salida que produjo "
                  "al construir el libro.\n")


def browser_notice(stem: str, cell) -> str | None:
    """El aviso de una celda que no corre en el navegador, o None si corre."""
    if cell.cell_type != "code":
        return None
    if TORCH.search(cell.source):
        return TORCH_NOTICE
    if stem in DEEP and DEEP[stem].search(cell.source):
        return DEEP_NOTICE
    if TAG in cell.metadata.get("tags", []):
        return GENERIC_NOTICE
    return None


def log(message: str) -> None:
    print(f"[navegador] {message}", flush=True)


# --- Descargas ------------------------------------------------------------------------------

def _pyodide_runtime(cache: Path) -> Path:
    package = cache / "pyodide-npm" / "package"
    if (package / "pyodide.mjs").exists():
        return package
    log(f"descargando {PYODIDE_NPM}")
    with urllib.request.urlopen(PYODIDE_NPM, timeout=120) as response:
        data = response.read()
    digest = base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")
    if digest != PYODIDE_SHA512:
        raise RuntimeError(f"pyodide-{PYODIDE_VERSION}.tgz no coincide con su sha512 fijado")
    tmp = cache / "pyodide-npm.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    archive = tmp / "pyodide.tgz"
    archive.write_bytes(data)
    with tarfile.open(archive) as tar:
        tar.extractall(tmp, filter="data")
    archive.unlink()
    shutil.rmtree(cache / "pyodide-npm", ignore_errors=True)
    tmp.rename(cache / "pyodide-npm")
    return package


def _wheels(cache: Path) -> Path:
    folder = cache / "ruedas"
    stamp = folder / ".ruedas.txt"
    wanted = WHEELS.read_bytes()
    if stamp.exists() and stamp.read_bytes() == wanted:
        return folder
    log("descargando las ruedas de navegador/ruedas.txt")
    shutil.rmtree(folder, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                    "--require-hashes", "--only-binary=:all:", "--python-version", "3.14",
                    "-d", str(folder), "-r", str(WHEELS)], check=True)
    stamp.write_bytes(wanted)
    return folder


def descargar(cache: Path) -> tuple[Path, Path]:
    """Consigue (una sola vez) el entorno de Pyodide y las ruedas fijadas."""
    cache.mkdir(parents=True, exist_ok=True)
    return _pyodide_runtime(cache), _wheels(cache)


# --- Ruedas ---------------------------------------------------------------------------------

def wheel(name: str, version: str, files: dict[str, bytes], summary: str,
          requires: tuple[str, ...] = ()) -> tuple[str, bytes]:
    """Una rueda reproducible (la arma `publish.wheel`): (nombre del archivo, bytes)."""
    return (f"{name}-{version}-py3-none-any.whl",
            publish.wheel(name, version, files, summary, requires))


def snapshot_version(stem: str) -> str:
    """`02-value` → `1.0.0+antes02`; la introducción usa el paquete terminado."""
    number = stem.split("-")[0]
    return f"{publish.VERSION}+antes{number}" if number.isdigit() else f"{publish.VERSION}+completo"


def snapshot_folder(generated: Path, stem: str) -> Path:
    if stem.split("-")[0].isdigit():
        return generated / "antes-de" / stem / publish.PACKAGE
    return generated / "completo" / publish.PACKAGE


def snapshot_wheel(generated: Path, stem: str) -> tuple[str, bytes]:
    folder = snapshot_folder(generated, stem)
    files = {f"{publish.PACKAGE}/{p.name}": p.read_bytes() for p in sorted(folder.glob("*.py"))}
    if not files:
        raise FileNotFoundError(f"no hay copia del paquete para {stem} en {folder}")
    return wheel(publish.PACKAGE, snapshot_version(stem), files,
                 f"michigrad tal como está antes del capítulo {stem} del libro", publish.REQUIRES)


# --- Cuadernos ------------------------------------------------------------------------------

def setup_prefix(stem: str) -> str:
    return "\n".join([
        "import sys",
        'if sys.platform == "emscripten":   # en el navegador (JupyterLite con Pyodide)',
        "    import piplite",
        f'    await piplite.install(["michigrad=={snapshot_version(stem)}", "navegador"])'
        "  # michigrad antes de este capítulo",
        "    import navegador",
        "    navegador.preparar()",
        "",
    ])


def browser_notebook(notebook: nbformat.NotebookNode, stem: str) -> nbformat.NotebookNode:
    """El cuaderno del estudiante, listo para JupyterLite: la primera celda instala la copia
    del paquete de este capítulo; las que no pueden correr ahí (PyTorch, grafos muy profundos)
    llevan la etiqueta `sin-navegador`, un aviso y sus salidas publicadas en los metadatos."""
    notebook = nbformat.from_dict(json.loads(json.dumps(notebook)))
    first = notebook.cells[0]
    if "import michigrad" not in first.source:
        raise ValueError(f"{stem}: la primera celda no es la de preparación")
    first.source = setup_prefix(stem) + first.source
    for cell in notebook.cells[1:]:
        notice = browser_notice(stem, cell)
        if notice is None:
            continue
        tags = cell.metadata.setdefault("tags", [])
        if TAG not in tags:
            tags.append(TAG)
        cell.metadata["navegador"] = {"salidas": cell.get("outputs", []),
                                      "aviso": notice.replace("# ", "").replace("\n", " ").strip()}
        cell.source = notice + cell.source
    return notebook


# --- Construcción ---------------------------------------------------------------------------

def _closure(lock: dict, roots: list[str]) -> list[str]:
    seen, todo = set(), list(roots)
    while todo:
        name = todo.pop().lower().replace("_", "-")
        if name not in seen:
            seen.add(name)
            todo += lock[name]["depends"]
    return sorted(seen)


def _lite_source(source: Path, runtime: Path, wheels: Path, notebooks: Path,
                 generated: Path) -> None:
    # 1. El entorno de Pyodide, con las ruedas que el kernel carga al arrancar. Son las de
    #    PyPI (no las reconstruidas por Pyodide): su sha256 va al lock, que Pyodide verifica.
    pyodide = source / "static" / "pyodide"
    pyodide.mkdir(parents=True)
    for name in RUNTIME:
        shutil.copyfile(runtime / name, pyodide / name)
    lock = json.loads((runtime / "pyodide-lock.json").read_text(encoding="utf-8"))
    packages = lock["packages"]
    local = _closure(packages, KERNEL_ROOTS)
    for name in local:
        entry = packages[name]
        path = wheels / entry["file_name"]
        if not path.exists():
            raise FileNotFoundError(f"falta {path.name} en navegador/ruedas.txt")
        shutil.copyfile(path, pyodide / path.name)
        entry["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    for name, entry in packages.items():
        if name not in local:
            entry["file_name"] = CDN + entry["file_name"]
    (pyodide / "pyodide-lock.json").write_text(json.dumps(lock, separators=(",", ":")),
                                               encoding="utf-8")
    # 2. Las ruedas que instala piplite: comm, graphviz, navegador y michigrad por capítulo.
    pypi = source / "pypi"
    pypi.mkdir()
    for name in ("comm", "graphviz"):
        for path in wheels.glob(f"{name}-*.whl"):
            shutil.copyfile(path, pypi / path.name)
    helper, data = wheel("navegador", "0.1.0", {"navegador.py": HELPER.read_bytes()},
                         "Ayudas para los capítulos del libro en JupyterLite")
    (pypi / helper).write_bytes(data)
    # 3. Los cuadernos.
    content = source / "content"
    content.mkdir()
    for path in sorted(notebooks.glob("*.ipynb")):
        name, data = snapshot_wheel(generated, path.stem)
        (pypi / name).write_bytes(data)
        notebook = browser_notebook(nbformat.read(path, as_version=4), path.stem)
        (content / path.name).write_text(nbformat.writes(notebook) + "\n", encoding="utf-8")
    config = {"jupyter-lite-schema-version": 0, "jupyter-config-data": {
        "appName": "michigrad en el navegador",
        "litePluginSettings": {"@jupyterlite/pyodide-kernel-extension:kernel": {
            "disablePyPIFallback": True}}}}
    (source / "jupyter-lite.json").write_text(json.dumps(config, indent=2) + "\n",
                                              encoding="utf-8")


def kernel_extension() -> Path:
    """La extensión del kernel de Pyodide, tal como la instaló pip en el entorno."""
    path = Path(sys.prefix) / "share" / "jupyter" / "labextensions" / "@jupyterlite" / \
        "pyodide-kernel-extension"
    if not (path / "package.json").exists():
        raise FileNotFoundError(f"no está la extensión del kernel de Pyodide en {path}")
    return path


def construir(build: Path) -> Path:
    """Arma `build/html/navegador/` a partir de los cuadernos que dejó la construcción."""
    html, generated = build / "html", build / "generated"
    notebooks = html / "cuadernos"
    if not any(notebooks.glob("*.ipynb")):
        raise FileNotFoundError(f"no hay cuadernos en {notebooks}: primero se construye el libro")
    runtime, wheels = descargar(build / "descargas-navegador")
    # Todo en una carpeta aparte: con --source-date-epoch, jupyterlite-core 0.8.6 cambia la
    # fecha de todo lo que haya junto a la carpeta de salida.
    work = build / "navegador-tmp"
    shutil.rmtree(work, ignore_errors=True)
    source, output = work / "fuente", work / "salida" / "sitio"
    source.mkdir(parents=True)
    _lite_source(source, runtime, wheels, notebooks, generated)
    jupyter = Path(sys.executable).parent / "jupyter"
    result = subprocess.run(
        [str(jupyter), "lite", "build", "--contents", "content", "--output-dir", str(output),
         "--no-sourcemaps", "--apps", "lab", "--apps", "notebooks",
         "--no-unused-shared-packages", "--source-date-epoch", SOURCE_DATE_EPOCH,
         # Solo la extensión del kernel: no las de JupyterLab que haya en el entorno.
         "--ignore-sys-prefix", f"--LiteBuildConfig.federated_extensions={kernel_extension()}"],
        cwd=source, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError("jupyter lite build falló:\n" + result.stdout[-4000:]
                           + result.stderr[-4000:])
    target = html / FOLDER
    shutil.rmtree(target, ignore_errors=True)
    shutil.move(str(output), str(target))
    shutil.rmtree(work)
    return target


if __name__ == "__main__":
    root = HERE.parents[1] / "_build"
    if sys.argv[1:] == ["descargar"]:
        descargar(root / "descargas-navegador")
    else:
        log(f"listo: {construir(root)}")
