"""The rule table, grouped by family. Importing this package registers every
primitive and installs the array interface on boxes.

Families: ``elementwise``, ``reductions``, ``shape`` (with ``joining`` and
``ordering``), ``indexing``, ``products``, ``linalg``, ``special``, and ``windows``
(sliding windows for convolution and pooling). A new primitive goes into the family
file it belongs to, with a spec in ``tests/primitives/specs_<family>.py``.
"""

from chainrule.primitives import (  # noqa: F401
    boxes,
    elementwise,
    indexing,
    linalg,
    products,
    reductions,
    shape,
    special,
    windows,
)
