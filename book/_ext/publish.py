"""Lo que el lector se lleva del sitio: el paquete como wheel y los cuadernos de cada capítulo.

- `wheel_bytes` arma `michigrad-<versión>-py3-none-any.whl` sin herramientas de empaquetado:
  un wheel es un zip con los módulos y tres archivos de metadatos. Con orden y fechas fijas,
  el mismo commit produce los mismos bytes.
- `student_notebook` convierte el cuaderno que ejecutó la construcción en uno que corre en un
  Jupyter cualquiera (Colab incluido): conserva las salidas, quita `glue` (que solo existe
  dentro de la construcción), escribe en el texto los números que `glue` insertaba, pasa
  las directivas y los roles de MyST a Markdown común (`plain_markdown`) y agrega al
  principio una celda que hace importable `michigrad`.
"""

from __future__ import annotations

import ast
import copy
import base64
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell

PACKAGE = "michigrad"
VERSION = "1.0.0"
WHEEL_NAME = f"{PACKAGE}-{VERSION}-py3-none-any.whl"
# Fecha fija para los archivos de los zip: el mismo commit produce los mismos bytes.
ZIP_DATE = (2024, 1, 1, 0, 0, 0)
# `visualize` usa el paquete `graphviz` de Python (puro Python; el programa `dot` es opcional).
REQUIRES = ("graphviz>=0.20",)


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "sha256=" + digest.decode("ascii")


def wheel(name: str, version: str, files: dict[str, bytes], summary: str,
          requires: tuple[str, ...] = (), license: str | None = None) -> bytes:
    """Un wheel `py3-none-any` con `files` (`{'ruta/en/el/wheel': bytes}`), reproducible."""
    info = f"{name}-{version}.dist-info"
    contents = dict(sorted(files.items()))
    contents[f"{info}/METADATA"] = "\n".join([
        "Metadata-Version: 2.1",
        f"Name: {name}",
        f"Version: {version}",
        f"Summary: {summary}",
        *([f"License: {license}"] if license else []),
        "Requires-Python: >=3.10",
        *(f"Requires-Dist: {requirement}" for requirement in requires),
        "",
    ]).encode("utf-8")
    contents[f"{info}/WHEEL"] = ("Wheel-Version: 1.0\nGenerator: michigrad-book\n"
                                 "Root-Is-Purelib: true\nTag: py3-none-any\n").encode("utf-8")
    top = sorted({path.split("/")[0].removesuffix(".py") for path in files})
    contents[f"{info}/top_level.txt"] = "".join(f"{t}\n" for t in top).encode("utf-8")
    record = "".join(f"{path},{_record_hash(data)},{len(data)}\n"
                     for path, data in contents.items())
    contents[f"{info}/RECORD"] = (record + f"{info}/RECORD,,\n").encode("utf-8")
    return _zip(contents)


def wheel_bytes(files: dict[str, str]) -> bytes:
    """El paquete (`{'engine.py': texto, ...}`) como wheel instalable con pip."""
    return wheel(PACKAGE, VERSION,
                 {f"{PACKAGE}/{name}": text.encode("utf-8") for name, text in files.items()},
                 "Motor de autograd escalar y pequeña biblioteca de redes neuronales "
                 "(michigrad, el libro)", REQUIRES, license="MIT")


def zip_bytes(files: dict[str, str]) -> bytes:
    """El paquete como zip para descomprimir junto a un trabajo práctico."""
    return _zip({f"{PACKAGE}/{name}": text.encode("utf-8") for name, text in sorted(files.items())})


def _zip(contents: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in contents.items():
            entry = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, data)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------
# Cuadernos para el estudiante
# ---------------------------------------------------------------------------------------

# Paquetes que algunos capítulos comparan con michigrad y que Colab no trae: la primera
# celda los instala si faltan. (numpy, matplotlib y torch ya están en Colab.)
EXTRA_PACKAGES = {"micrograd": "micrograd==0.1.0"}


def setup_source(wheel_url: str | None, extras: list[str] = ()) -> str:
    """La primera celda de cada cuaderno: hace importable `michigrad` si todavía no lo es."""
    lines = []
    for module in extras:
        lines += [f"try:", f"    import {module}", "except ImportError:",
                  f"    %pip install --quiet {EXTRA_PACKAGES[module]}"]
    lines += [
        "# Preparación: hace que `import michigrad` funcione. Si el paquete ya está",
        "# (instalado, o la carpeta michigrad/ junto al cuaderno), esta celda no hace nada.",
        "try:",
        "    import michigrad",
        "except ImportError:",
    ]
    if wheel_url:
        lines += [f"    %pip install --quiet {wheel_url}"]
    else:
        lines += ['    raise ImportError("Falta el paquete michigrad: descarguemos michigrad.zip '
                  'desde el libro y descomprimámoslo junto a este cuaderno.") from None']
    return "\n".join(lines)


def _imported_extras(notebook) -> list[str]:
    pattern = re.compile(r"^\s*(?:from|import)\s+(%s)\b" % "|".join(EXTRA_PACKAGES), re.MULTILINE)
    return sorted({m.group(1) for cell in notebook.cells if cell.cell_type == "code"
                   for m in pattern.finditer(cell.source)})


def data_cell(files: dict[str, str]):
    """Una celda que escribe los archivos de datos que lee el capítulo, si el cuaderno se
    abre lejos del repositorio (en Colab, en otra carpeta). Va plegada: es solo transporte."""
    source = "\n".join([
        "# Los datos que lee la celda siguiente, por si el cuaderno está lejos del repositorio.",
        "from pathlib import Path as _Path",
        "",
        f"_datos = {files!r}",
        "for _nombre, _texto in _datos.items():",
        "    if not any((_carpeta / _nombre).is_file() for _carpeta in [_Path.cwd(), *_Path.cwd().parents]):",
        "        _Path(_nombre).parent.mkdir(parents=True, exist_ok=True)",
        "        _Path(_nombre).write_text(_texto, encoding='utf-8')",
    ])
    return new_code_cell(source, metadata={"jupyter": {"source_hidden": True},
                                           "cellView": "form", "tags": ["hide-input"]})


SOLUTION_START = re.compile(r"^(`{3,}|:{3,})\{solution-start\}", re.MULTILINE)
SOLUTION_END = re.compile(r"^(`{3,}|:{3,})\{solution-end\}[^\n]*\n\1[ \t]*$\n?", re.MULTILINE)


def _without_solutions(cells: list) -> list:
    """Las celdas sin las soluciones (entre `{solution-start}` y `{solution-end}`)."""
    kept, inside = [], False
    for cell in cells:
        if cell.cell_type != "markdown":
            if not inside:
                kept.append(cell)
            continue
        text, pieces = cell.source, []
        while text:
            if inside:
                end = SOLUTION_END.search(text)
                if not end:
                    break
                text, inside = text[end.end():], False
            else:
                start = SOLUTION_START.search(text)
                pieces.append(text if not start else text[:start.start()])
                if not start:
                    break
                text, inside = text[start.start():], True
        if "".join(pieces).strip():
            kept.append(nbformat.v4.new_markdown_cell("".join(pieces).rstrip() + "\n"))
    return kept


GLUE_ROLE = re.compile(r"\{glue(?::[a-z]*)?\}`([^`]+)`")
# La nota que el libro agrega al pie de cada página para bajar su cuaderno: dentro del
# cuaderno mismo no tiene sentido.
NOTEBOOK_NOTE = re.compile(r"\n*:::\{seealso\}\nEsta página como cuaderno de Jupyter:.*?\n:::\n?",
                           re.DOTALL)
LABEL_LINE = re.compile(r"^\([\w-]+\)=[ \t]*\n", re.MULTILINE)


# ---------------------------------------------------------------------------------------
# MyST a Markdown común: Jupyter y Colab no conocen las directivas ni los roles del libro
# ---------------------------------------------------------------------------------------

ADMONITION_TITLES = {"note": "Nota", "warning": "Advertencia", "tip": "Consejo",
                     "seealso": "Ver también", "important": "Importante", "hint": "Pista",
                     "caution": "Cuidado", "attention": "Atención", "danger": "Peligro",
                     "error": "Error"}
DIRECTIVE_START = re.compile(r"^(?P<fence>`{3,}|:{3,})\{(?P<name>[\w-]+)\}[ \t]*(?P<argument>.*)$")
OPTION_LINE = re.compile(r"^:[\w-]+:")
REF_ROLE = re.compile(r"\{(?P<role>ref|eq|download|numref|doc)\}`(?P<content>[^`]+)`")
LABELED_EQUATION = re.compile(r"\$\$[ \t]*\((?P<label>[\w-]+)\)[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class References:
    """Lo que Sphinx sabe de las referencias cruzadas, para escribirlas en un cuaderno.

    `sections`: etiqueta → (título, dirección en el sitio o None); `equations`: etiqueta →
    número de la ecuación; `files`: carpeta donde se resuelven las rutas de `literalinclude`."""
    sections: dict = field(default_factory=dict)
    equations: dict = field(default_factory=dict)
    files: Path | None = None


def _role_text(match: re.Match, refs: References) -> str:
    role, content = match["role"], match["content"]
    explicit = re.fullmatch(r"(?P<text>.*?)\s*<(?P<target>[^<>]+)>", content, re.DOTALL)
    text, target = (explicit["text"], explicit["target"]) if explicit else (None, content)
    if role == "eq":
        number = refs.equations.get(target)
        if number is None:
            raise KeyError(f"el texto cita la ecuación {target!r}, que no tiene número")
        return f"({number})"
    if role == "download":
        return text or Path(target).name
    title, url = refs.sections.get(target, (None, None))
    text = text or title or target
    return f"[{text}]({url})" if url else text


def _directive_markdown(name: str, argument: str, options: list[str], body: str,
                        refs: References) -> str:
    if name == "exercise-start":
        return "---\n\n**Ejercicio**" + (f": {argument}" if argument else "") + "\n"
    if name == "exercise-end":
        return "---\n"
    if name == "solution-start":
        return "**Solución**\n"
    if name == "solution-end":
        return ""
    if name == "literalinclude":
        return _included_code(argument, options, refs) + "\n"
    title = argument if name == "admonition" else ADMONITION_TITLES.get(name)
    if title is None:
        raise ValueError(f"no sabemos escribir la directiva {{{name}}} en un cuaderno")
    quoted = [f"> **{title}**", ">"] + [f"> {line}".rstrip() for line in body.strip("\n").split("\n")]
    return "\n".join(quoted) + "\n"


def _included_code(path: str, options: list[str], refs: References) -> str:
    """El código que muestra `literalinclude`: el archivo o, con `:pyobject:`, esa función
    o clase."""
    source = (refs.files / path).read_text(encoding="utf-8")
    wanted = next((o.split(":", 2)[2].strip() for o in options if o.startswith(":pyobject:")), None)
    if wanted:
        tree, lines = ast.parse(source), source.split("\n")
        scope = tree.body
        for part in wanted.split("."):
            node = next(n for n in scope if getattr(n, "name", None) == part)
            scope = getattr(node, "body", [])
        first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
        source = "\n".join(lines[first - 1:node.end_lineno])
    return f"```python\n{source.rstrip()}\n```"


def plain_markdown(text: str, refs: References) -> str:
    """El Markdown de una celda sin directivas ni roles de MyST: avisos como citas,
    ejercicios entre líneas, referencias como texto (o enlaces al sitio) y ecuaciones con su
    número."""
    lines, out, index = text.split("\n"), [], 0
    while index < len(lines):
        start = DIRECTIVE_START.match(lines[index])
        if not start:
            out.append(lines[index])
            index += 1
            continue
        fence = start["fence"]
        end = next((j for j in range(index + 1, len(lines)) if lines[j].strip() == fence), None)
        if end is None:
            raise ValueError(f"la directiva {{{start['name']}}} no se cierra con {fence}")
        inner = lines[index + 1:end]
        count = 0
        while count < len(inner) and OPTION_LINE.match(inner[count]):
            count += 1
        options, body = inner[:count], "\n".join(inner[count:])
        out.append(_directive_markdown(start["name"], start["argument"].strip(), options,
                                       plain_markdown(body, refs), refs).rstrip("\n"))
        index = end + 1
    text = "\n".join(out)
    text = LABELED_EQUATION.sub(
        lambda m: f"\\tag{{{refs.equations[m['label']]}}}\n$$" if m["label"] in refs.equations
        else "$$", text)
    return REF_ROLE.sub(lambda m: _role_text(m, refs), text)


def _glue_text(values: dict, reference: str) -> str:
    """El texto que `{glue:text}` mostraba: el valor guardado, con su formato si lo tiene."""
    key, _, spec = reference.partition(":")
    if key not in values:
        raise KeyError(f"el texto usa el valor pegado {key!r}, pero ninguna celda lo pegó")
    text = values[key]["data"]["text/plain"]
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text
    return format(value, spec) if spec else str(value)


def _is_glue(statement: ast.stmt) -> bool:
    """¿La sentencia solo existe para `glue`? (el import, una llamada, o un bucle de llamadas)"""
    if isinstance(statement, ast.ImportFrom):
        return statement.module == "myst_nb"
    if isinstance(statement, ast.Expr):
        call = statement.value
        return (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                and call.func.id == "glue")
    if isinstance(statement, (ast.For, ast.If, ast.With)) and not getattr(statement, "orelse", []):
        return all(_is_glue(inner) for inner in statement.body)
    return False


def _without_glue(source: str) -> str:
    """El código sin `from myst_nb import glue` ni las llamadas `glue(...)`, a cualquier
    profundidad (una llamada dentro de un bucle con más código se va sola)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:             # magias de IPython: no hay glue que quitar ahí
        return source
    drop = set()
    for node in ast.walk(tree):
        for field in ("body", "orelse", "finalbody"):
            block = getattr(node, field, None)
            if not isinstance(block, list) or not block or not isinstance(block[0], ast.stmt):
                continue
            doomed = [statement for statement in block if _is_glue(statement)]
            if len(doomed) == len(block) and not isinstance(node, ast.Module):
                continue            # el bloque entero es glue: lo quita su sentencia madre
            for statement in doomed:
                drop.update(range(statement.lineno, statement.end_lineno + 1))
    if not drop:
        return source
    kept = [line for number, line in enumerate(source.split("\n"), start=1) if number not in drop]
    result = "\n".join(kept).strip("\n")
    ast.parse(result)               # si quitar glue rompió el código, que se note aquí
    return result


def merge_streams(outputs: list) -> list:
    """Las salidas de texto de una celda, un solo bloque por flujo (stdout, stderr).

    Cuántos mensajes manda el kernel depende de cuándo vacía su búfer; juntándolos tal
    cual, la salida es la misma en cada construcción."""
    merged, first = [], {}
    for output in outputs:
        if output["output_type"] == "stream":
            if output["name"] in first:
                first[output["name"]]["text"] += output["text"]
                continue
            output = copy.deepcopy(output)
            first[output["name"]] = output
        merged.append(output)
    return merged


def student_notebook(executed: nbformat.NotebookNode, glued: dict,
                     wheel_url: str | None, root: Path,
                     hide_solutions: bool = False,
                     refs: References | None = None) -> nbformat.NotebookNode:
    """El cuaderno que ejecutó la construcción, listo para un Jupyter sin `myst_nb`.

    Una celda con la opción `:datos: ruta` (relativa a `root`, la raíz del repositorio) lee
    ese archivo: el cuaderno lleva una copia, en una celda plegada justo antes."""
    notebook = nbformat.v4.new_notebook()
    notebook.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python",
                                        "name": "python3"},
                         "language_info": {"name": "python"}}
    cells = [new_code_cell(setup_source(wheel_url, _imported_extras(executed)))]
    source_cells = _without_solutions(executed.cells) if hide_solutions else executed.cells
    for cell in source_cells:
        if cell.cell_type == "markdown":
            text = GLUE_ROLE.sub(lambda match: _glue_text(glued, match.group(1)), cell.source)
            text = NOTEBOOK_NOTE.sub("\n", text).rstrip("\n") if NOTEBOOK_NOTE.search(text) else text
            if not text.strip():
                continue                   # la celda era solo la nota
            text = plain_markdown(LABEL_LINE.sub("", text), refs or References(files=root))
            cell = nbformat.v4.new_markdown_cell(text)
        elif cell.cell_type == "code":
            source = _without_glue(cell.source)
            outputs = merge_streams([output for output in cell.outputs
                                     if "scrapbook" not in output.get("metadata", {})])
            if not source.strip() and not outputs:
                continue                   # era solo glue
            data = cell.metadata.get("datos")
            if data:
                names = data.split() if isinstance(data, str) else list(data)
                cells.append(data_cell({name: (root / name).read_text(encoding="utf-8")
                                        for name in names}))
            tags = cell.metadata.get("tags", [])
            metadata = {"tags": tags} if tags else {}
            if cell.metadata.get("export") == "ejercicios":
                # Los comprobadores de los ejercicios: hacen falta para `comprobar`, pero
                # son la hoja de respuestas, así que van plegados.
                metadata.update({"jupyter": {"source_hidden": True}, "cellView": "form"})
            cell = new_code_cell(source, outputs=outputs, metadata=metadata)
            for output in cell.outputs:
                if "execution_count" in output:
                    output["execution_count"] = None
        else:
            continue
        cells.append(cell)
    for index, cell in enumerate(cells):
        cell.id = f"celda-{index}"         # nbformat las inventa al azar
    notebook.cells = cells
    return notebook
