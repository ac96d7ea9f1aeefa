"""``chainrule.optim``: optimizers with PyTorch's names, defaults and exact update
formulas (``SGD``, ``Adam``, ``AdamW``, ``RMSprop``) and ``lr_scheduler``."""

from chainrule.optim import lr_scheduler
from chainrule.optim.adam import Adam, AdamW
from chainrule.optim.optimizer import Optimizer
from chainrule.optim.rmsprop import RMSprop
from chainrule.optim.sgd import SGD

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "RMSprop", "lr_scheduler"]
