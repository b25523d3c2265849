"""Pruebas de MyNN (`michigrad.nn`) y de los optimizadores (`michigrad.optim`).

Comprueban tres cosas:
- compatibilidad con el paquete del curso (el `nn.py` de micrograd 0.1.0): firmas, reprs,
  los mismos pesos para la misma semilla y las mismas salidas;
- las clases nuevas (`Linear`, activaciones como capas, `Sequential`) y las pérdidas;
- que `SGD` y `Adam` recorren la misma trayectoria que `torch.optim` en float64.

Al final, una comprobación de los capítulos que usan MyNN para la práctica 9: las
explicaciones de las partes 1 y 3 existen y tienen entre 100 y 200 palabras.
"""

import math
import random
import re
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from micrograd.nn import MLP as MicroMLP
from micrograd.nn import Layer as MicroLayer
from micrograd.nn import Neuron as MicroNeuron

from michigrad.engine import Value
from michigrad.nn import (MLP, Activation, Layer, Linear, Module, Neuron, ReLU, Sequential,
                          Sigmoid, Tanh, binary_cross_entropy, mse_loss)
from michigrad.optim import SGD, Adam

TOL = 1e-12


def data(values):
    return [v.data for v in values]


# ---------------------------------------------------------------- compatibilidad con el curso

def test_neuron_signatures_and_reprs():
    assert repr(Neuron(3)) == "ReLUNeuron(3)"
    assert repr(Neuron(nin=3, nonlin=False)) == "LinearNeuron(3)"
    assert repr(Neuron(3, False)) == "LinearNeuron(3)"
    n = Neuron(3)
    assert len(n.w) == 3 and n.b.data == 0 and n.nonlin is True
    assert n.parameters() == n.w + [n.b]
    assert all(-1 <= w.data <= 1 for w in n.w)


def test_layer_signatures_and_reprs():
    assert repr(Layer(3, 2)) == "Layer of [ReLUNeuron(3), ReLUNeuron(3)]"
    assert repr(Layer(3, 2, nonlin=False)) == "Layer of [LinearNeuron(3), LinearNeuron(3)]"
    assert repr(Layer(nin=2, nout=1)) == "Layer of [ReLUNeuron(2)]"
    assert len(Layer(3, 2).parameters()) == 8


def test_mlp_signature_and_repr():
    model = MLP(3, [4, 4, 1])
    assert repr(model) == (
        "MLP of [Layer of [ReLUNeuron(3), ReLUNeuron(3), ReLUNeuron(3), ReLUNeuron(3)], "
        "Layer of [ReLUNeuron(4), ReLUNeuron(4), ReLUNeuron(4), ReLUNeuron(4)], "
        "Layer of [LinearNeuron(4)]]")
    assert len(model.parameters()) == (3 + 1) * 4 + (4 + 1) * 4 + (4 + 1) * 1
    assert repr(MLP(nin=2, nouts=[3, 1])) == repr(MicroMLP(2, [3, 1]))


@pytest.mark.parametrize("nin, nouts", [(2, [2]), (2, [3, 1]), (3, [4, 4, 1]),
                                        (2, [16, 16, 1]), (5, [1])])
def test_parameter_count_formula(nin, nouts):
    sizes = [nin] + nouts
    expected = sum((sizes[i] + 1) * sizes[i + 1] for i in range(len(nouts)))
    assert len(MLP(nin, nouts).parameters()) == expected


def test_single_neuron_layer_returns_bare_value():
    out = Layer(3, 1)([1.0, 2.0, 3.0])
    assert isinstance(out, Value)
    assert isinstance(MLP(3, [4, 1])([1.0, 2.0, 3.0]), Value)
    outs = Layer(3, 2)([1.0, 2.0, 3.0])
    assert isinstance(outs, list) and len(outs) == 2


def test_inputs_as_numbers_values_or_single_number():
    random.seed(0)
    n = Neuron(3, nonlin=False)
    from_numbers = n([1.0, -2.0, 0.5]).data
    from_values = n([Value(1.0), Value(-2.0), Value(0.5)]).data
    from_tuple = n((1, -2, 0.5)).data
    assert from_numbers == from_values == from_tuple
    expected = sum(w.data * x for w, x in zip(n.w, [1.0, -2.0, 0.5])) + n.b.data
    assert abs(from_numbers - expected) < TOL
    one = Neuron(1, nonlin=False)
    assert one(3.0).data == one([3.0]).data == one(Value(3.0)).data


def test_relu_neuron_clips_negative_sums():
    n = Neuron(2)
    for w, v in zip(n.w, (1.0, 1.0)):
        w.data = v
    assert n([-1.0, -2.0]).data == 0
    assert n([1.0, 2.0]).data == 3.0


@pytest.mark.parametrize("seed", [0, 1, 42, 2024])
def test_same_seed_same_weights_and_outputs_as_micrograd(seed):
    random.seed(seed)
    ours = MLP(3, [4, 4, 1])
    random.seed(seed)
    theirs = MicroMLP(3, [4, 4, 1])
    assert repr(ours) == repr(theirs)
    for p, q in zip(ours.parameters(), theirs.parameters(), strict=True):
        assert abs(p.data - q.data) < TOL
    for x in ([2.0, -1.0, 0.5], [0.1, 0.2, 0.3], [-3.0, 4.0, 1.5]):
        assert abs(ours(x).data - theirs(x).data) < TOL


def test_same_seed_same_neuron_and_layer_as_micrograd():
    random.seed(7)
    ours_n, ours_l = Neuron(3), Layer(3, 2, nonlin=False)
    random.seed(7)
    theirs_n, theirs_l = MicroNeuron(3), MicroLayer(3, 2, nonlin=False)
    assert data(ours_n.parameters()) == data(theirs_n.parameters())
    assert data(ours_l.parameters()) == data(theirs_l.parameters())
    x = [0.3, -0.7, 2.0]
    assert abs(ours_n(x).data - theirs_n(x).data) < TOL
    assert all(abs(a.data - b.data) < TOL for a, b in zip(ours_l(x), theirs_l(x)))


def test_gradients_match_micrograd():
    random.seed(3)
    ours = MLP(3, [4, 4, 1])
    random.seed(3)
    theirs = MicroMLP(3, [4, 4, 1])
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    loss_ours = sum((ours(x) - y) ** 2 for x, y in zip(xs, ys))
    loss_theirs = sum((theirs(x) - y) ** 2 for x, y in zip(xs, ys))
    loss_ours.backward()
    loss_theirs.backward()
    assert abs(loss_ours.data - loss_theirs.data) < TOL
    for p, q in zip(ours.parameters(), theirs.parameters()):
        assert abs(p.grad - q.grad) < TOL


def test_nested_attributes_can_be_read_and_set():
    model = MLP(1, [2, 1])
    hidden, output = model.layers
    hidden.neurons[0].w[0].data = 1.0
    hidden.neurons[1].w[0].data = -1.0
    for neuron in hidden.neurons:
        neuron.b.data = 0.0
    output.neurons[0].w[0].data = 1.0
    output.neurons[0].w[1].data = 1.0
    output.neurons[0].b.data = 0.0
    assert model.layers[0].neurons[1].w[0].data == -1.0
    for x in (-2.0, -0.5, 0.0, 1.5):
        assert model(x).data == abs(x)          # ReLU(x) + ReLU(-x) = |x|
    # Reemplazar el Value entero también funciona: parameters() relee las listas.
    replacement = Value(0.5)
    model.layers[1].neurons[0].w[0] = replacement
    assert any(p is replacement for p in model.parameters())
    assert model(2.0).data == 0.5 * 2.0


def test_zero_grad_resets_every_parameter():
    random.seed(0)
    model = MLP(3, [4, 4, 1])
    x = [2.0, -1.0, 0.5]
    model(x).backward()
    first = [p.grad for p in model.parameters()]
    model(x).backward()                         # sin zero_grad: se acumula
    assert [p.grad for p in model.parameters()] == [2 * g for g in first]
    model.zero_grad()
    assert all(p.grad == 0 for p in model.parameters())
    model(x).backward()
    assert [p.grad for p in model.parameters()] == first


def test_module_base_class():
    assert Module().parameters() == []
    Module().zero_grad()                        # sin parámetros: no hace nada


# ---------------------------------------------------------------- errores en español

def test_wrong_input_size_raises_spanish_error():
    with pytest.raises(ValueError, match="se esperaban 3 entradas, pero llegaron 2"):
        Layer(3, 2)([1.0, 2.0])
    with pytest.raises(ValueError, match="se esperaban 3 entradas, pero llegaron 4"):
        Neuron(3)([1.0, 2.0, 3.0, 4.0])
    with pytest.raises(ValueError, match="se esperaban 2 entradas"):
        MLP(2, [3, 1])([1.0])
    with pytest.raises(ValueError, match="se esperaban 3 entradas"):
        Sequential(Linear(3, 2), ReLU())([1.0, 2.0])


def test_bad_reduction_raises_spanish_error():
    with pytest.raises(ValueError, match="reduction debe ser 'sum' o 'mean'"):
        mse_loss([Value(1.0)], [0.0], reduction="average")
    with pytest.raises(ValueError, match="reduction debe ser 'sum' o 'mean'"):
        binary_cross_entropy([Value(0.5)], [1.0], reduction="none")


def test_loss_length_mismatch_and_empty_lists():
    with pytest.raises(ValueError, match="hay 2 predicciones y 3 objetivos"):
        mse_loss([Value(1.0), Value(2.0)], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="no hay predicciones"):
        mse_loss([], [])
    with pytest.raises(ValueError, match="no hay predicciones"):
        binary_cross_entropy([], [], reduction="sum")


def test_bce_rejects_predictions_outside_unit_interval():
    for bad in (1.5, -0.1, float("nan")):
        with pytest.raises(ValueError, match="entre 0 y 1"):
            binary_cross_entropy(Value(bad), 1.0)


def test_optimizer_errors():
    with pytest.raises(ValueError, match="la lista de parámetros está vacía"):
        SGD([], lr=0.1)
    with pytest.raises(ValueError, match="la lista de parámetros está vacía"):
        Adam(Sequential(ReLU(), Tanh()).parameters())
    with pytest.raises(TypeError, match="los parámetros deben ser Value"):
        SGD([1.0], lr=0.1)
    with pytest.raises(ValueError, match="la tasa de aprendizaje debe ser positiva"):
        SGD([Value(1.0)], lr=0)


def test_sequential_rejects_non_modules():
    with pytest.raises(TypeError, match="no es un módulo"):
        Sequential(Linear(2, 2), 3)


# ---------------------------------------------------------------- clases nuevas

def test_linear_layer():
    random.seed(0)
    lin = Linear(2, 3)
    assert repr(lin) == "Linear(2, 3)"
    assert isinstance(lin, Layer)
    assert len(lin.parameters()) == 9
    assert all(not n.nonlin for n in lin.neurons)
    outs = lin([1.0, -2.0])
    for n, out in zip(lin.neurons, outs):
        expected = n.w[0].data * 1.0 + n.w[1].data * -2.0 + n.b.data
        assert abs(out.data - expected) < TOL
    assert isinstance(Linear(2, 1)([1.0, 2.0]), Value)
    # Linear consume los mismos números al azar que una Layer lineal.
    random.seed(0)
    assert data(Layer(2, 3, nonlin=False).parameters()) == data(lin.parameters())


@pytest.mark.parametrize("layer, fn", [
    (ReLU(), lambda v: max(0.0, v)),
    (Tanh(), lambda v: torch.tanh(torch.tensor(v, dtype=torch.float64)).item()),
    (Sigmoid(), lambda v: torch.sigmoid(torch.tensor(v, dtype=torch.float64)).item()),
])
def test_activation_layers_with_value_number_and_list(layer, fn):
    assert isinstance(layer, Activation) and layer.parameters() == []
    assert repr(layer) == f"{type(layer).__name__}()"
    xs = [-2.0, -0.3, 0.0, 0.7, 3.0]
    single = layer(Value(0.7))
    assert isinstance(single, Value) and abs(single.data - fn(0.7)) < TOL
    assert abs(layer(0.7).data - fn(0.7)) < TOL            # un número suelto
    outs = layer([Value(x) for x in xs])
    assert isinstance(outs, list) and len(outs) == len(xs)
    assert all(abs(o.data - fn(x)) < TOL for o, x in zip(outs, xs))
    assert all(abs(o.data - fn(x)) < TOL for o, x in zip(layer(xs), xs))


def test_activation_layers_backpropagate():
    x = Value(0.4)
    Tanh()(x).backward()
    assert abs(x.grad - (1 - torch.tanh(torch.tensor(0.4, dtype=torch.float64)).item() ** 2)) < TOL
    x = Value(0.4)
    Sigmoid()(x).backward()
    s = 1 / (1 + math.exp(-0.4))
    assert abs(x.grad - s * (1 - s)) < 1e-12
    xs = [Value(-1.0), Value(2.0)]
    sum(ReLU()(xs)).backward()
    assert [v.grad for v in xs] == [0.0, 1.0]


def test_sequential_args_list_parameters_and_repr():
    random.seed(0)
    a = Sequential(Linear(2, 3), ReLU(), Linear(3, 1))
    random.seed(0)
    b = Sequential([Linear(2, 3), ReLU(), Linear(3, 1)])
    random.seed(0)
    c = Sequential((Linear(2, 3), ReLU(), Linear(3, 1)))
    assert repr(a) == repr(b) == repr(c) == "Sequential(Linear(2, 3), ReLU(), Linear(3, 1))"
    assert data(a.parameters()) == data(b.parameters()) == data(c.parameters())
    assert len(a.parameters()) == (2 + 1) * 3 + (3 + 1) * 1
    assert a.parameters() == a.layers[0].parameters() + a.layers[2].parameters()
    assert a([1.0, -2.0]).data == b([1.0, -2.0]).data
    assert Sequential(Tanh(), Sigmoid()).parameters() == []
    a([1.0, -2.0]).backward()
    a.zero_grad()
    assert all(p.grad == 0 for p in a.parameters())


def test_sequential_equals_mlp_with_copied_weights():
    random.seed(1)
    old = MLP(2, [3, 1])
    random.seed(2)
    new = Sequential(Linear(2, 3), ReLU(), Linear(3, 1))
    for p_old, p_new in zip(old.parameters(), new.parameters(), strict=True):
        p_new.data = p_old.data
    points = [[1.0, -2.0], [0.5, 0.5], [-1.5, 1.0], [2.0, 1.0]]

    def run(model):
        inputs = [[Value(v) for v in p] for p in points]
        outs = [model(x) for x in inputs]
        model.zero_grad()
        sum(outs).backward()
        return data(outs), [p.grad for p in model.parameters()], \
            [v.grad for x in inputs for v in x]

    assert run(old) == run(new)                 # igualdad exacta


def test_same_seed_gives_same_weights_for_mlp_and_sequential():
    random.seed(42)
    old = MLP(2, [3, 1])
    random.seed(42)
    new = Sequential(Linear(2, 3), ReLU(), Linear(3, 1))
    assert data(old.parameters()) == data(new.parameters())


def test_composing_old_and_new_classes():
    random.seed(0)
    mixed = Sequential(Layer(2, 3, nonlin=False), Tanh(), MLP(3, [4, 1]), Sigmoid())
    inner = mixed.layers
    assert mixed.parameters() == inner[0].parameters() + inner[2].parameters()
    out = mixed([1.0, -2.0])
    assert isinstance(out, Value) and 0 < out.data < 1
    hidden = Tanh()(inner[0]([1.0, -2.0]))
    expected = Sigmoid()(inner[2](hidden))
    assert out.data == expected.data
    out.backward()
    assert any(p.grad != 0 for p in mixed.parameters())
    # Sequential dentro de Sequential
    nested = Sequential(Sequential(Linear(2, 2), Tanh()), Linear(2, 1))
    assert len(nested.parameters()) == 6 + 3


# ---------------------------------------------------------------- pérdidas contra PyTorch

def _compare_loss(ours, theirs, preds, targets, reduction):
    values = [Value(p) for p in preds]
    loss = ours(values, targets, reduction=reduction)
    loss.backward()
    tensor = torch.tensor(preds, dtype=torch.float64, requires_grad=True)
    reference = theirs(tensor, torch.tensor(targets, dtype=torch.float64), reduction=reduction)
    reference.backward()
    assert abs(loss.data - reference.item()) < TOL
    for v, g in zip(values, tensor.grad.tolist()):
        assert abs(v.grad - g) < 1e-10 * max(1.0, abs(g))


@pytest.mark.parametrize("reduction", ["sum", "mean"])
def test_mse_against_torch(reduction):
    _compare_loss(mse_loss, F.mse_loss, [0.5, -0.2, 1.5, 0.1, 3.0],
                  [1.0, -1.0, 1.0, 0.0, -2.0], reduction)


@pytest.mark.parametrize("reduction", ["sum", "mean"])
def test_bce_against_torch(reduction):
    _compare_loss(binary_cross_entropy, F.binary_cross_entropy,
                  [0.9, 0.2, 0.6, 0.01, 0.5, 0.999], [1.0, 0.0, 0.0, 1.0, 1.0, 0.0], reduction)


def test_losses_default_to_mean_and_accept_bare_values():
    assert abs(mse_loss([Value(1.0), Value(3.0)], [0.0, 0.0]).data - 5.0) < TOL
    assert abs(mse_loss(Value(2.0), 0.5).data - 2.25) < TOL
    assert abs(mse_loss(2.0, 0.5, reduction="sum").data - 2.25) < TOL
    p = Value(0.8)
    ref = F.binary_cross_entropy(torch.tensor(0.8, dtype=torch.float64),
                                 torch.tensor(1.0, dtype=torch.float64)).item()
    assert abs(binary_cross_entropy(p, 1.0).data - ref) < TOL


def test_bce_clamps_log_like_torch():
    for p, y in [(0.0, 1.0), (1.0, 0.0), (0.0, 0.0), (1.0, 1.0)]:
        ours = binary_cross_entropy(Value(p), y).data
        ref = F.binary_cross_entropy(torch.tensor([p], dtype=torch.float64),
                                     torch.tensor([y], dtype=torch.float64)).item()
        assert ours == ref
    assert binary_cross_entropy(Value(-800.0).sigmoid(), 1.0).data == 100.0


def test_bce_with_sigmoid_gradient_is_p_minus_y():
    for z0 in (-3.0, -0.5, 0.0, 1.2, 4.0):
        for y in (0.0, 1.0):
            z = Value(z0)
            p = z.sigmoid()
            binary_cross_entropy(p, y).backward()
            assert abs(z.grad - (p.data - y)) < TOL


def _exact_bce_logit_grad(z, y):
    """σ(z) − y sin cancelaciones."""
    return -1 / (1 + math.exp(z)) if y == 1 else 1 / (1 + math.exp(-z))


@pytest.mark.parametrize("z0, y", [(-28.0, 1.0), (-30.0, 1.0), (-40.0, 1.0), (-80.0, 1.0),
                                   (-99.0, 1.0), (30.0, 0.0), (36.0, 0.0)])
def test_saturated_bce_gradient_is_exact_where_torch_bceloss_vanishes(z0, y):
    # Capítulo 8: el backward de BCELoss divide por max(p(1 − p), 1e-12) y se apaga para
    # |z| > 27.6; el de michigrad sigue siendo σ(z) − y hasta que actúa la cota del log.
    z = Value(z0)
    loss = binary_cross_entropy(z.sigmoid(), y)
    loss.backward()
    exact = _exact_bce_logit_grad(z0, y)
    assert abs(z.grad - exact) <= 1e-12 * abs(exact)

    target = torch.tensor(y, dtype=torch.float64)
    zt = torch.tensor(z0, dtype=torch.float64, requires_grad=True)
    reference = F.binary_cross_entropy(torch.sigmoid(zt), target)
    reference.backward()
    assert abs(loss.data - reference.item()) <= 1e-12 * reference.item()   # la misma pérdida
    assert abs(zt.grad.item()) < 0.75 * abs(exact)                           # otro gradiente

    zl = torch.tensor(z0, dtype=torch.float64, requires_grad=True)
    F.binary_cross_entropy_with_logits(zl, target).backward()
    assert abs(zl.grad.item() - exact) <= 1e-12 * abs(exact)


@pytest.mark.parametrize("z0, y", [(-101.0, 1.0), (-800.0, 1.0), (37.0, 0.0), (40.0, 0.0)])
def test_bce_gradient_is_zero_once_the_log_is_clamped(z0, y):
    z = Value(z0)
    loss = binary_cross_entropy(z.sigmoid(), y)
    loss.backward()
    assert loss.data == 100.0 and z.grad == 0.0


# ---------------------------------------------------------------- optimizadores contra torch.optim

X = [[0.5, -1.0], [1.0, 0.5], [-0.5, 1.5], [-1.5, -0.5], [2.0, 1.0], [0.0, -2.0]]
Y = [1.0, -0.5, 0.8, -1.0, 0.3, 0.6]


def _linear_layers(model):
    return [layer for layer in model.layers if isinstance(layer, Linear)]


def _to_torch(model):
    tensors = []
    for layer in _linear_layers(model):
        tensors.append(torch.tensor([[w.data for w in n.w] for n in layer.neurons],
                                    dtype=torch.float64, requires_grad=True))
        tensors.append(torch.tensor([n.b.data for n in layer.neurons],
                                    dtype=torch.float64, requires_grad=True))
    return tensors


def _flat(model):
    flat = []
    for layer in _linear_layers(model):
        flat += [w.data for n in layer.neurons for w in n.w] + [n.b.data for n in layer.neurons]
    return flat


def _torch_forward(tensors, x):
    W1, b1, W2, b2, W3, b3 = tensors
    h = torch.tanh(x @ W1.T + b1)
    h = torch.relu(h @ W2.T + b2)
    return (h @ W3.T + b3).squeeze(1)


def _trajectory_difference(make_ours, make_theirs, steps=60):
    random.seed(11)
    model = Sequential(Linear(2, 4), Tanh(), Linear(4, 3), ReLU(), Linear(3, 1))
    tensors = _to_torch(model)
    assert _flat(model) == torch.cat([t.detach().flatten() for t in tensors]).tolist()
    x_t = torch.tensor(X, dtype=torch.float64)
    y_t = torch.tensor(Y, dtype=torch.float64)
    ours, theirs = make_ours(model.parameters()), make_theirs(tensors)
    worst, first_loss, last_loss = 0.0, None, None
    for _ in range(steps):
        loss = mse_loss([model(x) for x in X], Y)
        ours.zero_grad()
        loss.backward()
        ours.step()
        reference = F.mse_loss(_torch_forward(tensors, x_t), y_t)
        theirs.zero_grad()
        reference.backward()
        theirs.step()
        assert abs(loss.data - reference.item()) < 1e-9
        flat = torch.cat([t.detach().flatten() for t in tensors]).tolist()
        worst = max(worst, max(abs(a - b) for a, b in zip(_flat(model), flat)))
        first_loss = loss.data if first_loss is None else first_loss
        last_loss = loss.data
    assert last_loss < first_loss                 # el problema no es trivial: aprende
    return worst


def test_sgd_matches_torch():
    worst = _trajectory_difference(lambda p: SGD(p, lr=0.1),
                                   lambda p: torch.optim.SGD(p, lr=0.1))
    assert worst < 1e-9


def test_sgd_momentum_matches_torch():
    worst = _trajectory_difference(lambda p: SGD(p, lr=0.05, momentum=0.9),
                                   lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9))
    assert worst < 1e-9


def test_adam_matches_torch():
    worst = _trajectory_difference(lambda p: Adam(p, lr=0.02),
                                   lambda p: torch.optim.Adam(p, lr=0.02))
    assert worst < 1e-9


def test_adam_custom_betas_eps_match_torch():
    worst = _trajectory_difference(
        lambda p: Adam(p, lr=0.01, betas=(0.8, 0.99), eps=1e-6),
        lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.8, 0.99), eps=1e-6))
    assert worst < 1e-9


def test_optimizer_step_by_hand_equals_sgd():
    def run(use_optimizer):
        random.seed(5)
        model = Sequential(Linear(2, 3), Tanh(), Linear(3, 1))
        optimizer = SGD(model.parameters(), lr=0.1)
        losses = []
        for _ in range(20):
            loss = mse_loss([model(x) for x in X], Y, reduction="sum")
            if use_optimizer:
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
            else:
                model.zero_grad()
                loss.backward()
                for p in model.parameters():
                    p.data -= 0.1 * p.grad
            losses.append(loss.data)
        return losses

    assert run(True) == run(False)


def test_optimizer_zero_grad_and_defaults():
    params = [Value(1.0), Value(2.0)]
    for p in params:
        p.grad = 3.0
    adam = Adam(params)
    assert adam.lr == 1e-3 and (adam.beta1, adam.beta2) == (0.9, 0.999) and adam.eps == 1e-8
    adam.zero_grad()
    assert all(p.grad == 0 for p in params)
    sgd = SGD(iter(params), lr=0.5)             # acepta cualquier iterable
    assert sgd.params == params and sgd.momentum == 0


def test_adam_first_step_moves_each_parameter_by_lr():
    params = [Value(1.0), Value(-2.0), Value(0.5)]
    grads = [1e-3, -3.0, 250.0]
    for p, g in zip(params, grads):
        p.grad = g
    Adam(params, lr=0.01).step()
    # En el primer paso m̂/√v̂ = signo(g) (salvo eps): cada parámetro se mueve η.
    for p, start, g in zip(params, [1.0, -2.0, 0.5], grads):
        assert abs((start - p.data) - 0.01 * (1 if g > 0 else -1)) < 1e-6


# ---------------------------------------------------------------- explicaciones de la práctica 9

BOOK = Path(__file__).resolve().parents[1] / "book"
MODEL_ANSWER = re.compile(r"^:::\{admonition\} Respuesta modelo \(parte (\d) de la práctica 9\)\n"
                          r"(?::class:[^\n]*\n)?(.*?)\n:::$", re.S | re.M)


def _words(text):
    text = re.sub(r"\$[^$]+\$", " fórmula ", text)            # cada fórmula cuenta como una palabra
    text = re.sub(r"\{[a-z:]+\}`([^`]*)`", r"\1", text)      # de un rol de MyST queda su texto
    return [w for w in text.split() if re.search(r"\w", w)]


@pytest.mark.parametrize("chapter, part", [("09-xor-lineal.md", "1"),
                                           ("10-xor-activaciones.md", "3")])
def test_practica9_explanations_have_100_to_200_words(chapter, part):
    answers = MODEL_ANSWER.findall((BOOK / chapter).read_text(encoding="utf-8"))
    assert [found for found, _ in answers] == [part]
    assert 100 <= len(_words(answers[0][1])) <= 200
