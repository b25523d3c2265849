# Generado a partir de los capítulos del libro: 02-value.md, 04-backprop-automatico.md, 05-operaciones.md, 06-activaciones.md.
# No editar a mano: los cambios se hacen en los capítulos y se exportan
# con `make export` (o al construir el libro).
# huella: sha256:270ca5989179f81038e6a4c23b5fbd99a5f6f46a74a3c44b40b11c0d9c5ac7d3

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

    # Un único objeto por nodo, sin __dict__ ni tuplas (lo medimos en el capítulo 13): hasta
    # dos operandos (_a, _b) y sus derivadas locales (_da, _db). _children y _fn son para los
    # nodos al estilo del curso, que traen su propia función de propagación (capítulo 4).
    __slots__ = ("data", "grad", "name", "_op", "_a", "_b", "_da", "_db", "_children", "_fn")

    def __init__(self, data, _children=(), _op="", name="", _local_grads=None, label=None):
        self.data = _check_number(data, "Value")
        self.grad = 0.0
        self.name = name if label is None else label      # label: el de la clase de Karpathy
        self._op = _op
        children = tuple(_children)
        if not all(isinstance(child, Value) for child in children):
            raise TypeError(f"Value: los operandos deben ser Value, pero llegaron {children!r}")
        self._a = self._b = self._fn = None
        self._da = self._db = 0.0
        self._children = ()
        if _local_grads is None:       # una hoja, o un nodo al estilo del curso (capítulo 4)
            self._children = children
        elif len(_local_grads) != len(children) or len(children) > 2:
            raise ValueError("Value: con derivadas locales, una operación tiene uno o dos "
                             "operandos y una derivada por operando; llegaron "
                             f"{len(children)} operandos y {len(_local_grads)} derivadas")
        elif children:
            self._a, self._da = children[0], _local_grads[0]
            if len(children) == 2:
                self._b, self._db = children[1], _local_grads[1]

    @property
    def _prev(self):
        """Los operandos que produjeron este nodo (sus hijos en el grafo), en orden."""
        if self._a is None:
            return self._children
        return (self._a,) if self._b is None else (self._a, self._b)

    @property
    def _local_grads(self):
        """d(este nodo)/d(hijo), una por hijo y en el orden de `_prev` (vacía si no hay)."""
        if self._a is None:
            return ()
        return (self._da,) if self._b is None else (self._da, self._db)

    @property
    def label(self):
        """Otro nombre de `name`: el que usa la clase de Karpathy sobre micrograd."""
        return self.name

    @label.setter
    def label(self, value):
        self.name = value

    def __repr__(self):
        return f"Value(data={self.data}, grad={self.grad}, name={self.name})"

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(_check_number(other, "+"))
        # d(a + b)/da = 1 y d(a + b)/db = 1
        return _result(self.data + other.data, "+", self, 1.0, other, 1.0)

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(_check_number(other, "*"))
        # d(a · b)/da = b y d(a · b)/db = a
        return _result(self.data * other.data, "*", self, other.data, other, self.data)

    def _topological_order(self):
        """Los nodos del grafo, cada uno después de todos sus hijos (sin recursión)."""
        order, seen = [], set()
        stack = [self]
        push, pop = stack.append, stack.pop       # nombres locales: es el bucle más repetido
        while stack:
            node = pop()
            if node is None:                      # una marca: el nodo de abajo ya tiene sus hijos
                order.append(pop())
            elif node not in seen:
                seen.add(node)
                a = node._a
                if a is None and not node._children:
                    order.append(node)            # una hoja
                    continue
                push(node)                        # vuelve a salir después de sus hijos,
                push(None)                        # cuando salga esta marca
                if a is not None:                 # una operación del paquete: b primero, para
                    b = node._b                   # que a salga antes (como en la recursión)
                    if b is not None and b not in seen:
                        push(b)
                    if a not in seen:
                        push(a)
                elif node._fn is None:            # hijos, pero ninguna forma de propagar
                    raise _missing_rule(node)
                else:                             # un nodo al estilo del curso (más abajo)
                    stack.extend([c for c in reversed(node._children) if c not in seen])
        return order

    def backward(self):
        """Calcula d(self)/d(nodo) para cada nodo del grafo y lo suma en `nodo.grad`.

        Como en micrograd, se acumula en todos los nodos, también en los intermedios: antes de
        otra pasada hay que ponerlos en cero (PyTorch solo acumula en las hojas; capítulo 4).
        """
        order = self._topological_order()         # si el grafo tiene un error, ningún grad cambia
        self.grad = 1.0
        for node in reversed(order):
            a = node._a
            if a is not None:                     # el paso de un nodo, en línea: son millones
                a.grad += node._da * node.grad
                b = node._b
                if b is not None:
                    b.grad += node._db * node.grad
            elif node._fn is not None:            # un nodo al estilo del curso: su propia función
                node._fn()

    def _propagate(self):
        """El paso de un nodo con sus derivadas anotadas (en una hoja no hace nada)."""
        if self._a is not None:
            self._a.grad += self._da * self.grad
            if self._b is not None:
                self._b.grad += self._db * self.grad
        elif self._children:
            raise _missing_rule(self)

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


def _result(data, op, a, da, b=None, db=0.0):
    """El nodo que devuelve una operación, sin validar nada: `data` ya es un número y hay
    una derivada local por operando. Es el camino rápido, el de cada nodo de cada grafo."""
    out = object.__new__(Value)                  # sin pasar por __init__
    out.data, out.grad, out.name = data, 0.0, ""
    out._op, out._children, out._fn = op, (), None
    out._a, out._da = a, da
    out._b, out._db = b, db
    return out


def _get_backward(node):
    return node._propagate if node._fn is None else node._fn


def _set_backward(node, fn):
    if node._a is not None:           # una operación del paquete pasa a usar la función
        node._children = node._prev
        node._a = node._b = None
        node._da = node._db = 0.0
    node._fn = fn


def _missing_rule(node):
    return RuntimeError(
        f"backward: el nodo {node!r} (operación {node._op!r}) tiene operandos pero no sabe "
        "propagar su gradiente. Hay dos formas de arreglarlo: anotar sus derivadas locales "
        "al crearlo, Value(dato, hijos, op, _local_grads=(...)), o asignarle una función, "
        "out._backward = _backward, como en micrograd y en el paquete del curso.")


# El nombre de micrograd y del curso: nodo._backward() y out._backward = _backward.
Value._backward = property(_get_backward, _set_backward)


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
