"""Compatibilidad con el código del curso, de micrograd y de la clase de Karpathy.

Las funciones de este archivo están escritas como las escribiría un estudiante de la
práctica 9: cada operación nueva crea su nodo con `Value(dato, (self,), 'op')` y le asigna
una clausura `out._backward`. Se agregan a `Value` con `monkeypatch`, que las quita al
terminar cada prueba, así que no contaminan a las demás.
"""

import math
import random
import sys
from pathlib import Path

import pytest

try:
    import michigrad  # noqa: F401
except ImportError:  # pytest lanzado sin la raíz del repositorio en sys.path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402

from michigrad import nn  # noqa: E402
from michigrad.engine import Value  # noqa: E402
from michigrad.testing import gradcheck  # noqa: E402
from conftest import recursive_topological_order  # noqa: E402


# ------------------------------------------------ lo que escribe un estudiante

def student_tanh(self):
    # La fórmula de la práctica: tanh(x) = (e^(2x) - 1) / (e^(2x) + 1)
    e2x = math.exp(2 * self.data)
    t = (e2x - 1) / (e2x + 1)
    out = Value(t, (self,), "tanh")

    def _backward():
        self.grad += (1 - t**2) * out.grad
    out._backward = _backward
    return out


def student_sigmoid(self):
    s = 1 / (1 + math.exp(-self.data))
    out = Value(s, (self,), "Sigmoid")

    def _backward():
        self.grad += s * (1 - s) * out.grad
    out._backward = _backward
    return out


def student_exp(self):
    out = Value(math.exp(self.data), (self,), "exp")

    def _backward():
        self.grad += out.data * out.grad     # la derivada de e^x es e^x
    out._backward = _backward
    return out


@pytest.fixture
def course_value(monkeypatch):
    """Value con tanh, sigmoid y exp reemplazadas por las clausuras del estudiante."""
    monkeypatch.setattr(Value, "tanh", student_tanh)
    monkeypatch.setattr(Value, "sigmoid", student_sigmoid)
    monkeypatch.setattr(Value, "exp", student_exp)
    return Value


def close(x, y, rel=1e-12):
    return abs(x - y) <= rel * max(1.0, abs(x), abs(y))


# ------------------------------------------ las clausuras, en grafos mezclados

def test_student_closures_are_really_used(course_value):
    x = Value(0.3)
    for op, name in (("tanh", "tanh"), ("sigmoid", "Sigmoid"), ("exp", "exp")):
        out = getattr(x, op)()
        assert out._op == name and out._prev == (x,) and out._local_grads == ()


@pytest.mark.parametrize("point", [(0.4, -1.3, 0.7), (-2.0, 0.5, 1.5)])
def test_mixed_graph_matches_torch(course_value, point):
    def f(a, b, c):
        # Clausuras del estudiante (tanh, sigmoid, exp) entre operaciones del paquete.
        h = (a * b + c).tanh()
        g = (h * c - a).sigmoid()
        return g * (b * 0.5).exp() + h / (1 + g * g) - a ** 2

    leaves = [Value(v) for v in point]
    out = f(*leaves)
    out.backward()

    tensors = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in point]
    a, b, c = tensors
    h = torch.tanh(a * b + c)
    g = torch.sigmoid(h * c - a)
    out_t = g * torch.exp(b * 0.5) + h / (1 + g * g) - a ** 2
    out_t.backward()

    assert close(out.data, out_t.item())
    for v, t in zip(leaves, tensors):
        assert close(v.grad, t.grad.item()), (v.grad, t.grad.item())


def test_mixed_graph_passes_gradcheck(course_value):
    def f(x, w, b):
        return (x * w + b).sigmoid() * x.tanh() + (w * -0.5).exp() * b

    assert gradcheck(f, Value(0.8, name="x"), Value(-1.1, name="w"), Value(0.3, name="b"))


# ----------------------------------------- entrenar un MLP con las clausuras

def torch_layers(layers):
    """Los pesos de una lista de capas de michigrad, como tensores float64 entrenables."""
    params = []
    for layer in layers:
        W = [[w.data for w in n.w] for n in layer.neurons]
        b = [n.b.data for n in layer.neurons]
        params.append((torch.tensor(W, dtype=torch.float64, requires_grad=True),
                       torch.tensor(b, dtype=torch.float64, requires_grad=True)))
    return params


XS = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.5, -0.3]]
YS = [-1.0, 1.0, 1.0, -1.0, 1.0]


def sgd(params, lr):
    for p in params:
        p.data -= lr * p.grad


def test_mlp_training_with_closure_sigmoid_and_exp_matches_torch(course_value):
    random.seed(7)
    model = nn.MLP(2, [4, 4, 1])                 # ReLU ocultas (del paquete), salida lineal
    params_t = torch_layers(model.layers)
    lr = 0.1
    for _ in range(5):
        # Pérdida logística: log(1 + e^(-y·s)), con la exp del estudiante, y además la
        # sigmoide del estudiante sobre la salida (un término más de la pérdida).
        scores = [model(x) for x in XS]
        terms = [(1 + (-y * s).exp()).log() + (s.sigmoid() - (y + 1) / 2) ** 2
                 for s, y in zip(scores, YS)]
        loss = sum(terms) * (1 / len(terms))
        model.zero_grad()
        loss.backward()

        X = torch.tensor(XS, dtype=torch.float64)
        Y = torch.tensor(YS, dtype=torch.float64)
        (W1, b1), (W2, b2), (W3, b3) = params_t
        s = (torch.relu(torch.relu(X @ W1.T + b1) @ W2.T + b2) @ W3.T + b3)[:, 0]
        loss_t = (torch.log(1 + torch.exp(-Y * s)) + (torch.sigmoid(s) - (Y + 1) / 2) ** 2).mean()
        for p in (q for pair in params_t for q in pair):
            p.grad = None
        loss_t.backward()

        assert close(loss.data, loss_t.item())
        # Todos los parámetros, en el orden de torch: los pesos y luego los sesgos de cada capa.
        mine, theirs = [], []
        for layer, (W, b) in zip(model.layers, params_t):
            mine += [w.grad for n in layer.neurons for w in n.w]
            mine += [n.b.grad for n in layer.neurons]
            theirs += W.grad.flatten().tolist() + b.grad.tolist()
        assert len(mine) == len(theirs) == len(model.parameters())
        assert all(close(m, t) for m, t in zip(mine, theirs)), (mine, theirs)

        sgd(model.parameters(), lr)
        with torch.no_grad():
            for p in (q for pair in params_t for q in pair):
                p -= lr * p.grad


def test_sequential_with_closure_tanh_layer_matches_torch(course_value):
    random.seed(3)
    model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1), nn.Sigmoid())
    linears = [layer for layer in model.layers if isinstance(layer, nn.Linear)]
    (W1, b1), (W2, b2) = torch_layers(linears)
    X = torch.tensor(XS, dtype=torch.float64)
    targets = [(y + 1) / 2 for y in YS]
    lr = 0.5
    for _ in range(5):
        preds = [model(x) for x in XS]
        loss = nn.mse_loss(preds, targets)
        model.zero_grad()
        loss.backward()
        pred_t = torch.sigmoid(torch.tanh(X @ W1.T + b1) @ W2.T + b2)[:, 0]
        loss_t = ((pred_t - torch.tensor(targets, dtype=torch.float64)) ** 2).mean()
        for p in (W1, b1, W2, b2):
            p.grad = None
        loss_t.backward()
        assert close(loss.data, loss_t.item())
        mine = [w.grad for layer in linears for n in layer.neurons for w in n.w]
        theirs = W1.grad.flatten().tolist() + W2.grad.flatten().tolist()
        assert all(close(m, t) for m, t in zip(mine, theirs)), (mine, theirs)
        sgd(model.parameters(), lr)
        with torch.no_grad():
            for p in (W1, b1, W2, b2):
                p -= lr * p.grad
    assert any(isinstance(node._op, str) and node._op == "tanh"
               for node in loss._topological_order())


# ------------------------------------------------- la clase de Karpathy

def test_lecture_manual_backward_walk(course_value):
    def lecture_neuron():
        # Una neurona con tanh, con `label` como en la clase, paso por paso.
        x1 = Value(1.5, label="x1")
        x2 = Value(-0.5, label="x2")
        w1 = Value(-2.0, label="w1")
        w2 = Value(0.75, label="w2")
        b = Value(2.9, label="b")
        x1w1 = x1 * w1; x1w1.label = "x1*w1"
        x2w2 = x2 * w2; x2w2.label = "x2*w2"
        x1w1x2w2 = x1w1 + x2w2; x1w1x2w2.label = "x1*w1 + x2*w2"
        n = x1w1x2w2 + b; n.label = "n"
        o = n.tanh(); o.label = "o"
        return o, [o, n, b, x1w1x2w2, x2w2, x1w1, x2, w2, x1, w1]

    o, nodes = lecture_neuron()
    o.grad = 1.0
    for node in nodes:                  # de la salida hacia las hojas, uno por uno
        node._backward()
    by_hand = {node.label: node.grad for node in nodes}

    o, nodes = lecture_neuron()
    o.backward()
    automatic = {node.label: node.grad for node in nodes}
    assert by_hand == automatic
    t = math.tanh(1.5 * -2.0 + -0.5 * 0.75 + 2.9)
    assert close(automatic["w1"], (1 - t**2) * 1.5)

    # El `trace` que escriben los estudiantes para dibujar: recorre `_prev` como un conjunto.
    nodes_seen, edges = set(), set()

    def build(v):
        if v not in nodes_seen:
            nodes_seen.add(v)
            for child in v._prev:
                edges.add((child, v))
                build(child)
    build(o)
    assert len(nodes_seen) == 10 and len(edges) == 9


def test_backward_by_hand_on_builtin_nodes_and_leaves():
    a, b = Value(3.0), Value(-2.0)
    c = a * b
    d = c + a
    d.grad = 1.0
    d._backward()
    c._backward()
    a._backward()                       # una hoja: no hace nada
    assert (a.grad, b.grad, c.grad) == (1.0 + -2.0, 3.0, 1.0)


def test_label_is_another_name_for_name():
    v = Value(2.0, label="a")
    assert v.name == "a" and v.label == "a"
    v.label = "e"
    assert v.name == "e" and repr(v) == "Value(data=2.0, grad=0.0, name=e)"
    v.name = "f"
    assert v.label == "f"
    w = Value(1.0, (), "", "g")         # el cuarto argumento, por posición, como en micrograd
    assert w.label == "g"
    with pytest.raises(AttributeError):
        v.color = "rojo"                # __slots__: los demás atributos siguen prohibidos


# ------------------------------------- nodos con cualquier cantidad de operandos

def student_sum(values):
    """Un nodo que suma una lista entera de una vez, al estilo del curso."""
    out = Value(sum(v.data for v in values), tuple(values), "sum")

    def _backward():
        for v in values:
            v.grad += out.grad
    out._backward = _backward
    return out


def test_closure_node_with_many_operands():
    xs = [Value(float(i), name=f"x{i}") for i in range(5)]
    s = student_sum([xs[3], xs[0], xs[4], xs[1], xs[2], xs[0]])   # x0 dos veces
    y = s * xs[2]
    assert [v.name for v in s._prev] == ["x3", "x0", "x4", "x1", "x2", "x0"]
    order = y._topological_order()
    assert set(order) == set(xs) | {s, y} and order[-1] is y
    position = {node: i for i, node in enumerate(order)}
    assert all(position[child] < position[node] for node in order for child in node._prev)
    y.backward()
    expected = [2 * 2.0, 2.0, 2.0 + s.data, 2.0, 2.0]
    assert [v.grad for v in xs] == expected


def test_closure_node_topological_order_matches_recursion():
    a, b, c = Value(1.0), Value(2.0), Value(3.0)
    s = student_sum([c, a * b, b, a])
    out = student_sum([s, a, s * c]) + b
    assert [id(n) for n in out._topological_order()] == [id(n) for n in recursive_topological_order(out)]


def test_show_graph_sees_every_operand():
    from michigrad.visualize import show_graph

    xs = [Value(float(i), name=f"x{i}") for i in range(4)]
    s = student_sum(xs)
    s.name = "s"
    source = show_graph(s).source
    for v in xs:
        assert v.name in source


def test_setting_backward_on_a_builtin_node_replaces_its_rule():
    a, b = Value(2.0), Value(5.0)
    c = a * b
    calls = []

    def _backward():
        calls.append(c.grad)
        a.grad += 10 * c.grad          # una regla distinta, a propósito
    c._backward = _backward
    assert c._prev == (a, b) and c._local_grads == ()
    (c + 1).backward()
    assert calls == [1.0] and (a.grad, b.grad) == (10.0, 0.0)


# ----------------------------------------------------------- el error claro

def test_node_without_any_rule_gives_a_spanish_error():
    x = Value(2.0, name="x")
    t = Value(6.0, (x,), "triple", name="t")
    y = t * x + x
    with pytest.raises(RuntimeError) as info:
        y.backward()
    message = str(info.value)
    assert "Value(data=6.0, grad=0.0, name=t)" in message and "'triple'" in message
    assert "_local_grads" in message and "out._backward = _backward" in message
    # El error llega antes de tocar un solo gradiente.
    assert (x.grad, t.grad, y.grad) == (0.0, 0.0, 0.0)
    with pytest.raises(RuntimeError, match="no sabe propagar"):
        t._backward()


def test_children_must_be_values():
    with pytest.raises(TypeError, match="los operandos deben ser Value"):
        Value(1.0, (2.0,), "raro")


# ------------------------------------------------------ micrograd 0.1.0 tal cual

def load_micrograd_nn_on(module_name):
    """Ejecuta el `nn.py` de micrograd 0.1.0 sin cambios, salvo su import de Value."""
    micrograd_nn = pytest.importorskip("micrograd.nn")
    source = Path(micrograd_nn.__file__).read_text(encoding="utf-8")
    line = "from micrograd.engine import Value"
    assert line in source
    namespace = {"__name__": "micrograd_nn_copy"}
    exec(source.replace(line, f"from {module_name} import Value"), namespace)
    return namespace


def moons_step_losses(namespace, steps=4):
    """El ciclo de entrenamiento de la demo de micrograd, en pequeño."""
    random.seed(1337)
    model = namespace["MLP"](2, [8, 8, 1])
    rng = random.Random(0)
    X = [[rng.uniform(-1, 1), rng.uniform(-1, 1)] for _ in range(20)]
    y = [1 if a * b > 0 else -1 for a, b in X]
    losses = []
    for k in range(steps):
        scores = [model(x) for x in X]
        data_loss = sum((1 + -yi * s).relu() for yi, s in zip(y, scores)) * (1.0 / len(X))
        reg = 1e-4 * sum(p * p for p in model.parameters())
        loss = data_loss + reg
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= (1.0 - 0.9 * k / 100) * p.grad
        losses.append(loss.data)
    return losses, [p.data for p in model.parameters()]


def test_micrograd_nn_runs_unchanged_on_michigrad():
    ours = moons_step_losses(load_micrograd_nn_on("michigrad.engine"))
    theirs = moons_step_losses(load_micrograd_nn_on("micrograd.engine"))
    # Los mismos números; solo puede cambiar el orden de algunas sumas (micrograd guarda
    # los hijos en un conjunto), es decir, el último bit.
    for a, b in zip(ours[0] + ours[1], theirs[0] + theirs[1]):
        assert close(a, b, rel=1e-12), (a, b)


def test_micrograd_style_sanity_check_against_torch():
    # Del estilo de las pruebas de micrograd: una expresión con todas las operaciones del
    # motor de micrograd, hacia adelante y hacia atrás, contra PyTorch.
    p = Value(-3.0)
    q = 2 * p + 1 + p
    r = q * p + (q ** 2).relu()
    s = (r / 4 - p) + (-q).relu() + 5 / (p * p)
    s.backward()

    pt = torch.tensor(-3.0, dtype=torch.float64, requires_grad=True)
    qt = 2 * pt + 1 + pt
    rt = qt * pt + (qt ** 2).relu()
    st = (rt / 4 - pt) + (-qt).relu() + 5 / (pt * pt)
    st.backward()
    assert close(s.data, st.item()) and close(p.grad, pt.grad.item())
