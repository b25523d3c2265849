# Generado a partir de los capítulos del libro: 01-derivadas.md, 02-value.md, 03-backprop-a-mano.md, 04-backprop-automatico.md, 05-operaciones.md, 06-activaciones.md, 07-mynn.md, 08-capas.md, 09-xor-lineal.md, 10-xor-activaciones.md, 11-mlp-xor.md, 12-pytorch.md, 13-rendimiento.md.
# No editar a mano: los cambios se hacen en los capítulos y se exportan
# con `make export` (o al construir el libro).
# huella: sha256:1cf6219d71a611e174dedb697050a54429f34fbf468bebd564d5db0b9fcab6e5

"""Comprobadores de los ejercicios del libro.

Después de resolver un ejercicio, lo comprobamos con su etiqueta y la respuesta:

    from michigrad.ejercicios import comprobar
    comprobar("ej-cap01-cadena", dy_dx)

`comprobar` escribe si la respuesta es correcta y, si no lo es, qué falla: en qué entrada,
qué se esperaba y qué llegó, o el informe de los gradientes. Nunca muestra la solución.
Devuelve True o False. Cada capítulo agrega los comprobadores de sus ejercicios.
"""

import difflib
import importlib
import inspect
import math
import sys
import cmath
import random
import gc


# `from michigrad.ejercicios import *` también trae las herramientas (con _) para que cada
# capítulo escriba los comprobadores de sus ejercicios.
__all__ = ["comprobar", "checker", "exercise_ids", "Incorrect", "_backprop", "_call",
           "_check_real_function", "_check_unary_method", "_close", "_expect", "_find",
           "_fmt", "_graph_nodes", "_Node", "_number", "_sentence", "_sequence", "_show"]

_CHECKERS = {}


class Incorrect(Exception):
    """Una respuesta equivocada. El mensaje dice qué falla sin dar la solución."""


def checker(exercise_id):
    """Registra la función decorada como el comprobador del ejercicio `exercise_id`."""
    def register(function):
        _CHECKERS[exercise_id] = function
        return function
    return register


def exercise_ids():
    """Las etiquetas de los ejercicios que tienen comprobador."""
    return sorted(_CHECKERS)


def _usage(exercise_id, function):
    names = [name for name, p in inspect.signature(function).parameters.items()
             if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return f"comprobar({exercise_id!r}{''.join(', ' + name for name in names)})"


def comprobar(exercise_id, *answers):
    """Comprueba la respuesta de un ejercicio; escribe el veredicto y devuelve True o False."""
    key = str(exercise_id).strip()
    function = _CHECKERS.get(key)
    if function is None:
        near = difflib.get_close_matches(key, list(_CHECKERS), n=3, cutoff=0.6)
        print(f"No hay un comprobador para {key!r}."
              + (f" Las etiquetas parecidas son: {', '.join(near)}." if near else
                 " La etiqueta está en el enunciado del ejercicio, por ejemplo "
                 "'ej-cap01-cadena'."))
        return False
    try:
        inspect.signature(function).bind(*answers)
    except TypeError:
        print(f"✘ {key}: se comprueba con {_usage(key, function)}.")
        return False
    try:
        note = function(*answers)
    except Incorrect as wrong:
        print(f"✘ {key}, todavía no: {wrong}")
        return False
    except Exception as err:          # un caso que el comprobador no previó
        print(f"✘ {key}, no pudimos comprobar la respuesta: al evaluarla se produjo "
              f"{type(err).__name__}: {err}")
        return False
    print(f"✔ {key}: correcto." + (f" {note}" if note else ""))
    return True


# ---------------------------------------------------------------------------------------
# Herramientas para escribir comprobadores

def _show(value):
    """Una descripción corta de lo que llegó, para los mensajes."""
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} (de tipo {type(value).__name__})"


def _sentence(text):
    """`text` con un punto final, salvo que ya termine en punto o en un signo."""
    return text if text.endswith((".", "?", "!")) else text + "."


def _fmt(x):
    return f"{x:.10g}" if isinstance(x, float) else str(x)


def _number(value, what):
    """`value` como float: acepta números, `Value` (usa `.data`) y escalares de NumPy."""
    original = value
    if hasattr(value, "grad") and hasattr(value, "data"):        # un Value (o un tensor)
        value = value.data
    if isinstance(value, (str, bytes, bool)) or value is None:
        raise Incorrect(f"{what} tiene que ser un número, pero es {_show(original)}.")
    try:
        number = float(value)
    except OverflowError:
        raise Incorrect(f"{what} es demasiado grande para un float.") from None
    except (TypeError, ValueError):
        raise Incorrect(f"{what} tiene que ser un número, pero es {_show(original)}.") from None
    if math.isnan(number):
        raise Incorrect(f"{what} es nan (no es un número): alguna cuenta no está definida.")
    return number


def _sequence(value, length, what):
    """`value` como lista de `length` elementos (lista, tupla o arreglo de NumPy)."""
    try:
        items = list(value)
    except TypeError:
        raise Incorrect(f"{what} tiene que ser una secuencia de {length} elementos, pero es "
                        f"{_show(value)}.") from None
    if len(items) != length:
        raise Incorrect(f"{what} tiene que tener {length} elementos, pero tiene {len(items)}.")
    return items


def _close(got, expected, rel=1e-9, abs_tol=1e-12):
    return math.isclose(got, expected, rel_tol=rel, abs_tol=abs_tol)


def _expect(answer, expected, what, hint="conviene revisar la cuenta", rel=1e-9,
            abs_tol=1e-12):
    """Compara un número calculado a mano sin revelar el valor correcto."""
    got = _number(answer, what)
    if not _close(got, expected, rel, abs_tol):
        raise Incorrect(_sentence(f"{_fmt(got)} no es {what}; {hint}"))
    return got


def _call(what, function, *args, **kwargs):
    """Llama al código de la respuesta; un error adentro es una respuesta incorrecta."""
    if not callable(function):
        raise Incorrect(f"se esperaba algo que se pueda llamar para {what}, pero llegó "
                        f"{_show(function)}.")
    try:
        return function(*args, **kwargs)
    except Incorrect:
        raise
    except RecursionError:
        raise Incorrect(f"{what} no termina: se excedió el límite de recursión.") from None
    except Exception as err:
        raise Incorrect(_sentence(f"{what} lanzó {type(err).__name__}: {err}")) from None


def _find(name, answer=None, module=None):
    """La clase `name` que usa la respuesta: la de su espacio de nombres (el del cuaderno,
    donde el capítulo pudo agregarle métodos) o, si no está, la del paquete."""
    spaces = []
    if answer is not None:
        space = getattr(answer, "__globals__", None)
        if space is None:
            owner = sys.modules.get(getattr(answer, "__module__", None) or "")
            space = vars(owner) if owner is not None else None
        spaces.append(space)
    main = sys.modules.get("__main__")
    spaces.append(vars(main) if main is not None else None)
    for space in spaces:
        if space and isinstance(space.get(name), type):
            return space[name]
    if module is not None:
        try:
            return getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):
            pass
    raise Incorrect(f"no encontramos la clase {name}; hay que definirla (o importarla) "
                    "antes de comprobar.")


def _backprop(out, what):
    """Corre `backward()` sobre `out` (el de la clase de la respuesta)."""
    if not callable(getattr(out, "backward", None)):
        raise Incorrect(f"{what} devolvió algo sin backward(): {_show(out)}.")
    _call(f"backward() sobre {what}", out.backward)


class _Node:
    """Un nodo mínimo (data, name, _prev, _op), para probar funciones que recorren grafos."""

    def __init__(self, data, _children=(), _op="", name=""):
        self.data, self.grad, self.name = data, 0.0, name
        self._prev, self._op = tuple(_children), _op

    @property
    def label(self):
        return self.name

    def __repr__(self):
        return f"Nodo({self.name})"


def _check_real_function(function, reference, points, what, hints=()):
    """Compara `function(x)` con `reference(x)` en `points` (números comunes).

    `hints` son pares (prueba, pista): si la respuesta cumple `prueba(valores)` se agrega la
    pista al mensaje (para los errores típicos)."""
    rows, bad, got_values = [], [], []
    for x in points:
        got = _number(_call(f"{what}({_fmt(x)})", function, x), f"{what}({_fmt(x)})")
        expected = reference(x)
        got_values.append(got)
        ok = _close(got, expected, 1e-7, 1e-10)
        rows.append(f"{'ok ' if ok else 'MAL'} x = {_fmt(x)}: devuelve {got:.8g}, "
                    f"tendría que ser {expected:.8g}")
        if not ok:
            bad.append(x)
    if bad:
        message = f"{what} no coincide en {len(bad)} de {len(points)} puntos:\n" + "\n".join(rows)
        for test, hint in hints:
            if test(points, got_values):
                message += "\n" + hint
                break
        raise Incorrect(message)
    return f"Coincide en los {len(points)} puntos probados."


def _check_unary_method(method, what, reference, derivative, points, extremes=(),
                        hints=(), tol=1e-7):
    """Comprueba una operación de `Value` escrita como función de `self`: el valor, que el
    nodo tenga a la entrada entre sus hijos y el gradiente que deja backward(), también
    dentro de una expresión (así se ve si acumula con += y si multiplica por out.grad).
    En `extremes` (por ejemplo ±1000) además tiene que funcionar sin desbordar."""
    Value = _find("Value", method, "michigrad.engine")
    xs, rows, grads, wrong = list(points) + list(extremes), [], [], False
    for x in xs:
        v = Value(x)
        call = f"{what}(Value({_fmt(x)}))"
        try:
            out = _call(call, method, v)
        except Incorrect as err:
            if x in extremes:
                raise Incorrect(f"{_sentence(str(err))} La consigna pide que funcione con "
                                f"x = {_fmt(x)} sin desbordar.") from None
            raise
        if not hasattr(out, "data") or not hasattr(out, "grad"):
            raise Incorrect(f"{call} tiene que devolver un Value, pero devolvió {_show(out)}.")
        value = _number(out.data, f"el valor de {call}")
        if not _close(value, reference(x), tol, 1e-12):
            raise Incorrect(f"{call} vale {value:.10g}, pero tendría que valer "
                            f"{reference(x):.10g}.")
        if not any(child is v for child in getattr(out, "_prev", ())):
            raise Incorrect(f"el nodo que devuelve {call} no tiene a la entrada entre sus "
                            "hijos (_prev), así que backward() no puede llegar hasta ella.")
        _backprop(out, call)
        got, expected = _number(v.grad, f"el gradiente de la entrada de {call}"), derivative(x)
        ok = _close(got, expected, tol, 1e-12)
        wrong |= not ok
        grads.append(got)
        rows.append(f"{'ok ' if ok else 'MAL'} x = {_fmt(x)}: backward deja {got:.8g}, "
                    f"la derivada vale {expected:.8g}")
    if wrong:
        message = "los gradientes no coinciden:\n" + "\n".join(rows)
        if not any(grads):
            message += ("\nbackward() no le pasa nada a la entrada: hay que anotar la "
                        "derivada local (_local_grads) o asignar out._backward.")
        for test, hint in hints:
            if test(xs, grads):
                message += "\n" + hint
                break
        raise Incorrect(message)
    # Dentro de una expresión: y = 3·op(x) + x, así que dy/dx = 3·op'(x) + 1.
    x0 = points[len(points) // 2]
    v = Value(x0)
    y = _call(f"3 * {what}(x) + x", lambda: _call(f"{what}(x)", method, v) * 3.0 + v)
    _backprop(y, f"3 * {what}(x) + x")
    got, d = _number(v.grad, "el gradiente"), derivative(x0)
    if not _close(got, 3 * d + 1, tol, 1e-12):
        message = (f"en y = 3·{what}(x) + x con x = {_fmt(x0)}, backward deja "
                   f"x.grad = {got:.8g}, pero dy/dx = {3 * d + 1:.8g}.")
        if _close(got, 3 * d, tol, 1e-12):
            message += (" Se perdió el gradiente que llega por el otro camino: el de la "
                        "entrada hay que acumularlo (+=), no asignarlo (=).")
        elif _close(got, d + 1, tol, 1e-12):
            message += (" Falta multiplicar la derivada local por el gradiente que llega al "
                        "nodo (out.grad).")
        raise Incorrect(message)
    return (f"Valores y gradientes coinciden en {len(xs)} puntos, también dentro de una "
            "expresión.")


def _graph_nodes(root):
    """Los nodos del grafo que termina en `root`, cada uno una vez."""
    found, stack = {}, [root]
    while stack:
        node = stack.pop()
        if id(node) not in found:
            found[id(node)] = node
            stack.extend(getattr(node, "_prev", ()))
    return list(found.values())


# Comprobadores de los ejercicios del capítulo 1.


@checker("ej-cap01-paso-complejo")
def _check_cap01_complex_step(complex_step):
    cases = [("x**3 - 3*x + 1", lambda x: x**3 - 3 * x + 1, lambda x: 3 * x**2 - 3, (2.0, -0.5)),
             ("exp", cmath.exp, math.exp, (0.0, 1.5)),
             ("sin", cmath.sin, math.cos, (1.0, -2.0))]
    for name, fun, exact, points in cases:
        for x in points:
            for h, rel in ((1e-20, 1e-13), (1e-6, 1e-9)):
                call = f"complex_step({name}, {_fmt(x)}, {h:.0e})"
                got = _call(call, complex_step, fun, x, h)
                if isinstance(got, complex):
                    raise Incorrect(f"{call} devuelve un número complejo, {got!r}; la "
                                    "pendiente es un número real.")
                got = _number(got, call)
                if not _close(got, exact(x), rel, 1e-13):
                    raise Incorrect(f"{call} da {got:.16g}, pero la derivada es "
                                    f"{exact(x):.16g}.")
    return "Da la derivada de un polinomio, de exp y de sin, con h = 1e-20 y con h = 1e-6."


@checker("ej-cap01-h-optimo")
def _check_cap01_best_h(h_forward, h_central):
    eps = sys.float_info.epsilon
    theory = (math.sqrt(eps), eps ** (1 / 3))
    names = ("de la diferencia hacia adelante", "de la diferencia central")
    answers = [_number(h, f"el mejor h {name}") for h, name in zip((h_forward, h_central), names)]
    for i, (h, name) in enumerate(zip(answers, names)):
        if not 0 < h < 1:
            raise Incorrect(f"el mejor h {name} = {_fmt(h)} tendría que estar entre 0 y 1.")
        if abs(math.log10(h / theory[i])) > 1:
            hint = ("conviene revisar la medición (la mediana del error sobre puntos cercanos "
                    "a x = 1)")
            if abs(math.log10(h / theory[1 - i])) <= 1:
                hint = "¿están en el orden (adelante, central)?"
            raise Incorrect(_sentence(f"el mejor h {name}, {h:.1e}, no cae en el orden de "
                                      f"magnitud esperado; {hint}"))
    return "Los dos caen en el orden de magnitud que predice la teoría."


@checker("ej-cap01-cadena")
def _check_cap01_chain(dy_dx):
    hint = "conviene revisar la derivada de cada eslabón y en qué punto se evalúa"
    if _close(_number(dy_dx, "dy/dx"), 27.0):
        hint = "falta multiplicar por la derivada del eslabón de adentro, du/dx"
    _expect(dy_dx, 54.0, "dy/dx en x = 1", hint)


@checker("ej-cap01-caminos")
def _check_cap01_paths(dg_da):
    hint = "conviene revisar los dos caminos de a hasta g"
    if any(_close(_number(dg_da, "∂g/∂a"), v) for v in (-2.0, 1.0)):
        hint = "parece que falta uno de los dos caminos: sus contribuciones se suman"
    _expect(dg_da, -1.0, "∂g/∂a", hint)


# Comprobadores de los ejercicios del capítulo 2.
@checker("ej-value-hojas")
def _check_value_leaves(leaves):
    a, b = _Node(2.0, name="a"), _Node(-3.0, name="b")
    ab = _Node(-6.0, (a, b), "*", "ab")
    twice = _Node(-4.0, (ab, a), "+", "twice")                    # a aparece dos veces
    lone = _Node(1.0, name="solo")
    x1, w1, x2, w2 = (_Node(v, name=n) for v, n in ((2.0, "x1"), (-3.0, "w1"),
                                                     (0.0, "x2"), (1.0, "w2")))
    bias = _Node(6.88, name="b")
    s = _Node(-6.0, (_Node(-6.0, (x1, w1), "*", "x1w1"), _Node(0.0, (x2, w2), "*", "x2w2")),
              "+", "s")
    y = _Node(0.88, (s, bias), "+", "y")
    for root, expected in ((twice, ["a", "b"]), (lone, ["solo"]),
                           (y, ["b", "w1", "w2", "x1", "x2"])):
        call = f"leaves({root.name})"
        got = _call(call, leaves, root)
        try:
            got = list(got)
        except TypeError:
            raise Incorrect(f"{call} tendría que devolver una lista de nombres, pero devolvió "
                            f"{_show(got)}.") from None
        if any(hasattr(item, "_prev") for item in got):
            raise Incorrect(f"{call} devuelve nodos; la consigna pide sus nombres (name).")
        if len(got) != len(set(map(str, got))):
            raise Incorrect(f"{call} devuelve {got}: repite hojas (un nodo puede aparecer "
                            "por más de un camino).")
        if sorted(map(str, got)) != expected:
            raise Incorrect(f"{call} devuelve {sorted(map(str, got))}, pero las hojas de ese "
                            f"grafo son {expected}.")
    return "Probada con un nodo usado dos veces, una hoja sola y la neurona del capítulo."


@checker("ej-value-local")
def _check_value_local(a, dg_da):
    a_value = _number(a, "a")
    hint = "conviene revisar cuántas veces aparece a en g"
    if _close(_number(dg_da, "∂g/∂a"), a_value):
        hint = "esa es la contribución de una sola de las dos apariciones de a"
    elif _close(_number(dg_da, "∂g/∂a"), a_value * a_value):
        hint = "ese es el valor de g, no su derivada"
    _expect(dg_da, 2 * a_value, "∂g/∂a", hint)


@checker("ej-value-dibujo")
def _check_value_drawing(y):
    if not hasattr(y, "_prev") or not hasattr(y, "data"):
        raise Incorrect(f"se esperaba el Value de la salida, y, pero llegó {_show(y)}.")
    nodes = _graph_nodes(y)
    leaves = {getattr(n, "name", ""): _number(n.data, "una hoja") for n in nodes if not n._prev}
    expected = {"x1": 2.0, "w1": -3.0, "x2": 0.0, "w2": 1.0, "b": 6.88}
    for name, value in expected.items():
        if name not in leaves:
            unnamed = " (y alguna no tiene nombre)" if "" in leaves else ""
            raise Incorrect(f"no encontramos una hoja llamada {name!r}; las hojas del grafo "
                            f"se llaman {sorted(n for n in leaves if n)}{unnamed}.")
        if not _close(leaves[name], value):
            raise Incorrect(f"la hoja {name!r} vale {_fmt(leaves[name])}, pero el enunciado "
                            f"le da {_fmt(value)}.")
    if len(leaves) != len(expected):
        extra = sorted(set(leaves) - set(expected))
        raise Incorrect(f"el grafo tiene hojas que no están en la fórmula: {extra}.")
    ops = sorted(str(getattr(n, "_op", "")) for n in nodes if n._prev)
    if ops != ["*", "*", "+", "+"]:
        raise Incorrect(f"las operaciones del grafo son {ops}; la fórmula tiene dos "
                        "productos y dos sumas.")
    unnamed = [n for n in nodes if not getattr(n, "name", "")]
    if unnamed:
        raise Incorrect(f"hay {len(unnamed)} nodos sin nombre; la consigna pide nombrar "
                        "cada nodo.")
    _expect(y.data, 2.0 * -3.0 + 0.0 * 1.0 + 6.88, "el valor de y", "conviene revisar la fórmula")
    return "Las cinco hojas, las cuatro operaciones y todos los nombres están."


# Comprobadores de los ejercicios del capítulo 3.


def _cap03_sigmoid(z):
    return 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))


@checker("ej-cap03-resolucion")
def _check_cap03_resolution(dsigma, w1_new, w2_new, b_new):
    s = _cap03_sigmoid(-1.0)
    g = s * (1 - s)
    _expect(dsigma, g, "σ'(−1)", "conviene evaluar σ(z)(1 − σ(z)) en z = −1", abs_tol=1e-4)
    hint = ("conviene revisar la regla w ← w − η·σ'(−1)·x con x = (−1, −2), con seis "
            "decimales o más")
    _expect(w1_new, 2 - 0.01 * g * -1.0, "el w₁ nuevo", hint, abs_tol=1e-6)
    _expect(w2_new, -3 - 0.01 * g * -2.0, "el w₂ nuevo", hint, abs_tol=1e-6)
    hint = "conviene revisar la regla b ← b − η·σ'(−1), con seis decimales o más"
    if _close(_number(b_new, "b nuevo"), 0.01 * g, 1e-3):
        hint = "el signo: con un gradiente positivo, el sesgo tiene que bajar"
    _expect(b_new, -0.01 * g, "el b nuevo", hint, abs_tol=1e-6)
    return "σ'(−1) y los tres parámetros actualizados coinciden."


@checker("ej-cap03-expresion")
def _check_cap03_expression(grads):
    if hasattr(grads, "_prev"):               # el nodo g: leemos los gradientes por nombre
        grads = {getattr(n, "name", ""): n.grad for n in _graph_nodes(grads)}
    if not isinstance(grads, dict):
        raise Incorrect("se esperaba un diccionario {'p': ..., 'q': ..., 'r': ..., 's': ...} "
                        f"o el nodo g, pero llegó {_show(grads)}.")
    p, q, r, s = 1.5, -4.0, 2.0, 3.0
    u, v = p + q, r * s
    expected = {"u": v, "v": u, "p": v, "q": v, "r": s * u, "s": r * u}
    hints = {"p": "la suma le pasa el gradiente de u sin cambiarlo",
             "q": "la suma le pasa el gradiente de u sin cambiarlo",
             "r": "a cada factor de un producto le llega el gradiente por el otro factor",
             "s": "a cada factor de un producto le llega el gradiente por el otro factor",
             "u": "∂g/∂u es el otro factor del producto", "v": "∂g/∂v es el otro factor"}
    missing = [name for name in "pqrs" if name not in grads]
    if missing:
        raise Incorrect(f"faltan los gradientes de {', '.join(missing)}.")
    for name in "uvpqrs":
        if name in grads:
            _expect(grads[name], expected[name], f"∂g/∂{name}", hints[name])
    return "Todos los gradientes coinciden."


@checker("ej-cap03-relu")
def _check_cap03_relu(relu_neuron_grads):
    for b in (6.88, 4.0, 6.0, 10.0, -1.0):
        call = f"relu_neuron_grads({_fmt(b)})"
        got = _sequence(_call(call, relu_neuron_grads, b), 4, call)
        n = 2.0 * -3.0 + 0.0 * 1.0 + b
        active = 1.0 if n > 0 else 0.0
        names = ("n", "∂o/∂w1", "∂o/∂w2", "∂o/∂b")
        for name, value, expected in zip(names, got, (n, 2.0 * active, 0.0, active)):
            number = _number(value, f"{name} de {call}")
            if not _close(number, expected, 1e-9, 1e-12):
                hint = "conviene revisar la derivada local de la ReLU y la regla de la cadena"
                if b == 6.0:
                    hint = ("con b = 6, n = 0 justo en el quiebre: usamos la convención de "
                            "PyTorch")
                raise Incorrect(f"en {call}, {_fmt(number)} no es {name}; {hint}.")
    return "Coincide con b = 6.88, con b = 4, en el quiebre (n = 0) y con otros sesgos."


@checker("ej-cap03-entrada-cero")
def _check_cap03_zero_input(do_dw2, do_dx2):
    n = 2.0 * -3.0 + 0.0 * 1.0 + 6.88
    dn = 1 - math.tanh(n) ** 2
    _expect(do_dw2, 0.0 * dn, "∂o/∂w2",
            "conviene revisar la derivada local de x2·w2 respecto de w2")
    hint = "conviene revisar la derivada local de x2·w2 respecto de x2"
    if _close(_number(do_dx2, "∂o/∂x2"), 0.0):
        hint = "∂o/∂x2 no depende de x2, sino de w2: " + hint
    _expect(do_dx2, 1.0 * dn, "∂o/∂x2", hint)
    return "Los dos coinciden."


@checker("ej-cap03-entropia")
def _check_cap03_cross_entropy(dW, db):
    x, y = (-1.0, -2.0), (0.0, 1.0)
    W = ((2.0, -3.0), (-1.0, 1.0))
    y_hat = [_cap03_sigmoid(sum(w * xi for w, xi in zip(row, x))) for row in W]
    delta = [p - t for p, t in zip(y_hat, y)]
    mse = [(p - t) * p * (1 - p) for p, t in zip(y_hat, y)]
    rows = _sequence(dW, 2, "dW")
    got_W = [[_number(v, f"dW[{k}][{j}]") for j, v in enumerate(_sequence(row, 2, f"dW[{k}]"))]
             for k, row in enumerate(rows)]
    got_b = [_number(v, f"db[{k}]") for k, v in enumerate(_sequence(db, 2, "db"))]
    like_mse = all(_close(got_b[k], mse[k], 1e-6, 1e-12) for k in range(2))
    hint = ("parece el gradiente del error cuadrático: con la entropía cruzada, el factor "
            "σ'(z) se cancela" if like_mse else "conviene revisar ∂L/∂z_k")
    for k in range(2):
        _expect(got_b[k], delta[k], f"db[{k}]", hint, 1e-7)
        for j in range(2):
            _expect(got_W[k][j], delta[k] * x[j], f"dW[{k}][{j}]",
                    "conviene revisar el producto de δ con la entrada", 1e-7)
    return "Los gradientes de W y del sesgo coinciden."


# Comprobadores de los ejercicios del capítulo 4.


@checker("ej-backward-dos-veces")
def _check_backward_twice(a_grad):
    # L = (a·b + c)·f con a = 3, b = -2, c = 8, f = -0.5; dos pasadas sin poner en cero.
    a, b, c, f = 3.0, -2.0, 8.0, -0.5
    grads = dict.fromkeys("abcdef", 0.0)
    for _ in range(2):
        L_grad = 1.0
        grads["d"] += f * L_grad
        grads["f"] += (a * b + c) * L_grad
        grads["e"] += grads["d"]
        grads["c"] += grads["d"]
        grads["a"] += b * grads["e"]
        grads["b"] += a * grads["e"]
    hint = "conviene seguir a mano la segunda pasada, nodo por nodo"
    if _close(_number(a_grad, "a.grad"), 2 * b * f):
        hint = ("no basta con duplicar: los nodos intermedios también conservan el gradiente "
                "de la primera pasada")
    _expect(a_grad, grads["a"], "a.grad después de la segunda pasada", hint)


@checker("ej-backward-orden")
def _check_backward_order(grad_wrong_order, grad_topological):
    a = 2.0
    _expect(grad_topological, 3 * a * a, "la derivada en orden topológico",
            "conviene derivar y = a³ y evaluarla en a = 2")
    hint = "conviene procesar s = a·a antes que y, como dice la sugerencia"
    if _close(_number(grad_wrong_order, "el gradiente en el orden equivocado"), 3 * a * a):
        hint = ("ese es el gradiente correcto: en el orden que pide la sugerencia, a s todavía "
                "no le llegó nada cuando se procesa")
    _expect(grad_wrong_order, a * a, "el gradiente en el orden equivocado", hint)
    return "Las dos cuentas coinciden."


@checker("ej-backward-tanh-curso")
def _check_backward_tanh_course(tanh):
    return _check_unary_method(tanh, "tanh", math.tanh, lambda x: 1 - math.tanh(x) ** 2,
                               (-2.0, -0.5, 0.0, 0.3, 1.5), extremes=(-20.0, 20.0))


# Comprobadores de los ejercicios del capítulo 5.


@checker("ej-cap05-potencia-exp-log")
def _check_cap05_power(power):
    Value = _find("Value", power, "michigrad.engine")
    cases = [(3.0, 2.0, 0.0, "power(Value(3), Value(2))"),
             (3.0, 5.0, 2.0, "power(Value(3), Value(5) + 2)"),
             (0.5, -1.5, 0.0, "power(Value(0.5), Value(-1.5))"),
             (2.0, 0.0, 0.0, "power(Value(2), Value(0))")]
    for a0, b0, shift, call in cases:
        a, b = Value(a0), Value(b0)
        out = _call(call, power, a, b + shift if shift else b)
        if not hasattr(out, "data"):
            raise Incorrect(f"{call} tiene que devolver un Value, pero devolvió {_show(out)}.")
        if any(getattr(n, "_op", "") == "**" for n in _graph_nodes(out)):
            raise Incorrect(f"el grafo de {call} usa ** entre dos Value; la consigna pide "
                            "armarla con log, exp y el producto.")
        e = b0 + shift
        value = a0 ** e
        _expect(out.data, value, f"el valor de {call}", "conviene revisar la identidad",
                1e-12)
        _backprop(out, call)
        for name, node, expected in (("a", a, e * a0 ** (e - 1)),
                                     ("b", b, value * math.log(a0))):
            got = _number(node.grad, f"∂/∂{name}")
            if not _close(got, expected, 1e-9, 1e-12):
                raise Incorrect(f"en {call}, ∂/∂{name} da {got:.10g}, pero tendría que ser "
                                f"{expected:.10g}.")
    return "Valores y gradientes coinciden con a ** b en cuatro casos."


@checker("ej-cap05-resta-propia")
def _check_cap05_sub_node(sub_node):
    Value = _find("Value", sub_node, "michigrad.engine")
    for a0, b0 in ((5.0, 3.0), (-1.5, 2.25), (0.0, -7.0)):
        a, b = Value(a0), Value(b0)
        call = f"sub_node(Value({_fmt(a0)}), Value({_fmt(b0)}))"
        out = _call(call, sub_node, a, b)
        if not hasattr(out, "data"):
            raise Incorrect(f"{call} tiene que devolver un Value, pero devolvió {_show(out)}.")
        _expect(out.data, a0 - b0, f"el valor de {call}", "conviene revisar la resta")
        children = tuple(getattr(out, "_prev", ()))
        if len(children) != 2 or children[0] is not a or children[1] is not b:
            raise Incorrect(f"{call} no es un nodo propio: sus hijos (_prev) tendrían que ser "
                            "exactamente a y b, en ese orden.")
        _backprop(out, call)
        for name, node, expected in (("a", a, 1.0), ("b", b, -1.0)):
            got = _number(node.grad, f"{name}.grad")
            if not _close(got, expected):
                raise Incorrect(f"después de backward() en {call}, {name}.grad = {_fmt(got)}; "
                                "conviene revisar las derivadas locales de la resta.")
    a = Value(2.0)
    out = _call("sub_node(a, a)", sub_node, a, a)
    _backprop(out, "sub_node(a, a)")
    _expect(a.grad, 0.0, "a.grad en sub_node(a, a)",
            "las dos contribuciones de a (1 y −1) se tienen que sumar")
    return "Es un nodo propio con derivadas locales (1, −1), también con el mismo operando."


@checker("ej-cap05-trig")
def _check_cap05_trig(sin, cos):
    points = (-2.0, 0.3, 1.0, 4.0)
    _check_unary_method(sin, "sin", math.sin, math.cos, points)
    _check_unary_method(cos, "cos", math.cos, lambda x: -math.sin(x), points)
    return ("sin y cos: valores y gradientes coinciden en cuatro puntos, también dentro de "
            "una expresión.")


@checker("ej-cap05-eps")
def _check_cap05_eps(outcomes):
    expected = {1e-2: (False, False), 1e-6: (True, False), 1e-12: (True, True)}
    if not isinstance(outcomes, dict):
        raise Incorrect("se esperaba un diccionario {eps: (pasa la correcta, pasa la "
                        f"equivocada)}}, pero llegó {_show(outcomes)}.")

    def passes(answer, where):
        if isinstance(answer, str) and answer.strip().lower() in ("pasa", "falla"):
            return answer.strip().lower() == "pasa"
        if isinstance(answer, bool):
            return answer
        raise Incorrect(f"{where} tiene que ser True/False o 'pasa'/'falla', pero es "
                        f"{_show(answer)}.")

    wrong = 0
    for eps, (right, slightly_wrong) in expected.items():
        key = next((k for k in outcomes if isinstance(k, (int, float)) and _close(k, eps)),
                   None)
        if key is None:
            raise Incorrect(f"falta la predicción para eps = {eps:.0e}.")
        pair = _sequence(outcomes[key], 2, f"la predicción para eps = {eps:.0e}")
        wrong += passes(pair[0], f"la predicción para x.exp() con eps = {eps:.0e}") != right
        wrong += (passes(pair[1], f"la predicción para la exponencial equivocada con "
                                  f"eps = {eps:.0e}") != slightly_wrong)
    if wrong:
        raise Incorrect(f"{wrong} de las 6 predicciones no coinciden; conviene pensar qué "
                        "manda en cada eps, el truncamiento o el redondeo, y correr gradcheck.")
    return "Las seis predicciones coinciden."


# Comprobadores de los ejercicios del capítulo 6.


def _cap06_sigmoid(x):
    if x >= 0:
        return 1 / (1 + math.exp(-x))
    z = math.exp(x)
    return z / (1 + z)


def _cap06_dsigmoid(x):
    s = _cap06_sigmoid(x)
    return s * (1 - s)


# Los dos errores típicos de σ' (los de las pistas del curso), reconocidos por sus síntomas.
_CAP06_SIGMOID_HINTS = (
    (lambda xs, got: all(_close(g, _cap06_sigmoid(x), 1e-7, 1e-10) for x, g in zip(xs, got)),
     "Lo que da es σ(x), la propia sigmoide, no su derivada (la pista del cuaderno)."),
    (lambda xs, got: any(x == 0 and _close(g, 0.25, 1e-7) for x, g in zip(xs, got)),
     "Coincide en x = 0 pero no en los demás puntos: un solo punto de prueba, y justo el más "
     "simétrico, puede esconder un error (la pista de la práctica 9 es así)."),
)
_CAP06_POINTS = (-6.0, -2.0, -0.5, 0.0, 0.5, 1.0, 3.0, 6.0)


def _cap06_softplus(x):
    if x > 40:
        return x + math.exp(-x)
    return math.log1p(math.exp(x))


@checker("ej-cap06-softplus")
def _check_cap06_softplus(softplus):
    return _check_unary_method(softplus, "softplus", _cap06_softplus, _cap06_sigmoid,
                               (-4.0, -0.3, 0.0, 1.2, 5.0), extremes=(-1000.0, 1000.0))


@checker("ej-cap06-leaky")
def _check_cap06_leaky(leaky_relu):
    return _check_unary_method(leaky_relu, "leaky_relu", lambda x: x if x > 0 else 0.01 * x,
                               lambda x: 1.0 if x > 0 else 0.01, (-2.0, -0.3, 0.0, 0.5, 3.0),
                               hints=((lambda xs, got: _close(got[xs.index(0.0)], 1.0),
                                       "En x = 0 usamos la convención de PyTorch: la "
                                       "pendiente del lado izquierdo."),))


@checker("ej-cap06-compuesta")
def _check_cap06_composite(composite_sigmoid):
    Value = _find("Value", composite_sigmoid, "michigrad.engine")
    for x in (-3.0, 0.0, 0.7, 2.5):
        v = Value(x)
        call = f"composite_sigmoid(Value({_fmt(x)}))"
        out = _call(call, composite_sigmoid, v)
        if not hasattr(out, "data"):
            raise Incorrect(f"{call} tiene que devolver un Value, pero devolvió {_show(out)}.")
        if any(getattr(n, "_op", "") == "sigmoid" for n in _graph_nodes(out)):
            raise Incorrect(f"el grafo de {call} usa el método sigmoid; la consigna pide "
                            "armarla con las operaciones del capítulo anterior.")
        _expect(out.data, _cap06_sigmoid(x), f"el valor de {call}",
                "conviene revisar la fórmula", 1e-12)
        _backprop(out, call)
        got = _number(v.grad, "x.grad")
        if not _close(got, _cap06_dsigmoid(x), 1e-9, 1e-12):
            raise Incorrect(f"en {call}, backward deja x.grad = {got:.10g}, pero "
                            f"σ'({_fmt(x)}) = {_cap06_dsigmoid(x):.10g}.")
    return "Valores y gradientes coinciden con σ en cuatro puntos."


@checker("ej-cap06-tanh-sigmoide")
def _check_cap06_tanh_sigmoid(dsigmoid):
    return _check_real_function(dsigmoid, _cap06_dsigmoid, _CAP06_POINTS, "la derivada",
                                _CAP06_SIGMOID_HINTS)


@checker("ej-cap06-sigmoide")
def _check_cap06_sigmoid(sigmoid_or_derivative):
    """Acepta una función que da σ'(x) para un número x, o un método `sigmoid(self)` de
    `Value` (con `_backward` o con `_local_grads`)."""
    try:
        probe = sigmoid_or_derivative(0.5)
    except Exception:
        probe = None
    if isinstance(probe, (int, float)) and not isinstance(probe, bool):
        return _check_real_function(sigmoid_or_derivative, _cap06_dsigmoid, _CAP06_POINTS,
                                    "la derivada", _CAP06_SIGMOID_HINTS)
    return _check_unary_method(sigmoid_or_derivative, "sigmoid", _cap06_sigmoid,
                               _cap06_dsigmoid, _CAP06_POINTS, hints=_CAP06_SIGMOID_HINTS)


@checker("ej-cap06-cuarto")
def _check_cap06_quarter(dy_dx):
    s, product = 0.0, 1.0
    for _ in range(10):
        s = _cap06_sigmoid(s)
        product *= s * (1 - s)
    hint = "conviene calcularla con backward() sobre la cadena de diez sigmoides"
    if _close(_number(dy_dx, "dy/dx"), 0.25 ** 10, 1e-6):
        hint = ("esa es la cota (1/4)^10; ¿cuánto vale la entrada de cada sigmoide a partir "
                "de la segunda?")
    _expect(dy_dx, product, "dy/dx en x = 0", hint, 1e-6)


# Comprobadores de los ejercicios del capítulo 7.


@checker("ej-cap07-contar")
def _check_cap07_count(n_parameters):
    hint = "conviene revisar la ecuación: (entradas + 1) · neuronas en cada capa"
    if _close(_number(n_parameters, "el número de parámetros"), 2 * 16 + 16 * 16 + 16 * 1):
        hint = "faltan los sesgos: cada neurona tiene uno"
    _expect(n_parameters, (2 + 1) * 16 + (16 + 1) * 16 + (16 + 1) * 1,
            "el número de parámetros", hint)


@checker("ej-cap07-nombres")
def _check_cap07_names(name_parameters):
    MLP = _find("MLP", name_parameters, "michigrad.nn")
    state = random.getstate()
    try:
        for nin, nouts in ((2, [2, 1]), (3, [4, 4, 1])):
            model = MLP(nin, nouts)
            call = f"name_parameters(MLP({nin}, {nouts}))"
            _call(call, name_parameters, model)
            for i, layer in enumerate(model.layers, 1):
                for j, neuron in enumerate(layer.neurons, 1):
                    wanted = [(f"w[{k - 1}]", w, f"L{i}N{j}w{k}")
                              for k, w in enumerate(neuron.w, 1)]
                    for where, p, name in wanted + [("b", neuron.b, f"L{i}N{j}b")]:
                        got = getattr(p, "name", "")
                        if got != name:
                            raise Incorrect(
                                f"después de {call}, model.layers[{i - 1}].neurons[{j - 1}]."
                                f"{where} se llama {got!r}, y tendría que llamarse {name!r} "
                                "(capa, neurona y peso, contando desde 1).")
    finally:
        random.setstate(state)
    return "Los nombres son correctos en una red 2-2-1 y en una 3-4-4-1."


# Comprobadores de los ejercicios del capítulo 8.


def _cap08_outputs(out):
    """La salida de una red como lista de números (una red de una salida da un Value)."""
    items = out if isinstance(out, (list, tuple)) else [out]
    return [_number(v, "una salida de la red") for v in items]


@checker("ej-cap08-mlp-literal")
def _check_cap08_literal_mlp(literal_mlp):
    MLP = _find("MLP", literal_mlp, "michigrad.nn")
    inputs = [[1.0, -2.0, 0.5], [0.3, 0.3, -1.0], [-1.5, 2.0, 1.0], [0.2, -0.4, 0.9],
              [3.0, 3.0, -3.0], [-3.0, -3.0, 3.0], [4.0, -4.0, -4.0], [-4.0, 4.0, 4.0]]
    state = random.getstate()
    try:
        for nin, nouts, seed in ((3, [4, 4, 1], 3), (2, [3, 1], 0), (3, [2, 5, 2], 7)):
            call = f"literal_mlp({nin}, {nouts})"
            random.seed(seed)
            reference = MLP(nin, nouts)
            random.seed(seed)
            net = _call(call, literal_mlp, nin, nouts)
            params = _call(f"{call}.parameters()", getattr(net, "parameters", None))
            if len(params) != len(reference.parameters()):
                raise Incorrect(f"{call} tiene {len(params)} parámetros y MLP({nin}, {nouts}) "
                                f"tiene {len(reference.parameters())}.")
            for x in inputs:
                xs = x[:nin]
                got = _cap08_outputs(_call(f"{call}({xs})", net, xs))
                expected = _cap08_outputs(reference(xs))
                if len(got) != len(expected) or not all(
                        _close(g, e, 1e-12, 1e-12) for g, e in zip(got, expected)):
                    hint = "con la misma semilla tendría que dar lo mismo que MLP"
                    if all(_close(g, max(e, 0.0), 1e-12, 1e-12) for g, e in zip(got, expected)):
                        hint = "¿hay una ReLU después de la última capa?"
                    raise Incorrect(f"{call}({xs}) da {got}, y MLP({nin}, {nouts}) da "
                                    f"{expected}; {hint}.")
            for model in (net, reference):
                for p in model.parameters():
                    p.grad = 0.0
                total = sum(sum(o if isinstance(o, (list, tuple)) else [o])
                            for o in (model(x[:nin]) for x in inputs))
                _backprop(total, f"la suma de las salidas de {call}")
            for p, q in zip(params, reference.parameters()):
                if not _close(_number(p.grad, "un gradiente"), q.grad, 1e-12, 1e-12):
                    raise Incorrect(f"los gradientes de {call} no coinciden con los de MLP: "
                                    "¿los parámetros están en el mismo orden? ¿hay una "
                                    "activación después de la última capa?")
    finally:
        random.setstate(state)
    return "Mismos parámetros, salidas y gradientes que MLP en tres arquitecturas."


@checker("ej-cap08-leaky")
def _check_cap08_leaky_layer(LeakyReLU):
    if not isinstance(LeakyReLU, type):
        raise Incorrect(f"se esperaba la clase LeakyReLU, pero llegó {_show(LeakyReLU)}.")
    if "Activation" not in [base.__name__ for base in LeakyReLU.__mro__[1:]]:
        raise Incorrect("LeakyReLU tiene que ser una subclase de Activation.")
    Value = _find("Value", LeakyReLU, "michigrad.engine")
    default = _call("LeakyReLU()", LeakyReLU)
    got = _number(_call("LeakyReLU()(Value(-2.0))", default, Value(-2.0)), "LeakyReLU()(-2.0)")
    if _close(got, 0.0):
        raise Incorrect("LeakyReLU()(Value(-2.0)) da 0: del lado negativo tiene que dejar "
                        "pasar α·x.")
    if not _close(got, -0.02):
        raise Incorrect(f"LeakyReLU()(Value(-2.0)) da {_fmt(got)}: el α por omisión tiene que "
                        "ser 0.01.")
    layer = _call("LeakyReLU(0.1)", LeakyReLU, 0.1)
    pair = _call("LeakyReLU(0.1)([2.0, -2.0])", layer, [2.0, -2.0])
    pair = [_number(v, "una salida") for v in _sequence(pair, 2, "LeakyReLU(0.1)([2.0, -2.0])")]
    if not (_close(pair[0], 2.0) and _close(pair[1], -0.2)):
        raise Incorrect(f"LeakyReLU(0.1)([2.0, -2.0]) da {pair}, y tendría que dar "
                        "[2.0, -0.2].")
    for x, slope in ((1.3, 1.0), (-0.7, 0.1), (-3.0, 0.1)):
        v = Value(x)
        out = _call(f"LeakyReLU(0.1)(Value({x}))", layer, v)
        _expect(out, x * slope, f"el valor de LeakyReLU(0.1)(Value({x}))",
                "conviene revisar la fórmula")
        _backprop(out, f"LeakyReLU(0.1)(Value({x}))")
        got = _number(v.grad, "el gradiente")
        if not _close(got, slope):
            raise Incorrect(f"con x = {x}, backward deja x.grad = {_fmt(got)}, pero la "
                            f"pendiente es {slope}.")
    return "Valores, gradientes a los dos lados del cero, listas y α por omisión."


@checker("ej-cap08-logits")
def _check_cap08_logits(bce_with_logits):
    Value = _find("Value", bce_with_logits, "michigrad.engine")
    for z0, y in ((-2.0, 1.0), (0.3, 0.0), (3.0, 1.0), (0.5, 0.5), (-800.0, 1.0),
                  (800.0, 0.0), (800.0, 1.0)):
        z = Value(z0)
        call = f"bce_with_logits(Value({_fmt(z0)}), {_fmt(y)})"
        loss = _call(call, bce_with_logits, z, y)
        expected = max(z0, 0.0) - z0 * y + math.log1p(math.exp(-abs(z0)))
        got = _number(loss, call)
        if not _close(got, expected, 1e-9, 1e-12):
            raise Incorrect(f"{call} da {got:.10g}, pero la pérdida es {expected:.10g}.")
        _backprop(loss, call)
        p = 1 / (1 + math.exp(-z0)) if z0 >= 0 else math.exp(z0) / (1 + math.exp(z0))
        got = _number(z.grad, "z.grad")
        if not _close(got, p - y, 1e-9, 1e-12):
            raise Incorrect(f"en {call}, backward deja z.grad = {got:.10g}, pero "
                            f"p − y = {p - y:.10g}.")
    return "Pérdida y gradiente coinciden, también con z = ±800."


@checker("ej-cap08-momento")
def _check_cap08_momentum(velocity_limit):
    got = _number(velocity_limit, "el límite de la velocidad")
    hint = "conviene sumar la serie geométrica de los gradientes"
    if _close(got, 0.2):
        hint = "ese número ya está multiplicado por la tasa de aprendizaje; se pide b_t"
    elif _close(got, 2.0):
        hint = "ese es el gradiente; la velocidad lo acumula paso a paso"
    _expect(got, 2 / (1 - 0.9), "el límite de b_t", hint)


# Comprobadores de los ejercicios del capítulo 9.
_CAP09_X = [(0, 0), (0, 1), (1, 0), (1, 1)]


def _cap09_plane(plane, targets, what):
    """Comprueba que `plane` = (a1, a2, c) cumpla las ecuaciones normales para `targets`."""
    a1, a2, c = (_number(v, f"{name} de {what}")
                 for v, name in zip(_sequence(plane, 3, what), ("a1", "a2", "c")))
    residual = [a1 * x1 + a2 * x2 + c - t for (x1, x2), t in zip(_CAP09_X, targets)]
    normal = [sum(r * x[0] for r, x in zip(residual, _CAP09_X)),
              sum(r * x[1] for r, x in zip(residual, _CAP09_X)), sum(residual)]
    if max(abs(v) for v in normal) > 1e-5:
        raise Incorrect(f"{what}, ({_fmt(a1)}, {_fmt(a2)}, {_fmt(c)}), no es el de mínimos "
                        "cuadrados: las ecuaciones normales A^T (Aθ − y) = 0 dan "
                        f"({', '.join(f'{v:.4g}' for v in normal)}).")


@checker("ej-cap09-tres-capas")
def _check_cap09_three_layers(loss_2_2_1, loss_2_2_2_1):
    for answer, what in ((loss_2_2_1, "la pérdida final de la red 2-2-1"),
                         (loss_2_2_2_1, "la pérdida final de la red 2-2-2-1")):
        _expect(answer, 0.25, what, "conviene revisar el entrenamiento: SGD con η = 0.2, 1500 "
                "iteraciones y mse_loss (el promedio)", abs_tol=1e-4)
    return "Las dos pérdidas finales coinciden."


@checker("ej-cap09-normales")
def _check_cap09_normal_equations(plane):
    _cap09_plane(plane, [0, 1, 1, 0], "el plano")
    return "Cumple las ecuaciones normales."


@checker("ej-cap09-and-or")
def _check_cap09_and_or(plane_and, plane_or):
    _cap09_plane(plane_and, [0, 0, 0, 1], "el plano de AND")
    _cap09_plane(plane_or, [0, 1, 1, 1], "el plano de OR")
    return "Los dos planos son los de mínimos cuadrados."


@checker("ej-cap09-tres-de-cuatro")
def _check_cap09_three_of_four(count, missing):
    _expect(count, 14, "el número de etiquetados que realiza una recta",
            "conviene revisar cada etiquetado con el perceptrón")
    try:
        labels = {tuple(int(v) for v in item) for item in missing}
    except (TypeError, ValueError):
        raise Incorrect("los etiquetados que faltan tienen que ser tuplas de 0 y 1, en el "
                        "orden de X, por ejemplo [(1, 0, 0, 0), ...].") from None
    if len(labels) + 14 != 16 or not all(len(t) == 4 for t in labels):
        raise Incorrect(f"llegaron {len(labels)} etiquetados sin recta; entre los dos números "
                        "tienen que sumar 16, y cada etiquetado tiene 4 etiquetas.")
    if labels != {(0, 1, 1, 0), (1, 0, 0, 1)}:
        raise Incorrect(f"los etiquetados {sorted(labels)} no son los que no tienen recta; "
                        "conviene comprobar si alguno tiene una recta que lo separa.")
    return "Catorce con recta, y los dos que faltan son los correctos."


@checker("ej-cap09-signos")
def _check_cap09_signs(plane):
    _cap09_plane(plane, [-1, 1, 1, -1], "el plano")
    return "Cumple las ecuaciones normales con los objetivos ±1."


# Comprobadores de los ejercicios del capítulo 10.
@checker("ej-cap10-a-mano")
def _check_cap10_by_hand(model):
    parameters = getattr(model, "parameters", None)
    if callable(parameters) and len(parameters()) != 9:
        raise Incorrect(f"la red tiene {len(parameters())} parámetros; "
                        "Sequential(Linear(2, 2), ReLU(), Linear(2, 1)) tiene 9.")
    for (x1, x2), target in zip([(0, 0), (0, 1), (1, 0), (1, 1)], [0, 1, 1, 0]):
        call = f"model([{x1}, {x2}])"
        got = _number(_call(call, model, [float(x1), float(x2)]), call)
        if not _close(got, target, 1e-12, 1e-12):
            raise Incorrect(f"en ({x1}, {x2}) la red da {_fmt(got)}, y XOR vale {target}.")
    return "Calcula XOR exactamente en los cuatro puntos."


@checker("ej-cap10-nacen-muertas")
def _check_cap10_born_dead(fraction):
    got = _number(fraction, "la fracción de neuronas que nacen muertas")
    if not 0.22 <= got <= 0.28:
        raise Incorrect(f"la fracción {_fmt(got)} no coincide; conviene revisar la condición "
                        "(preactivación ≤ 0 en las cuatro entradas) y simular miles de "
                        "neuronas.")
    return "Coincide, dentro del error de la simulación."


# Comprobadores de los ejercicios del capítulo 11.
@checker("ej-cap11-promedio")
def _check_cap11_mean(learning_rate):
    hint = "conviene comparar el gradiente del promedio con el de la suma"
    if _close(_number(learning_rate, "la tasa de aprendizaje"), 0.1 / 4):
        hint = "con el promedio el gradiente se achica: la tasa tiene que compensarlo"
    _expect(learning_rate, 0.1 * 4, "la tasa de aprendizaje", hint)


@checker("ej-cap11-tasa")
def _check_cap11_rates(solving_rates):
    try:
        got = sorted(_number(v, "una tasa") for v in solving_rates)
    except TypeError:
        raise Incorrect("se esperaba una lista con las tasas que resuelven XOR, por ejemplo "
                        f"[0.01], pero llegó {_show(solving_rates)}.") from None
    if any(not any(_close(g, eta) for eta in (0.01, 0.1, 1.0)) for g in got):
        raise Incorrect(f"{got} tiene tasas que no están entre las tres del enunciado.")
    if len(got) != 2 or not (_close(got[0], 0.1) and _close(got[1], 1.0)):
        raise Incorrect(f"{got} no coincide; conviene revisar la tasa de aciertos de cada "
                        "red después de 2000 pasos.")
    return "Coincide."


# Comprobadores de los ejercicios del capítulo 12.
@checker("ej-cap12-broadcast-michigrad")
def _check_cap12_broadcast(wrong_loss):
    hint = "conviene revisar que sean los 16 términos (ŷ_i − y_j)², divididos por 16"
    if _close(_number(wrong_loss, "la pérdida"), 0.79133734, 0, 1e-6):
        hint = "ese es el error cuadrático medio correcto"
    _expect(wrong_loss, 1.2240772, "la pérdida del cuaderno", hint, 0, 5e-7)


@checker("ej-cap12-empujar")
def _check_cap12_nudge(neuron, preactivation):
    # La primera capa del cuaderno (una fila por neurona) y el ejemplo 1.
    W1 = [[-0.7731, 0.1601, 0.4321], [-0.0346, -0.2008, 0.3647],
          [-0.7577, 0.4841, -0.0354], [0.1601, -0.2008, 0.4841]]
    b1 = [-0.0132, 0.7161, -0.4399, 0.5371]
    x = [2.5, 3.0, -2.5]
    pre = [sum(w * xi for w, xi in zip(row, x)) + b for row, b in zip(W1, b1)]
    best = max(range(4), key=lambda j: pre[j])
    hint = "conviene calcular W1 x + b1 para el ejemplo 1"
    got = _number(neuron, "la neurona")
    if got == best:
        hint = "el libro numera las neuronas desde 1"
    _expect(got, best + 1, "el número de la neurona más cercana a encenderse", hint)
    _expect(preactivation, pre[best], "la preactivación de esa neurona",
            "conviene calcular W1 x + b1",
            1e-9, 1e-9)
    return "La neurona y su preactivación coinciden."


@checker("ej-cap12-numpy-aleatorio")
def _check_cap12_numpy_factor(factor):
    hint = "conviene dividir un gradiente del cuaderno por el de michigrad"
    if _close(_number(factor, "el factor"), 2.0):
        hint = "está al revés: se pide gradiente del cuaderno / gradiente de michigrad"
    _expect(factor, 0.5, "el factor", hint)


# Comprobadores de los ejercicios del capítulo 13.


@checker("ej-cap13-clausura-sin-out")
def _check_cap13_no_cycles(value_class):
    if not isinstance(value_class, type):
        raise Incorrect(f"se esperaba una clase, pero llegó {_show(value_class)}.")

    def step():
        a, b, c = value_class(2.0), value_class(3.0), value_class(-0.5)
        y = (a * b + c * a).relu() + (c * b).relu()
        _backprop(y, "el grafo de prueba")
        return [_number(v.grad, "un gradiente") for v in (a, b, c)]

    # El grafo nuevo queda entero en la generación 0 (con el recolector apagado nada pasa a
    # las siguientes): basta revisar esa generación, que es rápido.
    gc.collect(0)
    enabled = gc.isenabled()
    gc.disable()
    try:
        grads = _call("el grafo de prueba, (a·b + c·a).relu() + (c·b).relu()", step)
        garbage = gc.collect(0)
    finally:
        if enabled:
            gc.enable()
    for name, got, expected in zip("abc", grads, (2.5, 2.0, 2.0)):
        if not _close(got, expected):
            raise Incorrect(f"en (a·b + c·a).relu() + (c·b).relu() con a = 2, b = 3 y c = −0.5, "
                            f"backward deja {name}.grad = {_fmt(got)}, pero la derivada vale "
                            f"{_fmt(expected)}.")
    if garbage:
        raise Incorrect(f"los gradientes están bien, pero el grafo deja {garbage} objetos de "
                        "basura cíclica: todavía queda algún ciclo de referencias.")
    return "Los gradientes son correctos y el grafo no deja basura cíclica."
