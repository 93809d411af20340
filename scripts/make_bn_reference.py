"""Write tests/core/bn_reference.json: PyTorch's BatchNorm1d (training mode, float64) on fixed
small inputs, the oracle tests/core/test_batch_norm.py compares core/batchnorm.py against.

PyTorch is not a dependency of Descent: run this once in a separate environment, e.g.
  python3 -m venv /tmp/torchvenv && /tmp/torchvenv/bin/pip install torch==2.13.0 numpy
  /tmp/torchvenv/bin/python scripts/make_bn_reference.py
Arrays are written in the course's layout (units x examples); PyTorch's is the transpose.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch

OUT = Path(__file__).resolve().parent.parent / "tests" / "core" / "bn_reference.json"


def listed(tensor: torch.Tensor) -> list:
    """A float64 tensor in the course's layout (transposed when 2-D) as nested lists."""
    array = tensor.detach().numpy()
    return (array.T if array.ndim == 2 else array).tolist()


def layer_case(rng: np.random.Generator) -> dict:
    """One BatchNorm1d over Z (3 units, 5 examples): Z~, and the gradients of sum(G * Z~)."""
    Z, G = rng.standard_normal((3, 5)) * 2 + 1, rng.standard_normal((3, 5))
    gamma, beta = rng.standard_normal(3), rng.standard_normal(3)
    bn = torch.nn.BatchNorm1d(3, eps=1e-5, momentum=0.1, dtype=torch.float64)
    bn.train()
    with torch.no_grad():
        bn.weight.copy_(torch.from_numpy(gamma))
        bn.bias.copy_(torch.from_numpy(beta))
    x = torch.tensor(Z.T, requires_grad=True)
    y = bn(x)
    (y * torch.from_numpy(G.T)).sum().backward()
    return {
        "Z": Z.tolist(), "G": G.tolist(), "gamma": gamma.tolist(), "beta": beta.tolist(),
        "Z_tilde": listed(y), "dZ": listed(x.grad), "dgamma": listed(bn.weight.grad),
        "dbeta": listed(bn.bias.grad), "running_mean": listed(bn.running_mean),
        "running_var": listed(bn.running_var),
    }  # fmt: skip


def network_case(rng: np.random.Generator) -> dict:
    """[2, 3, 1]: Z1 = W1 X, batch norm, tanh, sigmoid output, mean cross-entropy; its grads."""
    X, Y = rng.standard_normal((2, 6)), np.array([[1.0, 0.0, 1.0, 1.0, 0.0, 0.0]])
    W1, W2, b2 = (
        rng.standard_normal((3, 2)),
        rng.standard_normal((1, 3)),
        rng.standard_normal((1, 1)),
    )
    gamma, beta = rng.standard_normal((3, 1)), rng.standard_normal((3, 1))
    p = {k: torch.tensor(v, requires_grad=True) for k, v in
         {"W1": W1, "gamma1": gamma, "beta1": beta, "W2": W2, "b2": b2}.items()}  # fmt: skip
    Z1 = torch.tensor(X.T) @ p["W1"].T  # (m, n1)
    mu, var = Z1.mean(0), Z1.var(0, unbiased=False)
    bn = torch.nn.functional.batch_norm(
        Z1, None, None, p["gamma1"][:, 0], p["beta1"][:, 0], training=True, eps=1e-5
    )
    assert torch.allclose(
        bn, (Z1 - mu) / torch.sqrt(var + 1e-5) * p["gamma1"][:, 0] + p["beta1"][:, 0]
    )
    Z2 = torch.tanh(bn) @ p["W2"].T + p["b2"][:, 0]
    cost = torch.nn.functional.binary_cross_entropy_with_logits(Z2, torch.tensor(Y.T))
    cost.backward()
    case = {"X": X.tolist(), "Y": Y.tolist(), "cost": float(cost.detach())}
    case.update({k: v.detach().numpy().tolist() for k, v in p.items()})
    case.update({"d" + k: v.grad.numpy().tolist() for k, v in p.items()})
    return case


def main() -> None:
    """Compute both cases and write the fixture."""
    torch.manual_seed(0)
    rng = np.random.default_rng(25)
    fixture = {"torch": torch.__version__, "layer": layer_case(rng), "network": network_case(rng)}
    OUT.write_text(json.dumps(fixture, indent=1) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
