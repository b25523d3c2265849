"""Benchmark del motor: michigrad contra micrograd 0.1.0 (y dos referencias más).

    .venv/bin/python benchmarks/engine.py        (o `make bench`)

Mide, en una sola corrida para que los cocientes sean comparables en una máquina ruidosa:

1. Un paso de entrenamiento (forward, pérdida, zero_grad, backward, SGD) de un MLP
   2-16-16-1 sobre 100 puntos, con el recolector de basura de Python ENCENDIDO, en pasos
   consecutivos. Los motores se alternan por rondas y se informan medianas.
   - michigrad: derivadas locales guardadas como números, `__slots__`, orden iterativo.
   - micrograd 0.1.0: clausuras `_backward` que capturan `out` (un ciclo por nodo).
   - clausuras sin `out`: como micrograd, pero el gradiente llega como argumento.
   - NumPy vectorizado: la misma red con matrices y backward escrito a mano.
2. Memoria por nodo del grafo de un paso (forward + pérdida), con tracemalloc.
3. Grafos profundos: una cadena de 200 000 nodos en michigrad, y micrograd con 5 000.

Los tiempos son tiempo de CPU del proceso (`time.process_time`): así otros procesos de
la máquina molestan menos que con el reloj de pared. Termina con código 1 si no se
cumple alguna meta: michigrad ≥ 8 veces más rápido, ≥ 2 veces menos memoria por nodo y
la cadena de 200 000 nodos con el gradiente correcto.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

# El paquete vive en la raíz del repositorio y no hace falta instalarlo.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from micrograd.engine import Value as MicroValue  # noqa: E402
from micrograd.nn import MLP as MicroMLP  # noqa: E402

from michigrad.engine import Value  # noqa: E402
from michigrad.nn import MLP  # noqa: E402

SEED = 1337
N_POINTS = 100
SIZES = [16, 16, 1]
ALPHA = 1e-4            # regularización L2, como en la demo de micrograd

SPEED_TARGET = 8.0
MEMORY_TARGET = 2.0
DEEP_CHAIN = 200_000
MICRO_CHAIN = 5_000


# ---------------------------------------------------------------------------
# Datos: dos medias lunas entrelazadas, deterministas (sin sklearn)
# ---------------------------------------------------------------------------

def make_moons(n=N_POINTS, noise=0.1, seed=SEED):
    """Puntos (x, y) de dos lunas y etiquetas ±1, como listas de floats de Python."""
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % 2
    t = rng.uniform(0, np.pi, n)
    x = np.where(labels == 0, np.cos(t), 1 - np.cos(t))
    y = np.where(labels == 0, np.sin(t), 0.5 - np.sin(t))
    points = np.column_stack([x, y]) + rng.normal(0, noise, (n, 2))
    return points.tolist(), (2.0 * labels - 1.0).tolist()


X, Y = make_moons()


# ---------------------------------------------------------------------------
# Tercera variante: clausuras que no capturan `out`
# ---------------------------------------------------------------------------

class ArgClosureValue:
    """Igual que el Value de micrograd, salvo que `_backward` recibe el gradiente.

    Como la clausura ya no menciona a `out`, el nodo no se referencia a sí mismo y el
    grafo se libera por conteo de referencias, sin esperar al recolector cíclico.
    """

    def __init__(self, data, _children=(), _op=""):
        self.data = data
        self.grad = 0
        self._backward = _no_backward
        self._prev = set(_children)
        self._op = _op

    def __add__(self, other):
        other = other if isinstance(other, ArgClosureValue) else ArgClosureValue(other)
        out = ArgClosureValue(self.data + other.data, (self, other), "+")

        def _backward(out_grad):
            self.grad += out_grad
            other.grad += out_grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, ArgClosureValue) else ArgClosureValue(other)
        out = ArgClosureValue(self.data * other.data, (self, other), "*")

        def _backward(out_grad):
            self.grad += other.data * out_grad
            other.grad += self.data * out_grad
        out._backward = _backward
        return out

    def relu(self):
        out = ArgClosureValue(0 if self.data < 0 else self.data, (self,), "ReLU")

        def _backward(out_grad):
            self.grad += (out_data > 0) * out_grad
        out_data = out.data          # un float: no hace falta el nodo entero
        out._backward = _backward
        return out

    def backward(self):
        topo, visited = [], set()

        def build_topo(v):           # el mismo orden recursivo que micrograd
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build_topo(child)
                topo.append(v)
        build_topo(self)
        self.grad = 1
        for v in reversed(topo):
            v._backward(v.grad)

    def __neg__(self):
        return self * -1

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other


def _no_backward(out_grad):
    pass


class TinyMLP:
    """Un MLP con la estructura y los sorteos de micrograd, para cualquier clase Value."""

    def __init__(self, value_cls, nin, nouts):
        sizes = [nin] + nouts
        self.layers = []
        for i in range(len(nouts)):
            neurons = [([value_cls(random.uniform(-1, 1)) for _ in range(sizes[i])],
                        value_cls(0)) for _ in range(sizes[i + 1])]
            self.layers.append((neurons, i != len(nouts) - 1))

    def __call__(self, x):
        for neurons, nonlin in self.layers:
            out = []
            for w, b in neurons:
                act = sum((wi * xi for wi, xi in zip(w, x)), b)
                out.append(act.relu() if nonlin else act)
            x = out[0] if len(out) == 1 else out
        return x

    def parameters(self):
        return [p for neurons, _ in self.layers for w, b in neurons for p in w + [b]]

    def zero_grad(self):
        for p in self.parameters():
            p.grad = 0


# ---------------------------------------------------------------------------
# El paso de entrenamiento (la pérdida de la demo de micrograd)
# ---------------------------------------------------------------------------

def build_loss(model, value_cls):
    """Forward sobre todos los puntos: hinge promedio + regularización L2."""
    inputs = [[value_cls(a), value_cls(b)] for a, b in X]
    scores = [model(x) for x in inputs]
    losses = [(1 + -y * s).relu() for y, s in zip(Y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = ALPHA * sum(p * p for p in model.parameters())
    return data_loss + reg_loss


def train_step(model, value_cls, k):
    loss = build_loss(model, value_cls)
    model.zero_grad()
    loss.backward()
    lr = 1.0 - 0.9 * k / 100
    for p in model.parameters():
        p.data -= lr * p.grad
    return loss.data


ENGINES = {
    "michigrad": (lambda: MLP(2, SIZES), Value),
    "micrograd": (lambda: MicroMLP(2, SIZES), MicroValue),
    "clausuras sin out": (lambda: TinyMLP(ArgClosureValue, 2, SIZES), ArgClosureValue),
}


class GCMeter:
    """Suma el tiempo de CPU que Python pasa dentro del recolector (vía gc.callbacks)."""

    def __init__(self):
        self.seconds = 0.0

    def __call__(self, phase, info):
        if phase == "start":
            self._start = time.process_time()
        else:
            self.seconds += time.process_time() - self._start


def run_engine(name, steps):
    """`steps` pasos consecutivos con un modelo nuevo; devuelve (tiempos, tiempos en gc, pérdidas)."""
    make_model, value_cls = ENGINES[name]
    random.seed(SEED)
    model = make_model()
    gc.collect()                     # cada corrida empieza sin la basura de la anterior
    times, gc_times, losses = [], [], []
    for k in range(steps):
        meter = GCMeter()
        gc.callbacks.append(meter)
        start = time.process_time()
        loss = train_step(model, value_cls, k)
        times.append(time.process_time() - start)
        gc.callbacks.remove(meter)
        gc_times.append(meter.seconds)
        losses.append(loss)
    del model
    gc.collect()
    return times, gc_times, losses


# ---------------------------------------------------------------------------
# La misma red, vectorizada con NumPy (forward y backward a mano)
# ---------------------------------------------------------------------------

def numpy_params():
    """Los pesos iniciales de michigrad (mismo sorteo), como matrices (salida × entrada)."""
    random.seed(SEED)
    model = MLP(2, SIZES)
    params = []
    for layer in model.layers:
        W = np.array([[w.data for w in n.w] for n in layer.neurons], dtype=float)
        b = np.array([n.b.data for n in layer.neurons], dtype=float)
        params += [W, b]
    return params


def numpy_step(params, Xa, Ya, k):
    W1, b1, W2, b2, W3, b3 = params
    n = len(Ya)
    Z1 = Xa @ W1.T + b1
    H1 = np.maximum(Z1, 0.0)
    Z2 = H1 @ W2.T + b2
    H2 = np.maximum(Z2, 0.0)
    s = (H2 @ W3.T + b3)[:, 0]
    margin = 1.0 - Ya * s
    loss = np.maximum(margin, 0.0).mean() + ALPHA * sum((p * p).sum() for p in params)
    # backward: la regla de la cadena capa por capa, en forma matricial
    ds = np.where(margin > 0, -Ya, 0.0) / n
    dW3 = ds[None, :] @ H2
    db3 = np.array([ds.sum()])
    dZ2 = (ds[:, None] * W3) * (Z2 > 0)
    dW2 = dZ2.T @ H1
    db2 = dZ2.sum(axis=0)
    dZ1 = (dZ2 @ W2) * (Z1 > 0)
    dW1 = dZ1.T @ Xa
    db1 = dZ1.sum(axis=0)
    lr = 1.0 - 0.9 * k / 100
    for p, g in zip(params, (dW1, db1, dW2, db2, dW3, db3)):
        p -= lr * (g + 2 * ALPHA * p)
    return float(loss)


def run_numpy(steps, repeats=50):
    """`repeats` corridas de `steps` pasos, cada una desde los pesos iniciales."""
    Xa, Ya = np.array(X), np.array(Y)
    times = []
    for _ in range(repeats):
        params = numpy_params()
        losses = []
        for k in range(steps):
            start = time.perf_counter()      # un paso dura microsegundos: reloj fino
            losses.append(numpy_step(params, Xa, Ya, k))
            times.append(time.perf_counter() - start)
    return times, losses


# ---------------------------------------------------------------------------
# Memoria por nodo
# ---------------------------------------------------------------------------

def graph_nodes(root):
    """Todos los nodos alcanzables desde `root` (recorrido iterativo, sirve para ambos)."""
    seen, stack = {id(root): root}, [root]
    while stack:
        for child in stack.pop()._prev:
            if id(child) not in seen:
                seen[id(child)] = child
                stack.append(child)
    return len(seen)


def memory_per_node(name):
    """Bytes vivos por nodo nuevo tras construir el grafo de un paso (forward + pérdida)."""
    make_model, value_cls = ENGINES[name]
    random.seed(SEED)
    model = make_model()
    n_params = len(model.parameters())
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    loss = build_loss(model, value_cls)
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    new_nodes = graph_nodes(loss) - n_params     # los parámetros ya existían antes
    del loss
    # Objetos rastreados por el recolector por nodo: deciden cada cuánto se dispara.
    random.seed(SEED)
    model = make_model()
    gc.collect()                                 # pone en cero el contador de la gen. 0
    gc.disable()
    try:
        loss = build_loss(model, value_cls)
        tracked = gc.get_count()[0] / new_nodes
    finally:
        gc.enable()
    del loss
    gc.collect()
    return new_nodes, (after - before) / new_nodes, tracked


# ---------------------------------------------------------------------------
# Grafos profundos
# ---------------------------------------------------------------------------

def deep_chain_michigrad(n=DEEP_CHAIN):
    start = time.process_time()
    x = Value(1.0)
    total = x
    for _ in range(n):
        total = total + x
    total.backward()
    elapsed = time.process_time() - start
    return x.grad, elapsed


def deep_chain_micrograd(n=MICRO_CHAIN):
    x = MicroValue(1.0)
    total = x
    for _ in range(n):
        total = total + x
    try:
        total.backward()
    except RecursionError as err:
        return f"RecursionError ({err})"
    return f"sin error: x.grad = {x.grad}"


# ---------------------------------------------------------------------------
# Informe
# ---------------------------------------------------------------------------

def growth(per_step):
    """Primer paso, mediana de los demás, últimos 3 y pendiente (en s/paso)."""
    first = per_step[0]
    rest = statistics.median(per_step[1:])
    last = statistics.mean(per_step[-3:])
    slope = np.polyfit(np.arange(len(per_step)), per_step, 1)[0]
    return first, rest, last, slope


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10, help="pasos consecutivos por corrida")
    parser.add_argument("--rounds", type=int, default=2, help="rondas alternando los motores")
    args = parser.parse_args()
    wall = time.perf_counter()
    assert gc.isenabled(), "el benchmark mide con el recolector encendido"

    print(f"MLP 2-16-16-1 ({len(MLP(2, SIZES).parameters())} parámetros), {N_POINTS} puntos, "
          f"{args.steps} pasos consecutivos x {args.rounds} rondas, GC encendido")
    print(f"Python {sys.version.split()[0]}, umbrales del GC {gc.get_threshold()}\n")

    # 1. Tiempo por paso: las rondas alternan el orden de los motores
    names = list(ENGINES)
    runs = {name: [] for name in names}
    gc_runs = {name: [] for name in names}
    losses = {}
    for r in range(args.rounds):
        for name in (names if r % 2 == 0 else names[::-1]):
            times, gc_times, losses[name] = run_engine(name, args.steps)
            runs[name].append(times)
            gc_runs[name].append(gc_times)
            print(f"  ronda {r + 1}  {name:<18} " + " ".join(f"{t:.2f}" for t in times))
    np_times, losses["numpy"] = run_numpy(args.steps)

    # Todos calculan lo mismo: la misma pérdida en cada paso
    for name, trajectory in losses.items():
        diff = max(abs(a - b) for a, b in zip(trajectory, losses["michigrad"]))
        assert diff < 1e-9, f"{name} no calcula lo mismo que michigrad (diferencia {diff:.2e})"

    print("\nTiempo por paso (mediana de todos los pasos; CPU del proceso)")
    medians = {}
    for name in names:
        all_steps = [t for run in runs[name] for t in run]
        medians[name] = statistics.median(all_steps)
    medians["NumPy vectorizado"] = statistics.median(np_times)
    for name, med in medians.items():
        share = ""
        if name in gc_runs:
            in_gc = sum(t for run in gc_runs[name] for t in run)
            share = f"   {in_gc / sum(t for run in runs[name] for t in run):4.0%} en el recolector"
        print(f"  {name:<18} {med * 1000:10.2f} ms   "
              f"({med / medians['michigrad']:9.3g} x michigrad){share}")
    speedup = medians["micrograd"] / medians["michigrad"]

    print("\n¿Crece el tiempo paso a paso? (mediana por paso entre rondas)")
    for name in names:
        per_step = [statistics.median(col) for col in zip(*runs[name])]
        first, rest, last, slope = growth(per_step)
        print(f"  {name:<18} paso 1: {first * 1000:7.1f} ms   pasos 2+: {rest * 1000:7.1f} ms "
              f"({rest / first:4.2f} x)   últimos 3: {last * 1000:7.1f} ms   "
              f"pendiente {slope * 1000:+6.1f} ms/paso")

    # 2. Memoria por nodo
    print("\nMemoria por nodo (grafo de un paso: forward + pérdida, tracemalloc)")
    memory = {}
    for name in names:
        nodes, per_node, tracked = memory_per_node(name)
        memory[name] = per_node
        print(f"  {name:<18} {nodes:7d} nodos   {per_node:6.1f} bytes/nodo   "
              f"{tracked:4.1f} objetos rastreados por el gc/nodo")
    memory_ratio = memory["micrograd"] / memory["michigrad"]

    # 3. Grafos profundos
    print("\nGrafos profundos")
    grad, elapsed = deep_chain_michigrad()
    deep_ok = grad == DEEP_CHAIN + 1
    print(f"  michigrad, cadena de {DEEP_CHAIN} sumas: x.grad = {grad} "
          f"(esperado {DEEP_CHAIN + 1}) en {elapsed:.2f} s")
    print(f"  micrograd, cadena de {MICRO_CHAIN} sumas: {deep_chain_micrograd()}")

    # Metas
    print("\nMetas")
    checks = [
        (speedup >= SPEED_TARGET,
         f"velocidad: michigrad {speedup:.1f} x más rápido que micrograd (meta ≥ {SPEED_TARGET:g} x)"),
        (memory_ratio >= MEMORY_TARGET,
         f"memoria: {memory_ratio:.1f} x menos bytes por nodo (meta ≥ {MEMORY_TARGET:g} x)"),
        (deep_ok, f"cadena profunda: {DEEP_CHAIN} nodos con el gradiente correcto"),
    ]
    for ok, text in checks:
        print(f"  [{'ok' if ok else 'FALLA'}] {text}")
    print(f"\nTiempo total del benchmark: {time.perf_counter() - wall:.1f} s")
    return 0 if all(ok for ok, _ in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
