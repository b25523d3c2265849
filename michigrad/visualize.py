# Generado a partir de los capítulos del libro: 02-value.md.
# No editar a mano: los cambios se hacen en los capítulos y se exportan
# con `make export` (o al construir el libro).
# huella: sha256:a83f7c063078edcd7d6e18f80b73e2ae77fd5ce5a1edd049f8f5d055c4b61b3b

from graphviz import Digraph


def show_graph(root, format="svg", rankdir="LR"):
    """Dibuja el grafo de operaciones que termina en `root`.

    Devuelve un `graphviz.Digraph`: en Jupyter se muestra solo; fuera de Jupyter,
    `show_graph(L).render("grafo")` lo guarda en un archivo.
    """
    if rankdir not in ("LR", "TB"):
        raise ValueError(f"show_graph: rankdir debe ser 'LR' o 'TB', no {rankdir!r}")
    dot = Digraph(format=format, graph_attr={"rankdir": rankdir})
    # Los identificadores salen del orden de recorrido y no de id(): así el mismo
    # grafo produce siempre el mismo dibujo.
    ids = {}
    stack = [root]
    while stack:
        node = stack.pop()
        if node in ids:
            continue
        ids[node] = f"n{len(ids)}"
        stack.extend(reversed(node._prev))
    for node, uid in ids.items():
        dot.node(uid, "{ %s | data %.4f | grad %.4f }" % (node.name, node.data, node.grad),
                 shape="record")
        if node._op:
            dot.node(uid + "op", node._op)
            dot.edge(uid + "op", uid)
            for child in node._prev:
                dot.edge(ids[child], uid + "op")
    return dot
