"""michigrad.visualize: el dibujo sin Graphviz (issue 10), trace y el grafo interactivo."""
import itertools
import os
import random
import re
import shutil
import sys
import time
import xml.etree.ElementTree as ET

import graphviz
import pytest

from michigrad import visualize as V
from michigrad.engine import Value
from michigrad.nn import MLP


def book_L():
    a, b, c, f = Value(2.0, name="a"), Value(-3.0, name="b"), Value(10.0, name="c"), Value(-2.0, name="f")
    e = a * b; e.name = "e"
    d = e + c; d.name = "d"
    L = d * f; L.name = "L"
    L.backward()
    return L


def neuron():
    x1, x2 = Value(2.0, name="x1"), Value(0.0, name="x2")
    w1, w2 = Value(-3.0, name="w1"), Value(1.0, name="w2")
    b = Value(6.8813735870195432, name="b")
    n = x1 * w1 + x2 * w2 + b; n.name = "n"
    o = n.tanh(); o.name = "o"
    o.backward()
    return o


def mlp_loss():
    random.seed(0)
    model = MLP(2, [4, 1])
    xs = [[2.0, 3.0], [3.0, -1.0], [0.5, 1.0], [1.0, 1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    loss = sum((model(x) - y) ** 2 for x, y in zip(xs, ys))
    loss.name = "loss"
    loss.backward()
    return loss


def closure3():
    """Nodos al estilo del curso, con tres operandos (issue 9): el dibujo los acepta igual."""
    a, b, c = Value(1.0, name="a"), Value(2.0, name="b"), Value(3.0, name="c")
    s = Value(6.0, (a, b, c), "sum3", name="s")
    t = Value(0.5, (s, a), "mix", name="t")
    return t


def leaf():
    return Value(3.0, name="x")


SHAPES = {"book_L": book_L, "neuron": neuron, "mlp_loss": mlp_loss,
          "closure3": closure3, "leaf": leaf}
HAS_DOT = shutil.which("dot") is not None
SVG = "{http://www.w3.org/2000/svg}"
# Estimación independiente del ancho de un carácter: DejaVu Sans Mono a 12 px mide 7.2 px.
CHAR_W, FONT = 7.2, 12


@pytest.fixture
def no_dot(monkeypatch, tmp_path):
    """Un PATH sin el programa `dot`, como en Windows sin Graphviz o en Pyodide."""
    monkeypatch.setenv("PATH", str(tmp_path))
    assert shutil.which("dot") is None


def boxes_and_texts(svg):
    """Cada nodo del SVG: (id, caja x y w h, forma, [(texto, x, y)])."""
    root = ET.fromstring(svg)
    assert root.tag == SVG + "svg"
    for attr in ("width", "height", "viewBox"):
        assert attr in root.attrib
    out = []
    for g in root.iter(SVG + "g"):
        if g.get("class") == "node":
            box = tuple(float(t) for t in g.get("data-box").split())
            shape = "ellipse" if g.find(SVG + "ellipse") is not None else "rect"
            texts = [(t.text or "", float(t.get("x")), float(t.get("y")))
                     for t in g.iter(SVG + "text")]
            out.append((g.get("id"), box, shape, texts))
    return root, out


def overlap(a, b):
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah


def text_box(text, x, y):
    """Caja del texto centrado en x con línea de base y (altura: la de la letra)."""
    w = len(text) * CHAR_W
    return (x - w / 2, y - 0.8 * FONT, w, FONT)


def path_points(d, steps=20):
    """Puntos de un `path` hecho de M, L y C (rectas y curvas, muestreadas)."""
    nums = iter(float(t) for t in re.findall(r"-?\d+(?:\.\d+)?", d))
    pts = []
    for cmd in re.findall(r"[MLC]", d):
        if cmd == "M":
            pts.append((next(nums), next(nums)))
        elif cmd == "L":
            p0, p1 = pts[-1], (next(nums), next(nums))
            pts += [tuple(p0[j] + (p1[j] - p0[j]) * i / steps for j in range(2))
                    for i in range(1, steps + 1)]
        else:
            p0 = pts[-1]
            c1, c2, p3 = [(next(nums), next(nums)) for _ in range(3)]
            for i in range(1, steps + 1):
                t = i / steps
                pts.append(tuple((1 - t) ** 3 * p0[j] + 3 * (1 - t) ** 2 * t * c1[j]
                                 + 3 * (1 - t) * t ** 2 * c2[j] + t ** 3 * p3[j]
                                 for j in range(2)))
    return pts


def check_svg(svg):
    root, nodes = boxes_and_texts(svg)
    width, height = float(root.get("width")), float(root.get("height"))
    for (_, a, _, _), (_, b, _, _) in itertools.combinations(nodes, 2):
        assert not overlap(a, b), (a, b)
    for uid, (x, y, w, h), shape, texts in nodes:
        assert 0 <= x and x + w <= width and 0 <= y and y + h <= height
        boxes = [text_box(*t) for t in texts]
        for tx, ty, tw, th in boxes:            # cada texto cabe en su nodo
            assert x <= tx and tx + tw <= x + w and y <= ty and ty + th <= y + h, (uid, texts)
            if shape == "ellipse":               # ...y, en una elipse, dentro de la curva
                cx, cy, rx, ry = x + w / 2, y + h / 2, w / 2, h / 2
                for px, py in [(tx, ty), (tx + tw, ty + th)]:
                    assert ((px - cx) / rx) ** 2 + ((py - cy) / ry) ** 2 <= 1, (uid, texts)
        for a, b in itertools.combinations(boxes, 2):   # dos textos de un nodo no se pisan
            assert not overlap(a, b), (uid, texts)
    # Ninguna arista atraviesa una caja (se permite tocar el borde de sus extremos).
    inner = [(x + 1, y + 1, w - 2, h - 2) for _, (x, y, w, h), _, _ in nodes]
    for g in root.iter(SVG + "g"):
        if g.get("class") == "edge":
            pts = path_points(g.find(SVG + "path").get("d"))
            xs, ys = [p[0] for p in pts], [p[1] for p in pts]
            span = (min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))
            for bx, by, bw, bh in [b for b in inner if overlap(b, span)]:
                for px, py in pts:
                    assert not (bx < px < bx + bw and by < py < by + bh), (px, py)
    return nodes


@pytest.mark.parametrize("rankdir", ["LR", "TB"])
@pytest.mark.parametrize("shape", list(SHAPES))
def test_draws_without_dot(no_dot, shape, rankdir):
    root = SHAPES[shape]()
    g = V.show_graph(root, rankdir=rankdir)
    assert isinstance(g, graphviz.Digraph)
    svg = g.pipe(format="svg")
    assert isinstance(svg, bytes)
    nodes = check_svg(svg)
    assert len(nodes) == g.source.count("[label=")      # un dibujo por nodo del DOT
    assert svg == V.show_graph(SHAPES[shape](), rankdir=rankdir).pipe()   # mismos bytes
    assert g.pipe(encoding="utf-8") == svg.decode("utf-8")


def test_book_graph_content(no_dot):
    svg = V.show_graph(book_L()).pipe().decode()
    for text in ["L", "data -8.0000", "grad 1.0000", "data 2.0000", "grad 6.0000", "*", "+"]:
        assert f">{text}</text>" in svg
    assert svg.count('class="node"') == 10 and svg.count('class="edge"') == 9
    assert "ReLU" in V.show_graph(Value(-1.0).relu()).pipe().decode()
    assert ">**-1</text>" in V.show_graph(Value(2.0) ** -1).pipe().decode()


def test_tb_records_are_stacked(no_dot):
    _, nodes = boxes_and_texts(V.show_graph(leaf(), rankdir="TB").pipe())
    (_, (x, y, w, h), _, texts), = nodes
    assert h > w / 2 and len({ty for _, _, ty in texts}) == 3


def test_odd_names_are_escaped(no_dot):
    x = Value(1.0, name='x<1>|{y} & "z"')
    g = V.show_graph(x * 2)
    assert '\\<1\\>\\|\\{y\\}' in g.source
    assert ">x&lt;1&gt;|{y} &amp; &quot;z&quot;</text>" in check_svg_text(g.pipe())


def check_svg_text(svg):
    check_svg(svg)
    return svg.decode()


def test_big_graph_is_fast(no_dot):
    g = V.show_graph(mlp_loss())
    t = time.perf_counter()
    g.pipe()
    assert time.perf_counter() - t < 0.5


def test_jupyter_display_without_dot(no_dot):
    bundle = V.show_graph(book_L())._repr_mimebundle_()
    assert list(bundle) == ["image/svg+xml"]
    ET.fromstring(bundle["image/svg+xml"].encode())
    # Aunque el grafo pida PNG, Jupyter lo muestra en SVG (como con graphviz).
    assert "image/svg+xml" in V.show_graph(leaf(), format="png")._repr_mimebundle_()


def test_render_writes_svg(no_dot, tmp_path):
    g = V.show_graph(book_L())
    out = g.render(str(tmp_path / "grafo"), cleanup=True)
    assert out == str(tmp_path / "grafo.svg")
    assert os.path.exists(out) and not os.path.exists(tmp_path / "grafo")
    assert open(out, "rb").read() == g.pipe()
    out = g.render("otro", directory=str(tmp_path))
    assert out == os.path.join(str(tmp_path), "otro.svg") and os.path.exists(tmp_path / "otro")
    out = g.render(outfile=tmp_path / "figura.svg", cleanup=True)
    assert out == str(tmp_path / "figura.svg") and os.path.exists(out)
    assert not os.path.exists(tmp_path / "figura.gv")
    with pytest.raises(graphviz.FileExistsError):
        g.render(outfile=tmp_path / "figura.svg", raise_if_result_exists=True)


@pytest.mark.parametrize("call", [
    lambda g, d: g.pipe(format="png"),
    lambda g, d: V.show_graph(leaf(), format="png").pipe(),
    lambda g, d: g.render(str(d / "g"), format="png"),
    lambda g, d: g.render(outfile=d / "g.pdf"),
])
def test_other_formats_need_dot(no_dot, tmp_path, call):
    with pytest.raises(V.NoDotError) as err:
        call(V.show_graph(book_L()), tmp_path)
    assert isinstance(err.value, graphviz.ExecutableNotFound)
    msg = str(err.value)
    assert "format='svg'" in msg and "apt install graphviz" in msg and "Graphviz" in msg


def test_dot_in_path_but_broken(monkeypatch, no_dot, tmp_path):
    # `dot` figura como instalado pero no se puede ejecutar: también hay dibujo.
    monkeypatch.setattr(V, "_has_dot", lambda: True)
    g = V.show_graph(book_L())
    check_svg(g.pipe())
    assert g.render(str(tmp_path / "g")).endswith("g.svg")


@pytest.mark.skipif(not HAS_DOT, reason="sin el programa dot")
@pytest.mark.parametrize("shape", list(SHAPES))
def test_with_dot_same_as_graphviz(shape):
    g = V.show_graph(SHAPES[shape]())
    plain = graphviz.Digraph(format="svg", graph_attr={"rankdir": "LR"})
    plain.body = list(g.body)
    assert g.source == plain.source
    assert g.pipe() == plain.pipe()
    assert g.pipe(format="png") == plain.pipe(format="png")


# El DOT que dibuja `dot` para el grafo del capítulo 2: las figuras publicadas no cambian.
BOOK_L_DOT = (
    'digraph {\n'
    '\tgraph [rankdir=LR]\n'
    '\tn0 [label="{ L | data -8.0000 | grad 1.0000 }" shape=record]\n'
    '\tn0op [label="*"]\n'
    '\tn0op -> n0\n'
    '\tn1 -> n0op\n'
    '\tn6 -> n0op\n'
    '\tn1 [label="{ d | data 4.0000 | grad -2.0000 }" shape=record]\n'
    '\tn1op [label="+"]\n'
    '\tn1op -> n1\n'
    '\tn2 -> n1op\n'
    '\tn5 -> n1op\n'
    '\tn2 [label="{ e | data -6.0000 | grad -2.0000 }" shape=record]\n'
    '\tn2op [label="*"]\n'
    '\tn2op -> n2\n'
    '\tn3 -> n2op\n'
    '\tn4 -> n2op\n'
    '\tn3 [label="{ a | data 2.0000 | grad 6.0000 }" shape=record]\n'
    '\tn4 [label="{ b | data -3.0000 | grad -4.0000 }" shape=record]\n'
    '\tn5 [label="{ c | data 10.0000 | grad -2.0000 }" shape=record]\n'
    '\tn6 [label="{ f | data -2.0000 | grad 4.0000 }" shape=record]\n'
    '}\n'
)


def test_the_dot_source_is_the_one_the_book_publishes():
    assert V.show_graph(book_L()).source == BOOK_L_DOT


@pytest.mark.skipif(not HAS_DOT, reason="sin el programa dot")
def test_with_dot_png_renders(tmp_path):
    out = V.show_graph(book_L()).render(str(tmp_path / "g"), format="png", cleanup=True)
    assert out.endswith("g.png") and open(out, "rb").read(4) == b"\x89PNG"


def test_trace():
    L = book_L()
    d, f = L._prev
    e, c = d._prev
    a, b = e._prev
    nodes, edges = V.trace(L)
    assert nodes == {L, d, f, e, c, a, b}
    assert edges == {(d, L), (f, L), (e, d), (c, d), (a, e), (b, e)}
    x = Value(3.0)
    assert V.trace(x) == ({x}, set())
    y = x * x                                         # el mismo operando dos veces
    assert V.trace(y) == ({x, y}, {(x, y)})


def test_interactive_without_pyvis(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "pyvis", None)
    monkeypatch.setitem(sys.modules, "pyvis.network", None)
    with pytest.raises(ImportError, match="pip install pyvis"):
        V.show_graph_interactive(book_L(), str(tmp_path / "g.html"))


def test_interactive_writes_page(tmp_path):
    pytest.importorskip("pyvis")
    L = book_L()
    out = V.show_graph_interactive(L, str(tmp_path / "g.html"))
    assert out == str(tmp_path / "g.html")
    page = open(out, encoding="utf-8").read()
    assert "L | data=-8.00 | grad=1.00" in page and "a | data=2.00 | grad=6.00" in page
    assert '"shape": "circle"' in page and '"shape": "box"' in page
    # Nada se carga de internet: vis.js va dentro de la página.
    assert not re.search(r"<(link|script)[^>]*(href|src)=\S*https?:", page)
    for node in V.trace(L)[0]:
        assert str(id(node)) not in page
    again = V.show_graph_interactive(book_L(), str(tmp_path / "h.html"))
    assert open(again, "rb").read() == open(out, "rb").read()      # determinista
    assert out._repr_html_().startswith("<iframe srcdoc=")
    # El nombre por omisión es el del paquete del curso.
    os.chdir(tmp_path)
    assert V.show_graph_interactive(leaf()) == "graph.html"


def test_empty_and_hand_made_graphs(no_dot):
    ET.fromstring(V.Drawing().pipe(format="svg"))          # sin nodos: un SVG vacío
    g = V.Drawing(format="svg", graph_attr={"rankdir": "LR"})   # hecho a mano, con la API de graphviz
    g.node("a", "x -> y")
    g.edges([("a", "b"), ("b", "c"), ("a", "c")])
    g.edge("c", "d", label="fin")
    nodes = check_svg(g.copy().pipe())
    assert [n[0] for n in nodes] == ["a", "b", "c", "d"]
