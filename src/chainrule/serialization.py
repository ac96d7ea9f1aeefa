"""``chainrule.serialization``: checkpoints in the safetensors format (a public facade;
the work is done in :mod:`chainrule.tensors.serialization`)."""

from chainrule.tensors.serialization import CheckpointError, load, load_metadata, save

__all__ = ["CheckpointError", "load", "load_metadata", "save"]
