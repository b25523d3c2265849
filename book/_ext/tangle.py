"""Exporta el paquete `michigrad` desde los capítulos del libro (el «tangle»).

Cada celda de código con `:export: MODULO` pertenece a `michigrad/MODULO.py`. Las
celdas se juntan en el orden de `book/_toc.yml`. Una función decorada con
`@add_to_class(Clase)` se pliega dentro del cuerpo de la clase, de modo que el
módulo generado se lee como código escrito a mano y no menciona el decorador.

Uso desde la línea de comandos:

    python book/_ext/tangle.py export   # escribe michigrad/ (nunca pisa ediciones a mano)
    python book/_ext/tangle.py check    # falla si michigrad/ difiere de los capítulos
"""

from __future__ import annotations

import ast
import hashlib
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import jupytext
import yaml

BOOK = Path(__file__).resolve().parents[1]
ROOT = BOOK.parent
PACKAGE = "michigrad"
DECORATOR = "add_to_class"
FINGERPRINT = "# huella: sha256:"


class ExportError(Exception):
    """Un problema en los capítulos o en michigrad/ que impide exportar."""


def chapters(book: Path = BOOK) -> list[Path]:
    """Los capítulos en el orden de lectura que fija `_toc.yml`."""
    toc = yaml.safe_load((book / "_toc.yml").read_text(encoding="utf-8"))
    found: list[Path] = []

    def walk(entry):
        if isinstance(entry, list):
            for item in entry:
                walk(item)
        elif isinstance(entry, dict):
            if "file" in entry or "root" in entry:
                name = entry.get("file") or entry.get("root")
                path = book / name
                found.append(path if path.suffix else path.with_suffix(".md"))
            for key in ("parts", "chapters", "sections"):
                walk(entry.get(key, []))

    walk(toc)
    return found


def export_cells(chapter: Path) -> list[tuple[str, str]]:
    """Pares (módulo, código) de las celdas marcadas para exportar, en orden."""
    notebook = jupytext.read(chapter, fmt="md:myst")
    return [(cell.metadata["export"], cell.source) for cell in notebook.cells
            if cell.cell_type == "code" and "export" in cell.metadata]


@dataclass
class ClassBlock:
    name: str
    text: str
    methods: list[str] = field(default_factory=list)
    method_names: set[str] = field(default_factory=set)

    def render(self) -> str:
        return "\n\n".join([self.text, *self.methods])


@dataclass
class Module:
    name: str
    sources: list[str] = field(default_factory=list)
    imports: list[str] = field(default_factory=list)
    docstring: str = ""
    blocks: list = field(default_factory=list)      # str o ClassBlock
    classes: dict[str, ClassBlock] = field(default_factory=dict)

    def render(self) -> str:
        origin = ", ".join(dict.fromkeys(self.sources))
        body = "\n\n\n".join(b if isinstance(b, str) else b.render() for b in self.blocks)
        if self.imports:
            body = "\n".join(self.imports) + ("\n\n\n" + body if body else "")
        if self.docstring:
            body = self.docstring + ("\n\n" + body if body else "")
        body = body.strip() + "\n" if body.strip() else ""
        header = (f"# Generado a partir de los capítulos del libro: {origin}.\n"
                  "# No editar a mano: los cambios se hacen en los capítulos y se exportan\n"
                  "# con `make export` (o al construir el libro).\n")
        return header + FINGERPRINT + _digest(body) + "\n\n" + body


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _decorated_class(node: ast.stmt) -> str | None:
    """El nombre de la clase si `node` es una función con `@add_to_class(Clase)`."""
    if not isinstance(node, ast.FunctionDef):
        return None
    for deco in node.decorator_list:
        if (isinstance(deco, ast.Call) and isinstance(deco.func, ast.Name)
                and deco.func.id == DECORATOR and len(deco.args) == 1
                and isinstance(deco.args[0], ast.Name)):
            if len(node.decorator_list) > 1:
                raise ExportError(f"{node.name}: @{DECORATOR} debe ser el único decorador")
            return deco.args[0].id
    return None


def _add_cell(module: Module, source: str, where: str) -> None:
    try:
        tree = ast.parse(source)
    except SyntaxError as err:
        raise ExportError(f"{where}: la celda exportada no es Python válido ({err})") from err
    lines = source.splitlines()
    pending: list[str] = []          # texto plano acumulado de la celda

    def flush():
        text = "\n".join(pending).strip("\n")
        if text.strip():
            module.blocks.append(text)
        pending.clear()

    start = 0                        # primera línea aún no asignada (índice 0)
    for node in tree.body:
        first = (node.decorator_list[0].lineno if getattr(node, "decorator_list", None)
                 else node.lineno) - 1
        leading, own = lines[start:first], lines[first:node.end_lineno]
        start = node.end_lineno
        if isinstance(node, (ast.Import, ast.ImportFrom)) and node.col_offset == 0:
            pending.extend(leading)
            for line in own:
                if line not in module.imports:
                    module.imports.append(line)
            continue
        if (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str) and not module.blocks
                and not module.docstring and not "".join(pending).strip()):
            module.docstring = "\n".join(own)       # docstring del módulo: va primero
            continue
        target = _decorated_class(node)
        if target is not None:
            block = module.classes.get(target)
            if block is None:
                raise ExportError(f"{where}: @{DECORATOR}({target}) pero la clase {target} "
                                  f"no se definió antes en el módulo {module.name}")
            if node.name in block.method_names:
                raise ExportError(f"{where}: {target}.{node.name} ya estaba definido; "
                                  "cada método se define una sola vez")
            body = [line for line in own[node.lineno - 1 - first:]]
            comments = [line for line in leading if line.strip()]
            block.methods.append(textwrap.indent("\n".join(comments + body), "    "))
            block.method_names.add(node.name)
            continue
        if isinstance(node, ast.ClassDef):
            flush()
            if node.name in module.classes:
                raise ExportError(f"{where}: la clase {node.name} se define dos veces")
            names = {n.name for n in node.body if isinstance(n, ast.FunctionDef)}
            text = "\n".join(leading + own).strip("\n")
            block = ClassBlock(node.name, text, method_names=names)
            module.classes[node.name] = block
            module.blocks.append(block)
            continue
        pending.extend(leading + own)
    flush()


def _render(modules: dict[str, Module]) -> dict[str, str]:
    return {f"{name}.py": module.render() for name, module in sorted(modules.items())}


def snapshots(book: Path = BOOK) -> tuple[dict[Path, dict[str, str]], dict[str, str]]:
    """El paquete tal como queda *antes* de cada capítulo, y el paquete completo.

    Un capítulo se ejecuta sobre lo que exportaron los anteriores y nada más.
    """
    modules: dict[str, Module] = {"__init__": Module("__init__")}
    before: dict[Path, dict[str, str]] = {}
    for chapter in chapters(book):
        before[chapter] = _render(modules)
        for index, (name, source) in enumerate(export_cells(chapter), 1):
            module = modules.setdefault(name, Module(name))
            module.sources.append(chapter.name)
            _add_cell(module, source, f"{chapter.name} (celda exportada {index})")
    return before, _render(modules)


def tangle(book: Path = BOOK) -> dict[str, str]:
    """Texto de cada módulo del paquete completo (siempre incluye `__init__.py`)."""
    return snapshots(book)[1]


def _is_untouched(path: Path) -> bool:
    """¿El archivo sigue igual a como lo generamos? (su huella coincide)."""
    text = path.read_text(encoding="utf-8")
    head, sep, body = text.partition("\n\n")
    marks = [line for line in head.splitlines() if line.startswith(FINGERPRINT)]
    return bool(sep) and len(marks) == 1 and marks[0][len(FINGERPRINT):] == _digest(body)


def write_package(files: dict[str, str], target: Path) -> list[str]:
    """Escribe `files` en `target` sin pisar ediciones a mano; devuelve lo que cambió."""
    target.mkdir(parents=True, exist_ok=True)
    for name in sorted(files):
        path = target / name
        if path.exists() and path.read_text(encoding="utf-8") != files[name] \
                and not _is_untouched(path):
            raise ExportError(
                f"{path} fue editado a mano (su huella no coincide) y no lo vamos a pisar. "
                "Llevar el cambio al capítulo correspondiente y borrar el archivo, "
                "o descartar la edición (git checkout), y volver a exportar.")
    changed = []
    for name in sorted(files):
        path = target / name
        if not path.exists() or path.read_text(encoding="utf-8") != files[name]:
            path.write_text(files[name], encoding="utf-8")
            changed.append(name)
    return changed


def drift(files: dict[str, str], target: Path) -> list[str]:
    """Diferencias entre `target` y lo que exportan los capítulos, una por archivo."""
    problems = []
    present = {p.name for p in target.glob("*.py")} if target.is_dir() else set()
    for name in sorted(files):
        if name not in present:
            problems.append(f"{target.name}/{name} falta")
        elif (target / name).read_text(encoding="utf-8") != files[name]:
            problems.append(f"{target.name}/{name} difiere de lo que exportan los capítulos")
    for name in sorted(present - set(files)):
        problems.append(f"{target.name}/{name} no lo genera ningún capítulo")
    return problems


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    files = tangle()
    if command == "export":
        changed = write_package(files, ROOT / PACKAGE)
        print("michigrad/: " + (", ".join(changed) + " actualizados" if changed
                                else "sin cambios"))
        return 0
    if command == "check":
        problems = drift(files, ROOT / PACKAGE)
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print("Para arreglarlo: `make export` (o reconstruir el libro) y commitear "
                  "michigrad/.", file=sys.stderr)
        return 1 if problems else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except ExportError as err:
        print(f"error: {err}", file=sys.stderr)
        sys.exit(1)
