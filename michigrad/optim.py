# Generado a partir de los capítulos del libro: 08-capas.md.
# No editar a mano: los cambios se hacen en los capítulos y se exportan
# con `make export` (o al construir el libro).
# huella: sha256:5b0ea9245aee66e810543fa76b0e95d17d29e7643e39a13b3affbffc1730d901

"""Optimizadores con las mismas reglas de actualización que `torch.optim`."""

import math
from michigrad.engine import Value


class Optimizer:
    """Lo común a los optimizadores: la lista de parámetros y `zero_grad`."""

    def __init__(self, params, lr):
        # Guardamos la lista: el optimizador actualiza estos objetos Value, siempre los mismos.
        self.params = list(params)
        if not self.params:
            raise ValueError(f"{type(self).__name__}: la lista de parámetros está vacía")
        for p in self.params:
            if not isinstance(p, Value):
                raise TypeError(f"{type(self).__name__}: los parámetros deben ser Value, "
                                f"llegó {p!r}")
        if not lr > 0:
            raise ValueError(f"{type(self).__name__}: la tasa de aprendizaje debe ser "
                             f"positiva, no {lr!r}")
        self.lr = lr

    def zero_grad(self):
        for p in self.params:
            p.grad = 0.0


class SGD(Optimizer):
    """Descenso por gradiente, con momento opcional (la regla de torch.optim.SGD)."""

    def __init__(self, params, lr, momentum=0.0):
        super().__init__(params, lr)
        self.momentum = momentum
        self.velocity = [None] * len(self.params)

    def step(self):
        for i, p in enumerate(self.params):
            g = p.grad
            if self.momentum:
                previous = self.velocity[i]
                g = g if previous is None else self.momentum * previous + g
                self.velocity[i] = g
            p.data -= self.lr * g


class Adam(Optimizer):
    """Adam (Kingma y Ba, 2015), con la misma aritmética que torch.optim.Adam."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        super().__init__(params, lr)
        self.beta1, self.beta2 = betas
        self.eps = eps
        self.t = 0
        self.m = [0.0] * len(self.params)
        self.v = [0.0] * len(self.params)

    def step(self):
        self.t += 1
        bias1 = 1 - self.beta1 ** self.t
        bias2_sqrt = math.sqrt(1 - self.beta2 ** self.t)
        for i, p in enumerate(self.params):
            g = p.grad
            self.m[i] += (g - self.m[i]) * (1 - self.beta1)
            self.v[i] = self.v[i] * self.beta2 + (1 - self.beta2) * g * g
            denom = math.sqrt(self.v[i]) / bias2_sqrt + self.eps
            p.data -= (self.lr / bias1) * self.m[i] / denom
