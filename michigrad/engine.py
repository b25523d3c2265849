# Generado a partir de los capítulos del libro: 02-value.md, 04-backprop-automatico.md, 05-operaciones.md, 06-activaciones.md.
# No editar a mano: los cambios se hacen en los capítulos y se exportan
# con `make export` (o al construir el libro).
# huella: sha256:8a1832ecfcd254eb2fde534df258da1b8fd46a72affb5b064dad11657306bd01

import math
import numbers


def _check_number(data, op):
    """Devuelve `data` si es un número real; si no, un error que explica qué llegó."""
    if type(data) is float or type(data) is int:   # camino rápido: el caso común
        return data
    if isinstance(data, numbers.Real) and not isinstance(data, Value):
        return float(data)   # por ejemplo, un numpy.float64
    raise TypeError(f"{op}: se esperaba un número real, pero llegó {data!r} "
                    f"(de tipo {type(data).__name__})")


class Value:
    """Un escalar que recuerda de qué operación salió y cuánto vale su derivada local."""

    # Sin __dict__ y sin tuplas por nodo: cada Value es un único objeto, con lugar para
    # hasta dos operandos (a, b) y sus derivadas locales (da, db). Así ocupa poca memoria
    # y le da poco trabajo al recolector de basura (lo medimos en el capítulo 13).
    __slots__ = ("data", "grad", "name", "_op", "_a", "_b", "_da", "_db")

    def __init__(self, data, _children=(), _op="", name="", _local_grads=()):
        # Los resultados de las operaciones ya son float: solo validamos lo demás.
        self.data = data if type(data) is float else _check_number(data, "Value")
        self.grad = 0.0
        self.name = name
        self._op = _op
        n = len(_children)
        if n > 2 or len(_local_grads) != n:
            raise ValueError("Value: una operación tiene a lo sumo dos operandos y una "
                             f"derivada local por operando; llegaron {n} operandos y "
                             f"{len(_local_grads)} derivadas")
        self._a = _children[0] if n else None
        self._b = _children[1] if n == 2 else None
        self._da = _local_grads[0] if n else 0.0
        self._db = _local_grads[1] if n == 2 else 0.0

    @property
    def _prev(self):
        """Los operandos que produjeron este nodo (sus hijos en el grafo), en orden."""
        if self._a is None:
            return ()
        return (self._a,) if self._b is None else (self._a, self._b)

    @property
    def _local_grads(self):
        """d(este nodo)/d(hijo), una por hijo, en el mismo orden que `_prev`."""
        if self._a is None:
            return ()
        return (self._da,) if self._b is None else (self._da, self._db)

    def __repr__(self):
        return f"Value(data={self.data}, grad={self.grad}, name={self.name})"

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(_check_number(other, "+"))
        # d(a + b)/da = 1 y d(a + b)/db = 1
        return Value(self.data + other.data, (self, other), "+", _local_grads=(1.0, 1.0))

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(_check_number(other, "*"))
        # d(a · b)/da = b y d(a · b)/db = a
        return Value(self.data * other.data, (self, other), "*",
                     _local_grads=(other.data, self.data))

    def _topological_order(self):
        """Los nodos del grafo, cada uno después de todos sus hijos (sin recursión)."""
        order, seen, placed = [], set(), set()
        stack = [self]
        while stack:
            node = stack[-1]
            if node not in seen:                    # primera visita: antes van los hijos
                seen.add(node)
                # b primero, para que a salga antes: el mismo orden que la recursión.
                if node._b is not None and node._b not in seen:
                    stack.append(node._b)
                if node._a is not None and node._a not in seen:
                    stack.append(node._a)
            else:                                   # segunda visita: sus hijos ya están
                stack.pop()
                if node not in placed:
                    placed.add(node)
                    order.append(node)
        return order

    def backward(self):
        """Calcula d(self)/d(nodo) para cada nodo del grafo y lo suma en `nodo.grad`.

        Como en PyTorch, los gradientes se acumulan: antes de otra pasada hay que
        ponerlos en cero (`zero_grad`).
        """
        self.grad = 1.0
        for node in reversed(self._topological_order()):
            # El paso de un nodo, con los dos operandos a la vista (ver capítulo 2).
            if node._a is not None:
                node._a.grad += node._da * node.grad
            if node._b is not None:
                node._b.grad += node._db * node.grad

    def __neg__(self):                     # -self = self · (-1)
        return self * -1

    def __sub__(self, other):              # self - other = self + (-other)
        if not isinstance(other, Value):
            # Validamos antes de negar: `-"x"` daría un error de Python que no dice qué pasó.
            other = _check_number(other, "-")
        return self + (-other)

    def __pow__(self, other):              # self ** other, con other número o Value
        exponent = other.data if isinstance(other, Value) else _check_number(other, "**")
        base = self.data
        if base == 0 and exponent < 0:
            raise ZeroDivisionError(f"**: 0 elevado a una potencia negativa ({exponent}) "
                                    "no está definido")
        if base < 0 and not float(exponent).is_integer():
            raise ValueError(f"**: {base} elevado a {exponent} no es un número real "
                             "(base negativa con exponente no entero)")
        try:
            out = base ** exponent
            local_grads = (_power_rule(base, exponent),)
            if isinstance(other, Value):
                # d(a**b)/db = a**b · ln(a). En a = 0 vale 0 (el límite); con a < 0 no existe
                # (cerca de b hay exponentes no enteros) y lo marcamos con nan, como PyTorch.
                local_grads += (out * math.log(base) if base > 0
                                else 0.0 if base == 0 else math.nan,)
        except OverflowError:
            raise OverflowError(f"**: {base} elevado a {exponent} (o su derivada) no cabe "
                                "en un float") from None
        if isinstance(other, Value):
            return Value(out, (self, other), "**", _local_grads=local_grads)
        return Value(out, (self,), f"**{exponent}", _local_grads=local_grads)

    def __truediv__(self, other):          # self / other = self · other**-1
        other = other if isinstance(other, Value) else Value(_check_number(other, "/"))
        if other.data == 0:
            raise ZeroDivisionError(f"/: división por cero ({self.data} / 0)")
        return self * other ** -1

    def exp(self):
        """e elevado a este valor; su derivada local es el propio resultado."""
        try:
            out = math.exp(self.data)
        except OverflowError:
            raise OverflowError(f"exp: e elevado a {self.data} no cabe en un float") from None
        return Value(out, (self,), "exp", _local_grads=(out,))      # (e^x)' = e^x

    def log(self):
        """Logaritmo natural; su derivada local es 1/x. Solo para valores positivos."""
        if self.data <= 0:
            raise ValueError(f"log: el logaritmo de {self.data} no está definido "
                             "(el argumento tiene que ser positivo)")
        return Value(math.log(self.data), (self,), "log", _local_grads=(1 / self.data,))

    # Con un número a la izquierda (2 + a, 2 - a, ...), el número no sabe operar con un Value
    # y devuelve NotImplemented; entonces Python llama a la versión reflejada de Value.
    def __radd__(self, other):             # other + self
        return self + other

    def __rmul__(self, other):             # other * self
        return self * other

    def __rsub__(self, other):             # other - self = (-self) + other
        return -self + _check_number(other, "-")

    def __rtruediv__(self, other):         # other / self
        return Value(_check_number(other, "/")) / self

    def __rpow__(self, other):             # other ** self: el exponente es un Value
        return Value(_check_number(other, "**")) ** self

    def tanh(self):
        t = math.tanh(self.data)              # math.tanh no desborda: tanh(±1000) = ±1
        return Value(t, (self,), "tanh", _local_grads=(1 - t * t,))

    def sigmoid(self):
        # Forma estable: nunca calculamos e^x con x grande y positivo.
        if self.data >= 0:
            s = 1 / (1 + math.exp(-self.data))
        else:
            z = math.exp(self.data)
            s = z / (1 + z)
        return Value(s, (self,), "sigmoid", _local_grads=(s * (1 - s),))

    def relu(self):
        out = self.data if self.data > 0 else 0.0
        # En el quiebre (x = 0) la derivada no existe; usamos 0, como PyTorch.
        return Value(out, (self,), "ReLU", _local_grads=(1.0 if self.data > 0 else 0.0,))


def _power_rule(base, exponent):
    """d(base**exponent)/d(base) = exponent · base**(exponent - 1), con los bordes de PyTorch.

    Con exponente 0 la potencia es constante: derivada 0, también en base 0. En base 0
    con exponente entre 0 y 1 (una raíz), la pendiente es vertical: infinito.
    """
    if exponent == 0:
        return 0.0
    if base == 0 and exponent < 1:
        return math.inf
    return exponent * base ** (exponent - 1)
