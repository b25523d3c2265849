"""El sitio publicado, visto como lo ve un lector: en un navegador, en español, reproducible."""

import filecmp
import re
import shutil
from pathlib import Path

import pytest

from conftest import BOOK, ROOT, build, chromium, clean_build_dirs, serve

CHAPTERS = sorted(p.stem for p in BOOK.glob("[0-9][0-9]-*.md"))


@pytest.fixture(scope="module")
def server(built_site):
    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


# Mensajes de consola que no son fallas: recursos externos bloqueados a propósito en la
# prueba, y el aviso del tema cuando el navegador todavía no guardó un modo claro/oscuro.
BENIGN_CONSOLE = ("net::ERR_FAILED", "Got invalid theme mode")


def pages(site: Path) -> list[str]:
    """Las páginas del libro (la edición interactiva, `navegador/`, la prueba test_navegador)."""
    return sorted(str(p.relative_to(site)) for p in site.rglob("*.html")
                  if p.parts[len(site.parts)] not in ("_static", "_sources", "_downloads",
                                                      "navegador"))


def test_every_page_loads_without_broken_images_or_script_errors(built_site, server, browser):
    context = browser.new_context()
    # El sitio no debe depender de la red: bloqueamos todo lo que no sea el servidor local.
    context.route(re.compile(r"^(?!http://127\.0\.0\.1).*"), lambda route: route.abort())
    problems = []
    for name in pages(built_site):
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc, name=name: errors.append(f"{name}: {exc}"))
        page.on("console", lambda msg, name=name: msg.type == "error"
                and not any(benign in msg.text for benign in BENIGN_CONSOLE)
                and errors.append(f"{name}: {msg.text}"))
        page.goto(f"{server}/{name}", wait_until="load")
        page.wait_for_load_state("networkidle")       # index.html redirige a la introducción
        broken = page.evaluate("""() => Array.from(document.images)
            .filter(img => !img.complete || img.naturalWidth === 0).map(img => img.src)""")
        problems += errors + [f"{name}: imagen rota {src}" for src in broken]
        assert page.evaluate("document.documentElement.lang") == "es", name
        page.close()
    context.close()
    assert not problems, "\n".join(problems)


def test_search_finds_a_spanish_word(server, browser):
    page = browser.new_page()
    page.goto(f"{server}/search.html?q=derivada", wait_until="load")
    page.wait_for_selector("#search-results ul.search li", timeout=30_000)
    assert page.locator("#search-results ul.search li").count() >= 3
    page.close()


def test_the_interface_is_in_spanish(built_site):
    english = ["Link to this heading", "Toggle primary sidebar", "Search this book",
               "Show code cell", "Hide code cell", "Copyright", "Contents", "Solution to"]
    found = []
    for name in pages(built_site):
        text = (built_site / name).read_text(encoding="utf-8")
        found += [f"{name}: {s}" for s in english if s in text]
    assert not found, "\n".join(found)


def test_footer_has_licence_and_year(built_site):
    text = (built_site / "intro.html").read_text(encoding="utf-8")
    assert "CC BY 4.0" in text and "MIT" in text
    assert re.search(r"© 20\d\d", text)


def test_the_home_page_links_to_the_published_wheel(built_site):
    links = re.findall(r'href="(paquete/[^"]+\.whl)"', (built_site / "intro.html").read_text(encoding="utf-8"))
    assert links and all((built_site / link).exists() for link in links), links


def test_each_chapter_is_downloadable_as_a_notebook(built_site):
    downloads = {p.name for p in (built_site / "_downloads").rglob("*.ipynb")}
    assert downloads == {f"{stem}.ipynb" for stem in ["intro", *CHAPTERS]}


def test_there_are_enough_exercises_with_solutions(built_site):
    exercises = solutions = 0
    for stem in CHAPTERS:
        text = (built_site / f"{stem}.html").read_text(encoding="utf-8")
        exercises += text.count('class="exercise admonition"')
        solutions += text.count('class="solution dropdown admonition"')
        assert text.count('class="exercise admonition"') >= 2, f"{stem}: menos de 2 ejercicios"
    assert exercises >= 20 and solutions >= exercises, (exercises, solutions)


def test_two_clean_builds_are_byte_identical(built_site, tmp_path):
    first = tmp_path / "primera"
    shutil.copytree(built_site, first)
    clean_build_dirs(ROOT)
    result = build(BOOK)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    differences = []

    def compare(cmp: filecmp.dircmp, prefix=""):
        differences.extend(prefix + n for n in cmp.left_only + cmp.right_only + cmp.funny_files)
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        differences.extend(prefix + n for n in mismatch + errors)
        for name, sub in cmp.subdirs.items():
            compare(sub, f"{prefix}{name}/")

    compare(filecmp.dircmp(first, built_site))
    assert not differences, "difieren entre dos construcciones: " + ", ".join(sorted(differences))
