"""Benchmark del motor: michigrad contra micrograd 0.1.0 (y otras variantes de referencia).

    .venv/bin/python benchmarks/engine.py        (o `make bench`)

Escribe `benchmarks/resultados.json`, el archivo que lee el capítulo 13: el libro no mide
tiempos al construirse, publica los de este archivo, que se commitea. Mide, en una sola
corrida para que los cocientes sean comparables en una máquina ruidosa:

1. Pasos de entrenamiento consecutivos (forward, pérdida, zero_grad, backward, SGD) de un
   MLP 2-16-16-1 sobre 100 puntos, con el recolector de basura de Python encendido y
   apagado; cada corrida empieza sin basura. Las configuraciones se alternan por rondas.
   - michigrad: derivadas locales guardadas como números, `__slots__`, orden iterativo.
   - micrograd 0.1.0: clausuras `_backward` que capturan `out` (un ciclo por nodo).
   - clausuras sin out: como micrograd, pero el gradiente llega como argumento (sin ciclos).
   - michigrad sin `__slots__`, y michigrad y micrograd con `gc.freeze()` o con el primer
     umbral del recolector en 100 000 (los ejercicios del capítulo).
   - NumPy vectorizado: la misma red con matrices y backward escrito a mano.
   En cada paso anota el tiempo, el tiempo dentro del recolector (`gc.callbacks`), cuántas
   recolecciones hubo de cada generación y cuántos objetos liberaron.
2. Memoria y objetos por nodo del grafo de un paso (forward + pérdida): bytes con
   tracemalloc, objetos rastreados por el recolector (y de qué tipo), bloques de memoria.
3. Un perfil con cProfile de un paso de michigrad y de micrograd.
4. Grafos profundos: una cadena de 200 000 nodos en michigrad, y micrograd con 5 000.

Reloj: todos los tiempos son tiempo de CPU del proceso (`time.process_time`): los pasos,
el recolector y las mediciones con timeit. Otros procesos de la máquina lo afectan menos
que al reloj de pared. Termina con código 1 si no se cumple alguna meta: michigrad ≥ 10
veces más rápido que micrograd, ≥ 4 veces menos memoria por nodo, y la cadena de 200 000
nodos con el gradiente correcto.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime
import gc
import hashlib
import importlib.metadata
import inspect
import json
import os
import platform
import pstats
import random
import re
import statistics
import subprocess
import sys
import time
import timeit
import tracemalloc
from collections import Counter
from pathlib import Path

import numpy as np

# El paquete vive en la raíz del repositorio y no hace falta instalarlo.
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import micrograd.nn  # noqa: E402
from micrograd.engine import Value as MicroValue  # noqa: E402
from micrograd.nn import MLP as MicroMLP  # noqa: E402

import michigrad.engine  # noqa: E402
import michigrad.nn  # noqa: E402
from michigrad.engine import Value  # noqa: E402
from michigrad.nn import MLP  # noqa: E402

RESULTS = Path(__file__).resolve().with_name("resultados.json")
SEED = 1337
N_POINTS = 100
SIZES = [16, 16, 1]
ALPHA = 1e-4            # regularización L2, como en la demo de micrograd

SPEED_TARGET = 10.0
MEMORY_TARGET = 4.0
DEEP_CHAIN = 200_000
MICRO_CHAIN = 5_000
BIG_THRESHOLD = 100_000


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
# Variante: clausuras que no capturan `out`
# ---------------------------------------------------------------------------

class ArgClosureValue:
    """Igual que el Value de micrograd, salvo que `_backward` recibe el gradiente.

    Como la clausura ya no menciona a `out`, el nodo no se referencia a sí mismo, y el
    orden recursivo no es una función anidada (ver `_build_topo`): el grafo se libera por
    conteo de referencias, sin esperar al recolector cíclico. Todo lo demás (un `set` por
    nodo, una función y sus celdas, la recursión) es como en micrograd: lo único que
    cambia son los ciclos.
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
        positive = out.data > 0          # un bool: la clausura no necesita el nodo

        def _backward(out_grad):
            self.grad += positive * out_grad
        out._backward = _backward
        return out

    def backward(self):
        topo = []
        _build_topo(self, set(), topo)
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


def _build_topo(v, visited, topo):
    """El mismo orden recursivo que micrograd, pero fuera de `backward`.

    En micrograd, `build_topo` es una función anidada que se llama a sí misma: la función
    guarda una celda que apunta a la propia función, y ese ciclo mantiene vivas también
    las celdas de `topo` y `visited`, es decir, todo el grafo, hasta que pasa el recolector.
    Aquí recibe todo como argumento y no forma ningún ciclo.
    """
    if v not in visited:
        visited.add(v)
        for child in v._prev:
            _build_topo(child, visited, topo)
        topo.append(v)


def arg_closure_model():
    """Un MLP de micrograd (mismos sorteos, mismos pesos) hecho con ArgClosureValue."""
    original = micrograd.nn.Value
    micrograd.nn.Value = ArgClosureValue     # micrograd.nn busca `Value` en su módulo
    try:
        return MicroMLP(2, SIZES)
    finally:
        micrograd.nn.Value = original


# ---------------------------------------------------------------------------
# Variante: michigrad sin __slots__ (el mismo código fuente, sin esa línea)
# ---------------------------------------------------------------------------

def _dict_value_class():
    source = inspect.getsource(michigrad.engine)
    if "__slots__ = " not in source:
        raise RuntimeError("michigrad.engine ya no declara __slots__ como se esperaba")
    namespace = {"__name__": "engine_sin_slots"}
    exec(source.replace("__slots__ = ", "_unused_slots = ", 1), namespace)
    cls = namespace["Value"]
    if not hasattr(cls(1.0), "__dict__"):
        raise RuntimeError("la copia de Value sin __slots__ no tiene __dict__")
    return cls


DictValue = _dict_value_class()


@contextlib.contextmanager
def nn_value_class(cls):
    """Hace que michigrad.nn cree y combine `cls` en lugar de Value mientras dura."""
    original = michigrad.nn.Value
    michigrad.nn.Value = cls
    try:
        yield
    finally:
        michigrad.nn.Value = original


# ---------------------------------------------------------------------------
# El paso de entrenamiento (la pérdida de la demo de micrograd)
# ---------------------------------------------------------------------------

def build_loss(model, value_cls, X=X, Y=Y):
    """Forward sobre todos los puntos: hinge promedio + regularización L2."""
    inputs = [[value_cls(a), value_cls(b)] for a, b in X]
    scores = [model(x) for x in inputs]
    losses = [(1 + -y * s).relu() for y, s in zip(Y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = ALPHA * sum(p * p for p in model.parameters())
    return data_loss + reg_loss


def train_step(model, value_cls, k, X=X, Y=Y):
    """Un paso completo: forward, pérdida, zero_grad, backward y actualización."""
    loss = build_loss(model, value_cls, X, Y)
    model.zero_grad()
    loss.backward()
    learning_rate = 1.0 - 0.9 * k / 100
    for p in model.parameters():
        p.data -= learning_rate * p.grad
    return loss.data


# Cada motor: cómo crear el modelo (con la semilla ya puesta), su clase Value y el
# contexto en el que corre.
ENGINES = {
    "michigrad": (lambda: MLP(2, SIZES), Value, contextlib.nullcontext),
    "micrograd": (lambda: MicroMLP(2, SIZES), MicroValue, contextlib.nullcontext),
    "clausuras sin out": (arg_closure_model, ArgClosureValue, contextlib.nullcontext),
    "michigrad sin __slots__": (lambda: MLP(2, SIZES), DictValue,
                                lambda: nn_value_class(DictValue)),
}


def new_model(engine):
    make_model, value_cls, context = ENGINES[engine]
    random.seed(SEED)
    with context():
        return make_model(), value_cls


# ---------------------------------------------------------------------------
# El recolector: cuánto trabaja y cómo se lo configura
# ---------------------------------------------------------------------------

class GCMeter:
    """Cuenta las recolecciones de cada generación, los objetos que liberan y el tiempo
    de CPU que Python pasa dentro del recolector (con `gc.callbacks`)."""

    def __init__(self):
        self.seconds, self.collected = 0.0, 0
        self.collections = [0, 0, 0]             # por generación
        self.seconds_by_generation = [0.0, 0.0, 0.0]

    def __call__(self, phase, info):
        if phase == "start":
            self._start = time.process_time()
        else:
            elapsed = time.process_time() - self._start
            self.seconds += elapsed
            self.seconds_by_generation[info["generation"]] += elapsed
            self.collections[info["generation"]] += 1
            self.collected += info["collected"]

    def __enter__(self):
        gc.callbacks.append(self)
        return self

    def __exit__(self, *exc):
        gc.callbacks.remove(self)


def _gc_off():
    gc.disable()
    return gc.enable


def _gc_freeze():
    gc.freeze()          # los objetos vivos pasan a una generación que no se recorre
    return gc.unfreeze


def _gc_big_threshold():
    default = gc.get_threshold()
    gc.set_threshold(BIG_THRESHOLD, *default[1:])
    return lambda: gc.set_threshold(*default)


# Cada modo: una función que prepara el recolector y devuelve cómo restaurarlo.
GC_MODES = {
    "encendido": lambda: (lambda: None),
    "apagado": _gc_off,
    "gc.freeze()": _gc_freeze,
    f"umbral {BIG_THRESHOLD}": _gc_big_threshold,
}


def run_steps(engine, gc_mode, steps):
    """`steps` pasos consecutivos con un modelo nuevo; una fila por paso."""
    model, value_cls = new_model(engine)
    _, _, context = ENGINES[engine]
    gc.collect()                     # cada corrida empieza sin la basura de la anterior
    restore = GC_MODES[gc_mode]()
    rows = []
    try:
        with context():
            for k in range(steps):
                with GCMeter() as meter:
                    start = time.process_time()
                    loss = train_step(model, value_cls, k)
                    elapsed = time.process_time() - start
                rows.append({"time": elapsed, "gc_time": meter.seconds,
                             "collections": list(meter.collections),
                             "gc_time_by_generation": list(meter.seconds_by_generation),
                             "collected": meter.collected,
                             # objetos rastreados creados y no liberados desde la última
                             # recolección: con el recolector apagado, la basura acumulada
                             "pending": gc.get_count()[0],
                             "loss": loss})
    finally:
        restore()
        del model
        gc.collect()
    return rows


# ---------------------------------------------------------------------------
# La misma red, vectorizada con NumPy (forward y backward a mano)
# ---------------------------------------------------------------------------

def numpy_params():
    """Los pesos iniciales de michigrad (mismo sorteo), como matrices (salida × entrada)."""
    model, _ = new_model("michigrad")
    params = []
    for layer in model.layers:
        params.append(np.array([[w.data for w in n.w] for n in layer.neurons], dtype=float))
        params.append(np.array([n.b.data for n in layer.neurons], dtype=float))
    return params


def numpy_step(params, Xa, Ya, k, alpha=ALPHA):
    """El mismo paso de entrenamiento, con matrices y backward a mano."""
    W1, b1, W2, b2, W3, b3 = params
    Z1 = Xa @ W1.T + b1
    H1 = np.maximum(Z1, 0.0)
    Z2 = H1 @ W2.T + b2
    H2 = np.maximum(Z2, 0.0)
    s = (H2 @ W3.T + b3)[:, 0]
    margin = 1.0 - Ya * s
    loss = np.maximum(margin, 0.0).mean() + alpha * sum((p * p).sum() for p in params)
    ds = np.where(margin > 0, -Ya, 0.0) / len(Ya)     # ∂pérdida/∂s
    dZ2 = (ds[:, None] * W3) * (Z2 > 0)               # relu: pasa el gradiente donde z > 0
    dZ1 = (dZ2 @ W2) * (Z1 > 0)
    grads = [dZ1.T @ Xa, dZ1.sum(axis=0), dZ2.T @ H1, dZ2.sum(axis=0),
             ds[None, :] @ H2, np.array([ds.sum()])]
    learning_rate = 1.0 - 0.9 * k / 100
    for p, g in zip(params, grads):
        p -= learning_rate * (g + 2 * alpha * p)      # + la derivada de la regularización
    return float(loss)


def run_numpy(steps, repeats=200):
    """Tiempo por paso: `repeats` corridas de `steps` pasos, cada una desde el principio.
    Un paso dura microsegundos, así que cronometramos la corrida entera y dividimos."""
    Xa, Ya = np.array(X), np.array(Y)
    per_step, losses = [], []
    for _ in range(repeats):
        params = numpy_params()
        start = time.process_time()
        losses = [numpy_step(params, Xa, Ya, k) for k in range(steps)]
        per_step.append((time.process_time() - start) / steps)
    return per_step, losses


# ---------------------------------------------------------------------------
# Una operación suelta
# ---------------------------------------------------------------------------

def op_nanoseconds(number=100_000, repeat=5):
    """Nanosegundos de CPU por operación, con timeit (el mínimo de `repeat` tandas).
    timeit apaga el recolector mientras mide; recolectamos entre tandas."""
    cases = {
        "float * float": ("x * y", {"x": 2.0, "y": 3.0}),
        "michigrad: Value * Value": ("a * b", {"a": Value(2.0), "b": Value(3.0)}),
        "micrograd: Value * Value": ("a * b", {"a": MicroValue(2.0), "b": MicroValue(3.0)}),
    }
    result = {}
    for name, (stmt, namespace) in cases.items():
        timer = timeit.Timer(stmt, globals=namespace, timer=time.process_time)
        best = []
        for _ in range(repeat):
            best.append(timer.timeit(number))
            gc.collect()             # la basura cíclica de micrograd, fuera de la medición
        result[name] = 1e9 * min(best) / number
    return result


# ---------------------------------------------------------------------------
# El grafo, la memoria y los objetos por nodo
# ---------------------------------------------------------------------------

def graph_nodes(root):
    """Todos los nodos alcanzables desde `root` (recorrido iterativo, sirve para todos)."""
    seen, stack = {id(root): root}, [root]
    while stack:
        for child in stack.pop()._prev:
            if id(child) not in seen:
                seen[id(child)] = child
                stack.append(child)
    return list(seen.values())


def graph_depth(root):
    """Longitud del camino más largo desde `root` hasta una hoja (sin recursión)."""
    level = {}
    for node in root._topological_order():
        level[node] = 1 + max((level[child] for child in node._prev), default=0)
    return level[root]


def graph_stats():
    model, _ = new_model("michigrad")
    loss = build_loss(model, Value)
    nodes = graph_nodes(loss)
    by_op = Counter(node._op or "hoja" for node in nodes)
    return {"nodes": len(nodes), "parameters": len(model.parameters()),
            "new_nodes": len(nodes) - len(model.parameters()),
            "by_op": dict(sorted(by_op.items())), "depth": graph_depth(loss)}


def memory_per_node(engine):
    """Lo que deja vivo el grafo de un paso (forward + pérdida), por nodo nuevo."""
    _, _, context = ENGINES[engine]
    with context():
        # Bytes, con tracemalloc (registra cada pedido de memoria del intérprete).
        model, value_cls = new_model(engine)
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        loss = build_loss(model, value_cls)
        after = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        new_nodes = len(graph_nodes(loss)) - len(model.parameters())
        del loss, model
        # Objetos rastreados por el recolector (con el recolector apagado, gc.get_count()
        # cuenta los creados menos los liberados), de qué tipo son, y bloques de memoria.
        model, value_cls = new_model(engine)
        gc.collect()                     # pone en cero el contador de la generación 0
        old = gc.get_objects()           # se mantienen vivos: sus id no se reutilizan
        old_ids = {id(obj) for obj in old}
        gc.collect()
        gc.disable()
        try:
            blocks_before = sys.getallocatedblocks()
            loss = build_loss(model, value_cls)
            blocks = sys.getallocatedblocks() - blocks_before
            tracked = gc.get_count()[0]
        finally:
            gc.enable()
        by_type = Counter(type(obj).__name__ for obj in gc.get_objects()
                          if id(obj) not in old_ids)
        del loss, model, old, old_ids
        gc.collect()
    return {"new_nodes": new_nodes,
            "bytes_per_node": (after - before) / new_nodes,
            "tracked_per_node": tracked / new_nodes,
            "blocks_per_node": blocks / new_nodes,
            "tracked_by_type_per_node": {name: count / new_nodes
                                         for name, count in sorted(by_type.items())}}


def node_pieces():
    """sys.getsizeof de cada pieza de un nodo `c = a * b` (sin contar lo compartido)."""
    c = Value(2.0) * Value(3.0)
    michi = {"Value": sys.getsizeof(c), "data (float)": sys.getsizeof(c.data)}
    m = MicroValue(2.0) * MicroValue(3.0)
    closure = m._backward.__closure__
    # No pedimos m.__dict__: en Python 3.11 ese diccionario no existe hasta que alguien lo
    # pide (los atributos viven en un arreglo aparte, que sys.getsizeof no cuenta).
    micro = {"Value": sys.getsizeof(m), "_prev (set)": sys.getsizeof(m._prev),
             "_backward (función)": sys.getsizeof(m._backward),
             "tupla de la clausura": sys.getsizeof(closure),
             "data (float)": sys.getsizeof(m.data)}
    for name, cell in zip(m._backward.__code__.co_freevars, closure):
        micro[f"celda de '{name}'"] = sys.getsizeof(cell)
    return {"michigrad": michi, "micrograd": micro}


def cyclic_garbage(engine):
    """Objetos que solo el recolector cíclico pudo liberar tras soltar el grafo de un paso."""
    model, value_cls = new_model(engine)
    gc.collect()
    gc.disable()
    try:
        loss = build_loss(model, value_cls)
        loss.backward()
        del loss
        return gc.collect()
    finally:
        gc.enable()


# ---------------------------------------------------------------------------
# Perfil de un paso
# ---------------------------------------------------------------------------

def _where(file, line, func):
    """Un nombre corto y estable para una fila del perfil."""
    if not line and file == "~":                     # funciones de C: {built-in ...},
        return re.sub(r" at 0x[0-9a-f]+", "", func)  # sin direcciones de memoria
    path = Path(file)
    return f"{path.parent.name}/{path.name}:{line}({func})"


def profile_step(engine, gc_enabled=True, min_calls=100):
    """Perfila el segundo paso de un entrenamiento (el primero calienta)."""
    model, value_cls = new_model(engine)
    train_step(model, value_cls, 0)
    gc.collect()
    if not gc_enabled:
        gc.disable()
    try:
        profiler = cProfile.Profile()
        profiler.enable()
        train_step(model, value_cls, 1)
        profiler.disable()
    finally:
        gc.enable()
        gc.collect()
    stats = pstats.Stats(profiler)
    rows = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)
    return {
        "total_calls": stats.total_calls,
        "primitive_calls": stats.prim_calls,
        "total_seconds": stats.total_tt,
        # ncalls: llamadas en total; primitive: sin contar las recursivas. Guardamos las
        # funciones llamadas al menos `min_calls` veces o que se llevan más del 1 %.
        "rows": [{"function": _where(*key), "ncalls": nc, "primitive": cc,
                  "tottime": tt, "cumtime": ct}
                 for key, (cc, nc, tt, ct, _) in rows
                 if nc >= min_calls or tt >= 0.01 * stats.total_tt],
    }


# ---------------------------------------------------------------------------
# Grafos profundos
# ---------------------------------------------------------------------------

def deep_chains():
    start = time.process_time()
    x = Value(1.0)
    total = x
    for _ in range(DEEP_CHAIN):
        total = total + x
    total.backward()
    elapsed = time.process_time() - start
    michi = {"nodes": DEEP_CHAIN + 1, "grad": x.grad, "expected": DEEP_CHAIN + 1,
             "seconds": elapsed}
    del total, x
    x = MicroValue(1.0)
    total = x
    for _ in range(MICRO_CHAIN):
        total = total + x
    try:
        total.backward()
        micro = {"nodes": MICRO_CHAIN + 1, "recursion_error": False, "message": ""}
    except RecursionError as err:
        micro = {"nodes": MICRO_CHAIN + 1, "recursion_error": True, "message": str(err)}
    del total, x
    gc.collect()
    return {"michigrad": michi, "micrograd": micro,
            "recursion_limit": sys.getrecursionlimit()}


# ---------------------------------------------------------------------------
# Resumen de las corridas
# ---------------------------------------------------------------------------

def summarize(rounds):
    """Medianas por paso entre rondas y los números que discute el capítulo."""
    times = [[row["time"] for row in run] for run in rounds]
    gc_times = [[row["gc_time"] for row in run] for run in rounds]
    all_times = [t for run in times for t in run]
    later = [t for run in times for t in run[1:]]
    per_step = [statistics.median(col) for col in zip(*times)]
    per_step_gc = [statistics.median(col) for col in zip(*gc_times)]
    collections = [[statistics.median(row["collections"][g] for row in run) for g in range(3)]
                   for run in rounds]
    return {
        "median": statistics.median(all_times),
        "median_first": statistics.median(run[0] for run in times),
        "median_later": statistics.median(later) if later else None,
        "median_gc": statistics.median(t for run in gc_times for t in run),
        "median_gc_first": statistics.median(run[0] for run in gc_times),
        "median_gc_later": (statistics.median(t for run in gc_times for t in run[1:])
                            if later else None),
        "gc_share": sum(map(sum, gc_times)) / sum(map(sum, times)),
        "per_step": per_step,
        "per_step_gc": per_step_gc,
        "per_step_min": [min(col) for col in zip(*times)],
        "per_step_max": [max(col) for col in zip(*times)],
        # recolecciones por paso de cada generación: mediana entre pasos y rondas
        "collections_per_step": [statistics.median(run[g] for run in collections)
                                 for g in range(3)],
        "gc_time_by_generation_per_step": [
            statistics.median(row["gc_time_by_generation"][g] for run in rounds for row in run)
            for g in range(3)],
        "collected_per_step": [rounds[0][k]["collected"] for k in range(len(rounds[0]))],
        "pending_per_step": [rounds[0][k]["pending"] for k in range(len(rounds[0]))],
        "losses": [row["loss"] for row in rounds[0]],
        "rounds_time": times,            # los tiempos crudos: una lista por ronda
    }


def _round(value, digits=7):
    """Redondea los floats para que el archivo se lea; las pérdidas quedan completas,
    porque el capítulo las compara con las que calcula."""
    if isinstance(value, float):
        return round(value, digits)
    if isinstance(value, dict):
        return {k: v if k == "losses" else _round(v, digits) for k, v in value.items()}
    if isinstance(value, list):
        return [_round(v, digits) for v in value]
    return value


def machine_info():
    cpu = "desconocido"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {"cpu": cpu or platform.processor(), "cores": os.cpu_count(),
            "system": platform.platform(), "machine": platform.machine()}


def library_versions():
    versions = {}
    for name in ("micrograd", "numpy"):
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "?"
    return versions


def michigrad_fingerprint():
    """sha256 del código de michigrad medido (para saber si el archivo quedó viejo)."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "michigrad").glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def git_commit():
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "michigrad"], cwd=ROOT,
                               check=True, capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return out + (" (michigrad/ con cambios sin commit)" if dirty else "")


# ---------------------------------------------------------------------------
# Programa
# ---------------------------------------------------------------------------

MAIN_CONFIGS = [(engine, mode) for mode in ("encendido", "apagado")
                for engine in ("michigrad", "micrograd", "clausuras sin out")]
EXTRA_CONFIGS = [("michigrad sin __slots__", "encendido"),
                 ("michigrad", "gc.freeze()"), ("micrograd", "gc.freeze()"),
                 ("michigrad", f"umbral {BIG_THRESHOLD}"),
                 ("micrograd", f"umbral {BIG_THRESHOLD}")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10,
                        help="pasos consecutivos por corrida (configuraciones principales)")
    parser.add_argument("--extra-steps", type=int, default=4,
                        help="pasos por corrida de las variantes de los ejercicios")
    parser.add_argument("--rounds", type=int, default=3, help="rondas alternando el orden")
    parser.add_argument("--output", type=Path, default=RESULTS,
                        help=f"archivo de resultados (por omisión {RESULTS.relative_to(ROOT)})")
    parser.add_argument("--no-write", action="store_true", help="no escribir resultados")
    args = parser.parse_args()
    wall = time.perf_counter()
    assert gc.isenabled(), "el benchmark mide con el recolector encendido"
    gc.collect()
    load_before = os.getloadavg()
    tracked_at_start = len(gc.get_objects())

    results = {
        "meta": {
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "command": "make bench  (" + " ".join([Path(sys.executable).name,
                                                   "benchmarks/engine.py", *sys.argv[1:]]) + ")",
            "machine": machine_info(),
            "python": {"version": platform.python_version(),
                       "implementation": platform.python_implementation()},
            "libraries": library_versions(),
            "michigrad_sha256": michigrad_fingerprint(),
            "git_commit": git_commit(),
            "timers": {
                "steps": "time.process_time (CPU del proceso)",
                "collector": "time.process_time en gc.callbacks (inicio y fin de cada recolección)",
                "operations": "timeit con timer=time.process_time (timeit apaga el recolector)",
                "numpy": "time.process_time de una corrida entera, dividido por los pasos",
                "resolution_seconds": time.get_clock_info("process_time").resolution,
            },
            "gc": {"threshold": list(gc.get_threshold()),
                   "tracked_objects_at_start": tracked_at_start},
            "load_average_before": [round(x, 2) for x in load_before],
        },
        "setup": {"seed": SEED, "points": N_POINTS, "sizes": [2] + SIZES, "alpha": ALPHA,
                  "steps": args.steps, "extra_steps": args.extra_steps, "rounds": args.rounds,
                  "big_threshold": BIG_THRESHOLD},
    }
    print(f"MLP 2-16-16-1, {N_POINTS} puntos, {args.steps} pasos consecutivos x "
          f"{args.rounds} rondas; Python {platform.python_version()}, umbrales del GC "
          f"{gc.get_threshold()}, {tracked_at_start} objetos rastreados al empezar\n")

    # 1. Pasos consecutivos: las rondas alternan el orden de las configuraciones
    configs = MAIN_CONFIGS + EXTRA_CONFIGS
    raw = {config: [] for config in configs}
    for r in range(args.rounds):
        for engine, mode in (configs if r % 2 == 0 else configs[::-1]):
            steps = args.steps if (engine, mode) in MAIN_CONFIGS else args.extra_steps
            rows = run_steps(engine, mode, steps)
            raw[engine, mode].append(rows)
            print(f"  ronda {r + 1}  {engine:<24}{mode:<16}"
                  + " ".join(f"{row['time']:.3f}" for row in rows))
    steps_summary = {}
    for (engine, mode), rounds in raw.items():
        steps_summary.setdefault(engine, {})[mode] = summarize(rounds)
    reference = steps_summary["michigrad"]["encendido"]["losses"]
    for engine, modes in steps_summary.items():
        for mode, summary in modes.items():
            for rounds in [raw[engine, mode]]:
                for run in rounds:
                    diff = max(abs(row["loss"] - ref) for row, ref in zip(run, reference))
                    assert diff < 1e-9, f"{engine} ({mode}) no calcula lo mismo que michigrad"
    results["steps"] = steps_summary
    np_times, np_losses = run_numpy(args.steps)
    np_diff = max(abs(a - b) for a, b in zip(np_losses, reference))
    assert np_diff < 1e-9, f"NumPy no calcula lo mismo que michigrad ({np_diff:.2e})"
    results["numpy"] = {"median": statistics.median(np_times), "runs": len(np_times),
                        "steps_per_run": args.steps, "max_loss_difference": np_diff}

    # 2. Una operación, el grafo, la memoria y los objetos por nodo
    results["operation_ns"] = op_nanoseconds()
    results["graph"] = graph_stats()
    results["memory"] = {engine: memory_per_node(engine) for engine in ENGINES}
    results["node_pieces"] = node_pieces()
    results["cyclic_garbage"] = {engine: cyclic_garbage(engine) for engine in ENGINES}

    # 3. Perfiles
    results["profile"] = {"michigrad": profile_step("michigrad"),
                          "micrograd": profile_step("micrograd"),
                          "micrograd, gc apagado": profile_step("micrograd", gc_enabled=False)}

    # 4. Grafos profundos
    results["deep_chain"] = deep_chains()

    # Informe
    print("\nTiempo por paso (mediana de todos los pasos y rondas; CPU del proceso)")
    base = steps_summary["michigrad"]["encendido"]["median"]
    for engine, modes in steps_summary.items():
        for mode, s in modes.items():
            later = s["median_later"]
            print(f"  {engine:<24}{mode:<16}{s['median'] * 1000:9.1f} ms "
                  f"({s['median'] / base:5.2f} x michigrad)   primer paso "
                  f"{s['median_first'] * 1000:7.1f} ms, después {later * 1000:7.1f} ms;"
                  f"   {s['gc_share']:4.0%} en el recolector")
    print(f"  {'NumPy vectorizado':<40}{results['numpy']['median'] * 1000:9.3f} ms")

    print("\nMemoria y objetos por nodo (grafo de un paso: forward + pérdida)")
    for engine, m in results["memory"].items():
        print(f"  {engine:<24}{m['bytes_per_node']:7.1f} bytes/nodo  "
              f"{m['tracked_per_node']:5.2f} objetos rastreados/nodo  "
              f"{m['blocks_per_node']:5.2f} bloques/nodo")

    print("\nPerfil de un paso (cProfile)")
    nodes = results["graph"]["nodes"]
    for name, p in results["profile"].items():
        print(f"  {name:<24}{p['total_calls']:9d} llamadas ({p['total_calls'] / nodes:.1f} "
              f"por nodo), {p['total_seconds']:.2f} s dentro del perfilador")

    deep = results["deep_chain"]
    print("\nGrafos profundos")
    print(f"  michigrad, cadena de {DEEP_CHAIN} sumas: x.grad = {deep['michigrad']['grad']} "
          f"(esperado {DEEP_CHAIN + 1}) en {deep['michigrad']['seconds']:.2f} s")
    print(f"  micrograd, cadena de {MICRO_CHAIN} sumas: "
          + ("RecursionError" if deep["micrograd"]["recursion_error"] else "sin error"))

    speedup = steps_summary["micrograd"]["encendido"]["median"] / base
    memory_ratio = (results["memory"]["micrograd"]["bytes_per_node"]
                    / results["memory"]["michigrad"]["bytes_per_node"])
    deep_ok = deep["michigrad"]["grad"] == DEEP_CHAIN + 1
    results["targets"] = {
        "speed": {"target": SPEED_TARGET, "value": speedup, "ok": speedup >= SPEED_TARGET},
        "memory": {"target": MEMORY_TARGET, "value": memory_ratio,
                   "ok": memory_ratio >= MEMORY_TARGET},
        "deep_chain": {"target": DEEP_CHAIN, "value": deep["michigrad"]["grad"], "ok": deep_ok},
    }
    print("\nMetas")
    for ok, text in [
        (speedup >= SPEED_TARGET, f"velocidad: michigrad {speedup:.1f} x más rápido que "
                                  f"micrograd (meta ≥ {SPEED_TARGET:g} x)"),
        (memory_ratio >= MEMORY_TARGET, f"memoria: {memory_ratio:.1f} x menos bytes por nodo "
                                        f"(meta ≥ {MEMORY_TARGET:g} x)"),
        (deep_ok, f"cadena profunda: {DEEP_CHAIN} nodos con el gradiente correcto"),
    ]:
        print(f"  [{'ok' if ok else 'FALLA'}] {text}")

    results["meta"]["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    results["meta"]["seconds"] = time.perf_counter() - wall
    if not args.no_write:
        text = json.dumps(_round(results), indent=2, sort_keys=True, ensure_ascii=False)
        args.output.write_text(text + "\n", encoding="utf-8")
        print(f"\nResultados en {args.output}")
    print(f"Tiempo total del benchmark: {time.perf_counter() - wall:.1f} s")
    return 0 if all(t["ok"] for t in results["targets"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
