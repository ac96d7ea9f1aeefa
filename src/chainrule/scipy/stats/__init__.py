"""``chainrule.scipy.stats``: differentiable distribution functions (re-exports only).

Only ``norm`` exists today."""

from chainrule.scipy.stats import norm

__all__ = ["norm"]
