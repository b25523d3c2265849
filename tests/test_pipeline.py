"""El circuito literario: capítulos → paquete exportado → libro ejecutado."""

import ast
import json
import subprocess
import sys
import zipfile

import jupytext
import pytest
from nbformat.v4 import new_code_cell

import publish
import tangle
from conftest import BOOK, FRONT_MATTER, ROOT, build
from run_chapter import execute


def test_committed_package_matches_chapters():
    problems = tangle.drift(tangle.tangle(), ROOT / "michigrad")
    assert not problems, (
        "michigrad/ no coincide con lo que exportan los capítulos:\n  "
        + "\n  ".join(problems)
        + "\nPara arreglarlo: `make export` (o `make book`) y commitear michigrad/.")


def test_check_command_names_the_drifted_module(tmp_path):
    package = tmp_path / "michigrad"
    tangle.write_package(tangle.tangle(), package)
    engine = package / "engine.py"
    engine.write_text(engine.read_text(encoding="utf-8") + "x = 1\n", encoding="utf-8")
    problems = tangle.drift(tangle.tangle(), package)
    assert problems == ["michigrad/engine.py difiere de lo que exportan los capítulos"]
    (package / "extra.py").write_text("", encoding="utf-8")
    assert "michigrad/extra.py no lo genera ningún capítulo" in tangle.drift(tangle.tangle(), package)


def test_check_cli_passes_on_the_committed_package():
    result = subprocess.run([sys.executable, str(BOOK / "_ext" / "tangle.py"), "check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_export_refuses_to_overwrite_a_hand_edit(tmp_path):
    package = tmp_path / "michigrad"
    files = tangle.tangle()
    tangle.write_package(files, package)
    engine = package / "engine.py"
    engine.write_text(engine.read_text(encoding="utf-8") + "# mi arreglo\n", encoding="utf-8")
    stale = dict(files, **{"engine.py": files["engine.py"] + "# otro cambio del capítulo\n"})
    with pytest.raises(tangle.ExportError, match="engine.py fue editado a mano"):
        tangle.write_package(stale, package)
    assert engine.read_text(encoding="utf-8").endswith("# mi arreglo\n")


def test_export_overwrites_an_untouched_generated_file(tmp_path):
    package = tmp_path / "michigrad"
    files = tangle.tangle()
    tangle.write_package(files, package)
    newer = dict(files, **{"engine.py": files["engine.py"].replace("import math", "import math  # nuevo", 1)})
    assert tangle.write_package(newer, package) == ["engine.py"]


def test_engine_reads_like_hand_written_code():
    source = (ROOT / "michigrad" / "engine.py").read_text(encoding="utf-8")
    for module in (ROOT / "michigrad").glob("*.py"):
        assert "add_to_class" not in module.read_text(encoding="utf-8"), module
    tree = ast.parse(source)
    value = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Value")
    methods = {n.name for n in value.body if isinstance(n, ast.FunctionDef)}
    # Los de los capítulos 2 y 4 (y los siguientes) viven dentro del cuerpo de la clase.
    assert {"__init__", "__repr__", "__add__", "__mul__", "_topological_order",
            "backward", "__pow__", "exp", "log", "relu", "tanh", "sigmoid"} <= methods
    assert source.startswith("# Generado a partir de los capítulos del libro: 02-value.md")


def test_issue_example_prints_five():
    code = ("from michigrad.engine import Value; a=Value(2.0, name='a'); b=a*a+a; "
            "b.backward(); print(a.grad)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT)
    assert result.stdout.strip() == "5.0", result.stderr


def test_folding_and_errors_of_the_exporter():
    module = tangle.Module("engine")
    tangle._add_cell(module, "import math\n\nclass A:\n    def f(self):\n        return 1\n", "c1")
    tangle._add_cell(module, "# porque sí\n@add_to_class(A)\ndef g(self):\n    return 2\n", "c2")
    text = module.render()
    assert "class A:\n    def f(self):\n        return 1\n\n    # porque sí\n    def g(self):" in text
    with pytest.raises(tangle.ExportError, match="A.g ya estaba definido"):
        tangle._add_cell(module, "@add_to_class(A)\ndef g(self):\n    return 3\n", "c3")
    with pytest.raises(tangle.ExportError, match="la clase B"):
        tangle._add_cell(module, "@add_to_class(B)\ndef h(self):\n    pass\n", "c4")


def test_snapshots_follow_the_reading_order():
    before, package = tangle.snapshots()
    chapter = {path.stem: files for path, files in before.items()}
    assert "tanh" not in chapter["06-activaciones"]["engine.py"]
    assert "def tanh" in chapter["07-mynn"]["engine.py"]
    assert "backward" not in chapter["04-backprop-automatico"]["engine.py"]
    assert "nn.py" not in chapter["07-mynn"]
    # El capítulo 13 solo agrega los comprobadores de sus propios ejercicios.
    def without_checkers(files):
        return {name: text for name, text in files.items() if name != "ejercicios.py"}
    assert without_checkers(chapter["13-rendimiento"]) == without_checkers(package)


def test_chapter_runs_only_on_earlier_exports():
    """En el capítulo 6, Value no tiene tanh hasta que corre la celda que lo define."""
    path = BOOK / "06-activaciones.md"
    notebook = jupytext.read(path)
    defining = next(i for i, cell in enumerate(notebook.cells)
                    if cell.metadata.get("export") == "engine" and "def tanh" in cell.source)
    before = new_code_cell("assert not hasattr(Value, 'tanh'), 'tanh existe antes de definirse'")
    after = new_code_cell("assert hasattr(Value, 'tanh')")
    notebook.cells = notebook.cells[:defining] + [before, notebook.cells[defining], after]
    execute(notebook, path)      # falla si alguna aserción no se cumple


def chapter(body):
    return FRONT_MATTER + "\n" + body


def test_editing_an_exported_cell_reexecutes_later_chapters(mini_book):
    book = mini_book({
        "intro.md": chapter("# Intro\n\n```{code-cell} ipython3\n:export: engine\n"
                            "ANSWER = 41\n```\n"),
        "later.md": chapter("# Después\n\n```{code-cell} ipython3\n"
                            "from michigrad.engine import ANSWER\nprint('respuesta', ANSWER)\n```\n"),
    })
    first = build(book)
    assert first.returncode == 0, first.stdout + first.stderr
    later = book.parent / "_build" / "html" / "later.html"
    assert "respuesta 41" in later.read_text(encoding="utf-8")
    intro = book / "intro.md"
    intro.write_text(intro.read_text(encoding="utf-8").replace("41", "42"), encoding="utf-8")
    second = build(book)         # incremental: sin borrar _build
    assert second.returncode == 0, second.stdout + second.stderr
    assert "respuesta 42" in later.read_text(encoding="utf-8")
    assert "ANSWER = 42" in (book.parent / "michigrad" / "engine.py").read_text(encoding="utf-8")


def test_a_failing_cell_fails_the_build(mini_book):
    book = mini_book({"intro.md": chapter("# Intro\n\n```{code-cell} ipython3\n1 / 0\n```\n")})
    result = build(book)
    assert result.returncode != 0
    assert "ZeroDivisionError" in result.stdout + result.stderr


def test_a_sphinx_warning_fails_the_build(mini_book):
    book = mini_book({"intro.md": "# Intro\n\nVer {ref}`una-etiqueta-que-no-existe`.\n"})
    result = build(book)
    assert result.returncode != 0
    assert "una-etiqueta-que-no-existe" in result.stdout + result.stderr


def test_a_hand_edit_stops_the_build(mini_book):
    book = mini_book({"intro.md": chapter("# Intro\n\n```{code-cell} ipython3\n:export: engine\n"
                                          "X = 1\n```\n")})
    assert build(book).returncode == 0
    engine = book.parent / "michigrad" / "engine.py"
    engine.write_text(engine.read_text(encoding="utf-8") + "Y = 2\n", encoding="utf-8")
    (book / "intro.md").write_text((book / "intro.md").read_text(encoding="utf-8")
                                   .replace("X = 1", "X = 3"), encoding="utf-8")
    result = build(book)
    assert result.returncode != 0
    assert "engine.py fue editado a mano" in result.stdout + result.stderr
    assert engine.read_text(encoding="utf-8").endswith("Y = 2\n")


def test_site_offers_the_package_zip_identical_to_michigrad(built_site):
    zips = list((built_site / "_downloads").rglob("michigrad.zip"))
    assert len(zips) == 1, zips
    with zipfile.ZipFile(zips[0]) as archive:
        names = sorted(archive.namelist())
        assert names == sorted(f"michigrad/{p.name}" for p in (ROOT / "michigrad").glob("*.py"))
        for name in names:
            assert archive.read(name) == (ROOT / name).read_bytes(), name


def test_site_offers_the_package_as_a_reproducible_wheel(built_site):
    wheel, = (built_site / "paquete").glob("michigrad-*-py3-none-any.whl")
    with zipfile.ZipFile(wheel) as archive:
        modules = sorted(n for n in archive.namelist() if n.startswith("michigrad/"))
        assert modules == sorted(f"michigrad/{p.name}" for p in (ROOT / "michigrad").glob("*.py"))
        for name in modules:
            assert archive.read(name) == (ROOT / name).read_bytes(), name
        record = next(n for n in archive.namelist() if n.endswith(".dist-info/RECORD"))
        assert all(n in archive.read(record).decode() for n in archive.namelist())
        assert {i.date_time for i in archive.infolist()} == {publish.ZIP_DATE}


def test_site_shows_each_module_source(built_site):
    page = (built_site / "apendices" / "codigo.html").read_text(encoding="utf-8")
    for module in (ROOT / "michigrad").glob("*.py"):
        assert module.name in page, module.name
    assert "_topological_order" in page


def test_engine_chapters_show_graphs_before_and_after_backward(built_site):
    for name in ("02-value.html", "04-backprop-automatico.html"):
        page = (built_site / name).read_text(encoding="utf-8")
        assert page.count(".svg") >= 3, name


GLUED = chapter("# Intro\n\n```{code-cell} ipython3\nfrom myst_nb import glue\n"
                "x = 2 / 3\nglue('cap_x', x, display=False)\nprint('listo')\n```\n\n"
                "El valor es {glue:text}`cap_x:.3f`.\n")


def test_notebooks_have_outputs_and_no_glue_and_no_colab_link_by_default(mini_book):
    book = mini_book({"intro.md": GLUED})
    result = build(book)
    assert result.returncode == 0, result.stdout + result.stderr
    site = book.parent / "_build" / "html"
    notebook = json.loads((site / "cuadernos" / "intro.ipynb").read_text(encoding="utf-8"))
    text = json.dumps(notebook)
    assert "glue" not in text and "myst_nb" not in text
    assert "El valor es 0.667." in text                   # el número, ya escrito
    assert "listo" in text                                # la salida de la construcción
    assert "raise ImportError" in "".join(notebook["cells"][0]["source"])
    assert "colab" not in (site / "intro.html").read_text(encoding="utf-8")


def test_with_a_site_and_a_repository_there_are_colab_links(mini_book):
    book = mini_book({"intro.md": GLUED})
    config = book.parent / "_config.yml"
    config.write_text(config.read_text(encoding="utf-8")
                      + "html:\n  baseurl: https://ejemplo.github.io/libro/\n"
                      + "repository:\n  url: https://github.com/ejemplo/libro\n", encoding="utf-8")
    result = build(book)
    assert result.returncode == 0, result.stdout + result.stderr
    site = book.parent / "_build" / "html"
    page = (site / "intro.html").read_text(encoding="utf-8")
    assert ("https://colab.research.google.com/github/ejemplo/libro/blob/cuadernos/intro.ipynb"
            in page)
    setup = "".join(json.loads((site / "cuadernos" / "intro.ipynb").read_text(
        encoding="utf-8"))["cells"][0]["source"])
    assert (f"%pip install --quiet https://ejemplo.github.io/libro/paquete/{publish.WHEEL_NAME}"
            in setup)


EXERCISE = chapter("# Intro\n\n```{exercise-start}\n:label: ej-uno\n```\n\nCalcular 2 + 2.\n\n"
                   "```{exercise-end}\n```\n\n```{solution-start} ej-uno\n```\n\nLa respuesta:\n\n"
                   "```{code-cell} ipython3\nprint('respuesta secreta', 2 + 2)\n```\n\n"
                   "```{solution-end}\n```\n\nTexto final.\n")


def test_an_instructor_can_build_the_book_without_solutions(mini_book):
    book = mini_book({"intro.md": EXERCISE})
    config = book.parent / "_config.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "sphinx:\n", "sphinx:\n  extra_extensions: [sphinx_exercise]\n"
                     "  config: {hide_solutions: true}\n"), encoding="utf-8")
    result = build(book)
    assert result.returncode == 0, result.stdout + result.stderr
    site = book.parent / "_build" / "html"
    page = (site / "intro.html").read_text(encoding="utf-8")
    notebook = (site / "cuadernos" / "intro.ipynb").read_text(encoding="utf-8")
    for published in (page, notebook):
        assert "Calcular 2 + 2" in published and "Texto final" in published
        assert "respuesta secreta" not in published and "La respuesta" not in published


def test_notebook_markdown_has_no_myst(tmp_path):
    (tmp_path / "codigo.py").write_text(
        "import math\n\n\nclass Caja:\n    def area(self):\n        return 2\n\n\n"
        "def suelta():\n    return 1\n", encoding="utf-8")
    refs = publish.References(
        sections={"sec-grafo": ("El grafo", "https://ej.io/02-value.html#sec-grafo"),
                  "sec-sin-sitio": ("Sin sitio", None)},
        equations={"eq-cadena": 4}, files=tmp_path)
    text = ("Como en {ref}`sec-grafo` y en {ref}`el otro <sec-sin-sitio>`, por {eq}`eq-cadena`:\n\n"
            "$$\nf'(x) = 1\n$$ (eq-cadena)\n\n"
            ":::{admonition} Objetivos\n:class: tip\n- uno\n- dos\n:::\n\n"
            "::::{note}\nAfuera.\n:::{warning}\nAdentro.\n:::\n::::\n\n"
            "```{exercise-start}\n:label: ej-x\n```\n\nHacer algo.\n\n```{exercise-end}\n```\n\n"
            "```{solution-start} ej-x\n:class: dropdown\n```\n\n"
            "```{literalinclude} codigo.py\n:pyobject: Caja.area\n:language: python\n```\n\n"
            "```{solution-end}\n```\n")
    plain = publish.plain_markdown(text, refs)
    assert "{" not in plain.replace("\\tag{4}", "")
    assert "[El grafo](https://ej.io/02-value.html#sec-grafo)" in plain
    assert "el otro," in plain and "por (4):" in plain
    assert "f'(x) = 1\n\\tag{4}\n$$\n" in plain
    assert "> **Objetivos**\n>\n> - uno\n> - dos" in plain
    assert "> **Nota**\n>\n> Afuera.\n> > **Advertencia**\n> >\n> > Adentro." in plain
    assert "---\n\n**Ejercicio**\n\nHacer algo.\n\n---" in plain
    assert "**Solución**" in plain
    assert "```python\n    def area(self):\n        return 2\n```" in plain
    with pytest.raises(ValueError, match="no se cierra"):
        publish.plain_markdown(":::{note}\nsin cierre\n", refs)
    with pytest.raises(ValueError, match="no sabemos"):
        publish.plain_markdown("```{mermaid}\na\n```\n", refs)
    with pytest.raises(KeyError, match="eq-nada"):
        publish.plain_markdown("{eq}`eq-nada`", refs)
