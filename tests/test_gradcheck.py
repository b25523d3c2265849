"""Pruebas de `michigrad.gradcheck` y de su tolerancia (capítulo 5).

- Gradientes correctos de funciones grandes (|f| ≫ |∂f/∂x|) pasan: el término de redondeo
  de la tolerancia absorbe el ruido de la diferencia central, que crece con |f|.
- Derivadas equivocadas siguen fallando, entre ellas las dos pistas del curso para la
  sigmoide (práctica 9: e^x/(1+e^-x)^2; cuaderno: e^x/(1+e^x)), también dentro de una
  función grande; nan e infinito también fallan.
- La firma, el valor devuelto y el informe en español se mantienen.
"""

import inspect
import math
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import michigrad  # noqa: E402
from michigrad.engine import Value  # noqa: E402
from michigrad.testing import _rounding_scales, gradcheck  # noqa: E402

EPS = sys.float_info.epsilon


# --------------------------------------------------------------------------- ayudas

def sigma(x):
    return 1 / (1 + math.exp(-x))


def node(x, local_grad, op="?"):
    """Un nodo con el valor de la sigmoide y la derivada local que le digamos."""
    return Value(sigma(x.data), (x,), op, _local_grads=(local_grad,))


def sigmoid_practica9(x):
    """La pista de la práctica 9 (seed 000): e^x / (1 + e^-x)^2. Incorrecta."""
    return node(x, math.exp(x.data) / (1 + math.exp(-x.data)) ** 2, "sigmoid 000")


def sigmoid_cuaderno(x):
    """La pista del cuaderno (seed 003): e^x / (1 + e^x), que es σ misma. Incorrecta."""
    return node(x, math.exp(x.data) / (1 + math.exp(x.data)), "sigmoid 003")


def sigmoid_right(x):
    s = sigma(x.data)
    return node(x, s * (1 - s), "sigmoid")


def old_criterion_passes(f, *points, eps=1e-6, tol=1e-5):
    """El criterio anterior (solo el error mixto ≤ tol), para mostrar que las pruebas de
    funciones grandes no son triviales: ese criterio las rechazaba."""
    values = [Value(x) for x in points]
    f(*values).backward()
    for v in values:
        original = v.data
        v.data = original + eps
        plus = f(*values).data
        v.data = original - eps
        minus = f(*values).data
        v.data = original
        numeric = (plus - minus) / (2 * eps)
        if not abs(v.grad - numeric) / max(1.0, abs(v.grad), abs(numeric)) <= tol:
            return False
    return True


def report_rows(report):
    """{etiqueta: (marca, diferencia, admitida)} de cada renglón del informe."""
    rows = {}
    for line in report.splitlines()[1:]:
        match = re.fullmatch(r"(MAL|ok ) (.+): backward (\S+), numérico (\S+), "
                             r"diferencia (\S+) \(admitida (\S+)\)", line)
        assert match, line
        mark, label, _, _, diff, allowed = match.groups()
        rows[label] = (mark.strip(), float(diff), float(allowed))
    return rows


def failing_report(f, *values, **kwargs):
    with pytest.raises(AssertionError) as info:
        gradcheck(f, *values, **kwargs)
    return str(info.value)


def big(a, b):
    return (a * 1e4) ** 2 + b


# ------------------------------------------------- la firma y el contrato de siempre

def test_signature_is_backwards_compatible():
    params = inspect.signature(gradcheck).parameters
    assert list(params) == ["f", "values", "eps", "tol"]
    assert params["values"].kind is inspect.Parameter.VAR_POSITIONAL
    assert params["eps"].default == 1e-6 and params["tol"].default == 1e-5
    assert michigrad.gradcheck is gradcheck


def test_returns_true_and_leaves_inputs_as_backward_left_them():
    values = [Value(0.7, name="a"), Value(-1.2, name="b")]
    assert gradcheck(lambda a, b: (a * b).tanh() + a / (1 + b * b), *values) is True
    assert [v.data for v in values] == [0.7, -1.2]
    a, b = Value(0.7), Value(-1.2)
    ((a * b).tanh() + a / (1 + b * b)).backward()
    assert [v.grad for v in values] == [a.grad, b.grad]


def test_report_is_readable_spanish():
    report = failing_report(lambda x, y: sigmoid_cuaderno(x) * y,
                            Value(1.0, name="x"), Value(2.0, name="y"))
    assert report.startswith("gradcheck: los gradientes no coinciden\n")
    rows = report_rows(report)
    assert rows["x"][0] == "MAL" and rows["y"][0] == "ok"
    assert rows["x"][1] > rows["x"][2] and rows["y"][1] <= rows["y"][2]


# ----------------------------------------------- funciones grandes: sin falsos negativos

def test_large_function_with_small_gradient_passes():
    # El caso de la revisión: |f| ≈ 1e8 y ∂f/∂b = 1. backward() da exactamente 1.
    a, b = Value(1.0, name="a"), Value(0.3, name="b")
    assert not old_criterion_passes(big, 1.0, 0.3)
    assert gradcheck(big, a, b) is True
    assert b.grad == 1.0


def test_rounding_term_is_eps_f_over_h_when_only_the_last_sum_depends_on_the_input():
    values = [Value(1.0), Value(0.3)]
    out = big(*values)
    out.backward()
    scale_a, scale_b = _rounding_scales(out, values)
    # De b solo depende la suma final: S_b = |f|, y el ruido es ε|f|/h (capítulo 1).
    assert scale_b == abs(out.data)
    # De a dependen los tres nodos: 1e4 · 2e4 + 1e8 · 1 + 1e8 · 1.
    assert scale_a == pytest.approx(4e8)


def test_cancellation_inside_f_is_covered():
    # f es pequeña, pero un valor intermedio es grande: cuenta el intermedio, no |f|.
    f = lambda a, b: (a + 1e8) - 1e8 + b  # noqa: E731
    assert not old_criterion_passes(f, 1.0, 0.3)
    assert gradcheck(f, Value(1.0), Value(0.3)) is True


def test_large_input_uses_the_step_actually_taken():
    # Con |x| = 1e6, x ± 1e-6 se redondea: el paso no es exactamente 2e-6.
    f = lambda x: x * 3  # noqa: E731
    assert not old_criterion_passes(f, 1e6)
    assert gradcheck(f, Value(1e6)) is True


def test_input_too_large_for_the_step_gives_a_clear_error():
    with pytest.raises(ValueError, match="gradcheck: x = .* eps mayor"):
        gradcheck(lambda x: x * 3, Value(1e12, name="x"))


@pytest.mark.parametrize("seed", range(40))
def test_summed_losses_with_large_residuals_pass(seed):
    # Una pérdida sumada sobre muchos ejemplos con residuos grandes: el caso real.
    rng = random.Random(seed)
    n = rng.choice([5, 50, 300])
    scale = 10 ** rng.uniform(0, 6)
    xs = [rng.uniform(-1, 1) for _ in range(n)]
    ys = [rng.uniform(-scale, scale) for _ in range(n)]
    kind = seed % 4

    def loss(w, b, c):
        if kind == 0:
            return sum(((w * x + b) - y) ** 2 for x, y in zip(xs, ys)) + c
        if kind == 1:
            return sum(((w * x + b).tanh() * scale - y) ** 2 for x, y in zip(xs, ys)) * c
        if kind == 2:
            return sum((w * x).exp() * y for x, y in zip(xs, ys)) + b * c
        return sum((w * x + y) * (b + x) for x, y in zip(xs, ys)) - c * 1e3

    point = (rng.uniform(-1, 1), rng.uniform(-1, 1), rng.uniform(0.5, 1.5))
    assert gradcheck(loss, *(Value(p) for p in point)) is True


def test_moderate_functions_keep_a_tight_tolerance():
    # Para |f| ~ 1 el término de redondeo es del orden de 1e-10: no afloja nada.
    values = [Value(0.4), Value(-0.9)]
    out = (values[0] * values[1]).exp() + values[0] / values[1]
    out.backward()
    for scale in _rounding_scales(out, values):
        assert EPS * scale / 1e-6 < 1e-8


# --------------------------------------------------- derivadas equivocadas: siguen fallando

POINTS = (-3.0, -1.0, -0.5, 0.5, 1.0, 2.0, 3.0)


@pytest.mark.parametrize("x", POINTS)
def test_practica9_sigmoid_hint_fails(x):
    rows = report_rows(failing_report(sigmoid_practica9, Value(x, name="x")))
    assert rows["x"][0] == "MAL"


def test_practica9_hint_coincides_only_at_zero():
    # En x = 0 las dos fórmulas valen 1/4: un solo punto de prueba puede esconder el error.
    assert gradcheck(sigmoid_practica9, Value(0.0)) is True


@pytest.mark.parametrize("x", POINTS + (0.0,))
def test_cuaderno_sigmoid_hint_fails(x):
    rows = report_rows(failing_report(sigmoid_cuaderno, Value(x, name="x")))
    assert rows["x"][0] == "MAL"


@pytest.mark.parametrize("x", POINTS + (0.0,))
def test_right_sigmoid_passes(x):
    assert gradcheck(sigmoid_right, Value(x)) is True


@pytest.mark.parametrize("hint", [sigmoid_practica9, sigmoid_cuaderno])
def test_hints_fail_inside_a_neuron(hint):
    report = failing_report(lambda w, x, b: hint(w * x + b),
                            Value(0.5, name="w"), Value(-1.5, name="x"), Value(0.3, name="b"))
    assert {label: row[0] for label, row in report_rows(report).items()} == \
        {"w": "MAL", "x": "MAL", "b": "MAL"}


@pytest.mark.parametrize("hint", [sigmoid_practica9, sigmoid_cuaderno])
@pytest.mark.parametrize("x", [-1.0, 1.0, 2.0])
def test_hints_still_fail_inside_a_large_function(hint, x):
    # |f| ≈ 1e8: la tolerancia crece, pero el error de la pista sigue siendo mayor.
    report = failing_report(lambda a, b: (a * 1e4) ** 2 + hint(b),
                            Value(1.0, name="a"), Value(x, name="b"))
    rows = report_rows(report)
    assert rows["a"][0] == "ok" and rows["b"][0] == "MAL"


def test_wrong_square_still_fails():
    def wrong_square(x):
        return Value(x.data ** 2, (x,), "cuadrado", _local_grads=(x.data,))

    rows = report_rows(failing_report(lambda x, y: wrong_square(x) + y * y,
                                      Value(1.5, name="x"), Value(2.0, name="y")))
    assert rows["x"][0] == "MAL" and rows["y"][0] == "ok"


def test_nan_fails_and_only_where_it_arrives():
    def nan_node(x):
        return Value(x.data, (x,), "nan", _local_grads=(math.nan,))

    rows = report_rows(failing_report(lambda x, y: nan_node(x) + y,
                                      Value(1.0, name="x"), Value(2.0, name="y")))
    assert rows["x"][0] == "MAL" and rows["y"][0] == "ok"


def test_infinite_gradient_fails():
    def inf_node(x):
        return Value(x.data, (x,), "inf", _local_grads=(math.inf,))

    rows = report_rows(failing_report(inf_node, Value(1.0, name="x")))
    assert rows["x"][0] == "MAL"


def test_too_small_a_step_lets_errors_through():
    # La contracara del término de redondeo: con eps = 1e-12 la diferencia admitida es tan
    # grande que una derivada equivocada en una parte en diez mil pasa (capítulo 5).
    def exp_slightly_wrong(x):
        out = math.exp(x.data)
        return Value(out, (x,), "exp?", _local_grads=(1.0001 * out,))

    failing_report(exp_slightly_wrong, Value(3.0))
    assert gradcheck(exp_slightly_wrong, Value(3.0), eps=1e-12) is True


# ------------------------------------------------------- el ejemplo del capítulo 6

def test_package_example_of_chapter_6_runs():
    """El bloque ```python de `import michigrad` del capítulo 6 no se ejecuta al construir
    el libro (el capítulo corre sobre el paquete anterior a él): lo ejecutamos aquí."""
    text = (ROOT / "book" / "06-activaciones.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    example = next(block for block in blocks if "import michigrad" in block)
    result = subprocess.run([sys.executable, "-c", example], capture_output=True, text=True,
                            cwd=ROOT)
    assert result.returncode == 0, result.stderr
