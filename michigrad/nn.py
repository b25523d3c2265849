# Generado a partir de los capítulos del libro: 07-mynn.md, 08-capas.md.
# No editar a mano: los cambios se hacen en los capítulos y se exportan
# con `make export` (o al construir el libro).
# huella: sha256:733c117b9e1cac4201e872b01142309604f4b94ee29b278a1dc4a33d6c330f23

"""MyNN: neuronas, capas, redes, pérdidas y activaciones sobre michigrad."""

import math
import numbers
import random
from michigrad.engine import Value


class Module:
    """Lo común a neuronas, capas y redes: sus parámetros y cómo poner sus gradientes en cero."""

    def zero_grad(self):
        # backward() acumula (+=) en cada grad: sin esto, cada paso sumaría los anteriores.
        for p in self.parameters():
            p.grad = 0.0

    def parameters(self):
        """Los Value que el entrenamiento ajusta (la clase base no tiene ninguno)."""
        return []


def _as_inputs(x, expected, who):
    """Las entradas como lista, verificando su cantidad (zip truncaría en silencio)."""
    values = [x] if isinstance(x, (Value, numbers.Real)) else list(x)
    if len(values) != expected:
        raise ValueError(f"{who}: se esperaban {expected} entradas, "
                         f"pero llegaron {len(values)}")
    return values


class Neuron(Module):
    """Una neurona: suma ponderada de las entradas más un sesgo, con ReLU opcional."""

    def __init__(self, nin, nonlin=True):
        # Un número al azar por entrada, en orden: con la misma semilla que micrograd,
        # los mismos pesos.
        self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(0)
        self.nonlin = nonlin

    def __call__(self, x):
        x = _as_inputs(x, len(self.w), repr(self))
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return act.relu() if self.nonlin else act

    def parameters(self):
        return self.w + [self.b]

    def __repr__(self):
        return f"{'ReLU' if self.nonlin else 'Linear'}Neuron({len(self.w)})"


class Layer(Module):
    """Una capa de neuronas que reciben las mismas entradas."""

    def __init__(self, nin, nout, **kwargs):
        self.neurons = [Neuron(nin, **kwargs) for _ in range(nout)]

    def __call__(self, x):
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out     # una sola neurona: un Value suelto

    def parameters(self):
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self):
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(Module):
    """Perceptrón multicapa: capas ocultas con ReLU y una capa de salida lineal."""

    def __init__(self, nin, nouts):
        sizes = [nin] + list(nouts)
        self.layers = [Layer(sizes[i], sizes[i + 1], nonlin=i != len(nouts) - 1)
                       for i in range(len(nouts))]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self):
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"


class Linear(Layer):
    """Una capa sin activación: `nout` neuronas lineales de `nin` entradas cada una."""

    def __init__(self, nin, nout):
        super().__init__(nin, nout, nonlin=False)

    def __repr__(self):
        return f"Linear({len(self.neurons[0].w)}, {len(self.neurons)})"


class Activation(Module):
    """Una capa sin parámetros que aplica la misma función a cada entrada."""

    def __call__(self, x):
        if isinstance(x, (Value, numbers.Real)):
            return self.apply(x if isinstance(x, Value) else Value(x))
        return [self.apply(v if isinstance(v, Value) else Value(v)) for v in x]

    def __repr__(self):
        return f"{type(self).__name__}()"


class ReLU(Activation):
    """max(0, x) en cada entrada."""

    def apply(self, v):
        return v.relu()


class Tanh(Activation):
    """Tangente hiperbólica en cada entrada: salidas entre -1 y 1."""

    def apply(self, v):
        return v.tanh()


class Sigmoid(Activation):
    """Función logística en cada entrada: salidas entre 0 y 1."""

    def apply(self, v):
        return v.sigmoid()


class Sequential(Module):
    """Aplica sus módulos en orden: la salida de cada uno es la entrada del siguiente."""

    def __init__(self, *modules):
        if len(modules) == 1 and isinstance(modules[0], (list, tuple)):
            modules = modules[0]
        for m in modules:
            if not callable(m):
                raise TypeError(f"Sequential: {m!r} no es un módulo (no se puede llamar)")
        self.layers = list(modules)

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        return [p for layer in self.layers if isinstance(layer, Module)
                for p in layer.parameters()]

    def __repr__(self):
        return f"Sequential({', '.join(repr(layer) for layer in self.layers)})"


def _pairs(y_pred, y_true, who):
    """Predicciones (como Value) y objetivos emparejados, verificando que haya tantos de cada uno."""
    preds = [y_pred] if isinstance(y_pred, (Value, numbers.Real)) else list(y_pred)
    targets = [y_true] if isinstance(y_true, (Value, numbers.Real)) else list(y_true)
    if len(preds) != len(targets):
        raise ValueError(f"{who}: hay {len(preds)} predicciones y {len(targets)} objetivos")
    if not preds:
        raise ValueError(f"{who}: no hay predicciones (la lista está vacía)")
    return [(p if isinstance(p, Value) else Value(p), t) for p, t in zip(preds, targets)]


def _reduce(terms, reduction, who):
    if reduction == "sum":
        return sum(terms)
    if reduction == "mean":
        return sum(terms) * (1 / len(terms))
    raise ValueError(f"{who}: reduction debe ser 'sum' o 'mean', no {reduction!r}")


def mse_loss(y_pred, y_true, reduction="mean"):
    """Error cuadrático: su promedio (`mean`) o su suma (`sum`)."""
    pairs = _pairs(y_pred, y_true, "mse_loss")
    return _reduce([(p - t) ** 2 for p, t in pairs], reduction, "mse_loss")


def _safe_log(p):
    # Como PyTorch, acotamos log(p) en -100: una predicción exactamente 0 o 1
    # da una pérdida grande y finita en lugar de un error.
    return p.log() if p.data > math.exp(-100) else Value(-100.0)


def binary_cross_entropy(y_pred, y_true, reduction="mean"):
    """Entropía cruzada binaria para probabilidades en [0, 1] (salidas de una sigmoide)."""
    pairs = _pairs(y_pred, y_true, "binary_cross_entropy")
    for p, _ in pairs:
        if not 0 <= p.data <= 1:          # también atrapa nan
            raise ValueError(f"binary_cross_entropy: las predicciones deben ser "
                             f"probabilidades entre 0 y 1 (por ejemplo, salidas de una "
                             f"sigmoide), pero llegó {p.data}")
    terms = [-(t * _safe_log(p) + (1 - t) * _safe_log(1 - p)) for p, t in pairs]
    return _reduce(terms, reduction, "binary_cross_entropy")
