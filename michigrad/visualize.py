# Generado a partir de los capítulos del libro: 02-value.md.
# No editar a mano: los cambios se hacen en los capítulos y se exportan
# con `make export` (o al construir el libro).
# huella: sha256:1ce0f34d7b7604dec2a13c640346943fafaa13e13a99ede640a20769cf3f6fe6

import html
import os
import re
import shutil
import graphviz


class NoDotError(graphviz.ExecutableNotFound):
    """Sin el programa `dot` solo podemos dibujar en SVG, y se pidió otro formato."""

    def __init__(self, format):
        RuntimeError.__init__(self, (
            f"Para dibujar en formato {format!r} hace falta el programa `dot` de Graphviz, "
            "que no está instalado. Sin él se puede dibujar en SVG: show_graph(..., "
            "format='svg') o .render(..., format='svg'). Para instalar Graphviz: "
            "`sudo apt install graphviz` (Debian/Ubuntu), `brew install graphviz` (macOS), "
            "`winget install graphviz` (Windows) o `conda install graphviz`."))


def _has_dot():
    return shutil.which("dot") is not None


class Drawing(graphviz.Digraph):
    """Un `graphviz.Digraph` que se dibuja aunque falte el programa `dot`.

    Con `dot` instalado es exactamente un `graphviz.Digraph`. Sin `dot`, `pipe()`,
    `render()` y la vista de Jupyter (que llama a `pipe`) usan el trazado en Python de
    `_layout_svg`, que produce SVG y nada más.
    """

    def __repr__(self):
        # Sin la dirección de memoria que pone Python por omisión: la misma salida siempre.
        nodes = sum(1 for line in self.body if "->" not in line and "[" in line)
        return f"<michigrad.visualize.Drawing: {nodes} nodos>"

    def pipe(self, format=None, *args, encoding=None, **kwargs):
        if _has_dot():
            try:
                return super().pipe(format, *args, encoding=encoding, **kwargs)
            except graphviz.ExecutableNotFound:
                pass                      # `dot` figura en PATH pero no se pudo ejecutar
        svg = self._svg(format or self.format)
        return svg if encoding else svg.encode("utf-8")

    def render(self, filename=None, directory=None, view=False, cleanup=False, format=None,
               *, outfile=None, raise_if_result_exists=False, **kwargs):
        if _has_dot():
            try:
                return super().render(filename, directory=directory, view=view,
                                      cleanup=cleanup, format=format, outfile=outfile,
                                      raise_if_result_exists=raise_if_result_exists, **kwargs)
            except graphviz.ExecutableNotFound:
                pass
        # Las convenciones de graphviz: la fuente va a `filename` (o a `self.name + '.gv'`),
        # el dibujo a `filename + '.svg'` (o a `outfile`) y se devuelve la ruta del dibujo.
        if outfile is not None:
            outfile = os.fspath(outfile)
            format = format or os.path.splitext(outfile)[1][1:] or None
            outfile = os.path.join(self.directory, outfile) if directory is None else outfile
            filename = filename or os.path.splitext(outfile)[0] + ".gv"
        svg = self._svg(format or self.format)
        source = self.save(filename, directory=directory)
        target = source + ".svg" if outfile is None else outfile
        if raise_if_result_exists and os.path.exists(target):
            raise graphviz.FileExistsError(f"render: el archivo {target!r} ya existe")
        with open(target, "w", encoding="utf-8") as f:
            f.write(svg)
        if cleanup:
            os.remove(source)
        if view or kwargs.get("quiet_view"):
            self._view(target, format="svg", quiet=kwargs.get("quiet_view", False))
        return target

    def _svg(self, format):
        if format != "svg":
            raise NoDotError(format)
        return _layout_svg(*_read_dot(self.body), self.graph_attr.get("rankdir", "TB"))


_ID = r'("(?:[^"\\]|\\.)*"|[^\s"\[\]=;]+)'          # un nombre, con comillas o sin ellas
_EDGE, _NODE = re.compile(rf"{_ID}\s*->\s*{_ID}"), re.compile(rf"{_ID}\s*(?:\[(.*)\])?;?$")
_ATTR = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|[^\s\],;]+)')


def _unquote(text):
    return text[1:-1].replace('\\"', '"') if text.startswith('"') else text


def _read_dot(body):
    """Nodos `{nombre: (forma, etiqueta)}` y aristas, leídos de las líneas DOT de graphviz."""
    nodes, edges = {}, []
    for line in map(str.strip, body):
        if line.startswith(("graph ", "node ", "edge ", "subgraph", "}", "//")):
            continue                      # atributos generales: este trazado no los usa
        if m := _EDGE.match(line):
            tail, head = (_unquote(s).split(":")[0] for s in m.groups())   # sin puerto
            edges.append((tail, head))
            for n in (tail, head):
                nodes.setdefault(n, ("ellipse", n))
        elif m := _NODE.match(line):
            attrs = {k: _unquote(v) for k, v in _ATTR.findall(m.group(2) or "")}
            uid = _unquote(m.group(1))
            shape, label = nodes.get(uid, ("ellipse", uid))      # un nodo puede repetirse
            nodes[uid] = (attrs.get("shape", shape), attrs.get("label", label))
    return nodes, edges


# Medidas en píxeles. CHAR es el ancho de un carácter de una letra monoespaciada de 12 px
# con margen (DejaVu Sans Mono mide 7.2): así ningún texto se sale de su caja.
FONT, CHAR, PAD, ROW, ARROW, NODESEP, RANKSEP, MARGIN = 12, 7.6, 7, 22, 8, 14, 40, 8
_BOXES = ("record", "Mrecord", "box", "rect", "rectangle", "square")


def _shape(kind, label, horizontal):
    """Tamaño (ancho, alto) de un nodo y sus celdas [(texto, x, y, ancho, alto)]."""
    if kind not in _BOXES:                # elipse: con semieje 0.75·texto + 8, el texto cabe
        w = max(36.0, 1.5 * len(label) * CHAR + 16)
        return (w, 28.0), [(label, 0, 0, w, 28.0)]
    texts = [label]
    if kind.endswith("record"):
        if label.startswith("{") and label.endswith("}"):      # las llaves giran los campos
            label, horizontal = label[1:-1], not horizontal
        texts = [re.sub(r"\\(.)", r"\1", t).strip() for t in re.split(r"(?<!\\)\|", label)]
    widths = [len(t) * CHAR + 2 * PAD for t in texts]
    if horizontal:
        xs = [sum(widths[:i]) for i in range(len(texts))]
        return (sum(widths), ROW), [(t, x, 0, w, ROW) for t, x, w in zip(texts, xs, widths)]
    return (max(widths), ROW * len(texts)), [(t, 0, i * ROW, max(widths), ROW)
                                            for i, t in enumerate(texts)]


def _place(desired, gaps):
    """Posiciones en orden, con `gaps` entre vecinos, lo más cerca posible de `desired`
    (una regresión isotónica, «pool adjacent violators»: mínimos cuadrados exactos)."""
    offsets = [0.0]
    for g in gaps:
        offsets.append(offsets[-1] + g)
    blocks = []                           # [suma, cantidad] de cada bloque que se mueve junto
    for d, o in zip(desired, offsets):
        blocks.append([d - o, 1])
        while len(blocks) > 1 and blocks[-2][0] * blocks[-1][1] > blocks[-1][0] * blocks[-2][1]:
            s, c = blocks.pop()
            blocks[-1][0] += s
            blocks[-1][1] += c
    return [s / c + o for (s, c), o in zip((b for b in blocks for _ in range(b[1])), offsets)]


def _layout_svg(nodes, edges, rankdir):
    """Un trazado por capas (al estilo de Sugiyama, simplificado), escrito como SVG.

    Usamos dos ejes: u avanza de capa en capa (x en «LR», y en «TB») y v recorre cada
    capa; `xy` los convierte en coordenadas del dibujo al final.
    """
    if not nodes:
        return '<svg xmlns="http://www.w3.org/2000/svg" width="0" height="0"/>\n'
    lr = rankdir == "LR"
    size, cells = {}, {}
    for k, (kind, label) in nodes.items():
        size[k], cells[k] = _shape(kind, label, horizontal=not lr)
    ext = {k: (w, h) if lr else (h, w) for k, (w, h) in size.items()}      # (en u, en v)
    # 1. Capas: el camino más largo desde las hojas; cada hoja, justo antes de su primer uso.
    up, down = {k: [] for k in nodes}, {k: [] for k in nodes}
    for t, h in edges:
        down[t].append(h)
        up[h].append(t)
    rank, pending = {}, {k: len(p) for k, p in up.items()}
    ready = [k for k in nodes if not pending[k]]
    for k in ready:                       # orden topológico: la lista crece mientras la leemos
        rank[k] = max((rank[p] + 1 for p in up[k]), default=0)
        for s in down[k]:
            pending[s] -= 1
            if not pending[s]:
                ready.append(s)
    for k in nodes:
        rank.setdefault(k, 0)             # solo si alguien agregó un ciclo al grafo
        if not up[k] and down[k]:
            rank[k] = min(rank[s] for s in down[k]) - 1
    # 2. Una arista que salta capas pasa por un «nodo de paso» (sin tamaño) en cada una.
    layers = [[] for _ in range(max(rank.values()) + 1)]
    for k in nodes:
        layers[rank[k]].append(k)
    up, down, chains = {k: [] for k in nodes}, {k: [] for k in nodes}, []
    for i, (t, h) in enumerate(edges):
        chains.append([t] + [(i, r) for r in range(rank[t] + 1, rank[h])] + [h])
        for r, k in enumerate(chains[-1][1:-1], rank[t] + 1):
            layers[r].append(k)
            rank[k], ext[k], up[k], down[k] = r, (0.0, 0.0), [], []
        for a, b in zip(chains[-1], chains[-1][1:]):
            down[a].append(b)
            up[b].append(a)
    # 3. Orden en cada capa: el baricentro de los vecinos, bajando y subiendo varias veces.
    for sweep in range(8):
        nbrs, step = (up, -1) if sweep % 2 == 0 else (down, 1)
        for r in range(1, len(layers)) if step < 0 else range(len(layers) - 2, -1, -1):
            pos = {k: i for i, k in enumerate(layers[r + step])}
            key = {k: sum(pos[n] for n in nbrs[k]) / len(nbrs[k]) if nbrs[k] else i
                   for i, k in enumerate(layers[r])}
            layers[r].sort(key=key.get)   # sort es estable: los empates no cambian de lugar
    # 4. Posición en v: cerca del promedio de los vecinos, sin que dos nodos se toquen.
    def gaps(layer):
        return [(ext[a][1] + ext[b][1]) / 2 + (NODESEP if a in nodes and b in nodes else 6)
                for a, b in zip(layer, layer[1:])]
    v = {k: y for layer in layers for k, y in zip(layer, _place([0.0] * len(layer), gaps(layer)))}
    for sweep in range(8):
        nbrs = up if sweep % 2 == 0 else down
        for layer in layers if sweep % 2 == 0 else layers[::-1]:
            want = [sum(v[n] for n in nbrs[k]) / len(nbrs[k]) if nbrs[k] else v[k] for k in layer]
            v.update(zip(layer, _place(want, gaps(layer))))
    low = min(v[k] - ext[k][1] / 2 for k in v)
    v = {k: y - low + MARGIN for k, y in v.items()}
    # 5. Posición en u: cada capa es tan gruesa como su nodo más grande.
    thick = [max((ext[k][0] for k in layer), default=0.0) for layer in layers]
    start = [MARGIN + sum(thick[:r]) + RANKSEP * r for r in range(len(layers))]
    u = {k: start[rank[k]] + thick[rank[k]] / 2 for k in v}
    xy = (lambda a, b: (a, b)) if lr else (lambda a, b: (b, a))

    def pt(a, b):
        return "%.1f,%.1f" % tuple(c + 0.0 for c in xy(a, b))   # + 0.0: nunca «-0.0»

    W, H = ("%.1f" % c for c in xy(start[-1] + thick[-1] + MARGIN,
                                   max(v[k] + ext[k][1] / 2 for k in v) + MARGIN))
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 '
           f'{W} {H}" font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" '
           f'font-size="{FONT}">', f'<rect width="{W}" height="{H}" fill="white"/>']
    # Aristas: rectas dentro de una capa y curvas (Bézier) entre capas; la flecha, al final.
    for chain in chains:
        t, h = chain[0], chain[-1]
        tip, d = u[h] - ext[h][0] / 2, f"M{pt(u[t] + ext[t][0] / 2, v[t])}"
        for a, b in zip(chain, chain[1:]):
            a_end, b_start = start[rank[a]] + thick[rank[a]], start[rank[b]]
            b_start = min(b_start, tip - ARROW) if b == h else b_start
            mid = (a_end + b_start) / 2
            d += f" L{pt(a_end, v[a])} C{pt(mid, v[a])} {pt(mid, v[b])} {pt(b_start, v[b])}"
        out.append(f'<g class="edge"><path d="{d} L{pt(tip - ARROW, v[h])}" fill="none" '
                   f'stroke="black"/><polygon points="{pt(tip, v[h])} '
                   f'{pt(tip - ARROW, v[h] - 3.5)} {pt(tip - ARROW, v[h] + 3.5)}"/></g>')
    # Nodos: una caja con celdas (record) o una elipse; cada texto, centrado en su celda.
    for k, (kind, _) in nodes.items():
        (w, h), (cx, cy) = size[k], xy(u[k], v[k])
        x, y = cx - w / 2, cy - h / 2
        out.append(f'<g class="node" id="{html.escape(k)}" '
                   f'data-box="{x:.1f} {y:.1f} {w:.1f} {h:.1f}">')
        out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" '
                   if kind in _BOXES else f'<ellipse cx="{cx:.1f}" cy="{cy:.1f}" '
                   f'rx="{w / 2:.1f}" ry="{h / 2:.1f}" ')
        out[-1] += 'fill="white" stroke="black"/>'
        for i, (text, dx, dy, cw, ch) in enumerate(cells[k]):
            if i:                         # la línea que separa esta celda de la anterior
                x2, y2 = (x + dx, y + h) if dx else (x + w, y + dy)
                out.append(f'<line x1="{x + dx:.1f}" y1="{y + dy:.1f}" x2="{x2:.1f}" '
                           f'y2="{y2:.1f}" stroke="black"/>')
            out.append(f'<text x="{x + dx + cw / 2:.1f}" y="{y + dy + ch / 2 + 0.35 * FONT:.1f}"'
                       f' text-anchor="middle">{html.escape(text)}</text>')
        out.append("</g>")
    return "\n".join(out + ["</svg>", ""])


def trace(root):
    """Los nodos y las aristas del grafo que termina en `root`, como en el paquete del curso.

    Devuelve `(nodes, edges)`: dos conjuntos; cada arista es un par `(hijo, padre)`.
    """
    nodes, edges, stack = set(), set(), [root]
    while stack:                          # sin recursión: sirve para grafos profundos
        node = stack.pop()
        if node not in nodes:
            nodes.add(node)
            for child in node._prev:
                edges.add((child, node))
                stack.append(child)
    return nodes, edges


def _numbered(root):
    """Cada nodo con un identificador n0, n1… en orden de recorrido desde `root`.

    No usamos id(): así el mismo grafo produce siempre el mismo dibujo.
    """
    ids, stack = {}, [root]
    while stack:
        node = stack.pop()
        if node not in ids:
            ids[node] = f"n{len(ids)}"
            stack.extend(reversed(node._prev))
    return ids


def show_graph(root, format="svg", rankdir="LR"):
    """Dibuja el grafo de operaciones que termina en `root`.

    Devuelve un `graphviz.Digraph`: en Jupyter se muestra solo; fuera de Jupyter,
    `show_graph(L).render("grafo")` lo guarda en un archivo. Sin el programa `dot` de
    Graphviz también dibuja, en SVG (ver `Drawing`).
    """
    if rankdir not in ("LR", "TB"):
        raise ValueError(f"show_graph: rankdir debe ser 'LR' o 'TB', no {rankdir!r}")
    dot = Drawing(format=format, graph_attr={"rankdir": rankdir})
    for node, uid in (ids := _numbered(root)).items():
        # En una etiqueta «record», { } | < > tienen significado: en el nombre van escapados.
        name = re.sub(r"([{}|<>])", r"\\\1", str(node.name))
        dot.node(uid, "{ %s | data %.4f | grad %.4f }" % (name, node.data, node.grad),
                 shape="record")
        if node._op:
            dot.node(uid + "op", node._op)
            dot.edge(uid + "op", uid)
            for child in node._prev:
                dot.edge(ids[child], uid + "op")
    return dot


class _Page(str):
    """La ruta de la página escrita; en Jupyter se muestra como la página misma."""

    def _repr_html_(self):
        with open(self, encoding="utf-8") as f:
            return (f'<iframe srcdoc="{html.escape(f.read())}" width="100%" height="620" '
                    'style="border: none"></iframe>')


def show_graph_interactive(root, filename="graph.html"):
    """Escribe en `filename` una página HTML interactiva con el grafo que termina en `root`.

    Como en el paquete del curso (que usa pyvis): una caja por valor, `name | data=… |
    grad=…` con dos decimales, y un círculo por operación. Devuelve la ruta del archivo;
    en Jupyter, como última expresión de una celda, muestra la página.
    """
    try:
        from pyvis.network import Network
    except ImportError:
        raise ImportError("show_graph_interactive necesita el paquete pyvis, que no está "
                          "instalado: pip install pyvis") from None
    # «in_line» copia vis.js dentro de la página: funciona sin conexión y sin otros archivos.
    net = Network(height="600px", width="100%", directed=True, cdn_resources="in_line")
    ids = _numbered(root)
    for node, uid in ids.items():
        net.add_node(uid, label=f"{node.name} | data={node.data:.2f} | grad={node.grad:.2f}",
                     shape="box")
        if node._op:
            net.add_node(uid + "op", label=node._op, shape="circle", color="lightblue")
    for node, uid in ids.items():         # pyvis pide que los dos extremos ya existan
        if node._op:
            net.add_edge(uid + "op", uid)
            for child in node._prev:
                net.add_edge(ids[child], uid + "op")
    # Capas de izquierda a derecha y sin simulación física: el mismo grafo se ve siempre igual.
    net.options = {"physics": {"enabled": False},
                   "layout": {"hierarchical": {"enabled": True, "direction": "LR",
                                               "sortMethod": "directed",
                                               "levelSeparation": 260, "nodeSpacing": 50}}}
    # pyvis agrega Bootstrap desde internet, aunque el grafo no lo usa: lo quitamos.
    page = re.sub(r"\s*<(link|script)\s[^>]*bootstrap[^>]*>(\s*</script>)?", "",
                  net.generate_html())
    with open(filename, "w", encoding="utf-8") as f:
        f.write(page)
    return _Page(filename)
