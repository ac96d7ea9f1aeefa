"""autograd's ``misc.optimizers`` module (a public facade)."""

from chainrule.functional.autograd_optimizers import adam, rmsprop, sgd

__all__ = ["adam", "rmsprop", "sgd"]
