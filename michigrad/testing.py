# Generado a partir de los capítulos del libro: 05-operaciones.md.
# No editar a mano: los cambios se hacen en los capítulos y se exportan
# con `make export` (o al construir el libro).
# huella: sha256:e3afcd3abb9f70c8e2e6345c6cb7f2c8c329f1e03a7e3d653a54b49e2b959ed3

from michigrad.engine import Value


def gradcheck(f, *values, eps=1e-6, tol=1e-5):
    """Compara los gradientes de `backward()` con diferencias finitas centrales.

    `f` recibe los `Value` de `values` y devuelve un `Value`. Devuelve True si cada
    gradiente coincide con su estimación numérica (error relativo a lo sumo `tol`);
    si no, lanza AssertionError con una tabla de las entradas que no coinciden.
    """
    for v in values:
        if not isinstance(v, Value):
            raise TypeError(f"gradcheck: las entradas deben ser Value, llegó {v!r}")
        v.grad = 0.0
    out = f(*values)
    if not isinstance(out, Value):
        raise TypeError(f"gradcheck: f debe devolver un Value, devolvió {out!r}")
    out.backward()
    rows, failed = [], False
    for i, v in enumerate(values):
        original = v.data
        v.data = original + eps
        plus = f(*values).data
        v.data = original - eps
        minus = f(*values).data
        v.data = original
        numeric = (plus - minus) / (2 * eps)
        # Error relativo para gradientes grandes, absoluto cerca de cero.
        error = abs(v.grad - numeric) / max(1.0, abs(v.grad), abs(numeric))
        wrong = not error <= tol          # también atrapa nan
        failed |= wrong
        label = v.name or f"entrada {i}"
        rows.append(f"{'MAL' if wrong else 'ok '} {label}: backward {v.grad:.8g}, "
                    f"numérico {numeric:.8g}, error relativo {error:.2e}")
    if failed:
        raise AssertionError("gradcheck: los gradientes no coinciden\n" + "\n".join(rows))
    return True
