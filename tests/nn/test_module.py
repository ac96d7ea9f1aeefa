"""nn.Module semantics: registration, naming, state_dict layout and checks, modes,
repr, containers, hooks, dtype casts."""

import copy

import numpy as np
import pytest

import chainrule as cr
from chainrule import nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.BatchNorm1d(8))
        self.head = nn.Linear(8, 3, bias=False)
        self.scale = nn.Parameter(cr.ones(1))
        self.register_buffer("counter", cr.zeros(1))
        self.register_buffer("scratch", cr.zeros(2), persistent=False)
        self.not_a_param = cr.zeros(3)  # a plain attribute

    def forward(self, x):
        return self.head(self.features(x)) * self.scale


def test_named_parameters_and_buffers_use_dotted_pytorch_names():
    net = Net()
    assert [n for n, _ in net.named_parameters()] == [
        "scale",
        "features.0.weight",
        "features.0.bias",
        "features.2.weight",
        "features.2.bias",
        "head.weight",
    ]
    assert [n for n, _ in net.named_buffers()] == [
        "counter",
        "scratch",
        "features.2.running_mean",
        "features.2.running_var",
        "features.2.num_batches_tracked",
    ]
    assert net.head.bias is None
    assert len(list(net.parameters())) == 6
    assert [n for n, _ in net.named_children()] == ["features", "head"]
    assert [n for n, _ in net.named_modules()][:3] == ["", "features", "features.0"]


def test_state_dict_keys_layout_and_persistence():
    net = Net()
    sd = net.state_dict()
    assert list(sd) == [
        "scale",
        "counter",
        "features.0.weight",
        "features.0.bias",
        "features.2.weight",
        "features.2.bias",
        "features.2.running_mean",
        "features.2.running_var",
        "features.2.num_batches_tracked",
        "head.weight",
    ]
    assert sd["features.0.weight"].shape == (8, 4)  # Linear: (out, in)
    assert sd["features.2.num_batches_tracked"].dtype == np.int64
    assert not sd["head.weight"].requires_grad  # detached


def test_load_state_dict_round_trip_and_copy_semantics():
    cr.manual_seed(0)
    a, b = Net(), Net()
    sd = a.state_dict()
    result = b.load_state_dict(sd)
    assert result.missing_keys == [] and result.unexpected_keys == []
    for (k, va), vb in zip(a.state_dict().items(), b.state_dict().values(), strict=True):
        np.testing.assert_array_equal(va.numpy(), vb.numpy(), err_msg=k)
    # b owns copies: changing a afterwards leaves b alone
    with cr.no_grad():
        a.head.weight.fill_(7.0)
    assert not np.any(b.head.weight.detach().numpy() == 7.0)
    assert b.head.weight.requires_grad and b.head.weight.is_leaf


def test_load_state_dict_shape_mismatch_names_key_and_both_shapes():
    net = Net()
    sd = dict(net.state_dict())
    sd["head.weight"] = np.zeros((3, 9))
    before = net.features[0].weight.detach().numpy().copy()
    sd["features.0.weight"] = np.ones((8, 4))
    with pytest.raises(RuntimeError) as info:
        net.load_state_dict(sd)
    msg = str(info.value)
    assert "head.weight" in msg and "(3, 9)" in msg and "(3, 8)" in msg
    # nothing was written: the check runs before any copy
    np.testing.assert_array_equal(net.features[0].weight.detach().numpy(), before)


def test_load_state_dict_dtype_mismatch_and_strictness():
    net = Net()
    sd = dict(net.state_dict())
    sd["scale"] = np.ones(1, np.float64)  # the model's parameters are float32 (the default)
    with pytest.raises(RuntimeError, match=r"scale.*float64.*float32"):
        net.load_state_dict(sd)
    sd = dict(net.state_dict())
    del sd["counter"]
    sd["extra"] = np.zeros(1)
    with pytest.raises(
        RuntimeError, match=r"Unexpected key\(s\).*'extra'(.|\n)*Missing key\(s\).*'counter'"
    ):
        net.load_state_dict(sd)
    result = net.load_state_dict(sd, strict=False)
    assert result.missing_keys == ["counter"] and result.unexpected_keys == ["extra"]


def test_train_eval_propagate_and_zero_grad():
    net = Net()
    assert net.training and net.features[2].training
    net.eval()
    assert not net.training and not net.features[2].training
    net.train()
    assert net.features[1].training
    x = cr.randn(5, 4)
    net(x).sum().backward()
    assert all(p.grad is not None for p in net.parameters())
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())
    net(x).sum().backward()
    net.zero_grad(set_to_none=False)
    assert all(not np.any(p.grad.numpy()) for p in net.parameters())


def test_repr_matches_pytorch_layout():
    model = nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(64, 10),
        nn.Dropout(0.25),
        nn.BatchNorm1d(10),
    )
    assert repr(model) == (
        "Sequential(\n"
        "  (0): Conv2d(1, 16, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))\n"
        "  (1): ReLU()\n"
        "  (2): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)\n"
        "  (3): Flatten(start_dim=1, end_dim=-1)\n"
        "  (4): Linear(in_features=64, out_features=10, bias=True)\n"
        "  (5): Dropout(p=0.25, inplace=False)\n"
        "  (6): BatchNorm1d(10, eps=1e-05, momentum=0.1, affine=True, bias=True, "
        "track_running_stats=True)\n"
        ")"
    )
    nested = nn.Sequential(nn.Sequential(nn.Tanh()), nn.LayerNorm(4))
    assert repr(nested) == (
        "Sequential(\n"
        "  (0): Sequential(\n"
        "    (0): Tanh()\n"
        "  )\n"
        "  (1): LayerNorm((4,), eps=1e-05, elementwise_affine=True, bias=True)\n"
        ")"
    )


def test_sequential_indexing_slicing_and_containers():
    seq = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    assert isinstance(seq[0], nn.Linear) and isinstance(seq[-1], nn.Linear)
    assert len(seq) == 3 and len(seq[1:]) == 2
    assert list(seq[1:].state_dict()) == ["2.weight", "2.bias"]  # names are kept
    with pytest.raises(IndexError):
        seq[3]
    seq.append(nn.Sigmoid())
    assert [type(m).__name__ for m in seq] == ["Linear", "ReLU", "Linear", "Sigmoid"]
    del seq[1]
    assert list(seq.state_dict()) == ["0.weight", "0.bias", "1.weight", "1.bias"]
    ml = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
    assert len(list(ml.parameters())) == 6 and "2.bias" in ml.state_dict()
    md = nn.ModuleDict({"enc": nn.Linear(2, 2)})
    assert list(md.state_dict()) == ["enc.weight", "enc.bias"]


def test_shared_parameter_is_listed_once():
    lin = nn.Linear(3, 3)
    model = nn.Sequential(lin, nn.Tanh(), lin)
    assert len(list(model.parameters())) == 2
    model(cr.randn(2, 3)).sum().backward()  # gradients from both uses accumulate
    assert lin.weight.grad.shape == (3, 3)


def test_assignment_rules_and_attribute_errors():
    net = Net()
    with pytest.raises(TypeError):
        net.head = "not a module"
    with pytest.raises(TypeError):
        net.scale = cr.ones(1)  # a Parameter slot needs a Parameter
    net.head = None
    assert "head.weight" not in net.state_dict()
    with pytest.raises(AttributeError, match="nothing"):
        _ = net.nothing

    class Bad(nn.Module):
        def __init__(self):
            self.w = nn.Parameter(cr.ones(1))

    with pytest.raises(AttributeError, match="before Module.__init__"):
        Bad()


def test_forward_hooks():
    lin = nn.Linear(2, 2)
    seen = []
    handle = lin.register_forward_hook(lambda m, inp, out: seen.append(out.shape))
    pre = lin.register_forward_pre_hook(lambda m, inp: (inp[0] * 0,))
    out = lin(cr.ones(4, 2))
    np.testing.assert_allclose(
        out.detach().numpy(), np.broadcast_to(lin.bias.detach().numpy(), (4, 2))
    )
    handle.remove()
    pre.remove()
    lin(cr.ones(1, 2))
    assert seen == [(4, 2)]


def test_to_dtype_and_deepcopy():
    net = Net()
    net.float()
    assert all(p.dtype == np.float32 for p in net.parameters())
    assert net.features[2].num_batches_tracked.dtype == np.int64  # integer buffers stay
    out = net(cr.randn(4, 4, dtype=np.float32))
    assert out.dtype == np.float32
    twin = copy.deepcopy(net)
    twin.head.weight.grad = None
    twin(cr.randn(4, 4, dtype=np.float32)).sum().backward()
    assert twin.head.weight.grad is not None and net.head.weight.grad is None
    with cr.no_grad():
        twin.head.weight.fill_(0.0)
    assert np.any(net.head.weight.detach().numpy() != 0.0)


def test_parameter_shares_values_and_repr():
    t = cr.tensor([1.0, 2.0])
    p = nn.Parameter(t)
    assert p.requires_grad and p.is_leaf
    assert np.shares_memory(p.detach().numpy(), t.detach().numpy())
    assert repr(p).startswith("Parameter containing:\ntensor([1., 2.]")
    assert not nn.Parameter(t, requires_grad=False).requires_grad


def test_reassigning_a_parameter_or_child_keeps_its_place():
    """PyTorch keeps the registration order when a name is assigned again, so the
    state_dict keys and the optimizer's parameter indices don't move (weight tying,
    swapping a head)."""
    lin = nn.Linear(2, 3)
    lin.weight = nn.Parameter(cr.zeros(3, 2))
    assert list(lin.state_dict()) == ["weight", "bias"]
    seq = nn.Sequential(nn.Linear(1, 2), nn.ReLU(), nn.Linear(2, 1))
    seq[0] = nn.Linear(1, 2)
    seq.extra = nn.Tanh()
    seq[2].weight = seq[2].weight
    assert list(seq._modules) == ["0", "1", "2", "extra"]
    assert list(seq.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    net = Net()
    net.register_buffer("counter", cr.ones(1))  # re-registering keeps the place too
    assert [n for n, _ in net.named_buffers()][:2] == ["counter", "scratch"]
    net.register_buffer("scratch", cr.ones(2))  # ... and may make it persistent
    assert "scratch" in net.state_dict()


def test_register_refuses_names_of_other_attributes():
    net = Net()
    for register, name in [
        (net.register_buffer, "head"),  # a child
        (net.register_parameter, "counter"),  # a buffer
        (net.register_buffer, "forward"),  # a method
        (net.add_module, "scale"),  # a parameter
        (net.register_buffer, "not_a_param"),  # a plain attribute
    ]:
        with pytest.raises(KeyError, match=f"attribute '{name}' already exists"):
            register(name, None)
    assert isinstance(net.head, nn.Linear) and "counter" in net.state_dict()


def test_named_members_without_deduplication():
    lin = nn.Linear(2, 2)
    model = nn.Sequential(lin, nn.Tanh(), lin)
    assert [n for n, _ in model.named_parameters(remove_duplicate=False)] == [
        "0.weight",
        "0.bias",
        "2.weight",
        "2.bias",
    ]
    assert [n for n, _ in model.named_parameters()] == ["0.weight", "0.bias"]
    bn = nn.BatchNorm1d(2)
    twice = nn.Sequential(bn, bn)
    assert len(list(twice.named_buffers(remove_duplicate=False))) == 6
    assert len(list(twice.named_buffers())) == 3


def test_container_methods_and_modulelist_repr_follow_pytorch():
    ml = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)] + [nn.ReLU(), nn.ReLU(), nn.Tanh()])
    assert repr(ml) == (
        "ModuleList(\n"
        "  (0-2): 3 x Linear(in_features=2, out_features=2, bias=True)\n"
        "  (3-4): 2 x ReLU()\n"
        "  (5): Tanh()\n"
        ")"
    )
    assert repr(nn.ModuleList()) == "ModuleList()"
    ml.insert(1, nn.Sigmoid())
    ml.insert(5, nn.GELU())
    del ml[0:2]
    first = ml.pop(0)
    assert isinstance(first, nn.Linear) and list(ml._modules) == ["0", "1", "2", "3", "4"]
    assert [type(m).__name__ for m in ml] == ["Linear", "ReLU", "GELU", "ReLU", "Tanh"]
    ml += [nn.ELU()]
    assert len(ml) == 6 and len(ml + nn.ModuleList([nn.ReLU()])) == 7
    seq = nn.Sequential(nn.ReLU(), nn.Tanh())
    seq.insert(1, nn.Sigmoid()).insert(-3, nn.GELU()).extend([nn.ELU()])
    assert isinstance(seq.pop(1), nn.ReLU)
    assert [type(m).__name__ for m in seq] == ["GELU", "Sigmoid", "Tanh", "ELU"]
    assert list(seq._modules) == ["0", "1", "2", "3"]
    with pytest.raises(IndexError):
        seq.insert(10, nn.ReLU())
    md = nn.ModuleDict({"a": nn.ReLU(), "b": nn.Tanh()})
    assert isinstance(md.pop("a"), nn.ReLU) and list(md.keys()) == ["b"]
    md.clear()
    assert len(md) == 0
