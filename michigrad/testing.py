# Generado a partir de los capítulos del libro: 05-operaciones.md.
# No editar a mano: los cambios se hacen en los capítulos y se exportan
# con `make export` (o al construir el libro).
# huella: sha256:dddcd51ce9e20b8c4e2f330d76fcf7a38171b341874bf276f301c9b6efde612e

import math
import sys
from michigrad.engine import Value


def _rounding_scales(out, values):
    """Para cada entrada x_i, S_i: la suma de |n| · |∂out/∂n| sobre las operaciones n que
    dependen de x_i. Necesita los gradientes de out.backward()."""
    reach = {}                            # nodo -> bits de las entradas de las que depende
    for i, v in enumerate(values):
        reach[v] = reach.get(v, 0) | 1 << i
    scales = [0.0] * len(values)
    for node in out._topological_order():          # cada nodo después de sus hijos
        bits = reach.get(node, 0)
        for child in node._prev:
            bits |= reach[child]
        reach[node] = bits
        term = abs(node.data * node.grad)
        # Las hojas no redondean; un gradiente nan o infinito ya se informa en su entrada.
        if node._prev and math.isfinite(term):
            for i in range(len(values)):
                if bits >> i & 1:
                    scales[i] += term
    return scales


def gradcheck(f, *values, eps=1e-6, tol=1e-5):
    """Compara los gradientes de `backward()` con diferencias finitas centrales.

    `f` recibe los `Value` de `values` y devuelve un `Value`; `eps` es el empujón h. Cada
    gradiente g y su estimación numérica g̃ deben cumplir::

        |g - g̃| <= tol · max(1, |g|, |g̃|) + ε · S_i / eps

    donde el segundo término acota el error de redondeo de la diferencia central, que
    crece con el tamaño de f (ver el capítulo 5). Devuelve True si todas coinciden; si no,
    lanza AssertionError con un renglón por entrada.
    """
    for v in values:
        if not isinstance(v, Value):
            raise TypeError(f"gradcheck: las entradas deben ser Value, llegó {v!r}")
        v.grad = 0.0
    out = f(*values)
    if not isinstance(out, Value):
        raise TypeError(f"gradcheck: f debe devolver un Value, devolvió {out!r}")
    out.backward()
    scales = _rounding_scales(out, values)
    rows, failed = [], False
    for i, v in enumerate(values):
        original = v.data
        up, down = original + eps, original - eps
        label = v.name or f"entrada {i}"
        if up == down:
            raise ValueError(f"gradcheck: {label} = {original} es tan grande que "
                             f"{original} ± {eps} se redondea a sí mismo; usar un eps mayor")
        v.data = up
        plus = f(*values).data
        v.data = down
        minus = f(*values).data
        v.data = original
        numeric = (plus - minus) / (up - down)     # el paso que de verdad dimos
        difference = abs(v.grad - numeric)
        allowed = (tol * max(1.0, abs(v.grad), abs(numeric))
                   + sys.float_info.epsilon * scales[i] / eps)
        # Una diferencia nan o infinita (un gradiente nan o infinito) nunca pasa.
        wrong = not (math.isfinite(difference) and difference <= allowed)
        failed |= wrong
        rows.append(f"{'MAL' if wrong else 'ok '} {label}: backward {v.grad:.8g}, "
                    f"numérico {numeric:.8g}, diferencia {difference:.1e} "
                    f"(admitida {allowed:.1e})")
    if failed:
        raise AssertionError("gradcheck: los gradientes no coinciden\n" + "\n".join(rows))
    return True
