"""Los comprobadores de los ejercicios (`michigrad.ejercicios`).

Para cada comprobador: la solución del libro pasa (la tomamos del capítulo: ejecutamos el
código de su solución, o las definiciones que la forman) y al menos una respuesta equivocada
típica falla con un mensaje que dice qué está mal, sin revelar la solución.
"""

import ast
import contextlib
import functools
import io
import math
import random
import re
import time

import jupytext
import numpy as np
import pytest

from conftest import BOOK, ROOT
from test_compat import student_sigmoid

import michigrad
from michigrad import ejercicios, nn, optim
from michigrad.engine import Value
from michigrad.ejercicios import comprobar, exercise_ids
from michigrad.testing import gradcheck

CHAPTERS = {path.stem: path for path in BOOK.glob("[0-9][0-9]-*.md")}


# ---------------------------------------------------------------------------------------
# Leer el código del libro

@functools.cache
def _cells(stem):
    return jupytext.read(CHAPTERS[stem], fmt="md:myst").cells


def _solution_start(label):
    return f"```{{solution-start}} {label}"


def solution_cells(stem, label):
    """El código de las celdas de la solución del ejercicio `label`, en orden."""
    inside, found = False, []
    for cell in _cells(stem):
        if cell.cell_type == "markdown":
            text = cell.source
            if not inside and _solution_start(label) in text:
                inside = "```{solution-end}" not in text.split(_solution_start(label), 1)[1]
            elif inside and "```{solution-end}" in text:
                inside = False
        elif inside:
            found.append(cell.source)
    assert found, f"{stem}: la solución de {label} no tiene código"
    return found


def _defines(node):
    if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, ast.Assign):
        return {n.id for target in node.targets for n in ast.walk(target)
                if isinstance(n, ast.Name)}
    return set()


def _pick(source, names):
    """Las sentencias de primer nivel de `source` que definen alguno de `names`."""
    tree = ast.parse(source)
    lines = source.splitlines()
    picked = []
    for node in tree.body:
        if _defines(node) & set(names):
            first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
            picked.append((_defines(node), "\n".join(lines[first - 1:node.end_lineno])))
    return picked


def chapter_defs(stem, *names, before):
    """El código de la última definición de cada nombre en el capítulo, antes de la solución
    del ejercicio `before` (las funciones y los datos que la solución da por conocidos)."""
    last = {}
    order = []
    for cell in _cells(stem):
        if cell.cell_type == "markdown" and _solution_start(before) in cell.source:
            break
        if cell.cell_type != "code" or cell.source.lstrip().startswith("%"):
            continue
        for defined, code in _pick(cell.source, names):
            for name in defined & set(names):
                last[name] = code
            order.append(code)
    missing = set(names) - set(last)
    assert not missing, f"{stem}: no encontramos {missing}"
    wanted = set(last.values())
    return "\n\n".join(dict.fromkeys(code for code in order if code in wanted))


class _Anything:
    """Un reemplazo de matplotlib y show_graph: acepta cualquier llamada y no dibuja nada."""

    def __getattr__(self, name):
        return self

    def __call__(self, *args, **kwargs):
        return self

    def __iter__(self):
        return iter((self, self))


def _add_to_class(cls):
    # En las pruebas no tocamos las clases del paquete: el método queda como función suelta.
    return lambda method: method


def namespace(**extra):
    ns = {"__name__": "solucion", "math": math, "random": random, "np": np,
          "Value": Value, "gradcheck": gradcheck, "michigrad": michigrad,
          "add_to_class": _add_to_class, "plt": _Anything(), "show_graph": _Anything()}
    ns.update({name: getattr(nn, name) for name in nn.__dict__ if not name.startswith("_")})
    ns.update({"SGD": optim.SGD, "Adam": optim.Adam})
    ns.update(extra)
    return ns


def run(source, ns):
    """Ejecuta `source` en `ns` sin mostrar lo que imprime; devuelve (ns, lo impreso)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(source, "<libro>", "exec"), ns)
    return ns, out.getvalue()


def book(stem, label, *, context=(), cell=None, only=None, **extra):
    """Ejecuta la solución del libro (o solo las definiciones `only`) sobre las definiciones
    `context` del capítulo; devuelve el espacio de nombres y lo que imprimió."""
    ns = namespace(**extra)
    if context:
        run(chapter_defs(stem, *context, before=label), ns)
    cells = solution_cells(stem, label)
    source = "\n\n".join(cells if cell is None else [cells[cell]])
    if only:
        source = "\n\n".join(code for _, code in _pick(source, only))
    return run(source, ns)


def printed(text, prefix):
    """El número que la solución imprime después de `prefix`."""
    match = re.search(re.escape(prefix) + r"\s*([-+0-9.eE]+)", text)
    assert match, f"no encontramos {prefix!r} en:\n{text}"
    return float(match.group(1))


# ---------------------------------------------------------------------------------------
# Veredictos

def verdict(exercise_id, *answers):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        started = time.perf_counter()
        ok = comprobar(exercise_id, *answers)
        elapsed = time.perf_counter() - started
    return ok, out.getvalue(), elapsed


def passes(exercise_id, *answers):
    ok, text, elapsed = verdict(exercise_id, *answers)
    assert ok is True and text.startswith(f"✔ {exercise_id}: correcto"), text
    assert elapsed < 0.1, f"{exercise_id} tardó {elapsed:.3f} s"


def fails(exercise_id, *answers, says=()):
    ok, text, _ = verdict(exercise_id, *answers)
    assert ok is False and text.startswith(f"✘ {exercise_id}"), text
    for fragment in ([says] if isinstance(says, str) else says):
        assert fragment in text, f"falta {fragment!r} en:\n{text}"
    return text


# ---------------------------------------------------------------------------------------
# Un caso por comprobador: la solución del libro pasa y las respuestas típicas fallan

CASES = {}


def case(exercise_id):
    def register(function):
        CASES[exercise_id] = function
        return function
    return register


# Capítulo 1 ------------------------------------------------------------------------------

C1 = "01-derivadas"


@case("ej-cap01-paso-complejo")
def _():
    ns, _ = book(C1, "ej-cap01-paso-complejo", only=["complex_step"])
    passes("ej-cap01-paso-complejo", ns["complex_step"])
    central = lambda fun, x, h=1e-6: (fun(x + h) - fun(x - h)) / (2 * h)
    fails("ej-cap01-paso-complejo", central, says=["1e-20", "pero la derivada es"])
    fails("ej-cap01-paso-complejo", lambda fun, x, h=1e-20: fun(x + 1j * h) / h,
          says="número complejo")
    fails("ej-cap01-paso-complejo", lambda fun, x, h=1e-20: fun(x + 1j * h).real / h)


@case("ej-cap01-h-optimo")
def _():
    _, text = book(C1, "ej-cap01-h-optimo", context=["f", "forward_difference",
                                                     "central_difference", "hs", "eps"])
    best = printed(text, "adelante: mejor h ="), printed(text, "central : mejor h =")
    passes("ej-cap01-h-optimo", *best)
    fails("ej-cap01-h-optimo", 1e-15, 1e-15, says="orden de magnitud")
    fails("ej-cap01-h-optimo", best[1], best[0], says="¿están en el orden (adelante, central)?")


@case("ej-cap01-cadena")
def _():
    _, text = book(C1, "ej-cap01-cadena", context=["central_difference"])
    passes("ej-cap01-cadena", printed(text, "regla de la cadena:"))
    text = fails("ej-cap01-cadena", 27.0, says="eslabón de adentro")
    assert "54" not in text                      # no revela la respuesta
    fails("ej-cap01-cadena", "54", says="tiene que ser un número")


@case("ej-cap01-caminos")
def _():
    _, text = book(C1, "ej-cap01-caminos", context=["derivative_by_paths", "partial"])
    passes("ej-cap01-caminos", printed(text, "sumando caminos:"))
    for forgot_one in (-2.0, 1.0):
        fails("ej-cap01-caminos", forgot_one, says="falta uno de los dos caminos")


# Capítulo 2 ------------------------------------------------------------------------------

C2 = "02-value"


@case("ej-value-hojas")
def _():
    ns, _ = book(C2, "ej-value-hojas", only=["leaves"])
    passes("ej-value-hojas", ns["leaves"])

    def with_repeats(root):                       # sin recordar los visitados
        return [root.name] if not root._prev else [n for c in root._prev for n in with_repeats(c)]

    fails("ej-value-hojas", with_repeats, says="repite hojas")
    fails("ej-value-hojas", lambda root: [n for n in [root] if not n._prev] or list(root._prev),
          says="devuelve nodos")


@case("ej-value-local")
def _():
    a = Value(-1.5, name="a")
    ns, _ = book(C2, "ej-value-local", a=a)
    local_grads, total = eval(solution_cells(C2, "ej-value-local")[0].splitlines()[-1], ns)
    passes("ej-value-local", a, total)
    fails("ej-value-local", a, a.data, says="una sola de las dos apariciones")


@case("ej-value-dibujo")
def _():
    ns, _ = book(C2, "ej-value-dibujo")
    passes("ej-value-dibujo", ns["y"])
    x1, w1, b = Value(2.0, name="x1"), Value(-3.0, name="w1"), Value(6.88, name="b")
    p = x1 * w1
    p.name = "x1w1"
    y = p + b
    y.name = "y"
    fails("ej-value-dibujo", y, says="no encontramos una hoja llamada 'x2'")
    source = "\n".join(solution_cells(C2, "ej-value-dibujo")).replace(', name="b"', "")
    fails("ej-value-dibujo", run(source, namespace())[0]["y"], says="'b'")


# Capítulo 3 ------------------------------------------------------------------------------

C3 = "03-backprop-a-mano"


@case("ej-cap03-resolucion")
def _():
    ns, _ = book(C3, "ej-cap03-resolucion", cell=0, lr=0.01)
    values = [value for _, _, value in ns["rows"]]
    passes("ej-cap03-resolucion", values[0], values[3], values[4], values[5])
    text = fails("ej-cap03-resolucion", 0.1466, 2.0019, -2.9960, 0.001966, says="σ'(−1)")
    assert "0.1966" not in text
    fails("ej-cap03-resolucion", values[0], 2.0019, -2.9960, 0.001966, says="w₁ nuevo")
    fails("ej-cap03-resolucion", values[0], values[3], values[4], -values[5], says="el signo")


@case("ej-cap03-expresion")
def _():
    ns, _ = book(C3, "ej-cap03-expresion", context=["numeric_grad", "check_table"])
    passes("ej-cap03-expresion", ns["g"])
    grads = {name: ns[var].grad for name, var in zip("pqrsuv", ("p", "q", "r", "s_", "u", "v"))}
    passes("ej-cap03-expresion", grads)
    swapped = dict(grads, r=grads["s"], s=grads["r"])
    fails("ej-cap03-expresion", swapped, says=["∂g/∂r", "el otro factor"])
    fails("ej-cap03-expresion", {"p": 1.0}, says="faltan los gradientes de q, r, s")


@case("ej-cap03-relu")
def _():
    ns, _ = book(C3, "ej-cap03-relu", only=["relu_neuron_grads"])
    passes("ej-cap03-relu", ns["relu_neuron_grads"])
    source = "\n".join(code for _, code in _pick(solution_cells(C3, "ej-cap03-relu")[0],
                                                 ["relu_neuron_grads"]))
    at_zero = run(source.replace("n.data > 0", "n.data >= 0"), namespace())[0]
    fails("ej-cap03-relu", at_zero["relu_neuron_grads"], says=["relu_neuron_grads(6)", "quiebre"])
    fails("ej-cap03-relu", lambda b: (b - 6, 2.0, 0.0, 1.0), says="relu_neuron_grads(4)")
    fails("ej-cap03-relu", lambda b: (b - 6, 2.0), says="tiene que tener 4 elementos")


@case("ej-cap03-entrada-cero")
def _():
    ns, _ = book(C3, "ej-cap03-entrada-cero", context=["neuron_by_hand"])
    nodes = ns["neuron_by_hand"](2.0, -3.0, 0.0, 1.0, 6.88)
    passes("ej-cap03-entrada-cero", nodes["w2"].grad, nodes["x2"].grad)
    fails("ej-cap03-entrada-cero", 0.0, 0.0, says="no depende de x2")
    fails("ej-cap03-entrada-cero", nodes["x2"].grad, nodes["x2"].grad, says="∂o/∂w2")


@case("ej-cap03-entropia")
def _():
    ns, _ = book(C3, "ej-cap03-entropia", cell=0,
                 context=["sigmoid", "x", "y", "W", "bias", "lr"])
    passes("ej-cap03-entropia", ns["dW_bce"], ns["db_bce"])
    y_hat = ns["y_hat"]
    delta_mse = (y_hat - ns["y"]) * y_hat * (1 - y_hat)
    fails("ej-cap03-entropia", np.outer(delta_mse, ns["x"]), delta_mse,
          says="error cuadrático")
    fails("ej-cap03-entropia", ns["dW_bce"], [1.0], says="db tiene que tener 2 elementos")


# Capítulo 4 ------------------------------------------------------------------------------

C4 = "04-backprop-automatico"


@case("ej-backward-dos-veces")
def _():
    ns, _ = book(C4, "ej-backward-dos-veces", cell=0, context=["build_expression"])
    passes("ej-backward-dos-veces", ns["second"])
    fails("ej-backward-dos-veces", 2 * ns["first"], says="no basta con duplicar")


@case("ej-backward-orden")
def _():
    _, text = book(C4, "ej-backward-orden", context=["propagate"])
    wrong_order, topological = printed(text, "orden equivocado:"), printed(text, "orden topológico:")
    passes("ej-backward-orden", wrong_order, topological)
    fails("ej-backward-orden", topological, topological, says="ese es el gradiente correcto")
    fails("ej-backward-orden", wrong_order, 4.0, says="la derivada en orden topológico")


def _course_tanh(assign=False, scale=True, derivative=lambda t: 1 - t**2):
    def tanh(self):
        t = math.tanh(self.data)
        out = Value(t, (self,), "tanh")

        def _backward():
            term = derivative(t) * (out.grad if scale else 1.0)
            if assign:
                self.grad = term
            else:
                self.grad += term
        out._backward = _backward
        return out
    return tanh


@case("ej-backward-tanh-curso")
def _():
    ns, _ = book(C4, "ej-backward-tanh-curso", only=["tanh"])
    passes("ej-backward-tanh-curso", ns["tanh"])
    passes("ej-backward-tanh-curso", _course_tanh())
    fails("ej-backward-tanh-curso", _course_tanh(assign=True), says="acumularlo (+=)")
    fails("ej-backward-tanh-curso", _course_tanh(scale=False), says="(out.grad)")
    fails("ej-backward-tanh-curso", _course_tanh(derivative=lambda t: 1 - t),
          says=["los gradientes no coinciden", "MAL x = -2"])
    fails("ej-backward-tanh-curso", lambda self: Value(math.tanh(self.data), (self,), "tanh"),
          says="no sabe propagar")
    fails("ej-backward-tanh-curso", lambda self: math.tanh(self.data), says="devolver un Value")


# Capítulo 5 ------------------------------------------------------------------------------

C5 = "05-operaciones"


@case("ej-cap05-potencia-exp-log")
def _():
    ns, _ = book(C5, "ej-cap05-potencia-exp-log", only=["power"])
    passes("ej-cap05-potencia-exp-log", ns["power"])
    fails("ej-cap05-potencia-exp-log", lambda a, b: a ** b, says="usa ** entre dos Value")
    fails("ej-cap05-potencia-exp-log", lambda a, b: b * a.log(), says="el valor de power")


@case("ej-cap05-resta-propia")
def _():
    ns, _ = book(C5, "ej-cap05-resta-propia", only=["sub_node"])
    passes("ej-cap05-resta-propia", ns["sub_node"])
    fails("ej-cap05-resta-propia", lambda a, b: a + (-b), says="no es un nodo propio")
    fails("ej-cap05-resta-propia",
          lambda a, b: Value(a.data - b.data, (a, b), "-", _local_grads=(1.0, 1.0)),
          says="derivadas locales de la resta")


@case("ej-cap05-trig")
def _():
    ns, _ = book(C5, "ej-cap05-trig", only=["sin", "cos"])
    passes("ej-cap05-trig", ns["sin"], ns["cos"])
    wrong_cos = lambda x: Value(math.cos(x.data), (x,), "cos", _local_grads=(math.sin(x.data),))
    fails("ej-cap05-trig", ns["sin"], wrong_cos, says=["los gradientes no coinciden", "MAL"])
    fails("ej-cap05-trig", ns["sin"], says="comprobar('ej-cap05-trig', sin, cos)")


@case("ej-cap05-eps")
def _():
    ns, _ = book(C5, "ej-cap05-eps")
    outcomes = {eps: (right == "pasa", wrong == "pasa") for eps, (right, wrong)
                in ns["outcomes"].items()}
    passes("ej-cap05-eps", outcomes)
    passes("ej-cap05-eps", {eps: tuple("pasa" if p else "falla" for p in pair)
                            for eps, pair in outcomes.items()})
    text = fails("ej-cap05-eps", {eps: (True, True) for eps in outcomes},
                 says="3 de las 6 predicciones")
    assert "1e-02" not in text                   # no dice cuáles
    fails("ej-cap05-eps", {1e-2: (False, False)}, says="falta la predicción para eps = 1e-06")


# Capítulo 6 ------------------------------------------------------------------------------

C6 = "06-activaciones"


@case("ej-cap06-softplus")
def _():
    ns, _ = book(C6, "ej-cap06-softplus", only=["softplus"])
    passes("ej-cap06-softplus", ns["softplus"])

    def naive(self):
        out = math.log(1 + math.exp(self.data))
        return Value(out, (self,), "softplus", _local_grads=(1 / (1 + math.exp(-self.data)),))

    fails("ej-cap06-softplus", naive, says=["OverflowError", "sin desbordar"])

    def wrong_derivative(self):
        x = self.data
        out = max(x, 0.0) + math.log1p(math.exp(-abs(x)))
        return Value(out, (self,), "softplus", _local_grads=(math.exp(-abs(x)),))

    fails("ej-cap06-softplus", wrong_derivative, says="los gradientes no coinciden")


@case("ej-cap06-leaky")
def _():
    ns, _ = book(C6, "ej-cap06-leaky", only=["leaky_relu"])
    passes("ej-cap06-leaky", ns["leaky_relu"])

    def at_zero_one(self, alpha=0.01):
        slope = 1.0 if self.data >= 0 else alpha
        return Value(self.data * slope, (self,), "LeakyReLU", _local_grads=(slope,))

    fails("ej-cap06-leaky", at_zero_one, says=["MAL x = 0", "convención de PyTorch"])
    fails("ej-cap06-leaky", lambda self: self.relu(), says="leaky_relu(Value(-2))")


@case("ej-cap06-compuesta")
def _():
    ns, _ = book(C6, "ej-cap06-compuesta", only=["composite_sigmoid"])
    passes("ej-cap06-compuesta", ns["composite_sigmoid"])
    fails("ej-cap06-compuesta", lambda x: x.sigmoid(), says="usa el método sigmoid")
    fails("ej-cap06-compuesta", lambda x: 1 / (1 + x.exp()), says="el valor de composite_sigmoid")


SIGMOID_CONTEXT = ["sigma", "d_correct", "d_practica9", "d_cuaderno", "sigmoid_practica9",
                   "sigmoid_cuaderno"]


@case("ej-cap06-tanh-sigmoide")
def _():
    # La solución escribe la derivada en la prosa: σ'(x) = ¼ (1 − tanh²(x/2)).
    passes("ej-cap06-tanh-sigmoide", lambda x: (1 - math.tanh(x / 2) ** 2) / 4)
    ns, _ = book(C6, "ej-cap06-tanh-sigmoide", cell=0, context=SIGMOID_CONTEXT)
    passes("ej-cap06-tanh-sigmoide", ns["d_correct"])
    fails("ej-cap06-tanh-sigmoide", ns["d_practica9"], says="Coincide en x = 0")
    fails("ej-cap06-tanh-sigmoide", ns["d_cuaderno"], says="la propia sigmoide")
    fails("ej-cap06-tanh-sigmoide", lambda x: (1 - math.tanh(x) ** 2) / 4, says="MAL x = 1")


@case("ej-cap06-sigmoide")
def _():
    ns, _ = book(C6, "ej-cap06-tanh-sigmoide", cell=0, context=SIGMOID_CONTEXT)
    passes("ej-cap06-sigmoide", ns["d_correct"])
    passes("ej-cap06-sigmoide", student_sigmoid)   # a la manera del curso
    passes("ej-cap06-sigmoide", lambda self: self.sigmoid())
    # Las dos pistas equivocadas del curso (semillas 000 y 003), como derivada y como nodo.
    fails("ej-cap06-sigmoide", ns["d_practica9"], says=["MAL x = 1", "Coincide en x = 0"])
    fails("ej-cap06-sigmoide", ns["d_cuaderno"], says="la propia sigmoide")
    fails("ej-cap06-sigmoide", ns["sigmoid_practica9"],
          says=["los gradientes no coinciden", "Coincide en x = 0"])
    fails("ej-cap06-sigmoide", ns["sigmoid_cuaderno"], says="la propia sigmoide")
    fails("ej-cap06-sigmoide", lambda x: math.exp(x) / (1 + math.exp(-x)) ** 2,
          says="Coincide en x = 0")
    fails("ej-cap06-sigmoide", lambda x: math.exp(x) / (1 + math.exp(x)),
          says="la propia sigmoide")


@case("ej-cap06-cuarto")
def _():
    ns, _ = book(C6, "ej-cap06-cuarto", only=["chain"])
    passes("ej-cap06-cuarto", ns["chain"]("sigmoid", x0=0.0))
    fails("ej-cap06-cuarto", 0.25 ** 10, says="esa es la cota")


# Capítulo 7 ------------------------------------------------------------------------------

C7 = "07-mynn"


@case("ej-cap07-contar")
def _():
    ns, _ = book(C7, "ej-cap07-contar")
    passes("ej-cap07-contar", len(ns["net"].parameters()))
    fails("ej-cap07-contar", 2 * 16 + 16 * 16 + 16, says="faltan los sesgos")


@case("ej-cap07-nombres")
def _():
    ns, _ = book(C7, "ej-cap07-nombres", only=["name_parameters"])
    state = random.getstate()
    passes("ej-cap07-nombres", ns["name_parameters"])
    assert random.getstate() == state              # no le cambia el azar al estudiante

    def from_zero(model):
        for i, layer in enumerate(model.layers):
            for j, neuron in enumerate(layer.neurons):
                for k, w in enumerate(neuron.w):
                    w.name = f"L{i}N{j}w{k}"
                neuron.b.name = f"L{i}N{j}b"

    fails("ej-cap07-nombres", from_zero, says=["'L0N0w0'", "'L1N1w1'", "contando desde 1"])


# Capítulo 8 ------------------------------------------------------------------------------

C8 = "08-capas"


@case("ej-cap08-mlp-literal")
def _():
    ns, _ = book(C8, "ej-cap08-mlp-literal", only=["literal_mlp"])
    passes("ej-cap08-mlp-literal", ns["literal_mlp"])

    def relu_at_the_end(nin, nouts):
        sizes = [nin] + list(nouts)
        modules = []
        for a, b in zip(sizes, sizes[1:]):
            modules += [nn.Linear(a, b), nn.ReLU()]
        return nn.Sequential(modules)

    fails("ej-cap08-mlp-literal", relu_at_the_end, says="después de la última capa")
    fails("ej-cap08-mlp-literal", lambda nin, nouts: nn.Sequential(nn.Linear(nin, 1)),
          says="parámetros")


@case("ej-cap08-leaky")
def _():
    ns, _ = book(C8, "ej-cap08-leaky", only=["LeakyReLU"])
    passes("ej-cap08-leaky", ns["LeakyReLU"])

    class NotAnActivation:
        def __init__(self, alpha=0.01):
            self.alpha = alpha

    fails("ej-cap08-leaky", NotAnActivation, says="subclase de Activation")

    class WrongDefault(nn.Activation):
        def __init__(self, alpha=0.1):
            self.alpha = alpha

        def apply(self, v):
            return v.relu() - self.alpha * (-v).relu()

    fails("ej-cap08-leaky", WrongDefault, says="α por omisión")
    fails("ej-cap08-leaky", nn.ReLU, says="del lado negativo")


@case("ej-cap08-logits")
def _():
    ns, _ = book(C8, "ej-cap08-logits", only=["bce_with_logits"])
    passes("ej-cap08-logits", ns["bce_with_logits"])
    through_p = lambda z, y: nn.binary_cross_entropy(z.sigmoid(), y)
    fails("ej-cap08-logits", through_p, says="bce_with_logits(Value(-800), 1)")
    naive = lambda z, y: -(y * z.sigmoid().log() + (1 - y) * (1 - z.sigmoid()).log())
    fails("ej-cap08-logits", naive, says="lanzó ValueError")


@case("ej-cap08-momento")
def _():
    ns, _ = book(C8, "ej-cap08-momento")
    passes("ej-cap08-momento", ns["expected"] / 0.01)      # el paso límite es η·b
    fails("ej-cap08-momento", ns["expected"], says="ya está multiplicado por la tasa")
    fails("ej-cap08-momento", 2.0, says="ese es el gradiente")


# Capítulo 9 ------------------------------------------------------------------------------

C9 = "09-xor-lineal"
XOR = ["X", "Y"]


@case("ej-cap09-tres-capas")
def _():
    _, text = book(C9, "ej-cap09-tres-capas", context=XOR)
    losses = [float(v) for v in re.findall(r"pérdida final ([0-9.]+)", text)]
    assert len(losses) == 2
    passes("ej-cap09-tres-capas", *losses)
    fails("ej-cap09-tres-capas", 0.25, 0.125, says="2-2-2-1")


@case("ej-cap09-normales")
def _():
    ns, _ = book(C9, "ej-cap09-normales", context=XOR)
    passes("ej-cap09-normales", (ns["a1"], ns["a2"], ns["c"]))
    fails("ej-cap09-normales", (0.5, 0.5, 0.0), says="ecuaciones normales")
    fails("ej-cap09-normales", 0.5, says="secuencia de 3 elementos")


def _plane(predictions):
    """El plano (a1, a2, c) que dan las predicciones en (0, 0), (0, 1) y (1, 0)."""
    c = predictions[0]
    return predictions[2] - c, predictions[1] - c, c


@case("ej-cap09-and-or")
def _():
    ns, _ = book(C9, "ej-cap09-and-or", context=XOR + ["A"])
    fit = ns["fit_linear"]
    plane_and, plane_or = _plane(fit([0, 0, 0, 1])[0]), _plane(fit([0, 1, 1, 1])[0])
    passes("ej-cap09-and-or", plane_and, plane_or)
    fails("ej-cap09-and-or", plane_or, plane_and, says="el plano de AND")


@case("ej-cap09-tres-de-cuatro")
def _():
    ns, _ = book(C9, "ej-cap09-tres-de-cuatro", context=XOR)
    passes("ej-cap09-tres-de-cuatro", len(ns["found"]), ns["missing"])
    fails("ej-cap09-tres-de-cuatro", 16, [], says="el número de etiquetados")
    fails("ej-cap09-tres-de-cuatro", 14, [(0, 1, 1, 0), (1, 1, 1, 1)], says="no son los que")


@case("ej-cap09-signos")
def _():
    ns, _ = book(C9, "ej-cap09-signos", context=XOR + ["A", "y", "theta_star"])
    passes("ej-cap09-signos", ns["theta_signed"])
    fails("ej-cap09-signos", ns["theta_star"], says="ecuaciones normales")


# Capítulo 10 -----------------------------------------------------------------------------

C10 = "10-xor-activaciones"


@case("ej-cap10-a-mano")
def _():
    ns, _ = book(C10, "ej-cap10-a-mano", context=XOR + ["predictions"])
    passes("ej-cap10-a-mano", ns["by_hand"])
    for p, value in zip(ns["by_hand"].parameters()[6:], (1.0, -1.0, 0.0)):
        p.data = value
    fails("ej-cap10-a-mano", ns["by_hand"], says="en (1, 1) la red da 1")
    fails("ej-cap10-a-mano", nn.MLP(2, [3, 1]), says="parámetros")


@case("ej-cap10-nacen-muertas")
def _():
    ns, _ = book(C10, "ej-cap10-nacen-muertas", cell=0, context=XOR)
    passes("ej-cap10-nacen-muertas", ns["born_dead_fraction"])
    fails("ej-cap10-nacen-muertas", 0.5, says="la condición")


# Capítulo 11 -----------------------------------------------------------------------------

C11 = "11-mlp-xor"


@case("ej-cap11-promedio")
def _():
    # La tasa que usa la solución, leída de su llamada a SGD.
    tree = ast.parse(solution_cells(C11, "ej-cap11-promedio")[0])
    rate, = [k.value.value for n in ast.walk(tree) if isinstance(n, ast.Call)
             and getattr(n.func, "id", "") == "SGD" for k in n.keywords if k.arg == "lr"]
    passes("ej-cap11-promedio", rate)
    fails("ej-cap11-promedio", 0.025, says="la tasa tiene que compensarlo")


@case("ej-cap11-tasa")
def _():
    ns, _ = book(C11, "ej-cap11-tasa", context=["X", "y", "init_parameters", "sigmoid",
                                                "forward", "bce", "accuracy",
                                                "loss_and_gradients", "fit_corrected"])
    solving = [eta for eta, (_, hits) in ns["final_by_eta"].items() if hits == 1.0]
    passes("ej-cap11-tasa", solving)
    fails("ej-cap11-tasa", [0.01, 0.1, 1.0], says="no coincide")
    fails("ej-cap11-tasa", [0.5], says="no están entre las tres")


# Capítulo 12 -----------------------------------------------------------------------------

C12 = "12-pytorch"
SEED_002 = ["W1", "b1", "W2", "b2", "W_out", "b_out", "X_s", "y_s", "set_weights"]


@case("ej-cap12-broadcast-michigrad")
def _():
    ns, _ = book(C12, "ej-cap12-broadcast-michigrad", context=SEED_002 + ["notebook_W1_grad"])
    passes("ej-cap12-broadcast-michigrad", ns["wrong_loss"])
    fails("ej-cap12-broadcast-michigrad", 0.79133734, says="error cuadrático medio correcto")


@case("ej-cap12-empujar")
def _():
    ns = namespace()
    run(chapter_defs(C12, *SEED_002, before="ej-cap12-empujar"), ns)
    run("model = MLP(3, [4, 4, 1])\n"
        "set_weights(model, [W1, W2, [W_out]], [b1, b2, [b_out]])\n"
        "preds = [model(x) for x in X_s]\n"
        "dead1 = [2]\n", ns)                       # la neurona muerta que halla el capítulo
    run("\n".join(solution_cells(C12, "ej-cap12-empujar")), ns)
    closest = ns["closest"]
    passes("ej-cap12-empujar", closest + 1, ns["pre1"][closest])
    fails("ej-cap12-empujar", closest, ns["pre1"][closest], says="desde 1")
    fails("ej-cap12-empujar", closest + 1, 0.0, says="la preactivación de esa neurona")


@case("ej-cap12-numpy-aleatorio")
def _():
    ns, _ = book(C12, "ej-cap12-numpy-aleatorio", context=["set_weights"])
    theirs, mine = ns["numpy_grads"][0], ns["michigrad_grads"][0]
    k = np.unravel_index(np.abs(mine).argmax(), mine.shape)
    passes("ej-cap12-numpy-aleatorio", theirs[k] / mine[k])
    fails("ej-cap12-numpy-aleatorio", mine[k] / theirs[k], says="al revés")


# Capítulo 13 -----------------------------------------------------------------------------

C13 = "13-rendimiento"


@case("ej-cap13-clausura-sin-out")
def _():
    from micrograd.engine import Value as MicroValue
    ns, _ = book(C13, "ej-cap13-clausura-sin-out", MicroValue=MicroValue,
                 only=["ArgValue", "build_topo", "ArgValueNoCycle"])
    passes("ej-cap13-clausura-sin-out", ns["ArgValueNoCycle"])
    fails("ej-cap13-clausura-sin-out", ns["ArgValue"], says="basura cíclica")
    fails("ej-cap13-clausura-sin-out", MicroValue, says="basura cíclica")
    fails("ej-cap13-clausura-sin-out", Value(1.0), says="se esperaba una clase")


# ---------------------------------------------------------------------------------------
# Las pruebas

def test_every_checker_has_a_case():
    assert len(exercise_ids()) >= 30
    assert sorted(CASES) == exercise_ids()


@pytest.mark.parametrize("exercise_id", sorted(CASES))
def test_book_solution_passes_and_typical_mistakes_fail(exercise_id):
    state = random.getstate()
    CASES[exercise_id]()
    random.setstate(state)


def test_each_exercise_tells_how_to_check_it():
    text = {stem: path.read_text(encoding="utf-8") for stem, path in CHAPTERS.items()}
    for exercise_id in exercise_ids():
        holders = [stem for stem, body in text.items() if f'comprobar("{exercise_id}"' in body]
        assert len(holders) == 1, (exercise_id, holders)
        if exercise_id != "ej-cap06-sigmoide":   # la pista de la práctica 9, en la prosa
            statement = text[holders[0]].split(f":label: {exercise_id}\n", 1)[1]
            statement = statement.split("```{exercise-end}", 1)[0]
            assert f'comprobar("{exercise_id}"' in statement, exercise_id


@pytest.mark.parametrize("exercise_id", sorted(CASES))
def test_garbage_never_crashes(exercise_id):
    function = ejercicios._CHECKERS[exercise_id]
    arity = len(ejercicios.inspect.signature(function).parameters)

    def explodes(*args, **kwargs):
        raise ZeroDivisionError("a propósito")

    for garbage in (None, "hola", explodes, [1, 2, 3], {"a": 1}, float("nan"), 10**400):
        ok, text, _ = verdict(exercise_id, *[garbage] * arity)
        assert ok is False and text.startswith(f"✘ {exercise_id}, todavía no: "), (garbage, text)


def test_unknown_labels_and_wrong_arity_explain_the_call():
    ok, text, _ = verdict("ej-cap01-cadenas", 1)
    assert ok is False and "ej-cap01-cadena" in text
    ok, text, _ = verdict("ej-cap01-cadena")
    assert ok is False and "comprobar('ej-cap01-cadena', dy_dx)" in text


def test_module_runs_in_plain_python():
    """Solo la biblioteca estándar (también en Pyodide), y nunca se importa a sí mismo."""
    tree = ast.parse((ROOT / "michigrad" / "ejercicios.py").read_text(encoding="utf-8"))
    modules = {alias.name.split(".")[0] for node in ast.walk(tree)
               if isinstance(node, ast.Import) for alias in node.names}
    modules |= {node.module.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) and node.module}
    assert modules <= {"cmath", "difflib", "gc", "importlib", "inspect", "math", "random", "sys"}
